// SPDX-License-Identifier: GPL-2.0
/*
 * Plots: gnuplot runs in a private temporary folder (0700) on files of fixed
 * names: <plot>.vars.gp holds numbers and our own constants only, and every
 * string from the records (names, units, labels) reaches gnuplot as a column
 * of a data file (<plot>.labels, .series, .groups, .dat), never as script. No
 * path, not even the results folder's name, is in a script or in its argv.
 * The finished plots are then copied into the output folder by the safe
 * writer, and the data files into its plot/, so a reader can restyle a figure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/plot_data.h"
#include "analysis/report.h"
#include "loader/spawn.h"

/* Ctrl-C or a kill while plotting: gnuplot is stopped, the private folder removed, then we die. */
static volatile sig_atomic_t plot_stop;
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define N_STOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static void on_stop(int sig)
{
	plot_stop = sig;
}

/* Our own script, copied in: gnuplot's argv names only files of the private folder. */
static int copy_script(int tfd, const char *scripts, const char *name)
{
	char path[PATH_MAX], *text;
	size_t len;
	int err;

	if (snprintf(path, sizeof(path), "%s/%s", scripts, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	err = infile_read(AT_FDCWD, path, 1 << 20, &text, &len);
	if (err) {
		fprintf(stderr, "bpfcost-report: gnuplot script %s: %s\n", path,
			infile_strerror(err));
		return err;
	}
	err = outfile_write(tfd, name, text, len);
	free(text);
	return err;
}

static int run_gnuplot(int tfd, const char *plot)
{
	char vars[64], script[64], why[64];
	char *argv[] = { "gnuplot", vars, script, NULL };
	struct spawn_opts o;
	int err;

	snprintf(vars, sizeof(vars), "%s.vars.gp", plot);
	snprintf(script, sizeof(script), "%s.gp", plot);
	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_INHERIT;
	o.cwd_fd = tfd;
	/* A figure takes seconds; a gnuplot stuck for minutes is killed, not waited for. */
	err = spawn_run_ok(argv, &o, 600, &plot_stop, why, sizeof(why));
	if (err && err != -EINTR)
		fprintf(stderr, "bpfcost-report: gnuplot %s: %s\n", script, why);
	return err;
}

/* Copy @from in the private folder to @to in @dfd, through the safe writer. */
static int publish(int tfd, const char *from, int dfd, const char *to)
{
	char *text;
	size_t len;
	int err = infile_read(tfd, from, (size_t)256 << 20, &text, &len);

	if (!err)
		err = outfile_write(dfd, to, text, len);
	free(text);
	if (err)
		fprintf(stderr, "bpfcost-report: cannot write %s: %s\n", to, infile_strerror(err));
	return err;
}

/* The screen and print forms; the paper figure only as a PDF (vector, fonts embedded). */
static const char *const all_forms[] = { ".png", ".svg", ".pdf", NULL };
static const char *const pdf_only[] = { ".pdf", NULL };

static int plot_one(int tfd, int outdfd, int plotdfd, const char *scripts, const char *plot,
		    const char *outbase, const char *const *ext)
{
	char from[64], to[64], name[64];
	int err;

	snprintf(name, sizeof(name), "%s.gp", plot);
	err = copy_script(tfd, scripts, name);
	if (!err)
		err = run_gnuplot(tfd, plot);
	for (size_t i = 0; !err && ext[i]; i++) {
		snprintf(from, sizeof(from), "%s%s", outbase, ext[i]);
		snprintf(to, sizeof(to), "%s%s", outbase, ext[i]);
		err = publish(tfd, from, outdfd, to);
	}
	/* The data beside the plots, for a reader who restyles them. */
	for (int i = 0; !err && i < F_MAX; i++) {
		snprintf(name, sizeof(name), "%s%s", plot, plot_file_suffix[i]);
		if (!faccessat(tfd, name, F_OK, AT_SYMLINK_NOFOLLOW))
			err = publish(tfd, name, plotdfd, name);
	}
	return err;
}

/* Empty the private folder (only we write there) and remove it. */
static void remove_private(int tfd, const char *path)
{
	DIR *d = fdopendir(dup(tfd));
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(tfd, e->d_name, 0);
	if (d)
		closedir(d);
	close(tfd);
	rmdir(path);
}

static int plot_all(const struct run *run, int tfd, int outdfd, int plotdfd, const char *scriptdir)
{
	int err = plot_write_impact(run, tfd);

	if (err == -ENODATA) {
		fprintf(stderr, "bpfcost-report: no configuration besides baseline to plot\n");
		err = 0;
	} else if (!err) {
		err = plot_stop ? -EINTR
				: plot_one(tfd, outdfd, plotdfd, scriptdir, "impact",
					   plot_impact_base(run), all_forms);
	}
	if (!err)
		err = plot_stop ? -EINTR : plot_write_samples(run, tfd);
	if (!err)
		err = plot_stop ? -EINTR
				: plot_one(tfd, outdfd, plotdfd, scriptdir, "samples", "samples",
					   all_forms);
	/* A latency run: its quantiles as a CDF with the tail on a log scale. */
	if (!err && plot_has_cdf(run)) {
		err = plot_stop ? -EINTR : plot_write_cdf(run, tfd);
		if (!err)
			err = plot_one(tfd, outdfd, plotdfd, scriptdir, "cdf", "latency-cdf",
				       all_forms);
		else if (err == -ENODATA)
			err = 0; /* no row has two quantiles: no figure */
	}
	if (!err)
		err = plot_stop ? -EINTR : plot_write_paper(run, tfd);
	if (!err)
		err = plot_stop ? -EINTR
				: plot_one(tfd, outdfd, plotdfd, scriptdir, "paper", "paper-figure",
					   pdf_only);
	else if (err == -ENODATA)
		err = 0; /* no plain row: the paper table says so; no figure */
	return err;
}

int plot_in_private(int (*fn)(int tfd, void *arg), void *arg)
{
	struct sigaction sa = { .sa_handler = on_stop }, old[N_STOP];
	char tmp[] = "/tmp/bpfcost-plot.XXXXXX";
	int tfd = -1, err;
	size_t i;

	plot_stop = 0;
	for (i = 0; i < N_STOP; i++)
		sigaction(stop_signals[i], &sa, &old[i]);
	if (!mkdtemp(tmp)) {
		err = -errno;
		goto out;
	}
	tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tfd < 0) {
		err = -errno;
		rmdir(tmp);
		goto out;
	}
	err = fn(tfd, arg);
	remove_private(tfd, tmp);
out:
	for (i = 0; i < N_STOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	/* The folder is gone: now end the way the signal asked. */
	if (plot_stop)
		raise(plot_stop);
	return err;
}

struct plot_args {
	const struct run *run;
	int outdfd, plotdfd;
	const char *scriptdir;
};

static int plot_all_private(int tfd, void *arg)
{
	const struct plot_args *a = arg;

	return plot_all(a->run, tfd, a->outdfd, a->plotdfd, a->scriptdir);
}

int plot_write(const struct run *run, int outdfd, const char *scriptdir)
{
	struct plot_args a = { run, outdfd, -1, scriptdir };
	int err;

	a.plotdfd = subdir_open(outdfd, "plot");
	if (a.plotdfd < 0) {
		fprintf(stderr, "bpfcost-report: cannot use plot/ in the output folder: %s\n",
			a.plotdfd == -ELOOP ? "a symbolic link (not followed)"
					    : strerror(-a.plotdfd));
		return a.plotdfd;
	}
	err = plot_in_private(plot_all_private, &a);
	close(a.plotdfd);
	return err;
}

int plot_gnuplot(int tfd, const char *scripts, const char *plot)
{
	char name[64];
	int err;

	snprintf(name, sizeof(name), "%s.gp", plot);
	err = plot_stop ? -EINTR : copy_script(tfd, scripts, name);
	return err ? err : run_gnuplot(tfd, plot);
}

int plot_copy_in(int tfd, const char *scripts, const char *name)
{
	return copy_script(tfd, scripts, name);
}

int plot_publish(int tfd, const char *from, int dfd, const char *to)
{
	return publish(tfd, from, dfd, to);
}

volatile sig_atomic_t *plot_stop_flag(void)
{
	return &plot_stop;
}
