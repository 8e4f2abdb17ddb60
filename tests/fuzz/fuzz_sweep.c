// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: sweep.json as bpfcost-report SWEEP_DIR reads it. Whatever it
 * accepts must be safe to use: every folder a plain name inside the sweep.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sweep_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), why[256];
	struct sweep_index s;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!sweep_index_parse(text, &s, why, sizeof(why)))
		for (size_t i = 0; i < s.n_runs; i++)
			/* a folder to open: a done run's always, another's when named */
			if ((s.runs[i].dir[0] || !strcmp(s.runs[i].status, "done")) &&
			    !sweep_index_dir_ok(s.runs[i].dir))
				abort();
	free(text);
	return 0;
}
