// SPDX-License-Identifier: GPL-2.0
/*
 * The report is workload-generic and never prints what cannot be true: a
 * per-call run (instruction clock) is reported in its unit with the added
 * cost; a metric invented here is reported with no analysis code for it;
 * impossible values become errors naming the field; no table holds nan or
 * inf; a spin ladder's fitted slope covers the true one; and strings crafted
 * to run a command or inject LaTeX never reach gnuplot or LaTeX as code; a
 * precision target is judged per row with its projected N.
 */
#include <ctype.h>
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

static char base[] = "/tmp/bpfcost-test-analysis-XXXXXX";

/* A results folder <base>/<name> holding @lines as samples.jsonl; returns its path. */
static const char *folder(const char *name, const char *const *lines)
{
	static char dir[PATH_MAX];
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	for (; *lines; lines++)
		fprintf(f, "%s\n", *lines);
	fclose(f);
	return dir;
}

static int report(const char *dir)
{
	/* Welch arithmetic by hand: the mean estimator (robust: test_analysis_robust*). */
	const char *argv[] = { "bpfcost-report", "-q", "--estimator", "mean", dir };

	return report_cli(5, (char **)argv);
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
	if (getdelim(&buf, &len, '\0', f) < 0) {
		buf = strdup("");
	}
	fclose(f);
	/* table.txt cuts long lines at 120 columns: notes are compared as written */
	return strcmp(name, "table.txt") ? buf : test_unwrap(buf);
}

static void expect_in(const char *dir, const char *file, const char *needle)
{
	char *t = slurp(dir, file);

	if (!strstr(t, needle))
		fail_msg("%s/%s lacks \"%s\":\n%s", dir, file, needle, t);
	free(t);
}

/* "nan" or "inf" as a word of its own (not inside "info" or "unsupported"). */
static void expect_no_impossible_token(const char *dir, const char *file)
{
	static const char *const bad[] = { "nan", "inf" };
	char *t = slurp(dir, file), *p;

	for (size_t k = 0; k < 2; k++) {
		for (p = t; (p = strcasestr(p, bad[k])); p++) {
			bool left = p > t && isalpha((unsigned char)p[-1]);
			bool right = isalpha((unsigned char)p[3]);

			if (!left && !right)
				fail_msg("%s/%s prints \"%.20s\"", dir, file,
					 p > t + 20 ? p - 20 : t);
		}
	}
	free(t);
}

static void test_instruction_clock_run(void **state)
{
	char fixture[PATH_MAX];
	const char *argv[] = { "bpfcost-report", "-q", "--estimator", "mean", "-o", NULL, fixture };
	char out[PATH_MAX];

	(void)state;
	snprintf(fixture, sizeof(fixture), "%s", test_root_path("tests/fixtures/analysis/trigger"));
	snprintf(out, sizeof(out), "%s/trigger", base);
	mkdir(out, 0755);
	argv[5] = out;
	assert_int_equal(report_cli(7, (char **)argv), 0);
	expect_in(out, "table.txt", "Time per call (instructions/call)");
	expect_in(out, "table.txt", "Difference (instructions/call)");
	/* tp-null: 1478.7 against a 1161.6 baseline, measured in this run */
	expect_in(out, "table.txt", "+317.1 [");
	expect_in(out, "table.txt", "one ns per guest instruction");
	expect_in(out, "table.txt", "Hits/call");
	expect_in(out, "summary.csv", ",time per call,instructions/call,");
	expect_in(out, "table.tex", "Time per call (instructions/call)");
	/* a cost is plotted as the added cost, under its own name */
	expect_in(out, "cost.png", "PNG");
}

