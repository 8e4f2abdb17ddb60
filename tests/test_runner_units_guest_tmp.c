// SPDX-License-Identifier: GPL-2.0
/*
 * Guest temp folders without QEMU: a SIGKILLed run's folder (its lock free)
 * is reclaimed; a live one, another owner's, another mode, a link planted
 * under our prefix, a folder without a lock, or one whose lock is a link are
 * left alone. Runs in a private parent, never in the machine's /tmp.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "experiments/guest/guest_tmp.h"
#include "testlib.h"

static char parent[] = "/tmp/bpfcost-test-guest-tmp-XXXXXX";

static const char *at(const char *name)
{
	static char path[2][4200];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof(path[0]), "%s/%s", parent, name);
	return path[which];
}

static void touch(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);

	if (fd < 0)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	close(fd);
}

/* What a run leaves after SIGKILL: the folder, its lock file, a socket and logs. */
static void fake_folder(const char *name, mode_t mode, bool lock_file)
{
	char path[4300];

	if (mkdir(at(name), 0700) || chmod(at(name), mode))
		fail_msg("mkdir %s: %s", at(name), strerror(errno));
	if (lock_file) {
		snprintf(path, sizeof(path), "%s/" GUEST_TMP_LOCK, at(name));
		touch(path, 0600);
	}
	snprintf(path, sizeof(path), "%s/console.log", at(name));
	touch(path, 0644);
	snprintf(path, sizeof(path), "%s/qemu-tcg.log", at(name));
	touch(path, 0644);
}

static void expect_exists(const char *name, bool exists, const char *why)
{
	struct stat st;
	bool found = !lstat(at(name), &st);

	if (found != exists)
		fail_msg("%s: %s after the reclaim; expected it %s (%s)", name,
			 found ? "present" : "gone", exists ? "kept" : "removed", why);
}

static void test_reclaim_takes_only_abandoned_folders(void **state)
{
	char lock[4300], victim_lock[4300];
	int held, n;

	(void)state;
	fake_folder(GUEST_TMP_PREFIX "killed", 0700, true);
	fake_folder(GUEST_TMP_PREFIX "live", 0700, true);
	fake_folder(GUEST_TMP_PREFIX "mode", 0755, true);
	fake_folder(GUEST_TMP_PREFIX "owner", 0700, true);
	fake_folder(GUEST_TMP_PREFIX "nolock", 0700, false);
	fake_folder(GUEST_TMP_PREFIX "linkedlock", 0700, false);
	fake_folder("elsewhere", 0700, true); /* not our prefix */
	fake_folder("target", 0700, true);    /* reached only through the link below */
	assert_int_equal(symlink(at("target"), at(GUEST_TMP_PREFIX "link")), 0);
	assert_int_equal(chown(at(GUEST_TMP_PREFIX "owner"), 65534, 65534), 0);
	/* A live run: its lock held (flock is per open file, so this process counts). */
	snprintf(lock, sizeof(lock), "%s/" GUEST_TMP_LOCK, at(GUEST_TMP_PREFIX "live"));
	held = open(lock, O_RDONLY);
	assert_cmp_int(held, >=, 0);
	assert_int_equal(flock(held, LOCK_EX), 0);
	/* A lock planted as a link to a free lock elsewhere: never followed. */
	snprintf(victim_lock, sizeof(victim_lock), "%s/" GUEST_TMP_LOCK, at("target"));
	snprintf(lock, sizeof(lock), "%s/" GUEST_TMP_LOCK, at(GUEST_TMP_PREFIX "linkedlock"));
	assert_int_equal(symlink(victim_lock, lock), 0);

	n = guest_tmp_reclaim(parent);
	if (n != 1)
		fail_msg("reclaim removed %d folders; expected 1 (the killed run's)", n);
	expect_exists(GUEST_TMP_PREFIX "killed", false, "lock free: its run is gone");
	expect_exists(GUEST_TMP_PREFIX "live", true, "lock held");
	expect_exists(GUEST_TMP_PREFIX "mode", true, "mode 0755");
	expect_exists(GUEST_TMP_PREFIX "owner", true, "owned by nobody");
	expect_exists(GUEST_TMP_PREFIX "nolock", true, "no lock file");
	expect_exists(GUEST_TMP_PREFIX "linkedlock", true, "lock is a link");
	expect_exists(GUEST_TMP_PREFIX "link", true, "a link under our prefix");
	expect_exists("target", true, "behind a link");
	expect_exists("target/console.log", true, "behind a link");
	expect_exists("elsewhere", true, "not our prefix");

	/* The live run ends without cleaning up (SIGKILL): the next reclaim takes it. */
	close(held);
	n = guest_tmp_reclaim(parent);
	if (n != 1)
		fail_msg("second reclaim removed %d folders; expected 1 (the now dead run's)", n);
	expect_exists(GUEST_TMP_PREFIX "live", false, "its lock was released");
}

/* Our own folder: 0700, locked while we live, and nothing left once removed. */
static void test_create_lock_remove(void **state)
{
	struct guest_tmp t;
	char err[512], name[200];
	struct stat st;
	int n;

	(void)state;
	if (guest_tmp_create(&t, parent, err, sizeof(err)))
		fail_msg("guest_tmp_create: %s; expected a folder", err);
	assert_int_equal(stat(t.path, &st), 0);
	if ((st.st_mode & 07777) != 0700 || st.st_uid != geteuid())
		fail_msg("%s: mode %o uid %u; expected 0700 and ours", t.path, st.st_mode & 07777,
			 (unsigned)st.st_uid);
	n = guest_tmp_reclaim(parent);
	if (n != 0)
		fail_msg("reclaim removed %d folders while ours was live; expected 0", n);
	snprintf(name, sizeof(name), "%s", strrchr(t.path, '/') + 1);
	expect_exists(name, true, "our live folder");
	touch(at("x"), 0644); /* unrelated */
	guest_tmp_remove(&t);
	expect_exists(name, false, "removed by its owner");
	assert_int_equal(unlink(at("x")), 0);
}

static int make_parent(void **state)
{
	(void)state;
	return mkdtemp(parent) ? 0 : -1;
}

static int remove_parent(void **state)
{
	char *rm[] = { "rm", "-rf", parent, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reclaim_takes_only_abandoned_folders),
		cmocka_unit_test(test_create_lock_remove),
	};

	return cmocka_run_group_tests(tests, make_parent, remove_parent);
}
