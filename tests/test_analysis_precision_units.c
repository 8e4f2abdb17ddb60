// SPDX-License-Identifier: GPL-2.0
/*
 * PRECISION in the metric's unit: the spellings each metric takes and the
 * ones it refuses, a row's added-cost CI half-width judged against a target
 * in ns by hand arithmetic, the projected N in ns, and a manifest's target
 * (hostile like any of it) used only when its unit is the records' metric's.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/report.h"
#include "testlib.h"

static char base[] = "/tmp/bpfcost-test-precision-XXXXXX";
static char dir[PATH_MAX];

static void expect_unit(const char *typed, const char *metric_unit, const char *event,
			const char *expect)
{
	char canon[PRECISION_UNIT_LEN], err[256] = "";

	if (precision_unit_for(typed, metric_unit, event, canon, sizeof(canon), err, sizeof(err)))
		fail_msg("unit '%s' for %s per %s: refused (%s); expected '%s'", typed, metric_unit,
			 event, err, expect);
	if (strcmp(canon, expect))
		fail_msg("unit '%s' for %s per %s: '%s'; expected '%s'", typed, metric_unit, event,
			 canon, expect);
}

static void expect_unit_refused(const char *typed, const char *metric_unit, const char *event,
				const char *expect)
{
	char canon[PRECISION_UNIT_LEN] = "", err[256] = "";

	if (!precision_unit_for(typed, metric_unit, event, canon, sizeof(canon), err, sizeof(err)))
		fail_msg("unit '%s' for %s per %s: accepted as '%s'; expected refused", typed,
			 metric_unit, event, canon);
	assert_contains(err, expect);
}

/* Each metric's unit per event, its long and short spellings; % for every metric. */
static void test_units_of_each_metric(void **state)
{
	(void)state;
	expect_unit("ns", "ns/call", "call", "ns");
	expect_unit("ns/call", "ns/call", "call", "ns");
	expect_unit("insn", "instructions/call", "call", "insn");
	expect_unit("instructions", "instructions/call", "call", "insn");
	expect_unit("insn/call", "instructions/call", "call", "insn");
	expect_unit("Mbit/s", "Mbit/s", "packet", "Mbit/s");
	expect_unit("%", "Mbit/s", "packet", "%");
	expect_unit(NULL, "ns/call", "call", "%");
	expect_unit("%", "instructions/call", "call", "%");
	/* The error names the metric's unit and what to type instead. */
	expect_unit_refused("insn", "ns/call", "call",
			    "it is in ns/call, so give the target in ns");
	expect_unit_refused("ns", "instructions/call", "call", "give the target in insn");
	expect_unit_refused("ns", "Mbit/s", "packet", "give the target in Mbit/s");
	expect_unit_refused("us", "ns/call", "call", "unit 'us'");
	expect_unit_refused("ns/packet", "ns/call", "call", "unit 'ns/packet'");
	expect_unit_refused("n", "ns/call", "call", "unit 'n'");
	expect_unit_refused("ns", "", "call", "no unit");
}

static void expect_split(const char *text, double value, const char *unit)
{
	const char *u = NULL;
	double v = NAN;

	if (precision_split(text, &v, &u))
		fail_msg("'%s' refused; expected %g '%s'", text, value, unit);
	assert_near(v, value, 0);
	assert_string_equal(u, unit);
}

