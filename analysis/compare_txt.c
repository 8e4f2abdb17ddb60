// SPDX-License-Identifier: GPL-2.0
/* compare.txt and compare.md: the comparison table for reading. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/escape.h"

#define TXT_WIDTH 120
#define NAME_W	  24
#define CELL_W	  27

const char *compare_cell_text(const struct cmp_cell *x, char *buf, size_t len)
{
	if (!x->has)
		snprintf(buf, len, "%s", x->why);
	else if (x->exact)
		snprintf(buf, len, "%+.1f (exact)", x->diff);
	else if (isfinite(x->lo) && isfinite(x->hi))
		snprintf(buf, len, "%+.1f [%.1f, %.1f]", x->diff, x->lo, x->hi);
	else
		snprintf(buf, len, "%+.1f [no CI]", x->diff);
	return buf;
}

const char *compare_delta_text(const struct cmp_delta *x, char *buf, size_t len)
{
	if (!x->has)
		snprintf(buf, len, "-");
	else if (x->exact)
		snprintf(buf, len, "%+.1f (exact)", x->d);
	else if (isfinite(x->lo) && isfinite(x->hi))
		snprintf(buf, len, "%+.1f [%.1f, %.1f]", x->d, x->lo, x->hi);
	else
		snprintf(buf, len, "%+.1f [no CI]", x->d);
	return buf;
}

/* Column j of the interleaved order A, B, B-A, C, C-A...: its run and whether a delta. */
static void column(size_t j, size_t *run, bool *delta)
{
	*run = j == 0 ? 0 : (j + 1) / 2;
	*delta = j > 0 && j % 2 == 0;
}

static size_t n_columns(const struct compare *c)
{
	return c->n_runs ? 2 * c->n_runs - 1 : 0;
}

static const char *column_cell(const struct compare *c, size_t row, size_t j, char *buf, size_t len)
{
	struct cmp_cell a, b;
	struct cmp_delta d;
	size_t run;
	bool delta;

	column(j, &run, &delta);
	compare_cell(c, run, row, &b);
	if (!delta)
		return compare_cell_text(&b, buf, len);
	compare_cell(c, 0, row, &a);
	compare_delta(&a, &b, &d);
	return compare_delta_text(&d, buf, len);
}

static void column_head(size_t j, char *buf, size_t len)
{
	size_t run;
	bool delta;

	column(j, &run, &delta);
	if (delta)
		snprintf(buf, len, "%c - A [95%% CI]", (char)('A' + run));
	else
		snprintf(buf, len, "%c added [95%% CI]", (char)('A' + run));
}

/* A cell of at most @w characters: a longer one is cut and ends in '~'. */
static void put_cut(FILE *f, const char *s, int w, bool pad)
{
	char b[256];

	esc_text_str(b, sizeof(b), s);
	if ((int)strlen(b) > w) {
		b[w - 1] = '~';
		b[w] = '\0';
	}
	fprintf(f, "%-*s", pad ? w : 0, b);
}

/* @lead then @s as lines of at most TXT_WIDTH columns, wrapped at a blank where there is one. */
static void put_wrapped(FILE *f, const char *lead, const char *s)
{
	char b[1024], *p = b;
	size_t w = TXT_WIDTH - strlen(lead);

	esc_text_str(b, sizeof(b), s);
	fputs(lead, f);
	while (strlen(p) > w) {
		char *cut = p + w;

		while (cut > p && *cut != ' ')
			cut--;
		if (cut == p)
			cut = p + w;
		fprintf(f, "%.*s\n    ", (int)(cut - p), p);
		p = cut + (*cut == ' ');
		w = TXT_WIDTH - 4;
	}
	fprintf(f, "%s\n", p);
}

static void txt_header(const struct compare *c, FILE *f)
{
	char b[1024], lead[8];
	size_t i;

	snprintf(b, sizeof(b),
		 "Comparison of %zu %s: added cost in %s against each run's own baseline, %s "
		 "estimator, 95%% CI",
		 c->n_runs, compare_is_fleet(c) ? "hosts" : "runs", c->unit, c->estimator);
	put_wrapped(f, "", b);
	if (compare_is_fleet(c))
		put_wrapped(f, "",
			    "A fleet: each host measured apart, not interleaved with the others; "
			    "compare the hosts' added costs, not their raw times.");
	if (c->common[0])
		put_wrapped(f, "Common: ", c->common);
	for (i = 0; i < c->n_runs; i++) {
		snprintf(lead, sizeof(lead), "%c = ", (char)('A' + i));
		if (strcmp(c->runs[i].label, c->runs[i].name))
			snprintf(b, sizeof(b), "%s (%s)", c->runs[i].label, c->runs[i].name);
		else
			snprintf(b, sizeof(b), "%s", c->runs[i].label);
		if (c->runs[i].facts[0])
			snprintf(b + strlen(b), sizeof(b) - strlen(b), ": %s", c->runs[i].facts);
		put_wrapped(f, lead, b);
	}
	fputc('\n', f);
}

/* Reasons too long for a cell, each once: the cell says "[rN]", the list below says it all. */
struct footnotes {
	const char *why[64];
	size_t n;
};

