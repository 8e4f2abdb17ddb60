// SPDX-License-Identifier: GPL-2.0
/*
 * The flood's detection limit in ns per packet and the load check it rests on:
 * the limit assumes a saturated receiver, which loses datagrams.
 */
#include <math.h>
#include <stdio.h>

#include "analysis/fmt.h"
#include "analysis/run.h"

/* The baseline's packet rate as the chosen estimator sees it. */
static double baseline_pps(const struct run *run)
{
	return run->estimator == EST_MEAN ? run->baseline->pps.mean : run->baseline->pps.median;
}

/*
 * The flood's detection limit per packet. Model: the receiving CPU is
 * saturated, so a packet takes t = 1e9/pps ns and a cost c per packet cuts the
 * rate by c / (t + c); the smallest visible cut is the MDE fraction m, so
 * c_min = m t / (1 - m). NAN when it cannot be computed.
 */
double notes_packet_limit_ns(const struct run *run)
{
	double m = run->mde_pct / 100, t, pps = baseline_pps(run);

	if (!run->has_packets || !isfinite(m) || m <= 0 || m >= 1 || !(pps > 0))
		return NAN;
	t = 1e9 / pps;
	return m * t / (1 - m);
}

/*
 * The flood's model holds only while the receiver is saturated, and a
 * saturated receiver drops datagrams. A baseline that lost (almost) none took
 * all it was offered: its bitrate is the offered load, steady whatever the
 * receiver's cost, and a probe shows only once it eats the headroom. (A
 * calibration ramp run while other work slowed the target offers too little.)
 */
#define SATURATED_LOSS_PCT 0.5

/* The baseline's samples that lost under SATURATED_LOSS_PCT; @n: those with a loss figure. */
static size_t unsaturated_samples(const struct row_stats *b, size_t *n)
{
	size_t k = 0;

	*n = 0;
	for (size_t i = 0; b && i < b->n_ok; i++) {
		double lost = b->ok[i]->lost_percent;

		if (!isfinite(lost))
			continue;
		(*n)++;
		k += lost < SATURATED_LOSS_PCT;
	}
	return k;
}

/*
 * A quarter of the baseline's samples is enough: a run calibrated under other
 * work that then went quiet loses plenty while the work lasts and nothing
 * after (seen: 53% down to 0.5% loss over blocks 0 to 5, then 0% for blocks 6
 * to 9; the median, 2.2%, passed, and no probe showed any cost).
 */
static bool unsaturated(const struct run *run)
{
	size_t n, k = unsaturated_samples(run->baseline, &n);

	return run->has_packets && n > 0 && 4 * k >= n;
}

double run_detection_limit_ns(const struct run *run)
{
	return unsaturated(run) ? NAN : notes_packet_limit_ns(run);
}

int notes_saturation_line(const struct run *run, struct notes *n)
{
	size_t total, k = unsaturated_samples(run->baseline, &total);

	if (!unsaturated(run))
		return 0;
	return notes_add(
		n,
		"WARNING load check: %zu of %zu baseline samples lost under %s%% of their "
		"datagrams (median loss %s%%; a saturated receiver loses some): those received "
		"all they were offered, so their bitrate is the offered load and a probe shows "
		"only once its cost exceeds the headroom. The MDE describes the offered load, not "
		"the receiver, and the detection limit does not apply. Calibrated while other "
		"work slowed the target? Re-run on a quiet host, or with CALIBRATE above the "
		"manifest's multiple",
		k, total, FMT("%g", SATURATED_LOSS_PCT), FMT("%.2f", run->baseline->lost.median));
}

int notes_limit_line(const struct run *run, struct notes *n)
{
	double c = notes_packet_limit_ns(run);

	if (!run->has_packets)
		return 0;
	if (unsaturated(run))
		return notes_add(
			n, "Detection limit per packet: does not apply (the baseline receiver was "
			   "not saturated: see the load check)");
	if (!isfinite(c))
		return notes_add(n, "Detection limit per packet: not computable (%s)",
				 !isfinite(run->mde_pct) ? "no minimum detectable effect"
				 : run->mde_pct >= 100	 ? "the MDE is 100% or more of the baseline"
							 : "no baseline packet rate");
	return notes_add(
		n,
		"Detection limit: a cost below about %s ns per packet could not have been seen "
		"(MDE %s%% at %s ns per packet; model: the receiving CPU is saturated)",
		FMT("%.0f", c), FMT("%.1f", run->mde_pct), FMT("%.0f", 1e9 / baseline_pps(run)));
}
