// SPDX-License-Identifier: GPL-2.0
/*
 * The workload registry: each file here ends with BPFCOST_WORKLOAD(), which
 * puts a pointer in the "bpfcost_workloads" section; the linker brackets it
 * with __start_/__stop_ symbols, so every workload linked in is registered,
 * however its definition is written.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/registry_walk.h"
#include "workload.h"

REGISTRY_DEFINE(workload, workloads, "experiments/workloads/*.c", "WORKLOAD", 64)

REGISTRY_ARG_LAYOUT(struct workload_arg);

const struct server_spec *workload_server(const struct workload_ops *w)
{
	return w && w->server.argv[0] ? &w->server : NULL;
}

int workload_default_n(const struct workload_ops *w, const char *clock)
{
	if (clock && !strcmp(clock, "instructions") && w->default_n_instructions)
		return w->default_n_instructions;
	return w->default_n;
}

int workload_arg_index(const struct workload_ops *w, const char *name)
{
	return registry_arg_index(w->args, sizeof(w->args[0]), WORKLOAD_MAX_ARGS, name);
}

cJSON *workload_metric_json(const struct workload_ops *w, const char *clock)
{
	const struct metric *mt = &w->metric;
	bool instructions = clock && !strcmp(clock, "instructions") && mt->unit_instructions;
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "name", mt->name);
	cJSON_AddStringToObject(m, "field", mt->field);
	cJSON_AddStringToObject(m, "unit", instructions ? mt->unit_instructions : mt->unit);
	cJSON_AddNumberToObject(m, "scale", mt->scale);
	cJSON_AddBoolToObject(m, "higher_is_better", mt->higher_is_better);
	cJSON_AddStringToObject(m, "event", w->event);
	cJSON_AddStringToObject(m, "clock", clock ? clock : "real");
	if (mt->quantile > 0)
		cJSON_AddNumberToObject(m, "quantile", mt->quantile);
	if (w->also[0].name) {
		cJSON *also = cJSON_AddArrayToObject(m, "also");
		int i;

		for (i = 0; i < WORKLOAD_MAX_ALSO && w->also[i].name; i++) {
			cJSON *a = cJSON_CreateObject();

			cJSON_AddStringToObject(a, "name", w->also[i].name);
			cJSON_AddStringToObject(a, "field", w->also[i].field);
			cJSON_AddBoolToObject(a, "terminal", w->also[i].terminal);
			if (w->also[i].quantile > 0)
				cJSON_AddNumberToObject(a, "quantile", w->also[i].quantile);
			cJSON_AddItemToArray(also, a);
		}
		if (w->absent)
			cJSON_AddStringToObject(m, "absent", w->absent);
	}
	return m;
}
