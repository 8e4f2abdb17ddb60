// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-bench: the per-call mode's benchmarks, each run side by side in one
 * go and printed as figures (not a timed test: these machines are shared).
 *
 *  1. host, real time: tp-null vs raw_tp-null, the difference and its 95% CI
 *     half-width and the wall time, with the per-call defaults before issue
 *     19 (200,000 calls, mean, no reference) and with today's, one after the
 *     other;
 *  2. guest, instruction clock: MATRIX=all twice; the largest relative
 *     difference of any row's mean between the two runs, and each run's time;
 *  3. spin ladders: host (real time, the defaults: fitted on raw times, the
 *     normalised fit beside it) and guest (instructions): the fitted slope of
 *     measured against set cost, with its 95% CI;
 *  4. the flood: default (-b 1G per stream) against calibrated offered load,
 *     baseline samples alternating in one guest; the CV of each;
 *  5. the report: bpfcost-report on 20,000 and on 80,000 generated records,
 *     plots included, one after the other; loading must scale linearly;
 *  6. disturbance: the same host-target flood run twice, the second with a
 *     CPU hog on every host CPU for a stretch in its middle; each run's MDE
 *     with the robust and the mean estimator, and how many samples were
 *     marked disturbed and redone.
 *
 * Usage: bpfcost-bench [--only host|guest|ladder|flood|report|disturb] [-n N] [-o DIR]
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "experiments/bench.h"
#include "loader/bpfcost.h"
#include "loader/cli_opts.h"

/* The benchmarks in the order they run; one row each. */
static const struct bench {
	const char *name;
	int (*run)(const char *n);
	const char *n_all; /* -n when all of them run (a shorter run); NULL: -n as given */
} benches[] = {
	{ "host", bench_host, NULL },	   { "guest", bench_guest, "2" },
	{ "ladder", bench_ladders, "5" },  { "flood", bench_flood, NULL },
	{ "disturb", bench_disturb, "8" }, { "report", bench_report, NULL },
};

#define N_BENCHES (sizeof(benches) / sizeof(benches[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: bpfcost-bench [--only ");
	for (size_t i = 0; i < N_BENCHES; i++)
		fprintf(f, "%s%s", i ? "|" : "", benches[i].name);
	fprintf(f, "] [-n N] [-o DIR]\n");
}

int main(int argc, char **argv)
{
	const char *only = NULL, *n = "10";
	bool known = false;
	int c, err = 0;

	while ((c = cli_getopt(argc, argv, "only/O: samples|n: out|o: help|h")) != -1) {
		if (c == 'O') {
			only = optarg;
		} else if (c == 'n') {
			n = optarg;
		} else if (c == 'o') {
			bench_out_root = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return BPFCOST_EXIT_USAGE;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < N_BENCHES; i++) {
		if (only && strcmp(only, benches[i].name))
			continue;
		known = true;
		err |= benches[i].run(!only && benches[i].n_all ? benches[i].n_all : n);
	}
	if (!known) {
		usage(stderr);
		return BPFCOST_EXIT_USAGE;
	}
	return err ? BPFCOST_EXIT_FAILURE : BPFCOST_EXIT_OK;
}
