// SPDX-License-Identifier: GPL-2.0
/*
 * KERNELS="...": the parser (series, pinned versions, A..B against a fixture
 * package list in place of apt's, own builds, bad input), what a kernel sweep
 * refuses (TARGET=host) or sets (VCPUS=1 under CLOCK=instructions), and the
 * split of bpfcost-run's settings the sweep shares.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/kernels.h"
#include "experiments/sweep_args.h"
#include "experiments/sweep_kernels.h"
#include "testlib.h"

static struct kernel_list kl;
static char err[1024];
static struct kernel_registry reg;

static int setup(void **state)
{
	(void)state;
	/* The fixture replaces apt's list; the cache is a folder with no packages. */
	setenv("GUEST_KERNEL_LIST", test_root_path("tests/fixtures/kernels/packages.txt"), 1);
	reg = (struct kernel_registry){ getenv("BPFCOST_ROOT") ?: ".", "cloud-amd64",
					"/nonexistent-bpfcost-cache" };
	return 0;
}

static int parse(const char *s)
{
	err[0] = '\0';
	return kernels_parse(s, kernels_list_registry, &reg, &kl, err, sizeof(err));
}

static void check_debian(int i, const char *version)
{
	assert_cmp_int(kl.k[i].kind, ==, KERNEL_DEBIAN);
	if (strcmp(kl.k[i].version, version) || strcmp(kl.k[i].arg, version))
		fail_msg("kernel %d: version '%s' (arg '%s'), expected '%s'", i, kl.k[i].version,
			 kl.k[i].arg, version);
}

static void test_series_and_pinned(void **state)
{
	(void)state;
	if (parse("  6.1\t6.12  6.12.117+deb12 6.1.0-57 "))
		fail_msg("refused: %s", err);
	assert_cmp_int(kl.n, ==, 4);
	/* A series stays a series: make guest resolves it to its newest. */
	check_debian(0, "6.1");
	check_debian(1, "6.12");
	check_debian(2, "6.12.117+deb12");
	check_debian(3, "6.1.0-57");
}

static void test_range_every_point_release(void **state)
{
	(void)state;
	if (parse("6.12.107+deb12..6.12.117+deb12"))
		fail_msg("refused: %s", err);
	/* 6.12.100 and 6.12.120 are outside, 6.12.9 is older (a version, not a string order). */
	assert_cmp_int(kl.n, ==, 3);
	check_debian(0, "6.12.107+deb12");
	check_debian(1, "6.12.110+deb12");
	check_debian(2, "6.12.117+deb12");
	if (parse("6.1.0-50..6.1.0-57 6.12"))
		fail_msg("refused: %s", err);
	/* Another flavour's 6.1.0-57 (rt) is not listed twice. */
	assert_cmp_int(kl.n, ==, 3);
	check_debian(0, "6.1.0-50");
	check_debian(1, "6.1.0-57");
	check_debian(2, "6.12");
}

static void test_own_build(void **state)
{
	char dir[] = "/tmp/bpfcost-kernels-XXXXXX", image[64], mods[64], word[160];
	FILE *f;

	(void)state;
	assert_sys_ok(mkdtemp(dir), "mkdtemp");
	snprintf(image, sizeof(image), "%s/bzImage", dir);
	snprintf(mods, sizeof(mods), "%s/6.13.0", dir);
	f = fopen(image, "w");
	assert_sys_ok(f, image);
	fclose(f);
	assert_sys_ok(!mkdir(mods, 0755), mods);
	snprintf(word, sizeof(word), "6.12 %s:%s", image, mods);
	if (parse(word))
		fail_msg("refused: %s", err);
	assert_cmp_int(kl.n, ==, 2);
	assert_cmp_int(kl.k[1].kind, ==, KERNEL_OWN);
	assert_string_equal(kl.k[1].image, image);
	assert_string_equal(kl.k[1].modules, mods);
	assert_string_equal(kl.k[1].arg, word + 5);
	/* The modules folder swapped for a file: refused, named. */
	snprintf(word, sizeof(word), "%s:%s", mods, image);
	assert_cmp_int(parse(word), ==, -1);
	assert_contains(err, "not a kernel image");
	rmdir(mods);
	unlink(image);
	rmdir(dir);
}

static void test_bad_input(void **state)
{
	static const struct {
		const char *in, *says;
	} bad[] = {
		{ "", "KERNELS is empty" },
		{ "6.1 latest", "'latest': not a kernel; each word is a series" },
		{ "6.1;reboot", "'6.1;reboot': not a kernel" },
		{ "6.1.0-57..6.12.117+deb12", "both ends must be of one series" },
		{ "6.12.117+deb12..6.12.107+deb12", "the first version is newer" },
		{ "6.1..6.12", "a range is two Debian versions of one series" },
		{ "6.12.111+deb12..6.12.116+deb12",
		  "the registry has no 6.12 version in that range" },
		{ ":/lib/modules/x", "your own build is path/to/bzImage:path/to/modules" },
		{ "/nonexistent/bzImage:/nonexistent/mods",
		  "/nonexistent/bzImage is not a kernel image" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!parse(bad[i].in))
			fail_msg("KERNELS=\"%s\" accepted (%d kernels), expected refused",
				 bad[i].in, kl.n);
		assert_contains(err, bad[i].says);
	}
}

