// SPDX-License-Identifier: GPL-2.0
/*
 * The per-call benchmarks: host tp vs raw_tp (1), the guest's instruction
 * clock run twice (2), and the spin ladders' fitted slopes (3).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/run.h"
#include "experiments/bench.h"

/* The Hodges-Lehmann shift of @a over @b with its 95% CI (the report's robust estimator). */
static void print_shift(const struct row_stats *a, const struct row_stats *b)
{
	size_t m, n;
	/* the analysed values: normalised when the run is */
	double *x = row_values(a, &m), *y = row_values(b, &n);
	struct shift sh;

	if (x && y && !stats_hodges_lehmann(x, m, y, n, ALPHA, &sh))
		printf("     robust: Hodges-Lehmann %+.2f ns/call, 95%% CI [%+.2f, %+.2f], "
		       "half-width %.2f ns\n",
		       sh.est, sh.lo, sh.hi, (sh.hi - sh.lo) / 2);
	free(x);
	free(y);
}

/* tp-null - raw_tp-null of one host run: its 95% CI, Welch and robust. */
static int host_difference(const char *what, const struct run *run, double secs)
{
	const struct row_stats *tp = run_find_row(run, "tp-null");
	const struct row_stats *raw = run_find_row(run, "raw_tp-null");
	struct welch w;

	printf("   %s: %.0f s, N=%zu, %s\n", what, secs, run->baseline->value.n,
	       run->normalised ? "normalised" : "raw times");
	if (!tp || !raw || stats_welch(&tp->value, &raw->value, &w)) {
		printf("     tp-null or raw_tp-null has too few samples\n");
		return -1;
	}
	printf("     baseline %.1f ns/call, tp-null %+.1f, raw_tp-null %+.1f\n",
	       run->baseline->value.mean, tp->diff, raw->diff);
	printf("     tp-null - raw_tp-null = %+.2f ns/call, Welch 95%% CI [%+.2f, %+.2f], "
	       "half-width %.2f ns, wall time %.0f s\n",
	       w.diff, w.ci_lo, w.ci_hi, (w.ci_hi - w.ci_lo) / 2, secs);
	print_shift(tp, raw);
	return 0;
}

/*
 * The per-call defaults before issue 19 (200,000 calls a sample, mean time
 * per call, no reference, N as given) and today's (nothing given: the
 * workload's DURATION, getppid reference, median of rounds, default N), one
 * after the other in one go: the half-width of tp-null - raw_tp-null and the
 * wall time of each.
 */
int bench_host(const char *n)
{
	static const char *const rows[] = { "baseline", "tp-null", "raw_tp-null", NULL };
	char matrix[PATH_MAX];
	char *old[] = { "--target", "host",  "--workload", "trigger",	"-m",
			matrix,	    "-n",    (char *)n,	   "--arg",	"calls=200000",
			"--arg",    "ref=0", "--arg",	   "stat=mean", NULL };
	char *now[] = { "--target", "host", "--workload", "trigger", "-m", matrix, NULL };
	double secs[2];
	struct run run[2];
	int err = 0;

	snprintf(matrix, sizeof(matrix), "%s/host-tp-rawtp.matrix", bench_out_root);
	mkdir(bench_out_root, 0755);
	if (bench_write_matrix(matrix, rows))
		return -1;
	if (bench_measure("host-tp-vs-rawtp-old", old, &run[0], &secs[0]))
		return -1;
	if (bench_measure("host-tp-vs-rawtp-defaults", now, &run[1], &secs[1])) {
		run_free(&run[0]);
		return -1;
	}
	printf("1. host, real time, tp-null vs raw_tp-null:\n");
	err |= host_difference("before (calls=200000, mean, no reference)", &run[0], secs[0]);
	err |= host_difference("defaults", &run[1], secs[1]);
	run_free(&run[0]);
	run_free(&run[1]);
	return err;
}

int bench_guest(const char *n)
{
	char *extra[] = { "--workload", "trigger", "--clock", "instructions", "-m", "all",
			  "-n",		(char *)n, NULL };
	double secs[2], worst = 0;
	const char *worst_name = "";
	struct run a, b;

	if (bench_measure("guest-all-1", extra, &a, &secs[0]))
		return -1;
	if (bench_measure("guest-all-2", extra, &b, &secs[1])) {
		run_free(&a);
		return -1;
	}
	printf("2. guest, instruction clock, MATRIX=all twice, N=%s: %.0f s and %.0f s\n", n,
	       secs[0], secs[1]);
	for (size_t i = 0; i < a.n_rows; i++) {
		const struct row_stats *ca = &a.rows[i], *cb = run_find_row(&b, ca->name);
		double rel;

		if (!cb || !ca->value.n || !cb->value.n)
			continue;
		rel = fabs(ca->value.mean - cb->value.mean) / ca->value.mean * 100;
		if (rel > worst) {
			worst = rel;
			worst_name = ca->name;
		}
		printf("   %-24s %9.2f %9.2f  %.3f%%\n", ca->name, ca->value.mean, cb->value.mean,
		       rel);
	}
	printf("   largest difference between the runs: %.3f%% (%s)\n", worst, worst_name);
	run_free(&a);
	run_free(&b);
	return 0;
}

static void print_ladder(const char *what, const struct run *run, const struct ladder *l,
			 double secs)
{
	printf("   %s (%.0f s): slope %.3f [%.3f, %.3f], intercept %+.1f [%+.1f, %+.1f] %s over "
	       "%zu rows\n",
	       what, secs, l->slope, l->slope_lo, l->slope_hi, l->icept, l->icept_lo, l->icept_hi,
	       run->metric.unit, l->rows);
}

/* The spin rows' set and measured added costs, raw and (if the run is) normalised. */
static void print_spin_rows(const struct run *run)
{
	for (size_t i = 0; i < run->n_rows; i++)
		if (isfinite(run->rows[i].spin_ns))
			printf("     %-24s set %4.0f  measured %+8.1f raw, %+8.1f\n",
			       run->rows[i].name, run->rows[i].spin_ns, run->rows[i].raw_diff,
			       run_spin_added(run, &run->rows[i]));
}

/* The host ladder with the per-call defaults: fitted on raw times, normalised beside. */
int bench_ladders(const char *n)
{
	char *host[] = { "--target",	"host", "--workload", "trigger", "-m",
			 "spin-ladder", "-n",	(char *)n,    NULL };
	char *guest[] = { "--workload", "trigger", "--clock", "instructions", "-m", "spin-ladder",
			  "-n",		"2",	   NULL };
	double secs;
	struct run run;
	int err = 0;

	printf("3. spin ladders (spin_ns 0, 50, 100, 200, 400, 800):\n");
	if (!bench_measure("host-spin-ladder", host, &run, &secs)) {
		print_ladder("host, real time, raw times", &run, &run.ladder, secs);
		if (run.normalised)
			print_ladder("host, real time, normalised", &run, &run.ladder_normalised,
				     secs);
		print_spin_rows(&run);
		run_free(&run);
	} else {
		err = -1;
	}
	if (!bench_measure("guest-spin-ladder", guest, &run, &secs)) {
		print_ladder("guest, instruction clock", &run, &run.ladder, secs);
		print_spin_rows(&run);
		run_free(&run);
	} else {
		err = -1;
	}
	return err;
}
