// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/fmt.h"
#include "analysis/run.h"

int notes_vadd(struct notes *n, const char *fmt, va_list ap)
{
	char **v, *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return -ENOMEM;
	v = reallocarray(n->v, n->n + 1, sizeof(*v));
	if (!v) {
		free(s);
		return -ENOMEM;
	}
	n->v = v;
	n->v[n->n++] = s;
	return 0;
}

int notes_add(struct notes *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = notes_vadd(n, fmt, ap);
	va_end(ap);
	return r;
}

/* A known-cost control row: its records carry the cost (BPFCOST_KNOWN_COST_NS in its probe). */
static bool is_spin(const struct row_stats *c)
{
	return isfinite(c->spin_ns);
}

/*
 * The set cost alone: the row minus its twin set to 0, which carries the attach
 * type's own cost too (under TCG that can be as large as the spin).
 */
static int twin_line(const struct run *run, const struct row_stats *c, struct notes *n)
{
	double ns = run_unit_ns(run), k = run->has_packets ? NAN : ns;
	bool excludes_0 = c->spin_alone_lo > 0 || c->spin_alone_hi < 0;

	return notes_add(n,
			 "    %s minus %s (the set cost alone, the attach's own left out): %s %s "
			 "[%s, %s]%s%s%s, %s",
			 c->name, c->spin_zero->name, FMT("%+.1f", c->spin_alone), run->metric.unit,
			 FMT("%+.1f", c->spin_alone_lo), FMT("%+.1f", c->spin_alone_hi),
			 isfinite(k) && ns != 1 ? " = " : "",
			 isfinite(k) && ns != 1 ? FMT("%+.0f ns", c->spin_alone * k) : "",
			 isfinite(k) ? FMT(" (%.2fx set)", c->spin_alone * k / c->spin_ns) : "",
			 !isfinite(c->spin_alone_lo) ? "no CI (too few samples)"
			 : excludes_0		     ? "its 95% CI excludes 0"
						     : "its 95% CI includes 0");
}

/* A known cost that the run cannot see means null results elsewhere prove nothing. */
static int spin_lines(const struct run *run, struct notes *n)
{
	const char *unit = run->has_packets	   ? "ns/packet"
			   : run_unit_ns(run) != 1 ? "ns"
						   : run->metric.unit;
	double limit = notes_packet_limit_ns(run);
	size_t i, above = 0, above_seen = 0;
	bool any = false;
	int err = 0;

	for (i = 0; i < run->n_rows && !err; i++) {
		const struct row_stats *c = &run->rows[i];
		double added = run_spin_added(run, c);
		char measured[96], ratio[96];
		bool seen;

		if (!is_spin(c) || !c->n_ok)
			continue;
		any = true;
		seen = isfinite(c->p_holm) && c->p_holm < ALPHA &&
		       (run->metric.higher_is_better ? c->diff < 0 : c->diff > 0);
		if (isfinite(added))
			snprintf(measured, sizeof(measured), "measured %s %s", FMT("%+.0f", added),
				 unit);
		else
			snprintf(measured, sizeof(measured),
				 "added cost not computable (no baseline to compare with)");
		if (isfinite(added) && c->spin_ns > 0)
			snprintf(ratio, sizeof(ratio), " (%sx)", FMT("%.2f", added / c->spin_ns));
		else
			ratio[0] = '\0';
		/* At twice the limit a known cost must show; if it does not, the limit is wrong. */
		if (isfinite(limit) && c->spin_ns >= 2 * limit) {
			above++;
			above_seen += seen;
			snprintf(ratio + strlen(ratio), sizeof(ratio) - strlen(ratio), "; %s",
				 seen ? "above twice the limit, as expected"
				      : "WARNING: above twice the limit yet not seen");
		}
		err = notes_add(n, "Sensitivity: %s: known cost %s (%s); %s vs spin_ns=%s set%s",
				c->name, seen ? "DETECTED" : "NOT detected",
				!isfinite(c->p_holm)
					? "no test possible: too few samples or no spread"
				: run->estimator == EST_MEAN ? "Holm-corrected Welch test"
							     : "Holm-corrected Mann-Whitney test",
				measured, FMT("%.0f", c->spin_ns), ratio);
		if (!err && c->spin_zero)
			err = twin_line(run, c, n);
	}
	if (!any && !err)
		err = notes_add(n, "Sensitivity: no 'spin' control in this run, so the harness's "
				   "ability to see a known cost was not checked");
	/* The detection limit verified in the same run: every spin row well above it shows. */
	if (above && !err)
		err = notes_add(
			n,
			"Detection limit check: %zu of %zu spin rows set at or above twice the "
			"limit (%s ns/packet) were detected%s",
			above_seen, above, FMT("%.0f", 2 * limit),
			above_seen == above ? "" : ": the limit is optimistic for this run");
	return err;
}