static void test_invented_metric(void **state)
{
	static const char *const lines[] = {
		"{\"config\":\"baseline\",\"stats\":false,\"block\":0,\"metric\":{\"name\":\"nap "
		"rate\",\"field\":\"naps_per_s\",\"unit\":\"naps/s\",\"scale\":1,"
		"\"higher_is_better\":true,\"event\":\"nap\"},\"naps_per_s\":100}",
		"{\"config\":\"baseline\",\"stats\":false,\"block\":1,\"metric\":{\"name\":\"nap "
		"rate\",\"field\":\"naps_per_s\",\"unit\":\"naps/s\",\"scale\":1,"
		"\"higher_is_better\":true,\"event\":\"nap\"},\"naps_per_s\":102}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"stats\":false,"
		"\"block\":0,\"metric\":{\"name\":\"nap rate\",\"field\":\"naps_per_s\",\"unit\":"
		"\"naps/s\",\"scale\":1,\"higher_is_better\":true,\"event\":\"nap\"},"
		"\"naps_per_s\":90}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"stats\":false,"
		"\"block\":1,\"metric\":{\"name\":\"nap rate\",\"field\":\"naps_per_s\",\"unit\":"
		"\"naps/s\",\"scale\":1,\"higher_is_better\":true,\"event\":\"nap\"},"
		"\"naps_per_s\":92}",
		NULL,
	};
	const char *dir = folder("naps", lines);

	(void)state;
	assert_int_equal(report(dir), 0);
	expect_in(dir, "table.txt", "Nap rate (naps/s)");
	expect_in(dir, "table.txt", "Difference (naps/s)");
	expect_in(dir, "table.txt", "-10.0 [");
	expect_in(dir, "table.md", "Nap rate (naps/s)");
}

static void test_impossible_values_become_errors(void **state)
{
	static const char *const lines[] = {
		/* one baseline sample: no sd, no test, no MDE, and still no nan */
		"{\"config\":\"baseline\",\"stats\":false,\"block\":0,\"rx_bps\":1e7,"
		"\"rx_pps\":20000,\"lost_percent\":3}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"stats\":false,"
		"\"block\":0,\"rx_bps\":1e7,\"rx_packets\":-415018,\"rx_pps\":20000}",
		"{\"config\":\"tp-map\",\"attach\":\"tp\",\"probe\":\"map\",\"stats\":false,"
		"\"block\":0,\"rx_bps\":1e7,\"rx_pps\":20000,\"lost_percent\":104.57}",
		"{\"config\":\"kprobe-null\",\"attach\":\"kprobe\",\"probe\":\"null\",\"stats\":"
		"false,"
		"\"block\":0,\"rx_bps\":1e999,\"rx_pps\":20000}",
		"{\"config\":\"tp-spin\",\"attach\":\"tp\",\"probe\":\"spin\",\"stats\":false,"
		"\"block\":0,\"rx_bps\":9e6,\"rx_pps\":18000,\"spin_ns\":1000}",
		NULL,
	};
	static const char *const files[] = { "table.txt", "table.md", "table.tex", "summary.csv" };
	const char *dir = folder("impossible", lines);

	(void)state;
	assert_int_equal(report(dir), 0);
	expect_in(dir, "table.txt", "impossible value: rx_packets = -415018 (negative count)");
	expect_in(dir, "table.txt", "impossible value: lost_percent = 104.57 (outside [0, 100])");
	expect_in(dir, "table.txt", "impossible value: rx_bps is not a finite number");
	expect_in(dir, "table.txt",
		  "Minimum detectable effect of this run: not computable "
		  "(fewer than 2 baseline samples)");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		expect_no_impossible_token(dir, files[i]);
}

/* Measured added cost = 1.0 x set + 100 ns, with a little noise: the fit must cover it. */
static void test_spin_ladder_fit(void **state)
{
	static const int set[] = { 0, 50, 100, 200, 400, 800 };
	static const double noise[] = { 1.5, -2.0, 0.5, -1.0, 2.5, -0.5 };
	char *lines[1 + 2 * 7], *ladder, *table;
	double slope, lo, hi;
	const char *dir;
	size_t n = 0, i;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		assert_cmp_int(
			asprintf(&lines[n++],
				 "{\"config\":\"baseline\",\"block\":%d,\"metric\":{\"name\":"
				 "\"time per call\",\"field\":\"ns_per_call\",\"unit\":\"ns/call\","
				 "\"scale\":1,\"higher_is_better\":false,\"event\":\"call\"},"
				 "\"ns_per_call\":%g}",
				 k, 200.0 + k),
			>, 0);
		for (i = 0; i < 6; i++)
			assert_cmp_int(
				asprintf(&lines[n++],
					 "{\"config\":\"tp-spin@spin_ns=%d\",\"attach\":\"tp\","
					 "\"probe\":\"spin\",\"block\":%d,\"spin_ns\":%d,"
					 "\"metric\":{"
					 "\"name\":\"time per call\",\"field\":\"ns_per_call\","
					 "\"unit\":\"ns/"
					 "call\",\"scale\":1,\"higher_is_better\":false,"
					 "\"event\":\"call\"},\"ns_per_call\":%g}",
					 set[i], k, set[i],
					 200.5 + 100 + set[i] + noise[i] * (k ? 1 : -0.5)),
				>, 0);
	}
	lines[n] = NULL;
	dir = folder("ladder", (const char *const *)lines);
	for (i = 0; i < n; i++)
		free(lines[i]);
	assert_int_equal(report(dir), 0);
	table = slurp(dir, "table.txt");
	assert_contains(table, "Spin ladder: added = ");
	ladder = strstr(table, "Spin ladder: added = ");
	assert_int_equal(sscanf(ladder, "Spin ladder: added = %lf [%lf, %lf]", &slope, &lo, &hi),
			 3);
	print_message("    %.60s\n", ladder);
	if (!(lo <= 1.0 && 1.0 <= hi))
		fail_msg("slope %g [%g, %g] does not cover the true 1.0", slope, lo, hi);
	assert_cmp_double(hi - lo, <, 0.1);
	free(table);
}

