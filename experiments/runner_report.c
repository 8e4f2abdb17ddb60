// SPDX-License-Identifier: GPL-2.0
/* The report at the end of a run: bpfcost-report on the results folder. */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "loader/bpfcost.h"
#include "loader/spawn.h"
#include "runner.h"

void runner_report(const char *dir, const char *estimator, const char *percall)
{
	char tool[PATH_MAX], why[128];
	char *argv[] = { tool, "--estimator", (char *)estimator, (char *)dir, NULL, NULL, NULL };
	struct spawn_opts o;

	snprintf(tool, sizeof(tool), "%s/bpfcost-report", bpfcost_exe_dir());
	if (percall) {
		argv[3] = "--percall";
		argv[4] = (char *)percall;
		argv[5] = (char *)dir;
	}
	if (access(tool, X_OK)) {
		fprintf(stderr, "bpfcost-run: no %s; skipping the report\n", tool);
		return;
	}
	spawn_opts_init(&o);
	o.stdout_fd = SPAWN_INHERIT;
	o.stderr_fd = SPAWN_INHERIT;
	if (spawn_run_ok(argv, &o, 600, NULL, why, sizeof(why)))
		fprintf(stderr, "bpfcost-run: report failed (%s); run: %s %s\n", why, tool, dir);
}
