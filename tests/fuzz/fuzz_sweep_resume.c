// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: sweep.json as RESUME of a kernel sweep reads it (schema, runs,
 * statuses, names, then the shared settings split again), and the same text
 * as a KERNELS list (ranges against a fixed registry list). Nothing is
 * started: see no_side_effects.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "experiments/kernels.h"
#include "experiments/sweep.h"
#include "experiments/sweep_args.h"

static int fixed_list(void *arg, char *buf, size_t len, char *err, size_t errlen)
{
	(void)arg;
	(void)err;
	(void)errlen;
	snprintf(buf, len, "6.1.0-50\n6.1.0-57\n6.12.107+deb12\n6.12.117+deb12\n");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sweep s = { .kind = "kernels", .variable = "kernel" };
	static struct kernel_list kl;
	char *text = malloc(size + 1), err[1024];
	struct sweep_args a;
	cJSON *j;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	j = cJSON_Parse(text);
	if (j && !sweep_parse(&s, j, err, sizeof(err))) {
		sweep_args_from_json(s.settings, &a, err, sizeof(err));
		sweep_free(&s);
	}
	cJSON_Delete(j);
	kernels_parse(text, fixed_list, NULL, &kl, err, sizeof(err));
	free(text);
	return 0;
}
