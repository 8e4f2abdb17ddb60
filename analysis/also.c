// SPDX-License-Identifier: GPL-2.0
/*
 * A workload's further metrics (metric.also: the latency workload's p90, p99,
 * p99.9 and maximum round trip) per row: mean ± sd over the good samples, the
 * added cost against baseline (difference of means, Welch's 95% CI) and the
 * MDE, all in the metric's unit. A row with a good sample lacking the figure
 * (too short to estimate a p99.9) gets none: an average over the samples that
 * have it would describe other samples than the row's.
 */
#include <math.h>
#include <stdlib.h>

#include "analysis/run.h"

static void describe(struct row_stats *c, size_t k)
{
	double *x = malloc((c->n_ok ? c->n_ok : 1) * sizeof(*x));
	size_t i, n = 0;

	c->also_absent[k] = 0;
	for (i = 0; x && i < c->n_ok; i++) {
		if (isnan(c->ok[i]->also[k]))
			c->also_absent[k]++;
		else
			x[n++] = c->ok[i]->also[k];
	}
	stats_describe(x, x && !c->also_absent[k] ? n : 0, &c->also[k]);
	free(x);
}

void run_also(struct run *run)
{
	const struct row_stats *b = run->baseline;
	size_t i, k;

	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		for (k = 0; k < REC_ALSO_MAX; k++) {
			c->also[k] = (struct sample_stats){ 0, NAN, NAN, NAN, NAN, NAN };
			c->also_welch[k] = (struct welch){ NAN, NAN, NAN, NAN, NAN, NAN, NAN };
			c->also_mde[k] = NAN;
			if (k < run->metric.n_also)
				describe(c, k);
		}
	}
	if (!b)
		return;
	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		for (k = 0; k < run->metric.n_also; k++) {
			if (c == b || c->also[k].n < 2 || b->also[k].n < 2)
				continue;
			stats_welch(&c->also[k], &b->also[k], &c->also_welch[k]);
			c->also_mde[k] =
				stats_mde(b->also[k].sd, c->also[k].n, b->also[k].n, ALPHA, POWER);
		}
	}
}
