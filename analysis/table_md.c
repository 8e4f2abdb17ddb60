// SPDX-License-Identifier: GPL-2.0
/* table.md: one GitHub-flavoured table with every column, then the notes. */
#include <string.h>

#include "analysis/escape.h"
#include "analysis/fmt.h"
#include "analysis/report.h"

/* Configuration names and errors come from the folder: never live markup. */
static void cell(FILE *f, const char *s)
{
	fputs(" ", f);
	esc_md(f, s);
	fputs(" |", f);
}

/* What fmt.c made of a number: digits, signs, brackets, "-", "<0.001", as they are. */
static void num(FILE *f, const char *s)
{
	fprintf(f, " %s |", s);
}

static void row(const struct run *run, const struct row_stats *c, FILE *f)
{
	const char *st = row_status(c);
	char b[96], ci[64];

	fputs("|", f);
	cell(f, c->name);
	cell(f, st ? st : fmt_pm(b, sizeof(b), c->value.mean, c->value.sd, 1, " ± "));
	if (run->has_packets)
		num(f, fmt_pm(b, sizeof(b), c->mb.mean, c->mb.sd, 1, " ± "));
	snprintf(b, sizeof(b), "%zu", c->n_ok);
	num(f, b);
	snprintf(b, sizeof(b), "%zu", c->n_err);
	num(f, b);
	if (run->has_packets) {
		num(f, fmt_num(b, sizeof(b), c->pps.mean, 0));
		num(f, fmt_num(b, sizeof(b), c->lost.mean, 2));
	}
	num(f, fmt_signed(b, sizeof(b), c->impact_pct, 1, "%"));
	num(f, fmt_ci(b, sizeof(b), c->impact_lo, c->impact_hi, 1));
	if (run->percall.asked) {
		num(f, fmt_signed(b, sizeof(b), c->predicted_pct, 1, "%"));
		num(f, fmt_ci(b, sizeof(b), c->predicted_lo, c->predicted_hi, 1));
		cell(f, percall_flag(run, c));
	}
	num(f, fmt_signed(b, sizeof(b), c->diff, 1, ""));
	num(f, fmt_ci(ci, sizeof(ci), c->diff_lo, c->diff_hi, 1));
	num(f, fmt_p(b, sizeof(b), c->p_holm));
	cell(f, c->sig);
	num(f, fmt_num(b, sizeof(b), c->mde_pct, 1));
	if (run->has_packets)
		num(f, fmt_signed(b, sizeof(b), c->ns_per_pkt, 0, ""));
	num(f, fmt_num(b, sizeof(b), c->ns_per_run, 1));
	num(f, fmt_hits(b, sizeof(b), c));
	cell(f, c->mechanism[0] ? c->mechanism : "-");
	fputc('\n', f);
}

int table_md_write(const struct run *run, FILE *f)
{
	/* Notes as a list, then each legend line a paragraph. */
	static const struct notes_style style = { esc_md, "- ", "\n", "\n", "", "\n\n" };
	const struct rec_metric *m = &run->metric;
	char t[64];
	size_t i;

	fprintf(f,
		"| Configuration | %s (%s) |%s Samples | Errors |%s Impact | 95%% CI (%%) |%s "
		"Difference (%s) | 95%% CI (%s) | p (Holm) | Sig | MDE (%%) |%s ns/run | "
		"Hits/%s | Mechanism |\n",
		fmt_title(m->name, t, sizeof(t)), m->unit,
		run->has_packets ? " Transfer (MB) |" : "",
		run->has_packets ? " Packets/s | Loss (%) |" : "",
		run->percall.asked ? " Predicted (%) | Predicted 95% CI (%) | vs pred |" : "",
		m->unit, m->unit, run->has_packets ? " ns/pkt |" : "", m->event);
	fprintf(f, "|:--|--:|%s--:|--:|%s--:|--:|%s--:|--:|--:|:-:|--:|%s--:|--:|:--|\n",
		run->has_packets ? "--:|" : "", run->has_packets ? "--:|--:|" : "",
		run->percall.asked ? "--:|--:|:-:|" : "", run->has_packets ? "--:|" : "");
	for (i = 0; i < run->n_rows; i++)
		row(run, &run->rows[i], f);
	fputc('\n', f);
	if (notes_write(run, f, &style))
		return -1;
	return ferror(f) ? -1 : 0;
}
