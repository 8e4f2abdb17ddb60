/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings a sweep shares: bpfcost-run's own arguments, minus what the
 * sweep decides per run (the folder, the seed, the budget left, the kernel).
 */
#ifndef BPFCOST_SWEEP_ARGS_H
#define BPFCOST_SWEEP_ARGS_H

#include <stddef.h>

struct cJSON;

#define SWEEP_ARGS_MAX	  128
#define SWEEP_ARG_LEN_MAX 4096

struct sweep_args {
	const char *run_args[SWEEP_ARGS_MAX]; /* passed to every bpfcost-run */
	int n;
	/* Taken out of run_args (the sweep's own): NULL when not given. */
	const char *budget, *results, *seed;
	/* Left in run_args, noted: NULL when not given. */
	const char *target, *clock, *matrix, *workload, *vcpus;
};

/*
 * Split bpfcost-run's arguments @argv (@argc of them; "--name value" or
 * "--name=value"). Refused with @err: what the sweep sets per run (--resume,
 * --folder, --target-arg kernel=...), too many or too long. The strings stay
 * @argv's.
 */
int sweep_args_split(int argc, const char *const *argv, struct sweep_args *a, char *err,
		     size_t errlen);

/* {"target", "clock", ..., "run_args": [...]}: sweep.json's settings. */
struct cJSON *sweep_args_json(const struct sweep_args *a);
/*
 * run_args back from sweep.json's settings (hostile): a list of strings, split
 * again so the same refusals hold, and nothing the sweep takes out. Strings
 * point into @settings.
 */
int sweep_args_from_json(const struct cJSON *settings, struct sweep_args *a, char *err,
			 size_t errlen);

#endif /* BPFCOST_SWEEP_ARGS_H */
