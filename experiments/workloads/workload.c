// SPDX-License-Identifier: GPL-2.0
/*
 * The workload registry: each file here ends with BPFCOST_WORKLOAD(), which
 * puts a pointer in the "bpfcost_workloads" section; the linker brackets it
 * with __start_/__stop_ symbols, so every workload linked in is registered,
 * however its definition is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "workload.h"

extern const struct workload_ops *const __start_bpfcost_workloads[];
extern const struct workload_ops *const __stop_bpfcost_workloads[];

#define MAX_WORKLOADS 64

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct workload_ops *const *)a)->name,
		      (*(const struct workload_ops *const *)b)->name);
}

const struct workload_ops *const *workload_list(void)
{
	static const struct workload_ops *list[MAX_WORKLOADS + 1];
	static size_t n;
	const struct workload_ops *const *p;
	size_t i;

	if (n)
		return list;
	for (p = __start_bpfcost_workloads; p < __stop_bpfcost_workloads; p++) {
		if (n == MAX_WORKLOADS) {
			fprintf(stderr, "bpfcost: more than %d workloads registered\n",
				MAX_WORKLOADS);
			exit(2);
		}
		list[n++] = *p;
	}
	qsort(list, n, sizeof(list[0]), by_name);
	for (i = 1; i < n; i++)
		if (!strcmp(list[i - 1]->name, list[i]->name)) {
			fprintf(stderr,
				"bpfcost: two workloads are named '%s' "
				"(experiments/workloads/*.c): "
				"each WORKLOAD name must be unique\n",
				list[i]->name);
			exit(2);
		}
	return list;
}

/* Checked before main: a duplicate name is an error at startup, whatever runs. */
__attribute__((constructor)) static void check_workloads(void)
{
	workload_list();
}

const struct server_spec *workload_server(const struct workload_ops *w)
{
	return w && w->server.argv[0] ? &w->server : NULL;
}

const struct workload_ops *workload_find(const char *name)
{
	const struct workload_ops *const *w;

	for (w = workload_list(); name && *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}

void workload_names(char *buf, size_t len)
{
	const struct workload_ops *const *w;
	size_t used = 0;

	buf[0] = '\0';
	for (w = workload_list(); *w && used < len; w++)
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
