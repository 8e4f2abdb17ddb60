// SPDX-License-Identifier: GPL-2.0
/*
 * Plots: write the numbers as gnuplot data plus a small file of gnuplot variables,
 * then run the fixed scripts impact.gp and samples.gp from the analysis folder. Every
 * string from the records reaches gnuplot single-quoted (no substitution there) or,
 * for two-line labels, double-quoted with backquotes dropped; names are plain words
 * already (records.c).
 * Data files stay in <out>/plot/ so a reader can restyle a figure without rerunning.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/fmt.h"
#include "analysis/report.h"

#define MAX_SERIES 64

/* Colours by probe; stats on/off is told apart by open/filled markers instead. */
static const char *const palette[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
};

/* gnuplot single-quoted string: no escapes except '' for a quote. */
static void gp_str(FILE *f, const char *s)
{
	if (!s)
		s = "";
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (!path_join(path, sizeof(path), dir, name)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(path, "w");
}

/* Double-quoted so a label can hold a line break; only \\ and " need escaping. */
static void gp_label(FILE *f, const char *first, const char *second)
{
	const char *parts[2] = { first, second };

	fputc('"', f);
	for (int i = 0; i < 2 && parts[i]; i++) {
		if (i)
			fputs("\\n", f);
		for (const char *s = parts[i]; *s; s++) {
			if (*s == '`')
				continue; /* command substitution in double-quoted strings */
			if (*s == '"' || *s == '\\')
				fputc('\\', f);
			fputc(*s, f);
		}
	}
	fputc('"', f);
}

/* The mechanism every plotted row of an attach type agreed on, or NULL. */
static const char *group_mechanism(const struct run *run, const char *attach)
{
	const char *m = NULL;

	for (size_t i = 0; i < run->n_cfgs; i++) {
		const struct cfg *c = &run->cfgs[i];

		if (c->baseline || strcmp(c->attach, attach) || !c->n_ok || !c->mechanism[0])
			continue;
		if (m && strcmp(m, c->mechanism))
			return "mixed";
		m = c->mechanism;
	}
	return m;
}

/*
 * What the impact plot shows: the change in % for a rate (the flood's bitrate),
 * the added cost in the metric's own unit for a cost (time or instructions per call).
 */
static bool plot_percent(const struct run *run)
{
	return run->metric.higher_is_better;
}

static double shown(const struct run *run, double pct, double abs)
{
	return plot_percent(run) ? pct : abs;
}

static bool plottable(const struct run *run, const struct cfg *c)
{
	return c != run->baseline && c->n_ok && isfinite(shown(run, c->impact_pct, c->diff));
}

/* Output file base: bitrate.{png,svg,pdf} for the flood, as ever; cost.* for a cost. */
static const char *impact_base(const struct run *run)
{
	return plot_percent(run) ? "bitrate" : "cost";
}

/* Distinct strings in table order, which is already sorted by attach then probe. */
static size_t distinct(const struct run *run, size_t off, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < run->n_cfgs; i++) {
		const struct cfg *c = &run->cfgs[i];
		const char *s = (const char *)c + off;
		size_t k;

		if (!plottable(run, c))
			continue;
		for (k = 0; k < n && strcmp(out[k], s); k++)
			;
		if (k == n && n < max)
			out[n++] = s;
	}
	return n;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t index_of(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return i;
	return n;
}

static int write_impact(const struct run *run, const char *dir, const char *out)
{
	const char *groups[MAX_SERIES], *probes[MAX_SERIES];
	size_t ng, np, s, ns = 0;
	char path[PATH_MAX];
	FILE *d, *v;

	ng = distinct(run, offsetof(struct cfg, attach), groups, MAX_SERIES);
	np = distinct(run, offsetof(struct cfg, probe), probes, MAX_SERIES);
	qsort(probes, np, sizeof(*probes), str_cmp);
	d = open_in(dir, "impact.dat");
	v = open_in(dir, "impact.vars.gp");
	if (!d || !v)
		goto fail;
	fprintf(v, "datafile = ");
	gp_str(v, path_join(path, sizeof(path), dir, "impact.dat"));
	fprintf(v, "\noutbase = ");
	gp_str(v, path_join(path, sizeof(path), out, impact_base(run)));
	{
		double mde = shown(run, run->mde_pct, run->mde_abs);
		char t[320];

		fprintf(v, "\nngroups = %zu\nmde = %.6g\nbase_mean = %.6g\nbase_n = %zu\n", ng,
			isfinite(mde) ? mde : -1,
			isfinite(run->baseline->value.mean) ? run->baseline->value.mean : 0,
			run->baseline->value.n);
		fprintf(v, "unit = ");
		gp_str(v, plot_percent(run) ? "%" : run->metric.unit);
		fprintf(v, "\nbase_unit = ");
		gp_str(v, run->metric.unit);
		snprintf(t, sizeof(t), "Cost of an attached BPF program on %s (%s)",
			 run->metric.name, run->metric.clock);
		fprintf(v, "\ntitle1 = ");
		gp_str(v, t);
		snprintf(t, sizeof(t), "%s vs baseline (%s)",
			 plot_percent(run) ? "change" : "added cost", run->metric.unit);
		fprintf(v, "\nylabel_text = ");
		gp_str(v, plot_percent(run) ? "change vs baseline (%)" : t);
		fprintf(v, "\nworse = ");
		gp_str(v, run->metric.higher_is_better ? "below 0 = slower" : "above 0 = costlier");
		fprintf(v, "\n");
	}
	fprintf(v, "array stitle[%zu]\narray scolor[%zu]\narray spt[%zu]\n", 2 * np, 2 * np,
		2 * np);
	/* One data block per (probe, stats) series, points spread within each attach group. */
	for (size_t p = 0; p < np; p++) {
		for (int st = 0; st < 2; st++) {
			bool any = false;

			for (size_t i = 0; i < run->n_cfgs; i++) {
				const struct cfg *c = &run->cfgs[i];
				size_t g = index_of(groups, ng, c->attach);
				double x;

				if (!plottable(run, c) || c->stats != st ||
				    strcmp(c->probe, probes[p]))
					continue;
				x = g + ((double)(2 * p + st) + 0.5) / (2.0 * np) * 0.8 - 0.4;
				{
					double y = shown(run, c->impact_pct, c->diff);
					double lo = shown(run, c->impact_lo, c->diff_lo);
					double hi = shown(run, c->impact_hi, c->diff_hi);

					fprintf(d, "%g %g %g %g\n", x, y, isfinite(lo) ? lo : y,
						isfinite(hi) ? hi : y);
				}
				any = true;
			}
			if (!any)
				continue;
			fprintf(d, "\n\n");
			ns++;
			fprintf(v, "stitle[%zu] = ", ns);
			char t[REC_NAME_LEN + 32];

			snprintf(t, sizeof(t), "probe %s, BPF stats %s", probes[p],
				 st ? "on" : "off");
			gp_str(v, t);
			fprintf(v, "\nscolor[%zu] = '%s'\nspt[%zu] = %d\n", ns,
				palette[p % (sizeof(palette) / sizeof(palette[0]))], ns,
				st ? 6 : 7);
		}
	}
	fprintf(v, "nseries = %zu\nset xtics (", ns);
	for (s = 0; s < ng; s++) {
		const char *m = group_mechanism(run, groups[s]);
		char mech[64];

		snprintf(mech, sizeof(mech), "(%s)", m ? m : "");
		fprintf(v, "%s", s ? ", " : "");
		gp_label(v, groups[s], m ? mech : NULL);
		fprintf(v, " %zu", s);
	}
	fprintf(v, ")\n");
	for (s = 1; s < ng; s++)
		fprintf(v,
			"set arrow from first %g, graph 0 to first %g, graph 1 nohead "
			"lc rgb '#c0c0c0' back\n",
			s - 0.5, s - 0.5);
	if (fclose(d) | fclose(v))
		return -EIO;
	return ns ? 0 : -ENODATA;
fail:
	if (d)
		fclose(d);
	if (v)
		fclose(v);
	return -errno;
}

static int write_samples(const struct run *run, const char *dir, const char *out)
{
	const struct cfg *b = run->baseline;
	char path[PATH_MAX];
	size_t i, k, x = 0;
	FILE *d, *v;

	d = open_in(dir, "samples.dat");
	v = open_in(dir, "samples.vars.gp");
	if (!d || !v)
		goto fail;
	fprintf(v, "datafile = ");
	gp_str(v, path_join(path, sizeof(path), dir, "samples.dat"));
	fprintf(v, "\noutbase = ");
	gp_str(v, path_join(path, sizeof(path), out, "samples"));
	fprintf(v, "\nylabel_text = ");
	{
		char t[160], u[64];

		snprintf(t, sizeof(t), "%s (%s)", fmt_title(run->metric.name, u, sizeof(u)),
			 run->metric.unit);
		gp_str(v, t);
	}
	fprintf(v, "\nbase_mean = %.6g\nbase_sd = %.6g\nset xtics (",
		isfinite(b->value.mean) ? b->value.mean : 0,
		isfinite(b->value.sd) ? b->value.sd : 0);
	/* Block 0: every sample, spread sideways by block so equal values stay visible. */
	for (i = 0; i < run->n_cfgs; i++) {
		const struct cfg *c = &run->cfgs[i];

		if (!c->n_ok)
			continue;
		for (k = 0; k < c->n_ok; k++) {
			int blk = c->ok[k]->block >= 0 ? c->ok[k]->block : (int)k;

			fprintf(d, "%g %g\n", x + ((blk % 9) - 4) * 0.04, c->ok[k]->value);
		}
		fprintf(v, "%s", x ? ", " : "");
		gp_str(v, c->name);
		fprintf(v, " %zu", x);
		x++;
	}
	fprintf(d, "\n\n");
	for (i = 0, x = 0; i < run->n_cfgs; i++) {
		const struct cfg *c = &run->cfgs[i];

		if (!c->n_ok)
			continue;
		fprintf(d, "%g %g %g\n", x + 0.3, c->value.mean,
			isfinite(c->value.sd) ? c->value.sd : 0);
		x++;
	}
	fprintf(v, ")\nncfg = %zu\n", x);
	if (fclose(d) | fclose(v))
		return -EIO;
	return 0;
fail:
	if (d)
		fclose(d);
	if (v)
		fclose(v);
	return -errno;
}

static int run_gnuplot(const char *vars, const char *script)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execlp("gnuplot", "gnuplot", vars, script, (char *)NULL);
		fprintf(stderr, "bpfcost-report: cannot run gnuplot: %s\n", strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

static int plot_one(const char *name, const char *data, const char *scripts)
{
	char vars[PATH_MAX], script[PATH_MAX];
	int err;

	snprintf(vars, sizeof(vars), "%s/%s.vars.gp", data, name);
	snprintf(script, sizeof(script), "%s/%s.gp", scripts, name);
	if (access(script, R_OK)) {
		fprintf(stderr, "bpfcost-report: gnuplot script %s not found\n", script);
		return -ENOENT;
	}
	err = run_gnuplot(vars, script);
	if (err)
		fprintf(stderr, "bpfcost-report: gnuplot %s failed\n", script);
	return err;
}

int plot_write(const struct run *run, const char *outdir, const char *scriptdir)
{
	char data[PATH_MAX];
	int err;

	snprintf(data, sizeof(data), "%s/plot", outdir);
	if (mkdir(data, 0755) && errno != EEXIST)
		return -errno;
	err = write_impact(run, data, outdir);
	if (err == -ENODATA) {
		fprintf(stderr, "bpfcost-report: no configuration besides baseline to plot\n");
		err = 0;
	} else if (!err) {
		err = plot_one("impact", data, scriptdir);
	}
	if (!err)
		err = write_samples(run, data, outdir);
	if (!err)
		err = plot_one("samples", data, scriptdir);
	return err;
}
