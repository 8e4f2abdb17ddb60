// SPDX-License-Identifier: GPL-2.0
/*
 * A results folder may have been made by someone else: every file in it is
 * opened without following links in the folder opened itself with
 * O_DIRECTORY|O_NOFOLLOW, must be a regular file, and is written through a
 * temporary name created exclusively, then renamed into place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "analysis/files.h"
#include "results.h"

/* manifest.json, and one line of samples.jsonl, at most. */
#define JSON_MAX   (16 << 20)
#define RECORD_MAX (1 << 20)

int results_open_dir(const char *dir, char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		snprintf(err, errlen, "%s: %s", dir,
			 errno == ELOOP || errno == ENOTDIR ? "not a folder (a symbolic link?)"
							    : strerror(errno));
	return fd;
}

int results_openat(int dfd, const char *dir, const char *name, int flags, char *err, size_t errlen)
{
	struct stat st = { 0 };
	int fd = openat(dfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);

	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "%s/%s: %s", dir, name,
			 e == ELOOP ? "a symbolic link: refused" : strerror(e));
		errno = e;
		return -1;
	}
	/* A FIFO would hang us, a device or a second hard link would be written through. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		snprintf(err, errlen, "%s/%s: not a plain file (type %o, %ju links): refused", dir,
			 name, (unsigned)(st.st_mode & S_IFMT), (uintmax_t)st.st_nlink);
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

int results_create(const char *root, const char *label, char *dir, size_t len, char *err,
		   size_t errlen)
{
	char name[128], sub[160], tmp[32];
	time_t t = time(NULL);
	struct tm tm;
	int i, rfd;

	gmtime_r(&t, &tm);
	strftime(name, sizeof(name), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "-%s", label);
	if (mkdir(root, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", root, strerror(errno));
		return -1;
	}
	rfd = results_open_dir(root, err, errlen);
	if (rfd < 0)
		return -1;
	/* Two runs started in the same second get -2, -3...: never one folder for both. */
	for (i = 1;; i++) {
		if (i == 1)
			snprintf(sub, sizeof(sub), "%s", name);
		else
			snprintf(sub, sizeof(sub), "%s-%d", name, i);
		if (!mkdirat(rfd, sub, 0755))
			break;
		if (errno != EEXIST || i == 100) {
			snprintf(err, errlen, "cannot create %s/%s: %s", root, sub,
				 strerror(errno));
			close(rfd);
			return -1;
		}
	}
	snprintf(dir, len, "%s/%s", root, sub);
	/*
	 * The link is made under a temporary name and renamed over "latest": a
	 * reader never sees it missing, and whatever "latest" was (a planted
	 * link included) is replaced, never followed.
	 */
	snprintf(tmp, sizeof(tmp), ".latest.%d", (int)getpid());
	unlinkat(rfd, tmp, 0);
	if (symlinkat(sub, rfd, tmp) || renameat(rfd, tmp, rfd, "latest")) {
		snprintf(err, errlen, "cannot point %s/latest at %s: %s", root, sub,
			 strerror(errno));
		unlinkat(rfd, tmp, 0);
		close(rfd);
		return -1;
	}
	close(rfd);
	return 0;
}

/* Offset just past the last newline of @fd, and its size. */
static int last_newline(int fd, off_t *keep, off_t *size)
{
	char buf[65536];
	off_t pos = 0;
	ssize_t n, i;

	*keep = 0;
	while ((n = pread(fd, buf, sizeof(buf), pos)) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				*keep = pos + i + 1;
		pos += n;
	}
	*size = pos;
	return n < 0 ? -1 : 0;
}

/*
 * A last line cut short by a crash is removed; one that is a whole JSON
 * object but lost its newline (a crash between the two writes) is a
 * complete record: kept, the newline added.
 */
static int repair_tail(int fd, const char *path)
{
	off_t keep, size;
	char *text = NULL;
	cJSON *rec = NULL;
	int ret = -1;

	if (last_newline(fd, &keep, &size))
		return -1;
	if (keep == size)
		return 0;
	if (size - keep < RECORD_MAX && (text = calloc(1, size - keep + 1)) &&
	    pread(fd, text, size - keep, keep) == size - keep)
		rec = cJSON_Parse(text);
	if (cJSON_IsObject(rec)) {
		ret = pwrite(fd, "\n", 1, size) == 1 && !fsync(fd) ? 0 : -1;
	} else {
		fprintf(stderr, "bpfcost-run: %s: dropping an incomplete last line (%lld bytes)\n",
			path, (long long)(size - keep));
		ret = ftruncate(fd, keep) || fsync(fd) ? -1 : 0;
	}
	cJSON_Delete(rec);
	free(text);
	return ret;
}

FILE *results_open_samples(const char *dir, char *err, size_t errlen)
{
	int dfd = results_open_dir(dir, err, errlen), fd;
	FILE *f = NULL;

	if (dfd < 0)
		return NULL;
	fd = results_openat(dfd, dir, "samples.jsonl", O_RDWR | O_CREAT | O_APPEND, err, errlen);
	close(dfd);
	if (fd < 0)
		return NULL;
	if (repair_tail(fd, "samples.jsonl")) {
		snprintf(err, errlen, "cannot repair %s/samples.jsonl: %s", dir, strerror(errno));
	} else {
		f = fdopen(fd, "a"); /* O_CLOEXEC: not inherited by QEMU, iperf3 or the agent */
		if (!f)
			snprintf(err, errlen, "cannot open %s/samples.jsonl: %s", dir,
				 strerror(errno));
	}
	if (!f)
		close(fd);
	return f;
}

int results_append(FILE *f, const cJSON *record)
{
	char *text = cJSON_PrintUnformatted(record);
	int ret = -1;

	if (!text)
		return -1;
	if (fprintf(f, "%s\n", text) > 0 && !fflush(f) && !fsync(fileno(f)))
		ret = 0;
	free(text);
	return ret;
}

