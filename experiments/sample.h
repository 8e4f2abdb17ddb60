/* SPDX-License-Identifier: GPL-2.0 */
/* One measurement on a target: attach, run the workload, count, detach, one record. */
#ifndef BPFCOST_SAMPLE_H
#define BPFCOST_SAMPLE_H

#include <signal.h>
#include <stdbool.h>

#include "matrix.h"

struct cJSON;
struct target;
struct workload_ops;

/* What every sample of a run shares: the target, the workload and its values, the clock. */
struct sample_setup {
	struct target *target;
	const struct workload_ops *workload;
	const char *const *values; /* the workload's argument values */
	double duration;
	const char *clock;  /* "real" or "instructions" */
	const char *func;   /* kernel function for function attach types */
	long spin_ns;	    /* a known-cost control's cost when its row sets none (--spin-ns) */
	int call_timeout_s; /* per agent request */
};

enum sample_outcome {
	SAMPLE_OK,
	SAMPLE_ERROR,	    /* recorded with "error" */
	SAMPLE_TARGET_LOST, /* the agent stopped answering: recorded, run cannot go on */
	SAMPLE_INTERRUPTED  /* Ctrl-C: nothing recorded, nothing left attached */
};

/*
 * Measure @c once. Fills @rec (an empty object) with the record fields;
 * @hit_check, when not NULL, is the configuration's stats-on check used for
 * rows that cannot count runs themselves.
 */
enum sample_outcome sample_run(const struct config *c, const struct sample_setup *s,
			       const struct cJSON *hit_check, struct cJSON *rec,
			       volatile sig_atomic_t *stop);

/*
 * Stats-on check of a configuration over @seconds of the workload: returns an
 * object with hits_per_event, run_cnt, events, mechanism, or with "error"
 * (and "unsupported") when it cannot attach.
 */
struct cJSON *sample_hit_check(const struct config *c, const struct sample_setup *s, double seconds,
			       volatile sig_atomic_t *stop);

/* The workload's calibrate() on the target (see workload.h); nothing is attached. */
int sample_calibrate(const struct sample_setup *s, char **replaced, struct cJSON *out,
		     volatile sig_atomic_t *stop, char *err, size_t errlen);

#endif /* BPFCOST_SAMPLE_H */
