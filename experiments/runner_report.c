// SPDX-License-Identifier: GPL-2.0
/* The report at the end of a run: bpfcost-report on the results folder. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader/bpfcost.h"
#include "loader/spawn.h"
#include "runner.h"

void runner_report(const char *dir, const char *estimator, const char *percall)
{
	char tool[PATH_MAX], how[32];
	char *argv[] = { tool, "--estimator", (char *)estimator, (char *)dir, NULL, NULL, NULL };
	struct spawn_opts o;
	int status;
	pid_t pid;

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
	pid = spawn(argv, &o);
	if (pid < 0 || spawn_wait(pid, 600, NULL, &status) || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fprintf(stderr, "bpfcost-run: report failed (%s); run: %s %s\n",
			pid < 0 ? strerror(errno) : spawn_status_str(status, how, sizeof(how)),
			tool, dir);
}
