// SPDX-License-Identifier: GPL-2.0
/*
 * The spin ladder: measured added cost against the set cost of the known-cost
 * rows, by least squares. A slope near 1 says the harness sees a set
 * nanosecond as one; the intercept is the attach type's own cost.
 */
#include <math.h>

#include <gsl/gsl_fit.h>

#include "analysis/run.h"

void ladder_fit(const struct run *run, bool raw, struct ladder *l)
{
	double x[64], y[64], c0, c1, cov00, cov01, cov11, sumsq, t;
	size_t i, k = 0;

	*l = (struct ladder){ 0 };
	l->slope = l->slope_lo = l->slope_hi = l->icept = l->icept_lo = l->icept_hi = NAN;
	for (i = 0; i < run->n_rows && k < 64; i++) {
		const struct row_stats *c = &run->rows[i];
		double added = raw && !run->has_packets ? c->raw_diff * run_unit_ns(run)
							: run_spin_added(run, c);

		/* A control row is one whose records carry a known cost, whatever its probe. */
		if (isfinite(c->spin_ns) && c->n_ok && isfinite(added)) {
			x[k] = c->spin_ns;
			y[k++] = added;
		}
	}
	l->rows = k;
	if (k < 3)
		return;
	/* Every row at one spin_ns: no slope to fit (GSL would divide by zero). */
	for (i = 1; i < k && x[i] == x[0]; i++)
		;
	if (i == k)
		return;
	if (gsl_fit_linear(x, 1, y, 1, k, &c0, &c1, &cov00, &cov01, &cov11, &sumsq))
		return;
	l->slope = c1;
	l->icept = c0;
	/* GSL estimates the covariance from the scatter about the line (sumsq / (k - 2)). */
	t = stats_t_quantile(0.975, (double)(k - 2));
	if (!isfinite(t) || !isfinite(cov11) || !isfinite(cov00))
		return;
	l->slope_lo = l->slope - t * sqrt(cov11);
	l->slope_hi = l->slope + t * sqrt(cov11);
	l->icept_lo = l->icept - t * sqrt(cov00);
	l->icept_hi = l->icept + t * sqrt(cov00);
}
