// SPDX-License-Identifier: GPL-2.0
/*
 * fleet_untar(): what a host sends back is hostile. Archives made by tar(1)
 * with a symlink, a FIFO, a hard link, a '..' or an absolute name are refused
 * whole, before anything is written; a plain one arrives as regular files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "experiments/fleet.h"
#include "testlib.h"

static char tmp[] = "/tmp/bpfcost-untar-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", "--", tmp, NULL }, out[64], err[64];

	(void)state;
	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
}

/* A shell line run in tmp/src (made fresh); fails the test if it fails. */
static void in_src(const char *script)
{
	char cmd[4096], out[1024], err[1024];
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	int code;

	snprintf(cmd, sizeof(cmd), "set -e; cd %s; rm -rf src dest out.tar; mkdir src; cd src; %s",
		 tmp, script);
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
	if (code)
		fail_msg("'%s' exited %d: %s", script, code, err);
}

static void refused(const char *script, const char *why_part)
{
	char tar[PATH_MAX], dest[PATH_MAX], err[512] = "";
	int ret;

	in_src(script);
	snprintf(tar, sizeof(tar), "%s/out.tar", tmp);
	snprintf(dest, sizeof(dest), "%s/dest", tmp);
	ret = fleet_untar(tar, dest, err, sizeof(err));
	if (ret != -1)
		fail_msg("'%s': fleet_untar returned %d, expected -1 (refused)", script, ret);
	assert_contains(err, why_part);
	/* Refused before the first write: not even the folder. */
	if (strcmp(test_file_kind(dest), "nothing"))
		fail_msg("'%s': %s is %s after a refusal (expected nothing)", script, dest,
			 test_file_kind(dest));
}

static void test_plain_archive_arrives(void **state)
{
	char tar[PATH_MAX], dest[PATH_MAX], path[PATH_MAX + 32], err[512] = "";
	int ret;

	(void)state;
	in_src("echo m > manifest.json; mkdir -p sub; echo s > sub/samples.jsonl; "
	       "find . -type f -print0 | tar --null --no-recursion --format=ustar -cf ../out.tar "
	       "-T -");
	snprintf(tar, sizeof(tar), "%s/out.tar", tmp);
	snprintf(dest, sizeof(dest), "%s/dest", tmp);
	ret = fleet_untar(tar, dest, err, sizeof(err));
	if (ret)
		fail_msg("fleet_untar of a plain archive: %d (%s), expected 0", ret, err);
	snprintf(path, sizeof(path), "%s/sub/samples.jsonl", dest);
	if (strcmp(test_file_kind(path), "a regular file"))
		fail_msg("%s is %s, expected a regular file", path, test_file_kind(path));
}

static void test_symlink_refused(void **state)
{
	(void)state;
	refused("echo m > a; ln -s /etc/passwd link; tar --format=ustar -cf ../out.tar a link",
		"only regular files");
}

static void test_fifo_refused(void **state)
{
	(void)state;
	refused("echo m > a; mkfifo fifo; tar --format=ustar -cf ../out.tar a fifo",
		"only regular files");
}

static void test_hard_link_refused(void **state)
{
	(void)state;
	refused("echo m > a; ln a b; tar --format=ustar -cf ../out.tar a b", "only regular files");
}

static void test_dotdot_refused(void **state)
{
	(void)state;
	refused("mkdir d; echo x > x; cd d; tar -P --format=ustar -cf ../../out.tar ../x",
		"not a plain relative name");
}

static void test_absolute_refused(void **state)
{
	(void)state;
	refused("echo x > x; tar -P --format=ustar -cf ../out.tar \"$PWD/x\"",
		"not a plain relative name");
}

static void test_not_tar_refused(void **state)
{
	(void)state;
	refused("head -c 2048 /dev/urandom > ../out.tar", "not a ustar header");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_archive_arrives),
		cmocka_unit_test(test_symlink_refused),
		cmocka_unit_test(test_fifo_refused),
		cmocka_unit_test(test_hard_link_refused),
		cmocka_unit_test(test_dotdot_refused),
		cmocka_unit_test(test_absolute_refused),
		cmocka_unit_test(test_not_tar_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
