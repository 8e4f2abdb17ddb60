// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a probe is adding one file: a throw-away progs/<name>.bpf.c, built by the
 * usual `make`, shows up in --list and attaches, with no other file edited.
 *
 * All of it happens in a copy of the tree (its git files and its build output),
 * never in the checkout: a probe left behind there would join MATRIX=all.
 */
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
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

#include "loader/bpfcost.h"
#include "testlib.h"

#define MAKE_TIMEOUT_MS 300000

static char copy[] = "/tmp/bpfcost-test-new-probe-XXXXXX";
static bool copy_made;
/* The build output folder's name in the copy: build/ (build-san/ under SANITIZE=1). */
static char out_name[NAME_MAX + 1];
static char name[64];

static const char *in_copy(const char *rel)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", copy, rel);
	return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

static void remove_copy(void)
{
	if (copy_made && nftw(copy, remove_entry, 16, FTW_DEPTH | FTW_PHYS))
		print_error("cannot remove %s: %s\n", copy, strerror(errno));
	copy_made = false;
}

/* Killed by run-tests.sh's timeout or ^C: the copy goes too (fork and exec are safe here). */
static void remove_copy_and_die(int sig)
{
	char *const argv[] = { "rm", "-rf", copy, NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execv("/bin/rm", argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* `make -s -C <copy> all`, with the copy's build folder; its exit code, output in @err. */
static int make_in_copy(char *out, size_t outlen, char *err, size_t errlen)
{
	char out_arg[NAME_MAX + 8];
	char *argv[] = { "make", "-s", "-C", copy, out_arg, "all", NULL };

	snprintf(out_arg, sizeof(out_arg), "OUT=%s", out_name);
	return run_capture(argv, out, outlen, err, errlen, MAKE_TIMEOUT_MS);
}

/*
 * The checkout's git files as they are in the work tree (edits included), and
 * its build output but the guest: timestamps kept, so make rebuilds only the new probe.
 */
static int make_copy(void **state)
{
	static char out[1 << 16], err[1 << 16];
	char script[] =
		"cd \"$1\" && git ls-files -z | tar --null -T - -cf - | tar -xf - -C \"$3\" "
		"&& cd \"$2\" && mkdir -p \"$3/$4\" && "
		"tar --exclude=./guest --exclude=./tests -cf - . | tar -xf - -C \"$3/$4\"";
	char root[PATH_MAX], build[PATH_MAX];
	char *argv[] = { "sh", "-c", script, "sh", root, build, copy, out_name, NULL };
	int code;

	(void)state;
	if (!realpath(test_root_path(""), root) || !realpath(test_out_path(""), build)) {
		print_error("checkout %s or build output %s: %s\n", test_root_path(""),
			    test_out_path(""), strerror(errno));
		return -1;
	}
	snprintf(out_name, sizeof(out_name), "%s", basename(build));
	if (!mkdtemp(copy)) {
		print_error("mkdtemp %s: %s\n", copy, strerror(errno));
		return -1;
	}
	copy_made = true;
	signal(SIGTERM, remove_copy_and_die);
	signal(SIGINT, remove_copy_and_die);
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), 120000);
	if (code) {
		print_error("copying %s (git ls-files) and %s into %s: exit %d: %s\n", root, build,
			    copy, code, err);
		remove_copy();
		return -1;
	}
	print_message("    working in a copy of the tree: %s\n", copy);
	return 0;
}

static int drop_copy(void **state)
{
	(void)state;
	remove_copy();
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	return 0;
}

static void test_dropped_in_probe_is_listed_and_attaches(void **state)
{
	static char out[1 << 16], err[1 << 16];
	char loader[PATH_MAX], src[PATH_MAX], obj[PATH_MAX], want[128];
	char *list[] = { loader, "--list", NULL };
	char *run[] = { loader, "-p", name, "-a", "raw_tp", "-d", "0.2", NULL };
	FILE *f;
	int code;

	(void)state;
	snprintf(src, sizeof(src), "%s/progs/%s.bpf.c", copy, name);
	snprintf(obj, sizeof(obj), "%s/%s/progs/%s.bpf.o", copy, out_name, name);
	snprintf(loader, sizeof(loader), "%s/%s/bin/bpfcost-loader", copy, out_name);
	f = fopen(src, "w");
	assert_sys_ok(f, src);
	fprintf(f, "// SPDX-License-Identifier: GPL-2.0\n"
		   "#include \"bpfcost_probe.h\"\n"
		   "const volatile __u32 throwaway_knob = 7;\n"
		   "static __always_inline int probe_body(void)\n"
		   "{\n\treturn throwaway_knob > 100;\n}\n");
	assert_int_equal(fclose(f), 0);

	code = make_in_copy(out, sizeof(out), err, sizeof(err));
	if (code)
		fail_msg("make in %s: exit %d, expected 0; stderr:\n%s", copy, code,
			 test_excerpt(err));
	assert_sys_ok(access(obj, R_OK) == 0, obj);
	code = run_capture(list, out, sizeof(out), err, sizeof(err), 30000);
	if (code)
		fail_msg("%s --list: exit %d, expected 0; stderr: %s", loader, code, err);
	snprintf(want, sizeof(want), "\nprobe %s throwaway_knob=7\n", name);
	assert_contains(out, want);
	code = run_capture(run, out, sizeof(out), err, sizeof(err), 30000);
	if (code)
		fail_msg("loader -p %s -a raw_tp: exit %d, expected 0; stderr: %s", name, code,
			 err);
	snprintf(want, sizeof(want), "\"probe\":\"%s\"", name);
	assert_contains(out, want);
}

/* A probe named like "x-stat" would make row names that parse back as other rows. */
static void test_probe_name_with_dash_is_refused_by_name(void **state)
{
	static char out[1 << 16], err[1 << 16];
	char bad[PATH_MAX], want[128];
	FILE *f;
	int code;

	(void)state;
	snprintf(want, sizeof(want), "progs/zz-stat_%d.bpf.c", (int)getpid());
	snprintf(bad, sizeof(bad), "%s", in_copy(want));
	f = fopen(bad, "w");
	assert_sys_ok(f, bad);
	assert_int_equal(fclose(f), 0);
	code = make_in_copy(out, sizeof(out), err, sizeof(err));
	unlink(bad);
	if (code == 0 || !strstr(err, want))
		fail_msg("make: exit %d (expected non-zero), stderr should name %s: %s", code, want,
			 test_excerpt(err));
}

/* Nothing of this test in the checkout: the copy was the only place written. */
static void test_checkout_untouched(void **state)
{
	char path[PATH_MAX + 64];

	(void)state;
	snprintf(path, sizeof(path), "%s", test_root_path("progs/"));
	strncat(path, name, sizeof(path) - strlen(path) - 8);
	strcat(path, ".bpf.c");
	if (!access(path, F_OK))
		fail_msg("%s exists in the checkout, expected the probe only in the copy", path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dropped_in_probe_is_listed_and_attaches),
		cmocka_unit_test(test_probe_name_with_dash_is_refused_by_name),
		cmocka_unit_test(test_checkout_untouched),
	};

	snprintf(name, sizeof(name), "zz_throwaway_%d", (int)getpid());
	return cmocka_run_group_tests(tests, make_copy, drop_copy);
}
