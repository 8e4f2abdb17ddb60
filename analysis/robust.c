// SPDX-License-Identifier: GPL-2.0
/*
 * Robust location and shift: the median, a MAD-based sd, and the Hodges-Lehmann
 * shift between two samples with its distribution-free confidence interval from
 * the Mann-Whitney statistic (Lehmann, Nonparametrics, 1975, ch. 2). One
 * disturbed sample moves a mean and inflates an sd; it moves none of these.
 *
 * The pairwise differences are never stored: a k-th smallest difference is
 * found by bisection on its value, counting differences at or below a value in
 * O(m + n) over the sorted samples, so 4,000 samples a row cost no 16M array.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "analysis/stats.h"

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), dbl_cmp);
	return s;
}

static double median_sorted(const double *s, size_t n)
{
	if (!n)
		return NAN;
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

double stats_median(const double *x, size_t n)
{
	double *s = sorted_copy(x, n), m;

	if (!s)
		return NAN;
	m = median_sorted(s, n);
	free(s);
	return m;
}

/* 1.4826 * MAD: the sd of normal data, unmoved by a few outliers. */
double stats_robust_sd(const double *x, size_t n)
{
	double *d, med, r;
	size_t i;

	if (n < 2)
		return NAN;
	d = sorted_copy(x, n);
	if (!d)
		return NAN;
	med = median_sorted(d, n);
	for (i = 0; i < n; i++)
		d[i] = fabs(d[i] - med);
	qsort(d, n, sizeof(*d), dbl_cmp);
	r = 1.482602218505602 * median_sorted(d, n);
	free(d);
	return r;
}

/* Differences x[i] - y[j] <= t, over ascending x and y. */
static size_t count_le(const double *x, size_t m, const double *y, size_t n, double t)
{
	size_t i, j = 0, c = 0;

	/*
	 * The first j with x[i] - y[j] <= t only moves right as x[i] grows. Every
	 * comparison is on the computed difference itself, never on x[i] - t: the
	 * two round differently, and the answer must be one of the differences.
	 */
	for (i = 0; i < m; i++) {
		while (j < n && x[i] - y[j] > t)
			j++;
		c += n - j;
	}
	return c;
}

/* The smallest difference above lo (INFINITY: none). */
static double next_above(const double *x, size_t m, const double *y, size_t n, double lo)
{
	double best = INFINITY;
	size_t i, j = 0;

	/* The largest y[j] with x[i] - y[j] > lo. */
	for (i = 0; i < m; i++) {
		while (j < n && x[i] - y[j] > lo)
			j++;
		if (j > 0)
			best = fmin(best, x[i] - y[j - 1]);
	}
	return best;
}

/* The largest difference at or below hi (-INFINITY: none). */
static double last_at_or_below(const double *x, size_t m, const double *y, size_t n, double hi)
{
	double best = -INFINITY;
	size_t i, j = 0;

	for (i = 0; i < m; i++) {
		while (j < n && x[i] - y[j] > hi)
			j++;
		if (j < n)
			best = fmax(best, x[i] - y[j]);
	}
	return best;
}

/* The k-th smallest (1-based) of the m*n differences x[i] - y[j]; x, y ascending. */
double stats_kth_difference(const double *x, size_t m, const double *y, size_t n, size_t k)
{
	double lo, hi;
	int guard;

	if (!m || !n || k < 1 || k > m * n)
		return NAN;
	hi = x[m - 1] - y[0];
	lo = nextafter(x[0] - y[n - 1], -INFINITY);
	/* Invariant: count_le(lo) < k <= count_le(hi). */
	for (guard = 0; guard < 4096; guard++) {
		double a = next_above(x, m, y, n, lo), b = last_at_or_below(x, m, y, n, hi);
		double mid = lo + (hi - lo) / 2;

		/* Only one value left in (lo, hi]: it is the k-th. */
		if (a == b || !(mid > lo && mid < hi))
			return b;
		if (count_le(x, m, y, n, mid) >= k)
			hi = mid;
		else
			lo = mid;
	}
	return NAN;
}

/*
 * P(U <= u) for u = 0..m*n under H0, no ties: the coefficients of the Gaussian
 * binomial [m+n choose m]_q over C(m+n, m), built one factor at a time.
 */
static double *mann_whitney_cdf(size_t m, size_t n)
{
	size_t mn = m * n, i, k;
	double *c = calloc(mn + 1, sizeof(*c)), total = 0;

	if (!c)
		return NULL;
	c[0] = 1;
	for (i = 1; i <= m; i++) {
		/* times (1 - q^(n+i)), then over (1 - q^i): the quotient stays a polynomial */
		for (k = mn; k >= n + i; k--)
			c[k] -= c[k - (n + i)];
		for (k = i; k <= mn; k++)
			c[k] += c[k - i];
	}
	for (k = 0; k <= mn; k++)
		total += c[k];
	for (k = 0; k <= mn; k++)
		c[k] = (k ? c[k - 1] : 0) + c[k] / total;
	return c;
}

