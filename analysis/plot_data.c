// SPDX-License-Identifier: GPL-2.0
/*
 * The data files a plot is made from, written into the private folder:
 * every string from the records is a column of a data file, never script.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/fmt.h"
#include "analysis/plot_data.h"
#include "analysis/report.h"

#define MAX_SERIES 64

/* Colours by probe; stats on/off is told apart by open/filled markers instead. */
static const char *const palette[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
};

/* Constants of ours only: a quote is doubled all the same. */
void gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/*
 * One tab-separated data field: a tab, line break, quote or control byte could
 * only shift the columns, but none survives anyway. Data is never evaluated.
 */
void gp_field(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = *s;

		fputc(c < 0x20 || c >= 0x7f || c == '"' ? '?' : c, f);
	}
}

/* A tic label is a format for gnuplot's gprintf(): a '%' in a name is doubled. */
void gp_tic_field(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '%')
			fputc('%', f);
		gp_field(f, (char[]){ *s, '\0' });
	}
}

static FILE *gp_open(struct gpfile *g, int dfd, const char *name)
{
	g->open = outfile_open(&g->o, dfd, name) != NULL;
	return g->open ? g->o.f : NULL;
}

static int gp_close(struct gpfile *g)
{
	if (!g->open)
		return -EIO;
	g->open = false;
	return outfile_close(&g->o);
}

static void gp_abort(struct gpfile *g)
{
	if (g->open)
		outfile_abort(&g->o);
	g->open = false;
}

/* The mechanism every plotted row of an attach type agreed on, or NULL. */
static const char *group_mechanism(const struct run *run, const char *attach)
{
	const char *m = NULL;

	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];

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

static bool plottable(const struct run *run, const struct row_stats *c)
{
	return c != run->baseline && c->n_ok && isfinite(shown(run, c->impact_pct, c->diff));
}

/* Output file base: bitrate.{png,svg,pdf} for the flood, as ever; cost.* for a cost. */
const char *plot_impact_base(const struct run *run)
{
	return plot_percent(run) ? "bitrate" : "cost";
}

/* Distinct strings in table order, which is already sorted by attach then probe. */
static size_t distinct(const struct run *run, size_t off, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];
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

const char *const plot_file_suffix[F_MAX] = { ".vars.gp", ".dat", ".labels", ".series", ".groups" };

int plot_files_open(struct plotfiles *p, int tfd, const char *plot, int n)
{
	char name[64];

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%s", plot, plot_file_suffix[i]);
		p->f[i] = gp_open(&p->g[i], tfd, name);
		if (!p->f[i])
			return -errno;
	}
	return 0;
}

int plot_files_close(struct plotfiles *p, int err)
{
	for (int i = 0; i < F_MAX; i++) {
		if (err)
			gp_abort(&p->g[i]);
		else if (p->g[i].open && gp_close(&p->g[i]))
			err = -EIO;
	}
	return err;
}

