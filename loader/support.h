/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attach support asked of the kernel before loading, as libbpf-tools does:
 * the program type (libbpf_probe_bpf_prog_type), the kernel config, and
 * vmlinux BTF (or tracefs) for the target function or tracepoint. Then a load
 * that fails for a type the kernel said it supports is the probe's error,
 * not an "unsupported" row.
 */
#ifndef BPFCOST_SUPPORT_H
#define BPFCOST_SUPPORT_H

#include <stddef.h>

#include <bpf/libbpf.h>

struct attach_type;

enum support {
	SUPPORT_UNKNOWN, /* the kernel does not expose enough to say: judge by errno after */
	SUPPORT_YES,	 /* every question the kernel answers said yes */
	SUPPORT_NO,	 /* one said no; why names it */
};

/*
 * @t with a program of @prog_type on @func (the target function; the
 * tracepoint types ignore it). @why: the answer that decided, for a message.
 */
enum support support_probe(const struct attach_type *t, enum bpf_prog_type prog_type,
			   const char *func, char *why, size_t len);

/* The kernel option the config sets to "n" among @t's, or NULL. */
const char *support_missing_option(const struct attach_type *t);

#endif /* BPFCOST_SUPPORT_H */
