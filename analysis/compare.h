/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A comparison of runs (bpfcost-report RUN1 RUN2 ..., or a sweep folder): each
 * run loaded and analysed exactly as a single report does, then one table:
 * a row per configuration (the union, in the runs' order), a column group per
 * run with its added cost and 95% CI, and each run's difference to the first.
 * Its own small column model: the groups repeat per run, which the single-run
 * model (columns.h) does not express.
 */
#ifndef BPFCOST_ANALYSIS_COMPARE_H
#define BPFCOST_ANALYSIS_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/run.h"

#define CMP_RUNS_MAX	   16
#define CMP_FACETS_MAX	   160
#define CMP_SCHEMA_VERSION 1

/* One manifest value that may differ between runs: "kernel", "host.tools.qemu". */
struct cmp_facet {
	char key[64];
	char value[128];
};

struct cmp_run {
	char name[128];	 /* as given (folder or sweep entry), shown escaped */
	char status[16]; /* "done"; a sweep's "pending", "failed"; "unreadable" */
	char error[192]; /* why there are no numbers */
	bool loaded;	 /* run is analysed: it has numbers */
	struct run run;
	char label[160]; /* what differs from the other runs; a fleet's host name */
	char facts[320]; /* a fleet's host: its CPU, kernel, mitigations (or why no numbers) */
	struct cmp_facet facets[CMP_FACETS_MAX];
	size_t n_facets;
};

/* One cell: a run's added cost for a row, or why there is none. */
struct cmp_cell {
	bool has;	     /* numbers below; else @why */
	bool exact;	     /* zero spread in the row and its baseline: no CI */
	double diff, lo, hi; /* added cost against the run's baseline, 95% CI */
	char why[224];
};

/* Run k against the first run for one row. */
struct cmp_delta {
	bool has, exact;
	double d, lo, hi; /* lo, hi NAN: no interval (a side without one) */
};

struct compare {
	struct cmp_run *runs;
	size_t n_runs;
	char (*rows)[REC_NAME_LEN];
	size_t n_rows;
	char variable[32]; /* a sweep's declared variable; "" for plain runs */
	char common[512];  /* what all runs share, one line */
	char unit[32];	   /* the metric's unit, common to all */
	char estimator[16];
	char **notes; /* warnings and remarks, one line each */
	size_t n_notes;
};

/* The labelled facets (kernel, target, CPU, accelerator) and the common line. After loading. */
int compare_label(struct compare *c);
/*
 * Refuses runs that cannot share a table: workload, unit or clock differ.
 * 0, or -1 with @why naming the difference.
 */
int compare_check(const struct compare *c, char *why, size_t len);
/* The union of rows and the notes; after compare_label(). 0 or -ENOMEM. */
int compare_build(struct compare *c);
void compare_cell(const struct compare *c, size_t run, size_t row, struct cmp_cell *out);
void compare_delta(const struct cmp_cell *first, const struct cmp_cell *other,
		   struct cmp_delta *out);
int compare_note(struct compare *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void compare_free(struct compare *c);
/* A facet's value in @r, "" when unrecorded. */
const char *compare_facet(const struct cmp_run *r, const char *key);
/* A fleet (variable "host"): labels are host names, facts say each host's machine. */
bool compare_is_fleet(const struct compare *c);
void compare_fleet_label(struct compare *c);
/* A facet the fleet's facts show per host: hosts differing in it is no warning. */
bool compare_fleet_shown(const char *key);
/* A run's manifest facets, read from @dfd (its folder): the environment and tools too. */
void compare_facets_load(struct cmp_run *r, int dfd);

/* The four files. */
int compare_txt_write(const struct compare *c, FILE *f);
int compare_md_write(const struct compare *c, FILE *f);
int compare_csv_write(const struct compare *c, FILE *f);
int compare_tex_write(const struct compare *c, FILE *f);
/* A cell as text: "+123.4 [120.0, 126.1]", "+123 (exact)", or its reason. */
const char *compare_cell_text(const struct cmp_cell *x, char *buf, size_t len);
const char *compare_delta_text(const struct cmp_delta *x, char *buf, size_t len);

/* The command: RUN1 RUN2 ... into @out (required). Exit codes as report_cli. */
int compare_main(char *const *dirs, size_t n, const char *out, enum estimator est, bool quiet,
		 FILE *msg);
/* A sweep folder (@name for messages): the runs its sweep.json lists, into @outdfd. */
int compare_sweep_main(int sweepfd, int outdfd, const char *name, enum estimator est, bool quiet,
		       FILE *msg);

#endif
