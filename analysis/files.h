/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one way the report touches a results folder, which someone else may have
 * made: folders opened O_DIRECTORY|O_NOFOLLOW, files written on a fresh
 * temporary name (openat O_CREAT|O_EXCL|O_NOFOLLOW) and renamed into place,
 * files read O_NOFOLLOW|O_NONBLOCK, regular and under a size cap. A planted
 * symlink or FIFO is never written through and never blocks us.
 */
#ifndef BPFCOST_ANALYSIS_FILES_H
#define BPFCOST_ANALYSIS_FILES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * A folder given by path: its last component is not followed, except one
 * symlink to a plain name beside it (the runner's results/latest). Returns an
 * O_CLOEXEC fd or -errno.
 */
int dir_open(const char *path);
/* @name in @dfd, created 0755 if missing; never a symlink. An fd or -errno. */
int subdir_open(int dfd, const char *name);

struct outfile {
	FILE *f;
	int dfd;
	char name[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
};

/* Written to a fresh temporary name and renamed on success: a reader never sees half a file. */
FILE *outfile_open(struct outfile *o, int dfd, const char *name);
/* 0, or -errno; the temporary name is gone either way. */
int outfile_close(struct outfile *o);
void outfile_abort(struct outfile *o);
/* @len bytes of @buf as @name in @dfd, the same way. */
int outfile_write(int dfd, const char *name, const void *buf, size_t len);

/* Past the caps: -EFBIG. Not a regular file: -EBADFD. A symlink: -ELOOP. */
#define MANIFEST_MAX ((size_t)4 << 20)
#define SAMPLES_MAX  ((size_t)256 << 20)

/* @name in @dfd (AT_FDCWD: a path) opened for reading: a regular file of at most @cap bytes. */
FILE *infile_open(int dfd, const char *name, size_t cap, int *err);
/* The whole of it, NUL-terminated, in a malloc'd *@text; 0 or -errno. */
int infile_read(int dfd, const char *name, size_t cap, char **text, size_t *len);
struct cJSON;
/*
 * The one reader of a results folder's manifest.json: read as infile_read()
 * does (O_NOFOLLOW, regular, at most MANIFEST_MAX) and parsed. 0 and *@out
 * (cJSON_Delete it); -errno as infile_read(), or -EINVAL when it is not a JSON
 * object. Its members are still hostile: read them with loader/json_get.h.
 */
int manifest_read_at(int dfd, struct cJSON **out);
/* What an infile error means, for a message: "a symbolic link (not followed)"... */
const char *infile_strerror(int err);

#endif
