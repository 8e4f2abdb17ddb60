// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/run.h"

/* Describe one record field over a configuration's good samples, skipping absent values. */
static int describe_field(const struct cfg *c, size_t off, double scale, struct sample_stats *s)
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

static void summarise_probe_side(struct cfg *c)
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

static int summarise(struct cfg *c)
{
	static const struct {
		size_t off;
		double scale;
		size_t dst;
	} fields[] = {
		{ offsetof(struct record, value), 1, offsetof(struct cfg, value) },
		{ offsetof(struct record, rx_bytes), 1e-6, offsetof(struct cfg, mb) },
		{ offsetof(struct record, rx_pps), 1, offsetof(struct cfg, pps) },
		{ offsetof(struct record, lost_percent), 1, offsetof(struct cfg, lost) },
		{ offsetof(struct record, cpu_host_percent), 1, offsetof(struct cfg, cpu_host) },
		{ offsetof(struct record, cpu_remote_percent), 1,
		  offsetof(struct cfg, cpu_remote) },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct sample_stats *s = (struct sample_stats *)((char *)c + fields[i].dst);

		if (describe_field(c, fields[i].off, fields[i].scale, s))
			return -ENOMEM;
	}
	summarise_probe_side(c);
	return 0;
}

/* x / base * 100, or NAN when the base cannot scale anything. */
static double percent_of(double x, double base)
{
	return isfinite(x) && isfinite(base) && base != 0 ? x / base * 100 : NAN;
}

static void compare(struct cfg *c, const struct cfg *b)
{
	double bm = b->value.mean;

	c->impact_pct = stats_impact_percent(c->value.mean, bm);
	c->transfer_impact_pct =
		c->mb.n && b->mb.n ? stats_impact_percent(c->mb.mean, b->mb.mean) : NAN;
	stats_welch(&c->value, &b->value, &c->welch);
	c->diff = c->value.mean - bm;
	c->diff_lo = c->welch.ci_lo;
	c->diff_hi = c->welch.ci_hi;
	/* CI of the difference scaled by the baseline mean: the paper's "impact %" CI. */
	c->impact_lo = percent_of(c->welch.ci_lo, bm);
	c->impact_hi = percent_of(c->welch.ci_hi, bm);
	c->ns_per_pkt =
		c->pps.mean > 0 && b->pps.mean > 0 ? 1e9 / c->pps.mean - 1e9 / b->pps.mean : NAN;
	c->mde_abs = stats_mde(b->value.sd, c->value.n, b->value.n, ALPHA, POWER);
	c->mde_pct = percent_of(c->mde_abs, bm);
}

/*
 * The measured cost a spin row added, per event: the difference itself for a
 * cost per call, ns/packet for the flood.
 */
double run_spin_added(const struct run *run, const struct cfg *c)
{
	return run->has_packets ? c->ns_per_pkt : c->diff;
}

static void fit_ladder(struct run *run)
{
	double x[64], y[64], mx = 0, my = 0, sxx = 0, sxy = 0, sse = 0, se_s, se_i, t;
	struct ladder *l = &run->ladder;
	size_t i, k = 0;

	*l = (struct ladder){ 0 };
	l->slope = l->slope_lo = l->slope_hi = l->icept = l->icept_lo = l->icept_hi = NAN;
	for (i = 0; i < run->n_cfgs && k < 64; i++) {
		const struct cfg *c = &run->cfgs[i];
		double added = run_spin_added(run, c);

		if (!strcmp(c->probe, "spin") && isfinite(c->spin_ns) && c->n_ok &&
		    isfinite(added)) {
			x[k] = c->spin_ns;
			y[k++] = added;
		}
	}
	l->rows = k;
	if (k < 3)
		return;
	for (i = 0; i < k; i++) {
		mx += x[i] / k;
		my += y[i] / k;
	}
	for (i = 0; i < k; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	if (!(sxx > 0))
		return;
	l->slope = sxy / sxx;
	l->icept = my - l->slope * mx;
	for (i = 0; i < k; i++)
		sse += (y[i] - l->icept - l->slope * x[i]) * (y[i] - l->icept - l->slope * x[i]);
	se_s = sqrt(sse / (k - 2) / sxx);
	se_i = sqrt(sse / (k - 2) * (1.0 / k + mx * mx / sxx));
	t = stats_t_quantile(0.975, (double)(k - 2));
	if (!isfinite(t) || !isfinite(se_s) || !isfinite(se_i))
		return;
	l->slope_lo = l->slope - t * se_s;
	l->slope_hi = l->slope + t * se_s;
	l->icept_lo = l->icept - t * se_i;
	l->icept_hi = l->icept + t * se_i;
}

int run_analyse(struct run *run)
{
	const struct cfg *b = run->baseline;
	double *p, *adj;
	size_t i;

	for (i = 0; i < run->n_cfgs; i++) {
		struct cfg *c = &run->cfgs[i];

		c->impact_pct = c->impact_lo = c->impact_hi = c->transfer_impact_pct = NAN;
		c->diff = c->diff_lo = c->diff_hi = NAN;
		c->p_holm = c->mde_pct = c->mde_abs = c->ns_per_pkt = NAN;
		c->welch.p = NAN;
		c->sig = "";
		if (summarise(c))
			return -ENOMEM;
		run->has_packets |= c->pps.n > 0;
	}
	if (run->recs.n)
		run->metric = run->recs.v[0].metric;
	if (!b)
		return -ENOENT;
	for (i = 0; i < run->n_cfgs; i++)
		if (&run->cfgs[i] != b && run->cfgs[i].n_ok)
			compare(&run->cfgs[i], b);
	run->mde_abs = stats_mde(b->value.sd, b->value.n, b->value.n, ALPHA, POWER);
	run->mde_pct = percent_of(run->mde_abs, b->value.mean);

	p = calloc(run->n_cfgs, sizeof(*p));
	adj = calloc(run->n_cfgs, sizeof(*adj));
	if (!p || !adj) {
		free(p);
		free(adj);
		return -ENOMEM;
	}
	for (i = 0; i < run->n_cfgs; i++)
		p[i] = &run->cfgs[i] == b ? NAN : run->cfgs[i].welch.p;
	stats_holm(p, run->n_cfgs, adj);
	for (i = 0; i < run->n_cfgs; i++) {
		run->cfgs[i].p_holm = adj[i];
		run->cfgs[i].sig = stats_sig_mark(adj[i]);
	}
	free(p);
	free(adj);
	fit_ladder(run);
	return 0;
}