/* Each complete line of @fd to @fn, in a buffer of RECORD_MAX: memory is bounded, whatever the
 * file. */
static int each_line(int fd, const char *dir, void (*fn)(const cJSON *rec, void *arg), void *arg,
		     char *err, size_t errlen)
{
	char *buf = malloc(RECORD_MAX), *nl;
	size_t used = 0, start;
	ssize_t got;
	int n = 0;

	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while ((got = read(fd, buf + used, RECORD_MAX - used)) > 0 || (got < 0 && errno == EINTR)) {
		used += got > 0 ? got : 0;
		for (start = 0; (nl = memchr(buf + start, '\n', used - start));
		     start = nl - buf + 1) {
			size_t len = nl - buf - start;
			/* cJSON skips a NUL as blank; JSON text has none: not a record. */
			cJSON *rec = memchr(buf + start, '\0', len)
					     ? NULL
					     : cJSON_ParseWithLength(buf + start, len);

			if (rec) {
				fn(rec, arg);
				n++;
			}
			cJSON_Delete(rec);
		}
		memmove(buf, buf + start, used - start);
		used -= start;
		if (used == RECORD_MAX) {
			snprintf(err, errlen, "%s/samples.jsonl: a line longer than %d bytes", dir,
				 RECORD_MAX);
			n = -1;
			break;
		}
	}
	/* A read error is not the end of the file; a last line cut short is not a record. */
	if (n >= 0 && got < 0) {
		snprintf(err, errlen, "%s/samples.jsonl: %s", dir, strerror(errno));
		n = -1;
	}
	free(buf);
	return n;
}

int results_each(const char *dir, void (*fn)(const cJSON *rec, void *arg), void *arg, char *err,
		 size_t errlen)
{
	int dfd = results_open_dir(dir, err, errlen), fd, n;

	if (dfd < 0)
		return -1;
	fd = results_openat(dfd, dir, "samples.jsonl", O_RDONLY, err, errlen);
	close(dfd);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	n = each_line(fd, dir, fn, arg, err, errlen);
	close(fd);
	return n;
}

int results_write_json(const char *dir, const char *name, const cJSON *json)
{
	static unsigned seq;
	char tmp[128], err[256], *text = cJSON_Print(json);
	int dfd = -1, fd = -1, ret = -1, e = EIO;
	size_t len;

	if (!text)
		return -1;
	len = strlen(text);
	text[len] = '\n'; /* cJSON_Print leaves room: its terminator becomes the newline */
	/* A unique temporary name, created exclusively: two writers never share one. */
	snprintf(tmp, sizeof(tmp), ".%.64s.%d.%u.tmp", name, (int)getpid(), seq++);
	dfd = results_open_dir(dir, err, sizeof(err));
	if (dfd >= 0)
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ret = write(fd, text, len + 1) == (ssize_t)len + 1 && !fsync(fd) ? 0 : -1;
		e = errno;
		if (close(fd))
			ret = -1;
		/* The rename is durable only once the folder itself is on disk. */
		if (!ret && (renameat(dfd, tmp, dfd, name) || fsync(dfd))) {
			e = errno;
			ret = -1;
		}
		if (ret)
			unlinkat(dfd, tmp, 0);
	} else {
		e = errno;
	}
	if (dfd >= 0)
		close(dfd);
	free(text);
	errno = e;
	return ret;
}

int results_lock(const char *dir, char *err, size_t errlen)
{
	char holder[32] = "";
	int dfd = results_open_dir(dir, err, errlen), fd;
	ssize_t n;

	if (dfd < 0)
		return -1;
	/* A planted link or FIFO as .lock is refused: our pid is never written through it. */
	fd = results_openat(dfd, dir, ".lock", O_RDWR | O_CREAT, err, errlen);
	close(dfd);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		n = pread(fd, holder, sizeof(holder) - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strspn(holder, "0123456789")] = '\0';
		snprintf(err, errlen, "%s is in use by another bpfcost-run (pid %s)", dir,
			 holder[0] ? holder : "unknown");
		close(fd);
		return -1;
	}
	/* Held until we exit: the kernel drops the lock even after SIGKILL. */
	n = snprintf(holder, sizeof(holder), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, holder, n, 0) != n) {
		snprintf(err, errlen, "cannot write %s/.lock: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

cJSON *results_read_json(const char *dir, const char *name, char *err, size_t errlen)
{
	int dfd = results_open_dir(dir, err, errlen), fd;
	cJSON *json = NULL;
	struct stat st;
	char *text;

	if (dfd < 0)
		return NULL;
	fd = results_openat(dfd, dir, name, O_RDONLY, err, errlen);
	close(dfd);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size > JSON_MAX) {
		snprintf(err, errlen, "%s/%s: larger than %d MiB", dir, name, JSON_MAX >> 20);
		close(fd);
		return NULL;
	}
	text = calloc(1, st.st_size + 1);
	if (text && read(fd, text, st.st_size) == st.st_size)
		json = cJSON_Parse(text);
	if (!json)
		snprintf(err, errlen, "%s/%s: %s", dir, name,
			 text ? "not JSON, or changed while read" : "out of memory");
	free(text);
	close(fd);
	return json;
}

cJSON *results_read_manifest(const char *dir, char *err, size_t errlen)
{
	int dfd = results_open_dir(dir, err, errlen), rc;
	cJSON *man;

	if (dfd < 0)
		return NULL;
	rc = manifest_read_at(dfd, &man);
	close(dfd);
	if (rc)
		snprintf(err, errlen, "%s/manifest.json: %s", dir, infile_strerror(rc));
	return man;
}
