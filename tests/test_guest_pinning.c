// SPDX-License-Identifier: GPL-2.0
/*
 * The guest target's CPU placement, on a booted guest:
 * - bind: the agent puts the iperf3 server on vCPU 1 and the virtio-net queue
 *   interrupts on vCPU 0; checked from its reply, from the guest's own
 *   /proc read back through "exec", and from where a flood's interrupts land;
 *   malformed requests are usage errors that change nothing.
 * - pin: with one vCPU thread (--vcpus 1, or single-threaded TCG) a 2-CPU host
 *   has enough CPUs: the vCPU thread's Cpus_allowed_list is its own CPU, the
 *   client's set is the rest; with 2 vCPU threads it says why not.
 *
 * Settings (environment): BPFCOST_GUEST_ACCEL (default auto), BPFCOST_GUEST_TOPOLOGY.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/workloads/iperf_run.h"
#include "experiments/pinning.h"
#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "loader/bpfcost.h"
#include "testlib.h"

#define CALL_TIMEOUT 60

static volatile sig_atomic_t stop;
static struct target *target;

static struct target *boot(int vcpus, const char *clock)
{
	struct target_options ts = {
		.accel = getenv("BPFCOST_GUEST_ACCEL") ?: "auto",
		.topology = getenv("BPFCOST_GUEST_TOPOLOGY") ?: "tap",
		.vcpus = vcpus,
		.mem_mb = 512,
		.clock = clock,
		.stop = &stop,
		.pin = true,
		.bind = true,
		.server = workload_server(workload_find("iperf")),
	};
	const struct target_ops *ops = target_find("guest");
	char err[1024];

	if (!ops)
		fail_msg("no target \"guest\" in the registry");
	if (ops->start(&ts, &target, err, sizeof(err)))
		fail_msg("guest target start (%d vCPUs, clock %s): %s", vcpus, clock, err);
	return target;
}

static int teardown(void **state)
{
	(void)state;
	target_stop(target);
	target = NULL;
	return 0;
}

static cJSON *describe(void)
{
	cJSON *obj = cJSON_CreateObject();
	char *s;

	target->ops->describe(target, obj);
	s = cJSON_PrintUnformatted(obj);
	print_message("manifest target_info: %s\n", s);
	free(s);
	return obj;
}

static cJSON *call(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static cJSON *call(const char *fmt, ...)
{
	char buf[1024], err[512];
	cJSON *req, *r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	req = cJSON_Parse(buf);
	if (!req)
		fail_msg("request is not JSON: %s", buf);
	r = target_call(target, req, CALL_TIMEOUT, err, sizeof(err));
	cJSON_Delete(req);
	if (!r)
		fail_msg("agent call %s: %s", buf, err);
	return r;
}

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(get(o, key)) ?: "";
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* A file in the guest, through the agent's exec; the caller frees. */
static char *guest_file(const char *path)
{
	cJSON *r = call("{\"cmd\":\"exec\",\"argv\":[\"cat\",\"%s\"]}", path);
	char *out;

	if (num(r, "exit") != 0)
		fail_msg("cat %s in the guest: exit %g: %s", path, num(r, "exit"),
			 str(r, "output"));
	out = strdup(str(r, "output"));
	cJSON_Delete(r);
	return out;
}

/* Value of a "Key:\tvalue" line of a status file's text ("" if none). */
static void status_field(const char *text, const char *key, char *out, size_t len)
{
	const char *p = strstr(text, key);

	out[0] = '\0';
	if (p)
		sscanf(p + strlen(key), " %63s", out);
	(void)len;
}

