// SPDX-License-Identifier: GPL-2.0
/* The registry walker shared by targets and workloads (see registry_walk.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry_walk.h"

/* Every registered ops struct starts with its name. */
static const char *name_of(const void *entry)
{
	return *(const char *const *)entry;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(name_of(*(const void *const *)a), name_of(*(const void *const *)b));
}

const void *const *registry_list(struct registry *r)
{
	const void *const *p;
	size_t i;

	if (r->n)
		return r->list;
	for (p = r->start; p < r->stop; p++) {
		if (r->n == r->max) {
			fprintf(stderr, "bpfcost: more than %zu %s registered\n", r->max, r->what);
			exit(2);
		}
		r->list[r->n++] = *p;
	}
	qsort(r->list, r->n, sizeof(r->list[0]), by_name);
	for (i = 1; i < r->n; i++)
		if (!strcmp(name_of(r->list[i - 1]), name_of(r->list[i]))) {
			fprintf(stderr,
				"bpfcost: two %s are named '%s' (%s): each %s name must be "
				"unique\n",
				r->what, name_of(r->list[i]), r->where, r->key);
			exit(2);
		}
	return r->list;
}

const void *registry_find(struct registry *r, const char *name)
{
	const void *const *e;

	for (e = registry_list(r); name && *e; e++)
		if (!strcmp(name_of(*e), name))
			return *e;
	return NULL;
}

void registry_names(struct registry *r, char *buf, size_t len)
{
	const void *const *e;
	size_t used = 0;

	buf[0] = '\0';
	for (e = registry_list(r); *e && used < len; e++)
		used += snprintf(buf + used, len - used, " %s", name_of(*e));
}

const struct arg_head *registry_arg(const void *args, size_t size, int n, int i)
{
	const struct arg_head *a = (const void *)((const char *)args + (size_t)i * size);

	return i >= 0 && i < n && a->name ? a : NULL;
}

int registry_arg_index(const void *args, size_t size, int n, const char *name)
{
	const struct arg_head *a;
	int i;

	for (i = 0; (a = registry_arg(args, size, n, i)); i++)
		if (!strcmp(a->name, name))
			return i;
	return -1;
}
