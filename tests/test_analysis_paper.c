// SPDX-License-Identifier: GPL-2.0
/*
 * The paper outputs on real runs (a flood MATRIX=all and a per-call
 * CLOCK=instructions MATRIX=all, in tests/fixtures/runs/): paper-table.tex
 * compiles, without an overfull box, in an IEEEtran conference column (252 pt)
 * and in a two-column article with 241 pt columns, each loading only booktabs
 * and siunitx; paper-figure.pdf embeds every font and none is Type 3; paper.pdf
 * (--paper, what make paper runs) shows every row's added cost and cost of stats in summary.csv
 * as the tables round it. Also: caption strings from a hostile manifest are
 * neutralised, and --paper without pdflatex fails with a clear message.
 */
#include <errno.h>
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

#include "analysis/paper.h"
#include "analysis/report.h"
#include "testlib.h"

#define TEX_TIMEOUT_MS 120000

static const char *const fixtures[] = {
	"matrix-all-tcg-2026-11-29",
	"trigger-instructions-all-tcg-2026-11-30",
};
#define N_FIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

static char base[] = "/tmp/bpfcost-test-paper-XXXXXX";
static char out[1 << 16], err[1 << 16];

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char *path_in(const char *dir, const char *name)
{
	static char p[4][2 * PATH_MAX + 2];
	static int k;

	k = (k + 1) % 4;
	if (snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name) >= (int)sizeof(p[k]))
		fail_msg("path too long: %s/%s", dir, name);
	return p[k];
}

/* <base>/<name>: a fixture's samples.jsonl and manifest.json, to write into. */
static const char *fixture_copy(const char *fixture, const char *name)
{
	static char dir[PATH_MAX];
	char src[PATH_MAX];

	snprintf(src, sizeof(src), "tests/fixtures/runs/%s", fixture);
	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	assert_sys_ok(!mkdir(dir, 0755) || errno == EEXIST, dir);
	for (int i = 0; i < 2; i++) {
		const char *f = i ? "manifest.json" : "samples.jsonl";
		char *text = slurp(test_root_path(path_in(src, f)));

		assert_sys_ok(text, path_in(src, f));
		put(path_in(dir, f), text);
		free(text);
	}
	return dir;
}

static int report(const char *dir, bool paper)
{
	const char *argv[] = { "bpfcost-report", "-q", paper ? "--paper" : "--no-plots", dir };

	return report_cli(4, (char **)argv);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", base, NULL };

	(void)state;
	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

/* The log's error ("!") and overfull lines, for a failure message. */
static const char *log_problems(const char *log)
{
	static char buf[4096];
	size_t n = 0;

	buf[0] = '\0';
	for (const char *l = log; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
		size_t len = strcspn(l, "\n");

		if ((l[0] == '!' || !strncmp(l, "Overfull", 8) || !strncmp(l, "l.", 2)) &&
		    n + len + 2 < sizeof(buf)) {
			memcpy(buf + n, l, len);
			n += len;
			buf[n++] = '\n';
			buf[n] = '\0';
		}
	}
	return buf;
}

/* @preamble + \input{<dir>/paper-table} compiled in <dir>: no error, no overfull box. */
static void compile_in(const char *dir, const char *name, const char *preamble)
{
	char tex[PATH_MAX * 2], logname[NAME_MAX + 1], outdir[PATH_MAX + 32], *log;
	char *argv[] = { "pdflatex",
			 "-no-shell-escape",
			 "-interaction=nonstopmode",
			 "-halt-on-error",
			 outdir,
			 (char *)path_in(dir, name),
			 NULL };
	int rc;

	snprintf(tex, sizeof(tex),
		 "%s\\usepackage{booktabs}\n\\usepackage{siunitx}\n\\begin{document}\n"
		 "Text before the table.\n\\input{%s/paper-table}\nText after.\n\\end{document}\n",
		 preamble, dir);
	snprintf(outdir, sizeof(outdir), "-output-directory=%s", dir);
	put(path_in(dir, name), tex);
	rc = run_capture(argv, out, sizeof(out), err, sizeof(err), TEX_TIMEOUT_MS);
	snprintf(logname, sizeof(logname), "%.*s.log", (int)(strlen(name) - 4), name);
	log = slurp(path_in(dir, logname));
	if (rc)
		fail_msg("pdflatex %s in %s: exit %d, expected 0; the log says:\n%s", name, dir, rc,
			 log ? log_problems(log) : "(no log)");
	assert_sys_ok(log, path_in(dir, logname));
	if (strstr(log, "Overfull \\hbox"))
		fail_msg("%s/%s: paper-table.tex is wider than the column, expected none:\n%s", dir,
			 logname, log_problems(log));
	free(log);
}

static void test_table_fits_one_column(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_FIXTURES; i++) {
		const char *dir = fixture_copy(fixtures[i], fixtures[i]);

		assert_int_equal(report(dir, false), 0);
		compile_in(dir, "ieee.tex", "\\documentclass[conference]{IEEEtran}\n");
		/* ACM sigconf's column (241 pt) without acmart's gigabyte of fonts. */
		compile_in(dir, "article.tex",
			   "\\documentclass[twocolumn]{article}\n"
			   "\\usepackage[textwidth=500pt,columnsep=18pt]{geometry}\n");
	}
}

