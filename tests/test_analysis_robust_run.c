// SPDX-License-Identifier: GPL-2.0
/*
 * A real run as evidence: `make deps experiment MATRIX=all` on a fresh 2-core
 * machine (TCG guest), where four samples were disturbed by other work on the
 * host and mean ± sd detected nothing (tests/fixtures/runs/). The robust
 * estimator must see the int3 kprobe rows (every 95% CI below zero); the mean
 * estimator must reproduce the table of the release before it, kept as
 * tests/fixtures/runs/golden-7577c83/ (written by that release's bpfcost-report).
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

#define MAX_COLS 128
#define MAX_ROWS 64

struct csv {
	char *cells[MAX_ROWS][MAX_COLS]; /* row 0 is the header */
	int rows, cols;
	char *text;
};

/* Plain comma splitting, with "..." cells (the fixture's cells hold no newlines). */
static void csv_load(const char *path, struct csv *c)
{
	FILE *f = fopen(path, "r");
	long len;
	char *p;

	if (!f)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	memset(c, 0, sizeof(*c));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	c->text = calloc(1, len + 1);
	assert_sys_ok(c->text, path);
	assert_int_equal(fread(c->text, 1, len, f), len);
	fclose(f);
	for (p = c->text; *p && c->rows < MAX_ROWS; c->rows++) {
		int col = 0;

		while (col < MAX_COLS) {
			char *start = p;

			if (*p == '"') {
				start = ++p;
				while (*p && !(*p == '"' && p[1] != '"'))
					p += *p == '"' ? 2 : 1;
				*p++ = '\0';
			} else {
				p += strcspn(p, ",\n");
			}
			c->cells[c->rows][col++] = start;
			if (*p == ',') {
				*p++ = '\0';
				continue;
			}
			if (*p == '\n')
				*p++ = '\0';
			break;
		}
		if (!c->rows)
			c->cols = col;
	}
}

static int csv_col(const struct csv *c, const char *name)
{
	for (int i = 0; i < c->cols; i++)
		if (!strcmp(c->cells[0][i], name))
			return i;
	fail_msg("summary.csv has no column %s", name);
	return -1;
}

static char fixture[PATH_MAX], golden[PATH_MAX], outdir[PATH_MAX];

