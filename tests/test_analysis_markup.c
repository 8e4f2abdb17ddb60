// SPDX-License-Identifier: GPL-2.0
/*
 * A results folder made by someone else reaches a table only as inert text and
 * possible numbers: a workload's own metric field negative, hits per event of
 * 1e308 and a zero baseline are refused or shown as '-', never as nan, inf or
 * hundreds of digits; markup and formulas in error text and a folder name are
 * neutralised in each format (and pdflatex accepts the LaTeX); no control
 * character reaches table.txt or the terminal; an empty samples.jsonl is an
 * error, not a crash (SANITIZE=1).
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/records.h"
#include "analysis/report.h"
#include "testlib.h"

static char base[] = "/tmp/bpfcost-test-markup-XXXXXX";

static const char *const tables[] = { "table.txt", "table.md", "table.tex", "summary.csv" };
#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

/* The folder name a hostile colleague picks: ANSI colour, a line break, a pipe. */
#define HOSTILE_NAME                                                                               \
	"r\x1b[31m\n|<\x9b"                                                                        \
	"2J"

/* <base>/<name> with @lines as samples.jsonl and @manifest (if any) as manifest.json. */
static const char *folder(const char *name, const char *const *lines, const char *manifest)
{
	static char dir[PATH_MAX];
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	if (mkdir(dir, 0755))
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	for (; lines && *lines; lines++)
		fprintf(f, "%s\n", *lines);
	fclose(f);
	if (manifest) {
		snprintf(path, sizeof(path), "%s/manifest.json", dir);
		f = fopen(path, "w");
		assert_sys_ok(f, path);
		fputs(manifest, f);
		fclose(f);
	}
	return dir;
}

/* Contents of @dir/@name; "" when empty. */
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
		free(buf); /* getdelim allocates even when it reads nothing */
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

/* The report binary as a user runs it, so its stdout and stderr are what a terminal gets. */
static int run_report(const char *dir, bool plots, char *out, size_t outlen, char *err,
		      size_t errlen)
{
	char bin[PATH_MAX], d[PATH_MAX];
	char *argv[] = { bin, "--no-plots", d, NULL };

	snprintf(bin, sizeof(bin), "%s", test_out_path("bin/bpfcost-report"));
	snprintf(d, sizeof(d), "%s", dir);
	if (plots) {
		argv[1] = d;
		argv[2] = NULL;
	}
	return run_capture(argv, out, outlen, err, errlen, 120000);
}

/* "nan" or "inf" as a word (not "info"), case-insensitive: a number that cannot be. */
static void expect_no_impossible_token(const char *what, const char *t)
{
	static const char *const bad[] = { "nan", "inf" };

	for (size_t k = 0; k < 2; k++)
		for (const char *p = t; (p = strcasestr(p, bad[k])); p++)
			if (!(p > t && isalpha((unsigned char)p[-1])) &&
			    !isalpha((unsigned char)p[3]))
				fail_msg("%s prints \"%.40s\"; expected no nan or inf", what,
					 p > t + 20 ? p - 20 : t);
}

/* No run of more than 20 digits: a bounded value never prints as hundreds of them. */
static void expect_no_long_number(const char *what, const char *t)
{
	size_t run = 0;

	for (const char *p = t; *p; p++) {
		run = isdigit((unsigned char)*p) ? run + 1 : 0;
		if (run > 20)
			fail_msg("%s prints a number of more than 20 digits: \"%.40s\"", what,
				 p - 20);
	}
}

static void expect_in(const char *what, const char *t, const char *needle)
{
	if (!strstr(t, needle))
		fail_msg("%s lacks \"%s\"; it has:\n%s", what, needle, test_excerpt(t));
}

static void expect_not_in(const char *what, const char *t, const char *needle)
{
	const char *p = strstr(t, needle);

	if (p)
		fail_msg("%s holds \"%s\" (at \"%.60s\"); expected it neutralised", what, needle,
			 p);
}

/* Bytes a terminal would act on: C0 controls but '\n', DEL, and bytes of no UTF-8 character. */
static void expect_plain_text(const char *what, const char *t)
{
	const unsigned char *p = (const unsigned char *)t;

	for (size_t i = 0; p[i]; i++) {
		unsigned char c = p[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f || c == 0xff || c == 0x9b ||
		    (c == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f))
			fail_msg("%s has byte 0x%02x at %zu (\"%.30s\"); expected '?' for it", what,
				 c, i, i > 10 ? t + i - 10 : t);
		/* A lone continuation or lead byte, as in "\x9b" or "\xff": not UTF-8. */
		if (c >= 0x80 && c < 0xc0 && (i == 0 || p[i - 1] < 0x80))
			fail_msg("%s has a stray UTF-8 byte 0x%02x at %zu; expected '?'", what, c,
				 i);
	}
}

