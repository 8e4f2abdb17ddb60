// SPDX-License-Identifier: GPL-2.0
/* Reply objects shared by every agent command, and the command dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"

struct cJSON *agent_ok(void)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddBoolToObject(r, "ok", true);
	return r;
}

struct cJSON *agent_error(int status, const char *fmt, ...)
{
	cJSON *r = cJSON_CreateObject();
	char msg[BPFCOST_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON_AddBoolToObject(r, "ok", false);
	cJSON_AddNumberToObject(r, "status", status);
	if (status == BPFCOST_ERR_UNSUPPORTED)
		cJSON_AddBoolToObject(r, "unsupported", true);
	cJSON_AddStringToObject(r, "error", msg);
	return r;
}

static const struct {
	const char *name;
	struct cJSON *(*fn)(const struct cJSON *req);
} commands[] = {
	{ "info", agent_info }, { "snmp", agent_snmp },	    { "attach", agent_attach },
	{ "read", agent_read }, { "detach", agent_detach }, { "exec", agent_exec },
	{ "bind", agent_bind }, { "serve", agent_serve },
};

struct cJSON *agent_handle(const char *line)
{
	cJSON *req = cJSON_Parse(line);
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(req, "cmd"), *id;
	cJSON *reply = NULL;
	size_t i;

	if (!cJSON_IsString(cmd)) {
		reply = agent_error(BPFCOST_ERR_USAGE, "request is not {\"cmd\":\"...\"}: %.80s",
				    line);
		goto out;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd->valuestring, commands[i].name))
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		reply = agent_error(
			BPFCOST_ERR_USAGE,
			"unknown cmd '%s' (info, snmp, attach, read, detach, exec, bind, serve)",
			cmd->valuestring);
		goto out;
	}
	reply = commands[i].fn(req);
out:
	/* Echo the request id so a host that timed out can skip a late reply. */
	id = cJSON_GetObjectItemCaseSensitive(req, "id");
	if (id)
		cJSON_AddItemToObject(reply, "id", cJSON_Duplicate(id, true));
	cJSON_Delete(req);
	return reply;
}
