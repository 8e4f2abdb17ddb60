// SPDX-License-Identifier: GPL-2.0
/*
 * The robust estimators against hand arithmetic: the median, the MAD sd, the
 * Hodges-Lehmann shift (median of the pairwise differences, listed by hand
 * below), its Mann-Whitney interval [D(k), D(mn+1-k)] with k from the exact U
 * distribution (C(8,4) = 70 orderings for 4 against 4), and the p-value, exact
 * without ties and normal with the tie correction otherwise. The k-th
 * difference without a stored m*n array is checked against sorting them all.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "analysis/stats.h"
#include "testlib.h"

static void test_median_mad(void **state)
{
	const double odd[] = { 4, 1, 100, 3, 2 }, even[] = { 4, 1, 3, 2 };

	(void)state;
	assert_near(stats_median(odd, 5), 3, 0);
	assert_near(stats_median(even, 4), 2.5, 0);
	/* |x - 3| = 1, 2, 97, 0, 1: median 1, so 1.4826 whatever the outlier is. */
	assert_near(stats_robust_sd(odd, 5), 1.482602218505602, 1e-12);
	assert_nan(stats_robust_sd(odd, 1));
	assert_nan(stats_median(odd, 0));
}

static void test_hl_distinct(void **state)
{
	/*
	 * x - y over all 16 pairs: 10-{1,2,3,4} = 9 8 7 6, 11-: 10 9 8 7, 12-: 11 10 9 8,
	 * 13-: 12 11 10 9; sorted 6 7 7 8 8 8 9 9 | 9 9 10 10 10 11 11 12: median 9.
	 * 4 against 4: P(U <= 0) = 1/70 <= 0.025 < P(U <= 1) = 2/70, so k = 1: the
	 * interval is [D(1), D(16)] = [6, 12] with coverage 1 - 2/70. U = 16 (every
	 * x above every y): exact two-sided p = 2/70.
	 */
	const double x[] = { 13, 10, 12, 11 }, y[] = { 4, 1, 3, 2 };
	struct shift s;

	(void)state;
	assert_int_equal(stats_hodges_lehmann(x, 4, y, 4, 0.05, &s), 0);
	assert_near(s.est, 9, 0);
	assert_near(s.lo, 6, 0);
	assert_near(s.hi, 12, 0);
	assert_int_equal(s.k, 1);
	assert_int_equal(s.exact, true);
	assert_near(s.confidence, 1 - 2.0 / 70, 1e-12);
	assert_near(s.u, 16, 0);
	assert_near(s.p, 2.0 / 70, 1e-12);
	/* The other way round: the shift and interval change sign, p does not. */
	assert_int_equal(stats_hodges_lehmann(y, 4, x, 4, 0.05, &s), 0);
	assert_near(s.est, -9, 0);
	assert_near(s.lo, -12, 0);
	assert_near(s.hi, -6, 0);
	assert_near(s.p, 2.0 / 70, 1e-12);
}

static void test_hl_ties(void **state)
{
	/*
	 * x - y: 1-{0,1,1,2} = 1 0 0 -1, 2-: 2 1 1 0 (twice), 3-: 3 2 2 1; sorted
	 * -1, 0 x4, 1 x6, 2 x4, 3: D(8) = D(9) = 1, interval [D(1), D(16)] = [-1, 3].
	 * U = 11 pairs above + 4 ties / 2 = 13. Ties, so the normal approximation:
	 * the pooled sample 0 1 1 1 2 2 2 3 has tie groups of 3 at 1 and at 2,
	 * sum(t^3 - t) = 24 + 24 = 48;
	 * var = 16/12 (9 - 48/56) = 10.857142857, |13 - 8| - 0.5 = 4.5,
	 * z = 4.5 / 3.295017884 = 1.365698202, p = 2 Q(z) = 0.172033709.
	 */
	const double x[] = { 1, 2, 2, 3 }, y[] = { 0, 1, 1, 2 };
	struct shift s;

	(void)state;
	assert_int_equal(stats_hodges_lehmann(x, 4, y, 4, 0.05, &s), 0);
	assert_near(s.est, 1, 0);
	assert_near(s.lo, -1, 0);
	assert_near(s.hi, 3, 0);
	assert_near(s.u, 13, 0);
	assert_near(s.p, 0.1720337089, 1e-8);
}

