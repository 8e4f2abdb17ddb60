// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of BPF run-time stats: each stats-on row (<attach>-<probe>-stat[@settings])
 * against its stats-off twin (<attach>-<probe>[@settings]) in the same run, with
 * the run's estimator, Holm-adjusted over the run's pairs. Users ask this question
 * on its own ("what does kernel.bpf_stats_enabled cost?"), so it is a statistic,
 * not something to read off two rows.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/run.h"

/* The stats-off twin's name: "-stat" dropped before any '@'. */
static int twin_name(const char *name, char *out, size_t len)
{
	const char *at = strchr(name, '@');
	size_t base = at ? (size_t)(at - name) : strlen(name);

	if (base < 5 || strncmp(name + base - 5, "-stat", 5) || strlen(name) - 5 >= len)
		return -1;
	memcpy(out, name, base - 5);
	strcpy(out + base - 5, name + base);
	return 0;
}

static void clear(struct row_stats *c)
{
	c->stats_off = NULL;
	c->stats_cost = c->stats_cost_lo = c->stats_cost_hi = NAN;
	c->stats_cost_pct = c->stats_cost_pct_lo = c->stats_cost_pct_hi = NAN;
	c->stats_cost_ns_per_pkt = c->stats_cost_p = c->stats_cost_p_holm = NAN;
	c->stats_cost_sig = "";
}

static int compare(struct row_stats *on, const struct row_stats *off, enum estimator est)
{
	struct row_shift sh;
	int err = row_shift(on, off, est, &sh);

	on->stats_cost = sh.est;
	on->stats_cost_lo = sh.lo;
	on->stats_cost_hi = sh.hi;
	on->stats_cost_p = sh.p;
	return err;
}

/* In % of the baseline, as the impact columns; ns/packet from the packet rates. */
static void scale(struct row_stats *on, const struct row_stats *off, const struct run *run)
{
	const struct row_stats *b = run->baseline;
	bool mean = run->estimator == EST_MEAN;
	double base = b ? (mean ? b->value.mean : b->value.median) : NAN;
	double p_on = mean ? on->pps.mean : on->pps.median;
	double p_off = mean ? off->pps.mean : off->pps.median;

	on->stats_cost_pct = percent_of(on->stats_cost, base);
	on->stats_cost_pct_lo = percent_of(on->stats_cost_lo, base);
	on->stats_cost_pct_hi = percent_of(on->stats_cost_hi, base);
	if (on->pps.n && off->pps.n && p_on > 0 && p_off > 0)
		on->stats_cost_ns_per_pkt = 1e9 / p_on - 1e9 / p_off;
}

int run_stats_cost(struct run *run)
{
	double *p = calloc(run->n_rows ? run->n_rows : 1, sizeof(*p));
	double *adj = calloc(run->n_rows ? run->n_rows : 1, sizeof(*adj));
	char twin[REC_NAME_LEN];
	size_t i;
	int err = 0;

	if (!p || !adj) {
		free(p);
		free(adj);
		return -ENOMEM;
	}
	for (i = 0; i < run->n_rows; i++)
		clear(&run->rows[i]);
	for (i = 0; i < run->n_rows && !err; i++) {
		struct row_stats *on = &run->rows[i];
		const struct row_stats *off;

		p[i] = NAN;
		if (!on->stats || !on->n_ok || twin_name(on->name, twin, sizeof(twin)))
			continue;
		off = run_find_row(run, twin);
		if (!off || off->stats || !off->n_ok)
			continue;
		on->stats_off = off;
		err = compare(on, off, run->estimator);
		scale(on, off, run);
		p[i] = on->stats_cost_p;
	}
	if (!err) {
		stats_holm(p, run->n_rows, adj);
		for (i = 0; i < run->n_rows; i++) {
			run->rows[i].stats_cost_p_holm = adj[i];
			if (run->rows[i].stats_off)
				run->rows[i].stats_cost_sig = stats_sig_mark(adj[i]);
		}
	}
	free(p);
	free(adj);
	return err;
}
