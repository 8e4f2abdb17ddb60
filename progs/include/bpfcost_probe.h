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

#endif /* BPFCOST_PROBE_H */
