// SPDX-License-Identifier: GPL-2.0
/*
 * A host's results come back as a ustar archive of regular files. It is read
 * here, not by tar(1), so that nothing but regular files and folders can
 * ever be created: every member is checked before the first is written, and
 * files are made with O_EXCL|O_NOFOLLOW below a folder we created.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet.h"

#define BLOCK	   512
#define MAX_DEPTH  16
#define MAX_MEMBER (8ULL << 30)

struct member {
	char name[256 + 2];
	char type; /* '0' file, '5' folder */
	unsigned long long size;
};

static unsigned long long octal(const char *p, size_t n, bool *ok)
{
	unsigned long long v = 0;
	size_t i = 0;

	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '7')
		*ok = false;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long long)(p[i] - '0');
	if (i < n && p[i] && p[i] != ' ')
		*ok = false;
	return v;
}

/* A relative path of plain components: no '', '.', '..' or leading '/'. */
static bool path_ok(const char *p)
{
	int depth = 0;

	if (!*p || *p == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (!n || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') ||
		    ++depth > MAX_DEPTH)
			return false;
		p += n;
		p += *p == '/';
	}
	return true;
}

/* The next header into @m: 1, 0 at the end, -1 with @err. */
static int header(FILE *f, struct member *m, char *err, size_t errlen)
{
	unsigned char b[BLOCK];
	unsigned long long sum = 0, want;
	char name[101], prefix[156], *n;
	bool ok = true, zero = true;
	size_t len;
	int i;

	if (fread(b, 1, BLOCK, f) != BLOCK) {
		snprintf(err, errlen, "cut short (no end marker)");
		return -1;
	}
	for (i = 0; i < BLOCK; i++) {
		zero &= !b[i];
		sum += i >= 148 && i < 156 ? ' ' : b[i];
	}
	if (zero)
		return 0;
	want = octal((char *)b + 148, 8, &ok);
	m->size = octal((char *)b + 124, 12, &ok);
	if (!ok || want != sum || memcmp(b + 257, "ustar", 5)) {
		snprintf(err, errlen, "not a ustar header (checksum, magic or size)");
		return -1;
	}
	memcpy(name, b, 100);
	name[100] = '\0';
	memcpy(prefix, b + 345, 155);
	prefix[155] = '\0';
	snprintf(m->name, sizeof(m->name), "%s%s%s", prefix, *prefix ? "/" : "", name);
	m->type = b[156] ? (char)b[156] : '0';
	n = m->name;
	while (!strncmp(n, "./", 2))
		n += 2;
	memmove(m->name, n, strlen(n) + 1);
	len = strlen(m->name);
	if (m->type == '5' && len && m->name[len - 1] == '/')
		m->name[len - 1] = '\0';
	if ((m->type != '0' && m->type != '5') || (m->type == '5' && m->size)) {
		snprintf(err, errlen,
			 "'%.100s': type '%c', only regular files and folders come back", m->name,
			 m->type);
		return -1;
	}
	if (!path_ok(m->name) || m->size > MAX_MEMBER) {
		snprintf(err, errlen, "'%.100s': not a plain relative name (or over 8 GiB)",
			 m->name);
		return -1;
	}
	return 1;
}

static int skip(FILE *f, unsigned long long size)
{
	unsigned long long pad = (size + BLOCK - 1) / BLOCK * BLOCK;

	return fseeko(f, (off_t)pad, SEEK_CUR);
}

/* The folder holding @path's last component, made as needed; its fd, or -1. */
static int parent_of(int top, char *path, char **last)
{
	int dfd = dup(top), next;
	char *p = path, *slash;

	while (dfd >= 0 && (slash = strchr(p, '/'))) {
		*slash = '\0';
		if (mkdirat(dfd, p, 0755) && errno != EEXIST)
			next = -1;
		else
			next = openat(dfd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		*slash = '/';
		close(dfd);
		dfd = next;
		p = slash + 1;
	}
	*last = p;
	return dfd;
}

static int copy_out(FILE *f, int fd, unsigned long long size)
{
	char buf[1 << 16];
	unsigned long long left = size;

	while (left) {
		size_t want = left < sizeof(buf) ? left : sizeof(buf);

		if (fread(buf, 1, want, f) != want || write(fd, buf, want) != (ssize_t)want)
			return -1;
		left -= want;
	}
	return fseeko(f, (off_t)((BLOCK - size % BLOCK) % BLOCK), SEEK_CUR);
}

static int extract(FILE *f, int top, const struct member *m)
{
	char path[sizeof(m->name)], *last;
	int dfd, fd, ret = -1;

	snprintf(path, sizeof(path), "%s", m->name);
	dfd = parent_of(top, path, &last);
	if (dfd < 0)
		return -1;
	if (m->type == '5') {
		ret = mkdirat(dfd, last, 0755) && errno != EEXIST ? -1 : 0;
	} else {
		fd = openat(dfd, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			ret = copy_out(f, fd, m->size);
			ret |= close(fd);
		}
	}
	close(dfd);
	return ret;
}

/* Pass 1 (@top < 0): check every member. Pass 2: extract them. */
static int pass(FILE *f, int top, char *err, size_t errlen)
{
	struct member m;
	int ret;

	while ((ret = header(f, &m, err, errlen)) > 0) {
		if (top < 0 ? skip(f, m.size) : extract(f, top, &m)) {
			snprintf(err, errlen, "'%.100s': %s", m.name,
				 top < 0 ? "cut short" : strerror(errno));
			return -1;
		}
	}
	return ret;
}

int fleet_untar(const char *tar, const char *dest, char *err, size_t errlen)
{
	int fd = open(tar, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), top = -1, ret = -1;
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	struct stat st;

	if (!f || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a readable regular file", tar);
		goto out;
	}
	if (pass(f, -1, err, errlen))
		goto out;
	if (mkdir(dest, 0755) ||
	    (top = open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%.400s: %s", dest, strerror(errno));
		goto out;
	}
	rewind(f);
	ret = pass(f, top, err, errlen);
out:
	if (top >= 0)
		close(top);
	if (f)
		fclose(f);
	else if (fd >= 0)
		close(fd);
	return ret;
}
