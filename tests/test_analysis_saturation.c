// SPDX-License-Identifier: GPL-2.0
/*
 * The flood's detection limit assumes a saturated receiver, which loses
 * datagrams. Baseline samples that lost none took all they were offered (a
 * calibration made while other work slowed the target): when a quarter or more
 * did, the report warns and does not claim a detection limit. A baseline that
 * loses some in (almost) every sample keeps both.
 */
#include <limits.h>
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

/* A folder of 6 blocks of baseline and tp-null, block b at lost[b] percent loss; the table. */
static char *report_with_loss(const double lost[6])
{
	static const double base[6] = { 35.5, 35.4, 35.5, 35.6, 35.5, 35.4 };
	char dir[] = "/tmp/bpfcost-test-saturation-XXXXXX", path[PATH_MAX];
	char *argv[] = { "bpfcost-report", "-q", "--no-plots", dir, NULL };
	char *rm[] = { "rm", "-rf", dir, NULL };
	char out[64], err[256], *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_sys_ok(mkdtemp(dir) != NULL, dir);
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	for (int b = 0; b < 6; b++)
		for (int row = 0; row < 2; row++)
			fprintf(f,
				"{\"config\":\"%s\",%s\"stats\":false,\"block\":%d,\"sample\":%d,"
				"\"order\":%d,\"rx_bps\":%.0f,\"rx_packets\":%.0f,\"duration_s\":"
				"10,"
				"\"lost_percent\":%g,\"hits_per_event\":%s}\n",
				row ? "tp-null" : "baseline",
				row ? "\"attach\":\"tp\",\"probe\":\"null\","
				    : "\"attach\":null,\"probe\":null,",
				b, 2 * b + row + 1, row, base[b] * (row ? 0.97 : 1) * 1e6,
				base[b] * (row ? 0.97 : 1) * 1e6 / 512 * 10, lost[b],
				row ? "1" : "null");
	assert_int_equal(fclose(f), 0);
	assert_int_equal(report_cli(4, argv), 0);
	snprintf(path, sizeof(path), "%s/table.txt", dir);
	f = fopen(path, "r");
	assert_sys_ok(f, path);
	assert_cmp_int(getdelim(&text, &len, '\0', f), >, 0);
	fclose(f);
	assert_int_equal(run_capture(rm, out, sizeof(out), err, sizeof(err), 30000), 0);
	return text;
}

static void test_unsaturated_baseline_warns_and_claims_no_limit(void **state)
{
	static const double none[6] = { 0 };
	char *t = report_with_loss(none);

	(void)state;
	assert_contains(t, "WARNING load check: 6 of 6 baseline samples lost under 0.5% of their "
			   "datagrams (median loss 0.00%");
	assert_contains(t, "Detection limit per packet: does not apply");
	assert_not_contains(t, "Detection limit: a cost below");
	free(t);
}

static void test_saturated_baseline_keeps_its_limit(void **state)
{
	static const double some[6] = { 12.5, 12.5, 12.5, 12.5, 12.5, 12.5 };
	char *t = report_with_loss(some);

	(void)state;
	assert_not_contains(t, "WARNING load check");
	assert_contains(t, "Detection limit: a cost below about");
	free(t);
}

/*
 * Calibrated under other work that then stopped: loss falls to nothing over
 * the run. The median passes; the samples that took all they were offered
 * (a quarter or more) still blind the run.
 */
static void test_load_that_went_quiet_warns(void **state)
{
	static const double falling[6] = { 40, 20, 8, 2, 0, 0 };
	char *t = test_unwrap(report_with_loss(falling));

	(void)state;
	assert_contains(t, "WARNING load check: 2 of 6 baseline samples lost under 0.5% of their "
			   "datagrams (median loss 5.00%");
	assert_contains(t, "Detection limit per packet: does not apply");
	free(t);
}

/* One sample that took all it was offered in six is not enough to call the run blind. */
static void test_one_unsaturated_sample_tolerated(void **state)
{
	static const double one[6] = { 12, 12, 0, 12, 12, 12 };
	char *t = report_with_loss(one);

	(void)state;
	assert_not_contains(t, "WARNING load check");
	assert_contains(t, "Detection limit: a cost below about");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsaturated_baseline_warns_and_claims_no_limit),
		cmocka_unit_test(test_saturated_baseline_keeps_its_limit),
		cmocka_unit_test(test_load_that_went_quiet_warns),
		cmocka_unit_test(test_one_unsaturated_sample_tolerated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
