// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kconfig.h"
#include "kprobes.h"
#include "mounts.h"

bool kprobes_available(void)
{
	ensure_tracefs();
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

static FILE *open_kprobes_list(void)
{
	ensure_debugfs();
	return fopen(KPROBES_LIST, "r");
}

static bool is_func_plus(const char *sym, const char *func, const char *suffix)
{
	size_t n = strlen(func);

	return !strncmp(sym, func, n) && !strcmp(sym + n, suffix);
}

const char *kprobes_mechanism(const char *func, unsigned long offset, bool ret, char *line,
			      size_t len)
{
	char want[160], buf[512], sym[160], type[8];
	const char *mech = NULL;
	FILE *f = open_kprobes_list();

	if (!f)
		return NULL;
	if (offset)
		snprintf(want, sizeof(want), "%s+0x%lx", func, offset);
	else
		snprintf(want, sizeof(want), "%s+0x0", func);
	/* Lines look like: "ffffffff81b5e2a9  k  udp_recvmsg+0x9    [FTRACE]" */
	while (fgets(buf, sizeof(buf), f)) {
		if (sscanf(buf, "%*s %7s %159s", type, sym) != 2)
			continue;
		if (strcmp(type, ret ? "r" : "k"))
			continue;
		/*
		 * Offset 0 may be listed as plain "func", and with IBT the kernel
		 * moves it past endbr64 to "func+0x4".
		 */
		if (strcmp(sym, want) &&
		    (offset || (strcmp(sym, func) && !is_func_plus(sym, func, "+0x4"))))
			continue;
		if (strstr(buf, "[FTRACE]"))
			mech = "ftrace";
		else if (strstr(buf, "[OPTIMIZED]"))
			mech = "optimized";
		else
			mech = "int3";
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(line, len, "%s", buf);
		break;
	}
	fclose(f);
	return mech;
}

int kprobes_int3_offsets(unsigned long *offsets, int max)
{
	/* endbr64 is 4 bytes and the __fentry__ call 5. */
	const char *ibt = kconfig_get("X86_KERNEL_IBT");
	int n = 0;

	if (max < 2)
		return 0;
	if (ibt && !strcmp(ibt, "y")) {
		offsets[n++] = 9;
	} else if (ibt) {
		offsets[n++] = 5;
	} else {
		/* No config to read: let the kernel's boundary check decide. */
		offsets[n++] = 5;
		offsets[n++] = 9;
	}
	return n;
}
