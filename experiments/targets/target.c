// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "target.h"

const struct target_ops *target_find(const char *name)
{
	const struct target_ops *const *t;

	for (t = target_registry; name && *t; t++)
		if (!strcmp((*t)->name, name))
			return *t;
	return NULL;
}

void target_names(char *buf, size_t len)
{
	const struct target_ops *const *t;
	size_t used = 0;

	buf[0] = '\0';
	for (t = target_registry; *t && used < len; t++)
		used += snprintf(buf + used, len - used, " %s", (*t)->name);
}

int target_arg_index(const struct target_ops *t, const char *name)
{
	int i;

	for (i = 0; i < TARGET_MAX_ARGS && t->args[i].name; i++)
		if (!strcmp(t->args[i].name, name))
			return i;
	return -1;
}
