// SPDX-License-Identifier: GPL-2.0
/*
 * Records the runner marked disturbed: kept, counted, shown, never analysed.
 * A folder written here: baseline and tp-null over 6 blocks; a wild disturbed
 * baseline sample in block 2 beside its clean redo, and a disturbed tp-null
 * sample in block 3 whose redo never came (the row ran out of redos).
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

static char dir[] = "/tmp/bpfcost-test-disturbed-XXXXXX";

static void rec(FILE *f, const char *config, int block, double mbps, const char *disturbed_why)
{
	fprintf(f,
		"{\"config\":\"%s\",%s\"stats\":false,\"block\":%d,\"sample\":%d,\"order\":0,"
		"\"rx_bps\":%.0f,\"rx_packets\":1000,\"duration_s\":10,\"lost_percent\":%d,"
		"\"hits_per_event\":%s,\"interference\":{\"foreign_cpu\":%s,\"psi_some_pct\":3,"
		"\"steal_pct\":0},\"disturbed\":%s%s%s%s}\n",
		config,
		strcmp(config, "baseline") ? "\"attach\":\"tp\",\"probe\":\"null\","
					   : "\"attach\":null,\"probe\":null,",
		block, block + 1, mbps * 1e6, disturbed_why ? 55 : 15,
		strcmp(config, "baseline") ? "1" : "null", disturbed_why ? "1.4" : "0.02",
		disturbed_why ? "true" : "false", disturbed_why ? ",\"disturbed_why\":\"" : "",
		disturbed_why ? disturbed_why : "", disturbed_why ? "\"" : "");
}

static int setup(void **state)
{
	static const double base[6] = { 16.0, 16.2, 15.9, 16.1, 15.8, 16.3 };
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
		if (b == 2)
			rec(f, "baseline", b, 8.3, "other processes used 1.40 CPU (limit 0.25)");
		rec(f, "baseline", b, base[b], NULL);
		if (b == 3)
			rec(f, "tp-null", b, 6.7, "lost_percent 55.0, more than 15 above");
		else
			rec(f, "tp-null", b, base[b] * 0.9, NULL);
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

static char *slurp(const char *name)
{
	char path[PATH_MAX];
	static char buf[1 << 16];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s was not written", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void expect_in(const char *name, const char *needle)
{
	const char *text = slurp(name);

	if (!strstr(text, needle))
		fail_msg("%s lacks \"%s\":\n%s", name, needle, text);
}

static void test_disturbed_left_out_and_shown(void **state)
{
	const char *argv[] = { "bpfcost-report", "-q", "--no-plots", dir };

	(void)state;
	assert_int_equal(report_cli(4, (char **)argv), 0);
	/* baseline: 6 clean (the redo is no duplicate), 1 disturbed; tp-null: 5 and 1 */
	expect_in("summary.csv", "baseline,,,0,6,0,0,");
	expect_in("summary.csv", "tp-null,tp,null,0,5,0,0,");
	/* median of the clean baseline: 16.05, the 8.3 Mbit/s sample nowhere in it */
	expect_in("summary.csv", ",robust,16.05,");
	/* tp-null's n_disturbed 1, one block without a clean sample, worst foreign CPU 1.4 */
	expect_in("summary.csv", ",1,1,1.4,");
	expect_in("table.txt", "Disturbed samples: 2 records in 2 rows");
	expect_in("table.txt", "tp-null could not get clean samples in 1 block");
	expect_in("table.txt", "baseline: 1 disturbed (first: other processes used 1.40 CPU");
	expect_in("samples.csv", "line,config,block,sample,order,value,unit,status,");
	expect_in("samples.csv", ",baseline,2,3,0,8.3,Mbit/s,disturbed,other processes used 1.40 "
				 "CPU (limit 0.25),1.4,3,0");
	expect_in("samples.csv", ",tp-null,3,4,0,6.7,Mbit/s,disturbed,");
	expect_in("samples.csv", ",baseline,2,3,0,15.9,Mbit/s,ok,,0.02,3,0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disturbed_left_out_and_shown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
