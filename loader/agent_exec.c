// SPDX-License-Identifier: GPL-2.0
/*
 * Run one command on the target and return its output: the trigger workload's
 * loop, and diagnostics (tracefs, kprobes/list) without a guest shell.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"
#include "read_eof.h"
#include "spawn.h"

#define EXEC_MAX_ARGS	   32
#define EXEC_MAX_OUTPUT	   (256 * 1024)
#define EXEC_MAX_TIMEOUT_S 86400

struct cJSON *agent_exec(const struct cJSON *req)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(req, "argv");
	const cJSON *to = cJSON_GetObjectItemCaseSensitive(req, "timeout_s");
	static char buf[EXEC_MAX_OUTPUT + 1];
	struct read_buf out = { .buf = buf, .cap = sizeof(buf) };
	char *argv[EXEC_MAX_ARGS + 1], own[4096];
	int n = 0, status = -1;
	struct spawn_opts o;
	double timeout_s;
	bool timed_out;
	const cJSON *a;
	cJSON *r;

	/* Bounded here: a deadline of 1e300 s made the poll timeout undefined. */
	if (to &&
	    !(cJSON_IsNumber(to) && to->valuedouble > 0 && to->valuedouble <= EXEC_MAX_TIMEOUT_S))
		return agent_error(BPFCOST_ERR_USAGE, "timeout_s: seconds above 0, at most %d",
				   EXEC_MAX_TIMEOUT_S);
	timeout_s = to ? to->valuedouble : 10;
	cJSON_ArrayForEach(a, args)
	{
		if (!cJSON_IsString(a) || n == EXEC_MAX_ARGS)
			return agent_error(BPFCOST_ERR_USAGE, "argv: up to %d strings",
					   EXEC_MAX_ARGS);
		argv[n++] = a->valuestring;
	}
	argv[n] = NULL;
	if (!n)
		return agent_error(BPFCOST_ERR_USAGE, "exec needs \"argv\"");
	/* bpfcost's own tools are found beside the agent, wherever it is installed. */
	if (!strchr(argv[0], '/')) {
		snprintf(own, sizeof(own), "%s/%s", bpfcost_exe_dir(), argv[0]);
		if (!access(own, X_OK))
			argv[0] = own;
	}
	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_TO_STDOUT;
	/* Only a program that never started leaves -1: no wait status is. */
	timed_out = spawn_capture(argv, &o, timeout_s, NULL, &out, &status) != 0;
	if (timed_out && status == -1)
		return agent_error(BPFCOST_ERR_FAILURE, "fork: %s", strerror(errno));

	r = agent_ok();
	cJSON_AddNumberToObject(r, "exit", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	cJSON_AddBoolToObject(r, "timed_out", timed_out);
	cJSON_AddStringToObject(r, "output", buf);
	return r;
}
