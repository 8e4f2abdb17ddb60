// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: configuration names, and whole matrix files (MATRIX=<file>). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "experiments/matrix.h"

/* The probes in progs/: what the runner passes. */
static char *probes[] = { "map", "null", "spin", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1), err[512], path[64];
	struct matrix m;
	struct config c;
	int fd;

	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	config_parse(name, probes, &c, err, sizeof(err));
	free(name);

	/* In memory: no directory to update, nothing left behind after a crash. */
	fd = memfd_create("matrix", 0);
	if (fd < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (write(fd, data, size) == (ssize_t)size &&
	    !matrix_build(path, probes, &m, err, sizeof(err)))
		matrix_free(&m);
	close(fd);
	return 0;
}
