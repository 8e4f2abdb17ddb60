// SPDX-License-Identifier: GPL-2.0
/*
 * Known-cost control: busy-waits spin_ns per hit, so a run can check that it
 * detects a cost it was told about (bpfcost-loader --set spin_ns=N). Declared
 * so by BPFCOST_KNOWN_COST_NS on the variable: nothing keys on the name.
 */
#include "bpfcost_probe.h"

const volatile __u64 spin_ns BPFCOST_KNOWN_COST_NS = 1000;

static long spin_until(__u64 index, void *ctx)
{
	__u64 *deadline = ctx;

	return bpf_ktime_get_ns() >= *deadline; /* 1 stops bpf_loop */
}

static __always_inline int probe_body(void)
{
	__u64 deadline = bpf_ktime_get_ns() + spin_ns;

	/* bpf_loop keeps the verifier's work constant whatever spin_ns is. */
	bpf_loop(1 << 23, spin_until, &deadline, 0);
	return 0;
}
