// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a probe is adding one file: a throw-away progs/<name>.bpf.c, built by the
 * usual `make`, shows up in --list and attaches, with no other file edited.
 *
 * All of it happens in a copy of the tree (its git files and its build output),
 * never in the checkout: a probe left behind there would join MATRIX=all.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "loader/bpfcost.h"
#include "testlib.h"
#include "tree_copy.h"

#define MAKE_TIMEOUT_MS 300000

/* The copy's folder; the tree is in its tree/. */
static char copy_dir[256];
static char copy[sizeof(copy_dir) + 8];
static char out_name[NAME_MAX + 1];
static char name[64];

static const char *in_copy(const char *rel)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", copy, rel);
	return path;
}

/* `make -s -C <copy> all`, with the copy's build folder; its exit code, output in @err. */
static int make_in_copy(char *out, size_t outlen, char *err, size_t errlen)
{
	char out_arg[NAME_MAX + 8];
	char *argv[] = { "make", "-s", "-C", copy, out_arg, "all", NULL };

	snprintf(out_arg, sizeof(out_arg), "OUT=%s", out_name);
	return run_capture(argv, out, outlen, err, errlen, MAKE_TIMEOUT_MS);
}

/* The checkout and its build output but the guest: make rebuilds only the new probe. */
static int make_copy(void **state)
{
	(void)state;
	if (tree_copy("new-probe", false, copy_dir, sizeof(copy_dir)))
		return -1;
	snprintf(copy, sizeof(copy), "%s/tree", copy_dir);
	snprintf(out_name, sizeof(out_name), "%s", tree_copy_out());
	return 0;
}

static int drop_copy(void **state)
{
	(void)state;
	tree_copy_remove();
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

/* In the copy, the probe's file is the only one added or edited. */
static void test_only_the_probe_file_added(void **state)
{
	static char changes[1 << 16];
	char want[128];

	(void)state;
	snprintf(want, sizeof(want), "?? progs/%s.bpf.c\n", name);
	assert_int_equal(tree_copy_changes(changes, sizeof(changes)), 0);
	if (strcmp(changes, want))
		fail_msg("files changed in the copy:\n%s\nexpected only '%s'",
			 test_excerpt(changes), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dropped_in_probe_is_listed_and_attaches),
		cmocka_unit_test(test_probe_name_with_dash_is_refused_by_name),
		cmocka_unit_test(test_checkout_untouched),
		cmocka_unit_test(test_only_the_probe_file_added),
	};

	snprintf(name, sizeof(name), "zz_throwaway_%d", (int)getpid());
	return cmocka_run_group_tests(tests, make_copy, drop_copy);
}