/* Interrupt counts of IRQ @irq per CPU from /proc/interrupts text. */
static int irq_counts(const char *text, int irq, double *counts, int max)
{
	const char *line = text;
	char want[16];
	int n = 0;

	snprintf(want, sizeof(want), "%d:", irq);
	while (line && *line) {
		const char *p = line + strspn(line, " ");

		if (!strncmp(p, want, strlen(want))) {
			char *end;

			p += strlen(want);
			for (; n < max; n++) {
				double v = strtod(p, &end);

				if (end == p)
					break;
				counts[n] = v;
				p = end;
			}
			return n;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return 0;
}

static int flood(double *rx)
{
	struct traffic_endpoint ep;
	struct iperf_run run = {
		.duration = 2,
		.warmup = 0,
		.args = "-u -b 20M -l 64",
		.timeout_s = 60,
	};
	struct iperf_result r;
	char err[512];
	int tries;

	target->ops->endpoint(target, &ep);
	run.host = ep.host;
	run.port = ep.port;
	run.netns_fd = ep.netns_fd;
	run.cpus = ep.pin_client ? &ep.client_cpus : NULL;
	for (tries = 0; tries < 3; tries++) {
		if (!iperf_run(&run, &r, &stop, err, sizeof(err))) {
			*rx = r.rx_packets;
			return 0;
		}
		print_message("iperf3: %s (retrying)\n", err);
		sleep(1);
	}
	return -1;
}

/* Two vCPUs: bound, and (on fewer than 3 host CPUs) not pinned, saying why. */
static void test_bind_two_vcpus(void **state)
{
	int cpus[PIN_MAX_CPUS], ncpu = pin_available_cpus(cpus, PIN_MAX_CPUS);
	cJSON *obj, *r;
	const cJSON *pin, *bind, *server, *irqs, *irq;
	char *text, path[96], got[64], *before, *after;
	double c0[8], c1[8], rx = 0;
	bool input = false;
	int pid, n;

	(void)state;
	boot(2, "real");
	obj = describe();
	pin = get(obj, "pinning");
	bind = get(obj, "binding");
	if (ncpu < 3) {
		char want[200];

		snprintf(want, sizeof(want),
			 "not pinned: %d host CPU%s available, need 3 (2 vCPU threads + 1 for the "
			 "iperf3 client)",
			 ncpu, ncpu == 1 ? "" : "s");
		if (cJSON_IsTrue(get(pin, "done")) || strcmp(str(pin, "reason"), want))
			fail_msg("pinning: actual done=%d reason '%s', expected done=0 reason '%s'",
				 cJSON_IsTrue(get(pin, "done")), str(pin, "reason"), want);
	} else if (!cJSON_IsTrue(get(pin, "done"))) {
		fail_msg("pinning on %d host CPUs: actual not done ('%s'), expected done", ncpu,
			 str(pin, "reason"));
	}

	/* The reply the target recorded. */
	if (!cJSON_IsTrue(get(bind, "done")))
		fail_msg("binding: actual not done ('%s'), expected done", str(bind, "reason"));
	server = get(bind, "server");
	pid = (int)num(server, "pid");
	if (pid <= 0 || num(server, "cpu") != 1 || strcmp(str(server, "affinity"), "1"))
		fail_msg("server: actual pid %d cpu %g affinity '%s', expected a pid, cpu 1, "
			 "affinity '1'",
			 pid, num(server, "cpu"), str(server, "affinity"));
	irqs = get(bind, "irqs");
	if (cJSON_GetArraySize(irqs) < 1)
		fail_msg("irqs: actual %d, expected at least 1", cJSON_GetArraySize(irqs));

	/* The guest's own /proc, read back through the agent. */
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	text = guest_file(path);
	if (strncmp(text, "iperf3", 6))
		fail_msg("%s: actual '%s', expected 'iperf3'", path, text);
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	text = guest_file(path);
	status_field(text, "Cpus_allowed_list:", got, sizeof(got));
	free(text);
	if (strcmp(got, "1"))
		fail_msg("server %s Cpus_allowed_list: actual '%s', expected '1'", path, got);
	cJSON_ArrayForEach(irq, irqs)
	{
		print_message("irq %g %s: affinity %s, effective %s\n", num(irq, "irq"),
			      str(irq, "name"), str(irq, "affinity"), str(irq, "effective"));
		input |= strstr(str(irq, "name"), "-input.") != NULL;
		snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list",
			 (int)num(irq, "irq"));
		text = guest_file(path);
		text[strcspn(text, "\n")] = '\0';
		if (strcmp(text, "0") || strcmp(str(irq, "affinity"), "0"))
			fail_msg("%s (%s): actual '%s' (reply '%s'), expected '0'", path,
				 str(irq, "name"), text, str(irq, "affinity"));
		free(text);
	}
	if (!input)
		fail_msg("irqs: actual no virtio-net receive queue (*-input.N), expected one");

	/*
	 * A flood's receive interrupts land on vCPU 0, none on vCPU 1. x86 moves
	 * an interrupt when it next fires on its old CPU: one flood first.
	 */
	if (flood(&rx))
		fail_msg("iperf3 flood into the bound guest: failed 3 times (errors above), "
			 "expected to succeed");
	cJSON_ArrayForEach(irq, irqs)
	{
		snprintf(path, sizeof(path), "/proc/irq/%d/effective_affinity_list",
			 (int)num(irq, "irq"));
		text = guest_file(path);
		text[strcspn(text, "\n")] = '\0';
		print_message("%s after a flood: %s\n", path, text);
		if (strstr(str(irq, "name"), "-input.") && strcmp(text, "0"))
			fail_msg("%s (%s) after a flood: actual '%s', expected '0'", path,
				 str(irq, "name"), text);
		free(text);
	}
	before = guest_file("/proc/interrupts");
	if (flood(&rx))
		fail_msg("iperf3 flood into the bound guest: failed 3 times (errors above), "
			 "expected to succeed");
	after = guest_file("/proc/interrupts");
	cJSON_ArrayForEach(irq, irqs)
	{
		if (!strstr(str(irq, "name"), "-input."))
			continue;
		n = irq_counts(before, (int)num(irq, "irq"), c0, 8);
		if (n < 2 || irq_counts(after, (int)num(irq, "irq"), c1, 8) != n)
			fail_msg("irq %g: actual %d CPU columns in /proc/interrupts, expected 2",
				 num(irq, "irq"), n);
		print_message("irq %g during a flood of %.0f datagrams: +%.0f on vCPU 0, +%.0f on "
			      "vCPU 1\n",
			      num(irq, "irq"), rx, c1[0] - c0[0], c1[1] - c0[1]);
		if (c1[1] != c0[1] || !(c1[0] > c0[0]))
			fail_msg(
				"irq %g interrupts during the flood: actual +%.0f on vCPU 0, +%.0f "
				"on vCPU 1; expected some on 0, none on 1",
				num(irq, "irq"), c1[0] - c0[0], c1[1] - c0[1]);
	}
	free(before);
	free(after);

	/* Strict validation: each of these is a usage error. */
	static const char *const bad[] = {
		"\"server_cpu\":2,\"irq_cpu\":0",
		"\"server_cpu\":1.5,\"irq_cpu\":0",
		"\"server_cpu\":-1,\"irq_cpu\":0",
		"\"server_cpu\":\"1\",\"irq_cpu\":0",
		"\"server_cpu\":1",
		"\"server_cpu\":1,\"irq_cpu\":0,\"extra\":1",
		"\"server_cpu\":1,\"irq_cpu\":0,\"irq_cpu\":1",
		"\"server_cpu\":1e300,\"irq_cpu\":0",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = call("{\"cmd\":\"bind\",%s}", bad[i]);
		if (cJSON_IsTrue(get(r, "ok")) || num(r, "status") != BPFCOST_ERR_USAGE)
			fail_msg("bind {%s}: actual ok=%d status %g '%s', expected a usage error "
				 "(status %d)",
				 bad[i], cJSON_IsTrue(get(r, "ok")), num(r, "status"),
				 str(r, "error"), BPFCOST_ERR_USAGE);
		cJSON_Delete(r);
	}
	/* ...and changed nothing. */
	cJSON_ArrayForEach(irq, irqs)
	{
		snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list",
			 (int)num(irq, "irq"));
		text = guest_file(path);
		text[strcspn(text, "\n")] = '\0';
		if (strcmp(text, "0"))
			fail_msg("%s after rejected requests: actual '%s', expected '0'", path,
				 text);
		free(text);
	}
	cJSON_Delete(obj);
}

