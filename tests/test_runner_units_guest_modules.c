// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's modules come from the kernel's own modules.dep, in load order,
 * on a fixture modules folder shaped as Debian 6.1's (virtio, virtio_pci and
 * virtio_net's failover as modules, virtio_console built in), lines shuffled;
 * and the initramfs packed from it is the same bytes twice, its order file the
 * load order.
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

#include "testlib.h"

#define RUN_MS	(120 * 1000)
#define FIXTURE "tests/fixtures/guest/modules"

/* By hand from the fixture's modules.dep: every module after what it needs. */
static const char load_order[] = "kernel/drivers/virtio/virtio_pci_legacy_dev.ko\n"
				 "kernel/drivers/virtio/virtio_pci_modern_dev.ko\n"
				 "kernel/drivers/virtio/virtio_ring.ko\n"
				 "kernel/drivers/virtio/virtio.ko\n"
				 "kernel/drivers/virtio/virtio_pci.ko\n"
				 "kernel/net/core/failover.ko\n"
				 "kernel/drivers/net/net_failover.ko\n"
				 "kernel/drivers/net/virtio_net.ko\n";

static char tmp[] = "/tmp/bpfcost-test-guest-modules-XXXXXX";
static char out[1 << 16], err[1 << 16];

static const char *at(const char *name)
{
	static char path[2][PATH_MAX];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof(path[0]), "%s/%s", tmp, name);
	return path[which];
}

/* guest-modules.sh @dir [@module]; @dir NULL: the fixture. */
static int modules(const char *dir, const char *module)
{
	char script[PATH_MAX], fixture[PATH_MAX];
	char *argv[] = { script, fixture, (char *)module, NULL };

	snprintf(script, sizeof(script), "%s",
		 test_root_path("experiments/guest/guest-modules.sh"));
	snprintf(fixture, sizeof(fixture), "%s", dir ?: test_root_path(FIXTURE));

	return run_capture(argv, out, sizeof(out), err, sizeof(err), RUN_MS);
}

static int sh(const char *cmd)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };

	return run_capture(argv, out, sizeof(out), err, sizeof(err), RUN_MS);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static void test_load_order_from_modules_dep(void **state)
{
	int code;

	(void)state;
	code = modules(NULL, NULL);
	if (code || strcmp(out, load_order))
		fail_msg("guest-modules.sh on the 6.1 fixture: expected exit 0 and\n%s"
			 "got exit %d and\n%s(stderr: %s)",
			 load_order, code, out, err);
	/* virtio_console is in modules.builtin: built in, nothing said. */
	assert_not_contains(err, "virtio_console");
}

static void test_unknown_module_assumed_built_in(void **state)
{
	int code;

	(void)state;
	code = modules(NULL, "virtio_gpu");
	assert_cmp_int(code, ==, 0);
	if (out[0])
		fail_msg("virtio_gpu (in no file): expected nothing to load, got:\n%s", out);
	assert_contains(err, "virtio_gpu in neither modules.dep nor modules.builtin");
}

static void test_no_modules_dep_or_a_cycle_refused(void **state)
{
	int code;

	(void)state;
	code = modules(tmp, NULL);
	assert_cmp_int(code, ==, 1);
	assert_contains(err, "no modules.dep");
	write_file(at("modules.dep"), "a.ko: b.ko\nb.ko: a.ko\n");
	code = modules(tmp, "a");
	assert_cmp_int(code, ==, 1);
	assert_contains(err, "dependency cycle");
	unlink(at("modules.dep"));
}

/* Packed twice from the same inputs: the same bytes, the modules in load order. */
static void test_initramfs_reproducible_in_load_order(void **state)
{
	char cmd[6 * PATH_MAX + 512], script[PATH_MAX], fixture[PATH_MAX], bin[PATH_MAX];
	char progs[PATH_MAX];
	int code, i;

	(void)state;
	snprintf(script, sizeof(script), "%s", test_root_path("experiments/guest/mkinitramfs.sh"));
	snprintf(fixture, sizeof(fixture), "%s", test_root_path(FIXTURE));
	snprintf(bin, sizeof(bin), "%s", test_out_path("bin"));
	snprintf(progs, sizeof(progs), "%s", test_out_path("progs"));
	write_file(at("bins"), "");
	write_file(at("kernel.txt"), "package=linux-image-test\nversion=1\nsource=debian\n");
	for (i = 1; i <= 2; i++) {
		snprintf(cmd, sizeof(cmd), "'%s' '%s/initrd%d.gz' '%s' '' '%s' '%s' '%s' '%s'",
			 script, tmp, i, fixture, bin, progs, at("bins"), at("kernel.txt"));
		code = sh(cmd);
		if (code)
			fail_msg("mkinitramfs.sh: exit %d: %s", code, err);
		/* Another second, another mtime of every input copy: the archive must not care. */
		if (i == 1)
			sleep(1);
	}
	snprintf(cmd, sizeof(cmd), "cmp '%s/initrd1.gz' '%s/initrd2.gz'", tmp, tmp);
	code = sh(cmd);
	if (code)
		fail_msg("two initramfs from the same inputs differ: %s%s", out, err);
	snprintf(cmd, sizeof(cmd),
		 "gzip -dc '%s/initrd1.gz' | cpio -i --quiet --to-stdout lib/modules/order "
		 "boot/kernel.txt",
		 tmp);
	code = sh(cmd);
	assert_cmp_int(code, ==, 0);
	/* In the archive's (sorted) order: boot/ before lib/. */
	if (strcmp(out, "package=linux-image-test\nversion=1\nsource=debian\n"
			"virtio_pci_legacy_dev.ko\nvirtio_pci_modern_dev.ko\nvirtio_ring.ko\n"
			"virtio.ko\nvirtio_pci.ko\nfailover.ko\nnet_failover.ko\nvirtio_net.ko\n"))
		fail_msg("lib/modules/order and boot/kernel.txt in the initramfs:\n%s", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_order_from_modules_dep),
		cmocka_unit_test(test_unknown_module_assumed_built_in),
		cmocka_unit_test(test_no_modules_dep_or_a_cycle_refused),
		cmocka_unit_test(test_initramfs_reproducible_in_load_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
