// SPDX-License-Identifier: GPL-2.0
/*
 * PRECISION=<percent>: how wide each row's impact CI is against the target,
 * and how many samples per row would have reached it. Shared by the report
 * (the precision table) and the runner (which rows still need samples), so
 * the two can never disagree about "reached".
 */
#include <math.h>
#include <string.h>

#include "analysis/run.h"

/* Above this a projection says "more than": the sd estimate is not that good. */
#define PROJECTED_N_MAX 100000

bool precision_target_ok(double pct)
{
	return isfinite(pct) && pct > 0 && pct <= 1000;
}

/*
 * Half-width of the impact's 95% CI with n samples in both the row and the
 * baseline, the sds as measured: Welch's interval, in % of the baseline mean.
 */
static double half_width_at(double sr, double sb, double base, double n)
{
	double vr = sr * sr / n, vb = sb * sb / n;

	if (!(vr + vb > 0))
		return 0;
	return stats_t_quantile(0.975, stats_welch_df(vr, (size_t)n, vb, (size_t)n)) *
	       sqrt(vr + vb) / fabs(base) * 100;
}

/* Smallest equal n reaching @target, by doubling then bisection (the width falls with n). */
static double projected_n(const struct row_stats *c, const struct row_stats *b, double target,
			  enum estimator est)
{
	/* The robust shift's interval is the t interval at the robust sds over 3/pi. */
	double eff = est == EST_MEAN ? 1 : sqrt(STATS_MW_EFFICIENCY);
	double sr = (est == EST_MEAN ? c->value.sd : c->value.robust_sd) / eff;
	double sb = (est == EST_MEAN ? b->value.sd : b->value.robust_sd) / eff;
	double base = est == EST_MEAN ? b->value.mean : b->value.median;
	double lo = 2, hi = 2;

	if (!isfinite(sr) || !isfinite(sb) || !isfinite(base) || base == 0)
		return NAN;
	while (half_width_at(sr, sb, base, hi) > target) {
		lo = hi;
		hi *= 2;
		if (hi > PROJECTED_N_MAX)
			return INFINITY;
	}
	if (hi == 2)
		return 2;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);

		if (half_width_at(sr, sb, base, mid) > target)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

void run_precision(struct run *run, double target_pct)
{
	const struct row_stats *b = run->baseline;
	size_t i;

	run->precision_pct = precision_target_ok(target_pct) ? target_pct : NAN;
	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		c->half_width_pct = NAN;
		c->projected_n = NAN;
		c->reached = false;
		if (c == b || !b || !c->n_ok)
			continue;
		if (isfinite(c->impact_lo) && isfinite(c->impact_hi))
			c->half_width_pct = (c->impact_hi - c->impact_lo) / 2;
		if (isnan(run->precision_pct))
			continue;
		c->reached = c->half_width_pct <= run->precision_pct;
		c->projected_n = projected_n(c, b, run->precision_pct, run->estimator);
	}
}

bool precision_needs_more(const struct row_stats *c)
{
	/* A row with no good sample yet (unsupported, failing) cannot get narrower. */
	return c->n_ok && !c->baseline && !c->reached;
}
