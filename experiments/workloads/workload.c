// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "workload.h"

const struct workload_ops *workload_find(const char *name)
{
	const struct workload_ops *const *w;

	for (w = workload_registry; name && *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}

void workload_names(char *buf, size_t len)
{
	const struct workload_ops *const *w;
	size_t used = 0;

	buf[0] = '\0';
	for (w = workload_registry; *w && used < len; w++)
		used += snprintf(buf + used, len - used, " %s", (*w)->name);
}

int workload_arg_index(const struct workload_ops *w, const char *name)
{
	int i;

	for (i = 0; i < WORKLOAD_MAX_ARGS && w->args[i].name; i++)
		if (!strcmp(w->args[i].name, name))
			return i;
	return -1;
}

cJSON *workload_metric_json(const struct workload_ops *w, const char *const *values,
			    const char *clock)
{
	const struct metric *mt = w->metric_of && values ? w->metric_of(values) : &w->metric;
	bool instructions = clock && !strcmp(clock, "instructions") && mt->unit_instructions;
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "name", mt->name);
	cJSON_AddStringToObject(m, "field", mt->field);
	cJSON_AddStringToObject(m, "unit", instructions ? mt->unit_instructions : mt->unit);
	cJSON_AddNumberToObject(m, "scale", mt->scale);
	cJSON_AddBoolToObject(m, "higher_is_better", mt->higher_is_better);
	cJSON_AddStringToObject(m, "event", w->event);
	cJSON_AddStringToObject(m, "clock", clock ? clock : "real");
	return m;
}
