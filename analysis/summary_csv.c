// SPDX-License-Identifier: GPL-2.0
/*
 * summary.csv: every computed field, one row per configuration, for other tools: the
 * model's CSV keys in the model's order, its last column schema_version.
 */
#include "analysis/columns.h"
#include "analysis/escape.h"
#include "analysis/report.h"

static size_t n_keys(const struct column *c)
{
	size_t n = 0;

	while (n < sizeof(c->csv) / sizeof(c->csv[0]) && c->csv[n])
		n++;
	return n;
}

/* The row's first cell has no comma before it: the model starts with the name, a text. */
static void cells(FILE *f, const struct column *c, const struct col_cell *o, bool first)
{
	for (size_t k = 0; k < n_keys(c); k++, first = false) {
		if (c->csv_text && first)
			esc_csv(f, o->s);
		else if (c->csv_text)
			csv_next_str(f, o->s);
		else if (c->csv_int) /* counts and flags: never empty */
			fprintf(f, "%s%.0f", first ? "" : ",", o->x[k]);
		else
			csv_next_num(f, o->x[k]);
	}
}

int summary_csv_write(const struct run *run, FILE *f)
{
	const struct column *cols[COL_MAX];
	size_t n = col_list(run, COL_CSV, 0, cols), i, k, j;
	struct col_cell o;

	for (k = 0; k < n; k++)
		for (j = 0; j < n_keys(cols[k]); j++)
			fprintf(f, "%s%s", k || j ? "," : "", cols[k]->csv[j]);
	fputc('\n', f);
	for (i = 0; i < run->n_rows; i++) {
		for (k = 0; k < n; k++) {
			col_get(cols[k], run, &run->rows[i], &o);
			cells(f, cols[k], &o, k == 0);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
