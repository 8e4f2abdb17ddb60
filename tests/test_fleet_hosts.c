// SPDX-License-Identifier: GPL-2.0
/*
 * The fleet tests' hosts (tests/fleet_hosts.c): three namespaced sshds that
 * let root in with the test's key, each in its own network; one whose sshd is
 * killed refuses; nothing is left after fleet_hosts_down(), twice over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fleet_hosts.h"
#include "testlib.h"

static struct fleet_hosts fleet;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int teardown(void **state)
{
	(void)state;
	fleet_hosts_down(&fleet);
	return 0;
}

static void up(int n)
{
	char err[2048];
	double t0 = now_s();

	if (fleet_hosts_up(&fleet, n, err, sizeof(err)))
		fail_msg("fleet_hosts_up(%d) failed: %s", n, err);
	printf("fleet_hosts_up(%d): %.2f s\n", n, now_s() - t0);
}

static void down_and_check(void)
{
	char what[2048];
	double t0 = now_s();

	fleet_hosts_down(&fleet);
	printf("fleet_hosts_down: %.2f s\n", now_s() - t0);
	if (fleet_hosts_leftovers(&fleet, what, sizeof(what)))
		fail_msg("after fleet_hosts_down, left: %s (expected nothing)", what);
	/* Idempotent: a second call (the exit hook's, say) finds nothing to do and breaks nothing.
	 */
	fleet_hosts_down(&fleet);
	if (fleet_hosts_leftovers(&fleet, what, sizeof(what)))
		fail_msg("after a second fleet_hosts_down, left: %s", what);
}

/* Host @i lets root in, in its own namespace: its address is there, no other host's. */
static void check_host(int i)
{
	char out[8192], err[2048];
	int code;

	code = fleet_host_ssh(&fleet, i, "id -u", out, sizeof(out), err, sizeof(err));
	if (code)
		fail_msg("ssh to %s (%s) ended with %d (expected 0): %s", fleet.host[i].name,
			 fleet.host[i].addr, code, err);
	if (strcmp(out, "0\n"))
		fail_msg("id -u on %s printed \"%s\", expected \"0\"", fleet.host[i].name, out);
	code = fleet_host_ssh(&fleet, i, "ip -o addr", out, sizeof(out), err, sizeof(err));
	if (code)
		fail_msg("ip -o addr on %s ended with %d: %s", fleet.host[i].name, code, err);
	assert_contains(out, fleet.host[i].addr);
	for (int j = 0; j < fleet.n; j++) {
		char mine[40];

		if (j == i)
			continue;
		snprintf(mine, sizeof(mine), " %s/", fleet.host[j].addr);
		assert_not_contains(out, mine);
	}
}

static void check_workdirs(void)
{
	for (int i = 0; i < fleet.n; i++) {
		assert_contains(fleet.host[i].workdir, fleet.dir);
		if (strcmp(test_file_kind(fleet.host[i].workdir), "a directory"))
			fail_msg("%s's workdir %s is %s, expected a directory", fleet.host[i].name,
				 fleet.host[i].workdir, test_file_kind(fleet.host[i].workdir));
		for (int j = 0; j < i; j++)
			if (!strcmp(fleet.host[i].workdir, fleet.host[j].workdir))
				fail_msg("%s and %s share workdir %s", fleet.host[i].name,
					 fleet.host[j].name, fleet.host[i].workdir);
	}
}

static void check_inventory(void)
{
	char path[PATH_MAX + 16], text[8192];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/hosts.ini", fleet.dir);
	assert_sys_ok(!fleet_hosts_write_inventory(&fleet, path, "bpfcost_target=host"), path);
	f = fopen(path, "r");
	assert_sys_ok(f, path);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	for (int i = 0; i < fleet.n; i++) {
		char want[PATH_MAX + 64];

		snprintf(want, sizeof(want), "%s ansible_host=%s ", fleet.host[i].name,
			 fleet.host[i].addr);
		assert_contains(text, want);
		snprintf(want, sizeof(want), "bpfcost_workdir=%s bpfcost_target=host\n",
			 fleet.host[i].workdir);
		assert_contains(text, want);
	}
	assert_contains(text, "ControlMaster=no");
	assert_not_contains(text, "ControlPersist=60");
}

static void test_three_hosts(void **state)
{
	char out[256], err[2048];
	int code;

	(void)state;
	if (geteuid()) {
		printf("skipped: network namespaces and sshd need root\n");
		skip();
	}
	up(3);
	for (int i = 0; i < 3; i++)
		check_host(i);
	check_workdirs();
	check_inventory();

	fleet_host_kill_sshd(&fleet, 1);
	code = fleet_host_ssh(&fleet, 1, "true", out, sizeof(out), err, sizeof(err));
	if (code != 255)
		fail_msg(
			"ssh to %s after its sshd was killed ended with %d, expected 255 (refused)",
			fleet.host[1].name, code);
	check_host(0);
	check_host(2);
	down_and_check();
}

/* Hosts made again after a down: names, addresses and folders are free for reuse. */
static void test_up_down_again(void **state)
{
	(void)state;
	if (geteuid()) {
		printf("skipped: network namespaces and sshd need root\n");
		skip();
	}
	up(2);
	check_host(0);
	check_host(1);
	down_and_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_three_hosts, teardown),
		cmocka_unit_test_teardown(test_up_down_again, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
