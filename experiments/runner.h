/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run loop: start the target, calibrate, check hits, then blocks of
 * interleaved samples until N, PRECISION or BUDGET says stop; one record per
 * sample appended to the results folder. The target and workload come in as
 * ops, so tests drive the loop with fakes (no QEMU, no root).
 */
#ifndef BPFCOST_RUNNER_H
#define BPFCOST_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "disturbance.h"
#include "manifest.h"
#include "progress.h"
#include "sample.h"

#define EXIT_INTERRUPTED    130
#define MAX_TARGET_RESTARTS 3

/* How a step of the run ended; the first that is not RUN_GO ends the run. */
enum run_state {
	RUN_GO,		 /* go on */
	RUN_DONE,	 /* every sample wanted is recorded (or BUDGET/PRECISION stopped) */
	RUN_FAILED,	 /* records kept; --resume continues */
	RUN_REFUSED,	 /* bad input found once the target answered (another session) */
	RUN_LOST,	 /* the target is gone and restarts are spent */
	RUN_INTERRUPTED, /* the stop flag */
};

struct runner {
	/* Given. */
	const struct run_settings *rs;
	const struct matrix *m;
	const char *dir;
	struct cJSON *man;
	const struct target_ops *tops;
	const struct workload_ops *wops;
	volatile sig_atomic_t *stop;
	double (*now)(void); /* seconds, for BUDGET; bpfcost_now unless a test scripts it */
	/* Before a redo: runner_wait_quiet, unless a test has no host to wait for. */
	enum run_state (*before_redo)(struct runner *r, const char *row);
	/* What other processes did since @start: interference_since, unless a test scripts it. */
	void (*window_end)(const struct interference_snap *start, struct interference *fig);
	double started; /* BUDGET counts from here */

	/* The run's state. */
	struct target_options ts;
	struct sample_setup ss;
	struct target *t;
	struct cJSON *info; /* the agent's info reply */
	struct resume_set done;
	struct disturbance dist;
	struct progress p;
	FILE *samples;
	bool *active; /* per row: still sampled in this block (PRECISION) */
	int *order;   /* the block's schedule, then the redos at its end */
	int blocks, restarts;
	double sample_s;     /* the longest sample so far: what must fit in the budget */
	bool sample_timed;   /* sample_s was measured on a good sample, not guessed from DURATION */
	const char *stopped; /* manifest precision.stopped: reached, budget, max_n */
	int blocks_begun;
	const char *values[WORKLOAD_MAX_ARGS];
	char *replaced[WORKLOAD_MAX_ARGS]; /* calibrated values */
};

/*
 * Run @rs's matrix @m into @dir with @man (already written once), on @tops
 * with @wops. Returns the exit code: 0, 1 failure, 2 refused, 130 interrupted.
 */
int runner_run(struct runner *r);

/* Set up the defaults of a runner for these settings (ops from the registry). */
void runner_init(struct runner *r, const struct run_settings *rs, const struct matrix *m,
		 const char *dir, struct cJSON *man, volatile sig_atomic_t *stop);

/* runner_block.c: every block of samples. */
enum run_state runner_blocks(struct runner *r);
/* Until other processes leave the host quiet (one-second windows, a minute at most). */
enum run_state runner_wait_quiet(struct runner *r, const char *row);
/* What other processes did since @start (the runner's own process tree excluded). */
void runner_window_end(const struct interference_snap *start, struct interference *fig);
/* runner_checks.c: the target started, its session checked, calibrated, hits checked. */
enum run_state runner_prepare(struct runner *r);
/* Stop the lost target, start it again: RUN_GO when it is back. */
enum run_state runner_restart(struct runner *r, const char *why);

/* Runs bpfcost-report on @dir (with --percall @percall when set). */
void runner_report(const char *dir, const char *estimator, const char *percall);

#endif /* BPFCOST_RUNNER_H */
