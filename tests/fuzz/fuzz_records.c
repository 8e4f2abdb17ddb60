// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: one samples.jsonl line, as a results folder someone handed us may hold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), why[128];
	struct record r;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	record_parse(line, &r, why, sizeof(why));
	free(line);
	return 0;
}
