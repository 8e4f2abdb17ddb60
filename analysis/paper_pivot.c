// SPDX-License-Identifier: GPL-2.0
/* The paper tables' pivot: attach types ordered by cost, probe bodies, one cell's figures. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/fmt.h"
#include "analysis/paper.h"

/* How a paper names an attach type when the loader's name is not that name. */
static const struct {
	const char *attach, *name;
} attach_names[] = {
	{ "tp", "tracepoint" },
	{ "kprobe-ftrace", "kprobe" },
	{ "kprobe-fprobe", "kprobe.multi" },
	{ "kretprobe-fprobe", "kretprobe.multi" },
};

const char *paper_attach_name(const char *attach)
{
	for (size_t i = 0; i < sizeof(attach_names) / sizeof(attach_names[0]); i++)
		if (!strcmp(attach, attach_names[i].attach))
			return attach_names[i].name;
	return attach;
}

static bool plain(const struct row_stats *c)
{
	return !c->baseline && !strchr(c->name, '@');
}

const struct row_stats *paper_row(const struct run *run, const char *attach, const char *probe,
				  bool stats)
{
	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];

		if (plain(c) && c->stats == stats && !strcmp(c->attach, attach) &&
		    !strcmp(c->probe, probe))
			return c;
	}
	return NULL;
}

const char *paper_mechanism(const struct run *run, const char *attach)
{
	const char *m = "";

	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];

		if (c->baseline || strcmp(c->attach, attach) || !c->n_ok || !c->mechanism[0])
			continue;
		if (m[0] && strcmp(m, c->mechanism))
			return "mixed";
		m = c->mechanism;
	}
	return m;
}

const char *paper_dash_why(const struct row_stats *c)
{
	if (!c)
		return "not in this run";
	if (c->n_unsupported && !c->n_ok)
		return "unsupported by the target kernel";
	if (!c->n_ok)
		return "every sample failed";
	if (c->hits_bad)
		return "the probe did not run once per event";
	return NULL;
}

static const char *sig_mark(const char *sig)
{
	return sig && sig[0] == '*' ? sig : "";
}

bool paper_added(const struct run *run, const struct row_stats *c, struct paper_value *out)
{
	bool pct = run->has_packets;

	if (!c || paper_dash_why(c))
		return false;
	*out = (struct paper_value){
		.v = pct ? c->impact_pct : c->diff,
		.lo = pct ? c->impact_lo : c->diff_lo,
		.hi = pct ? c->impact_hi : c->diff_hi,
		.ns_per_pkt = pct ? c->ns_per_pkt : NAN,
		.sig = sig_mark(c->sig),
	};
	return isfinite(out->v);
}

bool paper_stats_cost(const struct run *run, const struct row_stats *on, struct paper_value *out)
{
	bool pct = run->has_packets;

	if (!on || !on->stats || paper_dash_why(on) || !on->stats_off ||
	    paper_dash_why(on->stats_off))
		return false;
	*out = (struct paper_value){
		.v = pct ? on->stats_cost_pct : on->stats_cost,
		.lo = pct ? on->stats_cost_pct_lo : on->stats_cost_lo,
		.hi = pct ? on->stats_cost_pct_hi : on->stats_cost_hi,
		.ns_per_pkt = pct ? on->stats_cost_ns_per_pkt : NAN,
		.sig = sig_mark(on->stats_cost_sig),
	};
	return isfinite(out->v);
}

char *paper_num(char *buf, size_t len, double v, bool sign)
{
	const char *spec = fabs(v) >= 99.95 ? (sign ? "%+.0f" : "%.0f") : (sign ? "%+.1f" : "%.1f");

	/* "-0.0" reads as a cost with a direction; a zero has none. */
	if (isfinite(v) && fabs(v) < 0.05)
		v = 0;
	return fmt_spec(buf, len, spec, v);
}

static void add_unique(const char **v, size_t *n, size_t max, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(v[i], s))
			return;
	if (*n < max)
		v[(*n)++] = s;
}

/* null and map first (the bodies every matrix has), then the others by name. */
static int probe_rank(const char *p)
{
	return !strcmp(p, "null") ? 0 : !strcmp(p, "map") ? 1 : 2;
}

static int probe_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int d = probe_rank(x) - probe_rank(y);

	return d ? d : strcmp(x, y);
}

/* What orders the attach types: the first narrow body's added cost, stats off. */
static double attach_cost(const struct run *run, const struct paper_pivot *pv, const char *attach)
{
	struct paper_value v;

	for (size_t p = 0; p < pv->n_probe; p++)
		if (paper_added(run, paper_row(run, attach, pv->probe[p], false), &v))
			/* A rate: a loss is the cost. */
			return run->metric.higher_is_better ? -v.v : v.v;
	return INFINITY;
}

void paper_pivot(const struct run *run, struct paper_pivot *pv)
{
	double cost[PAPER_MAX_ATTACH];

	memset(pv, 0, sizeof(*pv));
	pv->percent = run->has_packets;
	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];

		if (!plain(c))
			continue;
		add_unique(pv->attach, &pv->n_attach, PAPER_MAX_ATTACH, c->attach);
		add_unique(pv->probe, &pv->n_probe, PAPER_MAX_PROBES, c->probe);
	}
	qsort(pv->probe, pv->n_probe, sizeof(pv->probe[0]), probe_cmp);
	pv->n_narrow = pv->n_probe < PAPER_NARROW_PROBES ? pv->n_probe : PAPER_NARROW_PROBES;
	for (size_t i = 0; i < pv->n_attach; i++)
		cost[i] = attach_cost(run, pv, pv->attach[i]);
	/* Insertion sort: stable, so equal costs keep the table's order. */
	for (size_t i = 1; i < pv->n_attach; i++) {
		const char *a = pv->attach[i];
		double k = cost[i];
		size_t j = i;

		for (; j > 0 && cost[j - 1] > k; j--) {
			cost[j] = cost[j - 1];
			pv->attach[j] = pv->attach[j - 1];
		}
		cost[j] = k;
		pv->attach[j] = a;
	}
}