/* QEMU's vCPU threads, found independently of the target: name and Cpus_allowed_list. */
static int vcpu_threads(int qemu, char names[][32], char lists[][64], char other[64], int max)
{
	char path[128], line[256];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", qemu);
	d = opendir(path);
	if (!d)
		fail_msg("%s: cannot list QEMU's threads", path);
	other[0] = '\0';
	while ((e = readdir(d))) {
		char name[32] = "", list[64] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/comm", qemu, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f))
			name[strcspn(name, "\n")] = '\0';
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/status", qemu, e->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "Cpus_allowed_list:", 18))
				sscanf(line + 18, "%63s", list);
		if (f)
			fclose(f);
		if (strncmp(name, "CPU ", 4) && strncmp(name, "ALL CPUs/", 9)) {
			if (other[0] && strcmp(other, list))
				fail_msg("QEMU's other threads: actual '%s' and '%s', expected one "
					 "set",
					 other, list);
			snprintf(other, 64, "%s", list);
			continue;
		}
		if (n < max) {
			snprintf(names[n], 32, "%s", name);
			snprintf(lists[n], 64, "%s", list);
		}
		n++;
	}
	closedir(d);
	return n;
}

/* One vCPU thread on @vcpus vCPUs: pinned when the host has 2 CPUs. */
static void check_pinned_one_thread(int vcpus, const char *clock, const char *thread_name,
				    const char *binding_reason)
{
	int cpus[PIN_MAX_CPUS], ncpu = pin_available_cpus(cpus, PIN_MAX_CPUS), qemu, n;
	char names[4][32], lists[4][64], other[64], want_vcpu[16], want_client[256];
	struct traffic_endpoint ep;
	const cJSON *pin, *bind;
	double rx = 0;
	cJSON *obj;

	if (ncpu < 2) {
		print_message("SKIP: %d host CPU available, pinning one vCPU thread needs 2\n",
			      ncpu);
		skip();
	}
	boot(vcpus, clock);
	obj = describe();
	pin = get(obj, "pinning");
	bind = get(obj, "binding");
	if (!cJSON_IsTrue(get(pin, "done")))
		fail_msg("pinning on %d host CPUs, 1 vCPU thread: actual not done ('%s'), "
			 "expected done",
			 ncpu, str(pin, "reason"));
	snprintf(want_vcpu, sizeof(want_vcpu), "%d", cpus[ncpu - 1]);
	pin_cpulist_str(cpus, ncpu - 1, want_client, sizeof(want_client));
	qemu = (int)num(pin, "qemu_pid");
	n = vcpu_threads(qemu, names, lists, other, 4);
	if (n != 1)
		fail_msg("QEMU %d vCPU threads: actual %d, expected 1", qemu, n);
	print_message("QEMU %d: vCPU thread '%s' Cpus_allowed_list %s; other threads %s\n", qemu,
		      names[0], lists[0], other);
	if (strcmp(names[0], thread_name))
		fail_msg("vCPU thread name: actual '%s', expected '%s'", names[0], thread_name);
	if (strcmp(lists[0], want_vcpu))
		fail_msg("vCPU thread Cpus_allowed_list: actual '%s', expected '%s'", lists[0],
			 want_vcpu);
	if (strcmp(other, want_client))
		fail_msg("QEMU's other threads Cpus_allowed_list: actual '%s', expected '%s'",
			 other, want_client);
	if (strcmp(str(pin, "client_cpus"), want_client))
		fail_msg("manifest client_cpus: actual '%s', expected '%s'",
			 str(pin, "client_cpus"), want_client);

	/* The client's CPU set reaches the workload, disjoint from the vCPU thread's. */
	target->ops->endpoint(target, &ep);
	if (!ep.pin_client || CPU_COUNT(&ep.client_cpus) != ncpu - 1 ||
	    CPU_ISSET(cpus[ncpu - 1], &ep.client_cpus))
		fail_msg("endpoint: actual pin_client=%d, %d CPUs, vCPU CPU %d %s; expected 1, "
			 "%d CPUs, without CPU %d",
			 ep.pin_client, CPU_COUNT(&ep.client_cpus), cpus[ncpu - 1],
			 CPU_ISSET(cpus[ncpu - 1], &ep.client_cpus) ? "in it" : "not in it",
			 ncpu - 1, cpus[ncpu - 1]);
	if (flood(&rx) || !(rx > 0))
		fail_msg("flood from the pinned client: actual %.0f datagrams received, expected "
			 "some",
			 rx);
	if (strcmp(str(bind, "reason"), binding_reason) ||
	    cJSON_IsTrue(get(bind, "done")) != !binding_reason[0])
		fail_msg("binding: actual done=%d reason '%s', expected done=%d reason '%s'",
			 cJSON_IsTrue(get(bind, "done")), str(bind, "reason"), !binding_reason[0],
			 binding_reason);
	cJSON_Delete(obj);
}

static void test_pin_one_vcpu(void **state)
{
	(void)state;
	check_pinned_one_thread(1, "real", "CPU 0/TCG", "not bound: one vCPU");
}

/* Single-threaded TCG (the instruction clock): one "ALL CPUs/TCG" thread for both vCPUs. */
static void test_pin_single_threaded_tcg(void **state)
{
	(void)state;
	check_pinned_one_thread(2, "instructions", "ALL CPUs/TCG", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bind_two_vcpus, teardown),
		cmocka_unit_test_teardown(test_pin_one_vcpu, teardown),
		cmocka_unit_test_teardown(test_pin_single_threaded_tcg, teardown),
	};

	/* The vCPU thread names below are TCG's: KVM would name them "CPU 0/KVM". */
	if (!getenv("BPFCOST_GUEST_ACCEL"))
		setenv("BPFCOST_GUEST_ACCEL", "tcg", 0);
	return cmocka_run_group_tests_name("guest_pinning", tests, NULL, NULL);
}
