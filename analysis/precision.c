// SPDX-License-Identifier: GPL-2.0
/*
 * PRECISION=5% or 2ns: how wide each row's added-cost CI is against the
 * target (in % of the baseline, or in the metric's unit), and how many
 * samples per row would have reached it. Shared by the report
 * (the precision table) and the runner (which rows still need samples), so
 * the two can never disagree about "reached".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/run.h"

/* Above this a projection says "more than": the sd estimate is not that good. */
#define PROJECTED_N_MAX 100000

bool precision_target_ok(double pct)
{
	return isfinite(pct) && pct > 0 && pct <= 1000;
}

/*
 * Half-width of the added cost's 95% CI with n samples in both the row and the
 * baseline, the sds as measured: Welch's interval, times @per_unit (100 over
 * the baseline for %, 1 for the metric's unit).
 */
static double half_width_at(double sr, double sb, double per_unit, double n)
{
	double vr = sr * sr / n, vb = sb * sb / n;

	if (!(vr + vb > 0))
		return 0;
	return stats_t_quantile(0.975, stats_welch_df(vr, (size_t)n, vb, (size_t)n)) *
	       sqrt(vr + vb) * per_unit;
}

/* Smallest equal n reaching @target, by doubling then bisection (the width falls with n). */
static double projected_n(const struct row_stats *c, const struct row_stats *b, double target,
			  bool pct, enum estimator est)
{
	/* The robust shift's interval is the t interval at the robust sds over 3/pi. */
	double eff = est == EST_MEAN ? 1 : sqrt(STATS_MW_EFFICIENCY);
	double sr = (est == EST_MEAN ? c->value.sd : c->value.robust_sd) / eff;
	double sb = (est == EST_MEAN ? b->value.sd : b->value.robust_sd) / eff;
	double base = est == EST_MEAN ? b->value.mean : b->value.median;
	double per_unit = pct ? 100 / fabs(base) : 1;
	double lo = 2, hi = 2;

	if (!isfinite(sr) || !isfinite(sb) || !isfinite(per_unit) || (pct && base == 0))
		return NAN;
	while (half_width_at(sr, sb, per_unit, hi) > target) {
		lo = hi;
		hi *= 2;
		if (hi > PROJECTED_N_MAX)
			return INFINITY;
	}
	if (hi == 2)
		return 2;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);

		if (half_width_at(sr, sb, per_unit, mid) > target)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* The target judged: @unit checked against the run's metric (a manifest is hostile). */
static int set_target(struct run *run, double target, const char *unit, char *err, size_t errlen)
{
	char canon[PRECISION_UNIT_LEN];

	run->precision_pct = run->precision_abs = NAN;
	run->precision_unit[0] = '\0';
	if (isnan(target))
		return 0;
	if (precision_unit_for(unit, run->metric.unit, run->metric.event, canon, sizeof(canon), err,
			       errlen))
		return -1;
	if (!precision_value_ok(target, canon)) {
		snprintf(err, errlen, "target %g %s: out of bounds", target, canon);
		return -1;
	}
	if (!strcmp(canon, "%"))
		run->precision_pct = target;
	else
		run->precision_abs = target;
	snprintf(run->precision_unit, sizeof(run->precision_unit), "%s", canon);
	return 0;
}

int run_precision(struct run *run, double target, const char *unit, char *err, size_t errlen)
{
	const struct row_stats *b = run->baseline;
	int ret = set_target(run, target, unit, err, errlen);
	bool pct = !isnan(run->precision_pct);
	double want = pct ? run->precision_pct : run->precision_abs;
	size_t i;

	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		c->half_width_pct = c->half_width = NAN;
		c->projected_n = NAN;
		c->reached = false;
		if (c == b || !b || !c->n_ok)
			continue;
		if (isfinite(c->impact_lo) && isfinite(c->impact_hi))
			c->half_width_pct = (c->impact_hi - c->impact_lo) / 2;
		if (isfinite(c->diff_lo) && isfinite(c->diff_hi))
			c->half_width = (c->diff_hi - c->diff_lo) / 2;
		if (isnan(want))
			continue;
		c->reached = (pct ? c->half_width_pct : c->half_width) <= want;
		c->projected_n = projected_n(c, b, want, pct, run->estimator);
	}
	return ret;
}

bool precision_needs_more(const struct row_stats *c)
{
	/* A row with no good sample yet (unsupported, failing) cannot get narrower. */
	return c->n_ok && !c->baseline && !c->reached;
}
