// SPDX-License-Identifier: GPL-2.0
/*
 * table.txt, also what the terminal shows: the seed experiment's two tables with the
 * columns the model gives a terminal (COL_TEXT), every line within TEXT_WIDTH.
 */
#include <math.h>
#include <string.h>

#include "analysis/columns.h"
#include "analysis/escape.h"
#include "analysis/fmt.h"
#include "analysis/report.h"

#define SEP_CHAR_WIDTH 85 /* the seed's rule length; grows with the columns */
#define CELL_LEN       160

struct text_table {
	const struct column *cols[COL_MAX];
	int width[COL_MAX];
	size_t n;
	unsigned part;
	int total;
};

static const char *cell(const struct run *run, const struct column *c, const struct row_stats *r,
			char *buf, bool *number)
{
	return col_text(c, run, r, COL_TEXT, "±", buf, CELL_LEN, number);
}

static bool in_table(const struct text_table *t, const struct run *run, const struct row_stats *r)
{
	return t->part == PART_VALUES || r != run->baseline;
}

/* Each column as wide as its widest cell or header, then its gap; at least its width. */
static void layout(const struct run *run, struct text_table *t, unsigned part)
{
	char buf[CELL_LEN], head[96];
	bool number;

	t->part = part;
	t->n = col_list(run, COL_TEXT, part, t->cols);
	t->total = 0;
	for (size_t k = 0; k < t->n; k++) {
		const struct column *c = t->cols[k];
		int gap = c->gap ? c->gap : 2, w = utf8_width(col_head(c, run, head, sizeof(head)));

		for (size_t i = 0; i < run->n_rows; i++) {
			const struct row_stats *r = &run->rows[i];
			int cw;

			if (!in_table(t, run, r) || (k && part == PART_IMPACT && row_status(r)))
				continue;
			cw = utf8_width(cell(run, c, r, buf, &number));
			w = cw > w ? cw : w;
		}
		t->width[k] = w + gap > c->width ? w + gap : c->width;
		t->total += t->width[k];
	}
	/*
	 * A name too long for the terminal gets a line of its own (put_cell()): the
	 * name column shrinks to what the other columns leave, never below its header.
	 */
	if (t->n && t->total > TEXT_WIDTH) {
		int rest = t->total - t->width[0], head = (int)strlen(t->cols[0]->head) + 2;
		int w = TEXT_WIDTH - rest > head ? TEXT_WIDTH - rest : head;

		t->total += w - t->width[0];
		t->width[0] = w;
	}
}

static void pad(FILE *f, int n)
{
	for (; n > 0; n--)
		fputc(' ', f);
}

static void rule(FILE *f, char ch, int width)
{
	for (int i = 0; i < width && i < TEXT_WIDTH; i++)
		fputc(ch, f);
	fputc('\n', f);
}

/*
 * The impact table right-aligns numbers where their column's text ends, as the seed
 * did; the value table keeps the seed's left alignment. The last cell is not padded.
 */
static void put_cell(FILE *f, const struct text_table *t, size_t k, const char *s, bool number)
{
	const struct column *c = t->cols[k];
	int w = t->width[k], gap = c->gap ? c->gap : 2, sw = utf8_width(s);
	bool right = number && t->part == PART_IMPACT;

	if (!k && sw + gap > w) { /* a name longer than its column: the cells below it */
		esc_text(f, s);
		fputc('\n', f);
		pad(f, w);
		return;
	}
	if (right)
		pad(f, w - gap - sw);
	if (number)
		fputs(s, f);
	else
		esc_text(f, s); /* names, errors, mechanisms come from the folder */
	if (k + 1 < t->n)
		pad(f, right ? gap : w - sw);
}

static void header(FILE *f, const struct run *run, const struct text_table *t)
{
	char head[96];

	/* over numbers, the header ends where they do */
	for (size_t k = 0; k < t->n; k++)
		put_cell(f, t, k, col_head(t->cols[k], run, head, sizeof(head)),
			 t->cols[k]->fmt != CF_TEXT);
	fputc('\n', f);
	rule(f, '-', t->total > SEP_CHAR_WIDTH ? t->total : SEP_CHAR_WIDTH);
}

/* A row with no good sample: why, in place of its impact columns, wrapped. */
static void status_row(FILE *f, const struct text_table *t, const struct row_stats *r)
{
	char line[1024], err[512];
	int n;

	n = snprintf(line, sizeof(line), "%s", esc_text_str(err, sizeof(err), r->name));
	for (int to = n + 2 > t->width[0] ? n + 2 : t->width[0];
	     n < to && n + 1 < (int)sizeof(line); n++)
		line[n] = ' ';
	snprintf(line + n, sizeof(line) - (size_t)n, "%s (%zu failed): %s", row_status(r), r->n_err,
		 esc_text_str(err, sizeof(err), r->first_error ? r->first_error : ""));
	text_wrap(f, line, TEXT_WIDTH);
}

static void table(FILE *f, const struct run *run, const struct text_table *t)
{
	char buf[CELL_LEN];
	bool number;

	header(f, run, t);
	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *r = &run->rows[i];

		if (!in_table(t, run, r))
			continue;
		if (t->part == PART_IMPACT && row_status(r)) {
			status_row(f, t, r);
			continue;
		}
		for (size_t k = 0; k < t->n; k++) {
			const char *s = cell(run, t->cols[k], r, buf, &number);

			put_cell(f, t, k, s, number);
		}
		fputc('\n', f);
	}
}

/* The folder's name and the manifest's text are the folder's: no control characters. */
static void title(FILE *f, const struct run *run, const char *src)
{
	char line[2048], buf[512];
	size_t n;

	snprintf(line, sizeof(line), "bpfcost report: %s", esc_text_str(buf, sizeof(buf), src));
	text_wrap(f, line, TEXT_WIDTH);
	line[0] = '\0';
	for (size_t i = 0; i < run->n_manifest; i++) {
		n = strlen(line);
		snprintf(line + n, sizeof(line) - n, "%s%s=", i ? "  " : "",
			 esc_text_str(buf, sizeof(buf), run->manifest[i].key));
		n = strlen(line);
		snprintf(line + n, sizeof(line) - n, "%s",
			 esc_text_str(buf, sizeof(buf), run->manifest[i].value));
	}
	if (run->n_manifest)
		text_wrap(f, line, TEXT_WIDTH);
	fputc('\n', f);
}

int table_text_write(const struct run *run, const char *src, FILE *f)
{
	/* Notes, a blank line, the legend; each line cut to the terminal's width. */
	static const struct notes_style style = { esc_text, "", "\n", "\n", "", "\n", TEXT_WIDTH };
	struct text_table t;

	title(f, run, src);
	layout(run, &t, PART_VALUES);
	table(f, run, &t);
	fputc('\n', f);
	rule(f, '=', SEP_CHAR_WIDTH);
	fputs("PERFORMANCE IMPACT vs BASELINE\n", f);
	rule(f, '=', SEP_CHAR_WIDTH);
	layout(run, &t, PART_IMPACT);
	table(f, run, &t);
	rule(f, '-', t.total > SEP_CHAR_WIDTH ? t.total : SEP_CHAR_WIDTH);
	if (notes_write(run, f, &style))
		return -1;
	text_wrap(f,
		  "table.txt shows the columns that fit a terminal; table.md and summary.csv "
		  "have every column (p, MDE, ns/run, transfer impact, ...).",
		  TEXT_WIDTH);
	return ferror(f) ? -1 : 0;
}
