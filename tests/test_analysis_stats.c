// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics against values computed independently of GSL. Unless a textbook table
 * is named, the expected value came from Python 3's stdlib: statistics.mean/stdev and
 * the Student t pdf (math.lgamma) integrated with Simpson's rule (200000 steps), the
 * quantile by bisection on that CDF; Welch df by the Welch-Satterthwaite formula.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis/stats.h"
#include "testlib.h"

static const double base[] = { 18.0, 18.5, 19.0, 19.5, 20.0 };
static const double fmap[] = { 20.0, 20.5, 21.0, 21.5, 22.0 };

static void test_t_quantiles(void **state)
{
	(void)state;
	/* Textbook two-sided 95% table: t(0.975, 9) = 2.262, t(0.975, 4) = 2.776. */
	assert_near(stats_t_quantile(0.975, 9), 2.2621571628, 1e-6);
	assert_near(stats_t_quantile(0.975, 4), 2.7764451052, 1e-6);
	/* One-sided 80% table: t(0.80, 8) = 0.889, t(0.80, 18) = 0.862. */
	assert_near(stats_t_quantile(0.80, 8), 0.8888895178, 1e-6);
	assert_near(stats_t_quantile(0.80, 18), 0.8620486680, 1e-6);
	assert_nan(stats_t_quantile(0.975, 0));
}

static void test_describe(void **state)
{
	struct sample_stats s;
	static const double one[] = { 5.0 };

	(void)state;
	stats_describe(base, 5, &s);
	assert_int_equal(s.n, 5);
	assert_near(s.mean, 19.0, 1e-12);
	/* sample sd: sqrt(2.5 / 4) = 0.790569415 (n - 1 denominator, by hand) */
	assert_near(s.sd, 0.7905694150, 1e-9);
	/* 2.776445 * 0.790569 / sqrt(5) = 0.981621581 */
	assert_near(s.ci95, 0.9816215807, 1e-6);

	stats_describe(one, 1, &s);
	assert_near(s.mean, 5.0, 0);
	assert_nan(s.sd);
	assert_nan(s.ci95);
}

static void test_welch_equal_spread(void **state)
{
	struct sample_stats a, b;
	struct welch w;

	(void)state;
	stats_describe(fmap, 5, &a);
	stats_describe(base, 5, &b);
	assert_int_equal(stats_welch(&a, &b, &w), 0);
	/* Equal n and sd: se = sqrt(2 * 0.625 / 5) = 0.5, t = 2 / 0.5 = 4, df = 2n - 2 = 8. */
	assert_near(w.diff, 2.0, 1e-12);
	assert_near(w.se, 0.5, 1e-12);
	assert_near(w.df, 8.0, 1e-9);
	assert_near(w.t, 4.0, 1e-9);
	/* Python: 2 * (1 - F_t(4; 8)) = 0.0039497728 (table: p between 0.002 and 0.005) */
	assert_near(w.p, 0.0039497728, 1e-7);
	/* 2 -/+ 2.306004 * 0.5 */
	assert_near(w.ci_lo, 0.8469979324, 1e-6);
	assert_near(w.ci_hi, 3.1530020676, 1e-6);
}

static void test_welch_unequal(void **state)
{
	static const double a_v[] = { 20.1, 19.7, 21.3, 20.6 };
	static const double c_v[] = { 18.6, 19.9, 17.2, 18.8, 19.4, 18.1 };
	struct sample_stats a, c;
	struct welch w;

	(void)state;
	stats_describe(a_v, 4, &a);
	stats_describe(c_v, 6, &c);
	assert_int_equal(stats_welch(&a, &c, &w), 0);
	/* Python reference (see top of file): diff 1.758333, se 0.520323, df 7.860947. */
	assert_near(w.diff, 1.7583333333, 1e-9);
	assert_near(w.se, 0.5203230834, 1e-9);
	assert_near(w.df, 7.8609470583, 1e-6);
	assert_near(w.t, 3.3793106427, 1e-6);
	assert_near(w.p, 0.0099036484, 1e-6);
	assert_near(w.ci_lo, 0.5547616744, 1e-5);
	assert_near(w.ci_hi, 2.9619049923, 1e-5);
}

