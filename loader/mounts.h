/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel interfaces bpfcost reads live in pseudo filesystems a minimal system may lack. */
#ifndef BPFCOST_MOUNTS_H
#define BPFCOST_MOUNTS_H

/* Mount tracefs at /sys/kernel/tracing unless it is there (tracepoint ids live in it). */
void ensure_tracefs(void);

/* Mount debugfs at /sys/kernel/debug unless it is there (kprobes/list lives in it). */
void ensure_debugfs(void);

#endif /* BPFCOST_MOUNTS_H */
