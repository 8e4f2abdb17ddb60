// SPDX-License-Identifier: GPL-2.0
/*
 * loader/spawn.h's run-and-wait helpers and read_eof.h: output read to its
 * end whatever its size, deadlines that kill, and exit statuses in words.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "loader/clock.h"
#include "loader/read_eof.h"
#include "loader/spawn.h"

/* 100,000 lines (588,895 bytes) through a 4 KiB buffer: kept to fit, the rest drained. */
static void test_capture_drains_more_than_fits(void **state)
{
	char *argv[] = { "seq", "1", "100000", NULL };
	char buf[4096];
	struct read_buf out = { .buf = buf, .cap = sizeof(buf) };
	struct spawn_opts o;
	int status = -1, r;

	(void)state;
	spawn_opts_init(&o);
	r = spawn_capture(argv, &o, 30, NULL, &out, &status);
	if (r || !WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("spawn_capture: %d, status %#x; want 0 and exit 0", r, status);
	if (out.len != sizeof(buf) - 1 || !out.truncated)
		fail_msg("kept %zu bytes, truncated %d; want %zu and 1", out.len, out.truncated,
			 sizeof(buf) - 1);
	if (strncmp(buf, "1\n2\n3\n", 6) || strlen(buf) != out.len)
		fail_msg("buffer starts '%.8s' (%zu bytes); want '1\\n2\\n3\\n' (%zu)", buf,
			 strlen(buf), out.len);
}

static void test_capture_deadline_kills(void **state)
{
	char *argv[] = { "sleep", "30", NULL };
	char buf[64];
	struct read_buf out = { .buf = buf, .cap = sizeof(buf) };
	struct spawn_opts o;
	double t0 = bpfcost_now(), took;
	int status, r;

	(void)state;
	spawn_opts_init(&o);
	r = spawn_capture(argv, &o, 0.3, NULL, &out, &status);
	took = bpfcost_now() - t0;
	if (r != -1 || errno != ETIMEDOUT)
		fail_msg("spawn_capture: %d (errno %d); want -1 (errno %d, ETIMEDOUT)", r, errno,
			 ETIMEDOUT);
	if (took > 5)
		fail_msg("took %.1f s for a 0.3 s deadline; want under 5", took);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		fail_msg("status %#x; want killed by SIGKILL (reaped)", status);
}

/* stderr_fd = SPAWN_TO_STDOUT: what the child says on stderr is captured too. */
static void test_capture_stderr_to_stdout(void **state)
{
	char *argv[] = { "ls", "/nonexistent-bpfcost-path", NULL };
	char buf[512];
	struct read_buf out = { .buf = buf, .cap = sizeof(buf) };
	struct spawn_opts o;
	int status = -1, r;

	(void)state;
	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_TO_STDOUT;
	r = spawn_capture(argv, &o, 30, NULL, &out, &status);
	if (r || !WIFEXITED(status) || !WEXITSTATUS(status))
		fail_msg("spawn_capture: %d, status %#x; want 0 and a non-zero exit", r, status);
	if (!strstr(buf, "nonexistent-bpfcost-path"))
		fail_msg("captured '%s'; want ls's complaint naming the path", buf);
}

static void test_run_ok_says_why(void **state)
{
	char *fails[] = { "false", NULL }, *missing[] = { "/nonexistent/bpfcost-x", NULL };
	char *works[] = { "true", NULL };
	struct spawn_opts o;
	char why[64] = "";
	int r;

	(void)state;
	spawn_opts_init(&o);
	r = spawn_run_ok(works, &o, 30, NULL, why, sizeof(why));
	if (r)
		fail_msg("true: %d (%s); want 0", r, why);
	r = spawn_run_ok(fails, &o, 30, NULL, why, sizeof(why));
	if (r != -ECHILD || strcmp(why, "exit 1"))
		fail_msg("false: %d '%s'; want %d 'exit 1'", r, why, -ECHILD);
	/* exec fails in the child: 127, as a shell says for "not found". */
	r = spawn_run_ok(missing, &o, 30, NULL, why, sizeof(why));
	if (r != -ECHILD || strcmp(why, "exit 127"))
		fail_msg("missing program: %d '%s'; want %d 'exit 127'", r, why, -ECHILD);
}

static void test_first_line(void **state)
{
	char *argv[] = { "printf", "first\\nsecond\\n", NULL };
	char line[64];
	int r;

	(void)state;
	r = spawn_first_line(argv, line, sizeof(line), 30);
	if (r || strcmp(line, "first"))
		fail_msg("spawn_first_line: %d '%s'; want 0 'first'", r, line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_drains_more_than_fits),
		cmocka_unit_test(test_capture_deadline_kills),
		cmocka_unit_test(test_capture_stderr_to_stdout),
		cmocka_unit_test(test_run_ok_says_why),
		cmocka_unit_test(test_first_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