static const char *const trigger_metric =
	"\"metric\":{\"name\":\"time per call\",\"field\":\"ns_per_call\",\"unit\":\"ns/call\","
	"\"scale\":1,\"higher_is_better\":false,\"event\":\"call\"}";

/* The field a workload declares is checked like a count, whatever its name. */
static void test_negative_workload_metric_refused(void **state)
{
	char line[512], why[128];
	struct record r;

	(void)state;
	snprintf(line, sizeof(line),
		 "{\"config\":\"tp-null\",\"block\":0,%s,\"calls\":1000,\"elapsed_ns\":5e5,"
		 "\"ns_per_call\":-1161.6}",
		 trigger_metric);
	assert_int_equal(record_parse(line, &r, why, sizeof(why)), 0);
	if (!r.failed ||
	    strcmp(r.error, "impossible value: ns_per_call = -1161.6 (negative count)"))
		fail_msg("negative ns_per_call: failed=%d error \"%s\"; expected an error record "
			 "\"impossible value: ns_per_call = -1161.6 (negative count)\"",
			 r.failed, r.error);
	/* Its counts and elapsed time too. */
	snprintf(line, sizeof(line),
		 "{\"config\":\"tp-null\",\"block\":0,%s,\"calls\":1000,\"elapsed_ns\":-5e5,"
		 "\"ns_per_call\":500}",
		 trigger_metric);
	assert_int_equal(record_parse(line, &r, why, sizeof(why)), 0);
	if (!r.failed || !strstr(r.error, "elapsed_ns = -500000 (negative count)"))
		fail_msg("negative elapsed_ns: failed=%d error \"%s\"; expected it named", r.failed,
			 r.error);

	{
		char l0[512], l1[512], l2[512], l3[512];
		const char *lines[] = { l0, l1, l2, l3, NULL };
		const char *dir;
		char out[8192], err[4096];

		snprintf(l0, sizeof(l0),
			 "{\"config\":\"baseline\",\"block\":0,%s,\"ns_per_call\":500}",
			 trigger_metric);
		snprintf(l1, sizeof(l1),
			 "{\"config\":\"baseline\",\"block\":1,%s,\"ns_per_call\":510}",
			 trigger_metric);
		snprintf(l2, sizeof(l2),
			 "{\"config\":\"tp-null\",\"block\":0,%s,\"ns_per_call\":-1161.6}",
			 trigger_metric);
		snprintf(l3, sizeof(l3),
			 "{\"config\":\"tp-null\",\"block\":1,%s,\"ns_per_call\":-1162}",
			 trigger_metric);
		dir = folder("negative-metric", lines, NULL);
		assert_int_equal(run_report(dir, false, out, sizeof(out), err, sizeof(err)), 0);
		for (size_t i = 0; i < N_TABLES; i++) {
			char *t = slurp(dir, tables[i]);

			expect_not_in(tables[i], t, "-1161.6±");
			expect_not_in(tables[i], t, "-1161.6 ±");
			expect_not_in(tables[i], t, "-1161.6 \\pm");
			expect_not_in(tables[i], t, "-1161.6,");
			free(t);
		}
		{
			char *t = slurp(dir, "table.txt");

			expect_in("table.txt", t, "impossible value: ns_per_call = -1161.6");
			free(t);
		}
	}
}

/* hits_per_event 1e308 printed "inf !!" and a 309-digit range. */
static void test_huge_hits_refused(void **state)
{
	static const char *const lines[] = {
		"{\"config\":\"baseline\",\"block\":0,\"rx_bps\":1e7,\"rx_pps\":20000}",
		"{\"config\":\"baseline\",\"block\":1,\"rx_bps\":1.1e7,\"rx_pps\":21000}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":0,"
		"\"rx_bps\":9e6,\"rx_pps\":18000,\"hits_per_event\":1e308}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":1,"
		"\"rx_bps\":9e6,\"rx_pps\":18000,\"hits_per_event\":1e308}",
		"{\"config\":\"tp-map\",\"attach\":\"tp\",\"probe\":\"map\",\"block\":0,"
		"\"rx_bps\":9e6,\"rx_pps\":18000,\"hits_per_event\":2e6}",
		NULL,
	};
	const char *dir = folder("huge-hits", lines, NULL);
	char out[8192], err[4096], *t;

	(void)state;
	assert_int_equal(run_report(dir, false, out, sizeof(out), err, sizeof(err)), 0);
	t = slurp(dir, "table.txt");
	expect_in("table.txt", t, "impossible value: hits_per_event = 1e+308 (beyond");
	expect_in("table.txt", t, "impossible value: hits_per_event = 2e+06 (above 1000000");
	free(t);
	for (size_t i = 0; i < N_TABLES; i++) {
		t = slurp(dir, tables[i]);
		expect_no_impossible_token(tables[i], t);
		expect_no_long_number(tables[i], t);
		free(t);
	}
}