/* The spin ladder's fit (analyse.c), when the run has one. */
static int ladder_line(const struct run *run, struct notes *n)
{
	const struct ladder *l = &run->ladder;
	/* ladder_fit() works in ns, as spin_ns: a round trip in us is fitted in ns too. */
	const char *unit = run->has_packets	   ? "ns/packet"
			   : run_unit_ns(run) != 1 ? "ns"
						   : run->metric.unit;

	/* Normalised runs: the spin busy-waits on wall time, so raw times judge it. */
	const char *what = run->normalised ? "Spin ladder (raw times)" : "Spin ladder";

	if (l->rows < 3)
		return 0;
	if (!isfinite(l->slope))
		return notes_add(n, "%s: every spin row sets the same spin_ns: no slope to fit",
				 what);
	if (!isfinite(l->slope_lo))
		return notes_add(
			n, "%s: added = %s x spin_ns %s %s over %zu rows (no CI: not computable)",
			what, FMT("%.3f", l->slope), FMT("%+.1f", l->icept), unit, l->rows);
	return notes_add(
		n,
		"%s: added = %s [%s, %s] x spin_ns %s [%s, %s] %s over "
		"%zu rows (least squares, 95%% CIs); a slope of 1 means the harness sees a set "
		"nanosecond as one",
		what, FMT("%.3f", l->slope), FMT("%.3f", l->slope_lo), FMT("%.3f", l->slope_hi),
		FMT("%+.1f", l->icept), FMT("%+.1f", l->icept_lo), FMT("%+.1f", l->icept_hi), unit,
		l->rows);
}

/* @line for each row in turn, until one fails. */
static int row_lines(const struct run *run, struct notes *n,
		     int (*line)(const struct run *run, const struct row_stats *c, struct notes *n))
{
	size_t i;
	int err = 0;

	for (i = 0; i < run->n_rows && !err; i++)
		err = line(run, &run->rows[i], n);
	return err;
}

static int hits_line(const struct run *run, const struct row_stats *c, struct notes *n)
{
	if (!c->hits_bad)
		return 0;
	return notes_add(n,
			 "WARNING: %s: hits per %s %s (range %s..%s, source %s) outside "
			 "[%.1f, %.1f] or check failed: the probe did not run once per %s",
			 c->name, run->metric.event, FMT("%.3f", c->hits_mean),
			 FMT("%.3f", c->hits_min), FMT("%.3f", c->hits_max),
			 c->hits_source[0] ? c->hits_source : "?", HITS_MIN, HITS_MAX,
			 run->metric.event);
}

static int hits_lines(const struct run *run, struct notes *n)
{
	return row_lines(run, n, hits_line);
}

static int error_line(const struct run *run, const struct row_stats *c, struct notes *n)
{
	(void)run;
	if (!c->n_err)
		return 0;
	return notes_add(n, "%s: %zu of %zu samples failed%s: %s", c->name, c->n_err,
			 c->n_err + c->n_ok,
			 c->n_unsupported ? " (unsupported by this kernel)" : "", c->first_error);
}

static int error_lines(const struct run *run, struct notes *n)
{
	int err = row_lines(run, n, error_line);

	if (!err && run->recs.n_duplicates)
		err = notes_add(
			n,
			"WARNING: %zu duplicate record(s) left out (a second record of one "
			"configuration and block, or a line repeated verbatim): two runs wrote "
			"to this folder, or lines were copied",
			run->recs.n_duplicates);
	if (!err && run->recs.n_malformed > run->recs.n_duplicates)
		err = notes_add(n,
				"%zu malformed line(s) in samples.jsonl skipped (first: line %d)",
				run->recs.n_malformed - run->recs.n_duplicates,
				run->recs.first_malformed_line);
	return err;
}

