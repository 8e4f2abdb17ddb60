// SPDX-License-Identifier: GPL-2.0
/*
 * Where the agent finds /proc and /sys: "" (the real ones). A file of its
 * own so the fuzz build can replace it at link time (tests/fuzz/fuzz.mk) and
 * no fuzzed request can write to the machine's /proc.
 */
#include "agent.h"

const char *agent_sysroot(void)
{
	return "";
}
