/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included first by every probe in progs/. A probe defines only
 *	static __always_inline int probe_body(void);
 * and the build appends bpfcost_variants.bpf.h, which stamps that body into
 * one program per attach type.
 */
#ifndef BPFCOST_PROBE_H
#define BPFCOST_PROBE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * Marks the probe a known-cost control: the `const volatile` global it is
 * written on sets the nanoseconds each run adds, e.g.
 *	const volatile __u64 spin_ns BPFCOST_KNOWN_COST_NS = 1000;
 * A BTF decl tag: the runner reads it from the object, records the cost the
 * row sets, and the report checks the run saw it.
 */
#define BPFCOST_KNOWN_COST_NS __attribute__((btf_decl_tag("bpfcost_known_cost_ns")))

#endif /* BPFCOST_PROBE_H */
