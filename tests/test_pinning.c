// SPDX-License-Identifier: GPL-2.0
/*
 * Host CPU pinning of the guest target, without a guest: the plan (vCPU
 * threads and the iperf3 client on disjoint CPUs, or why not), CPU lists, and
 * spawn()'s CPU set applied in the child before exec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "experiments/pinning.h"
#include "loader/spawn.h"
#include "testlib.h"

static struct pin_plan plan;

/* Every CPU of the plan is one of @cpus, none is used twice, and the counts add up. */
static void check_plan(const int *cpus, int ncpu, int nthreads)
{
	int seen[PIN_MAX_CPUS] = { 0 }, i, j;

	if (plan.nr_vcpu_threads != nthreads)
		fail_msg("vCPU threads planned: actual %d, expected %d", plan.nr_vcpu_threads,
			 nthreads);
	if (plan.nr_client_cpus != ncpu - nthreads)
		fail_msg("client CPUs: actual %d, expected %d (%d CPUs - %d vCPU threads)",
			 plan.nr_client_cpus, ncpu - nthreads, ncpu, nthreads);
	if (plan.nr_client_cpus < 1)
		fail_msg("client CPUs: actual %d, expected at least 1", plan.nr_client_cpus);
	for (i = 0; i < nthreads + plan.nr_client_cpus; i++) {
		int cpu = i < nthreads ? plan.vcpu_cpu[i] : plan.client_cpus[i - nthreads];
		bool allowed = false;

		for (j = 0; j < ncpu; j++)
			allowed |= cpus[j] == cpu;
		if (!allowed)
			fail_msg("CPU %d planned (%s) is not an available CPU", cpu,
				 i < nthreads ? "vCPU thread" : "client");
		if (seen[cpu]++)
			fail_msg("CPU %d planned twice: actual not disjoint, expected disjoint "
				 "sets",
				 cpu);
	}
}