/* pdffonts: the line of dashes gives the columns; "emb" is the fourth. */
static void test_figure_fonts_embedded(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_FIXTURES; i++) {
		const char *dir = fixture_copy(fixtures[i], fixtures[i]);
		char *argv[] = { "pdffonts", (char *)path_in(dir, "paper-figure.pdf"), NULL };
		const char *dashes, *l;
		size_t col[7] = { 0 }, k = 0, fonts = 0;

		assert_int_equal(report(dir, true), 0);
		assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err), 30000), 0);
		dashes = strstr(out, "\n---");
		if (!dashes)
			fail_msg("pdffonts printed no table:\n%s", out);
		dashes++;
		for (l = dashes; *l && *l != '\n' && k < 7; l++)
			if (*l == '-' && (l == dashes || l[-1] == ' '))
				col[k++] = (size_t)(l - dashes);
		assert_cmp_int(k, ==, 7);
		for (l = strchr(dashes, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
			const char *line = l + 1;
			size_t len = strcspn(line, "\n");

			if (len <= col[4])
				continue;
			fonts++;
			if (strncmp(line + col[3], "yes", 3))
				fail_msg("%s: a font is not embedded: %.*s", argv[1], (int)len,
					 line);
			if (!strncmp(line + col[1], "Type 3", 6))
				fail_msg("%s: a Type 3 font: %.*s", argv[1], (int)len, line);
		}
		assert_cmp_int(fonts, >=, 1);
	}
}

