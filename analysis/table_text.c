// SPDX-License-Identifier: GPL-2.0
/* table.txt: the seed experiment's two tables, then the columns it lacked. */
#include <string.h>

#include "analysis/fmt.h"
#include "analysis/report.h"

#define SEP_CHAR_WIDTH 85 /* the seed's rule length; grows with the new columns */

struct col {
	const char *head;
	int width;
};

/* printf pads bytes; "±" is two bytes but one column, so pad by code points. */
static int utf8_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void put_left(FILE *f, const char *s, int width)
{
	fputs(s, f);
	for (int w = utf8_width(s); w < width; w++)
		fputc(' ', f);
}

/* Numbers end where their header text ends, as in the seed's impact table. */
static void put_right(FILE *f, const char *s, const struct col *c)
{
	int head = (int)strlen(c->head), w = utf8_width(s);

	for (; w < head; w++)
		fputc(' ', f);
	fputs(s, f);
	for (w = w > head ? w : head; w < c->width; w++)
		fputc(' ', f);
}

static void rule(FILE *f, char ch, int width)
{
	for (int i = 0; i < width; i++)
		fputc(ch, f);
	fputc('\n', f);
}

static int name_width(const struct run *run)
{
	int w = 26;

	for (size_t i = 0; i < run->n_cfgs; i++) {
		int n = (int)strlen(run->cfgs[i].name) + 2;

		w = n > w ? n : w;
	}
	return w;
}

static int header(FILE *f, const struct col *cols, size_t n, int namew)
{
	int total = namew;

	put_left(f, "Configuration", namew);
	for (size_t i = 0; i < n; i++) {
		/* the last header is not padded: no trailing blanks in the file */
		put_left(f, cols[i].head, i + 1 < n ? cols[i].width : 0);
		total += cols[i].width;
	}
	fputc('\n', f);
	total = total > SEP_CHAR_WIDTH ? total : SEP_CHAR_WIDTH;
	rule(f, '-', total);
	return total;
}

static const struct col value_cols[] = {
	{"Bitrate (Mbps)", 18}, {"Transfer (MB)", 18}, {"Samples", 10},
	{"Packets/s", 14},	{"Loss (%)", 10},      {"Errors", 8},
};

static void value_table(const struct run *run, FILE *f, int namew)
{
	const size_t ncol = sizeof(value_cols) / sizeof(value_cols[0]);
	char a[64], b[64], n[32], p[64], l[32], e[32];

	header(f, value_cols, ncol, namew);
	for (size_t i = 0; i < run->n_cfgs; i++) {
		const struct cfg *c = &run->cfgs[i];
		const char *st = cfg_status(c);

		put_left(f, c->name, namew);
		put_left(f, st ? st : fmt_pm(a, sizeof(a), c->mbps.mean, c->mbps.sd, 1, "±"), 18);
		put_left(f, fmt_pm(b, sizeof(b), c->mb.mean, c->mb.sd, 1, "±"), 18);
		snprintf(n, sizeof(n), "%zu", c->n_ok);
		put_left(f, n, 10);
		put_left(f, fmt_num(p, sizeof(p), c->pps.mean, 0), 14);
		put_left(f, fmt_num(l, sizeof(l), c->lost.mean, 2), 10);
		snprintf(e, sizeof(e), "%zu", c->n_err);
		fputs(e, f);
		fputc('\n', f);
	}
}

static const struct col impact_cols[] = {
	{"Bitrate Impact (%)", 21},
	{"Transfer Impact (%)", 21},
	{"95% CI (%)", 18},
	{"p (Holm)", 10},
	{"Sig", 5},
	{"MDE (%)", 9},
	{"ns/pkt", 9},
	{"ns/run", 9},
	{"Hits/pkt", 10},
	{"Mechanism", 12},
};

static void impact_row(const struct cfg *c, FILE *f, int namew)
{
	const struct col *k = impact_cols;
	const char *st = cfg_status(c);
	char b[64];

	put_left(f, c->name, namew);
	if (st) {
		fprintf(f, "%s (%zu failed): %s\n", st, c->n_err, c->first_error);
		return;
	}
	put_right(f, fmt_signed(b, sizeof(b), c->impact_pct, 1, "%"), &k[0]);
	put_right(f, fmt_signed(b, sizeof(b), c->transfer_impact_pct, 1, "%"), &k[1]);
	put_right(f, fmt_ci(b, sizeof(b), c->impact_lo, c->impact_hi, 1), &k[2]);
	put_right(f, fmt_p(b, sizeof(b), c->p_holm), &k[3]);
	put_left(f, c->sig, k[4].width);
	put_right(f, fmt_num(b, sizeof(b), c->mde_pct, 1), &k[5]);
	put_right(f, fmt_signed(b, sizeof(b), c->ns_per_pkt, 0, ""), &k[6]);
	put_right(f, fmt_num(b, sizeof(b), c->ns_per_run, 1), &k[7]);
	put_right(f, fmt_hits(b, sizeof(b), c), &k[8]);
	fputs(c->mechanism[0] ? c->mechanism : "-", f);
	fputc('\n', f);
}

int table_text_write(const struct run *run, const char *src, FILE *f)
{
	const size_t ncol = sizeof(impact_cols) / sizeof(impact_cols[0]);
	int namew = name_width(run), total;
	struct notes notes;
	size_t i;

	if (notes_build(run, &notes))
		return -1;
	fprintf(f, "bpfcost report: %s\n", src);
	for (i = 0; i < run->n_manifest; i++)
		fprintf(f, "%s%s=%s", i ? "  " : "", run->manifest[i].key, run->manifest[i].value);
	if (run->n_manifest)
		fputc('\n', f);
	fputc('\n', f);

	value_table(run, f, namew);
	fputc('\n', f);
	rule(f, '=', SEP_CHAR_WIDTH);
	fputs("PERFORMANCE IMPACT vs BASELINE\n", f);
	rule(f, '=', SEP_CHAR_WIDTH);
	total = header(f, impact_cols, ncol, namew);
	for (i = 0; i < run->n_cfgs; i++)
		if (&run->cfgs[i] != run->baseline)
			impact_row(&run->cfgs[i], f, namew);
	rule(f, '-', total);
	for (i = 0; i < notes.n; i++)
		fprintf(f, "%s\n", notes.v[i]);
	fputc('\n', f);
	for (i = 0; fmt_legend[i]; i++)
		fprintf(f, "%s\n", fmt_legend[i]);
	notes_free(&notes);
	return ferror(f) ? -1 : 0;
}