static void test_hl_degenerate(void **state)
{
	const double five[] = { 5, 5, 5 }, three[] = { 3, 3, 3 }, a[] = { 1, 2, 3 },
		     b[] = { 4, 5, 6 };
	struct shift s;

	(void)state;
	/* Exact data: the shift is exact and no test is made (p NAN, not "***"). */
	assert_int_equal(stats_hodges_lehmann(five, 3, three, 3, 0.05, &s), 0);
	assert_near(s.est, 2, 0);
	assert_near(s.lo, 2, 0);
	assert_near(s.hi, 2, 0);
	assert_nan(s.p);
	assert_int_equal(stats_hodges_lehmann(five, 3, five, 3, 0.05, &s), 0);
	assert_near(s.est, 0, 0);
	/* 3 against 3: P(U <= 0) = 1/20 > 0.025, no 95% interval exists. */
	assert_int_equal(stats_hodges_lehmann(a, 3, b, 3, 0.05, &s), 0);
	assert_near(s.est, -3, 0);
	assert_int_equal(s.k, 0);
	if (!isnan(s.lo) || !isnan(s.hi))
		fail_msg("3 vs 3 interval = [%g, %g], expected none (NAN)", s.lo, s.hi);
	/* 2 * P(U = 0) = 2/20. */
	assert_near(s.p, 0.1, 1e-12);
	assert_int_not_equal(stats_hodges_lehmann(a, 0, b, 3, 0.05, &s), 0);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Every k-th difference equals the k-th of the full sorted list, ties and negatives included. */
static void test_kth_against_sorting(void **state)
{
	static double x[40], y[33], all[40 * 33];
	unsigned seed = 12345;
	size_t m, n, i, j, k;
	int round;

	(void)state;
	for (round = 0; round < 30; round++) {
		m = 1 + round % 40;
		n = 1 + (round * 7) % 33;
		for (i = 0; i < m; i++)
			x[i] = (double)(rand_r(&seed) % 9) - 4 + (round % 2 ? 0.25 * i : 0);
		for (j = 0; j < n; j++)
			y[j] = (double)(rand_r(&seed) % 7) - 3;
		for (i = 0; i < m; i++)
			for (j = 0; j < n; j++)
				all[i * n + j] = x[i] - y[j];
		qsort(x, m, sizeof(double), dbl_cmp);
		qsort(y, n, sizeof(double), dbl_cmp);
		qsort(all, m * n, sizeof(double), dbl_cmp);
		for (k = 1; k <= m * n; k++) {
			double got = stats_kth_difference(x, m, y, n, k);

			if (got != all[k - 1])
				fail_msg("round %d (m=%zu n=%zu): difference %zu = %.17g, "
					 "expected %.17g",
					 round, m, n, k, got, all[k - 1]);
		}
	}
}

/* Past the exact table: the normal approximation's k, and the interval still brackets. */
static void test_hl_large(void **state)
{
	static double x[300], y[300];
	struct shift s;
	size_t i;

	(void)state;
	for (i = 0; i < 300; i++) {
		x[i] = 10 + (double)((i * 37) % 300) / 100;
		y[i] = (double)((i * 53) % 300) / 100;
	}
	assert_int_equal(stats_hodges_lehmann(x, 300, y, 300, 0.05, &s), 0);
	assert_int_equal(s.exact, false);
	/* floor(45000 - 1.959964 sqrt(90000 * 601 / 12)) */
	assert_int_equal(s.k, 40838);
	assert_near(s.est, 10, 1e-9);
	assert_cmp_double(s.lo, <, 10);
	assert_cmp_double(s.hi, >, 10);
	assert_cmp_double(s.p, <, 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_mad),
		cmocka_unit_test(test_hl_distinct),
		cmocka_unit_test(test_hl_ties),
		cmocka_unit_test(test_hl_degenerate),
		cmocka_unit_test(test_kth_against_sorting),
		cmocka_unit_test(test_hl_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