/* Every file under @dir and its plot/ folder, read in full, checked by @check. */
static size_t check_outputs(const char *dir, void (*check)(const char *what, const char *t))
{
	static const char *const subdirs[] = { "", "plot" };
	size_t n = 0;

	for (size_t s = 0; s < 2; s++) {
		char d[PATH_MAX];
		struct dirent *e;
		DIR *dh;

		snprintf(d, sizeof(d), "%s/%s", dir, subdirs[s]);
		dh = opendir(d);
		if (!dh)
			continue;
		while ((e = readdir(dh))) {
			size_t len = strlen(e->d_name);
			char *t;

			/* Images are binary; their data files are checked. */
			if (e->d_type != DT_REG ||
			    (len > 4 && (!strcmp(e->d_name + len - 4, ".png") ||
					 !strcmp(e->d_name + len - 4, ".pdf") ||
					 !strcmp(e->d_name + len - 4, ".svg"))))
				continue;
			t = slurp(d, e->d_name);
			check(e->d_name, t);
			free(t);
			n++;
		}
		closedir(dh);
	}
	return n;
}

/* A zero-bitrate baseline printed "nan%" in the MDE note; "N":1e999 printed "N=inf". */
static void test_zero_baseline_no_nan(void **state)
{
	static const char *const lines[] = {
		"{\"config\":\"baseline\",\"block\":0,\"rx_bps\":0,\"rx_pps\":0}",
		"{\"config\":\"baseline\",\"block\":1,\"rx_bps\":0,\"rx_pps\":0}",
		"{\"config\":\"baseline\",\"block\":2,\"rx_bps\":0,\"rx_pps\":0}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":0,"
		"\"rx_bps\":1e7,\"rx_pps\":20000,\"hits_per_event\":1}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":1,"
		"\"rx_bps\":1.1e7,\"rx_pps\":21000,\"hits_per_event\":1}",
		"{\"config\":\"tp-spin\",\"attach\":\"tp\",\"probe\":\"spin\",\"block\":0,"
		"\"rx_bps\":1e7,\"rx_pps\":20000,\"spin_ns\":1000}",
		"{\"config\":\"tp-spin\",\"attach\":\"tp\",\"probe\":\"spin\",\"block\":1,"
		"\"rx_bps\":1.2e7,\"rx_pps\":22000,\"spin_ns\":1000}",
		NULL,
	};
	const char *dir = folder("zero-baseline", lines,
				 "{\"N\":1e999,\"duration\":-1e999,\"matrix\":\"m\"}");
	char out[16384], err[4096];
	size_t n;
	int rc;

	(void)state;
	rc = run_report(dir, true, out, sizeof(out), err, sizeof(err));
	if (rc != 0)
		fail_msg("bpfcost-report exit %d, expected 0; stderr:\n%s", rc, err);
	n = check_outputs(dir, expect_no_impossible_token);
	/* four tables, plot data and scripts: all of them were read */
	if (n < N_TABLES + 2)
		fail_msg("%zu output files checked, expected at least %zu", n, N_TABLES + 2);
	expect_no_impossible_token("stdout", out);
	expect_no_impossible_token("stderr", err);
	{
		char *t = slurp(dir, "table.txt");

		expect_in("table.txt", t, "matrix=m");
		expect_not_in("table.txt", t, "N=");
		free(t);
	}
}

