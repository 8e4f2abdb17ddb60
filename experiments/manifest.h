/* SPDX-License-Identifier: GPL-2.0 */
/* manifest.json: everything needed to read, trust and resume a run. */
#ifndef BPFCOST_MANIFEST_H
#define BPFCOST_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "matrix.h"

#include "targets/target.h"
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
	double precision;	    /* target added-cost CI half-width; 0: fixed N */
	const char *precision_unit; /* as typed: "%" (NULL too), or the metric's ("ns", "insn") */
	double budget_min;	    /* wall-time cap in minutes; 0: none */
	int max_n;		    /* with precision: samples per row at most */
	bool pin, bind;		    /* guest: --pin, --bind (target_options.pin, .bind) */
	int redo_limit;		    /* --redo: redos of disturbed samples per row over the run */
	double disturb_cpu;    /* --disturb-cpu: other processes' CPU that disturbs; NAN: off */
	const char *estimator; /* --estimator, passed to the report: robust, mean */
	const char *target_values[TARGET_MAX_ARGS]; /* the target's declared arguments */
};

/*
 * The target's declared arguments: recorded as "target_args", and back (a
 * missing one gets its default; one the target does not declare is refused).
 * Their values are judged by target_args_check(), as the command line's.
 */
void manifest_target_args(struct cJSON *man, const struct target_ops *t, const char *const *values);
int manifest_target_args_back(const struct cJSON *man, const struct target_ops *t,
			      const char **values, char *err, size_t errlen);

/*
 * manifest_precision.c: PRECISION and BUDGET as "precision": {"target": 2,
 * "unit": "ns", ...} (written only when either is set), and back ("target_pct"
 * from before units read too); 0, or -1 with @err naming the field.
 */
void manifest_precision(struct cJSON *man, const struct run_settings *s);
int manifest_precision_back(const struct cJSON *man, struct run_settings *s, char *err,
			    size_t errlen);
/*
 * @rs's PRECISION unit as recorded ("%", "ns", "insn", "Mbit/s": from the
 * metric the workload declares for these arguments and clock), or -1 with
 * @err naming the metric's unit.
 */
int precision_setting_unit(const struct run_settings *rs, char *canon, size_t len, char *err,
			   size_t errlen);

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

/*
 * Every manifest write is checked: a full disk stops the run with the records
 * so far intact (each sample is fsync'ed on its own) and says how to go on.
 */
int manifest_save(const char *dir, const struct cJSON *man);
/*
 * What makes records comparable: the target, its accelerator and its kernel.
 * The first start records it; a resume on a different one would mix two
 * experiments in one table: -1, said on stderr.
 */
int manifest_same_session(struct cJSON *man, struct target *t, const struct cJSON *info);

/* Stats-on hit checks, by configuration name. */
const struct cJSON *manifest_hit_check(const struct cJSON *man, const char *name);
/* A passed check, or the kernel's "unsupported", holds; any other outcome is tried again. */
bool manifest_check_is_final(const struct cJSON *man, const char *name);
void manifest_set_hit_check(struct cJSON *man, const char *name, struct cJSON *check);
void manifest_drop_hit_check(struct cJSON *man, const char *name);

/*
 * The workload arguments a recorded calibration replaced, into @replaced (one
 * malloc'd slot per argument): 1, 0 when there is no calibration yet, -1 bad.
 */
int manifest_calibration_args(const struct cJSON *man, const struct workload_ops *w,
			      char **replaced);
void manifest_set_calibration(struct cJSON *man, struct cJSON *calibration);

/* A target restart noted now with @why; the entry, for manifest_restart_failed(). */
struct cJSON *manifest_add_restart(struct cJSON *man, const char *why);
void manifest_restart_failed(struct cJSON *entry, const char *err);
/* Why the sample loop ended (precision.stopped: reached, budget, max_n) and blocks begun. */
void manifest_record_stop(struct cJSON *man, const char *code, int blocks);
void manifest_set_disturbance(struct cJSON *man, struct cJSON *settings);
/* PERCALL: the per-call results folder the report predicts from (kept for a resume). */
void manifest_set_percall(struct cJSON *man, const char *dir);
const char *manifest_percall(const struct cJSON *man);

/* The resume set: which (configuration, block) pairs have their record already. */
enum { SLOT_OPEN, SLOT_DONE, SLOT_DISTURBED };
struct disturbance;
struct resume_set {
	const struct matrix *m;
	int blocks;
	unsigned char *slots; /* [row * blocks + block] */
	int count;	      /* pairs done */
	struct disturbance *dist;
};

/* Read samples.jsonl of @dir; each record also feeds @dist. 0, or -1 with @err. */
int resume_set_load(struct resume_set *d, const char *dir, const struct matrix *m, int blocks,
		    struct disturbance *dist, char *err, size_t errlen);
bool resume_set_done(const struct resume_set *d, int row, int block);
void resume_set_mark(struct resume_set *d, int row, int block);
void resume_set_free(struct resume_set *d);

#endif /* BPFCOST_MANIFEST_H */
