/* SPDX-License-Identifier: GPL-2.0 */
/* manifest.json: everything needed to read, trust and resume a run. */
#ifndef BPFCOST_MANIFEST_H
#define BPFCOST_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "matrix.h"

#include "workloads/workload.h"

struct cJSON;
struct target;

struct run_settings {
	const char *matrix;
	int n;
	double duration;
	const char *target;   /* a target_ops name: guest, host */
	const char *workload; /* a workload_ops name: iperf, ... */
	const char *clock;    /* "real", or "instructions": guest under TCG with -icount */
	const char *values[WORKLOAD_MAX_ARGS]; /* the workload's arguments */
	const char *topology;
	const char *qemu; /* NULL: the default */
	const char *accel;
	int vcpus;
	int mem_mb;
	const char *func;
	long spin_ns;
	double check_s;
	uint64_t seed;
	double precision;  /* target impact CI half-width in %; 0: fixed N */
	double budget_min; /* wall-time cap in minutes; 0: none */
	int max_n;	   /* with precision: samples per row at most */
	bool pin, bind;	   /* guest: --pin, --bind (target_settings.pin, .bind) */
	int redo_limit;	   /* --redo: redos of disturbed samples per row over the run */
	double disturb_cpu; /* --disturb-cpu: other processes' CPU that disturbs; NAN: off */
	const char *estimator; /* --estimator, passed to the report: robust, mean */
};

/* A new manifest for a run about to start. */
struct cJSON *manifest_new(const struct run_settings *s, const struct matrix *m);
/* The target as started (what it says of itself) and its agent's info: kernel, config flags. */
void manifest_add_target(struct cJSON *man, struct target *t, const struct cJSON *info);
void manifest_finish(struct cJSON *man, const char *state);

/*
 * Settings and configuration names back from a manifest, for --resume, checked
 * as the command line's are (run_settings_check). String settings point into
 * @man, which must outlive @s. 0, or -1 with @err naming the field.
 */
int manifest_settings(const struct cJSON *man, struct run_settings *s, const char ***names,
		      int *count, char *err, size_t errlen);

#endif /* BPFCOST_MANIFEST_H */
