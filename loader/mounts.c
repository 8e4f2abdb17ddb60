// SPDX-License-Identifier: GPL-2.0
#include <sys/mount.h>
#include <unistd.h>

#include "mounts.h"

/* Mounts are left in place: they are harmless and other tools expect them. */
void ensure_tracefs(void)
{
	if (access("/sys/kernel/tracing/events", F_OK) &&
	    access("/sys/kernel/debug/tracing/events", F_OK))
		mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
}

void ensure_debugfs(void)
{
	if (access("/sys/kernel/debug/kprobes", F_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}
