// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/files.h"

/* A name inside one folder: no '/', not "." or "..". */
static bool plain_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* @path's last component is a symlink: follow it only to a plain name in the same folder. */
static int open_sibling_link(const char *path)
{
	char parent[PATH_MAX], target[NAME_MAX + 1];
	const char *base = strrchr(path, '/');
	int pfd, fd;
	ssize_t n;

	if (!base) {
		snprintf(parent, sizeof(parent), ".");
		base = path;
	} else {
		if ((size_t)(base - path) >= sizeof(parent))
			return -ENAMETOOLONG;
		snprintf(parent, sizeof(parent), "%.*s", (int)(base - path), path);
		if (!parent[0])
			snprintf(parent, sizeof(parent), "/");
		base++;
	}
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	n = readlinkat(pfd, base, target, sizeof(target) - 1);
	if (n <= 0) {
		close(pfd);
		return errno == EINVAL ? -ENOTDIR : -ELOOP; /* EINVAL: not a link at all */
	}
	target[n] = '\0';
	fd = plain_name(target)
		     ? openat(pfd, target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		     : (errno = ELOOP, -1);
	fd = fd < 0 ? -errno : fd;
	close(pfd);
	return fd;
}

int dir_open(const char *path)
{
	char p[PATH_MAX];
	size_t n = strlen(path);
	int fd;

	/* "dir/" would follow a symlink named dir: drop trailing slashes first. */
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (!n || n >= sizeof(p))
		return n ? -ENAMETOOLONG : -ENOENT;
	memcpy(p, path, n);
	p[n] = '\0';
	fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* A symlink is ELOOP, or ENOTDIR as O_DIRECTORY sees it first. */
	return errno == ELOOP || errno == ENOTDIR ? open_sibling_link(p) : -errno;
}

int subdir_open(int dfd, const char *name)
{
	int fd;

	if (mkdirat(dfd, name, 0755) && errno != EEXIST)
		return -errno;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

FILE *outfile_open(struct outfile *o, int dfd, const char *name)
{
	static unsigned int seq;
	int fd = -1;

	memset(o, 0, sizeof(*o));
	o->dfd = dfd;
	if (!plain_name(name) || strlen(name) > 200) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(o->name, sizeof(o->name), "%s", name);
	/* Whatever sits at a name we pick (a planted link, a FIFO) only makes us pick another. */
	for (int i = 0; i < 100 && fd < 0; i++) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(o->tmp, sizeof(o->tmp), ".%s.%d.%u.%lx.tmp", name, (int)getpid(), seq++,
			 (unsigned long)ts.tv_nsec);
		fd = openat(dfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0644);
		if (fd < 0 && errno != EEXIST)
			return NULL;
	}
	if (fd < 0)
		return NULL;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;

		close(fd);
		unlinkat(dfd, o->tmp, 0);
		errno = e;
	}
	return o->f;
}

int outfile_close(struct outfile *o)
{
	int bad = ferror(o->f), err;

	errno = 0;
	if (fclose(o->f) || bad) {
		err = errno ? -errno : -EIO;
		unlinkat(o->dfd, o->tmp, 0);
		return err;
	}
	/* rename replaces a planted link or FIFO at @name itself, never its target. */
	if (renameat(o->dfd, o->tmp, o->dfd, o->name)) {
		err = -errno;
		unlinkat(o->dfd, o->tmp, 0);
		return err;
	}
	return 0;
}

void outfile_abort(struct outfile *o)
{
	fclose(o->f);
	unlinkat(o->dfd, o->tmp, 0);
}

int outfile_write(int dfd, const char *name, const void *buf, size_t len)
{
	struct outfile o;

	if (!outfile_open(&o, dfd, name))
		return -errno;
	if (len && fwrite(buf, 1, len, o.f) != len) {
		outfile_abort(&o);
		return -EIO;
	}
	return outfile_close(&o);
}
