// SPDX-License-Identifier: GPL-2.0
/*
 * {"cmd":"serve","argv":[...],"port":N,"proto":"tcp"|"udp","timeout_s":S}:
 * start the server a workload declares, in the agent's own network namespace,
 * and reply once it is ready: a TCP socket listening on @port, or a UDP
 * socket bound to it (read from /proc/net, so no client connection is made).
 * The server dies with the agent (PR_SET_PDEATHSIG), so it never outlives
 * the run. Replies {"ok":true,"pid":P,"comm":"..."} or an error naming why.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"
#include "clock.h"
#include "spawn.h"

#define SERVE_MAX_ARGS	    32
#define SERVE_MAX_TIMEOUT_S 300
#define SERVE_DEFAULT_S	    20

/* TCP state 0A is LISTEN; an unconnected bound UDP socket shows state 07. */
static bool ready_in(const char *file, int port, const char *state)
{
	char path[512], line[512], want[16];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/self/net/%s", agent_sysroot(), file);
	snprintf(want, sizeof(want), ":%04X ", port);
	f = fopen(path, "re");
	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, want) && strstr(line, state);
	if (f)
		fclose(f);
	return found;
}

static bool ready(const char *proto, int port)
{
	if (!strcmp(proto, "tcp"))
		return ready_in("tcp", port, " 0A ") || ready_in("tcp6", port, " 0A ");
	return ready_in("udp", port, " 07 ") || ready_in("udp6", port, " 07 ");
}

static bool key_known(const char *k)
{
	return !strcmp(k, "cmd") || !strcmp(k, "id") || !strcmp(k, "argv") || !strcmp(k, "port") ||
	       !strcmp(k, "proto") || !strcmp(k, "timeout_s");
}

struct cJSON *agent_serve(const struct cJSON *req)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(req, "argv");
	const cJSON *port_v = cJSON_GetObjectItemCaseSensitive(req, "port");
	const cJSON *proto_v = cJSON_GetObjectItemCaseSensitive(req, "proto");
	const cJSON *to = cJSON_GetObjectItemCaseSensitive(req, "timeout_s");
	char *argv[SERVE_MAX_ARGS + 1], how[32];
	const char *proto, *base;
	struct spawn_opts o;
	double deadline;
	int n = 0, port, status;
	const cJSON *a;
	cJSON *r;
	pid_t pid;

	cJSON_ArrayForEach(a, req)
	{
		if (!a->string || !key_known(a->string))
			return agent_error(
				BPFCOST_ERR_USAGE,
				"serve: unknown field '%.40s'; usage: {\"cmd\":\"serve\","
				"\"argv\":[...],\"port\":N,\"proto\":\"tcp\"|\"udp\"}",
				a->string ?: "");
	}
	if (!cJSON_IsNumber(port_v) ||
	    !(port_v->valuedouble >= 1 && port_v->valuedouble <= 65535) ||
	    port_v->valuedouble != (int)port_v->valuedouble)
		return agent_error(BPFCOST_ERR_USAGE,
				   "serve: \"port\" must be a whole number, 1 to 65535");
	port = (int)port_v->valuedouble;
	proto = cJSON_GetStringValue(proto_v);
	if (!proto || (strcmp(proto, "tcp") && strcmp(proto, "udp")))
		return agent_error(BPFCOST_ERR_USAGE,
				   "serve: \"proto\" must be \"tcp\" or \"udp\"");
	if (to &&
	    !(cJSON_IsNumber(to) && to->valuedouble > 0 && to->valuedouble <= SERVE_MAX_TIMEOUT_S))
		return agent_error(BPFCOST_ERR_USAGE,
				   "serve: timeout_s: seconds above 0, at most %d",
				   SERVE_MAX_TIMEOUT_S);
	cJSON_ArrayForEach(a, args)
	{
		if (!cJSON_IsString(a) || !*a->valuestring || n == SERVE_MAX_ARGS)
			return agent_error(BPFCOST_ERR_USAGE,
					   "serve: argv: up to %d non-empty strings",
					   SERVE_MAX_ARGS);
		argv[n++] = a->valuestring;
	}
	argv[n] = NULL;
	if (!n)
		return agent_error(BPFCOST_ERR_USAGE, "serve needs \"argv\"");
	if (ready(proto, port))
		return agent_error(BPFCOST_ERR_FAILURE, "serve: %s port %d is in use already",
				   proto, port);

	deadline = bpfcost_now() + (to ? to->valuedouble : SERVE_DEFAULT_S);
	spawn_opts_init(&o); /* I/O to /dev/null: never onto the agent's channel */
	o.stderr_fd = SPAWN_INHERIT;
	pid = spawn(argv, &o);
	if (pid < 0)
		return agent_error(BPFCOST_ERR_FAILURE, "serve: cannot start %s: %s", argv[0],
				   strerror(errno));
	while (!ready(proto, port)) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return agent_error(BPFCOST_ERR_FAILURE,
					   "serve: %s ended (%s) before %s port %d was ready "
					   "(installed on the target?)",
					   argv[0], spawn_status_str(status, how, sizeof(how)),
					   proto, port);
		if (bpfcost_now() > deadline) {
			spawn_kill(pid, 1);
			return agent_error(BPFCOST_ERR_FAILURE,
					   "serve: %s not ready on %s port %d after %.0f s",
					   argv[0], proto, port,
					   to ? to->valuedouble : SERVE_DEFAULT_S);
		}
		usleep(5000);
	}
	base = strrchr(argv[0], '/');
	r = agent_ok();
	cJSON_AddNumberToObject(r, "pid", pid);
	cJSON_AddStringToObject(r, "comm", base ? base + 1 : argv[0]);
	return r;
}
