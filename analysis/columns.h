// SPDX-License-Identifier: GPL-2.0
/*
 * The column model: every column of table.txt, table.md, table.tex and summary.csv is
 * one entry of col_model[] (columns.c): its header, its CSV keys, where and when it is
 * shown and how its cell is formatted. The writers only render the model, so a new
 * column is its statistic (analysis/run.h) plus one entry.
 */
#ifndef BPFCOST_ANALYSIS_COLUMNS_H
#define BPFCOST_ANALYSIS_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/run.h"

/*
 * summary.csv's schema_version column. 1: the unversioned summary.csv before it;
 * 2: schema_version and the stats_cost_* columns added (README, "Column changes").
 */
#define SUMMARY_SCHEMA_VERSION 2

/* The formats a column appears in. */
enum col_where {
	COL_TEXT = 1 << 0, /* table.txt and the terminal: fits 120 characters */
	COL_MD = 1 << 1,
	COL_TEX = 1 << 2,
	COL_CSV = 1 << 3,
	COL_TABLES = COL_MD | COL_TEX, /* the full tables, not the terminal */
	COL_ALL = COL_TEXT | COL_MD | COL_TEX | COL_CSV,
};

/* table.txt has two tables: values per row, then the impact against baseline. */
enum col_part { PART_VALUES = 1, PART_IMPACT = 2, PART_BOTH = 3 };

/* How a cell's numbers become text (the same in every table format). */
enum col_fmt {
	CF_SAME,	/* text_fmt only: as fmt */
	CF_TEXT,	/* cell.s as it is (escaped per format) */
	CF_NUM,		/* x[0] with prec decimals */
	CF_SIGNED,	/* x[0] with its sign, then the column's suffix */
	CF_PM,		/* x[0] ± x[1] */
	CF_CI,		/* [x[1], x[2]] */
	CF_EST,		/* x[0] signed, then [x[1], x[2]]; then cell.s if the column has .mark */
	CF_SIGNED_MARK, /* x[0] signed, then cell.s (a flag) unless it is "" or "-" */
	CF_P,		/* a p value: "<0.001", "0.042" */
	CF_HITS,	/* hits per event: "1.00", "0.90 !!", "!!", "-" */
	CF_CSV_ONLY,	/* no table text: summary.csv only */
};

/* One row's cell: up to four numbers (CSV writes x[0] .. x[nkeys-1]) or a text. */
struct col_cell {
	double x[4];
	const char *s;	    /* CF_TEXT, CF_EST's mark, and CSV keys of kind text */
	const char *status; /* instead of the numbers in the tables: "unsupported" */
};

struct col_ctx {
	const struct run *run;
	const struct row_stats *row;
	int arg; /* the entry's arg: an estimator, a metric index */
};

struct column {
	/*
	 * Header; "%M" is the metric's name (capitalised), "%U" its unit, "%E" its
	 * event ("packet", "call"). Empty: CSV only.
	 */
	const char *head;
	/* summary.csv keys, one per number (x[0], x[1], ...), or for text: key[0]. */
	const char *csv[4];
	unsigned where; /* enum col_where */
	unsigned part;	/* enum col_part: which of table.txt's tables */
	int rank;	/* the tables' order (summary.csv keeps the model's) */
	/* Whether @run has the column in format @where; NULL: always. */
	bool (*when)(const struct run *run, unsigned where);
	enum col_fmt fmt;
	int prec;
	const char *suffix;    /* after a CF_SIGNED or CF_EST value: "%" */
	bool csv_text;	       /* the CSV cell is cell.s, not numbers */
	bool csv_int;	       /* x[] printed as integers (counts, booleans), never empty */
	bool dash;	       /* an empty text shows as "-" in the tables */
	bool mark;	       /* CF_EST: cell.s (a significance) after the CI */
	enum col_fmt text_fmt; /* table.txt formats it so instead (narrower); CF_SAME: fmt */
	int width;	       /* table.txt: at least this wide, the gap included (seed layout) */
	int gap;	       /* table.txt: blanks after the widest cell; 0: 2 */
	void (*get)(const struct col_ctx *ctx, struct col_cell *cell);
	int arg;
};

/* At least as many as col_model has (columns.c asserts it): writers size their arrays so. */
#define COL_MAX 96
extern const struct column col_model[];
extern const size_t col_model_n;

/* Whether @c is in format @where (one enum col_where) for @run. */
bool col_shown(const struct column *c, const struct run *run, unsigned where);
/* @c's header for @run, "%M" "%U" "%E" expanded. */
const char *col_head(const struct column *c, const struct run *run, char *buf, size_t len);
void col_get(const struct column *c, const struct run *run, const struct row_stats *row,
	     struct col_cell *cell);
/*
 * @c's cell of @row as table text (the numbers by @c's fmt; "±" as @pm). A text cell
 * (cell.s of CF_TEXT) is returned as it is: the writer escapes it.
 */
const char *col_text(const struct column *c, const struct run *run, const struct row_stats *row,
		     unsigned where, const char *pm, char *buf, size_t len, bool *number);
/*
 * The columns @run shows in format @where, into @out (col_model_n at most), in the
 * tables' order for a table and the model's for COL_CSV; only those of @part for
 * table.txt (0: all). Returns how many.
 */
size_t col_list(const struct run *run, unsigned where, unsigned part, const struct column **out);

/* table.txt: the width a terminal has. */
#define TEXT_WIDTH 120
/* @s onto @f, cut at spaces into lines of at most @width columns; later lines indented. */
void text_wrap(FILE *f, const char *s, int width);
/* Display columns of UTF-8 @s ("±" is two bytes, one column). */
int utf8_width(const char *s);

#endif
