/* SPDX-License-Identifier: GPL-2.0 */
/* The results folder a run writes: a new one from the options, or one to resume. */
#ifndef BPFCOST_RUNNER_FOLDER_H
#define BPFCOST_RUNNER_FOLDER_H

#include <limits.h>

#include "matrix.h"
#include "options.h"

struct run_folder {
	char dir[PATH_MAX];
	struct matrix m;
	struct cJSON *man;
	char **probes;
};

/*
 * A new folder (its manifest written), or the one --resume names (locked; its
 * settings into @o->rs, checked as the command line's). 0, or the exit code,
 * said on stderr.
 */
int run_folder_open(struct run_options *o, struct run_folder *f);
void run_folder_close(struct run_folder *f);

#endif /* BPFCOST_RUNNER_FOLDER_H */
