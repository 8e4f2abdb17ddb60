// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/context.h"
#include "loader/json_get.h"

/* Member @key of @o (a path of objects) as a string into @out, cut to fit; "" if not one. */
static void take(char *out, size_t len, const cJSON *o, const char *const *path)
{
	const char *s;

	for (; path[1]; path++)
		o = cJSON_GetObjectItemCaseSensitive(o, path[0]);
	s = cJSON_IsObject(o) ? json_str(o, path[0]) : NULL;
	snprintf(out, len, "%s", s ? s : "");
}

#define TAKE(out, o, ...) take(out, sizeof(out), o, (const char *const[]){ __VA_ARGS__, NULL })

void context_load(struct run_context *ctx, const cJSON *m)
{
	long long n;

	memset(ctx, 0, sizeof(*ctx));
	TAKE(ctx->workload, m, "workload", "name");
	TAKE(ctx->target, m, "target");
	TAKE(ctx->kernel, m, "target_info", "info", "kernel_release");
	TAKE(ctx->cpu, m, "target_info", "info", "cpu_model");
	TAKE(ctx->host_cpu, m, "host", "cpu_model");
	TAKE(ctx->accel, m, "target_info", "accel");
	TAKE(ctx->clock, m, "clock");
	TAKE(ctx->func, m, "settings", "func");
	/* The runner's own bounds: anything else is not a count of samples. */
	ctx->n = json_int(m, "N", 1, 1000000, &n) ? (double)n : NAN;
}
