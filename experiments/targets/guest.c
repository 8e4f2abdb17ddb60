// SPDX-License-Identifier: GPL-2.0
/* The QEMU guest as a target: Debian's kernel (or yours) under KVM or TCG. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/guest/guest.h"
#include "experiments/pinning.h"
#include "target.h"

#define BIND_TIMEOUT_S	 30
#define QEMU_MAX_THREADS 512

extern const struct target_ops guest_target;

enum { ARG_KERNEL };

struct guest_target {
	struct target base;
	struct guest *g;
	cJSON *pinning, *binding; /* for the manifest */
	char kernel[160];	  /* the guest booted: its folder's name */
	bool pin_client;
	cpu_set_t client_cpus;
};

static cJSON *not_done(cJSON *obj, const char *reason)
{
	cJSON_AddBoolToObject(obj, "done", false);
	cJSON_AddStringToObject(obj, "reason", reason);
	return obj;
}

static void set_of(const int *cpus, int n, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (n--)
		CPU_SET(cpus[n], set);
}

static const char *affinity_of(pid_t tid, char *buf, size_t len)
{
	int cpus[PIN_MAX_CPUS], n = 0, i;
	cpu_set_t set;

	if (sched_getaffinity(tid, sizeof(set), &set))
		return "?";
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
	return pin_cpulist_str(cpus, n, buf, len);
}

/*
 * Host side: each vCPU thread on a host CPU of its own, the traffic client on
 * the CPUs left. QEMU's other threads (main loop, I/O, RCU) go with the
 * client, not floating: the main loop moves every packet between the tap
 * device and virtio-net, a host-side part of the path like the client, and
 * left alone it would preempt a vCPU thread in the middle of a sample.
 */
static void pin(struct guest_target *t, cJSON *obj)
{
	static struct qemu_thread threads[QEMU_MAX_THREADS];
	static struct pin_plan plan;
	static int cpus[PIN_MAX_CPUS];
	int ncpu = pin_available_cpus(cpus, PIN_MAX_CPUS), nthr, nvcpu = 0, i;
	pid_t qemu = guest_qemu_pid(t->g);
	char why[256], list[1024];
	cJSON *vcpus, *others;
	cpu_set_t one;

	nthr = qemu > 0 ? pin_qemu_threads(qemu, threads, QEMU_MAX_THREADS) : -1;
	if (ncpu < 0 || nthr < 0) {
		snprintf(why, sizeof(why), "not pinned: cannot read %s: %s",
			 ncpu < 0 ? "our CPU affinity" : "QEMU's threads", strerror(errno));
		not_done(obj, why);
		return;
	}
	while (nvcpu < nthr && threads[nvcpu].vcpu)
		nvcpu++;
	cJSON_AddStringToObject(obj, "host_cpus", pin_cpulist_str(cpus, ncpu, list, sizeof(list)));
	cJSON_AddNumberToObject(obj, "vcpu_threads_found", nvcpu);
	if (pin_plan(cpus, ncpu, nvcpu, &plan, why, sizeof(why))) {
		not_done(obj, why);
		return;
	}
	set_of(plan.client_cpus, plan.nr_client_cpus, &t->client_cpus);
	for (i = 0; i < nthr; i++) {
		const cpu_set_t *set = &t->client_cpus;

		if (i < nvcpu) {
			CPU_ZERO(&one);
			CPU_SET(plan.vcpu_cpu[i], &one);
			set = &one;
		}
		/* A helper thread that ended meanwhile is no failure; a vCPU thread's is. */
		if (sched_setaffinity(threads[i].tid, sizeof(*set), set) &&
		    (errno != ESRCH || i < nvcpu)) {
			snprintf(why, sizeof(why),
				 "not pinned: sched_setaffinity(QEMU thread %d %s): %s",
				 (int)threads[i].tid, threads[i].name, strerror(errno));
			/* Back to where every thread started. */
			set_of(cpus, ncpu, &one);
			while (i-- > 0)
				sched_setaffinity(threads[i].tid, sizeof(one), &one);
			not_done(obj, why);
			return;
		}
	}
	t->pin_client = true;
	cJSON_AddBoolToObject(obj, "done", true);
	cJSON_AddNumberToObject(obj, "qemu_pid", qemu);
	vcpus = cJSON_AddArrayToObject(obj, "vcpu_threads");
	for (i = 0; i < nvcpu; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "tid", threads[i].tid);
		cJSON_AddStringToObject(o, "name", threads[i].name);
		cJSON_AddNumberToObject(o, "cpu", plan.vcpu_cpu[i]);
		cJSON_AddStringToObject(o, "affinity",
					affinity_of(threads[i].tid, list, sizeof(list)));
		cJSON_AddItemToArray(vcpus, o);
	}
	cJSON_AddStringToObject(
		obj, "client_cpus",
		pin_cpulist_str(plan.client_cpus, plan.nr_client_cpus, list, sizeof(list)));
	others = cJSON_AddObjectToObject(obj, "qemu_other_threads");
	cJSON_AddNumberToObject(others, "count", nthr - nvcpu);
	cJSON_AddStringToObject(others, "cpus", list);
	fprintf(stderr, "bpfcost-run: pinned %d QEMU vCPU thread%s to host CPU%s ", nvcpu,
		nvcpu == 1 ? "" : "s", nvcpu == 1 ? "" : "s");
	for (i = 0; i < nvcpu; i++)
		fprintf(stderr, "%s%d", i ? "," : "", plan.vcpu_cpu[i]);
	fprintf(stderr, "; the traffic client and QEMU's other threads on %s\n", list);
}

