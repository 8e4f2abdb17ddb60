// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's kernel as a setting, without the network: the resolver on a
 * fixture package list (a series is its newest, a version pins, a version
 * gone is an error listing what is there, a package only in the cache
 * counts), and the make rules it feeds (make -n: each kernel's guest in a
 * folder named by its release, the runner told to boot that one).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "experiments/guest/guest.h"
#include "testlib.h"

#define RUN_MS	(60 * 1000)
#define PKG(v)	"linux-image-" v "-cloud-amd64-unsigned"
#define DIR6_1	"6.1.0-57-cloud-amd64"
#define DIR6_12 "6.12.117+deb12-cloud-amd64"

static char cache[] = "/tmp/bpfcost-test-guest-kernel-XXXXXX";
static char out[1 << 20], err[1 << 16];

static const char *at_out(const char *rel)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/out/%s", cache, rel);
	return path;
}

static int resolve(const char *spec)
{
	char *argv[] = { (char *)test_root_path("experiments/guest/resolve-kernel.sh"),
			 (char *)spec, "cloud-amd64", cache, NULL };

	return run_capture(argv, out, sizeof(out), err, sizeof(err), RUN_MS);
}

static void expect_package(const char *spec, const char *pkg)
{
	int code = resolve(spec);

	if (code != 0 || strcmp(out, pkg) || !strchr(out, '\n'))
		fail_msg("resolve-kernel.sh %s: expected exit 0 and '%s', got exit %d, stdout "
			 "'%s', stderr '%s'",
			 spec, pkg, code, out, err);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(cache))
		return -1;
	setenv("GUEST_KERNEL_LIST", test_root_path("tests/fixtures/guest/packages.txt"), 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cache);
	return system(cmd);
}

/* 6.1.0-57 after 6.1.0-9, 6.12.117 after 6.12.99: versions, not strings. */
static void test_series_is_its_newest(void **state)
{
	(void)state;
	expect_package("6.1", PKG("6.1.0-57") "\n");
	expect_package("6.12", PKG("6.12.117+deb12") "\n");
	expect_package("6.10", PKG("6.10.1") "\n");
}

/* Every version, oldest first: what a sweep over a range picks from. */
static void test_list(void **state)
{
	char *argv[] = { (char *)test_root_path("experiments/guest/resolve-kernel.sh"), "--list",
			 "cloud-amd64", cache, NULL };
	int code;

	(void)state;
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), RUN_MS);
	assert_cmp_int(code, ==, 0);
	assert_string_equal(out, "6.1.0-9\n6.1.0-47\n6.1.0-57\n6.10.1\n6.12.99+deb12\n"
				 "6.12.107+deb12\n6.12.117+deb12\n");
}

static void test_pinned_and_present(void **state)
{
	(void)state;
	expect_package("6.1.0-47", PKG("6.1.0-47") "\n");
	expect_package("6.12.99+deb12", PKG("6.12.99+deb12") "\n");
}

static void test_pinned_and_gone_lists_what_is_there(void **state)
{
	int code;

	(void)state;
	code = resolve("6.12.120+deb12");
	if (code != 1 || out[0])
		fail_msg("a version gone: expected exit 1 and no package, got exit %d, '%s'", code,
			 out);
	assert_contains(err, "GUEST_KERNEL_VERSION=6.12.120+deb12");
	/*
	 * The whole list, in version order: another flavour's package, a header
	 * package (6.12.120) and a name with a quote are no kernels here.
	 */
	assert_contains(err, "Available: 6.1.0-9 6.1.0-47 6.1.0-57 6.10.1 6.12.99+deb12 "
			     "6.12.107+deb12 6.12.117+deb12 \n");
	assert_not_contains(err, "touch");
	code = resolve("6.2");
	assert_cmp_int(code, ==, 1);
	assert_contains(err, "series 6.2");
	assert_contains(err, "6.12.117+deb12");
}

static void test_bad_setting_refused(void **state)
{
	static const char *const bad[] = { "", "x", "6", "6.1;reboot", "../6.1", "6.1 6.12" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int code = resolve(bad[i]);

		if (code != 1 || out[0])
			fail_msg("GUEST_KERNEL_VERSION '%s': expected exit 1, no package; got exit "
				 "%d, '%s'",
				 bad[i], code, out);
		assert_contains(err, "a series (6.1, 6.12) or a Debian kernel version");
	}
}

