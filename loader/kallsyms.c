// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "kallsyms.h"

bool kallsyms_has_function(const char *name)
{
	char line[512], type, sym[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return true; /* cannot tell: let the kernel answer at attach time */
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, sym) != 2)
			continue;
		found = (type == 't' || type == 'T') && !strcmp(sym, name);
	}
	fclose(f);
	return found;
}
