// SPDX-License-Identifier: GPL-2.0
/* Bounded reads and strict number parsing of /proc files (or a fake /proc in tests). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "experiments/proc_read.h"

/* Read at most @len - 1 bytes of a small file; NUL-terminated. -1 if unreadable. */
ssize_t proc_read_small(int dirfd, const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* ESRCH: the process exited between open and read */
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

/* Next unsigned decimal at *p (after blanks), ending at a blank or end of line. */
bool proc_next_ull(const char **p, unsigned long long *v)
{
	const char *s = *p;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
		return false;
	*p = end;
	return true;
}

/* The same, signed: some /proc/<pid>/stat fields are -1 (tpgid). */
bool proc_next_ll(const char **p, long long *v)
{
	const char *s = *p;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)s[*s == '-']))
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
		return false;
	*p = end;
	return true;
}