/* Exact distribution up to this m*n (its cost is m * m*n additions). */
#define EXACT_MAX_MN 40000

static bool has_ties(const double *x, size_t m, const double *y, size_t n)
{
	size_t i = 0, j = 0;

	for (i = 1; i < m; i++)
		if (x[i] == x[i - 1])
			return true;
	for (j = 1; j < n; j++)
		if (y[j] == y[j - 1])
			return true;
	for (i = 0, j = 0; i < m && j < n;) {
		if (x[i] == y[j])
			return true;
		if (x[i] < y[j])
			i++;
		else
			j++;
	}
	return false;
}

/* U = #(x > y) + #(x == y) / 2, and the tie term sum(t^3 - t) of the pooled sample. */
static double mann_whitney_u(const double *x, size_t m, const double *y, size_t n, double *ties)
{
	double u = 0, t3 = 0;
	size_t i, j = 0, j_eq;

	for (i = 0; i < m; i++) {
		while (j < n && y[j] < x[i])
			j++;
		for (j_eq = j; j_eq < n && y[j_eq] == x[i]; j_eq++)
			;
		u += (double)j + (double)(j_eq - j) / 2;
	}
	/* Tie groups of the pooled sample, walked in merged order. */
	for (i = 0, j = 0; i < m || j < n;) {
		double v = i < m && (j >= n || x[i] <= y[j]) ? x[i] : y[j];
		double t = 0;

		while (i < m && x[i] == v) {
			i++;
			t++;
		}
		while (j < n && y[j] == v) {
			j++;
			t++;
		}
		t3 += t * t * t - t;
	}
	*ties = t3;
	return u;
}

int stats_hodges_lehmann(const double *xs, size_t m, const double *ys, size_t n, double alpha,
			 struct shift *s)
{
	double *x, *y, *cdf = NULL, u, t3, mu, sigma;
	size_t mn = m * n, k = 0;
	bool exact;

	memset(s, 0, sizeof(*s));
	s->est = s->lo = s->hi = s->p = s->confidence = NAN;
	if (m < 1 || n < 1)
		return -1;
	x = sorted_copy(xs, m);
	y = sorted_copy(ys, n);
	if (!x || !y) {
		free(x);
		free(y);
		return -ENOMEM;
	}
	s->est = mn % 2 ? stats_kth_difference(x, m, y, n, (mn + 1) / 2)
			: (stats_kth_difference(x, m, y, n, mn / 2) +
			   stats_kth_difference(x, m, y, n, mn / 2 + 1)) /
				  2;
	/* Both samples constant: the shift is exact and no test has anything to say. */
	if (x[0] == x[m - 1] && y[0] == y[n - 1]) {
		s->lo = s->hi = s->est;
		goto out;
	}
	exact = mn <= EXACT_MAX_MN;
	if (exact && !(cdf = mann_whitney_cdf(m, n))) {
		free(x);
		free(y);
		return -ENOMEM;
	}
	s->exact = exact;
	/* k: the largest with P(U <= k - 1) <= alpha/2; the interval is [D(k), D(mn+1-k)]. */
	if (exact) {
		while (k < mn / 2 && cdf[k] <= alpha / 2 + 1e-12)
			k++;
		s->confidence = k ? 1 - 2 * cdf[k - 1] : NAN;
	} else {
		double z = gsl_cdf_ugaussian_Qinv(alpha / 2);
		double kk = floor(mn / 2.0 - z * sqrt(mn * (m + n + 1.0) / 12.0));

		k = kk > 0 ? (size_t)kk : 0;
		s->confidence = 1 - alpha;
	}
	s->k = k;
	if (k >= 1) {
		s->lo = stats_kth_difference(x, m, y, n, k);
		s->hi = stats_kth_difference(x, m, y, n, mn + 1 - k);
	}

	/* Two-sided test of no shift: exact without ties, else normal with tie correction. */
	u = mann_whitney_u(x, m, y, n, &t3);
	s->u = u;
	if (exact && t3 == 0 && !has_ties(x, m, y, n)) {
		size_t ui = (size_t)u;
		double le = cdf[ui], ge = 1 - (ui ? cdf[ui - 1] : 0);

		s->p = fmin(1, 2 * fmin(le, ge));
	} else {
		double N = (double)(m + n);

		mu = mn / 2.0;
		sigma = sqrt(mn / 12.0 * ((N + 1) - t3 / (N * (N - 1))));
		if (sigma > 0) {
			double d = fabs(u - mu) - 0.5; /* continuity */

			s->p = fmin(1, 2 * gsl_cdf_ugaussian_Q(fmax(d, 0) / sigma));
		}
	}
out:
	free(cdf);
	free(x);
	free(y);
	return 0;
}
