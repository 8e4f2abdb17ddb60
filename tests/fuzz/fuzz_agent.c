// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: one agent request line. "attach" and "exec" act on the machine
 * (load BPF, run programs), so the harness passes their requests only when
 * they cannot succeed: no probe directory for attach, no argv for exec.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "loader/agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	const char *cmd;
	cJSON *req, *reply;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	req = cJSON_Parse(line);
	cmd = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "cmd"));
	if (cmd && (!strcmp(cmd, "exec") || !strcmp(cmd, "attach"))) {
		/* Parsed up to the action: keep argv out, point the probes nowhere. */
		cJSON_DeleteItemFromObjectCaseSensitive(req, "argv");
		cJSON_DeleteItemFromObjectCaseSensitive(req, "probe");
		free(line);
		line = cJSON_PrintUnformatted(req);
	}
	cJSON_Delete(req);
	if (line) {
		reply = agent_handle(line);
		cJSON_Delete(reply);
	}
	free(line);
	return 0;
}
