// SPDX-License-Identifier: GPL-2.0
/*
 * A known-cost row against its twin set to 0: tp-spin@spin_ns=20000 minus
 * tp-spin@spin_ns=0 is the set cost alone, the attach's own cost left out.
 * By hand arithmetic on a latency run written here.
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

static char dir[] = "/tmp/bpfcost-test-spin-twin-XXXXXX";

static void rec(FILE *f, const char *config, long spin_ns, int block, double us)
{
	fprintf(f,
		"{\"config\":\"%s\",\"attach\":%s,\"probe\":%s,\"stats\":false,\"block\":%d,"
		"\"sample\":%d,\"order\":0,\"rtt_p50_us\":%g,\"round_trips\":5000%s",
		config, spin_ns < 0 ? "null" : "\"tp\"", spin_ns < 0 ? "null" : "\"spin\"", block,
		block + 1, us, spin_ns < 0 ? "" : ",\"known_cost_setting\":\"spin_ns\"");
	if (spin_ns >= 0)
		fprintf(f, ",\"spin_ns\":%ld", spin_ns);
	fprintf(f, ",\"metric\":{\"name\":\"p50 round trip\",\"field\":\"rtt_p50_us\","
		   "\"unit\":\"us\",\"scale\":1,\"higher_is_better\":false,"
		   "\"event\":\"message\",\"clock\":\"real\"}}\n");
}

/*
 * Six blocks: baseline 250 us; the spin program set to 0 costs 20 us by itself
 * (the attach under an emulator), set to 20000 ns 20 us more; a spin row of
 * another probe setting and a lone spin row have no twin.
 */
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
		rec(f, "baseline", -1, b, 250 + jitter[b]);
		rec(f, "tp-spin@spin_ns=0", 0, b, 270 + jitter[(b + 1) % 6]);
		rec(f, "tp-spin@spin_ns=20000", 20000, b, 290 + jitter[(b + 3) % 6]);
		rec(f, "raw_tp-spin@spin_ns=20000", 20000, b, 280 + jitter[b]);
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
		fail_msg("no row %s in the run", name);
	return c;
}

/* Means: 290.0167 - 270.0167 = 20 us exactly (the same jitter, shifted), Welch's CI around it. */
static void test_twin_difference_by_hand(void **state)
{
	struct run run;
	const struct row_stats *spin, *lone;

	(void)state;
	analyse(&run, EST_MEAN);
	spin = row(&run, "tp-spin@spin_ns=20000");
	if (spin->spin_zero != row(&run, "tp-spin@spin_ns=0"))
		fail_msg("tp-spin@spin_ns=20000's twin: %s; expected tp-spin@spin_ns=0",
			 spin->spin_zero ? spin->spin_zero->name : "none");
	assert_near(spin->spin_alone, 20.0, 1e-9);
	if (!(spin->spin_alone_lo < 20 && spin->spin_alone_hi > 20 && spin->spin_alone_lo > 19))
		fail_msg("CI [%g, %g]; expected around 20 and narrower than 1 us",
			 spin->spin_alone_lo, spin->spin_alone_hi);
	/* Against the baseline the attach's 20 us is in it too. */
	assert_near(spin->diff, 40.0, 1e-9);
	lone = row(&run, "raw_tp-spin@spin_ns=20000");
	if (lone->spin_zero || !isnan(lone->spin_alone))
		fail_msg("raw_tp-spin@spin_ns=20000 has no twin in the run; got %s, %g",
			 lone->spin_zero ? lone->spin_zero->name : "none", lone->spin_alone);
	assert_null(row(&run, "tp-spin@spin_ns=0")->spin_zero);
	run_free(&run);
}

/* The robust estimator: the Hodges-Lehmann shift of the two rows, 20 us. */
static void test_twin_difference_robust(void **state)
{
	struct run run;

	(void)state;
	analyse(&run, EST_ROBUST);
	assert_near(row(&run, "tp-spin@spin_ns=20000")->spin_alone, 20.0, 1e-9);
	run_free(&run);
}

/* The notes say it in the unit and in ns against the set cost, and whether the CI excludes 0. */
static void test_twin_note(void **state)
{
	struct notes notes = { 0 };
	struct run run;
	size_t i;
	bool found = false;

	(void)state;
	analyse(&run, EST_MEAN);
	assert_int_equal(notes_build(&run, &notes), 0);
	for (i = 0; i < notes.n; i++) {
		if (!strstr(notes.v[i], "minus tp-spin@spin_ns=0"))
			continue;
		found = true;
		assert_contains(notes.v[i], "tp-spin@spin_ns=20000 minus tp-spin@spin_ns=0");
		assert_contains(notes.v[i], "+20.0 us");
		assert_contains(notes.v[i], "+20000 ns (1.00x set)");
		assert_contains(notes.v[i], "its 95% CI excludes 0");
	}
	if (!found)
		fail_msg("no note line on tp-spin@spin_ns=20000 minus its twin among %zu", notes.n);
	/* The ladder is fitted in ns, as spin_ns, not in the metric's us. */
	for (i = 0; i < notes.n && !strstr(notes.v[i], "Spin ladder"); i++)
		;
	if (i == notes.n)
		fail_msg("no spin ladder line among %zu notes; expected one over 3 rows", notes.n);
	assert_contains(notes.v[i], "ns over 3 rows");
	notes_free(&notes);
	run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twin_difference_by_hand),
		cmocka_unit_test(test_twin_difference_robust),
		cmocka_unit_test(test_twin_note),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
