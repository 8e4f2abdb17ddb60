// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a probe is adding one file: a throw-away progs/<name>.bpf.c, built by the
 * usual `make`, shows up in --list and attaches, with no other file edited.
 */
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

static char src[4096], obj[4096], name[64];

static int remove_probe(void **state)
{
	(void)state;
	unlink(src);
	unlink(obj);
	return 0;
}

static void test_dropped_in_probe_is_listed_and_attaches(void **state)
{
	char *make[] = { "make", "-s", "-C", (char *)test_root_path(""), "all", NULL };
	char *list[] = { strdup(test_out_path("bin/bpfcost-loader")), "--list", NULL };
	char *run[] = { list[0], "-p", name, "-a", "raw_tp", "-d", "0.2", NULL };
	static char out[1 << 16], err[1 << 16];
	char want[128];
	FILE *f;

	(void)state;
	f = fopen(src, "w");
	assert_non_null(f);
	fprintf(f, "// SPDX-License-Identifier: GPL-2.0\n"
		   "#include \"bpfcost_probe.h\"\n"
		   "const volatile __u32 throwaway_knob = 7;\n"
		   "static __always_inline int probe_body(void)\n"
		   "{\n\treturn throwaway_knob > 100;\n}\n");
	fclose(f);

	assert_int_equal(run_capture(make, out, sizeof(out), err, sizeof(err), 300000), 0);
	assert_int_equal(access(obj, R_OK), 0);
	assert_int_equal(run_capture(list, out, sizeof(out), err, sizeof(err), 30000), 0);
	snprintf(want, sizeof(want), "\nprobe %s throwaway_knob=7\n", name);
	if (!strstr(out, want))
		fail_msg("--list lacks '%s':\n%s", want + 1, out);
	assert_int_equal(run_capture(run, out, sizeof(out), err, sizeof(err), 30000), 0);
	snprintf(want, sizeof(want), "\"probe\":\"%s\"", name);
	assert_contains(out, want);
	free(list[0]);
}

/* A probe named like "x-stat" would make row names that parse back as other rows. */
static void test_probe_name_with_dash_is_refused_by_name(void **state)
{
	char *make[] = { "make", "-s", "-C", (char *)test_root_path(""), "all", NULL };
	static char out[1 << 16], err[1 << 16];
	char bad[4096], want[128];
	FILE *f;
	int code;

	(void)state;
	snprintf(want, sizeof(want), "progs/zz-stat_%d.bpf.c", (int)getpid());
	snprintf(bad, sizeof(bad), "%s", test_root_path(want));
	f = fopen(bad, "w");
	assert_non_null(f);
	fclose(f);
	code = run_capture(make, out, sizeof(out), err, sizeof(err), 300000);
	unlink(bad);
	if (code == 0 || !strstr(err, want))
		fail_msg("make: exit %d (expected non-zero), stderr should name %s: %s", code, want,
			 err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_dropped_in_probe_is_listed_and_attaches,
					  remove_probe),
		cmocka_unit_test(test_probe_name_with_dash_is_refused_by_name),
	};

	snprintf(name, sizeof(name), "zz_throwaway_%d", (int)getpid());
	snprintf(src, sizeof(src), "%s", test_root_path("progs/"));
	strncat(src, name, sizeof(src) - strlen(src) - 16);
	strcat(src, ".bpf.c");
	snprintf(obj, sizeof(obj), "%s/%s.bpf.o", test_out_path("progs"), name);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
