// SPDX-License-Identifier: GPL-2.0
/*
 * The column model (analysis/columns.c): table.txt, table.md, table.tex and summary.csv
 * show exactly the columns the model lists for a flood run with every optional column
 * on (--percall, a precision target, stats-on rows) and for a per-call run; every line
 * of table.txt fits 120 columns; summary.csv and the records carry a schema version,
 * and records without one (older runs) still load. The runs are written here, in a
 * mkdtemp folder removed afterwards.
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

#include "analysis/columns.h"
#include "analysis/report.h"
#include "testlib.h"

#define KERNEL	  "6.12.107+deb12-cloud-amd64"
#define N_SAMPLES 5
/* An unsupported row's error, longer than a terminal line: table.txt wraps it. */
#define LONG_ERROR                                                                                 \
	"attach fexit: -524 (ENOTSUPP): this kernel has no BPF trampoline for udp_recvmsg; "       \
	"it needs CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS=y and CONFIG_FUNCTION_TRACER=y, "        \
	"which the running kernel was built without"

static char base[] = "/tmp/bpfcost-test-columns-XXXXXX";
static char flood[PATH_MAX], percall[PATH_MAX], calls[PATH_MAX];
static char flood_out[PATH_MAX + 8], calls_out[PATH_MAX + 8];

/* Long names (the widest the matrices make), stats-on twins, a spin row with settings. */
static const struct {
	const char *name;
	double cost; /* flood: packets/s lost; per call: added */
} rows[] = {
	{ "baseline", 0 },
	{ "kprobe-fprobe-null", 9000 },
	{ "kprobe-fprobe-null-stat", 12000 },
	{ "kretprobe-fprobe-map", 21000 },
	{ "kretprobe-fprobe-map-stat", 26000 },
	{ "tp-spin@spin_ns=16000", 61000 },
	{ "tp-spin-stat@spin_ns=16000", 62500 },
	/* longer than a terminal leaves for a name: on a line of its own */
	{ "kretprobe-fprobe-spin@spin_ns=16000,unrolled_loops=1000000", 63000 },
	{ "kretprobe-fprobe-spin-stat@spin_ns=16000,unrolled_loops=1000000", 64000 },
};

static double spread(double m, double d, int k)
{
	static const double f[N_SAMPLES] = { -1, 1, 0, 0.5, -0.5 };

	return m + d * f[k];
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	fputs(text, f);
	fclose(f);
}

static void manifest(const char *dir, const char *workload, const char *clock)
{
	char buf[512];

	snprintf(buf, sizeof(buf),
		 "{\"matrix\":\"test\",\"target\":\"guest\",\"clock\":\"%s\","
		 "\"workload\":{\"name\":\"%s\"},\"target_info\":{\"name\":\"guest\","
		 "\"info\":{\"kernel_release\":\"" KERNEL "\"}}}",
		 clock, workload);
	write_file(dir, "manifest.json", buf);
}

static const char *metric(bool per_call, const char *unit, const char *clock)
{
	static char buf[256];

	if (per_call)
		snprintf(
			buf, sizeof(buf),
			"\"metric\":{\"name\":\"time per call\",\"field\":\"ns_per_call\","
			"\"unit\":\"%s\",\"scale\":1,\"higher_is_better\":false,\"event\":\"call\","
			"\"clock\":\"%s\"}",
			unit, clock);
	else
		snprintf(
			buf, sizeof(buf),
			"\"metric\":{\"name\":\"bitrate\",\"field\":\"rx_bps\",\"unit\":\"Mbit/s\","
			"\"scale\":1e-06,\"higher_is_better\":true,\"event\":\"packet\","
			"\"clock\":\"real\"}");
	return buf;
}

