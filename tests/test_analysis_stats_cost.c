// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of BPF stats: each -stat row against its stats-off twin (same attach,
 * probe and @settings), by hand arithmetic on a per-call run written here.
 */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/report.h"
#include "testlib.h"

static char dir[] = "/tmp/bpfcost-test-stats-cost-XXXXXX";

static void rec(FILE *f, const char *config, const char *attach, bool stats, int block, double ns)
{
	fprintf(f,
		"{\"config\":\"%s\",\"attach\":%s%s%s,\"probe\":%s,\"stats\":%s,\"block\":%d,"
		"\"sample\":%d,\"order\":0,\"ns_per_call\":%g,\"calls\":1000,"
		"\"metric\":{\"name\":\"time per call\",\"field\":\"ns_per_call\","
		"\"unit\":\"ns/call\",\"scale\":1,\"higher_is_better\":false,\"event\":\"call\","
		"\"clock\":\"real\"}}\n",
		config, attach ? "\"" : "", attach ? attach : "null", attach ? "\"" : "",
		attach ? "\"null\"" : "null", stats ? "true" : "false", block, block + 1, ns);
}

/* Six blocks: baseline 100 ns, tp-null 150, tp-null-stat 20 ns more, raw_tp-null-stat alone. */
static int setup(void **state)
{
	static const double jitter[6] = { 0, 0.5, -0.5, 0.25, -0.25, 0.1 };
	char path[PATH_MAX];
	FILE *f;
	int b;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	for (b = 0; b < 6; b++) {
		rec(f, "baseline", NULL, false, b, 100 + jitter[b]);
		rec(f, "tp-null", "tp", false, b, 150 + jitter[b]);
		rec(f, "tp-null-stat", "tp", true, b, 170 + jitter[(b + 3) % 6]);
		rec(f, "raw_tp-null-stat", "raw_tp", true, b, 130 + jitter[b]);
	}
	return fclose(f);
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", dir, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

static void analyse(struct run *run, enum estimator est)
{
	memset(run, 0, sizeof(*run));
	assert_int_equal(run_load(run, dir, stderr), 0);
	run->estimator = est;
	assert_int_equal(run_analyse(run), 0);
}

static const struct row_stats *row(const struct run *run, const char *name)
{
	const struct row_stats *c = run_find_row(run, name);

	if (!c)
		fail_msg("no row %s", name);
	return c;
}

static void check_pair(enum estimator est)
{
	const struct row_stats *on, *off, *lone;
	struct run run;

	analyse(&run, est);
	on = row(&run, "tp-null-stat");
	off = row(&run, "tp-null");
	lone = row(&run, "raw_tp-null-stat");
	if (on->stats_off != off)
		fail_msg("tp-null-stat's twin: %s, expected tp-null",
			 on->stats_off ? on->stats_off->name : "none");
	/* Same jitter, shifted blocks: the shift is exactly 20 ns either way. */
	assert_near(on->stats_cost, 20, 1e-9);
	assert_double_in_range(20, on->stats_cost_lo, on->stats_cost_hi);
	assert_double_in_range(on->stats_cost_lo, 18, 20);
	assert_double_in_range(on->stats_cost_hi, 20, 22);
	/* 20 ns of the baseline's centre: median 100.05, mean 100 + 0.1/6 */
	assert_near(on->stats_cost_pct, 2000 / (est == EST_MEAN ? 100 + 0.1 / 6 : 100.05), 1e-9);
	/*
	 * One pair in the Holm family. Mann-Whitney's exact p for 6 against 6
	 * wholly apart is 2/C(12,6) = 0.0022 (**); Welch's t is over 50 (***).
	 */
	assert_near(on->stats_cost_p_holm, est == EST_MEAN ? on->stats_cost_p : 2.0 / 924, 1e-9);
	assert_string_equal(on->stats_cost_sig, est == EST_MEAN ? "***" : "**");
	/* A stats-off row and a stats-on row without its twin carry no cost of stats. */
	assert_nan(off->stats_cost);
	assert_nan(lone->stats_cost);
	assert_null(lone->stats_off);
	assert_string_equal(lone->stats_cost_sig, "");
	assert_nan(on->stats_cost_ns_per_pkt);
	run_free(&run);
}

static void test_stats_cost_robust(void **state)
{
	(void)state;
	check_pair(EST_ROBUST);
}

static void test_stats_cost_mean(void **state)
{
	(void)state;
	check_pair(EST_MEAN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_cost_robust),
		cmocka_unit_test(test_stats_cost_mean),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