/* A baseline of 1e-200: impacts of 1e208 % are finite, and must not print as 209 digits. */
static void test_tiny_baseline_no_long_number(void **state)
{
	static const char *const lines[] = {
		"{\"config\":\"baseline\",\"block\":0,\"rx_bps\":1e-200,\"rx_pps\":1e-200}",
		"{\"config\":\"baseline\",\"block\":1,\"rx_bps\":2e-200,\"rx_pps\":2e-200}",
		"{\"config\":\"baseline\",\"block\":2,\"rx_bps\":3e-200,\"rx_pps\":3e-200}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":0,"
		"\"rx_bps\":1e7,\"rx_pps\":20000}",
		"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":1,"
		"\"rx_bps\":1.1e7,\"rx_pps\":21000}",
		NULL,
	};
	const char *dir = folder("tiny-baseline", lines, NULL);
	char out[16384], err[4096];
	int rc;

	(void)state;
	rc = run_report(dir, false, out, sizeof(out), err, sizeof(err));
	if (rc != 0)
		fail_msg("bpfcost-report exit %d, expected 0; stderr:\n%s", rc, err);
	check_outputs(dir, expect_no_long_number);
	check_outputs(dir, expect_no_impossible_token);
	expect_no_long_number("stdout", out);
}

/* Error text a hostile record carries: live HTML, a link, formulas, LaTeX, terminal escapes. */
#define PAYLOAD_HTML "<img src=x onerror=alert(1)>"
#define PAYLOAD_LINK "[x](javascript:alert(1))"
#define PAYLOAD_CSV  "=HYPERLINK(\\\"http://e.example\\\",\\\"x\\\")"
static const char *const hostile_lines[] = {
	"{\"config\":\"baseline\",\"block\":0,\"rx_bps\":1e7}",
	"{\"config\":\"baseline\",\"block\":1,\"rx_bps\":1.1e7}",
	"{\"config\":\"tp-null\",\"attach\":\"tp\",\"probe\":\"null\",\"block\":0,\"error\":"
	"\"" PAYLOAD_HTML " " PAYLOAD_LINK "\"}",
	"{\"config\":\"tp-map\",\"attach\":\"tp\",\"probe\":\"map\",\"block\":0,\"error\":"
	"\"" PAYLOAD_CSV "\"}",
	"{\"config\":\"kprobe-map\",\"attach\":\"kprobe\",\"probe\":\"map\",\"block\":0,"
	"\"error\":\"+cmd|' /C calc'!A0\"}",
	"{\"config\":\"kprobe-null\",\"attach\":\"kprobe\",\"probe\":\"null\",\"block\":0,"
	"\"error\":\"@SUM(1+1) \\u001b[31mred\\u001b[0m \\u009b2J "
	"\xff\xfe\\\\input{/etc/passwd}\"}",
	NULL,
};

/* RFC 4180 cells of a line; a cell a spreadsheet runs starts with = + - @ tab or CR. */
static void expect_no_formula_cell(const char *line)
{
	const char *p = line;

	while (*p && *p != '\n') {
		char cell[512];
		size_t n = 0;
		char *end;

		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				if (n + 1 < sizeof(cell))
					cell[n++] = *p;
			}
			if (*p == '"')
				p++;
		} else {
			for (; *p && *p != ',' && *p != '\n'; p++)
				if (n + 1 < sizeof(cell))
					cell[n++] = *p;
		}
		cell[n] = '\0';
		/* Numbers stay numbers: "-12.5" is a value, not a formula. */
		strtod(cell, &end);
		if (n && strchr("=+-@\t\r", cell[0]) && *end)
			fail_msg("summary.csv cell \"%s\" would run as a formula; expected it to "
				 "start with a quote",
				 cell);
		if (*p == ',')
			p++;
	}
}

