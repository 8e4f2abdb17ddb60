// SPDX-License-Identifier: GPL-2.0
/* table.md: one GitHub-flavoured table with every table column of the model, then the notes. */
#include <string.h>

#include "analysis/columns.h"
#include "analysis/escape.h"
#include "analysis/fmt.h"
#include "analysis/report.h"

/*
 * Names, errors and flags come from the folder: never live markup. What fmt.c made
 * of a number (digits, signs, brackets, "-", "<0.001") goes as it is.
 */
static void cell(FILE *f, const char *s, bool number)
{
	fputs(" ", f);
	if (number)
		fputs(s, f);
	else
		esc_md(f, s);
	fputs(" |", f);
}

int table_md_write(const struct run *run, FILE *f)
{
	/* Notes as a list, then each legend line a paragraph. */
	static const struct notes_style style = { esc_md, "- ", "\n", "\n", "", "\n\n", 0 };
	const struct column *cols[COL_MAX];
	size_t n = col_list(run, COL_MD, 0, cols), i, k;
	char buf[160];
	bool number;

	/* Headers are the model's words and the metric's, which records.c keeps plain. */
	fputs("|", f);
	for (k = 0; k < n; k++)
		cell(f, col_head(cols[k], run, buf, sizeof(buf)), false);
	fputs("\n|", f);
	for (k = 0; k < n; k++)
		fputs(cols[k]->fmt == CF_TEXT ? ":--|" : "--:|", f);
	fputc('\n', f);
	for (i = 0; i < run->n_rows; i++) {
		fputs("|", f);
		for (k = 0; k < n; k++) {
			const char *s = col_text(cols[k], run, &run->rows[i], COL_MD, " ± ", buf,
						 sizeof(buf), &number);

			cell(f, s, number);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	if (notes_write(run, f, &style))
		return -1;
	return ferror(f) ? -1 : 0;
}
