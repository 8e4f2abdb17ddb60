// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "analysis/run.h"

/* Describe one record field over a configuration's good samples, skipping absent values. */
static int describe_field(const struct row_stats *c, size_t off, double scale,
			  struct sample_stats *s)
{
	double *x = calloc(c->n_ok ? c->n_ok : 1, sizeof(*x));
	size_t i, n = 0;

	if (!x)
		return -ENOMEM;
	for (i = 0; i < c->n_ok; i++) {
		double v = *(const double *)((const char *)c->ok[i] + off);

		if (!isnan(v))
			x[n++] = v * scale;
	}
	stats_describe(x, n, s);
	free(x);
	return 0;
}

static void summarise_probe_side(struct row_stats *c)
{
	double rt = 0, rc = 0;
	size_t i;

	c->hits_mean = c->hits_min = c->hits_max = c->spin_ns = NAN;
	c->hits_n = 0;
	for (i = 0; i < c->n_ok; i++) {
		const struct record *r = c->ok[i];

		if (!isnan(r->run_cnt) && !isnan(r->run_time_ns) && r->run_cnt > 0) {
			rt += r->run_time_ns;
			rc += r->run_cnt;
		}
		if (!isnan(r->hits)) {
			double h = r->hits;

			c->hits_mean = c->hits_n ? c->hits_mean + h : h;
			c->hits_min = c->hits_n ? fmin(c->hits_min, h) : h;
			c->hits_max = c->hits_n ? fmax(c->hits_max, h) : h;
			c->hits_n++;
			if (!hits_in_range(h))
				c->hits_bad = true;
		}
		if (r->has_hits_ok && !r->hits_ok && !c->baseline)
			c->hits_bad = true;
		if (r->hits_source[0] && !c->hits_source[0])
			memcpy(c->hits_source, r->hits_source, sizeof(c->hits_source));
		if (r->mechanism[0]) {
			if (!c->mechanism[0])
				memcpy(c->mechanism, r->mechanism, sizeof(c->mechanism));
			else if (strcmp(c->mechanism, r->mechanism))
				snprintf(c->mechanism, sizeof(c->mechanism), "mixed");
		}
		if (isnan(c->spin_ns) && !isnan(r->spin_ns))
			c->spin_ns = r->spin_ns;
	}
	if (c->hits_n)
		c->hits_mean /= c->hits_n;
	c->run_cnt = rc;
	c->run_time_ns = rt;
	c->ns_per_run = rc > 0 ? rt / rc : NAN;
}

/* What else the host did, over the row's clean and disturbed records alike. */
static void summarise_interference(struct row_stats *c)
{
	const struct record *const *sets[2] = { c->ok, c->disturbed };
	size_t lens[2] = { c->n_ok, c->n_disturbed }, i, k, n_psi = 0;
	double psi = 0;

	c->foreign_cpu_max = c->steal_max = c->psi_some_mean = NAN;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < lens[k]; i++) {
			const struct record *r = sets[k][i];

			if (!isnan(r->foreign_cpu))
				c->foreign_cpu_max =
					isnan(c->foreign_cpu_max)
						? r->foreign_cpu
						: fmax(c->foreign_cpu_max, r->foreign_cpu);
			if (!isnan(r->steal_pct))
				c->steal_max = isnan(c->steal_max)
						       ? r->steal_pct
						       : fmax(c->steal_max, r->steal_pct);
			if (!isnan(r->psi_some_pct)) {
				psi += r->psi_some_pct;
				n_psi++;
			}
		}
	}
	if (n_psi)
		c->psi_some_mean = psi / n_psi;
}

static int summarise(struct row_stats *c)
{
	static const struct {
		size_t off;
		double scale;
		size_t dst;
	} fields[] = {
		{ offsetof(struct record, value), 1, offsetof(struct row_stats, value) },
		{ offsetof(struct record, raw_value), 1, offsetof(struct row_stats, raw) },
		{ offsetof(struct record, rx_bytes), 1e-6, offsetof(struct row_stats, mb) },
		{ offsetof(struct record, rx_pps), 1, offsetof(struct row_stats, pps) },
		{ offsetof(struct record, lost_percent), 1, offsetof(struct row_stats, lost) },
		{ offsetof(struct record, cpu_host_percent), 1,
		  offsetof(struct row_stats, cpu_host) },
		{ offsetof(struct record, cpu_remote_percent), 1,
		  offsetof(struct row_stats, cpu_remote) },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct sample_stats *s = (struct sample_stats *)((char *)c + fields[i].dst);

		if (describe_field(c, fields[i].off, fields[i].scale, s))
			return -ENOMEM;
	}
	summarise_probe_side(c);
	summarise_interference(c);
	return 0;
}

double percent_of(double x, double base)
{
	return isfinite(x) && isfinite(base) && base != 0 ? x / base * 100 : NAN;
}

const char *estimator_name(enum estimator e)
{
	return e == EST_MEAN ? "mean" : "robust";
}

