// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: an iperf3 -J report (the runner parses what iperf3 printed). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/workloads/iperf_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *json = malloc(size + 1), err[256];
	struct iperf_result r;

	if (!json)
		return 0;
	memcpy(json, data, size);
	json[size] = '\0';
	iperf_parse(json, &r, err, sizeof(err));
	free(json);
	return 0;
}
