// SPDX-License-Identifier: GPL-2.0
/* table.md: one GitHub-flavoured table with every column, then the notes. */
#include <string.h>

#include "analysis/fmt.h"
#include "analysis/report.h"

/* '|' would split a cell; configuration names and errors come from users. */
static void cell(FILE *f, const char *s)
{
	fputs(" ", f);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputs(" |", f);
}

static void row(const struct run *run, const struct cfg *c, FILE *f)
{
	const char *st = cfg_status(c);
	char b[96], ci[64];

	fputs("|", f);
	cell(f, c->name);
	cell(f, st ? st : fmt_pm(b, sizeof(b), c->value.mean, c->value.sd, 1, " ± "));
	if (run->has_packets)
		cell(f, fmt_pm(b, sizeof(b), c->mb.mean, c->mb.sd, 1, " ± "));
	snprintf(b, sizeof(b), "%zu", c->n_ok);
	cell(f, b);
	snprintf(b, sizeof(b), "%zu", c->n_err);
	cell(f, b);
	if (run->has_packets) {
		cell(f, fmt_num(b, sizeof(b), c->pps.mean, 0));
		cell(f, fmt_num(b, sizeof(b), c->lost.mean, 2));
	}
	cell(f, fmt_signed(b, sizeof(b), c->impact_pct, 1, "%"));
	cell(f, fmt_ci(b, sizeof(b), c->impact_lo, c->impact_hi, 1));
	if (run->percall.asked) {
		cell(f, fmt_signed(b, sizeof(b), c->predicted_pct, 1, "%"));
		cell(f, fmt_ci(b, sizeof(b), c->predicted_lo, c->predicted_hi, 1));
		cell(f, percall_flag(run, c));
	}
	cell(f, fmt_signed(b, sizeof(b), c->diff, 1, ""));
	cell(f, fmt_ci(ci, sizeof(ci), c->diff_lo, c->diff_hi, 1));
	cell(f, fmt_p(b, sizeof(b), c->p_holm));
	cell(f, c->sig);
	cell(f, fmt_num(b, sizeof(b), c->mde_pct, 1));
	if (run->has_packets)
		cell(f, fmt_signed(b, sizeof(b), c->ns_per_pkt, 0, ""));
	cell(f, fmt_num(b, sizeof(b), c->ns_per_run, 1));
	cell(f, fmt_hits(b, sizeof(b), c));
	cell(f, c->mechanism[0] ? c->mechanism : "-");
	fputc('\n', f);
}

int table_md_write(const struct run *run, FILE *f)
{
	const struct rec_metric *m = &run->metric;
	char line[1024], t[64];
	struct notes notes;
	size_t i;

	if (notes_build(run, &notes))
		return -1;
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
	for (i = 0; i < run->n_cfgs; i++)
		row(run, &run->cfgs[i], f);
	fputc('\n', f);
	for (i = 0; i < notes.n; i++)
		fprintf(f, "- %s\n", notes.v[i]);
	fputc('\n', f);
	for (i = 0; fmt_legend(run, (int)i, line, sizeof(line)); i++)
		fprintf(f, "%s\n\n", line);
	notes_free(&notes);
	return ferror(f) ? -1 : 0;
}