/* Guest side: NIC interrupts on vCPU 0, the workload's server on vCPU 1. */
static void bind(struct guest_target *t, int vcpus, const struct server_spec *server, cJSON *obj)
{
	cJSON *req, *r, *item;
	char err[512], why[600];

	if (vcpus < 2) {
		not_done(obj, "not bound: one vCPU");
		return;
	}
	if (!server) {
		not_done(obj, "not bound: the workload declares no server");
		return;
	}
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "cmd", "bind");
	cJSON_AddStringToObject(req, "comm", server_comm(server));
	cJSON_AddNumberToObject(req, "server_cpu", 1);
	cJSON_AddNumberToObject(req, "irq_cpu", 0);
	r = guest_call(t->g, req, BIND_TIMEOUT_S, err, sizeof(err));
	cJSON_Delete(req);
	if (!r || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok"))) {
		snprintf(why, sizeof(why), "not bound: %s",
			 r ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "error"))
					 ?: "?"
			   : err);
		not_done(obj, why);
		cJSON_Delete(r);
		return;
	}
	cJSON_AddBoolToObject(obj, "done", true);
	/* What the agent did and read back: server {pid, cpu, affinity}, irqs [...]. */
	while ((item = r->child)) {
		cJSON_DetachItemViaPointer(r, item);
		if (!strcmp(item->string, "ok") || !strcmp(item->string, "id"))
			cJSON_Delete(item);
		else
			cJSON_AddItemToObject(obj, item->string, item);
	}
	cJSON_Delete(r);
	fprintf(stderr, "bpfcost-run: guest: %s on vCPU 1, NIC interrupts on vCPU 0\n",
		server_comm(server));
}

/* Why pinning or binding (@obj) was not done, on stderr. */
static void say_if_not_done(const cJSON *obj, const char *prefix)
{
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, "done")))
		fprintf(stderr, "bpfcost-run: %s%s\n", prefix,
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "reason")));
}

static int check_kernel(const char *value, char *err, size_t errlen)
{
	return *value ? guest_name_check(value, err, errlen) : 0;
}