/* A number first, then its unit; a bare number keeps meaning percent. */
static void test_split(void **state)
{
	static const char *const bad[] = { "",	  "ns",	 "-2ns", "+2",	" 2",
					   "inf", "nan", "abc5", "0x10" };
	const char *u;
	double v;
	size_t i;

	(void)state;
	expect_split("5", 5, "%");
	expect_split("5%", 5, "%");
	expect_split("2ns", 2, "ns");
	expect_split("2 ns", 2, "ns");
	expect_split("0.5Mbit/s", 0.5, "Mbit/s");
	expect_split("1insn", 1, "insn");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!precision_split(bad[i], &v, &u))
			fail_msg("'%s' accepted as %g '%s'; expected refused", bad[i], v, u);
	/* Percent up to 1000, a unit up to PRECISION_ABS_MAX; never 0 or inf. */
	assert_int_equal(precision_value_ok(1000, "%"), true);
	assert_int_equal(precision_value_ok(1001, "%"), false);
	assert_int_equal(precision_value_ok(5000, "ns"), true);
	assert_int_equal(precision_value_ok(0, "ns"), false);
	assert_int_equal(precision_value_ok(INFINITY, "ns"), false);
}

/* A per-call record in ns of @config, block @block. */
static void write_line(FILE *f, const char *config, int block, double ns)
{
	fprintf(f,
		"{\"config\":\"%s\",%s\"stats\":false,\"block\":%d,\"metric\":{\"name\":\"time per "
		"call\",\"field\":\"ns_per_call\",\"unit\":\"ns/call\",\"scale\":1,"
		"\"higher_is_better\":false,\"event\":\"call\",\"clock\":\"real\"},"
		"\"ns_per_call\":%g}\n",
		config,
		strcmp(config, "baseline")
			? (strcmp(config, "tp-null") ? "\"attach\":\"tp\",\"probe\":\"map\","
						     : "\"attach\":\"tp\",\"probe\":\"null\",")
			: "",
		block, ns);
}

static const char *in_dir(const char *name)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_manifest(const char *json)
{
	FILE *f = fopen(in_dir("manifest.json"), "w");

	assert_sys_ok(f, in_dir("manifest.json"));
	fputs(json, f);
	fclose(f);
}

static char *slurp(const char *name)
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
	return buf;
}

/* bpfcost-report on the folder (the mean estimator: Welch by hand), @precision if not NULL. */
static int report(const char *precision)
{
	const char *argv[] = { "bpfcost-report", "-q",		"--no-plots", "--estimator",
			       "mean",		 "--precision", precision,    dir };

	if (precision)
		return report_cli(8, (char **)argv);
	argv[5] = dir;
	return report_cli(6, (char **)argv);
}

/*
 * baseline 1000,1002,998,1000 and tp-null 990,992,988,990: sd 1.633 each, Welch
 * df 2n - 2 = 6, t 2.4469, se 1.633 * sqrt(2/4) = 1.1547: half-width 2.825 ns
 * (0.2825% of 1000). Against 3 ns: reached. Against 2 ns: not; n per row with
 * t(2n-2) * 1.633 * sqrt(2/n) <= 2: n=6 gives 2.2281 * 0.9428 = 2.101, n=7
 * gives 2.1788 * 0.8729 = 1.902: projected N 7.
 */
static void test_judged_in_ns(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(report("3ns"), 0);
	text = test_unwrap(slurp("table.txt"));
	assert_contains(text, "added cost within ±3 ns; 1 of 2 rows reached it");
	assert_contains(text, "tp-null: ±2.83 ns with n=4 (baseline n=4): reached; projected N 4 ");
	assert_contains(text, "tp-map: ±");
	assert_contains(strstr(text, "tp-map: ±"), "NOT reached");
	free(text);
	text = slurp("summary.csv");
	/* precision_target, precision_unit, diff_ci95_half_width: the last three columns */
	assert_contains(text, ",3,ns,2.825");
	free(text);

	assert_int_equal(report("2ns/call"), 0);
	text = test_unwrap(slurp("table.txt"));
	assert_contains(text, "within ±2 ns; 0 of 2 rows reached it");
	assert_contains(text, "tp-null: ±2.83 ns with n=4 (baseline n=4): NOT reached; "
			      "projected N 7 samples per row");
	free(text);

	/* The same width in % of the baseline: 0.28%, within a bare 0.3 (percent). */
	assert_int_equal(report("0.3"), 0);
	text = test_unwrap(slurp("table.txt"));
	assert_contains(text, "within ±0.3% of the baseline; 1 of 2 rows reached it");
	assert_contains(text, "tp-null: ±0.28% with n=4");
	free(text);
}

