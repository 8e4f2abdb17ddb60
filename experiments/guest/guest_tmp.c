// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_tmp.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* Every entry of the folder @dfd (no subfolders are ever made in it). */
static void empty_folder(int dfd)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dfd, de->d_name, 0);
	closedir(d);
}

int guest_tmp_create(struct guest_tmp *t, const char *parent, char *err, size_t errlen)
{
	static const char tmp_lock[] = GUEST_TMP_LOCK ".new";

	t->dfd = t->lock_fd = -1;
	snprintf(t->path, sizeof(t->path), "%s/" GUEST_TMP_PREFIX "XXXXXX", parent);
	if (!mkdtemp(t->path)) {
		snprintf(err, errlen, "mkdtemp %s: %s", t->path, strerror(errno));
		t->path[0] = '\0';
		return -1;
	}
	t->dfd = open(t->path, DIR_FLAGS);
	if (t->dfd >= 0)
		t->lock_fd = openat(t->dfd, tmp_lock,
				    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	/* Locked before it has its name: a reclaimer never finds it unlocked. */
	if (t->lock_fd < 0 || flock(t->lock_fd, LOCK_EX) ||
	    renameat(t->dfd, tmp_lock, t->dfd, GUEST_TMP_LOCK)) {
		snprintf(err, errlen, "%s: cannot lock: %s", t->path, strerror(errno));
		guest_tmp_remove(t);
		return -1;
	}
	return 0;
}

void guest_tmp_remove(struct guest_tmp *t)
{
	if (t->dfd >= 0) {
		empty_folder(t->dfd);
		close(t->dfd);
		t->dfd = -1;
	}
	/* By name, but in a sticky parent only its owner (us) can rename our folder. */
	if (t->path[0])
		rmdir(t->path);
	t->path[0] = '\0';
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	t->lock_fd = -1;
}

/* Ours, 0700, its lock free: the owner is gone. Returns the locked lock fd, or -1. */
static int abandoned(int dfd)
{
	struct stat st;
	int lk;

	if (fstat(dfd, &st) || st.st_uid != geteuid() || (st.st_mode & 07777) != 0700)
		return -1;
	lk = openat(dfd, GUEST_TMP_LOCK, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (lk < 0)
		return -1;
	if (fstat(lk, &st) || !S_ISREG(st.st_mode) || flock(lk, LOCK_EX | LOCK_NB)) {
		close(lk);
		return -1;
	}
	return lk;
}

int guest_tmp_reclaim(const char *parent)
{
	int pfd = open(parent, DIR_FLAGS), fd, lk, n = 0;
	DIR *d = NULL;
	struct dirent *de;

	fd = pfd >= 0 ? dup(pfd) : -1;
	if (fd >= 0 && !(d = fdopendir(fd)))
		close(fd);
	if (!d) {
		if (pfd >= 0)
			close(pfd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, GUEST_TMP_PREFIX, strlen(GUEST_TMP_PREFIX)))
			continue;
		/* A link planted under our prefix fails here (ELOOP or ENOTDIR): never followed. */
		fd = openat(pfd, de->d_name, DIR_FLAGS);
		if (fd < 0)
			continue;
		lk = abandoned(fd);
		if (lk >= 0) {
			empty_folder(fd);
			n += !unlinkat(pfd, de->d_name, AT_REMOVEDIR);
			close(lk);
		}
		close(fd);
	}
	closedir(d);
	close(pfd);
	return n;
}
