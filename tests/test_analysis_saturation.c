// SPDX-License-Identifier: GPL-2.0
/*
 * The flood's detection limit assumes a saturated receiver, which loses
 * datagrams. A baseline that lost none took all it was offered (a calibration
 * made while other work slowed the target): the report warns and does not
 * claim a detection limit. A baseline that loses some keeps both.
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

/* A folder of 6 blocks of baseline and tp-null at @lost percent loss; the table as text. */
static char *report_with_loss(double lost)
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
				base[b] * (row ? 0.97 : 1) * 1e6 / 512 * 10, lost,
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
	char *t = report_with_loss(0);

	(void)state;
	assert_contains(t, "WARNING load check: the baseline lost 0.00% of its datagrams");
	assert_contains(t, "Detection limit per packet: does not apply");
	assert_not_contains(t, "Detection limit: a cost below");
	free(t);
}

static void test_saturated_baseline_keeps_its_limit(void **state)
{
	char *t = report_with_loss(12.5);

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
