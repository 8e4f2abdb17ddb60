// SPDX-License-Identifier: GPL-2.0
/* Number formatting shared by the table writers: NAN and inf print as "-", never as a number. */
#ifndef BPFCOST_ANALYSIS_FMT_H
#define BPFCOST_ANALYSIS_FMT_H

#include <stddef.h>

#include "analysis/run.h"

char *fmt_num(char *buf, size_t len, double v, int prec);
/*
 * @v by @spec, one printf conversion of a double ("%.1f", "%+.0f", "%.3g"): "-"
 * when not finite, "%.3g" when the number would not fit. Every number in a note
 * goes through it, so no note shows "nan" or "inf" or hundreds of digits.
 */
char *fmt_spec(char *buf, size_t len, const char *spec, double v);
#define FMT_SPEC_LEN 40
/* fmt_spec() into a buffer that lives as long as the enclosing block: for printf arguments. */
#define FMT(spec, v) fmt_spec((char[FMT_SPEC_LEN]){ 0 }, FMT_SPEC_LEN, spec, v)
char *fmt_signed(char *buf, size_t len, double v, int prec, const char *suffix);
char *fmt_pm(char *buf, size_t len, double mean, double sd, int prec, const char *pm);
char *fmt_ci(char *buf, size_t len, double lo, double hi, int prec);
char *fmt_p(char *buf, size_t len, double p);
char *fmt_hits(char *buf, size_t len, const struct row_stats *c);
const char *row_status(const struct row_stats *c);

/* Line @i of the legend (metric, impact, tests, columns), or NULL past the last. */
const char *fmt_legend(const struct run *run, int i, char *buf, size_t len);
/*
 * The notes, then the legend, as each table writes them: every line as
 * @before, the line through @esc, @after; @between once between the two.
 * 0, or -1 when the notes cannot be built.
 */
struct notes_style {
	void (*esc)(FILE *f, const char *s);
	const char *note_before, *note_after, *between, *legend_before, *legend_after;
	int wrap; /* table.txt: each line cut to this many columns (text_wrap()); 0: not */
};
int notes_write(const struct run *run, FILE *f, const struct notes_style *st);

/* @s with its first letter capitalised, for column heads. */
const char *fmt_title(const char *s, char *buf, size_t len);

#endif
