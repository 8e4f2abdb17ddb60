// SPDX-License-Identifier: GPL-2.0
/*
 * The notes of a per-call (trigger) run: how its samples were normalised and
 * what the raw times say, its detection limit per call, and the spin ladder
 * on normalised times beside the raw one (notes.c prints the raw one).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/fmt.h"
#include "analysis/run.h"

static bool per_call(const struct run *run)
{
	return !run->has_packets && !strcmp(run->metric.event, "call");
}

int notes_normalised(const struct run *run, struct notes *n)
{
	const char *unit = run->metric.unit;
	int err;

	if (!run->normalised)
		return 0;
	err = notes_add(
		n,
		"Normalised: each sample's time per call x the run's median getppid() time per "
		"call (%s ns) / the sample's own, timed in alternating rounds on the same CPU: "
		"the CPU's speed drift cancels. Values, differences and CIs are normalised; raw "
		"added costs below (ARGS=ref=0 records raw times only)",
		FMT("%.2f", run->ref_median_ns));
	for (size_t i = 0; i < run->n_rows && !err; i++) {
		const struct row_stats *c = &run->rows[i];

		if (c == run->baseline || !c->n_ok)
			continue;
		err = notes_add(n, "  %s: raw added cost %s [%s, %s] %s; normalised %s [%s, %s]",
				c->name, FMT("%+.2f", c->raw_diff), FMT("%+.2f", c->raw_diff_lo),
				FMT("%+.2f", c->raw_diff_hi), unit, FMT("%+.2f", c->diff),
				FMT("%+.2f", c->diff_lo), FMT("%+.2f", c->diff_hi));
	}
	return err;
}

/*
 * What the run could see per call: the MDE in the metric's unit at the run's
 * n, which for a cost per call is itself the smallest added cost per call
 * that the run had an 80% chance to call significant.
 */
int notes_percall_limit(const struct run *run, struct notes *n)
{
	const struct row_stats *b = run->baseline;
	double centre;

	if (!per_call(run) || !b)
		return 0;
	if (!isfinite(run->mde_abs))
		return notes_add(n, "Detection limit per call: not computable (%s)",
				 b->value.n < 2 ? "fewer than 2 baseline samples"
						: "the baseline has no spread");
	centre = run->estimator == EST_MEAN ? b->value.mean : b->value.median;
	return notes_add(
		n,
		"Detection limit per call: an added cost below about %s %s could not have been "
		"seen (MDE at n=%zu per group, 80%% power, 5%% level; %s%% of the baseline's %s "
		"%s%s): a row with no significant difference may still cost up to that",
		FMT("%.3g", run->mde_abs), run->metric.unit, b->value.n, FMT("%.2f", run->mde_pct),
		FMT("%.1f", centre), run->metric.unit, run->normalised ? ", normalised times" : "");
}

int notes_ladder_normalised(const struct run *run, struct notes *n)
{
	const struct ladder *l = &run->ladder_normalised;

	if (!run->normalised || l->rows < 3 || !isfinite(l->slope))
		return 0;
	return notes_add(
		n,
		"Spin ladder (normalised times, for comparison): added = %s [%s, %s] x spin_ns "
		"%s [%s, %s] %s over %zu rows",
		FMT("%.3f", l->slope), FMT("%.3f", l->slope_lo), FMT("%.3f", l->slope_hi),
		FMT("%+.1f", l->icept), FMT("%+.1f", l->icept_lo), FMT("%+.1f", l->icept_hi),
		run->metric.unit, l->rows);
}
