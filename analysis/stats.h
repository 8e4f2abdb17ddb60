// SPDX-License-Identifier: GPL-2.0
/* Statistics on double vectors; the distributions come from GSL, not tables. */
#ifndef BPFCOST_ANALYSIS_STATS_H
#define BPFCOST_ANALYSIS_STATS_H

#include <stddef.h>

struct sample_stats {
	size_t n;
	double mean;
	double sd;   /* sample standard deviation (n - 1); NAN when n < 2 */
	double ci95; /* half-width of the 95% t interval of the mean; NAN when n < 2 */
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

void stats_describe(const double *x, size_t n, struct sample_stats *s);
double stats_t_quantile(double p, double df);
int stats_welch(const struct sample_stats *a, const struct sample_stats *b, struct welch *w);
void stats_holm(const double *p, size_t n, double *adj);
double stats_mde(double sd, size_t n_a, size_t n_b, double alpha, double power);
double stats_impact_percent(double mean, double base);
const char *stats_sig_mark(double p);

#endif
