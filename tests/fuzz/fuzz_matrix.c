// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: configuration names, and whole matrix files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/matrix.h"

static char *probes[] = { "map", "null", "spin", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1), err[512], path[] = "/tmp/bpfcost-fuzz-matrix-XXXXXX";
	struct matrix m;
	struct config c;
	int fd;

	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	config_parse(name, probes, &c, err, sizeof(err));
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size &&
		    !matrix_build(path, probes, &m, err, sizeof(err)))
			matrix_free(&m);
		close(fd);
		unlink(path);
	}
	free(name);
	return 0;
}
