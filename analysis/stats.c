// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis/stats.h"

void stats_describe(const double *x, size_t n, struct sample_stats *s)
{
	/* GSL's default handler calls abort(): a results folder must never do that to us. */
	gsl_set_error_handler_off();
	s->n = n;
	s->mean = n ? gsl_stats_mean(x, 1, n) : NAN;
	s->sd = NAN;
	s->ci95 = NAN;
	s->median = stats_median(x, n);
	s->robust_sd = stats_robust_sd(x, n);
	if (n < 2)
		return;
	s->sd = gsl_stats_sd_m(x, 1, n, s->mean);
	s->ci95 = stats_t_quantile(0.975, (double)(n - 1)) * s->sd / sqrt((double)n);
}

double stats_t_quantile(double p, double df)
{
	if (!(df > 0) || !isfinite(df) || !(p > 0 && p < 1))
		return NAN;
	return gsl_cdf_tdist_Pinv(p, df);
}

double stats_welch_df(double va, size_t na, double vb, size_t nb)
{
	return (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
}

int stats_welch(const struct sample_stats *a, const struct sample_stats *b, struct welch *w)
{
	double va, vb, tq;

	w->diff = a->mean - b->mean;
	w->se = w->df = w->t = w->p = w->ci_lo = w->ci_hi = NAN;
	if (a->n < 2 || b->n < 2)
		return -1;
	va = a->sd * a->sd / a->n;
	vb = b->sd * b->sd / b->n;
	w->se = sqrt(va + vb);
	if (w->se == 0) {
		/*
		 * Both groups constant: the difference is exact, and a t-test has
		 * nothing to say about it (p stays NAN, not a made-up 0 and "***").
		 */
		w->ci_lo = w->ci_hi = w->diff;
		return 0;
	}
	if (!isfinite(w->se)) {
		w->se = NAN;
		return -1;
	}
	w->df = stats_welch_df(va, a->n, vb, b->n);
	w->t = w->diff / w->se;
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
	tq = stats_t_quantile(0.975, w->df);
	w->ci_lo = w->diff - tq * w->se;
	w->ci_hi = w->diff + tq * w->se;
	return 0;
}

struct p_idx {
	double p;
	size_t i;
};

static int p_idx_cmp(const void *a, const void *b)
{
	const struct p_idx *x = a, *y = b;

	return (x->p > y->p) - (x->p < y->p);
}

/*
 * Holm step-down adjustment, as R's p.adjust(method = "holm"): NaN entries are
 * not hypotheses and stay NaN, so an unsupported row does not loosen the others.
 */
void stats_holm(const double *p, size_t n, double *adj)
{
	struct p_idx *v = calloc(n ? n : 1, sizeof(*v));
	size_t m = 0, k;
	double run = 0;

	for (k = 0; k < n; k++) {
		adj[k] = NAN;
		if (!isnan(p[k]) && v) {
			v[m].p = p[k];
			v[m].i = k;
			m++;
		}
	}
	if (!v)
		return;
	qsort(v, m, sizeof(*v), p_idx_cmp);
	for (k = 0; k < m; k++) {
		double a = fmin(1.0, (double)(m - k) * v[k].p);

		run = fmax(run, a);
		adj[v[k].i] = run;
	}
	free(v);
}

/*
 * Smallest true difference a two-sided two-sample t-test at level alpha detects with
 * the given power, assuming both groups share the baseline's sd:
 * (t_{1-alpha/2,df} + t_{power,df}) * sd * sqrt(1/n_a + 1/n_b), df = n_a + n_b - 2.
 */
double stats_mde(double sd, size_t n_a, size_t n_b, double alpha, double power)
{
	double df;

	if (n_a < 2 || n_b < 2 || isnan(sd))
		return NAN;
	df = (double)(n_a + n_b - 2);
	return (stats_t_quantile(1 - alpha / 2, df) + stats_t_quantile(power, df)) * sd *
	       sqrt(1.0 / n_a + 1.0 / n_b);
}

double stats_impact_percent(double mean, double base)
{
	if (base == 0 || !isfinite(base) || !isfinite(mean))
		return NAN;
	return (mean - base) / base * 100.0;
}

const char *stats_sig_mark(double p)
{
	if (isnan(p))
		return "";
	if (p < 0.001)
		return "***";
	if (p < 0.01)
		return "**";
	if (p < 0.05)
		return "*";
	return "ns";
}
