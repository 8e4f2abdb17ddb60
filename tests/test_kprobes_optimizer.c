// SPDX-License-Identifier: GPL-2.0
/*
 * debug.kprobes-optimization comes back whatever happens to the loaders that
 * turned it off: after the last of two holders lets go, and after a holder is
 * SIGKILLed (the next start restores it). The sysctl and the state folder are
 * files in a temporary folder here, so this runs on any kernel.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "loader/kprobes.h"
#include "testlib.h"

static char dir[] = "/tmp/bpfcost-test-kopt-XXXXXX", sysctl[256], state[256];

static int sysctl_value(void)
{
	FILE *f = fopen(sysctl, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void set_sysctl(int v)
{
	FILE *f = fopen(sysctl, "w");

	assert_sys_ok(f, sysctl);
	fprintf(f, "%d\n", v);
	fclose(f);
}

/* A child that takes the optimizer off, then waits for a byte on @cmd and releases (or dies). */
static pid_t holder(int cmd_fd, int ready_fd)
{
	pid_t pid = fork();
	char c;

	if (pid)
		return pid;
	if (kprobes_optimizer_off() != 1)
		_exit(2);
	if (write(ready_fd, "r", 1) != 1)
		_exit(3);
	if (read(cmd_fd, &c, 1) != 1)
		_exit(4);
	if (c == 'k')
		raise(SIGKILL);
	kprobes_optimizer_release();
	_exit(0);
}

static void wait_ready(int fd)
{
	char c;

	assert_int_equal(read(fd, &c, 1), 1);
}

static void test_two_holders_last_one_restores(void **state_)
{
	int cmd[2], ready[2], status;
	pid_t other;

	(void)state_;
	set_sysctl(1);
	assert_int_equal(pipe(cmd), 0);
	assert_int_equal(pipe(ready), 0);
	other = holder(cmd[0], ready[1]);
	wait_ready(ready[0]);
	assert_int_equal(sysctl_value(), 0);
	assert_int_equal(kprobes_optimizer_off(), 1);
	kprobes_optimizer_release();
	/* the other holder still has it off */
	assert_int_equal(sysctl_value(), 0);
	assert_int_equal(write(cmd[1], "r", 1), 1);
	assert_int_equal(waitpid(other, &status, 0), other);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(sysctl_value(), 1);
}

static void test_sigkilled_holder_is_undone_at_next_start(void **state_)
{
	int cmd[2], ready[2], status;
	pid_t victim;

	(void)state_;
	set_sysctl(1);
	assert_int_equal(pipe(cmd), 0);
	assert_int_equal(pipe(ready), 0);
	victim = holder(cmd[0], ready[1]);
	wait_ready(ready[0]);
	assert_int_equal(write(cmd[1], "k", 1), 1);
	assert_int_equal(waitpid(victim, &status, 0), victim);
	if (!WIFSIGNALED(status))
		fail_msg("holder exited with %d, expected it killed (SIGKILL)",
			 WEXITSTATUS(status));
	/* SIGKILL: nothing could restore it then */
	assert_int_equal(sysctl_value(), 0);
	kprobes_optimizer_recover();
	assert_int_equal(sysctl_value(), 1);
	/* and a value the user set afterwards is left alone */
	set_sysctl(0);
	kprobes_optimizer_recover();
	assert_int_equal(sysctl_value(), 0);
}

static int teardown(void **state_)
{
	char path[300];

	(void)state_;
	unlink(sysctl);
	snprintf(path, sizeof(path), "%s/lock", state);
	unlink(path);
	rmdir(state);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_holders_last_one_restores),
		cmocka_unit_test(test_sigkilled_holder_is_undone_at_next_start),
	};

	if (!mkdtemp(dir))
		return 1;
	snprintf(sysctl, sizeof(sysctl), "%s/kprobes-optimization", dir);
	snprintf(state, sizeof(state), "%s/state", dir);
	setenv("BPFCOST_KPROBES_OPT_SYSCTL", sysctl, 1);
	setenv("BPFCOST_STATE_DIR", state, 1);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
