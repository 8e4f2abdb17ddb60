// SPDX-License-Identifier: GPL-2.0
/*
 * Run one command on the target and return its output: the trigger workload's
 * loop, and diagnostics (tracefs, kprobes/list) without a guest shell.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"

#define EXEC_MAX_ARGS	   32
#define EXEC_MAX_OUTPUT	   (256 * 1024)
#define EXEC_MAX_TIMEOUT_S 86400

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct cJSON *agent_exec(const struct cJSON *req)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(req, "argv");
	const cJSON *to = cJSON_GetObjectItemCaseSensitive(req, "timeout_s");
	double deadline;
	static char out[EXEC_MAX_OUTPUT + 1];
	char *argv[EXEC_MAX_ARGS + 1], own[4096];
	int n = 0, pfd[2], status = 0;
	bool timed_out = false;
	size_t len = 0;
	const cJSON *a;
	cJSON *r;
	pid_t pid;

	/* Bounded here: a deadline of 1e300 s made the poll timeout undefined. */
	if (to &&
	    !(cJSON_IsNumber(to) && to->valuedouble > 0 && to->valuedouble <= EXEC_MAX_TIMEOUT_S))
		return agent_error(BPFCOST_ERR_USAGE, "timeout_s: seconds above 0, at most %d",
				   EXEC_MAX_TIMEOUT_S);
	deadline = now_s() + (to ? to->valuedouble : 10);
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
	if (pipe(pfd))
		return agent_error(BPFCOST_ERR_FAILURE, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return agent_error(BPFCOST_ERR_FAILURE, "fork: %s", strerror(errno));
	}
	if (!pid) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		double left = deadline - now_s();
		ssize_t got;

		if (left <= 0) {
			timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		got = read(pfd[0], out + len, len < EXEC_MAX_OUTPUT ? EXEC_MAX_OUTPUT - len : 0);
		if (got <= 0 && len < EXEC_MAX_OUTPUT)
			break;
		len += got > 0 ? got : 0;
		if (len == EXEC_MAX_OUTPUT) {
			char sink[4096];

			if (read(pfd[0], sink, sizeof(sink)) <= 0)
				break;
		}
	}
	close(pfd[0]);
	waitpid(pid, &status, 0);
	out[len] = '\0';

	r = agent_ok();
	cJSON_AddNumberToObject(r, "exit", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	cJSON_AddBoolToObject(r, "timed_out", timed_out);
	cJSON_AddStringToObject(r, "output", out);
	return r;
}