/* A package already downloaded is a candidate too: offline, it still resolves. */
static void test_cache_counts(void **state)
{
	char deb[PATH_MAX];
	FILE *f;

	(void)state;
	snprintf(deb, sizeof(deb), "%s/%s.deb", cache, PKG("6.1.0-60"));
	f = fopen(deb, "w");
	assert_non_null(f);
	fclose(f);
	expect_package("6.1", PKG("6.1.0-60") "\n");
	expect_package("6.1.0-60", PKG("6.1.0-60") "\n");
	unlink(deb);
	expect_package("6.1", PKG("6.1.0-57") "\n");
}

/* `make -n` in the checkout with OUT in the temporary folder: nothing is built. */
static int make_n(const char *goal, const char *version, const char *extra)
{
	char outdir[PATH_MAX], cache_arg[PATH_MAX], ver[128];
	char *argv[] = { "make",
			 "-n",
			 "--no-print-directory",
			 "-C",
			 (char *)test_root_path(""),
			 outdir,
			 cache_arg,
			 ver,
			 (char *)goal,
			 (char *)extra,
			 NULL };

	snprintf(outdir, sizeof(outdir), "OUT=%s/out", cache);
	snprintf(cache_arg, sizeof(cache_arg), "GUEST_CACHE=%s", cache);
	snprintf(ver, sizeof(ver), "GUEST_KERNEL_VERSION=%s", version);
	return run_capture(argv, out, sizeof(out), err, sizeof(err), RUN_MS);
}

static void expect_guest_of(const char *version, const char *pkg, const char *dir)
{
	char want[PATH_MAX];
	int code = make_n("guest", version, NULL);

	if (code)
		fail_msg("make -n guest GUEST_KERNEL_VERSION=%s: exit %d: %s", version, code, err);
	snprintf(want, sizeof(want), "fetch-kernel.sh %s %s/%s.deb", pkg, cache, pkg);
	assert_contains(out, want);
	snprintf(want, sizeof(want), "mkinitramfs.sh %s/out/guest/%s/initramfs.cpio.gz", cache,
		 dir);
	assert_contains(out, want);
	snprintf(want, sizeof(want), "%s/out/guest/%s/bzImage", cache, dir);
	assert_contains(out, want);
}

static void test_each_kernel_its_own_guest(void **state)
{
	char want[PATH_MAX];
	int code;

	(void)state;
	expect_guest_of("6.1", PKG("6.1.0-57"), DIR6_1);
	assert_not_contains(out, "6.12");
	expect_guest_of("6.12", PKG("6.12.117+deb12"), DIR6_12);
	assert_not_contains(out, "6.1.0");
	expect_guest_of("6.1.0-47", PKG("6.1.0-47"), "6.1.0-47-cloud-amd64");

	/* The runner boots the guest the setting names. */
	code = make_n("experiment", "6.1", "TARGET=guest");
	if (code)
		fail_msg("make -n experiment GUEST_KERNEL_VERSION=6.1: exit %d: %s", code, err);
	assert_contains(out, "--target-arg \"kernel=" DIR6_1 "\"");
	code = make_n("experiment", "6.1", "TARGET=host");
	assert_cmp_int(code, ==, 0);
	assert_not_contains(out, "kernel=" DIR6_1);

	code = make_n("guest-path", "6.12", NULL);
	snprintf(want, sizeof(want), "%s/out/guest/%s", cache, DIR6_12);
	assert_cmp_int(code, ==, 0);
	assert_contains(out, want);

	/* A version gone stops make with the resolver's list. */
	code = make_n("guest", "6.1.0-3", NULL);
	assert_cmp_int(code, !=, 0);
	assert_contains(err, "Available: 6.1.0-9");
}

