/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offered load for the flood: a short ramp finds what the target can receive,
 * then the samples offer a set multiple of it. Flooding at -b 1G per stream
 * only burns host CPU (92% loss under TCG, the client competing with QEMU)
 * and pushes the receiver into livelock, where throughput falls as load rises.
 * Pure logic here; the iperf workload runs the steps.
 */
#ifndef BPFCOST_LOAD_CALIBRATION_H
#define BPFCOST_LOAD_CALIBRATION_H

#include <stdbool.h>
#include <stddef.h>

#define RAMP_MAX_STEPS 12

struct ramp {
	double offered[RAMP_MAX_STEPS]; /* total bits/s, all streams */
	double received[RAMP_MAX_STEPS];
	int steps;
	double capacity_bps; /* the most received at any step */
	bool saturated;	     /* some step received < RAMP_SATURATED x offered */
};

/* Received below this share of offered: the receiver is the bottleneck. */
#define RAMP_SATURATED 0.9

/* The first rate to offer (bits/s). */
double ramp_start(struct ramp *r);
/*
 * One step's result; returns the next total rate to offer, or 0 when the
 * capacity is known (saturated, or the step limit reached: see r->saturated).
 */
double ramp_next(struct ramp *r, double offered_bps, double received_bps);

/* Streams iperf3 will open: the -P/--parallel value in @args, else 1. */
int load_streams(const char *args);
/*
 * @args without any -b/--bitrate, with "-b <total/streams>" appended: iperf3's
 * -b is per stream. 0, or -1 when @out is too small.
 */
int load_args_with_rate(const char *args, double total_bps, char *out, size_t len);

#endif /* BPFCOST_LOAD_CALIBRATION_H */