/*
 * A results folder is untrusted: a configuration name with a backquote (gnuplot
 * runs `...` in double-quoted strings), a metric unit with LaTeX, an error with a
 * line break and \input: none of it may reach gnuplot or LaTeX as code.
 */
static void test_crafted_strings_stay_text(void **state)
{
	static const char *const lines[] = {
		"{\"config\":\"baseline\",\"block\":0,\"rx_bps\":1e7}",
		"{\"config\":\"baseline\",\"block\":1,\"rx_bps\":1.1e7}",
		"{\"config\":\"tp-x`touch /tmp/bpfcost-pwned`\",\"attach\":\"tp\",\"probe\":\"x\","
		"\"block\":0,\"rx_bps\":1e7}",
		"{\"config\":\"tp-null\",\"attach\":\"tp`id`\",\"probe\":\"null\",\"block\":0,"
		"\"rx_bps\":1e7,\"mechanism\":\"int3\\\"`id`\"}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":1,"
		"\"rx_bps\":1e7}",
		"{\"config\":\"tp-map\",\"attach\":\"tp\",\"probe\":\"map\",\"block\":0,"
		"\"error\":\"boom\\n\\\\input{/etc/passwd}\"}",
		"{\"config\":\"tp-map\",\"attach\":\"tp\",\"probe\":\"map\",\"block\":1,\"metric\":"
		"{"
		"\"name\":\"x\",\"field\":\"rx_bps\",\"unit\":\"$\\\\input{/etc/passwd}$\","
		"\"scale\":1},\"rx_bps\":1}",
		NULL,
	};
	const char *dir = folder("crafted", lines);
	char *tex, *vars, path[PATH_MAX + 32];

	(void)state;
	unlink("/tmp/bpfcost-pwned");
	assert_int_equal(report(dir), 0);
	if (!access("/tmp/bpfcost-pwned", F_OK))
		fail_msg("/tmp/bpfcost-pwned exists: a crafted record ran a command through the "
			 "plots, expected none to run");
	tex = slurp(dir, "table.tex");
	for (char *l = tex; (l = strstr(l, "\\input")); l++) {
		char *start = l;

		while (start > tex && start[-1] != '\n')
			start--;
		if (*start != '%' &&
		    !(l > tex && l[-1] == '{')) /* escaped: \textbackslash{}input */
			fail_msg("table.tex has live \\input: %.80s", start);
	}
	free(tex);
	snprintf(path, sizeof(path), "plot/impact.vars.gp");
	vars = slurp(dir, path);
	if (strchr(vars, '`'))
		fail_msg("a backquote reached gnuplot: %s", vars);
	free(vars);
}

static const char *in_dir(const char *dir, const char *name)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* One invented-metric record line for @config with @value, in block @block. */
static char *metric_line(const char *config, int block, double value)
{
	char *line;

	if (asprintf(&line,
		     "{\"config\":\"%s\",%s\"stats\":false,\"block\":%d,\"metric\":{\"name\":"
		     "\"rate\",\"field\":\"v\",\"unit\":\"u/s\",\"scale\":1,"
		     "\"higher_is_better\":true,\"event\":\"op\"},\"v\":%g}",
		     config,
		     strcmp(config, "baseline")
			     ? (strcmp(config, "tp-null") ? "\"attach\":\"tp\",\"probe\":\"map\","
							  : "\"attach\":\"tp\",\"probe\":\"null\",")
			     : "",
		     block, value) < 0)
		fail_msg("out of memory");
	return line;
}