static int start(const struct target_options *s, struct target **out, char *err, size_t errlen)
{
	struct guest_target *t = calloc(1, sizeof(*t));
	struct guest_config gc;
	const char *name;
	pid_t server_pid;

	*out = NULL;
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	guest_config_defaults(&gc);
	/* The guest named, or one that is unambiguous: never another kernel's by accident. */
	if (guest_files(s->values ? s->values[ARG_KERNEL] : NULL, &gc.kernel, &gc.initrd, &name,
			err, errlen)) {
		free(t);
		return -1;
	}
	snprintf(t->kernel, sizeof(t->kernel), "%s", name);
	gc.accel = s->accel ?: gc.accel;
	gc.topology = s->topology ?: gc.topology;
	gc.vcpus = s->vcpus > 0 ? s->vcpus : gc.vcpus;
	gc.mem_mb = s->mem_mb > 0 ? s->mem_mb : gc.mem_mb;
	gc.qemu = s->qemu ?: gc.qemu;
	gc.stop = s->stop;
	gc.server_port = s->server ? s->server->port : 0;
	/* One ns of guest time per guest instruction: single-threaded TCG only. */
	gc.icount = s->clock && !strcmp(s->clock, "instructions");
	if (gc.icount && strcmp(gc.accel, "tcg")) {
		if (strcmp(gc.accel, "auto")) {
			snprintf(err, errlen, "CLOCK=instructions needs TCG, not ACCEL=%s",
				 gc.accel);
			free(t);
			return -1;
		}
		gc.accel = "tcg";
	}
	fprintf(stderr, "bpfcost-run: booting the guest %s (accel %s, %d vCPUs, topology %s)\n",
		t->kernel, gc.accel, gc.vcpus, gc.topology);
	if (guest_start(&gc, &t->g, err, errlen)) {
		/* Measured: Debian 6.1 stops at "Booting SMP configuration" under -icount. */
		if (gc.icount && gc.vcpus > 1 && strstr(err, "not ready"))
			snprintf(err + strlen(err), errlen - strlen(err),
				 " (a kernel that cannot bring up a second vCPU under the "
				 "instruction clock, such as Debian's 6.1, boots with VCPUS=1)");
		free(t);
		return -1;
	}
	fprintf(stderr, "bpfcost-run: guest up in %.1f s (%s%s%s)\n", guest_boot_seconds(t->g),
		guest_accel(t->g), *guest_accel_note(t->g) ? ": " : "", guest_accel_note(t->g));
	t->base.ops = &guest_target;
	if (s->server &&
	    target_serve(&t->base, s->server, guest_addr(t->g), &server_pid, err, errlen)) {
		guest_free(t->g);
		free(t);
		return -1;
	}
	t->pinning = cJSON_CreateObject();
	t->binding = cJSON_CreateObject();
	if (s->pin)
		pin(t, t->pinning);
	else
		not_done(t->pinning, "off (--pin off)");
	/* Said at once, not only in the manifest: an unpinned flood is a noisier one. */
	if (s->pin)
		say_if_not_done(t->pinning, "");
	if (s->bind)
		bind(t, gc.vcpus, s->server, t->binding);
	else
		not_done(t->binding, "off (--bind off)");
	if (s->bind)
		say_if_not_done(t->binding, "guest: ");
	*out = &t->base;
	return 0;
}

static struct guest *of(struct target *t)
{
	return ((struct guest_target *)t)->g;
}

static cJSON *call(struct target *t, const cJSON *req, int timeout_s, char *err, size_t errlen)
{
	return guest_call(of(t), req, timeout_s, err, errlen);
}

static void endpoint(struct target *t, struct traffic_endpoint *ep)
{
	snprintf(ep->host, sizeof(ep->host), "%s", guest_server_host(of(t)));
	ep->port = guest_server_port(of(t));
	ep->netns_fd = -1;
	ep->pin_client = ((struct guest_target *)t)->pin_client;
	ep->client_cpus = ((struct guest_target *)t)->client_cpus;
}

static void describe(struct target *t, cJSON *obj)
{
	cJSON_AddStringToObject(obj, "kernel", ((struct guest_target *)t)->kernel);
	cJSON_AddStringToObject(obj, "accel", guest_accel(of(t)));
	cJSON_AddStringToObject(obj, "accel_note", guest_accel_note(of(t)));
	cJSON_AddNumberToObject(obj, "boot_seconds", guest_boot_seconds(of(t)));
	cJSON_AddStringToObject(obj, "topology", guest_topology(of(t)));
	cJSON_AddBoolToObject(obj, "icount", guest_icount(of(t)));
	cJSON_AddItemToObject(obj, "pinning",
			      cJSON_Duplicate(((struct guest_target *)t)->pinning, true));
	cJSON_AddItemToObject(obj, "binding",
			      cJSON_Duplicate(((struct guest_target *)t)->binding, true));
}

static void stop(struct target *t)
{
	if (!t)
		return;
	guest_free(of(t)); /* QEMU and the tap device go with it */
	cJSON_Delete(((struct guest_target *)t)->pinning);
	cJSON_Delete(((struct guest_target *)t)->binding);
	free(t);
}

const struct target_ops guest_target = {
	.name = "guest",
	.summary = "a QEMU guest (KVM when it really works, else TCG) booting Debian's kernel",
	.args = {
		{ "kernel", "",
		  "the guest to boot: a folder of build/guest/ that make guest built, named by its "
		  "kernel (6.1.0-57-cloud-amd64; make experiment sets it from GUEST_KERNEL_VERSION); "
		  "empty: $BPFCOST_GUEST_KERNEL, else the only guest built",
		  check_kernel },
	},
	.start = start,
	.call = call,
	.endpoint = endpoint,
	.describe = describe,
	.stop = stop,
};
BPFCOST_TARGET(guest_target);