/* Your own kernels: a folder per image path, so a patched and an unpatched one coexist. */
static void test_own_kernels_apart(void **state)
{
	char a[PATH_MAX], b[PATH_MAX];
	int code;

	(void)state;
	code = make_n("guest-path", "6.12", "KERNEL=/src/a/bzImage");
	assert_cmp_int(code, ==, 0);
	snprintf(a, sizeof(a), "%.4000s", out);
	assert_contains(a, "/out/guest/own-kernel-");
	code = make_n("guest-path", "6.12", "KERNEL=/src/b/bzImage");
	assert_cmp_int(code, ==, 0);
	snprintf(b, sizeof(b), "%.4000s", out);
	assert_contains(b, "/out/guest/own-kernel-");
	if (!strcmp(a, b))
		fail_msg("two kernel images, one guest folder: %s", a);
}

static void fake_guest(const char *name)
{
	char cmd[PATH_MAX * 2];

	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/out/guest/%s' && cd '%s/out/guest/%s' && touch "
		 "bzImage initramfs.cpio.gz",
		 cache, name, cache, name);
	assert_int_equal(system(cmd), 0);
}

/* Which guest boots: the one named, else $BPFCOST_GUEST_KERNEL, else the only one. */
static void test_guest_files_pick(void **state)
{
	const char *kernel, *initrd, *name;
	char out_dir[PATH_MAX], want[PATH_MAX + 64], why[1024];

	(void)state;
	snprintf(out_dir, sizeof(out_dir), "%s/out", cache);
	setenv("BPFCOST_OUT", out_dir, 1);
	unsetenv("BPFCOST_GUEST_KERNEL");
	assert_int_equal(guest_files(NULL, &kernel, &initrd, &name, why, sizeof(why)), -1);
	assert_contains(why, "no guest is built");

	fake_guest(DIR6_1);
	mkdir(at_out("guest/cache"), 0700); /* the package cache is no guest */
	assert_int_equal(guest_files("", &kernel, &initrd, &name, why, sizeof(why)), 0);
	assert_string_equal(name, DIR6_1);
	snprintf(want, sizeof(want), "%s/guest/%s/bzImage", out_dir, DIR6_1);
	assert_string_equal(kernel, want);
	snprintf(want, sizeof(want), "%s/guest/%s/initramfs.cpio.gz", out_dir, DIR6_1);
	assert_string_equal(initrd, want);

	fake_guest(DIR6_12);
	assert_int_equal(guest_files(NULL, &kernel, &initrd, &name, why, sizeof(why)), -1);
	assert_contains(why, "several guests are built");
	assert_contains(why, DIR6_1);
	assert_contains(why, DIR6_12);
	assert_int_equal(guest_files(DIR6_12, &kernel, &initrd, &name, why, sizeof(why)), 0);
	assert_string_equal(name, DIR6_12);
	setenv("BPFCOST_GUEST_KERNEL", DIR6_1, 1);
	assert_int_equal(guest_files(NULL, &kernel, &initrd, &name, why, sizeof(why)), 0);
	assert_string_equal(name, DIR6_1);
	unsetenv("BPFCOST_GUEST_KERNEL");

	assert_int_equal(
		guest_files("6.1.0-47-cloud-amd64", &kernel, &initrd, &name, why, sizeof(why)), -1);
	assert_contains(why, "is not built");
	assert_contains(why, "built: " DIR6_1);
	/* A path is no guest name: nothing outside build/guest/ boots. */
	assert_int_equal(guest_files("../../etc", &kernel, &initrd, &name, why, sizeof(why)), -1);
	assert_contains(why, "a folder of build/guest/");
	assert_int_equal(guest_name_check(".hidden", why, sizeof(why)), -1);
	assert_int_equal(guest_name_check("a/b", why, sizeof(why)), -1);
	assert_int_equal(guest_name_check(DIR6_12, why, sizeof(why)), 0);
	unsetenv("BPFCOST_OUT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series_is_its_newest),
		cmocka_unit_test(test_pinned_and_present),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_pinned_and_gone_lists_what_is_there),
		cmocka_unit_test(test_bad_setting_refused),
		cmocka_unit_test(test_cache_counts),
		cmocka_unit_test(test_each_kernel_its_own_guest),
		cmocka_unit_test(test_own_kernels_apart),
		cmocka_unit_test(test_guest_files_pick),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
