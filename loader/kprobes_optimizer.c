// SPDX-License-Identifier: GPL-2.0
/*
 * debug.kprobes-optimization, held off by any number of loaders at once.
 * State lives in a folder (default /run/bpfcost, on tmpfs: a reboot forgets
 * it, as it forgets the sysctl): "saved" holds the original value, and each
 * holder leaves a "holder.<pid>" file. Every change happens under an flock
 * of "lock". A holder whose process is gone (SIGKILL) no longer counts.
 * BPFCOST_STATE_DIR and BPFCOST_KPROBES_OPT_SYSCTL move both, for tests.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kprobes.h"

static const char *state_dir(void)
{
	return getenv("BPFCOST_STATE_DIR") ?: "/run/bpfcost";
}

static const char *sysctl_path(void)
{
	return getenv("BPFCOST_KPROBES_OPT_SYSCTL") ?: KPROBES_OPT_SYSCTL;
}

static int read_int(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int write_int(const char *path, int v)
{
	FILE *f = fopen(path, "we");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%d\n", v) > 0 ? 0 : -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", state_dir(), name);
}

/* The state folder locked; -1 if it cannot be. */
static int lock_state(void)
{
	char path[PATH_MAX];
	int fd;

	mkdir(state_dir(), 0700);
	path_in(path, sizeof(path), "lock");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Live holders other than us; stale ones (their process is gone) are removed. */
static int other_holders(void)
{
	DIR *d = opendir(state_dir());
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		char path[PATH_MAX];
		long pid;

		if (strncmp(de->d_name, "holder.", 7))
			continue;
		pid = strtol(de->d_name + 7, NULL, 10);
		if (pid == getpid())
			continue;
		if (pid > 0 && (!kill(pid, 0) || errno == EPERM)) {
			n++;
			continue;
		}
		path_in(path, sizeof(path), de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	return n;
}

/* Under the lock: with no holder left, put the original value back. */
static void restore_if_unheld(void)
{
	char saved[PATH_MAX];
	int v;

	path_in(saved, sizeof(saved), "saved");
	if (other_holders())
		return;
	v = read_int(saved);
	if (v >= 0 && !write_int(sysctl_path(), v))
		unlink(saved);
}

int kprobes_optimizer_off(void)
{
	char saved[PATH_MAX], mine[PATH_MAX], name[32];
	int fd, v, ret = -1;

	if (access(sysctl_path(), F_OK))
		return 0; /* no optimizer (no CONFIG_OPTPROBES): nothing to hold */
	fd = lock_state();
	if (fd < 0)
		return -1;
	path_in(saved, sizeof(saved), "saved");
	snprintf(name, sizeof(name), "holder.%d", (int)getpid());
	path_in(mine, sizeof(mine), name);
	/* A previous holder was SIGKILLed: put its value back before taking ours. */
	if (!other_holders())
		restore_if_unheld();
	v = read_int(sysctl_path());
	if (access(saved, F_OK) && v >= 0 && write_int(saved, v))
		goto out;
	if (write_int(mine, 0) || (v != 0 && write_int(sysctl_path(), 0)))
		goto out;
	ret = 1;
out:
	close(fd);
	return ret;
}

void kprobes_optimizer_release(void)
{
	char mine[PATH_MAX], name[32];
	int fd = lock_state();

	if (fd < 0)
		return;
	snprintf(name, sizeof(name), "holder.%d", (int)getpid());
	path_in(mine, sizeof(mine), name);
	unlink(mine);
	restore_if_unheld();
	close(fd);
}

void kprobes_optimizer_recover(void)
{
	char saved[PATH_MAX];
	int fd;

	path_in(saved, sizeof(saved), "saved");
	if (access(saved, F_OK))
		return; /* the common case: nothing was left */
	fd = lock_state();
	if (fd < 0)
		return;
	restore_if_unheld();
	close(fd);
}
