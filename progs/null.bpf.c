// SPDX-License-Identifier: GPL-2.0
/* The empty probe: what attaching costs when the program does nothing. */
#include "bpfcost_probe.h"

static __always_inline int probe_body(void)
{
	return 0;
}