/* @dir/samples.jsonl: N_SAMPLES records a row, and a row the kernel cannot attach. */
static void samples(const char *dir, bool per_call, const char *unit, const char *clock)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	for (int k = 0; k < N_SAMPLES; k++) {
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			bool base_row = !i, stat = strstr(rows[i].name, "-stat") != NULL;
			double pps = spread(100000 - rows[i].cost, 900, k);

			fprintf(f, "{\"schema_version\":2,\"config\":\"%s\",\"block\":%d,%s,",
				rows[i].name, k, metric(per_call, unit, clock));
			if (per_call)
				fprintf(f, "\"ns_per_call\":%.3f,",
					spread(1161.9 + rows[i].cost / 50, 0.4, k));
			else
				fprintf(f,
					"\"rx_bps\":%.1f,\"rx_pps\":%.1f,\"rx_bytes\":%.0f,"
					"\"lost_percent\":%.2f,",
					pps * 512, pps, pps * 640, 12.5 + rows[i].cost / 8000);
			if (stat)
				fprintf(f, "\"run_cnt\":1000000,\"run_time_ns\":%.0f,", 4.2e8 + k);
			fprintf(f, "\"mechanism\":\"%s\",\"hits_per_event\":%s}\n",
				base_row ? "" : "fprobe", base_row ? "null" : "1.0");
		}
		fprintf(f,
			"{\"config\":\"fexit-null\",\"block\":%d,%s,\"unsupported\":true,"
			"\"error\":\"" LONG_ERROR "\"}\n",
			k, metric(per_call, unit, clock));
	}
	fclose(f);
}

static void make_run(char *dir, const char *name, bool per_call, const char *unit,
		     const char *clock)
{
	snprintf(dir, PATH_MAX, "%s/%s", base, name);
	if (mkdir(dir, 0755))
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	manifest(dir, per_call ? "trigger" : "iperf", clock);
	samples(dir, per_call, unit, clock);
}