static int setup(void **state)
{
	const char *r = getenv("BPFCOST_ROOT"), *o = getenv("BPFCOST_OUT");

	(void)state;
	snprintf(fixture, sizeof(fixture), "%.4000s/tests/fixtures/runs/matrix-all-tcg-2026-11-29",
		 r ? r : ".");
	snprintf(golden, sizeof(golden), "%.4000s/tests/fixtures/runs/golden-7577c83", r ? r : ".");
	snprintf(outdir, sizeof(outdir), "%.4000s/robust-run-XXXXXX", o ? o : "/tmp");
	return mkdtemp(outdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", outdir, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

static void report(const char *estimator)
{
	const char *argv[] = { "bpfcost-report", "-q", "--no-plots", "--estimator",
			       estimator,	 "-o", outdir,	     fixture };

	assert_int_equal(report_cli(8, (char **)argv), 0);
}

static void test_robust_sees_int3(void **state)
{
	char path[PATH_MAX + 32];
	struct csv c;
	int name, mech, lo, hi, est, int3 = 0, r;

	(void)state;
	report("robust");
	snprintf(path, sizeof(path), "%s/summary.csv", outdir);
	csv_load(path, &c);
	name = csv_col(&c, "config");
	mech = csv_col(&c, "mechanism");
	lo = csv_col(&c, "impact_ci95_low");
	hi = csv_col(&c, "impact_ci95_high");
	est = csv_col(&c, "estimator");
	for (r = 1; r < c.rows; r++) {
		assert_string_equal(c.cells[r][est], "robust");
		if (strcmp(c.cells[r][mech], "int3"))
			continue;
		int3++;
		if (!(atof(c.cells[r][hi]) < 0))
			fail_msg("%s: impact 95%% CI [%s, %s], expected it to exclude 0 (below it)",
				 c.cells[r][name], c.cells[r][lo], c.cells[r][hi]);
	}
	if (int3 != 4)
		fail_msg("%d int3 kprobe rows, expected 4", int3);
	free(c.text);
}

static char *slurp(const char *name)
{
	char p[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", outdir, name);
	f = fopen(p, "r");
	assert_sys_ok(f, p);
	assert_cmp_int(getdelim(&buf, &len, '\0', f), >, 0);
	fclose(f);
	return buf;
}

/*
 * The md row of @name ("| name | ... |") holds @cell as a whole cell, or as the value
 * or the CI of one ("| -0.2% [-18.6, +18.2] |" holds "-0.2%" and "[-18.6, +18.2]").
 */
static bool md_row_has(const char *md, const char *name, const char *cell)
{
	char key[160], pat[160];
	const char *row, *end;
	const char *const forms[] = { "| %s |", "| %s [", " %s |", " %s " };
	size_t len;

	snprintf(key, sizeof(key), "\n| %s |", name);
	row = strstr(md, key);
	if (!row)
		return false;
	end = strchr(row + 1, '\n');
	len = end ? (size_t)(end - row) : strlen(row);
	for (size_t k = 0; k < 4; k++) {
		snprintf(pat, sizeof(pat), forms[k], cell);
		if (k == 3 && cell[0] != '[')
			continue; /* a CI with a significance mark after it */
		const char *p = strstr(row, pat);

		if (p && p < row + len)
			return true;
	}
	return false;
}

/* The golden impact row @line, cut at runs of two blanks, cell by cell in table.md. */
static void impact_row_in_md(const char *md, char *line)
{
	char *cells[32], *p = line;
	size_t n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (*p && n < 32) {
		char *gap = strstr(p, "  ");

		cells[n++] = p;
		if (!gap)
			break;
		*gap = '\0';
		for (p = gap + 1; *p == ' '; p++)
			;
	}
	assert_cmp_int(n, >=, 10);
	for (size_t k = 1; k < n; k++)
		if (!md_row_has(md, cells[0], cells[k]))
			fail_msg("%s: the release's cell \"%s\" is not in its table.md row",
				 cells[0], cells[k]);
}

/*
 * Every column the release before wrote, same value. Its table.txt: the value table,
 * notes and legend line by line in order (long lines as cut at 120 columns, joined);
 * its 191-column impact table is now spread over table.txt (what fits a terminal) and
 * table.md (every column): each of its cells must be in table.md's row.
 */
static void test_mean_reproduces_release(void **state)
{
	char path[PATH_MAX + 32], gpath[PATH_MAX + 32], line[1024], *t, *md, *at;
	struct csv now, before;
	int r, k, compared = 0, impact_rows = 0, state_ = 0;
	FILE *g;

	(void)state;
	report("mean");
	snprintf(path, sizeof(path), "%s/summary.csv", outdir);
	snprintf(gpath, sizeof(gpath), "%s/summary.csv", golden);
	csv_load(path, &now);
	csv_load(gpath, &before);
	assert_int_equal(now.rows, before.rows);
	for (k = 0; k < before.cols; k++) {
		int col = csv_col(&now, before.cells[0][k]);

		for (r = 1; r < before.rows; r++, compared++)
			if (strcmp(now.cells[r][col], before.cells[r][k]))
				fail_msg("%s, %s: %s, expected %s (release 7577c83)",
					 now.cells[r][0], before.cells[0][k], now.cells[r][col],
					 before.cells[r][k]);
	}
	if (compared < 20 * 50)
		fail_msg("compared %d cells, expected at least 1000", compared);
	free(now.text);
	free(before.text);

	t = test_unwrap(slurp("table.txt"));
	md = slurp("table.md");
	snprintf(gpath, sizeof(gpath), "%s/table.txt", golden);
	g = fopen(gpath, "r");
	assert_sys_ok(g, gpath);
	/* state_: 0 before the impact table, 1 its header, 2 its rule, 3 its rows, 4 after */
	for (at = t; fgets(line, sizeof(line), g);) {
		char *found;

		/* The title names the folder, which differs: the rest must not. */
		if (!strncmp(line, "bpfcost report: ", 16))
			continue;
		if (state_ == 0 && !strcmp(line, "PERFORMANCE IMPACT vs BASELINE\n")) {
			state_ = 1;
		} else if (state_ == 1 && !strncmp(line, "Configuration ", 14)) {
			state_ = 2;
			continue;
		} else if (state_ == 2) {
			state_ = 3;
			continue;
		} else if (state_ == 3 && line[0] == '-') {
			state_ = 4;
			continue;
		} else if (state_ == 3) {
			impact_row_in_md(md, line);
			impact_rows++;
			continue;
		}
		found = strstr(at, line);
		if (!found)
			fail_msg("table.txt lacks, in order, the release's line: %s", line);
		at = found + strlen(line);
	}
	fclose(g);
	assert_int_equal(impact_rows, 20);
	free(t);
	free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_robust_sees_int3),
		cmocka_unit_test(test_mean_reproduces_release),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
