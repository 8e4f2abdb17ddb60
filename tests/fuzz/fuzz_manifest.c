// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: manifest.json as --resume reads it (every setting back and
 * checked, calibration.args included, then each configuration name parsed
 * against the probes as the runner does before anything starts), and
 * IPERF_ARGS as iperf3 would read them, with the calibration's rate rewrite.
 * Nothing is started: see no_side_effects.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "experiments/workloads/iperf_args.h"
#include "experiments/workloads/iperf_calibration.h"
#include "experiments/manifest.h"
#include "experiments/matrix.h"

/* The probes in progs/: what the runner passes. */
static char *probes[] = { "map", "null", "spin", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512], out[1024];
	struct run_settings rs = { 0 };
	const char **names = NULL;
	cJSON *man;
	int count;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	man = cJSON_Parse(text);
	if (man) {
		if (!manifest_settings(man, &rs, &names, &count, err, sizeof(err))) {
			for (int i = 0; i < count; i++) {
				struct config c;

				config_parse(names[i], probes, &c, err, sizeof(err));
			}
		}
		free(names);
		cJSON_Delete(man);
	}
	if (!iperf_args_check(text, err, sizeof(err)))
		load_args_with_rate(text, 1e9, out, sizeof(out));
	load_streams(text);
	free(text);
	return 0;
}