static void test_hostile_strings_neutralised(void **state)
{
	char out[16384], err[8192], *t;
	const char *dir;
	int rc;

	(void)state;
	dir = folder(HOSTILE_NAME, hostile_lines, "{\"matrix\":\"m\\u001b]0;pwned\\u0007\\n|x\"}");
	rc = run_report(dir, false, out, sizeof(out), err, sizeof(err));
	if (rc != 0)
		fail_msg("bpfcost-report exit %d, expected 0; stderr:\n%s", rc, err);

	t = slurp(dir, "table.md");
	expect_not_in("table.md", t, PAYLOAD_HTML);
	expect_not_in("table.md", t, "<img");
	expect_not_in("table.md", t, "x](javascript"); /* it reads \[x\](... */
	expect_in("table.md", t, "&lt;img src=x onerror=alert(1)&gt;");
	expect_in("table.md", t, "\\[x\\](javascript:alert(1))");
	expect_plain_text("table.md", t);
	free(t);

	t = slurp(dir, "summary.csv");
	expect_in("summary.csv", t, "\"'=HYPERLINK(\"\"http://e.example\"\"");
	expect_in("summary.csv", t, "\"'+cmd|' /C calc'!A0\"");
	expect_in("summary.csv", t, "'@SUM(1+1)");
	for (const char *l = t; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		expect_no_formula_cell(l);
	expect_plain_text("summary.csv", t);
	free(t);

	t = slurp(dir, "table.tex");
	for (size_t i = 0; t[i]; i++)
		if ((unsigned char)t[i] >= 0x7f || ((unsigned char)t[i] < 0x20 && t[i] != '\n'))
			fail_msg("table.tex has byte 0x%02x at %zu; expected printable ASCII only",
				 (unsigned char)t[i], i);
	expect_in("table.tex", t, "\\textbackslash{}input");
	free(t);

	t = slurp(dir, "table.txt");
	expect_plain_text("table.txt", t);
	expect_in("table.txt", t, "r?[31m?|<?2J");
	free(t);
	expect_plain_text("stdout", out);
	expect_plain_text("stderr", err);
	assert_contains(out, "bpfcost report: ");
}

/* pdflatex stopped on a 0xFF byte: the table from the hostile folder must compile. */
static void test_pdflatex_accepts_hostile_table(void **state)
{
	char doc[PATH_MAX], path[PATH_MAX + 16], out[65536], err[4096], *t;
	char *argv[] = { "pdflatex",
			 "-interaction=nonstopmode",
			 "-halt-on-error",
			 "-no-shell-escape",
			 "-output-directory",
			 doc,
			 path,
			 NULL };
	const char *dir;
	FILE *f;
	int rc;

	(void)state;
	if (access("/usr/bin/pdflatex", X_OK)) {
		print_message("pdflatex not installed (make deps): skipped\n");
		skip();
	}
	dir = folder("tex" HOSTILE_NAME, hostile_lines, NULL);
	rc = run_report(dir, false, out, sizeof(out), err, sizeof(err));
	if (rc != 0)
		fail_msg("bpfcost-report exit %d, expected 0; stderr:\n%s", rc, err);
	t = slurp(dir, "table.tex");
	/* The document sits in a plain folder: the hostile name is the table's, not its path. */
	snprintf(doc, sizeof(doc), "%s/latex", base);
	assert_int_equal(mkdir(doc, 0755), 0);
	snprintf(path, sizeof(path), "%s/doc.tex", doc);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	fprintf(f,
		"\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n%s\n"
		"\\end{document}\n",
		t);
	fclose(f);
	free(t);
	rc = run_capture(argv, out, sizeof(out), err, sizeof(err), 120000);
	/* TeX's errors are the lines starting with '!'. */
	if (rc != 0)
		fail_msg("pdflatex exit %d, expected 0; its first error:\n%.600s", rc,
			 strstr(out, "\n!") ? strstr(out, "\n!") : out);
	snprintf(path, sizeof(path), "%s/doc.pdf", doc);
	if (access(path, R_OK))
		fail_msg("pdflatex wrote no %s", path);
}

/* An empty samples.jsonl aborted under SANITIZE=1 (qsort on NULL); now an analysis error. */
static void test_empty_samples(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const blank[] = { "", "   ", NULL };
	char out[4096], err[4096];
	int rc;

	(void)state;
	rc = run_report(folder("empty", none, NULL), true, out, sizeof(out), err, sizeof(err));
	if (rc != 1 || !strstr(err, "no successful 'baseline' sample"))
		fail_msg("empty samples.jsonl: exit %d, stderr \"%s\"; expected exit 1 and "
			 "\"no successful 'baseline' sample\"",
			 rc, err);
	rc = run_report(folder("blank" HOSTILE_NAME, blank, "{}"), true, out, sizeof(out), err,
			sizeof(err));
	if (rc != 1)
		fail_msg(
			"blank samples.jsonl in a hostile folder: exit %d, expected 1; stderr:\n%s",
			rc, err);
	expect_plain_text("stderr", err);
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
		cmocka_unit_test(test_negative_workload_metric_refused),
		cmocka_unit_test(test_huge_hits_refused),
		cmocka_unit_test(test_zero_baseline_no_nan),
		cmocka_unit_test(test_tiny_baseline_no_long_number),
		cmocka_unit_test(test_hostile_strings_neutralised),
		cmocka_unit_test(test_pdflatex_accepts_hostile_table),
		cmocka_unit_test(test_empty_samples),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