/* --precision in a unit the records' metric is not in: refused, naming the metric's unit. */
static void test_report_refuses_another_unit(void **state)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-report"),
			 "-q",
			 "--no-plots",
			 "--precision",
			 "1insn",
			 dir,
			 NULL };
	char out[4096], err[4096];
	int rc;

	(void)state;
	rc = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
	assert_int_equal(rc, 2);
	assert_contains(err, "bad --precision '1insn'");
	assert_contains(err, "it is in ns/call, so give the target in ns");
	argv[4] = "2parsecs";
	rc = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
	assert_int_equal(rc, 2);
	assert_contains(err, "unit 'parsecs'");
}

/* The manifest's target: used when its unit is the metric's, else left out (never printed). */
static void test_manifest_target(void **state)
{
	static const char *const ignored[] = {
		"{\"precision\":{\"target\":3,\"unit\":\"insn\"}}",
		"{\"precision\":{\"target\":3,\"unit\":\"ns`reboot`\"}}",
		"{\"precision\":{\"target\":-3,\"unit\":\"ns\"}}",
		"{\"precision\":{\"target\":1e300,\"unit\":\"ns\"}}",
		"{\"precision\":{\"target\":3,\"unit\":7}}",
		"{\"precision\":{\"target\":\"3\",\"unit\":\"ns\"}}",
		"{\"precision\":{\"target_pct\":5000}}",
		"{\"precision\":[3,\"ns\"]}",
	};
	char *text;
	size_t i;

	(void)state;
	write_manifest("{\"precision\":{\"target\":3,\"unit\":\"ns\",\"stopped\":\"budget\"}}");
	assert_int_equal(report(NULL), 0);
	text = test_unwrap(slurp("table.txt"));
	assert_contains(text, "within ±3 ns; 1 of 2 rows reached it; the run stopped because "
			      "the time budget was spent");
	free(text);
	/* A run from before units: its target is a percentage. */
	write_manifest("{\"precision\":{\"target_pct\":0.3}}");
	assert_int_equal(report(NULL), 0);
	text = test_unwrap(slurp("table.txt"));
	assert_contains(text, "within ±0.3% of the baseline");
	free(text);
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		write_manifest(ignored[i]);
		assert_int_equal(report(NULL), 0);
		text = test_unwrap(slurp("table.txt"));
		if (strstr(text, "Precision target") || strstr(text, "reboot"))
			fail_msg("manifest %s: its target was used; expected it left out:\n%s",
				 ignored[i], test_excerpt(text));
		free(text);
	}
	unlink(in_dir("manifest.json"));
}

/* The run every test reads: the samples of test_judged_in_ns()'s arithmetic. */
static int setup(void **state)
{
	static const double b[] = { 1000, 1002, 998, 1000 }, t[] = { 990, 992, 988, 990 },
			    m[] = { 1080, 1100, 1060, 1090 };
	FILE *f;
	int i;

	(void)state;
	if (!mkdtemp(base))
		return -1;
	snprintf(dir, sizeof(dir), "%s/run", base);
	if (mkdir(dir, 0755))
		return -1;
	f = fopen(in_dir("samples.jsonl"), "w");
	if (!f)
		return -1;
	for (i = 0; i < 4; i++) {
		write_line(f, "baseline", i, b[i]);
		write_line(f, "tp-null", i, t[i]);
		write_line(f, "tp-map", i, m[i]);
	}
	return fclose(f);
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", base, NULL };
	char out[64], err[256];

	(void)state;
	if (getenv("BPFCOST_KEEP_TEST_OUTPUT"))
		return 0;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_of_each_metric),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_judged_in_ns),
		cmocka_unit_test(test_report_refuses_another_unit),
		cmocka_unit_test(test_manifest_target),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
