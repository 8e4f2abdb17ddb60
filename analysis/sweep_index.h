/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sweep.json of a sweep folder (the KERNELS sweep, later the fleet): which
 * results folders it holds and how far each got. Hostile input: every string
 * is bounded and plain, every "dir" a plain name inside the sweep folder.
 */
#ifndef BPFCOST_ANALYSIS_SWEEP_INDEX_H
#define BPFCOST_ANALYSIS_SWEEP_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#define SWEEP_INDEX_SCHEMA_VERSION 1
#define SWEEP_INDEX_RUNS_MAX	   64

struct sweep_index_run {
	char name[128];
	char dir[128];	 /* a plain name: no '/', not "." or ".."; "" only if not done */
	char status[16]; /* done, pending, failed */
	char error[192];
};

struct sweep_index {
	char kind[32];
	char variable[32];
	struct sweep_index_run runs[SWEEP_INDEX_RUNS_MAX];
	size_t n_runs;
};

/* @text (NUL-terminated) into @s: 0, or -1 with @why. */
int sweep_index_parse(const char *text, struct sweep_index *s, char *why, size_t len);
/* sweep.json in @dfd, read the safe way (files.h): 0, -errno, or -EINVAL with @why. */
int sweep_index_read_at(int dfd, struct sweep_index *s, char *why, size_t len);
bool sweep_index_dir_ok(const char *dir);

#endif
