/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach types bpfcost knows: one const row each, holding everything the
 * loader does differently for it. Other users walk the rows with
 * attach_type_at() for names, families and mechanisms.
 */
#ifndef BPFCOST_ATTACH_TYPES_H
#define BPFCOST_ATTACH_TYPES_H

#include <stdbool.h>

struct bpf_link;
struct bpfcost_session;

/* What vmlinux BTF must hold for the type to load (support.c asks before loading). */
enum attach_btf {
	ATTACH_BTF_NONE,
	ATTACH_BTF_FUNC,       /* the target function (fentry, fexit) */
	ATTACH_BTF_TRACEPOINT, /* btf_trace_<tracepoint> (tp_btf) */
};

struct attach_type {
	const char *name;   /* as used in matrices: "kprobe-fprobe" */
	const char *prog;   /* program name in progs/include/bpfcost_variants.bpf.h */
	const char *family; /* "tracepoint", "kprobe", "fprobe" or "trampoline" */
	/* Before load; a negative errno is reported as a failed "target lookup". NULL: none. */
	int (*prepare)(struct bpfcost_session *s);
	/* Attach the loaded program: the link, or NULL with errno set. */
	struct bpf_link *(*attach)(struct bpfcost_session *s);
	/* Asked after a failure: false means this kernel cannot, whatever errno says. */
	bool (*available)(void);
	/*
	 * CONFIG_ names without the prefix, NULL-terminated, most specific last;
	 * one the kernel config sets to "n" explains a failure. NULL: none.
	 */
	const char *const *config;
	enum attach_btf btf;
	const char *needs;	    /* the kernel feature, for people: the hint when unsupported */
	const char *mechanism;	    /* what the kernel does; NULL: ask kprobes/list */
	const char *want_mechanism; /* if set, any other mechanism means unsupported */
	bool on_function;	    /* attaches to the target function (else the tracepoint) */
	bool on_return;		    /* runs when the function returns */
	bool reports_offset;	    /* the result carries the probe's offset into the function */
};

/* The tracepoint every tracepoint-family type uses: once per receive call. */
#define BPFCOST_TP_CATEGORY  "sock"
#define BPFCOST_TP_NAME	     "sock_recv_length"
#define BPFCOST_DEFAULT_FUNC "udp_recvmsg"

const struct attach_type *attach_type_find(const char *name);
const struct attach_type *attach_type_at(int i); /* NULL past the end */

/*
 * The kernel config options a result records, without "CONFIG_", each once,
 * NULL-terminated: every option an attach type's row names (so a new row's
 * option is recorded too), then a few that explain a measurement (the JIT,
 * preemption, HZ). The host's manifest and the guest agent's info both use it.
 */
const char *const *attach_config_options(void);

#endif /* BPFCOST_ATTACH_TYPES_H */
