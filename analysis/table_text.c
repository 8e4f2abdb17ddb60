// SPDX-License-Identifier: GPL-2.0
/* table.txt: the seed experiment's two tables, then the columns it lacked. */
#include <math.h>
#include <string.h>

#include "analysis/escape.h"
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

	for (size_t i = 0; i < run->n_rows; i++) {
		int n = (int)strlen(run->rows[i].name) + 2;

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

static void value_table(const struct run *run, FILE *f, int namew)
{
	char head[80], t[64], a[64], b[64], n[32], p[64], l[32], e[32];
	struct col cols[6];
	size_t ncol = 0;

	snprintf(head, sizeof(head), "%s (%s)", fmt_title(run->metric.name, t, sizeof(t)),
		 run->metric.unit);
	cols[ncol++] =
		(struct col){ head, (int)strlen(head) + 4 > 18 ? (int)strlen(head) + 4 : 18 };
	if (run->has_packets)
		cols[ncol++] = (struct col){ "Transfer (MB)", 18 };
	cols[ncol++] = (struct col){ "Samples", 10 };
	if (run->has_packets) {
		cols[ncol++] = (struct col){ "Packets/s", 14 };
		cols[ncol++] = (struct col){ "Loss (%)", 10 };
	}
	cols[ncol++] = (struct col){ "Errors", 8 };
	header(f, cols, ncol, namew);
	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];
		const char *st = row_status(c);

		put_left(f, c->name, namew);
		put_left(f, st ? st : fmt_pm(a, sizeof(a), c->value.mean, c->value.sd, 1, "±"),
			 cols[0].width);
		if (run->has_packets)
			put_left(f, fmt_pm(b, sizeof(b), c->mb.mean, c->mb.sd, 1, "±"), 18);
		snprintf(n, sizeof(n), "%zu", c->n_ok);
		put_left(f, n, 10);
		if (run->has_packets) {
			put_left(f, fmt_num(p, sizeof(p), c->pps.mean, 0), 14);
			put_left(f, fmt_num(l, sizeof(l), c->lost.mean, 2), 10);
		}
		snprintf(e, sizeof(e), "%zu", c->n_err);
		fputs(e, f);
		fputc('\n', f);
	}
}

/* The impact table's columns: the metric's own first, then the flood's when it is one. */
struct impact_cols {
	struct col v[14];
	size_t n;
	char impact[80], diff[80], hits[32];
};

static void impact_cols(const struct run *run, struct impact_cols *k)
{
	char t[64];

	k->n = 0;
	snprintf(k->impact, sizeof(k->impact), "%s Impact (%%)",
		 fmt_title(run->metric.name, t, sizeof(t)));
	snprintf(k->diff, sizeof(k->diff), "Difference (%s) [95%% CI]", run->metric.unit);
	snprintf(k->hits, sizeof(k->hits), "Hits/%.8s", run->metric.event);
	k->v[k->n++] = (struct col){ k->impact, (int)strlen(k->impact) + 3 };
	if (run->has_packets)
		k->v[k->n++] = (struct col){ "Transfer Impact (%)", 21 };
	k->v[k->n++] = (struct col){ "95% CI (%)", 18 };
	if (run->percall.asked) { /* --percall: beside the measured impact */
		k->v[k->n++] = (struct col){ "Predicted (%) [95% CI]", 25 };
		k->v[k->n++] = (struct col){ "vs pred", 9 };
	}
	k->v[k->n++] = (struct col){ k->diff, (int)strlen(k->diff) + 10 };
	k->v[k->n++] = (struct col){ "p (Holm)", 10 };
	k->v[k->n++] = (struct col){ "Sig", 5 };
	k->v[k->n++] = (struct col){ "MDE (%)", 9 };
	if (run->has_packets)
		k->v[k->n++] = (struct col){ "ns/pkt", 9 };
	k->v[k->n++] = (struct col){ "ns/run", 9 };
	k->v[k->n++] =
		(struct col){ k->hits,
			      (int)strlen(k->hits) + 2 > 10 ? (int)strlen(k->hits) + 2 : 10 };
	k->v[k->n++] = (struct col){ "Mechanism", 12 };
}

