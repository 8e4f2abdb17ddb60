/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ELSE the host did during a sample: CPU pressure, CPU time of processes
 * that are not ours on the CPUs the sample uses, steal time. A snapshot before
 * and after a sample gives the figures for its window; judge() says whether
 * they disturbed it, so the runner can mark the sample and redo it.
 */
#ifndef BPFCOST_INTERFERENCE_H
#define BPFCOST_INTERFERENCE_H

#include <math.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct cJSON;

/* Counters at one instant; plain so tests can adjust t. Compare with diff(). */
struct interference_snap {
	double t;	/* CLOCK_MONOTONIC seconds, taken just before /proc/stat */
	long hz;	/* USER_HZ, the unit of every tick count below */
	cpu_set_t cpus; /* CPUs watched */
	int ncpus;
	bool busy_ok; /* every watched CPU's user, nice and system parsed */
	bool steal_ok;
	bool psi_ok;
	bool own_ok;			/* the root was found and every member of its tree parsed */
	unsigned long long busy;	/* user+nice+system of the watched CPUs, ticks */
	unsigned long long steal;	/* steal of the watched CPUs, ticks */
	unsigned long long psi_some_us; /* /proc/pressure/cpu "some" total */
	unsigned long long own;		/* utime+stime+cutime+cstime over our live tree, ticks */
	unsigned long long kthreads;	/* utime+stime of kernel threads (pid 2 and its children) */
	int nprocs;			/* processes read under /proc */
	int ntree;			/* of which ours */
	double cost_s;			/* what taking this snapshot cost */
};

/* Figures over one window (NAN: could not be read). */
struct interference {
	double elapsed_s;
	double psi_some_pct; /* host-wide CPU "some" pressure, % of the window */
	double foreign_cpu;  /* CPU-s/s on the watched CPUs used by processes not ours, >= 0;
				kernel threads excluded */
	double kthread_cpu;  /* CPU-s/s of kernel threads (softirqs, kworkers: mostly ours) */
	double own_cpu;	     /* CPU-s/s used by our process tree (wherever it ran) */
	double steal_pct;    /* steal on the watched CPUs, % of elapsed * ncpus */
	int ncpus;
};

/* A limit of NAN disables that criterion. */
struct interference_limits {
	double foreign_cpu;
	double steal_pct;
	double psi_some_pct;
};

/*
 * Our own threads make PSI nonzero on a small machine, so it is recorded but
 * not judged by default.
 */
#define INTERFERENCE_LIMITS_DEFAULT                                                                \
	((const struct interference_limits){                                                       \
		.foreign_cpu = 0.25, .steal_pct = 5.0, .psi_some_pct = NAN })

/*
 * Snapshot the counters. Ours: @root and all its descendants (by /proc ppid
 * links). @cpus NULL or @ncpus 0: all online CPUs. Returns 0 (figures that
 * could not be read become NAN in diff()), -EINVAL for a CPU out of range.
 * Our tree's time is subtracted wherever it ran: watch every CPU it uses, or
 * foreign_cpu reads low. A child orphaned out of the tree takes its time with
 * it (own_cpu then clamps at 0); PR_SET_CHILD_SUBREAPER on the root prevents that.
 */
int interference_snap(struct interference_snap *s, pid_t root, const int *cpus, int ncpus);
/* The same on a /proc tree rooted at @procdir (tests point it at a fake one). */
int interference_snap_at(const char *procdir, struct interference_snap *s, pid_t root,
			 const int *cpus, int ncpus);
/* Figures for the window from @a to @b (both taken with the same root and CPUs). */
void interference_diff(const struct interference_snap *a, const struct interference_snap *b,
		       struct interference *out);
/* Figures from @a (taken with @root, all CPUs) to now. */
void interference_since(const struct interference_snap *a, pid_t root, struct interference *out);
/*
 * True if a criterion exceeds its limit; @why (may be NULL) then says which,
 * e.g. "other processes used 0.62 CPU (limit 0.25)", else it is "". A NAN
 * figure is never judged disturbed.
 */
bool interference_judge(const struct interference *f, const struct interference_limits *lim,
			char *why, size_t len);
/*
 * Adds "interference": {elapsed_s, psi_some_pct, foreign_cpu, own_cpu,
 * steal_pct, ncpus} (null for NAN), "disturbed" and, if disturbed,
 * "disturbed_why" to @rec, replacing any earlier ones.
 */
void interference_to_json(const struct interference *f, bool disturbed, const char *why,
			  struct cJSON *rec);

#endif /* BPFCOST_INTERFERENCE_H */