int plot_write_impact(const struct run *run, int tfd)
{
	const char *groups[MAX_SERIES], *probes[MAX_SERIES];
	struct plotfiles pf;
	size_t ng, np, s, ns = 0;
	FILE *d, *v, *l;
	int err;

	ng = distinct(run, offsetof(struct row_stats, attach), groups, MAX_SERIES);
	np = distinct(run, offsetof(struct row_stats, probe), probes, MAX_SERIES);
	qsort(probes, np, sizeof(*probes), str_cmp);
	err = plot_files_open(&pf, tfd, "impact", F_MAX);
	if (err)
		return plot_files_close(&pf, err);
	v = pf.f[F_VARS];
	d = pf.f[F_DAT];
	l = pf.f[F_LABELS];
	fprintf(v, "outbase = ");
	gp_str(v, plot_impact_base(run));
	{
		double mde = shown(run, run->mde_pct, run->mde_abs);
		char t[320];

		fprintf(v, "\nngroups = %zu\nmde = %.6g\nbase_mean = %.6g\nbase_n = %zu\n", ng,
			isfinite(mde) ? mde : -1,
			isfinite(run->baseline->value.mean) ? run->baseline->value.mean : 0,
			run->baseline->value.n);
		/* impact.labels, one per line: title1, ylabel_text, unit, base_unit, worse */
		snprintf(t, sizeof(t), "Cost of an attached BPF program on %s (%s)",
			 run->metric.name, run->metric.clock);
		gp_field(l, t);
		snprintf(t, sizeof(t), "%s vs baseline (%s)",
			 plot_percent(run) ? "change" : "added cost", run->metric.unit);
		fputc('\n', l);
		gp_field(l, plot_percent(run) ? "change vs baseline (%)" : t);
		fputc('\n', l);
		gp_field(l, plot_percent(run) ? "%" : run->metric.unit);
		fputc('\n', l);
		gp_field(l, run->metric.unit);
		fputc('\n', l);
		gp_field(l,
			 run->metric.higher_is_better ? "below 0 = slower" : "above 0 = costlier");
		fputc('\n', l);
	}
	fprintf(v, "array scolor[%zu]\narray spt[%zu]\n", 2 * np + 1, 2 * np + 1);
	/* One data block per (probe, stats) series, points spread within each attach group. */
	for (size_t p = 0; p < np; p++) {
		for (int st = 0; st < 2; st++) {
			bool any = false;

			for (size_t i = 0; i < run->n_rows; i++) {
				const struct row_stats *c = &run->rows[i];
				size_t g = index_of(groups, ng, c->attach);
				double x, y, lo, hi;

				if (!plottable(run, c) || c->stats != st ||
				    strcmp(c->probe, probes[p]))
					continue;
				x = g + ((double)(2 * p + st) + 0.5) / (2.0 * np) * 0.8 - 0.4;
				y = shown(run, c->impact_pct, c->diff);
				lo = shown(run, c->impact_lo, c->diff_lo);
				hi = shown(run, c->impact_hi, c->diff_hi);
				fprintf(d, "%g\t%g\t%g\t%g\n", x, y, isfinite(lo) ? lo : y,
					isfinite(hi) ? hi : y);
				any = true;
			}
			if (!any)
				continue;
			fprintf(d, "\n\n");
			ns++;
			fprintf(pf.f[F_SERIES], "probe ");
			gp_field(pf.f[F_SERIES], probes[p]);
			fprintf(pf.f[F_SERIES], ", BPF stats %s\n", st ? "on" : "off");
			fprintf(v, "scolor[%zu] = '%s'\nspt[%zu] = %d\n", ns,
				palette[p % (sizeof(palette) / sizeof(palette[0]))], ns,
				st ? 6 : 7);
		}
	}
	fprintf(v, "nseries = %zu\n", ns);
	/* impact.groups: position, attach type, whether a mechanism follows, the mechanism */
	for (s = 0; s < ng; s++) {
		const char *m = group_mechanism(run, groups[s]);

		fprintf(pf.f[F_GROUPS], "%zu\t", s);
		gp_tic_field(pf.f[F_GROUPS], groups[s]);
		fprintf(pf.f[F_GROUPS], "\t%d\t", m != NULL);
		gp_tic_field(pf.f[F_GROUPS], m ? m : "none");
		fputc('\n', pf.f[F_GROUPS]);
	}
	for (s = 1; s < ng; s++)
		fprintf(v,
			"set arrow from first %g, graph 0 to first %g, graph 1 nohead "
			"lc rgb '#c0c0c0' back\n",
			s - 0.5, s - 0.5);
	err = plot_files_close(&pf, 0);
	return err ? err : ns ? 0 : -ENODATA;
}

int plot_write_samples(const struct run *run, int tfd)
{
	const struct row_stats *b = run->baseline;
	struct plotfiles pf;
	size_t i, k, x = 0;
	FILE *d, *v;
	char t[160], u[64];
	int err;

	err = plot_files_open(&pf, tfd, "samples", F_LABELS + 1);
	if (err)
		return plot_files_close(&pf, err);
	v = pf.f[F_VARS];
	d = pf.f[F_DAT];
	fprintf(v, "outbase = ");
	gp_str(v, "samples");
	/* samples.labels: ylabel_text */
	snprintf(t, sizeof(t), "%s (%s)", fmt_title(run->metric.name, u, sizeof(u)),
		 run->metric.unit);
	gp_field(pf.f[F_LABELS], t);
	fputc('\n', pf.f[F_LABELS]);
	fprintf(v, "\nbase_mean = %.6g\nbase_sd = %.6g\n",
		isfinite(b->value.mean) ? b->value.mean : 0,
		isfinite(b->value.sd) ? b->value.sd : 0);
	/* Block 0: every sample, spread sideways by block so equal values stay visible. */
	for (i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];

		if (!c->n_ok)
			continue;
		for (k = 0; k < c->n_ok; k++) {
			int blk = c->ok[k]->block >= 0 ? c->ok[k]->block : (int)k;

			fprintf(d, "%g\t%g\n", x + ((blk % 9) - 4) * 0.04, c->ok[k]->value);
		}
		x++;
	}
	/* Block 1: each configuration's mean and sd, its name the tic label. */
	fprintf(d, "\n\n");
	for (i = 0, x = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];

		if (!c->n_ok)
			continue;
		fprintf(d, "%g\t%g\t%g\t", x + 0.3, c->value.mean,
			isfinite(c->value.sd) ? c->value.sd : 0);
		gp_tic_field(d, c->name);
		fputc('\n', d);
		x++;
	}
	fprintf(v, "ncfg = %zu\n", x);
	return plot_files_close(&pf, 0);
}
