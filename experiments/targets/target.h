/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Target: where the probed kernel runs. The runner and a sample use only this
 * interface: run an agent request, get the traffic endpoint, describe the
 * target for the manifest, stop. Each implementation is one file here that
 * defines `const struct target_ops <name>_target`; the build finds it (no list
 * to edit).
 */
#ifndef BPFCOST_TARGET_H
#define BPFCOST_TARGET_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct cJSON;

#define SERVER_MAX_ARGV 16

/*
 * A server a workload needs on the target, declared in the workload's file:
 * the target starts it (through its agent, where the probed kernel runs) and
 * never knows which workload asked.
 */
struct server_spec {
	/*
	 * NULL-terminated; argv[0] NULL: no server. "{addr}" in an argument
	 * becomes the target's receiving IPv4 address, "{port}" @port.
	 */
	const char *argv[SERVER_MAX_ARGV];
	int port;
	const char *proto; /* "tcp": ready once listening; "udp": once bound */
	/* The process whose CPU a target binds (/proc/PID/comm); NULL: argv[0]'s. */
	const char *comm;
};

/* How to start a target, from the run's options; each target uses what it needs. */
struct target_options {
	const char *accel;	     /* guest: auto, kvm, tcg */
	const char *topology;	     /* guest: tap, user */
	int vcpus, mem_mb;	     /* guest */
	const char *qemu;	     /* guest: QEMU binary; NULL: the default */
	const char *clock;	     /* "real", or "instructions": guest time counts instructions */
	volatile sig_atomic_t *stop; /* Ctrl-C: starting and calls give up promptly */
	/*
	 * guest: pin QEMU's vCPU threads and the traffic client to disjoint host
	 * CPUs (when there are enough); bind the workload's server and NIC
	 * interrupts to different vCPUs. Both are recorded in the manifest.
	 */
	bool pin, bind;
	/* The workload's server, started on the target before any sample; NULL: none. */
	const struct server_spec *server;
	/* The target's declared arguments (target_ops.args), one value each, in order. */
	const char *const *values;
};

/* A setting the target declares: --target-arg name=value, TARGET_ARGS="name=value ...". */
struct target_arg {
	const char *name;
	const char *dflt;
	const char *help;
	/* Optional: 0, or -1 with @err naming the value and what is valid. */
	int (*validate)(const char *value, char *err, size_t errlen);
};

#define TARGET_MAX_ARGS 8

/* Where a client on this machine sends to reach the target's server. */
struct traffic_endpoint {
	char host[64];
	int port;		 /* the server's, as seen from the client; 0: no server */
	int netns_fd;		 /* the client joins this network namespace first; -1: stay */
	bool pin_client;	 /* the client runs only on @client_cpus */
	bool client_same_kernel; /* the client's sockets are the target kernel's too */
	cpu_set_t client_cpus;	 /* host CPUs, disjoint from the guest's vCPU threads */
};

struct target;

struct target_ops {
	const char *name;			 /* as in TARGET=<name> */
	const char *summary;			 /* one line for --help */
	struct target_arg args[TARGET_MAX_ARGS]; /* ends at the first without a name */
	int (*start)(const struct target_options *s, struct target **out, char *err, size_t errlen);
	/* One agent request, one reply (caller frees), or NULL with @err. */
	struct cJSON *(*call)(struct target *t, const struct cJSON *req, int timeout_s, char *err,
			      size_t errlen);
	void (*endpoint)(struct target *t, struct traffic_endpoint *ep);
	/* Adds what the manifest should say about this target to @obj. */
	void (*describe)(struct target *t, struct cJSON *obj);
	/* Everything the target created is gone afterwards; frees @t. NULL-safe. */
	void (*stop)(struct target *t);
};

/* Every implementation's struct starts with this. */
struct target {
	const struct target_ops *ops;
};

/*
 * Registers @ops (a `const struct target_ops`) by placing a pointer to it in
 * the section the registry is read from: one line at the end of the file.
 */
#define BPFCOST_TARGET(ops)                                                                        \
	const struct target_ops *const bpfcost_target_##ops                                        \
		__attribute__((section("bpfcost_targets"), used, aligned(sizeof(void *)))) =       \
			&(ops)

const struct target_ops *target_find(const char *name);
/* " guest host": for help and error messages. */
void target_names(char *buf, size_t len);
/* The registered targets in name order, NULL-terminated; exits on a duplicate name. */
const struct target_ops *const *target_list(void);

/*
 * Ask @t's agent to start @s with "{addr}" = @addr; 0 with the server's pid
 * in *@pid, or -1 with @err. For target implementations.
 */
int target_serve(struct target *t, const struct server_spec *s, const char *addr, pid_t *pid,
		 char *err, size_t errlen);
/* The name a server's process has in /proc/PID/comm. */
const char *server_comm(const struct server_spec *s);
/* Index of argument @name, or -1. */
int target_arg_index(const struct target_ops *t, const char *name);

static inline struct cJSON *target_call(struct target *t, const struct cJSON *req, int timeout_s,
					char *err, size_t errlen)
{
	return t->ops->call(t, req, timeout_s, err, errlen);
}

static inline void target_stop(struct target *t)
{
	if (t)
		t->ops->stop(t);
}

#endif /* BPFCOST_TARGET_H */