static const char *const host_args[] = { "--target", "host", "--clock", "real" };

static void test_host_refused_guest_real_runs(void **state)
{
	static struct kernel_sweep ks;
	const char *const real[] = { "--target", "guest", "--clock", "real", "-n", "3" };
	char note[256];

	(void)state;
	assert_cmp_int(sweep_args_split(4, host_args, &ks.a, err, sizeof(err)), ==, 0);
	assert_cmp_int(kernel_sweep_check(&ks, note, sizeof(note), err, sizeof(err)), ==, -1);
	assert_contains(err, "KERNELS with TARGET=host: the host has one kernel");
	assert_cmp_int(sweep_args_split(6, real, &ks.a, err, sizeof(err)), ==, 0);
	if (kernel_sweep_check(&ks, note, sizeof(note), err, sizeof(err)))
		fail_msg("CLOCK=real on the guest refused: %s", err);
	assert_cmp_int(ks.a.n, ==, 6);
	assert_string_equal(note, "");
}

static void test_instructions_one_vcpu_unless_set(void **state)
{
	static struct kernel_sweep ks;
	const char *const insn[] = { "--target", "guest", "--clock=instructions" };
	const char *const set[] = { "--clock", "instructions", "--vcpus", "2" };
	char note[256];

	(void)state;
	assert_cmp_int(sweep_args_split(3, insn, &ks.a, err, sizeof(err)), ==, 0);
	assert_cmp_int(kernel_sweep_check(&ks, note, sizeof(note), err, sizeof(err)), ==, 0);
	assert_cmp_int(ks.a.n, ==, 5);
	assert_string_equal(ks.a.run_args[3], "--vcpus");
	assert_string_equal(ks.a.run_args[4], "1");
	assert_contains(note, "VCPUS=1");
	assert_cmp_int(sweep_args_split(4, set, &ks.a, err, sizeof(err)), ==, 0);
	assert_cmp_int(kernel_sweep_check(&ks, note, sizeof(note), err, sizeof(err)), ==, 0);
	assert_cmp_int(ks.a.n, ==, 4);
	assert_string_equal(note, "");
}

static void test_args_split(void **state)
{
	struct sweep_args a;
	const char *const in[] = { "--matrix", "all", "-s",  "42",	     "--budget",
				   "5",	       "-o",  "out", "--target-arg", "topology=tap",
				   "-n",       "3" };
	const char *const folder[] = { "-n", "3", "--folder", "x" };
	const char *const kernel[] = { "--target-arg", "kernel=6.1.0-57-cloud-amd64" };
	const char *const novalue[] = { "--budget" };
	cJSON *j;

	(void)state;
	assert_cmp_int(sweep_args_split(12, in, &a, err, sizeof(err)), ==, 0);
	/* The seed, budget and folder are the sweep's: out of what every run gets. */
	assert_string_equal(a.seed, "42");
	assert_string_equal(a.budget, "5");
	assert_string_equal(a.results, "out");
	assert_string_equal(a.matrix, "all");
	assert_cmp_int(a.n, ==, 6);
	j = sweep_args_json(&a);
	assert_cmp_int(sweep_args_from_json(j, &a, err, sizeof(err)), ==, 0);
	assert_cmp_int(a.n, ==, 6);
	assert_string_equal(a.run_args[5], "3");
	cJSON_Delete(j);
	assert_cmp_int(sweep_args_split(4, folder, &a, err, sizeof(err)), ==, -1);
	assert_contains(err, "'--folder': the sweep sets it");
	assert_cmp_int(sweep_args_split(2, kernel, &a, err, sizeof(err)), ==, -1);
	assert_contains(err, "'kernel=6.1.0-57-cloud-amd64': the sweep sets it");
	assert_cmp_int(sweep_args_split(1, novalue, &a, err, sizeof(err)), ==, -1);
	assert_contains(err, "'--budget' without its value");
}

/* The program: exit 2 and the reason, before anything is built or created. */
static void test_program_refuses_host(void **state)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-sweep"),
			 "--kernels",
			 "6.1 6.12",
			 "--",
			 "--target",
			 "host",
			 NULL };
	char out[256], why[1024];
	int code;

	(void)state;
	code = run_capture(argv, out, sizeof(out), why, sizeof(why), 10000);
	assert_cmp_int(code, ==, 2);
	assert_contains(why, "the host has one kernel");
}

/* RESUME with KERNELS: the kernels come from sweep.json; a change is refused, not ignored. */
static void test_program_resume_keeps_its_kernels(void **state)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-sweep"),
			 "--resume",
			 "/nonexistent",
			 "--kernels",
			 "6.1",
			 NULL };
	char out[256], why[1024];

	(void)state;
	assert_cmp_int(run_capture(argv, out, sizeof(out), why, sizeof(why), 10000), ==, 2);
	assert_contains(why, "KERNELS cannot change them");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series_and_pinned),
		cmocka_unit_test(test_range_every_point_release),
		cmocka_unit_test(test_own_build),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_host_refused_guest_real_runs),
		cmocka_unit_test(test_instructions_one_vcpu_unless_set),
		cmocka_unit_test(test_args_split),
		cmocka_unit_test(test_program_refuses_host),
		cmocka_unit_test(test_program_resume_keeps_its_kernels),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