/*
 * "+316.0 [+315.8, +316.2]" (a difference) or "-3.1% [-3.4, -2.8]" (a
 * prediction, @unit "%"): "-" when @v cannot be computed, no CI without one.
 */
static char *fmt_with_ci(char *buf, size_t len, double v, double lo, double hi, const char *unit)
{
	char d[32], ci[64];

	if (!isfinite(v))
		return fmt_num(buf, len, NAN, 0);
	fmt_signed(d, sizeof(d), v, 1, unit);
	if (isfinite(lo) && isfinite(hi))
		snprintf(buf, len, "%s %s", d, fmt_ci(ci, sizeof(ci), lo, hi, 1));
	else
		snprintf(buf, len, "%s", d);
	return buf;
}

static void impact_row(const struct run *run, const struct row_stats *c,
		       const struct impact_cols *ic, FILE *f, int namew)
{
	const struct col *k = ic->v;
	const char *st = row_status(c);
	char b[96];
	size_t i = 0;

	put_left(f, c->name, namew);
	if (st) {
		fprintf(f, "%s (%zu failed): ", st, c->n_err);
		esc_text(f, c->first_error);
		fputc('\n', f);
		return;
	}
	put_right(f, fmt_signed(b, sizeof(b), c->impact_pct, 1, "%"), &k[i++]);
	if (run->has_packets)
		put_right(f, fmt_signed(b, sizeof(b), c->transfer_impact_pct, 1, "%"), &k[i++]);
	put_right(f, fmt_ci(b, sizeof(b), c->impact_lo, c->impact_hi, 1), &k[i++]);
	if (run->percall.asked) {
		put_right(f,
			  fmt_with_ci(b, sizeof(b), c->predicted_pct, c->predicted_lo,
				      c->predicted_hi, "%"),
			  &k[i++]);
		put_left(f, percall_flag(run, c), k[i++].width);
	}
	put_right(f, fmt_with_ci(b, sizeof(b), c->diff, c->diff_lo, c->diff_hi, ""), &k[i++]);
	put_right(f, fmt_p(b, sizeof(b), c->p_holm), &k[i++]);
	put_left(f, c->sig, k[i++].width);
	put_right(f, fmt_num(b, sizeof(b), c->mde_pct, 1), &k[i++]);
	if (run->has_packets)
		put_right(f, fmt_signed(b, sizeof(b), c->ns_per_pkt, 0, ""), &k[i++]);
	put_right(f, fmt_num(b, sizeof(b), c->ns_per_run, 1), &k[i++]);
	put_right(f, fmt_hits(b, sizeof(b), c), &k[i++]);
	fputs(c->mechanism[0] ? c->mechanism : "-", f);
	fputc('\n', f);
}

int table_text_write(const struct run *run, const char *src, FILE *f)
{
	/* Notes, a blank line, the legend. */
	static const struct notes_style style = { esc_text, "", "\n", "\n", "", "\n" };
	int namew = name_width(run), total;
	struct impact_cols ic;
	size_t i;

	/* The folder's name and the manifest's text are the folder's: no control characters. */
	fputs("bpfcost report: ", f);
	esc_text(f, src);
	fputc('\n', f);
	for (i = 0; i < run->n_manifest; i++) {
		fputs(i ? "  " : "", f);
		esc_text(f, run->manifest[i].key);
		fputc('=', f);
		esc_text(f, run->manifest[i].value);
	}
	if (run->n_manifest)
		fputc('\n', f);
	fputc('\n', f);

	value_table(run, f, namew);
	fputc('\n', f);
	rule(f, '=', SEP_CHAR_WIDTH);
	fputs("PERFORMANCE IMPACT vs BASELINE\n", f);
	rule(f, '=', SEP_CHAR_WIDTH);
	impact_cols(run, &ic);
	total = header(f, ic.v, ic.n, namew);
	for (i = 0; i < run->n_rows; i++)
		if (&run->rows[i] != run->baseline)
			impact_row(run, &run->rows[i], &ic, f, namew);
	rule(f, '-', total);
	if (notes_write(run, f, &style))
		return -1;
	return ferror(f) ? -1 : 0;
}
