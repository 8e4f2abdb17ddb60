// SPDX-License-Identifier: GPL-2.0
/* One row against another row of the same run, by the run's estimator: a shift with its CI. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/run.h"

int row_shift(const struct row_stats *a, const struct row_stats *b, enum estimator est,
	      struct row_shift *out)
{
	out->est = out->lo = out->hi = out->p = NAN;
	if (est == EST_MEAN) {
		struct welch w;

		if (stats_welch(&a->value, &b->value, &w))
			return 0;
		out->est = a->value.mean - b->value.mean;
		out->lo = w.ci_lo;
		out->hi = w.ci_hi;
		out->p = w.p;
	} else {
		size_t m, n;
		double *x = row_values(a, &m), *y = row_values(b, &n);
		struct shift sh;
		int err = -ENOMEM;

		if (x && y)
			err = stats_hodges_lehmann(x, m, y, n, ALPHA, &sh);
		free(x);
		free(y);
		if (err == -ENOMEM)
			return err;
		if (err)
			return 0;
		out->est = sh.est;
		out->lo = sh.lo;
		out->hi = sh.hi;
		out->p = sh.p;
	}
	return 0;
}
