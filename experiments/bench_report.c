// SPDX-License-Identifier: GPL-2.0
/* bpfcost-report's time on 20,000 and 80,000 generated records (5): it must scale linearly. */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "experiments/bench.h"
#include "loader/bpfcost.h"
#include "loader/clock.h"

/* @n records of 10 configurations in @dir/samples.jsonl, as the runner writes them. */
static int write_records(const char *dir, long n)
{
	static const char *const rows[][2] = {
		{ "baseline", NULL },	    { "tp-null", "tp" },
		{ "tp-map", "tp" },	    { "kprobe-null", "kprobe" },
		{ "kprobe-map", "kprobe" }, { "fentry-null", "fentry" },
		{ "fentry-map", "fentry" }, { "raw_tp-null", "raw_tp" },
		{ "fexit-null", "fexit" },  { "tp-null-stat", "tp" },
	};
	char path[PATH_MAX];
	unsigned int seed = 1;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/samples.jsonl", dir) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "w");
	if (!f)
		return -1;
	for (long i = 0; i < n; i++) {
		const char *const *c = rows[i % 10];
		double v = 1.8e7 * (1 - 0.01 * (i % 10)) + (rand_r(&seed) % 2000000) - 1e6;

		fprintf(f, "{\"config\":\"%s\",", c[0]);
		if (c[1])
			fprintf(f, "\"attach\":\"%s\",\"probe\":\"%s\",\"hits_per_packet\":1,",
				c[1], strstr(c[0], "map") ? "map" : "null");
		fprintf(f,
			"\"stats\":%s,\"block\":%ld,\"sample\":%ld,\"order\":%ld,\"rx_bps\":%.1f,"
			"\"rx_bytes\":%.1f,\"rx_packets\":%.1f,\"lost_percent\":0.5,"
			"\"duration_s\":10,\"cpu_host_percent\":80,\"cpu_remote_percent\":95,"
			"\"time\":\"2026-01-01T00:00:00Z\"}\n",
			strstr(c[0], "-stat") ? "true" : "false", i / 10, i / 10 + 1, i % 10, v,
			v * 10 / 8, v * 10 / 8 / 64);
	}
	return fclose(f);
}

/* Seconds bpfcost-report took on the folder @dir, or NAN; @plots: gnuplot included. */
static double time_report(const char *dir, bool plots)
{
	char tool[PATH_MAX];
	char *argv[] = { tool, "-q", (char *)dir, plots ? NULL : "--no-plots", NULL };
	double t0;

	snprintf(tool, sizeof(tool), "%s/bpfcost-report", bpfcost_exe_dir());
	t0 = bpfcost_now();
	if (bench_run_tool(argv))
		return NAN;
	return bpfcost_now() - t0;
}

/*
 * 5. bpfcost-report on 20,000 and 80,000 records in one run, alternating, the
 * best of three each (the machine is shared): whole report, and without the
 * plots (loading and analysis, which used to be quadratic).
 */
int bench_report(const char *n)
{
	static const long sizes[2] = { 20000, 80000 };
	char root[] = "/tmp/bpfcost-bench-report.XXXXXX", dir[2][PATH_MAX];
	char *rm[] = { "rm", "-rf", root, NULL };
	double best[2][2] = { { INFINITY, INFINITY }, { INFINITY, INFINITY } };
	int err = 0;

	(void)n; /* the sizes are the benchmark */
	if (!mkdtemp(root))
		return -1;
	for (int k = 0; k < 2 && !err; k++) {
		snprintf(dir[k], sizeof(dir[k]), "%s/records-%ld", root, sizes[k]);
		err = mkdir(dir[k], 0700) || write_records(dir[k], sizes[k]);
	}
	for (int round = 0; round < 3 && !err; round++)
		for (int k = 0; k < 2; k++)
			for (int plots = 0; plots < 2; plots++)
				best[k][plots] = fmin(best[k][plots], time_report(dir[k], plots));
	bench_run_tool(rm);
	if (err)
		return -1;
	printf("5. bpfcost-report, best of 3, 20,000 vs 80,000 records (4x; linear is about "
	       "4x, the bound 5x):\n");
	printf("   whole report, plots included: %.2f s vs %.2f s: %.2fx\n", best[0][1], best[1][1],
	       best[1][1] / best[0][1]);
	printf("   without plots (load, analyse, tables): %.2f s vs %.2f s: %.2fx\n", best[0][0],
	       best[1][0], best[1][0] / best[0][0]);
	return isfinite(best[1][1]) && isfinite(best[1][0]) ? 0 : -1;
}