/* What this run could have seen at all, in % and in the metric's unit. */
static int mde_line(const struct run *run, struct notes *n)
{
	const struct row_stats *b = run->baseline;

	if (!isfinite(run->mde_pct) && !isfinite(run->mde_abs))
		return notes_add(n, "Minimum detectable effect of this run: not computable (%s)",
				 b->value.n < 2 ? "fewer than 2 baseline samples"
						: "the baseline has no spread or no usable mean");
	if (run->estimator == EST_MEAN)
		return notes_add(
			n,
			"Minimum detectable effect of this run: %s%% of the baseline %s, %s %s "
			"(80%% power, two-sided 5%% level, n=%zu per group, baseline sd %s %s); "
			"smaller effects may go unseen",
			FMT("%.1f", run->mde_pct), run->metric.name, FMT("%.3g", run->mde_abs),
			run->metric.unit, b->value.n, FMT("%.3g", b->value.sd), run->metric.unit);
	return notes_add(n,
			 "Minimum detectable effect of this run: %s%% of the baseline %s, %s %s "
			 "(robust estimator: 80%% power, two-sided 5%% level, n=%zu per group, "
			 "baseline robust sd %s %s (1.4826 MAD; sd %s), Mann-Whitney efficiency "
			 "3/pi); smaller effects may go unseen",
			 FMT("%.1f", run->mde_pct), run->metric.name, FMT("%.3g", run->mde_abs),
			 run->metric.unit, b->value.n, FMT("%.3g", b->value.robust_sd),
			 run->metric.unit, FMT("%.3g", b->value.sd));
}
/* Which estimator the headline columns use, and what the other one says of the run. */
static int estimator_line(const struct run *run, struct notes *n)
{
	enum estimator other = run->estimator == EST_MEAN ? EST_ROBUST : EST_MEAN;

	if (!isfinite(run->mde_by[other][0]))
		return notes_add(n, "Estimator: %s (--estimator %s for the other)",
				 estimator_name(run->estimator), estimator_name(other));
	return notes_add(
		n,
		"Estimator: %s: impact, CI, p and Sig columns use %s; values stay mean±sd. "
		"The %s estimator's MDE for this run: %s%% (--estimator %s)",
		estimator_name(run->estimator),
		run->estimator == EST_MEAN ? "means and Welch's t-test"
					   : "the Hodges-Lehmann shift and the Mann-Whitney test",
		estimator_name(other), FMT("%.1f", run->mde_by[other][0]), estimator_name(other));
}

/* Samples the runner marked disturbed: left out, redone, and rows that ran out of redos. */
static int disturbed_lines(const struct run *run, struct notes *n)
{
	size_t i, rows = 0;
	int err = 0;

	if (!run->n_disturbed)
		return 0;
	for (i = 0; i < run->n_rows; i++)
		rows += run->rows[i].n_disturbed > 0;
	err = notes_add(
		n,
		"Disturbed samples: %zu record%s in %zu row%s saw other work on the host and "
		"%s left out of every statistic (kept in samples.jsonl, redone by the runner)",
		run->n_disturbed, run->n_disturbed == 1 ? "" : "s", rows, rows == 1 ? "" : "s",
		run->n_disturbed == 1 ? "is" : "are");
	for (i = 0; i < run->n_rows && !err; i++) {
		const struct row_stats *c = &run->rows[i];

		if (!c->n_disturbed)
			continue;
		err = notes_add(n, "  %s: %zu disturbed (first: %s)%s", c->name, c->n_disturbed,
				c->first_disturbed ? c->first_disturbed : "?",
				c->n_unclean
					? "; WARNING: no clean sample in some blocks (redo limit "
					  "reached or run stopped)"
					: "");
		if (!err && c->n_unclean)
			err = notes_add(n, "  %s could not get clean samples in %zu block%s",
					c->name, c->n_unclean, c->n_unclean == 1 ? "" : "s");
	}
	return err;
}

/*
 * Rows whose CI excludes no effect yet Holm leaves "ns": say what n would do it,
 * rather than let a correction for 20 rows read as "no effect".
 */
