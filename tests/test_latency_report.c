// SPDX-License-Identifier: GPL-2.0
/*
 * A latency run's tables: each further metric the records declare (p99,
 * p99.9) gets its mean ± sd and its added cost against baseline with Welch's
 * interval, worked by hand below; a row with a sample too short for p99.9
 * says "too few round trips" instead of a number; no table holds nan.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/report.h"
#include "testlib.h"

static char base[] = "/tmp/bpfcost-test-latency-XXXXXX";

#define METRIC                                                                                     \
	"\"metric\":{\"name\":\"p50 round trip\",\"field\":\"rtt_p50_us\",\"unit\":\"us\","        \
	"\"scale\":1,\"higher_is_better\":false,\"event\":\"message\",\"quantile\":0.5,"           \
	"\"absent\":\"too few "                                                                    \
	"round trips\",\"also\":[{\"name\":\"p99 round trip\",\"field\":\"rtt_p99_us\","           \
	"\"terminal\":true,\"quantile\":0.99},{\"name\":\"p99.9 round trip\",\"field\":"           \
	"\"rtt_p999_us\",\"quantile\":0.999}]}"

/* One record; @p999 < 0: the sample was too short for it (the field is absent). */
static void record(FILE *f, const char *config, int block, double p50, double p99, double p999)
{
	char tail[64] = "";

	if (p999 >= 0)
		snprintf(tail, sizeof(tail), ",\"rtt_p999_us\":%g", p999);
	fprintf(f,
		"{\"config\":\"%s\",%s\"stats\":false,\"block\":%d," METRIC
		",\"rtt_p50_us\":%g,\"rtt_p99_us\":%g%s}\n",
		config, strcmp(config, "baseline") ? "\"attach\":\"tp\",\"probe\":\"spin\"," : "",
		block, p50, p99, tail);
}

static char *slurp(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s was not written", path);
	if (getdelim(&buf, &len, '\0', f) < 0)
		buf = strdup("");
	fclose(f);
	return strcmp(name, "table.txt") ? buf : test_unwrap(buf);
}

static void expect(const char *dir, const char *file, const char *needle, bool present)
{
	char *t = slurp(dir, file);

	if (!strstr(t, needle) == present)
		fail_msg("%s/%s %s \"%s\":\n%s", dir, file, present ? "lacks" : "has", needle, t);
	free(t);
}

static void test_percentile_columns(void **state)
{
	const char *argv[6] = { "bpfcost-report", "-q", "--estimator", "mean", NULL, NULL };
	static const char *const files[] = { "table.txt", "table.md", "table.tex", "summary.csv" };
	char dir[PATH_MAX], path[PATH_MAX + 32];
	FILE *f;
	int b;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/run", base);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	for (b = 0; b < 3; b++) {
		record(f, "baseline", b, 100 + 2 * b, 200 + 10 * b, 300 + 10 * b);
		/* The second sample of tp-spin measured too few round trips for p99.9. */
		record(f, "tp-spin", b, 120 + 2 * b, 230 + 10 * b, b == 1 ? -1 : 400);
	}
	fclose(f);
	argv[4] = dir;
	assert_int_equal(report_cli(5, (char **)argv), 0);
	/*
	 * p99: 210 ± 10 against 240 ± 10, n = 3 each: +30, se = sqrt(100/3 + 100/3)
	 * = 8.165, df = 4, t(0.975, 4) = 2.776: [+7.3, +52.7].
	 */
	expect(dir, "table.md", "P99 round trip (us)", true);
	expect(dir, "table.md", "210.0 ± 10.0", true);
	expect(dir, "table.md", "+30.0 [+7.3, +52.7]", true);
	/* p50: +20, se = sqrt(4/3 + 4/3) = 1.633: 20 ± 4.53. */
	expect(dir, "table.md", "+20.0 [+15.5, +24.5]", true);
	/* p99.9: a number for the baseline, none for the row with a short sample. */
	expect(dir, "table.md", "310.0 ± 10.0", true);
	expect(dir, "table.md", "too few round trips", true);
	expect(dir, "summary.csv", "metric2_mean", true);
	/* The terminal has p99 (declared so), not p99.9. */
	expect(dir, "table.txt", "P99 round trip", true);
	expect(dir, "table.txt", "P99.9 round trip", false);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		expect(dir, files[i], "nan", false);
	/*
	 * The CDF: each row's quantile means at 1 - q; tp-spin has no p99.9 point,
	 * so 0.001 appears once, the baseline's 310.
	 */
	expect(dir, "plot/cdf.dat", "102\t0.5\n", true);
	expect(dir, "plot/cdf.dat", "240\t0.01\n", true);
	expect(dir, "plot/cdf.dat", "310\t0.001\n", true);
	expect(dir, "plot/cdf.dat", "400\t", false);
	expect(dir, "latency-cdf.png", "PNG", true);
	/* The paper table names the quantile it reports. */
	expect(dir, "paper-table.tex", "Added p50 round trip of a BPF program", true);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile_columns),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
