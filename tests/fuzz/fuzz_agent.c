// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: one agent request line, through the real dispatch and handlers.
 * "attach" and "exec" are parsed in full but cannot act: fork, exec and
 * bpfcost_attach are stubbed at link time (no_side_effects.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "loader/agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	cJSON_Delete(agent_handle(line));
	free(line);
	/* State kept between requests would make a crash depend on the ones before. */
	if (agent_attached()) {
		fprintf(stderr, "fuzz: the agent holds an attachment\n");
		abort();
	}
	return 0;
}
