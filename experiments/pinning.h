/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host CPU pinning for the guest target: each QEMU vCPU thread on a host CPU
 * of its own, the iperf3 client (and QEMU's other threads) on the CPUs left,
 * so the flood's sender never steals time from the guest it measures. The
 * plan is a pure function of the CPUs we may use and the vCPU thread count.
 */
#ifndef BPFCOST_PINNING_H
#define BPFCOST_PINNING_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PIN_MAX_CPUS	CPU_SETSIZE
#define PIN_MAX_THREADS 256

struct pin_plan {
	int nr_vcpu_threads;
	int vcpu_cpu[PIN_MAX_THREADS]; /* host CPU of vCPU thread i (in QEMU's order) */
	int nr_client_cpus;
	int client_cpus[PIN_MAX_CPUS]; /* the iperf3 client and QEMU's other threads */
};

/*
 * Plan for @nr_threads vCPU threads on the host CPUs @cpus (ascending, e.g.
 * from sched_getaffinity). 0 with @plan filled; -1 with @why saying why not
 * ("not pinned: 2 host CPUs available, need 3 (2 vCPU threads + 1 for the
 * iperf3 client)").
 */
int pin_plan(const int *cpus, int nr_cpus, int nr_threads, struct pin_plan *plan, char *why,
	     size_t whylen);

/* "0-3,6": a CPU list as /proc's *_list files write it. @cpus ascending. */
const char *pin_cpulist_str(const int *cpus, int n, char *buf, size_t len);
/* A CPU list back ("0-3,6", "1"); the count, or -1 when malformed. */
int pin_cpulist_parse(const char *s, int *cpus, int max);

/* The CPUs this process may run on, ascending; the count, or -1. */
int pin_available_cpus(int *cpus, int max);

/* One QEMU thread: its id, its name ("CPU 0/TCG", "ALL CPUs/TCG", ...). */
struct qemu_thread {
	pid_t tid;
	char name[32];
	bool vcpu; /* runs guest vCPUs */
};

/*
 * QEMU's threads from /proc/<pid>/task/<tid>/comm (needs -name ...,debug-threads=on),
 * vCPU threads first in vCPU order. The count, or -1.
 */
int pin_qemu_threads(pid_t pid, struct qemu_thread *out, int max);
/* Marks the vCPU threads among @n and puts them first, in vCPU order (KVM or TCG names). */
void pin_sort_threads(struct qemu_thread *t, int n);

#endif /* BPFCOST_PINNING_H */