static void test_welch_degenerate(void **state)
{
	static const double k1[] = { 3, 3, 3 }, k2[] = { 4, 4, 4 };
	struct sample_stats a, b;
	struct welch w;

	(void)state;
	stats_describe(k1, 3, &a);
	stats_describe(k2, 3, &b);
	assert_int_equal(stats_welch(&a, &b, &w), 0);
	/* No spread in either group: the difference is exact and no test is claimed. */
	if (!isnan(w.p))
		fail_msg("p = %g for two constant groups, expected NAN (no test)", w.p);
	assert_string_equal(stats_sig_mark(w.p), "");
	assert_near(w.ci_lo, -1.0, 0);
	assert_near(w.ci_hi, -1.0, 0);
	stats_describe(k1, 1, &a);
	assert_int_equal(stats_welch(&a, &b, &w), -1);
	assert_nan(w.p);
}

static void test_holm(void **state)
{
	/* By hand (= R p.adjust(c(.01,.04,.03,.005), "holm")): sorted .005*4=.02,
	 * .01*3=.03, .03*2=.06, .04*1=.04 -> monotone max .06. */
	const double p[] = { 0.01, 0.04, NAN, 0.03, 0.005 };
	double adj[5];

	(void)state;
	stats_holm(p, 5, adj);
	assert_near(adj[0], 0.03, 1e-12);
	assert_near(adj[1], 0.06, 1e-12);
	assert_nan(adj[2]);
	assert_near(adj[3], 0.06, 1e-12);
	assert_near(adj[4], 0.02, 1e-12);

	const double big[] = { 0.5, 0.6 };

	stats_holm(big, 2, adj);
	assert_near(adj[0], 1.0, 1e-12); /* capped at 1 */
	assert_near(adj[1], 1.0, 1e-12);
}

static void test_impact_seed(void **state)
{
	(void)state;
	/* The seed's own means: fentry-map 19.9 vs baseline 18.6 is +6.989% = +7.0%. */
	assert_near(stats_impact_percent(19.9, 18.6), 6.9892473118, 1e-9);
	assert_near(stats_impact_percent(16.0, 19.0), -15.7894736842, 1e-9);
	assert_nan(stats_impact_percent(1.0, 0.0));
}

static void test_mde(void **state)
{
	(void)state;
	/* (2.306004 + 0.888890) * 0.790569 * sqrt(2/5) / 19 * 100 = 8.4076% (Python) */
	assert_near(stats_mde(0.7905694150, 5, 5, 0.05, 0.80) / 19 * 100, 8.4076148762, 1e-5);
	/* Seed-sized run: n = 10, sd 1.2, mean 18.6: (2.100922 + 0.862049) * 1.2 * sqrt(0.2)
	 * / 18.6 * 100 = 8.5489% */
	assert_near(stats_mde(1.2, 10, 10, 0.05, 0.80) / 18.6 * 100, 8.5489082825, 1e-5);
	assert_nan(stats_mde(1.2, 1, 10, 0.05, 0.80));
}

static void test_sig_mark(void **state)
{
	(void)state;
	assert_string_equal(stats_sig_mark(0.0004), "***");
	assert_string_equal(stats_sig_mark(0.004), "**");
	assert_string_equal(stats_sig_mark(0.04), "*");
	assert_string_equal(stats_sig_mark(0.05), "ns");
	assert_string_equal(stats_sig_mark(NAN), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_t_quantiles),	   cmocka_unit_test(test_describe),
		cmocka_unit_test(test_welch_equal_spread), cmocka_unit_test(test_welch_unequal),
		cmocka_unit_test(test_welch_degenerate),   cmocka_unit_test(test_holm),
		cmocka_unit_test(test_impact_seed),	   cmocka_unit_test(test_mde),
		cmocka_unit_test(test_sig_mark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
