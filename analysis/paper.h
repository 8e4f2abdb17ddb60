/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paper outputs: paper-table.tex (one column: a pivot of attach type x
 * probe body, stats off and the cost of turning stats on), paper-table-wide.tex
 * (table*: every row), paper-figure.pdf and, on request, paper.pdf. Each reads
 * only the analysed run; this is what they share.
 */
#ifndef BPFCOST_ANALYSIS_PAPER_H
#define BPFCOST_ANALYSIS_PAPER_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/run.h"

#define PAPER_MAX_ATTACH 32
#define PAPER_MAX_PROBES 16
/* Probe bodies the one-column table has room for; the rest are in the wide one. */
#define PAPER_NARROW_PROBES 2

struct paper_pivot {
	const char *attach[PAPER_MAX_ATTACH]; /* cheapest first; unmeasured ones last */
	size_t n_attach;
	const char *probe[PAPER_MAX_PROBES]; /* null, map, then the others by name */
	size_t n_probe;
	size_t n_narrow; /* the first n_narrow probes are the narrow table's groups */
	bool percent;	 /* the flood: impact in % of the baseline, ns/packet beside it */
};

/* The attach types and probe bodies of the run's plain rows (no @settings). */
void paper_pivot(const struct run *run, struct paper_pivot *pv);
/* The plain row <attach>-<probe>[-stat], or NULL. */
const struct row_stats *paper_row(const struct run *run, const char *attach, const char *probe,
				  bool stats);
/* Why @c's figures are a dash (NULL: they are shown). @c may be NULL: not in the run. */
const char *paper_dash_why(const struct row_stats *c);

/* A figure with its 95% CI and significance mark ("" none, "*", "**", "***"). */
struct paper_value {
	double v, lo, hi;
	double ns_per_pkt; /* the flood: the same as time added per packet; else NAN */
	const char *sig;
};
/* What @c adds over the baseline: false when it is not shown. */
bool paper_added(const struct run *run, const struct row_stats *c, struct paper_value *out);
/* What turning stats on adds over the same row with stats off (@on: a -stat row). */
bool paper_stats_cost(const struct run *run, const struct row_stats *on, struct paper_value *out);

/* The attach type as a paper names it: kprobe.multi for kprobe-fprobe. */
const char *paper_attach_name(const char *attach);
/* The mechanism the kernel used for @attach's rows ("mixed" if they differ), or "". */
const char *paper_mechanism(const struct run *run, const char *attach);

/* The one rounding of every paper figure: 0 decimals from 100 up, else 1; "+" if @sign. */
char *paper_num(char *buf, size_t len, double v, bool sign);
/* The unit the paper's added-cost figures are in: "\%" for the flood, else the metric's. */
void paper_unit(const struct run *run, FILE *f);
/* A string from the results, escaped for LaTeX with places a long one may break. */
void paper_tex(FILE *f, const char *s);
/* \caption{...}\label{tab:bpfcost-<workload>[-wide]} */
void paper_caption(const struct run *run, FILE *f, bool wide);
/* Table notes: dashes and why, significance, what the wide table adds. */
void paper_notes(const struct run *run, const struct paper_pivot *pv, FILE *f, bool wide);

/* siunitx pieces both tables use: an S column fitting @v, a cell of one, a CI "[lo, hi]". */
void paper_s_col(FILE *f, const double *v, size_t n, bool sign);
void paper_s_cell(FILE *f, double v, const char *sig, bool sign);
void paper_ci(FILE *f, double lo, double hi);

int paper_table_write(const struct run *run, FILE *f);
int paper_table_wide_write(const struct run *run, FILE *f);

#endif
