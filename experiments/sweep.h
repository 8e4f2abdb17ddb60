/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sweep: the same matrix, with the same seed, run once per value of one
 * variable (a kernel here; a fleet's machine later), into
 *
 *   results/<time>-<matrix>-<kind>/sweep.json      what ran, and how it ended
 *   results/<time>-<matrix>-<kind>/<name>/         one ordinary results folder a value
 *
 * sweep.json: {"schema_version":1, "kind", "variable", "runs":[{"name", "dir",
 * "<variable>", "status": done|pending|failed, "error", any other field a kind
 * adds (struct sweep_run's extra)}], "settings", "seed"}.
 * This file knows the layout and its resume, not what the variable is: the
 * caller's struct sweep_ops prepares and runs one value.
 */
#ifndef BPFCOST_SWEEP_H
#define BPFCOST_SWEEP_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct cJSON;

#define SWEEP_MAX	64
#define SWEEP_NAME_MAX	128
#define SWEEP_VALUE_MAX 1024

enum sweep_status { SWEEP_PENDING, SWEEP_DONE, SWEEP_FAILED };

struct sweep_run {
	char name[SWEEP_NAME_MAX];   /* e.g. the kernel release; "" until prepared */
	char dir[SWEEP_NAME_MAX];    /* its folder in the sweep: a plain name ("" until prepared) */
	char value[SWEEP_VALUE_MAX]; /* the variable's value as the user gave it */
	enum sweep_status status;
	char error[512]; /* SWEEP_FAILED: why */
	/* Owned, may be NULL: a kind's own fields (a fleet's "remote_folder", "commit"), kept as
	 * is. */
	struct cJSON *extra;
};

struct sweep {
	char dir[PATH_MAX];
	const char *kind;     /* "kernels": the folder's suffix and sweep.json's "kind" */
	const char *variable; /* "kernel" */
	struct sweep_run runs[SWEEP_MAX];
	int n;
	struct cJSON *settings; /* owned: what every run shares */
	unsigned long long seed;
};

struct sweep_ops {
	/* Make run @r ready (build its guest) and set r->name; 0, or -1 with @err. */
	int (*prepare)(void *arg, struct sweep_run *r, char *err, size_t errlen);
	/*
	 * Run @r into <s->dir>/<r->dir>: a new run, or --resume when @resume (the
	 * folder has a manifest). @budget_min: what is left (0: no budget).
	 * Returns how it ended; SWEEP_FAILED with @err.
	 */
	enum sweep_status (*run)(void *arg, const struct sweep *s, const struct sweep_run *r,
				 bool resume, double budget_min, char *err, size_t errlen);
	void *arg;
	double (*now)(void); /* seconds, for the budget */
};

/* A plain name: [A-Za-z0-9._+-], not starting with '.', at most SWEEP_NAME_MAX - 1. */
bool sweep_name_ok(const char *name);
const char *sweep_status_str(enum sweep_status st);

/* results/<time>-<label>-<kind>/ (and results/latest); 0, or -1 with @err. */
int sweep_create(struct sweep *s, const char *root, const char *label, char *err, size_t errlen);
/* sweep.json written atomically into s->dir; 0, or -1 with @err. */
int sweep_save(const struct sweep *s, char *err, size_t errlen);
/*
 * Read <dir>/sweep.json as hostile input into @s (s->kind and s->variable
 * say what it must be): schema, statuses, names and folders checked. 0, or
 * -1 with @err.
 */
int sweep_load(struct sweep *s, const char *dir, char *err, size_t errlen);
/* The same checks on sweep.json's text already parsed (the fuzz harness's way in). */
int sweep_parse(struct sweep *s, const struct cJSON *j, char *err, size_t errlen);
void sweep_free(struct sweep *s);

/*
 * Prepare every run not done, then run them one after the other, saving
 * sweep.json after each; stops starting runs when *@stop is set or
 * @budget_min is spent. Returns 0 when every run is done, 130 when stopped,
 * 1 when one failed or could not be saved.
 */
int sweep_loop(struct sweep *s, const struct sweep_ops *ops, volatile sig_atomic_t *stop,
	       double budget_min);

#endif /* BPFCOST_SWEEP_H */