static int report(const char *dir, const char *out, const char *pc)
{
	const char *argv[] = {
		"bpfcost-report",	"-q", "--no-plots", "--precision", "5", "-o", out,
		pc ? "--percall" : dir, pc,   dir
	};

	mkdir(out, 0755);
	return report_cli(pc ? 10 : 8, (char **)argv);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(base))
		return -1;
	make_run(flood, "flood", false, NULL, "real");
	make_run(percall, "percall", true, "ns/call", "real");
	make_run(calls, "calls", true, "instructions/call", "instructions");
	snprintf(flood_out, sizeof(flood_out), "%s/out-flood", base);
	snprintf(calls_out, sizeof(calls_out), "%s/out-calls", base);
	return report(flood, flood_out, percall) || report(calls, calls_out, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", base, NULL };
	char out[64], err[256];

	(void)state;
	if (getenv("BPFCOST_KEEP_TEST_OUTPUT"))
		return 0;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

static char *slurp(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_sys_ok(f, path);
	assert_cmp_int(getdelim(&buf, &len, '\0', f), >, 0);
	fclose(f);
	return buf;
}

/* The run as the report analysed it: the model's columns are a function of it. */
static void analyse(struct run *run, const char *dir, const char *pc)
{
	char err[256];

	assert_int_equal(run_load(run, dir, NULL), 0);
	run->estimator = EST_ROBUST;
	assert_int_equal(run_analyse(run), 0);
	if (run_precision(run, 5, "%", err, sizeof(err)))
		fail_msg("run_precision: %s", err);
	if (pc) {
		assert_int_equal(run_percall(run, dir, pc), 0);
		assert_string_equal(run->percall.refused, "");
	}
}

/* The model's headers (CSV: keys) for @where and @part, joined by '|'. */
static void model_heads(const struct run *run, unsigned where, unsigned part, char *out, size_t len)
{
	const struct column *cols[COL_MAX];
	size_t n = col_list(run, where, part, cols);
	char head[96];

	out[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		for (size_t j = 0; where == COL_CSV && j < 4 && cols[k]->csv[j]; j++)
			snprintf(out + strlen(out), len - strlen(out), "%s%s", *out ? "|" : "",
				 cols[k]->csv[j]);
		if (where != COL_CSV)
			snprintf(out + strlen(out), len - strlen(out), "%s%s", k ? "|" : "",
				 col_head(cols[k], run, head, sizeof(head)));
	}
}

/*
 * @line's cells joined by '|': cut at @sep ("  ": a run of blanks, " | ", " & ", ","),
 * the ends trimmed of @trim; "\%" read as "%".
 */
static void split(const char *line, const char *sep, const char *trim, char *out, size_t len)
{
	char buf[4096], *p = buf, *end;
	size_t o = 0;

	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(line, "\n"), line);
	p += strspn(p, trim);
	for (end = p + strlen(p); end > p && strchr(trim, end[-1]);)
		end--;
	*end = '\0';
	while (*p && o + 1 < len) {
		if (!strncmp(p, sep, strlen(sep))) {
			out[o++] = '|';
			p += strlen(sep);
			while (sep[0] == ' ' && sep[1] == ' ' && *p == ' ')
				p++;
		} else if (p[0] == '\\' && p[1] == '%') {
			out[o++] = '%';
			p += 2;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

static void expect_heads(const char *file, const char *got, const char *want)
{
	if (strcmp(got, want))
		fail_msg("%s has the columns\n  %s\nthe model says\n  %s", file, got, want);
}

/* The @nth (from 1) line of @text starting with @prefix. */
static const char *nth_line(const char *text, const char *prefix, int nth)
{
	for (const char *p = text; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (!strncmp(p, prefix, strlen(prefix)) && !--nth)
			return p;
	}
	fail_msg("no line %d starting with \"%s\" in:\n%s", nth, prefix, test_excerpt(text));
	return NULL;
}

static void check_writers(const char *dir, const char *out, const char *pc, const char *must)
{
	char *txt = slurp(out, "table.txt"), *md = slurp(out, "table.md");
	char *tex = slurp(out, "table.tex"), *csv = slurp(out, "summary.csv");
	static char want[8192], got[8192];
	struct run run;

	analyse(&run, dir, pc);
	model_heads(&run, COL_TEXT, PART_VALUES, want, sizeof(want));
	split(nth_line(txt, "Configuration ", 1), "  ", " ", got, sizeof(got));
	expect_heads("table.txt (values)", got, want);
	model_heads(&run, COL_TEXT, PART_IMPACT, want, sizeof(want));
	split(nth_line(txt, "Configuration ", 2), "  ", " ", got, sizeof(got));
	expect_heads("table.txt (impact)", got, want);
	/* what this run must show on a terminal: the model's choice is not empty */
	assert_contains(want, must);
	model_heads(&run, COL_MD, 0, want, sizeof(want));
	split(md, " | ", "| ", got, sizeof(got));
	expect_heads("table.md", got, want);
	model_heads(&run, COL_TEX, 0, want, sizeof(want));
	split(nth_line(tex, "\\toprule", 1) + strlen("\\toprule\n"), " & ", " \\", got,
	      sizeof(got));
	expect_heads("table.tex", got, want);
	model_heads(&run, COL_CSV, 0, want, sizeof(want));
	split(csv, ",", "", got, sizeof(got));
	expect_heads("summary.csv", got, want);
	run_free(&run);
	free(txt);
	free(md);
	free(tex);
	free(csv);
}

static void test_writers_show_the_model(void **state)
{
	(void)state;
	check_writers(flood, flood_out, percall,
		      "Configuration|Impact (%)|Predicted (%)|Sig|ns/pkt|Stats cost (%)|");
	check_writers(calls, calls_out, NULL,
		      "Configuration|Difference (instructions/call)|Sig|Stats cost "
		      "(instructions/call)|");
}

static void expect_fits(const char *out)
{
	char *t = slurp(out, "table.txt"), *line = t;
	int n = 0;

	for (char *nl; *line; line = nl + 1, n++) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		if (utf8_width(line) > TEXT_WIDTH)
			fail_msg("%s/table.txt line %d is %d columns wide (at most %d): %s", out,
				 n + 1, utf8_width(line), TEXT_WIDTH, line);
	}
	assert_cmp_int(n, >, 30);
	free(t);
}

static void test_table_txt_fits_a_terminal(void **state)
{
	char *t;

	(void)state;
	expect_fits(flood_out);
	expect_fits(calls_out);
	/* a name longer than the terminal leaves: on its own line, then its cells */
	t = slurp(flood_out, "table.txt");
	assert_contains(t, "\nkretprobe-fprobe-spin-stat@spin_ns=16000,unrolled_loops=1000000\n "
			   "                            -64.0% [");
	/* nothing is lost to the width: the long error is whole, cut lines joined */
	test_unwrap(t);
	assert_contains(t, "\nfexit-null ");
	assert_contains(t, " unsupported (5 failed): " LONG_ERROR "\n");
	free(t);
}

/* Past the CSV cell at @p (quoted or not) and its ',' or '\n'. */
static char *next_cell(char *p)
{
	if (*p == '"')
		for (p++; *p && !(*p == '"' && p[1] != '"'); p += *p == '"' ? 2 : 1)
			;
	p += strcspn(p, ",\n");
	return *p ? p + 1 : p;
}

/* summary.csv: a schema_version column, the same version in every row. */
static void test_summary_schema_version(void **state)
{
	char *csv = slurp(flood_out, "summary.csv"), *line, *p, want[32];
	int col = 0, rows = 0;

	(void)state;
	for (p = csv; strncmp(p, "schema_version,", 15) && strncmp(p, "schema_version\n", 15);
	     p = next_cell(p), col++)
		if (!*p || (p > csv && p[-1] == '\n'))
			fail_msg("summary.csv has no schema_version column: %s", test_excerpt(csv));
	snprintf(want, sizeof(want), "%d", SUMMARY_SCHEMA_VERSION);
	for (line = strchr(csv, '\n') + 1; *line; line = strchr(line, '\n') + 1, rows++) {
		p = line;
		for (int k = 0; k < col; k++)
			p = next_cell(p);
		if (strncmp(p, want, strlen(want)) || !strchr(",\n", p[strlen(want)]))
			fail_msg("row %d: schema_version \"%.8s\", expected %s", rows + 1, p, want);
	}
	assert_int_equal(rows, 10); /* nine rows and the unsupported one */
	free(csv);
}

static bool line_has(const char *line, const char *end, const char *s)
{
	const char *p = strstr(line, s);

	return p && p < end;
}

/* samples.csv: each record's own schema; the error records were written without one. */
static void test_samples_schema_version(void **state)
{
	char *csv = slurp(flood_out, "samples.csv"), *line;
	int v1 = 0, v2 = 0;

	(void)state;
	line = strchr(csv, '\n');
	assert_non_null(line);
	*line = '\0';
	if (strlen(csv) < 15 || strcmp(csv + strlen(csv) - 15, ",schema_version"))
		fail_msg("samples.csv's header \"%s\", expected it to end with schema_version",
			 csv);
	for (line++; *line; line = strchr(line, '\n') + 1) {
		char *end = strchr(line, '\n');

		assert_non_null(end);
		bool error_row = line_has(line, end, ",fexit-null,");

		v1 += !strncmp(end - 2, ",1", 2) && error_row;
		v2 += !strncmp(end - 2, ",2", 2) && !error_row;
	}
	assert_int_equal(v1, N_SAMPLES);
	assert_int_equal(v2, N_SAMPLES * 9);
	free(csv);
}

static int parse(const char *version, struct record *r, char *why, size_t len)
{
	char line[512];

	snprintf(line, sizeof(line), "{%s%s%s\"config\":\"tp-null\",\"rx_bps\":1000,\"block\":0}",
		 version ? "\"schema_version\":" : "", version ? version : "", version ? "," : "");
	return record_parse(line, r, why, len);
}

/* Records carry their schema; those written before it are version 1, newer are refused. */
static void test_record_schema_version(void **state)
{
	static const char *const bad[] = { "3", "0", "1.5", "\"2\"", "null", "1e300" };
	char why[256] = "", v[16];
	struct record r;

	(void)state;
	assert_int_equal(parse(NULL, &r, why, sizeof(why)), 0);
	assert_int_equal(r.schema_version, 1);
	snprintf(v, sizeof(v), "%d", RECORD_SCHEMA_VERSION);
	assert_int_equal(parse(v, &r, why, sizeof(why)), 0);
	assert_int_equal(r.schema_version, RECORD_SCHEMA_VERSION);
	assert_int_equal(RECORD_SCHEMA_VERSION, 2); /* raise bad[0] with it */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (parse(bad[i], &r, why, sizeof(why)) != -1)
			fail_msg("schema_version %s was accepted, expected a malformed record",
				 bad[i]);
		assert_contains(why, "schema_version");
	}
	assert_int_equal(parse("3", &r, why, sizeof(why)), -1);
	assert_contains(why, "newer than this report reads (2)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writers_show_the_model),
		cmocka_unit_test(test_table_txt_fits_a_terminal),
		cmocka_unit_test(test_summary_schema_version),
		cmocka_unit_test(test_samples_schema_version),
		cmocka_unit_test(test_record_schema_version),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
