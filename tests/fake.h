/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake target and a fake workload for driving the run loop without QEMU,
 * root or the BPF loader. Each test scripts them through the two structs
 * below (reset with fake_reset()) and reads back what happened.
 */
#ifndef BPFCOST_TESTS_FAKE_H
#define BPFCOST_TESTS_FAKE_H

#include <stdbool.h>

#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"

struct fake_target_script {
	/* Script. */
	int lose_after;	    /* the first start answers this many calls, then none; 0: all */
	bool lose_always;   /* every start does (restarts do not help) */
	const char *kernel; /* its kernel_release */
	/* What happened. */
	int starts, stops, calls;
	int attached;	       /* probes attached now on live targets */
	char started_with[64]; /* the value of its declared argument "mode" at the last start */
};

struct fake_workload_script {
	/* Script. */
	unsigned long long seed; /* the metric: normal(mean, sd) from this seed */
	double mean, sd;
	double took;	/* fake seconds a measure takes; 0: the duration asked */
	int fail_at;	/* this measure (1-based) is a measurement error; 0: none */
	int stop_after; /* raise the stop flag during this measure; 0: never */
	int symptom_at; /* this measure shows the workload's disturbance symptom; 0: none */
	/* What happened. */
	int measures;
	int calibrations; /* fake_calibrated_workload_ops only */
};

extern struct fake_target_script fake_target;
extern struct fake_workload_script fake_workload;
extern const struct target_ops fake_target_ops;
extern const struct workload_ops fake_workload_ops;
/* The same, calibrated before the first sample: its argument "rate" becomes "cal<k>". */
extern const struct workload_ops fake_calibrated_workload_ops;

/* Scripts back to "all goes well" (metric 1000 ± 10 ns from seed 1), the fake clock to 0. */
void fake_reset(void);
/* The fake clock: each measure advances it by its duration. For BUDGET. */
double fake_now(void);
/* Time passing outside a measure (a wait before a redo). */
void fake_advance(double seconds);

#endif /* BPFCOST_TESTS_FAKE_H */