static const char *txt_cell(const struct compare *c, size_t row, size_t j, struct footnotes *fn,
			    char *buf, size_t len)
{
	char full[256];
	size_t run, k;
	bool delta;

	column(j, &run, &delta);
	column_cell(c, row, j, full, sizeof(full));
	if (strlen(full) <= CELL_W || delta) {
		snprintf(buf, len, "%s", full);
		return buf;
	}
	for (k = 0; k < fn->n && strcmp(fn->why[k], full); k++)
		;
	if (k == fn->n && fn->n < sizeof(fn->why) / sizeof(fn->why[0]))
		fn->why[fn->n++] = strdup(full);
	if (k == fn->n) { /* no room for another footnote: the cell's cut text */
		snprintf(buf, len, "%s", full);
		return buf;
	}
	snprintf(buf, len, "%.*s [r%zu]", (int)strcspn(full, ":"), full, k + 1);
	if (strlen(buf) > CELL_W)
		snprintf(buf, len, "[r%zu]", k + 1);
	return buf;
}

int compare_txt_write(const struct compare *c, FILE *f)
{
	size_t i, j, shown = 0, ncol = n_columns(c);
	struct footnotes fn = { .n = 0 };
	char b[256], lead[32];

	/* As many columns as fit in TXT_WIDTH; the rest are in compare.md and compare.csv. */
	while (shown < ncol && NAME_W + (shown + 1) * (CELL_W + 1) <= TXT_WIDTH)
		shown++;
	txt_header(c, f);
	put_cut(f, "configuration", NAME_W, true);
	for (j = 0; j < shown; j++) {
		column_head(j, b, sizeof(b));
		fputc(' ', f);
		put_cut(f, b, CELL_W, j + 1 < shown);
	}
	fputc('\n', f);
	for (i = 0; i < c->n_rows; i++) {
		put_cut(f, c->rows[i], NAME_W, true);
		for (j = 0; j < shown; j++) {
			fputc(' ', f);
			put_cut(f, txt_cell(c, i, j, &fn, b, sizeof(b)), CELL_W,
				j + 1 < shown); /* no trailing blanks */
		}
		fputc('\n', f);
	}
	if (shown < ncol)
		fprintf(f,
			"\n%zu more columns (runs %c and after) are in compare.md and "
			"compare.csv\n",
			ncol - shown, (char)('A' + (shown + 1) / 2));
	if (fn.n)
		fputc('\n', f);
	for (i = 0; i < fn.n; i++) {
		snprintf(lead, sizeof(lead), "[r%zu] ", i + 1);
		put_wrapped(f, lead, fn.why[i] ? fn.why[i] : "(out of memory)");
		free((char *)fn.why[i]);
	}
	if (c->n_notes)
		fputs("\nNotes:\n", f);
	for (i = 0; i < c->n_notes; i++)
		put_wrapped(f, "  ", c->notes[i]);
	return ferror(f) ? -1 : 0;
}

static void md_header(const struct compare *c, FILE *f)
{
	size_t i;

	fprintf(f, "Comparison of %zu %s: added cost in ", c->n_runs,
		compare_is_fleet(c) ? "hosts" : "runs");
	esc_md(f, c->unit);
	fprintf(f, " against each run's own baseline, %s estimator, 95%% CI\n\n", c->estimator);
	if (compare_is_fleet(c))
		fputs("A fleet: each host measured apart, not interleaved with the others; compare "
		      "the hosts' added costs, not their raw times.\n\n",
		      f);
	if (c->common[0]) {
		fputs("- Common: ", f);
		esc_md(f, c->common);
		fputc('\n', f);
	}
	for (i = 0; i < c->n_runs; i++) {
		fprintf(f, "- %c = ", (char)('A' + i));
		esc_md(f, c->runs[i].label);
		if (strcmp(c->runs[i].label, c->runs[i].name)) {
			fputs(" (", f);
			esc_md(f, c->runs[i].name);
			fputc(')', f);
		}
		if (c->runs[i].facts[0]) {
			fputs(": ", f);
			esc_md(f, c->runs[i].facts);
		}
		fputc('\n', f);
	}
}

int compare_md_write(const struct compare *c, FILE *f)
{
	size_t i, j, ncol = n_columns(c);
	char b[256];

	md_header(c, f);
	fputs("\n| configuration |", f);
	for (j = 0; j < ncol; j++) {
		column_head(j, b, sizeof(b));
		fputc(' ', f);
		esc_md(f, b);
		fputs(" |", f);
	}
	fputs("\n|---|", f);
	for (j = 0; j < ncol; j++)
		fputs("---:|", f);
	fputc('\n', f);
	for (i = 0; i < c->n_rows; i++) {
		fputs("| ", f);
		esc_md(f, c->rows[i]);
		fputs(" |", f);
		for (j = 0; j < ncol; j++) {
			fputc(' ', f);
			esc_md(f, column_cell(c, i, j, b, sizeof(b)));
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	for (i = 0; i < c->n_notes; i++) {
		fputs("\n- ", f);
		esc_md(f, c->notes[i]);
	}
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
