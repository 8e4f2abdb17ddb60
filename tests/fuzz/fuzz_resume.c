// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: manifest.json as bpfcost-run --resume reads it, from a results
 * folder someone handed us: the settings and configuration names back from
 * the manifest (manifest_settings()), then each name parsed against the probes
 * as the runner does before anything starts. Nothing is started: see
 * no_side_effects.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/manifest.h"
#include "experiments/matrix.h"

/* The probes in progs/: what the runner passes. */
static char *probes[] = { "map", "null", "spin", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_settings rs = { 0 };
	const char **names = NULL;
	char err[512];
	int count = 0;
	cJSON *man;

	man = cJSON_ParseWithLength((const char *)data, size);
	if (!man)
		return 0;
	if (!manifest_settings(man, &rs, &names, &count)) {
		for (int i = 0; i < count; i++) {
			struct config c;

			config_parse(names[i], probes, &c, err, sizeof(err));
		}
	}
	free(names);
	cJSON_Delete(man);
	return 0;
}
