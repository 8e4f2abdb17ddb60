// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinning.h"

int pin_plan(const int *cpus, int nr_cpus, int nr_threads, struct pin_plan *plan, char *why,
	     size_t whylen)
{
	int need = nr_threads + 1, i;

	memset(plan, 0, sizeof(*plan));
	if (nr_threads <= 0) {
		snprintf(why, whylen, "not pinned: no QEMU vCPU thread found");
		return -1;
	}
	if (nr_threads > PIN_MAX_THREADS || nr_cpus > PIN_MAX_CPUS) {
		snprintf(why, whylen, "not pinned: %d vCPU threads on %d host CPUs is beyond %d/%d",
			 nr_threads, nr_cpus, PIN_MAX_THREADS, PIN_MAX_CPUS);
		return -1;
	}
	if (nr_cpus < need) {
		snprintf(why, whylen,
			 "not pinned: %d host CPU%s available, need %d (%d vCPU thread%s + 1 for "
			 "the iperf3 client)",
			 nr_cpus, nr_cpus == 1 ? "" : "s", need, nr_threads,
			 nr_threads == 1 ? "" : "s");
		return -1;
	}
	/*
	 * The vCPU threads take the highest CPUs, the client everything below:
	 * CPU 0 is where a host tends to put its own housekeeping and device
	 * interrupts, better shared with the sender than with the guest.
	 */
	plan->nr_vcpu_threads = nr_threads;
	for (i = 0; i < nr_threads; i++)
		plan->vcpu_cpu[i] = cpus[nr_cpus - nr_threads + i];
	plan->nr_client_cpus = nr_cpus - nr_threads;
	for (i = 0; i < plan->nr_client_cpus; i++)
		plan->client_cpus[i] = cpus[i];
	return 0;
}

const char *pin_cpulist_str(const int *cpus, int n, char *buf, size_t len)
{
	size_t used = 0;
	int i = 0;

	buf[0] = '\0';
	while (i < n && used < len) {
		int j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		if (j == i)
			used += snprintf(buf + used, len - used, "%s%d", used ? "," : "", cpus[i]);
		else
			used += snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "",
					 cpus[i], cpus[j]);
		i = j + 1;
	}
	return buf;
}

int pin_cpulist_parse(const char *s, int *cpus, int max)
{
	int n = 0;

	while (*s && *s != '\n') {
		char *end;
		long a, b;

		if (!isdigit((unsigned char)*s))
			return -1;
		a = b = strtol(s, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -1;
			b = strtol(end + 1, &end, 10);
		}
		if (a > b || b >= PIN_MAX_CPUS)
			return -1;
		for (; a <= b; a++) {
			if (n == max)
				return -1;
			cpus[n++] = (int)a;
		}
		if (*end == ',')
			end++;
		else if (*end && *end != '\n')
			return -1;
		s = end;
	}
	return n;
}

int pin_available_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int i, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (i = 0; i < CPU_SETSIZE && n < max; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
	return n;
}

/* "CPU 3/TCG" -> 3, "ALL CPUs/TCG" (single-threaded TCG) -> 0; -1: not a vCPU thread. */
static int vcpu_index(const char *name)
{
	char *end;
	long v;

	if (!strncmp(name, "ALL CPUs/", 9))
		return 0;
	if (strncmp(name, "CPU ", 4) || !isdigit((unsigned char)name[4]))
		return -1;
	v = strtol(name + 4, &end, 10);
	return *end == '/' && v < 1000000 ? (int)v : -1;
}

static int by_vcpu(const void *a, const void *b)
{
	const struct qemu_thread *x = a, *y = b;
	int ix = x->vcpu ? vcpu_index(x->name) : 1 << 30;
	int iy = y->vcpu ? vcpu_index(y->name) : 1 << 30;

	return ix != iy ? (ix < iy ? -1 : 1) : (x->tid < y->tid ? -1 : x->tid > y->tid);
}

int pin_qemu_threads(pid_t pid, struct qemu_thread *out, int max)
{
	char path[64];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		char comm[80];
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(comm, sizeof(comm), "/proc/%d/task/%.20s/comm", (int)pid, e->d_name);
		f = fopen(comm, "r");
		if (!f)
			continue; /* the thread ended meanwhile */
		if (!fgets(out[n].name, sizeof(out[n].name), f))
			out[n].name[0] = '\0';
		fclose(f);
		out[n].name[strcspn(out[n].name, "\n")] = '\0';
		out[n].tid = (pid_t)atoi(e->d_name);
		n++;
	}
	closedir(d);
	pin_sort_threads(out, n);
	return n;
}

void pin_sort_threads(struct qemu_thread *t, int n)
{
	int i;

	for (i = 0; i < n; i++)
		t[i].vcpu = vcpu_index(t[i].name) >= 0;
	qsort(t, n, sizeof(*t), by_vcpu);
}
