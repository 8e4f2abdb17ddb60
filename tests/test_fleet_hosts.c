// SPDX-License-Identifier: GPL-2.0
/*
 * The fleet tests' hosts (tests/fleet_hosts.c): three namespaced sshds that
 * let root in with the test's key, each in its own network; one whose sshd is
 * killed refuses; nothing is left after fleet_hosts_down(), twice over.
 */
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
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
static struct child master;
static bool master_started;

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
	if (master_started)
		child_wait(&master, 5000);
	master_started = false;
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

/*
 * An SSH connection master to host 0 (what Ansible's ControlPersist leaves
 * behind), a child of ours; returns once its control socket exists.
 */
static void start_master(struct child *c)
{
	char known[PATH_MAX + 32], path[PATH_MAX + 64], dest[64];
	char *argv[] = {
		"ssh",		 "-F", "/dev/null",	    "-i", fleet.key, "-o", known, "-o",
		"BatchMode=yes", "-o", "ControlMaster=yes", "-o", path,	     "-N", dest,  NULL
	};
	char *sock = path + strlen("ControlPath=");
	time_t deadline = time(NULL) + 20;

	snprintf(known, sizeof(known), "UserKnownHostsFile=%s", fleet.known_hosts);
	snprintf(path, sizeof(path), "ControlPath=%s/master.sock", fleet.dir);
	snprintf(dest, sizeof(dest), "root@%s", fleet.host[0].addr);
	assert_int_equal(child_start(c, argv), 0);
	while (strcmp(test_file_kind(sock), "a special file")) {
		if (child_exited(c) || time(NULL) > deadline) {
			char why[1024];

			read_all(c->err, why, sizeof(why), 1000);
			fail_msg("ssh master to %s: no control socket %s (%s): %s",
				 fleet.host[0].addr, sock, child_how(c), why);
		}
		/* The socket appears once the master has logged in: check again shortly. */
		poll(NULL, 0, 50);
	}
}

static void test_three_hosts(void **state)
{
	char out[256], err[2048], what[2048];
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

	/* A lingering SSH client is found, and fleet_hosts_down() ends it. */
	start_master(&master);
	master_started = true;
	if (!fleet_hosts_leftovers(&fleet, what, sizeof(what)))
		fail_msg("a running SSH master to %s is not reported by fleet_hosts_leftovers",
			 fleet.host[0].addr);
	assert_contains(what, "process");
	down_and_check();
	/* Ended by fleet_hosts_down() itself, not by child_wait()'s own SIGKILL at its timeout. */
	if (!child_exited(&master))
		fail_msg("the SSH master to %s still runs after fleet_hosts_down (expected killed)",
			 fleet.host[0].addr);
	code = child_wait(&master, 5000);
	master_started = false;
	if (code != -9)
		fail_msg("the SSH master ended %s after fleet_hosts_down, expected killed by "
			 "signal 9",
			 child_how(&master));
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

/* What a test with pid @pid left of its host 0: namespace, veth, temp folder; "" if nothing. */
static void left_by(pid_t pid, char *what, size_t len)
{
	char path[PATH_MAX], prefix[64];
	struct dirent *e;
	DIR *d;

	what[0] = '\0';
	snprintf(path, sizeof(path), "/run/netns/bpfcost-fleet-%d-0", (int)pid);
	if (!access(path, F_OK))
		snprintf(what + strlen(what), len - strlen(what), "%s ", path);
	snprintf(path, sizeof(path), "/sys/class/net/bfl%uh0", (unsigned)pid % 1000000u);
	if (!access(path, F_OK))
		snprintf(what + strlen(what), len - strlen(what), "%s ", path);
	snprintf(prefix, sizeof(prefix), "bpfcost-fleet-%d-", (int)pid);
	d = opendir("/tmp");
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			snprintf(what + strlen(what), len - strlen(what), "/tmp/%s ", e->d_name);
	if (d)
		closedir(d);
}

/* A test killed outright (SIGKILL: no exit hook) leaves its hosts; the next fleet_hosts_up()
 * removes them. */
static void test_killed_test_reaped(void **state)
{
	char what[4096], byte;
	int ready[2];
	pid_t pid;

	(void)state;
	if (geteuid()) {
		printf("skipped: network namespaces and sshd need root\n");
		skip();
	}
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_sys_ok(pid >= 0, "fork");
	if (!pid) {
		struct fleet_hosts mine;
		char err[1024];

		close(ready[0]);
		/* Should the test die first, this child dies too: its hosts are then stale. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fleet_hosts_up(&mine, 1, err, sizeof(err))) {
			fprintf(stderr, "child: %s\n", err);
			_exit(1);
		}
		if (write(ready[1], "u", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &byte, 1) != 1) {
		close(ready[0]);
		waitpid(pid, NULL, 0);
		fail_msg("the child's fleet_hosts_up failed (see its stderr)");
	}
	close(ready[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	left_by(pid, what, sizeof(what));
	if (!what[0])
		fail_msg(
			"a test killed with SIGKILL left nothing: expected its namespace, veth and "
			"folder (the case to clean up)");
	up(1);
	check_host(0);
	left_by(pid, what, sizeof(what));
	if (what[0])
		fail_msg("after fleet_hosts_up, the killed test's %s is left (expected removed)",
			 what);
	down_and_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_three_hosts, teardown),
		cmocka_unit_test_teardown(test_up_down_again, teardown),
		cmocka_unit_test_teardown(test_killed_test_reaped, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