/* The text of a PDF, a minus sign (U+2212) read as '-'. */
static char *pdf_text(const char *pdf)
{
	char *argv[] = { "pdftotext", (char *)pdf, "-", NULL };
	static char text[1 << 18];
	char *r = text, *w = text;

	assert_int_equal(run_capture(argv, text, sizeof(text), err, sizeof(err), 30000), 0);
	for (; *r; r++) {
		if (!strncmp(r, "\xe2\x88\x92", 3)) {
			*w++ = '-';
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return text;
}

/* Column @name of summary.csv's header line, or -1. */
static int csv_col(const char *header, const char *name)
{
	int i = 0;

	for (const char *p = header; *p && *p != '\n'; i++) {
		size_t n = strcspn(p, ",\n");

		if (n == strlen(name) && !strncmp(p, name, n))
			return i;
		p += n + (p[n] == ',');
	}
	return -1;
}

/* Field @col of the CSV line @line (no quoted commas in numeric rows) as a number. */
static double csv_num(const char *line, int col)
{
	for (int i = 0; i < col; i++) {
		line = strchr(line, ',');
		if (!line)
			return NAN;
		line++;
	}
	return *line == ',' || *line == '\n' || !*line ? NAN : strtod(line, NULL);
}

static void test_paper_pdf_shows_every_added_cost(void **state)
{
	static const char *const keys[2][4] = {
		{ "impact_percent", "ns_per_packet_added", "stats_cost_percent",
		  "stats_cost_ns_per_packet" },
		{ "diff", "stats_cost", NULL, NULL },
	};
	(void)state;
	for (size_t i = 0; i < N_FIXTURES; i++) {
		const char *dir = fixture_copy(fixtures[i], fixtures[i]);
		char *csv, *log, *text, num[64];
		int cols[4];
		const char *const *k;
		size_t rows = 0;

		assert_int_equal(report(dir, true), 0);
		log = slurp(path_in(dir, "paper.log"));
		assert_sys_ok(log, path_in(dir, "paper.log"));
		assert_not_contains(log, "Overfull \\hbox");
		free(log);
		text = pdf_text(path_in(dir, "paper.pdf"));
		csv = slurp(path_in(dir, "summary.csv"));
		assert_sys_ok(csv, path_in(dir, "summary.csv"));
		/*
		 * The flood's added cost is its impact in % and ns per packet, else the
		 * difference; and the same for the cost of turning stats on.
		 */
		k = keys[strstr(fixtures[i], "trigger") != NULL];
		for (int c = 0; c < 4; c++) {
			cols[c] = k[c] ? csv_col(csv, k[c]) : -1;
			if (k[c] && cols[c] < 0)
				fail_msg("summary.csv has no column %s", k[c]);
		}
		for (char *l = strchr(csv, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
			for (int c = 0; c < 4; c++) {
				double v = cols[c] >= 0 ? csv_num(l + 1, cols[c]) : NAN;

				if (!isfinite(v))
					continue;
				paper_num(num, sizeof(num), v, true);
				if (!strstr(text, num))
					fail_msg(
						"%s: paper.pdf lacks %s (summary.csv %.*s %s = %g)",
						fixtures[i], num, (int)strcspn(l + 1, ","), l + 1,
						k[c], v);
				rows++;
			}
		}
		/* Every configuration but the baseline has one. */
		assert_cmp_int(rows, >=, 20);
		free(csv);
	}
}

/* @text with every @from replaced by @to, in a new string. */
static char *replace_all(const char *text, const char *from, const char *to)
{
	size_t n = 0, lf = strlen(from), lt = strlen(to);
	const char *p;
	char *r, *w;

	for (p = text; (p = strstr(p, from)); p += lf)
		n++;
	r = malloc(strlen(text) + n * lt + 1);
	assert_sys_ok(r, "replace_all");
	for (w = r, p = text; *p;) {
		if (!strncmp(p, from, lf)) {
			memcpy(w, to, lt);
			w += lt;
			p += lf;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	return r;
}

static void test_caption_strings_neutralised(void **state)
{
	const char *dir = fixture_copy(fixtures[0], "hostile");
	/* As JSON: a backslash is written twice. */
	const char *evil = "\"\\\\input{/etc/passwd}$^_&%#{}~\\\\write18{touch x}\"";
	char *m = slurp(path_in(dir, "manifest.json")), *m2, *m3, *tex;

	(void)state;
	assert_sys_ok(m, "manifest.json");
	/* The target's kernel release and CPU model, and the workload's name, made LaTeX. */
	m2 = replace_all(m, "\"6.12.107+deb12-cloud-amd64\"", evil);
	m3 = replace_all(m2, "\"QEMU TCG CPU version 2.5+\"", evil);
	free(m2);
	m2 = replace_all(m3, "\"iperf\"", "\"}\\\\end{table}\\\\input{x}\"");
	assert_not_contains(m, "input{");
	assert_contains(m2, "input{/etc/passwd}");
	put(path_in(dir, "manifest.json"), m2);
	assert_int_equal(report(dir, true), 0);
	tex = slurp(path_in(dir, "paper-table.tex"));
	assert_sys_ok(tex, "paper-table.tex");
	assert_not_contains(tex, "\\input{/etc");
	assert_not_contains(tex, "\\input{x");
	assert_not_contains(tex, "\\write18");
	assert_contains(tex, "\\textbackslash{}input");
	assert_contains(tex, "\\label{tab:bpfcost-endtableinputx}");
	/* It still compiled, as paper.pdf shows. */
	assert_contains(test_file_kind(path_in(dir, "paper.pdf")), "regular");
	free(tex);
	free(m2);
	free(m3);
	free(m);
}

/*
 * A folder someone else made: its name is LaTeX and shell, paper.pdf is planted as
 * a link to a file outside, paper.log as a FIFO. The page compiles all the same
 * (the name never reaches pdflatex), nothing is written through the link and
 * nothing waits on the FIFO: both become regular files.
 */
static void test_paper_in_hostile_folder(void **state)
{
	const char *dir = fixture_copy(fixtures[1], "r$(touch PWNED)\\input{x}%");
	char outside[PATH_MAX + 16], *text;

	(void)state;
	snprintf(outside, sizeof(outside), "%s/outside", base);
	put(outside, "keep me\n");
	assert_sys_ok(!symlink(outside, path_in(dir, "paper.pdf")), "symlink paper.pdf");
	assert_sys_ok(!mkfifo(path_in(dir, "paper.log"), 0644), "mkfifo paper.log");
	assert_int_equal(report(dir, true), 0);
	text = slurp(outside);
	assert_sys_ok(text, outside);
	assert_string_equal(text, "keep me\n");
	free(text);
	assert_contains(test_file_kind(path_in(dir, "paper.pdf")), "regular");
	assert_contains(test_file_kind(path_in(dir, "paper.log")), "regular");
	assert_contains(test_file_kind(path_in(base, "PWNED")), "nothing");
}

static void test_paper_without_pdflatex(void **state)
{
	const char *dir = fixture_copy(fixtures[0], "no-tex");
	char *path = strdup(getenv("PATH") ? getenv("PATH") : "");
	const char *argv[] = { "bpfcost-report", "-q", "--no-plots", "--paper", dir };
	int rc;

	(void)state;
	setenv("PATH", "/nonexistent", 1);
	rc = report_cli(5, (char **)argv);
	setenv("PATH", path, 1);
	free(path);
	assert_cmp_int(rc, ==, 1);
	/* The tables are written all the same; paper.pdf is not. */
	assert_contains(test_file_kind(path_in(dir, "paper-table.tex")), "regular");
	assert_contains(test_file_kind(path_in(dir, "paper.pdf")), "nothing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_fits_one_column),
		cmocka_unit_test(test_figure_fonts_embedded),
		cmocka_unit_test(test_paper_pdf_shows_every_added_cost),
		cmocka_unit_test(test_caption_strings_neutralised),
		cmocka_unit_test(test_paper_in_hostile_folder),
		cmocka_unit_test(test_paper_without_pdflatex),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