int estimator_parse(const char *s, enum estimator *e)
{
	if (!strcmp(s, "robust") || !strcmp(s, "median") || !strcmp(s, "hl"))
		*e = EST_ROBUST;
	else if (!strcmp(s, "mean") || !strcmp(s, "welch"))
		*e = EST_MEAN;
	else
		return -1;
	return 0;
}

double *row_values(const struct row_stats *c, size_t *n)
{
	double *x = calloc(c->n_ok ? c->n_ok : 1, sizeof(*x));
	size_t i;

	*n = 0;
	for (i = 0; x && i < c->n_ok; i++)
		if (!isnan(c->ok[i]->value))
			x[(*n)++] = c->ok[i]->value;
	return x;
}

/*
 * The n per row and baseline at which a true shift @d with sd @sd would be
 * significant after Holm over @m rows with 80% power, by the Bonferroni bound
 * Holm never exceeds: 2 ((z_{1-a/2m} + z_power) sd / d)^2 / efficiency.
 */
static double n_for_significance(double d, double sd, size_t m, double efficiency)
{
	double z;

	if (!isfinite(d) || d == 0 || !isfinite(sd) || !m)
		return NAN;
	z = gsl_cdf_ugaussian_Pinv(1 - ALPHA / 2 / m) + gsl_cdf_ugaussian_Pinv(POWER);
	return ceil(2 * (z * sd / d) * (z * sd / d) / efficiency);
}

static void compare_mean(struct row_stats *c, const struct row_stats *b, struct estimate *e)
{
	double bm = b->value.mean;

	stats_welch(&c->value, &b->value, &c->welch);
	e->centre = c->value.mean;
	e->impact_pct = stats_impact_percent(c->value.mean, bm);
	e->diff = c->value.mean - bm;
	e->diff_lo = c->welch.ci_lo;
	e->diff_hi = c->welch.ci_hi;
	/* CI of the difference scaled by the baseline mean: the paper's "impact %" CI. */
	e->impact_lo = percent_of(c->welch.ci_lo, bm);
	e->impact_hi = percent_of(c->welch.ci_hi, bm);
	e->p = c->welch.p;
	e->mde_abs = stats_mde(b->value.sd, c->value.n, b->value.n, ALPHA, POWER);
	e->mde_pct = percent_of(e->mde_abs, bm);
}

/*
 * Medians, and the Hodges-Lehmann shift with its Mann-Whitney interval. Its MDE
 * is the t-test's at the baseline's robust sd over the test's efficiency (3/pi).
 */
static int compare_robust(struct row_stats *c, const struct row_stats *b, struct estimate *e)
{
	double bm = b->value.median;
	struct row_shift sh;

	if (row_shift(c, b, EST_ROBUST, &sh))
		return -ENOMEM;
	e->centre = c->value.median;
	if (isnan(sh.est))
		return 0;
	e->diff = sh.est;
	e->diff_lo = sh.lo;
	e->diff_hi = sh.hi;
	e->impact_pct = percent_of(sh.est, bm);
	e->impact_lo = percent_of(sh.lo, bm);
	e->impact_hi = percent_of(sh.hi, bm);
	e->p = sh.p;
	e->mde_abs = stats_mde(b->value.robust_sd, c->value.n, b->value.n, ALPHA, POWER) /
		     sqrt(STATS_MW_EFFICIENCY);
	e->mde_pct = percent_of(e->mde_abs, bm);
	return 0;
}

static void estimate_clear(struct estimate *e)
{
	*e = (struct estimate){ .centre = NAN,
				.diff = NAN,
				.diff_lo = NAN,
				.diff_hi = NAN,
				.impact_pct = NAN,
				.impact_lo = NAN,
				.impact_hi = NAN,
				.p = NAN,
				.p_holm = NAN,
				.sig = "",
				.mde_abs = NAN,
				.mde_pct = NAN,
				.n_for_sig = NAN };
}

/* The headline columns show the chosen estimator. */
static void headline(struct row_stats *c, const struct row_stats *b, enum estimator est,
		     bool packets)
{
	const struct estimate *e = &c->est[est];
	double pc = est == EST_MEAN ? c->pps.mean : c->pps.median;
	double pb = est == EST_MEAN ? b->pps.mean : b->pps.median;

	c->impact_pct = e->impact_pct;
	c->impact_lo = e->impact_lo;
	c->impact_hi = e->impact_hi;
	c->diff = e->diff;
	c->diff_lo = e->diff_lo;
	c->diff_hi = e->diff_hi;
	c->p_holm = e->p_holm;
	c->sig = e->sig;
	c->mde_abs = e->mde_abs;
	c->mde_pct = e->mde_pct;
	c->transfer_impact_pct =
		c->mb.n && b->mb.n
			? stats_impact_percent(est == EST_MEAN ? c->mb.mean : c->mb.median,
					       est == EST_MEAN ? b->mb.mean : b->mb.median)
			: NAN;
	c->ns_per_pkt = packets && pc > 0 && pb > 0 ? 1e9 / pc - 1e9 / pb : NAN;
}

