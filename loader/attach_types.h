/* SPDX-License-Identifier: GPL-2.0 */
/* The attach types bpfcost knows, and what each needs from the kernel. */
#ifndef BPFCOST_ATTACH_TYPES_H
#define BPFCOST_ATTACH_TYPES_H

#include <stdbool.h>

enum attach_kind {
	KIND_TP,	     /* classic tracepoint sock:sock_recv_length */
	KIND_RAW_TP,	     /* raw tracepoint, same event */
	KIND_TP_BTF,	     /* BTF-typed raw tracepoint, same event */
	KIND_KPROBE_INT3,    /* kprobe at an offset past __fentry__: a breakpoint */
	KIND_KPROBE_FTRACE,  /* kprobe at offset 0: rides the ftrace call site */
	KIND_KRETPROBE,	     /* return probe */
	KIND_KPROBE_MULTI,   /* kprobe.multi: fprobe */
	KIND_KRETPROBE_MULTI,/* kretprobe.multi: fprobe exit */
	KIND_FENTRY,	     /* BPF trampoline, entry */
	KIND_FEXIT,	     /* BPF trampoline, exit */
};

struct attach_type {
	const char *name;    /* as used in matrices: "kprobe-fprobe" */
	const char *prog;    /* program name in progs/include/bpfcost_variants.bpf.h */
	enum attach_kind kind;
	bool on_function;    /* attaches to the target function (else the tracepoint) */
	const char *needs;   /* kernel feature it needs: the hint when unsupported */
};

/* The tracepoint every tracepoint-family type uses: once per receive call. */
#define BPFCOST_TP_CATEGORY "sock"
#define BPFCOST_TP_NAME	    "sock_recv_length"
#define BPFCOST_DEFAULT_FUNC "udp_recvmsg"

const struct attach_type *attach_type_find(const char *name);
const struct attach_type *attach_type_at(int i); /* NULL past the end */

/* Mechanism when it follows from the type alone (NULL for kprobes: ask the kernel). */
const char *attach_type_static_mechanism(const struct attach_type *t);

#endif /* BPFCOST_ATTACH_TYPES_H */