/*
 * PRECISION: baseline 100,102,98,100 and tp-null 90,92,88,90 (sd 1.633 each):
 * Welch se 1.1547, df 6, t 2.4469, half-width 2.83% of 100: reached at 5%.
 * tp-map 80,100,60,90 (sd 17.08): half-width about 27%; n per row for 5%:
 * t * sqrt((291.67 + 2.67) / n) <= 5 gives about 48.
 */
static void test_precision_widths_and_projection(void **state)
{
	static const double b[] = { 100, 102, 98, 100 }, t[] = { 90, 92, 88, 90 },
			    m[] = { 80, 100, 60, 90 };
	const char *lines[13];
	const char *argv[] = { "bpfcost-report", "-q", "--estimator", "mean",
			       "--precision",	 "5",  NULL };
	const char *dir;
	char *text, *p;
	long projected;
	FILE *f;
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		lines[i] = metric_line("baseline", i, b[i]);
		lines[4 + i] = metric_line("tp-null", i, t[i]);
		lines[8 + i] = metric_line("tp-map", i, m[i]);
	}
	lines[12] = NULL;
	dir = folder("precision", lines);
	for (i = 0; i < 12; i++)
		free((char *)lines[i]);

	/* No target asked, none in the manifest: no precision lines. */
	assert_int_equal(report(dir), 0);
	text = slurp(dir, "table.txt");
	if (strstr(text, "Precision target"))
		fail_msg("a precision line without a target:\n%s", text);
	free(text);

	argv[6] = dir;
	assert_int_equal(report_cli(7, (char **)argv), 0);
	expect_in(dir, "table.txt", "±5% of the baseline; 1 of 2 rows reached it");
	expect_in(dir, "table.txt", "tp-null: ±2.83% with n=4 (baseline n=4): reached");
	expect_in(dir, "table.md", "tp-null: ±2.83% with n=4");
	/* tp-null: half-width 2.825, target 5, reached, 3 per row would do */
	expect_in(dir, "summary.csv", ",2.825");
	expect_in(dir, "summary.csv", ",5,1,3,mean,");
	text = slurp(dir, "table.txt");
	p = strstr(text, "tp-map: ±");
	if (!p || !strstr(p, "NOT reached; projected N "))
		fail_msg("no tp-map precision line:\n%s", text);
	projected = strtol(strstr(p, "projected N ") + 12, NULL, 10);
	if (projected < 40 || projected > 60)
		fail_msg("tp-map projected N %ld, expected about 48", projected);
	free(text);

	/* The run's own target and stop code come from its manifest; unknown codes are not shown.
	 */
	f = fopen(in_dir(dir, "manifest.json"), "w");
	assert_sys_ok(f, in_dir(dir, "manifest.json"));
	fputs("{\"precision\":{\"target_pct\":30,\"stopped\":\"budget\"}}", f);
	fclose(f);
	assert_int_equal(report(dir), 0);
	expect_in(dir, "table.txt",
		  "±30% of the baseline; 2 of 2 rows reached it; the run "
		  "stopped because the time budget was spent");
	f = fopen(in_dir(dir, "manifest.json"), "w");
	assert_sys_ok(f, in_dir(dir, "manifest.json"));
	fputs("{\"precision\":{\"target_pct\":1e308,\"stopped\":\"`reboot`\"}}", f);
	fclose(f);
	assert_int_equal(report(dir), 0);
	text = slurp(dir, "table.txt");
	if (strstr(text, "Precision target") || strstr(text, "reboot"))
		fail_msg("an impossible target or an unknown stop code was used:\n%s", text);
	free(text);
	expect_no_impossible_token(dir, "table.txt");
	expect_no_impossible_token(dir, "summary.csv");
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
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
		cmocka_unit_test(test_instruction_clock_run),
		cmocka_unit_test(test_invented_metric),
		cmocka_unit_test(test_impossible_values_become_errors),
		cmocka_unit_test(test_spin_ladder_fit),
		cmocka_unit_test(test_crafted_strings_stay_text),
		cmocka_unit_test(test_precision_widths_and_projection),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
