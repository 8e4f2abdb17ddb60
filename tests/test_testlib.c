// SPDX-License-Identifier: GPL-2.0
/*
 * The test helpers themselves: each assertion, when it fails, prints the
 * actual and the expected value (checked by running it in a child copy of
 * this program), and the leak counter sees our runs' namespaces, not others'.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testlib.h"

/* ---- the failing cases, run in a child: `test_testlib --fail <name>` ---- */

static char long_text[10000];

static void fail_contains(void)
{
	assert_contains("the quick brown fox", "slow");
}

static void fail_not_contains(void)
{
	assert_not_contains("abc needle xyz", "needle");
}

static void fail_cmp_int(void)
{
	int x = 3;

	assert_cmp_int(x, >=, 5);
}

static void fail_cmp_double(void)
{
	double y = 1.5;

	assert_cmp_double(y, <, 0.25);
}

static void fail_in_range(void)
{
	assert_double_in_range(7.5, 1, 2);
}

static void fail_near(void)
{
	assert_near(1.0, 2.0, 0.1);
}

static void fail_nan(void)
{
	assert_nan(4.25);
}

static void fail_sys_ok(void)
{
	FILE *f = fopen("/nonexistent-bpfcost/x", "r");

	assert_sys_ok(f, "/nonexistent-bpfcost/x");
}

static void fail_long_haystack(void)
{
	memset(long_text, 'a', sizeof(long_text) - 1);
	memcpy(long_text + sizeof(long_text) - 5, "TAIL", 4);
	assert_contains(long_text, "zzz");
}

static const struct failing_case {
	const char *name;
	void (*fn)(void);
	/* Each must be in the child's output; NULL ends the list. */
	const char *want[4];
} cases[] = {
	{ "contains", fail_contains, { "\"slow\"", "the quick brown fox" } },
	{ "not_contains", fail_not_contains, { "\"needle\"", "offset 4", "abc needle xyz" } },
	{ "cmp_int", fail_cmp_int, { "x >= 5", "got 3 >= 5" } },
	{ "cmp_double", fail_cmp_double, { "y < 0.25", "got 1.5 < 0.25" } },
	{ "in_range", fail_in_range, { "7.5", "[1, 2]" } },
	{ "near", fail_near, { "= 1,", "expected 2", "within 0.1" } },
	{ "nan", fail_nan, { "4.25", "expected NaN" } },
	{ "sys_ok", fail_sys_ok, { "/nonexistent-bpfcost/x", "No such file or directory" } },
	{ "long_haystack", fail_long_haystack, { "\"zzz\"", "bytes left out", "aTAIL" } },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static const struct failing_case *chosen;

static void run_chosen(void **state)
{
	(void)state;
	chosen->fn();
}

static int run_one_failing_case(const char *name)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(run_chosen) };

	for (size_t i = 0; i < N_CASES; i++)
		if (!strcmp(cases[i].name, name))
			chosen = &cases[i];
	if (!chosen) {
		fprintf(stderr, "no case %s\n", name);
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* ---- the tests ---- */

static void test_failures_print_actual_and_expected(void **state)
{
	static char out[1 << 16], err[1 << 16], both[1 << 17];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)state;
	assert_sys_ok(n > 0, "/proc/self/exe");
	self[n] = '\0';
	for (size_t i = 0; i < N_CASES; i++) {
		char *argv[] = { self, "--fail", (char *)cases[i].name, NULL };
		int code = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);

		snprintf(both, sizeof(both), "%s%s", out, err);
		if (code == 0)
			fail_msg("case %s: exit 0, expected the assertion to fail; output:\n%s",
				 cases[i].name, both);
		for (size_t k = 0; k < 4 && cases[i].want[k]; k++)
			if (!strstr(both, cases[i].want[k]))
				fail_msg("case %s: output lacks \"%s\"; it was:\n%s", cases[i].name,
					 cases[i].want[k], both);
	}
}

static void test_passing_assertions_pass(void **state)
{
	(void)state;
	assert_contains("the quick brown fox", "brown");
	assert_not_contains("the quick brown fox", "slow");
	assert_cmp_int(3, <, 5);
	assert_cmp_double(0.25, <=, 0.25);
	assert_double_in_range(1.5, 1, 2);
	assert_near(1.0, 1.05, 0.1);
	assert_nan(NAN);
	assert_sys_ok(1, "nothing");
	assert_string_equal(test_file_kind("/nonexistent-bpfcost"), "nothing");
	assert_string_equal(test_file_kind("/proc/self/exe"), "a symbolic link");
	assert_string_equal(test_file_kind("/"), "a directory");
}

/* `unshare -n sleep 60`; waits until it is in a namespace of its own. */
static void start_in_new_netns(struct child *c)
{
	char *argv[] = { "unshare", "-n", "sleep", "60", NULL };
	char path[64];
	struct stat ours, st;

	assert_sys_ok(!stat("/proc/self/ns/net", &ours), "/proc/self/ns/net");
	assert_int_equal(child_start(c, argv), 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)c->pid);
	/* unshare has nothing to tell us when it is done: polling its namespace is the wait. */
	for (int ms = 0; ms < 10000; ms += 5) {
		if (child_exited(c))
			fail_msg("unshare -n sleep 60 ended (%s), expected it to sleep",
				 child_how(c));
		if (!stat(path, &st) && st.st_ino != ours.st_ino)
			return;
		poll(NULL, 0, 5);
	}
	kill(c->pid, SIGKILL);
	child_wait(c, 1000);
	fail_msg("unshare -n: no namespace of its own after 10 s");
}

static void test_marked_namespaces_only_ours(void **state)
{
	struct child marked, other;
	char mark[16];
	int before, with_marked, with_both, after;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(mark, sizeof(mark), "%d", (int)getpid());
	unsetenv("BPFCOST_TEST_MARK");
	before = count_marked_net_namespaces();
	start_in_new_netns(&other);
	setenv("BPFCOST_TEST_MARK", mark, 1);
	start_in_new_netns(&marked);
	with_both = count_marked_net_namespaces();
	kill(other.pid, SIGKILL);
	child_wait(&other, 5000);
	with_marked = count_marked_net_namespaces();
	kill(marked.pid, SIGKILL);
	child_wait(&marked, 5000);
	after = count_marked_net_namespaces();
	unsetenv("BPFCOST_TEST_MARK");
	if (with_both != before + 1 || with_marked != before + 1 || after != before)
		fail_msg("marked namespaces: before %d, with a marked and an unmarked sleeper %d, "
			 "with the marked one %d, after %d; expected %d, %d, %d, %d",
			 before, with_both, with_marked, after, before, before + 1, before + 1,
			 before);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failures_print_actual_and_expected),
		cmocka_unit_test(test_passing_assertions_pass),
		cmocka_unit_test(test_marked_namespaces_only_ours),
	};

	if (argc == 3 && !strcmp(argv[1], "--fail"))
		return run_one_failing_case(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