static int significance_lines(const struct run *run, struct notes *n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < run->n_rows && !err; i++) {
		const struct row_stats *c = &run->rows[i];
		const struct estimate *e = &c->est[run->estimator];

		if (c == run->baseline || !c->n_ok || !isfinite(e->diff_lo) ||
		    !isfinite(e->diff_hi) || (e->diff_lo <= 0 && e->diff_hi >= 0) ||
		    !isfinite(e->p_holm) || e->p_holm < ALPHA)
			continue;
		if (isfinite(e->n_for_sig))
			err = notes_add(
				n,
				"  %s: its 95%% CI excludes 0 but Holm's correction leaves it ns "
				"at n=%zu; about n=%s per row would make a shift this size "
				"significant (80%% power)",
				c->name, c->value.n, FMT("%.0f", e->n_for_sig));
	}
	return err;
}

/* Why the runner stopped a PRECISION run, from the manifest's fixed codes (never its text). */
static const char *precision_stop_text(const struct run *run)
{
	static const struct {
		const char *code, *text;
	} reasons[] = {
		{ "reached", "every row reached the target" },
		{ "budget", "the time budget was spent" },
		{ "max_n", "the largest N allowed was reached" },
		{ "interrupted", "interrupted" },
	};
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(run->precision_stop, reasons[i].code))
			return reasons[i].text;
	return NULL;
}

/* PRECISION: per row, whether the added cost's CI is as narrow as asked, and what n would make it.
 */
static int precision_lines(const struct run *run, struct notes *n)
{
	const char *why = precision_stop_text(run);
	bool pct = !isnan(run->precision_pct);
	double want = pct ? run->precision_pct : run->precision_abs;
	char target[64];
	size_t i, rows = 0, reached = 0;
	int err;

	if (isnan(want))
		return 0;
	for (i = 0; i < run->n_rows; i++) {
		rows += &run->rows[i] != run->baseline && run->rows[i].n_ok;
		reached += run->rows[i].reached;
	}
	precision_text(target, sizeof(target), "%.3g", want, run->precision_unit);
	err = notes_add(n,
			"Precision target: 95%% CI of each row's added cost within %s%s; "
			"%zu of %zu rows reached it%s%s",
			target, pct ? " of the baseline" : "", reached, rows,
			why ? "; the run stopped because " : "", why ?: "");
	for (i = 0; i < run->n_rows && !err; i++) {
		const struct row_stats *c = &run->rows[i];
		double width = pct ? c->half_width_pct : c->half_width;
		char proj[64], got[64];

		if (c == run->baseline || !c->n_ok)
			continue;
		if (isinf(c->projected_n))
			snprintf(proj, sizeof(proj), "more than 100000 samples per row");
		else if (isfinite(c->projected_n))
			snprintf(proj, sizeof(proj), "%s samples per row",
				 FMT("%.0f", c->projected_n));
		else
			snprintf(proj, sizeof(proj), "not computable (no spread known)");
		if (isfinite(width))
			err = notes_add(n,
					"  %s: %s with n=%zu (baseline n=%zu): %s; projected N %s",
					c->name,
					precision_text(got, sizeof(got), "%.2f", width,
						       run->precision_unit),
					c->value.n, run->baseline->value.n,
					c->reached ? "reached" : "NOT reached", proj);
		else
			err = notes_add(n, "  %s: width not computable with n=%zu: NOT reached",
					c->name, c->value.n);
	}
	return err;
}

/* --percall: the predicted column's model, refusals and disagreements (percall.c). */
static int percall_lines(const struct run *run, struct notes *n)
{
	char line[1024];
	int err = 0;

	for (size_t i = 0; !err && percall_note(run, i, line, sizeof(line)); i++)
		err = notes_add(n, "%s", line);
	return err;
}

int notes_build(const struct run *run, struct notes *n)
{
	/* The notes in the order they are printed; each adds its lines or none. */
	static int (*const makers[])(const struct run *run, struct notes *n) = {
		notes_saturation_line,	 notes_normalised, mde_line,
		estimator_line,		 disturbed_lines,  notes_limit_line,
		notes_percall_limit,	 spin_lines,	   ladder_line,
		notes_ladder_normalised, hits_lines,	   significance_lines,
		precision_lines,	 percall_lines,	   error_lines,
	};
	int err = 0;

	memset(n, 0, sizeof(*n));
	for (size_t i = 0; !err && i < sizeof(makers) / sizeof(makers[0]); i++)
		err = makers[i](run, n);
	if (err)
		notes_free(n);
	return err;
}

void notes_free(struct notes *n)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	memset(n, 0, sizeof(*n));
}
