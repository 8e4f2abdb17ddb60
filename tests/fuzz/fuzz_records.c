// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: samples.jsonl, as a results folder someone handed us may hold.
 * The input is one record for record_parse() and, when it has several lines,
 * a whole file for records_load(), whose cross-record steps (attach names
 * learnt from other lines, duplicates dropped) need several records.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analysis/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), why[128];
	struct record_set set;
	struct record r;
	int fd;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	record_parse(line, &r, why, sizeof(why));
	free(line);

	/* A file costs syscalls: one line, with or without its '\n', has been parsed. */
	if (size < 2 || !memchr(data, '\n', size - 1))
		return 0;
	/* In memory: no directory to update, nothing left behind after a crash. */
	fd = memfd_create("samples.jsonl", 0);
	if (fd < 0)
		return 0;
	/* records_load() does not follow /proc/self/fd/N (a link): hand it the file. */
	if (write(fd, data, size) == (ssize_t)size && !lseek(fd, 0, SEEK_SET)) {
		FILE *f = fdopen(fd, "r");

		if (f) {
			records_load_file(f, "samples.jsonl", &set, NULL);
			records_free(&set);
			fclose(f);
			return 0;
		}
	}
	close(fd);
	return 0;
}
