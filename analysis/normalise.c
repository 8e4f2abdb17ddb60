// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call samples in real time, normalised by their reference. Each trigger
 * sample also times getppid() (not probed) in alternating rounds on the same
 * CPU: when the CPU runs slower for a while (another task's cache and
 * frequency, a thermal limit), both slow down together. A sample's time per
 * call is scaled by the run's median reference over its own:
 *
 *   normalised = ns_per_call * median(ref_ns_per_call) / ref_ns_per_call
 *
 * which keeps the unit (ns per call at the run's typical speed) and removes
 * most of the drift. The median is over every good sample of the run, which
 * no sample knows when it is written: records keep raw and reference times,
 * and the normalised value is computed here. A run is normalised only when
 * every good sample carries a positive reference; otherwise (ref=0, the
 * instruction clock, older records) its values stay raw.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/run.h"

/* The good (analysed) samples of every row; NULL on -ENOMEM. */
static const struct record **good_records(const struct run *run, size_t *n)
{
	const struct record **v;
	size_t i, k, total = 0;

	for (i = 0; i < run->n_rows; i++)
		total += run->rows[i].n_ok;
	v = calloc(total ? total : 1, sizeof(*v));
	*n = 0;
	for (i = 0; v && i < run->n_rows; i++)
		for (k = 0; k < run->rows[i].n_ok; k++)
			v[(*n)++] = run->rows[i].ok[k];
	return v;
}

static bool has_ref(const struct record *r)
{
	return isfinite(r->ref_ns) && r->ref_ns > 0;
}

static bool in_range(double v)
{
	return isfinite(v) && fabs(v) <= RECORD_VALUE_MAX;
}

int run_normalise(struct run *run)
{
	size_t i, n;
	const struct record **good = good_records(run, &n);
	double *refs;

	run->normalised = false;
	run->ref_median_ns = NAN;
	for (i = 0; i < run->recs.n; i++)
		run->recs.v[i].value = run->recs.v[i].raw_value;
	if (!good)
		return -ENOMEM;
	refs = calloc(n ? n : 1, sizeof(*refs));
	if (!refs) {
		free(good);
		return -ENOMEM;
	}
	for (i = 0; i < n && has_ref(good[i]); i++)
		refs[i] = good[i]->ref_ns;
	if (!n || i < n) {
		free(good);
		free(refs);
		return 0;
	}
	run->ref_median_ns = stats_median(refs, n);
	free(refs);
	/* A crafted reference (1e-300) must not carry a value out of range into a table. */
	for (i = 0; i < n && in_range(good[i]->raw_value * run->ref_median_ns / good[i]->ref_ns);
	     i++)
		;
	free(good);
	if (i < n) {
		run->ref_median_ns = NAN;
		return 0;
	}
	run->normalised = true;
	for (i = 0; i < run->recs.n; i++) {
		struct record *r = &run->recs.v[i];

		if (has_ref(r) && in_range(r->raw_value * run->ref_median_ns / r->ref_ns))
			r->value = r->raw_value * run->ref_median_ns / r->ref_ns;
	}
	return 0;
}

/* A row's raw values over its good samples. */
static double *raw_values(const struct row_stats *c, size_t *n)
{
	double *x = calloc(c->n_ok ? c->n_ok : 1, sizeof(*x));
	size_t i;

	*n = 0;
	for (i = 0; x && i < c->n_ok; i++)
		if (!isnan(c->ok[i]->raw_value))
			x[(*n)++] = c->ok[i]->raw_value;
	return x;
}

/* The added cost on raw times against @b, by the run's estimator, with its 95% CI. */
static int raw_diff(struct row_stats *c, const struct row_stats *b, enum estimator est)
{
	size_t m, n;
	double *x, *y;
	struct shift sh;
	struct welch w;
	int err;

	c->raw_diff = c->raw_diff_lo = c->raw_diff_hi = NAN;
	if (est == EST_MEAN) {
		stats_welch(&c->raw, &b->raw, &w);
		c->raw_diff = w.diff;
		c->raw_diff_lo = w.ci_lo;
		c->raw_diff_hi = w.ci_hi;
		return 0;
	}
	x = raw_values(c, &m);
	y = raw_values(b, &n);
	err = x && y ? stats_hodges_lehmann(x, m, y, n, ALPHA, &sh) : -ENOMEM;
	free(x);
	free(y);
	if (err == -ENOMEM)
		return err;
	if (!err) {
		c->raw_diff = sh.est;
		c->raw_diff_lo = sh.lo;
		c->raw_diff_hi = sh.hi;
	}
	return 0;
}

int run_raw_diffs(struct run *run)
{
	size_t i;

	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		c->raw_diff = c->raw_diff_lo = c->raw_diff_hi = NAN;
		if (c != run->baseline && c->n_ok && run->baseline &&
		    raw_diff(c, run->baseline, run->estimator))
			return -ENOMEM;
	}
	return 0;
}
