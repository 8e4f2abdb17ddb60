/* SPDX-License-Identifier: GPL-2.0 */
/* What the kprobe subsystem really did: mechanism, optimizer, instruction offsets. */
#ifndef BPFCOST_KPROBES_H
#define BPFCOST_KPROBES_H

#include <stdbool.h>
#include <stddef.h>

#define KPROBES_LIST	   "/sys/kernel/debug/kprobes/list"
#define KPROBES_OPT_SYSCTL "/proc/sys/debug/kprobes-optimization"

/* Whether this kernel can create kprobes at all (PMU or tracefs interface). */
bool kprobes_available(void);

/*
 * Finds @func+@offset in kprobes/list (mounting debugfs if needed) and returns
 * "ftrace", "optimized" or "int3", copying the raw line into @line. NULL if
 * the probe is not listed or the list is unreadable.
 */
const char *kprobes_mechanism(const char *func, unsigned long offset, bool ret, char *line,
			      size_t len);

/*
 * Offsets, in order of preference, that put a kprobe past the __fentry__ call
 * (after endbr64 when the kernel has IBT), so it is a breakpoint and not an
 * ftrace kprobe. The kernel refuses offsets off an instruction boundary, so
 * callers try each one until the attach succeeds. Returns the count.
 */
int kprobes_int3_offsets(unsigned long *offsets, int max);

/*
 * Turn the kprobe optimizer off while an int3 kprobe is attached, so the
 * breakpoint is not turned into a jump. Several loaders may hold it off at
 * once; the original value is restored when the last one lets go, and kept
 * on disk so that a loader killed with SIGKILL cannot leave it changed: the
 * next bpfcost start restores it (kprobes_optimizer_recover()).
 * Returns 1 when held (release it), 0 when there is no optimizer, -1 on error.
 */
int kprobes_optimizer_off(void);
void kprobes_optimizer_release(void);
/* Restore the sysctl if every holder is gone (SIGKILLed): call at start. */
void kprobes_optimizer_recover(void);

#endif /* BPFCOST_KPROBES_H */
