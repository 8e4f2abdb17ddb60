// SPDX-License-Identifier: GPL-2.0
/* A run's manifest as flat facets for the comparison: what is labelled, what only warns. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/compare.h"
#include "analysis/escape.h"
#include "analysis/files.h"

static void put(struct cmp_run *r, const char *key, const char *value)
{
	struct cmp_facet *f;

	if (r->n_facets >= CMP_FACETS_MAX || !value)
		return;
	f = &r->facets[r->n_facets++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	/* Plain characters only: a facet is printed in every format. */
	esc_text_str(f->value, sizeof(f->value), value);
}

/* Strings, numbers and booleans under @o, keys joined by '.', at most @depth levels down. */
static void flatten(struct cmp_run *r, const char *prefix, const cJSON *o, int depth)
{
	const cJSON *it;
	char key[64], num[32];

	cJSON_ArrayForEach(it, o)
	{
		if (!it->string ||
		    snprintf(key, sizeof(key), "%s.%s", prefix, it->string) >= (int)sizeof(key))
			continue;
		if (cJSON_IsString(it))
			put(r, key, it->valuestring);
		else if (cJSON_IsBool(it))
			put(r, key, cJSON_IsTrue(it) ? "true" : "false");
		else if (cJSON_IsNumber(it) && isfinite(it->valuedouble)) {
			snprintf(num, sizeof(num), "%g", it->valuedouble);
			put(r, key, num);
		} else if (cJSON_IsObject(it) && depth > 0)
			flatten(r, key, it, depth - 1);
	}
}

static const cJSON *at(const cJSON *o, const char *a, const char *b, const char *c)
{
	o = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		o = cJSON_GetObjectItemCaseSensitive(o, b);
	if (c)
		o = cJSON_GetObjectItemCaseSensitive(o, c);
	return cJSON_IsObject(o) ? o : NULL;
}

void compare_facets_load(struct cmp_run *r, int dfd)
{
	const struct run_context *ctx = &r->run.ctx;
	const struct rec_metric *m = &r->run.metric;
	cJSON *root;

	r->n_facets = 0;
	put(r, "kernel", ctx->kernel);
	put(r, "target", ctx->target);
	put(r, "cpu", ctx->cpu);
	put(r, "accel", ctx->accel);
	put(r, "host_cpu", ctx->host_cpu);
	/* From the records, which every run has; the manifest is decoration. */
	put(r, "workload", ctx->workload);
	put(r, "metric", m->field);
	put(r, "unit", m->unit);
	put(r, "clock", m->clock[0] ? m->clock : ctx->clock);
	if (manifest_read_at(dfd, &root))
		return;
	flatten(r, "settings", at(root, "settings", NULL, NULL), 0);
	flatten(r, "host.tools", at(root, "host", "tools", NULL), 0);
	flatten(r, "host.environment", at(root, "host", "environment", NULL), 1);
	flatten(r, "target.environment", at(root, "target_info", "info", "environment"), 1);
	cJSON_Delete(root);
}
