/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Disturbed samples: the verdict on each sample (what else the host did, and
 * the workload's own symptom), and the redo bookkeeping. A disturbed sample is
 * written as a record marked "disturbed" (never dropped), the analysis leaves
 * it out, and the runner runs its configuration again at the end of the block,
 * up to a limit per row over the run.
 */
#ifndef BPFCOST_DISTURBANCE_H
#define BPFCOST_DISTURBANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "interference.h"

struct cJSON;
struct matrix;
struct workload_ops;

/* Defaults of --redo and --disturb-cpu. */
#define DISTURB_REDO_DEFAULT 3
#define DISTURB_CPU_DEFAULT  0.25

struct disturbance {
	int n_rows;
	int redo_limit;			   /* redos per row over the run; 0: mark only */
	struct interference_limits limits; /* host-side criteria */
	const char *host_off;		   /* why there are none (the manifest says); NULL: on */
	const char *symptom_field;	   /* the workload's; NULL: none */
	double symptom_margin;
	/*
	 * Other processes' usual CPU in this run: the median over its clean
	 * samples so far (before the first few: over the run's start-up). A
	 * sample is judged against usual + limit: steady background work is part
	 * of the machine the run measures; what changes during a sample is what
	 * disturbs it. Disturbed samples never join it: a long disturbance must
	 * not become the usual level.
	 */
	double foreign_startup;
	double *foreign_all;
	size_t n_foreign, cap_foreign;
	int *redos;	/* per row: disturbed records so far (each one was, or is, redone) */
	double **clean; /* per row: the symptom field of its clean samples so far */
	size_t *n_clean, *cap_clean;
};

int disturbance_init(struct disturbance *d, int n_rows, int redo_limit, double foreign_cpu,
		     const struct workload_ops *w);
void disturbance_free(struct disturbance *d);
/* No host-side criteria (@why says why): only the workload's own symptom can disturb. */
void disturbance_host_off(struct disturbance *d, const char *why);

/*
 * Judge the measured record @rec of row @row with the figures @f: adds
 * "interference", "disturbed" and "disturbed_why" to it. True if disturbed
 * (@why says why). A clean record joins its row's symptom reference.
 */
bool disturbance_judge(struct disturbance *d, int row, const struct interference *f,
		       struct cJSON *rec, char *why, size_t len);
/* Other processes' CPU over the run's start-up (before any sample): the first reference. */
void disturbance_startup(struct disturbance *d, const struct interference *f);
/* The foreign CPU a sample is judged against, before its limit is added. */
double disturbance_usual_foreign(const struct disturbance *d);
/* An existing record of row @row, on resume: counts its redos and symptom reference. */
void disturbance_note(struct disturbance *d, int row, const struct cJSON *rec);
/* Whether the host is as quiet as a clean sample needs (the window @f). */
bool disturbance_quiet(const struct disturbance *d, const struct interference *f);
/* May row @row be redone once more? Takes the redo if so. */
bool disturbance_take_redo(struct disturbance *d, int row);
/* Whether row @row has redos left (on resume: is a disturbed-only block still open?). */
bool disturbance_redos_left(const struct disturbance *d, int row);
/* The settings, for the manifest. */
struct cJSON *disturbance_json(const struct disturbance *d);

#endif /* BPFCOST_DISTURBANCE_H */
