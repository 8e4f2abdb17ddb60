// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/files.h"

/* O_NONBLOCK: opening a FIFO returns at once, and fstat then refuses it. */
static int open_regular(int dfd, const char *name, size_t cap, struct stat *st)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, st))
		err = -errno;
	else if (!S_ISREG(st->st_mode))
		err = -EBADFD;
	else if ((unsigned long long)st->st_size > cap)
		err = -EFBIG;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

FILE *infile_open(int dfd, const char *name, size_t cap, int *err)
{
	struct stat st;
	int fd = open_regular(dfd, name, cap, &st);
	FILE *f;

	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		*err = -errno;
		close(fd);
	}
	return f;
}

int infile_read(int dfd, const char *name, size_t cap, char **text, size_t *len)
{
	struct stat st;
	int fd = open_regular(dfd, name, cap, &st);
	size_t n = 0, size;
	char *buf;

	*text = NULL;
	if (fd < 0)
		return fd;
	/* One byte past the cap tells a file that grew after fstat from one that fits. */
	size = (size_t)st.st_size < cap ? (size_t)st.st_size + 1 : cap + 1;
	buf = malloc(size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;

			free(buf);
			close(fd);
			return e;
		}
		if (!r)
			break;
		n += r;
		if (n == size) {
			char *nb;

			if (size > cap) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			size = size * 2 > cap + 1 ? cap + 1 : size * 2;
			nb = realloc(buf, size + 1);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
		}
	}
	close(fd);
	buf[n] = '\0';
	*text = buf;
	if (len)
		*len = n;
	return 0;
}

const char *infile_strerror(int err)
{
	switch (-err) {
	case ELOOP:
		return "a symbolic link (not followed)";
	case EBADFD:
		return "not a regular file (a FIFO, device or folder)";
	case EFBIG:
		return "larger than a file of this kind may be";
	case EINVAL:
		return "not a JSON object";
	default:
		return strerror(-err);
	}
}

int manifest_read_at(int dfd, struct cJSON **out)
{
	char *text;
	int err = infile_read(dfd, "manifest.json", MANIFEST_MAX, &text, NULL);

	*out = NULL;
	if (err)
		return err;
	*out = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return -EINVAL;
	}
	return 0;
}