static void test_enough_cpus(void **state)
{
	int cpus[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	char why[256] = "";

	(void)state;
	if (pin_plan(cpus, 8, 2, &plan, why, sizeof(why)))
		fail_msg("8 CPUs, 2 vCPU threads: actual '%s', expected a plan", why);
	check_plan(cpus, 8, 2);
	/* The vCPU threads take the highest CPUs; the client keeps CPU 0. */
	if (plan.vcpu_cpu[0] != 6 || plan.vcpu_cpu[1] != 7 || plan.client_cpus[0] != 0)
		fail_msg("vCPU CPUs actual %d,%d, expected 6,7; first client CPU actual %d, "
			 "expected 0",
			 plan.vcpu_cpu[0], plan.vcpu_cpu[1], plan.client_cpus[0]);

	/* Exactly enough: 3 CPUs, 2 threads, 1 client CPU. */
	if (pin_plan(cpus, 3, 2, &plan, why, sizeof(why)))
		fail_msg("3 CPUs, 2 vCPU threads: actual '%s', expected a plan", why);
	check_plan(cpus, 3, 2);

	/* Single-threaded TCG: one thread ("ALL CPUs/TCG") for every vCPU. */
	if (pin_plan(cpus, 2, 1, &plan, why, sizeof(why)))
		fail_msg("2 CPUs, 1 vCPU thread: actual '%s', expected a plan", why);
	check_plan(cpus, 2, 1);
}

static void test_too_few_cpus(void **state)
{
	static const struct {
		int ncpu, nthreads;
		const char *expected;
	} cases[] = {
		{ 2, 2,
		  "not pinned: 2 host CPUs available, need 3 (2 vCPU threads + 1 for the iperf3 "
		  "client)" },
		{ 1, 1,
		  "not pinned: 1 host CPU available, need 2 (1 vCPU thread + 1 for the iperf3 "
		  "client)" },
		{ 4, 4,
		  "not pinned: 4 host CPUs available, need 5 (4 vCPU threads + 1 for the iperf3 "
		  "client)" },
		{ 4, 0, "not pinned: no QEMU vCPU thread found" },
	};
	int cpus[4] = { 0, 1, 2, 3 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char why[256] = "";
		int ret = pin_plan(cpus, cases[i].ncpu, cases[i].nthreads, &plan, why, sizeof(why));

		if (ret != -1 || strcmp(why, cases[i].expected))
			fail_msg("%d CPUs, %d vCPU threads: actual %d '%s', expected -1 '%s'",
				 cases[i].ncpu, cases[i].nthreads, ret, why, cases[i].expected);
		if (plan.nr_vcpu_threads || plan.nr_client_cpus)
			fail_msg("no plan expected: actual %d vCPU, %d client CPUs",
				 plan.nr_vcpu_threads, plan.nr_client_cpus);
	}
}

/* A 4-CPU host whose affinity mask leaves us CPUs 1 and 3 only (and one with 0, 2, 3). */
static void test_affinity_mask(void **state)
{
	char mask[] = "1,3", why[256] = "", list[64];
	int cpus[4], n = pin_cpulist_parse(mask, cpus, 4);

	(void)state;
	if (n != 2)
		fail_msg("parse '%s': actual %d CPUs, expected 2", mask, n);
	if (!pin_plan(cpus, n, 2, &plan, why, sizeof(why)))
		fail_msg("CPUs 1,3 and 2 vCPU threads: actual a plan, expected none");
	if (!strstr(why, "2 host CPUs available, need 3"))
		fail_msg("actual '%s', expected it to name 2 available and 3 needed", why);
	if (pin_plan(cpus, n, 1, &plan, why, sizeof(why)))
		fail_msg("CPUs 1,3 and 1 vCPU thread: actual '%s', expected a plan", why);
	check_plan(cpus, n, 1);
	if (plan.vcpu_cpu[0] != 3 || plan.client_cpus[0] != 1)
		fail_msg("actual vCPU thread on %d, client on %d; expected 3 and 1",
			 plan.vcpu_cpu[0], plan.client_cpus[0]);

	n = pin_cpulist_parse("0,2-3", cpus, 4);
	if (n != 3 || pin_plan(cpus, n, 2, &plan, why, sizeof(why)))
		fail_msg("CPUs 0,2-3 and 2 vCPU threads: actual %d CPUs, '%s'; expected 3 and a "
			 "plan",
			 n, why);
	check_plan(cpus, n, 2);
	pin_cpulist_str(plan.vcpu_cpu, 2, list, sizeof(list));
	if (strcmp(list, "2-3") || plan.client_cpus[0] != 0)
		fail_msg("vCPU CPUs actual '%s', expected '2-3'; client actual %d, expected 0",
			 list, plan.client_cpus[0]);
}

static void test_cpulist(void **state)
{
	static const char *const bad[] = { "a", "1-", "3-1", "1,,2", "-1", "1 2", "99999" };
	int in[] = { 0, 1, 2, 3, 5, 7, 8 }, out[16], n;
	char buf[64];
	size_t i;

	(void)state;
	pin_cpulist_str(in, 7, buf, sizeof(buf));
	if (strcmp(buf, "0-3,5,7-8"))
		fail_msg("list of 0 1 2 3 5 7 8: actual '%s', expected '0-3,5,7-8'", buf);
	n = pin_cpulist_parse("0-3,5,7-8\n", out, 16);
	if (n != 7 || memcmp(in, out, sizeof(in)))
		fail_msg("parse '0-3,5,7-8': actual %d CPUs, expected 7 equal to the input", n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = pin_cpulist_parse(bad[i], out, 16);
		if (n != -1)
			fail_msg("parse '%s': actual %d, expected -1", bad[i], n);
	}
}

/* The CPU set given to spawn() is the child's before exec: read it from /proc. */
static void test_spawn_cpus(void **state)
{
	char *argv[] = { "sleep", "5", NULL };
	char path[64], line[256], want[16], got[64] = "";
	int cpus[PIN_MAX_CPUS], n = pin_available_cpus(cpus, PIN_MAX_CPUS), status;
	struct spawn_opts o;
	cpu_set_t set;
	pid_t pid;
	FILE *f;

	(void)state;
	if (n < 1)
		fail_msg("available CPUs: actual %d, expected at least 1", n);
	CPU_ZERO(&set);
	CPU_SET(cpus[n - 1], &set);
	snprintf(want, sizeof(want), "%d", cpus[n - 1]);
	spawn_opts_init(&o);
	o.cpus = &set;
	pid = spawn(argv, &o);
	assert_cmp_int(pid, >, 0);
	/* Past exec once /proc/<pid>/comm says sleep. */
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	for (int i = 0; i < 200; i++) {
		/* An exited child never turns into sleep: stop waiting for it. */
		if (waitpid(pid, &status, WNOHANG) == pid)
			fail_msg("the pinned child ended (status 0x%x), expected it running",
				 status);
		f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f) && !strncmp(line, "sleep", 5)) {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		usleep(10000);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cpus_allowed_list:", 18))
			sscanf(line + 18, "%63s", got);
	if (f)
		fclose(f);
	spawn_kill(pid, 1);
	if (strcmp(got, want))
		fail_msg("child's Cpus_allowed_list: actual '%s', expected '%s'", got, want);
}

/*
 * Under KVM (never on this machine) QEMU names its vCPU threads "CPU n/KVM":
 * they must be found and ordered by vCPU number (10 after 2), the rest left.
 */
static void test_kvm_thread_names(void **state)
{
	struct qemu_thread t[] = {
		{ 100, "qemu-system-x86", false }, { 104, "CPU 10/KVM", false },
		{ 101, "CPU 2/KVM", false },	   { 102, "IO mon_iothread", false },
		{ 103, "CPU 0/KVM", false },	   { 105, "CPU x/KVM", false },
	};
	static const int expected_tid[] = { 103, 101, 104 };
	int i;

	(void)state;
	pin_sort_threads(t, 6);
	for (i = 0; i < 3; i++) {
		if (!t[i].vcpu || t[i].tid != expected_tid[i])
			fail_msg("thread %d: %s (tid %d, vcpu %d), expected tid %d as a vCPU", i,
				 t[i].name, (int)t[i].tid, t[i].vcpu, expected_tid[i]);
	}
	for (; i < 6; i++)
		if (t[i].vcpu)
			fail_msg("\"%s\" taken for a vCPU thread", t[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enough_cpus),   cmocka_unit_test(test_too_few_cpus),
		cmocka_unit_test(test_affinity_mask), cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_spawn_cpus),    cmocka_unit_test(test_kvm_thread_names),
	};

	return cmocka_run_group_tests_name("pinning", tests, NULL, NULL);
}
