// SPDX-License-Identifier: GPL-2.0
/* The paper tables' notes: what the columns are, why a cell is a dash, what is elsewhere. */
#include <math.h>
#include <string.h>

#include "analysis/paper.h"

/* A record's error text is long and the column is narrow: its start says enough. */
#define WHY_MAX 72

static void dash_note(FILE *f, const struct row_stats *c, const char *name)
{
	char first[WHY_MAX + 4];

	fputs("\\\\\n--: ", f);
	paper_tex(f, c ? c->name : name);
	fputs(": ", f);
	paper_tex(f, paper_dash_why(c));
	if (c && !c->n_ok && c->first_error && c->first_error[0]) {
		snprintf(first, sizeof(first), "%.*s%s", WHY_MAX, c->first_error,
			 strlen(c->first_error) > WHY_MAX ? "..." : "");
		fputs(" (", f);
		paper_tex(f, first);
		fputs(")", f);
	}
}

static void legend(const struct run *run, FILE *f, bool wide)
{
	fputs(wide ? "Added: the row's cost over the unprobed baseline (a -stat row's with stats "
		     "on); "
		   : "Added: the cost over the unprobed baseline; ",
	      f);
	fputs("Stats on: what turning BPF run-time stats on adds (the -stat row minus the same row "
	      "with stats off). In ",
	      f);
	paper_unit(run, f);
	if (!wide)
		fputs(run->has_packets ? ", with the 95\\% CI below and the time added per packet "
					 "(ns) under it"
				       : ", with the 95\\% CI below",
		      f);
	fputs(run->estimator == EST_MEAN ? ". Means and Welch's t-test"
					 : ". Hodges-Lehmann shifts with their Mann-Whitney "
					   "intervals",
	      f);
	fputs("; * $p<0.05$, ** $p<0.01$, *** $p<0.001$ after Holm's correction.", f);
	if (wide) {
		fputs(" ns/run: the program's own run time per run from BPF stats (-stat rows); "
		      "Hits: program runs per ",
		      f);
		paper_tex(f, run->metric.event);
		fputs(".", f);
	}
}

/*
 * A narrow cell is a dash: name the row and say why, once per row. Rows the
 * matrix did not have (MATRIX=quick has few) share one line; @absent picks them.
 */
static void narrow_dashes(const struct run *run, const struct paper_pivot *pv, FILE *f, bool absent)
{
	char name[3 * 64];
	size_t listed = 0;

	for (size_t a = 0; a < pv->n_attach; a++)
		for (size_t p = 0; p < pv->n_narrow; p++)
			for (int st = 0; st < 2; st++) {
				const struct row_stats *c =
					paper_row(run, pv->attach[a], pv->probe[p], st);
				struct paper_value v;

				if (st ? paper_stats_cost(run, c, &v) : paper_added(run, c, &v))
					continue;
				if (c && !paper_dash_why(c) && st && c->stats_off &&
				    paper_dash_why(c->stats_off))
					continue; /* its stats-off twin's note says why */
				if (absent != !c)
					continue;
				snprintf(name, sizeof(name), "%s-%s%s", pv->attach[a], pv->probe[p],
					 st ? "-stat" : "");
				if (absent) {
					fputs(listed++ ? ", " : "\\\\\n--: not in this run: ", f);
					paper_tex(f, name);
				} else if (!paper_dash_why(c)) {
					fputs("\\\\\n--: ", f);
					paper_tex(f, name);
					fputs(!st ? ": not computable"
					      : !c->stats_off
						      ? ": no stats-off row to compare with"
						      : ": not computable (too few samples, or "
							"neither row has any spread)",
					      f);
				} else {
					dash_note(f, c, name);
				}
			}
}

static void elsewhere(const struct run *run, const struct paper_pivot *pv, FILE *f)
{
	size_t settings = 0;

	for (size_t i = 0; i < run->n_rows; i++)
		settings += !run->rows[i].baseline && strchr(run->rows[i].name, '@');
	if (pv->n_probe > pv->n_narrow) {
		fputs("\\\\\nProbe bodies not shown here: ", f);
		for (size_t p = pv->n_narrow; p < pv->n_probe; p++) {
			paper_tex(f, pv->probe[p]);
			fputs(p + 1 < pv->n_probe ? ", " : "", f);
		}
		fputs(" (every row is in the wide table).", f);
	}
	if (settings)
		fprintf(f,
			"\\\\\n%zu configuration%s with probe settings (@) %s in the wide table.",
			settings, settings == 1 ? "" : "s", settings == 1 ? "is" : "are");
}

/* A figure shown without its interval: say why rather than leave a bare dash. */
static void missing_ci(const struct run *run, FILE *f)
{
	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];
		struct paper_value v;

		if ((paper_added(run, c, &v) && !(isfinite(v.lo) && isfinite(v.hi))) ||
		    (paper_stats_cost(run, c, &v) && !(isfinite(v.lo) && isfinite(v.hi)))) {
			fputs(run->estimator == EST_ROBUST
				      ? " A CI shown as -- needs more samples: the Mann-Whitney "
					"interval needs 4 a side (ESTIMATOR=mean gives Welch's)."
				      : " A CI shown as -- needs more samples (2 a side, with "
					"spread).",
			      f);
			return;
		}
	}
}

void paper_notes(const struct run *run, const struct paper_pivot *pv, FILE *f, bool wide)
{
	fputs("\\par\\smallskip{\\scriptsize\\raggedright\n", f);
	legend(run, f, wide);
	missing_ci(run, f);
	if (wide) {
		for (size_t i = 0; i < run->n_rows; i++)
			if (!run->rows[i].baseline && paper_dash_why(&run->rows[i]))
				dash_note(f, &run->rows[i], NULL);
	} else {
		narrow_dashes(run, pv, f, false);
		narrow_dashes(run, pv, f, true);
		elsewhere(run, pv, f);
	}
	fputs("\\par}\n", f);
}
