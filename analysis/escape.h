// SPDX-License-Identifier: GPL-2.0
/*
 * What a string from a results folder (error text, manifest values, the folder's
 * name) becomes in each output format: one function per format, used by every
 * writer, so no format can execute or break on what a record holds.
 */
#ifndef BPFCOST_ANALYSIS_ESCAPE_H
#define BPFCOST_ANALYSIS_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* table.txt and the terminal: control characters, C1 and invalid UTF-8 become '?'. */
void esc_text(FILE *f, const char *s);
/* The same into @buf (cut at a character boundary when it does not fit). */
char *esc_text_str(char *buf, size_t len, const char *s);
/* table.md: HTML-significant characters as entities, Markdown punctuation backslashed. */
void esc_md(FILE *f, const char *s);
/* summary.csv: one cell; a formula lead (= + - @ tab CR) gets a leading quote. */
void esc_csv(FILE *f, const char *s);
/* ",cell" for text and ",number" (empty for no value, read as NA, never "nan"). */
void csv_next_str(FILE *f, const char *s);
void csv_next_num(FILE *f, double v);
/* Several ",number" cells in a row: CSV_NUMS(f, a, b, c). */
void csv_next_nums(FILE *f, const double *v, size_t n);
#define CSV_NUMS(f, ...)                                                                           \
	csv_next_nums((f), (const double[]){ __VA_ARGS__ },                                        \
		      sizeof((const double[]){ __VA_ARGS__ }) / sizeof(double))
/* table.tex: LaTeX specials escaped; anything but printable ASCII becomes '?'. */
void esc_tex(FILE *f, const char *s);

/*
 * An unbuffered stream over @under (stderr, stdout) for messages that quote a
 * folder's name or lines of its files: each fprintf() is one message, and every
 * control character in it but a final '\n', and every invalid UTF-8 byte,
 * becomes '?'. Close it with fclose() (not @under).
 */
FILE *esc_term_stream(FILE *under);

#endif
