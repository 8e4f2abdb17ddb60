// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "analysis/report.h"

char *path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < len ? buf : NULL;
}

FILE *outfile_open(struct outfile *o, const char *dir, const char *name)
{
	o->f = NULL;
	if (!path_join(o->path, sizeof(o->path), dir, name)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", o->path);
	o->f = fopen(o->tmp, "w");
	return o->f;
}

int outfile_close(struct outfile *o)
{
	int bad = ferror(o->f);

	if (fclose(o->f) || bad) {
		unlink(o->tmp);
		return -EIO;
	}
	if (rename(o->tmp, o->path)) {
		int err = -errno;

		unlink(o->tmp);
		return err;
	}
	return 0;
}

void outfile_abort(struct outfile *o)
{
	fclose(o->f);
	unlink(o->tmp);
}
