/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sweep.json of a sweep folder (the KERNELS sweep, later the fleet): which
 * results folders it holds and how far each got. Hostile input: every string
 * is bounded and plain, every "dir" a plain name inside the sweep folder.
 */
#ifndef BPFCOST_ANALYSIS_SWEEP_H
#define BPFCOST_ANALYSIS_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#define SWEEP_SCHEMA_VERSION 1
#define SWEEP_RUNS_MAX	     16

struct sweep_run {
	char name[128];
	char dir[128];	 /* a plain name: no '/', not "." or ".." */
	char status[16]; /* done, pending, failed */
	char error[192];
};

struct sweep {
	char kind[32];
	char variable[32];
	struct sweep_run runs[SWEEP_RUNS_MAX];
	size_t n_runs;
};

/* @text (NUL-terminated) into @s: 0, or -1 with @why. */
int sweep_parse(const char *text, struct sweep *s, char *why, size_t len);
/* sweep.json in @dfd, read the safe way (files.h): 0, -errno, or -EINVAL with @why. */
int sweep_read_at(int dfd, struct sweep *s, char *why, size_t len);
bool sweep_dir_ok(const char *dir);

#endif
