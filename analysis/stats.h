// SPDX-License-Identifier: GPL-2.0
/* Statistics on double vectors; the distributions come from GSL, not tables. */
#ifndef BPFCOST_ANALYSIS_STATS_H
#define BPFCOST_ANALYSIS_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct sample_stats {
	size_t n;
	double mean;
	double sd;   /* sample standard deviation (n - 1); NAN when n < 2 */
	double ci95; /* half-width of the 95% t interval of the mean; NAN when n < 2 */
	double median;
	double robust_sd; /* 1.4826 * MAD; NAN when n < 2 */
};

/* Welch's unequal-variance comparison of a against b (a - b). */
struct welch {
	double diff;
	double se;
	double df; /* Welch-Satterthwaite degrees of freedom */
	double t;
	double p;	     /* two-sided */
	double ci_lo, ci_hi; /* 95% CI of the difference */
};

/*
 * Hodges-Lehmann shift of x against y (x - y): the median of the m*n pairwise
 * differences, with the distribution-free interval [D(k), D(mn+1-k)] of the
 * sorted differences, k from the Mann-Whitney U distribution (exact up to
 * m*n = 40,000, else its normal approximation). lo, hi NAN: too few samples
 * for that confidence (3 against 3 cannot give 95%).
 */
struct shift {
	double est, lo, hi;
	double confidence; /* the interval's actual coverage, >= 1 - alpha when exact */
	double u;	   /* Mann-Whitney U of x over y, ties counted half */
	double p;	   /* two-sided, of no shift; NAN: both samples constant */
	size_t k;
	bool exact;
};

double stats_median(const double *x, size_t n);
double stats_robust_sd(const double *x, size_t n);
double stats_kth_difference(const double *x, size_t m, const double *y, size_t n, size_t k);
int stats_hodges_lehmann(const double *x, size_t m, const double *y, size_t n, double alpha,
			 struct shift *s);
/* Asymptotic efficiency of the Mann-Whitney test against the t-test on normal data: 3/pi. */
#define STATS_MW_EFFICIENCY 0.954929658551372

void stats_describe(const double *x, size_t n, struct sample_stats *s);
double stats_t_quantile(double p, double df);
/* Welch-Satterthwaite df of two variances of the mean (sd^2 / n) from na and nb samples. */
double stats_welch_df(double va, size_t na, double vb, size_t nb);
int stats_welch(const struct sample_stats *a, const struct sample_stats *b, struct welch *w);
void stats_holm(const double *p, size_t n, double *adj);
double stats_mde(double sd, size_t n_a, size_t n_b, double alpha, double power);
double stats_impact_percent(double mean, double base);
const char *stats_sig_mark(double p);

#endif