/*
 * The measured cost a spin row added, per event: the difference itself for a
 * cost per call (in ns when the metric is in us), ns/packet for the flood.
 */
double run_spin_added(const struct run *run, const struct row_stats *c)
{
	return run->has_packets ? c->ns_per_pkt : c->diff * run_unit_ns(run);
}

/* A spin control is set in ns: a metric in us (a round trip) is compared in ns too. */
double run_unit_ns(const struct run *run)
{
	static const struct {
		const char *prefix;
		double ns;
	} units[] = { { "us", 1e3 }, { "ms", 1e6 } };
	const char *u = run->metric.unit;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].prefix);

		if (!strncmp(u, units[i].prefix, n) && (!u[n] || u[n] == '/'))
			return units[i].ns;
	}
	return 1;
}

/* Holm across the rows, per estimator; and the n that would make each shift significant. */
static int holm(struct run *run, enum estimator est)
{
	double *p = calloc(run->n_rows ? run->n_rows : 1, sizeof(*p));
	double *adj = calloc(run->n_rows ? run->n_rows : 1, sizeof(*adj));
	const struct row_stats *b = run->baseline;
	size_t i, m = 0;

	if (!p || !adj) {
		free(p);
		free(adj);
		return -ENOMEM;
	}
	for (i = 0; i < run->n_rows; i++) {
		p[i] = &run->rows[i] == b ? NAN : run->rows[i].est[est].p;
		m += !isnan(p[i]);
	}
	stats_holm(p, run->n_rows, adj);
	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];
		struct estimate *e = &c->est[est];
		double sd_c = est == EST_MEAN ? c->value.sd : c->value.robust_sd;
		double sd_b = est == EST_MEAN ? b->value.sd : b->value.robust_sd;

		e->p_holm = adj[i];
		e->sig = stats_sig_mark(adj[i]);
		if (c != b)
			e->n_for_sig =
				n_for_significance(e->diff, sqrt((sd_c * sd_c + sd_b * sd_b) / 2),
						   m, est == EST_MEAN ? 1 : STATS_MW_EFFICIENCY);
	}
	free(p);
	free(adj);
	return 0;
}

int run_analyse(struct run *run)
{
	const struct row_stats *b = run->baseline;
	size_t i;
	int e;

	if (run_normalise(run))
		return -ENOMEM;
	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		for (e = 0; e < EST_COUNT; e++)
			estimate_clear(&c->est[e]);
		c->impact_pct = c->impact_lo = c->impact_hi = c->transfer_impact_pct = NAN;
		c->diff = c->diff_lo = c->diff_hi = NAN;
		c->raw_diff = c->raw_diff_lo = c->raw_diff_hi = NAN;
		c->p_holm = c->mde_pct = c->mde_abs = c->ns_per_pkt = NAN;
		c->welch.p = NAN;
		c->sig = "";
		if (summarise(c))
			return -ENOMEM;
		run->has_packets |= c->pps.n > 0;
	}
	if (run->recs.n)
		run->metric = run->recs.v[0].metric;
	run_also(run);
	/* Needs only the rows (the baseline scales its % when there is one). */
	if (run_stats_cost(run) || run_spin_twins(run))
		return -ENOMEM;
	if (!b)
		return -ENOENT;
	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		if (c == b || !c->n_ok)
			continue;
		compare_mean(c, b, &c->est[EST_MEAN]);
		if (compare_robust(c, b, &c->est[EST_ROBUST]))
			return -ENOMEM;
	}
	for (e = 0; e < EST_COUNT; e++)
		if (holm(run, e))
			return -ENOMEM;
	run->mde_by[EST_MEAN][1] = stats_mde(b->value.sd, b->value.n, b->value.n, ALPHA, POWER);
	run->mde_by[EST_MEAN][0] = percent_of(run->mde_by[EST_MEAN][1], b->value.mean);
	run->mde_by[EST_ROBUST][1] =
		stats_mde(b->value.robust_sd, b->value.n, b->value.n, ALPHA, POWER) /
		sqrt(STATS_MW_EFFICIENCY);
	run->mde_by[EST_ROBUST][0] = percent_of(run->mde_by[EST_ROBUST][1], b->value.median);
	run->mde_pct = run->mde_by[run->estimator][0];
	run->mde_abs = run->mde_by[run->estimator][1];
	for (i = 0; i < run->n_rows; i++)
		if (&run->rows[i] != b && run->rows[i].n_ok)
			headline(&run->rows[i], b, run->estimator, run->has_packets);
	if (run_raw_diffs(run))
		return -ENOMEM;
	/* A spin busy-waits on wall time: its slope is judged on raw added costs. */
	ladder_fit(run, run->normalised, &run->ladder);
	if (run->normalised)
		ladder_fit(run, false, &run->ladder_normalised);
	else
		run->ladder_normalised = (struct ladder){ 0 };
	return 0;
}
