// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the whole report on a results folder someone handed us, as
 * bpfcost-report runs it: records, grouping, analysis, precision, --percall,
 * notes, every table writer and the plot data and scripts (gnuplot is never
 * started: fork() is stubbed, no_side_effects.c).
 *
 * Input: samples.jsonl, then optionally a form feed and manifest.json. With
 * "percall" anywhere in it, the folder is also its own --percall run.
 * Both folders are private, made once per process and removed at exit.
 */
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/report.h"

static char top[] = "/tmp/bpfcost-fuzz-report.XXXXXX";
static char in[PATH_MAX], out[PATH_MAX];

static void put(const char *name, const uint8_t *data, size_t size)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", in, name);
	f = fopen(path, "w");
	/* The harness's own folder: without it there is nothing to fuzz. */
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
		abort();
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	nftw(top, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!mkdtemp(top))
		abort();
	atexit(cleanup);
	snprintf(in, sizeof(in), "%s/in", top);
	snprintf(out, sizeof(out), "%s/out", top);
	if (mkdir(in, 0700) || mkdir(out, 0700))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *ff = memchr(data, '\f', size);
	size_t n = ff ? (size_t)(ff - data) : size;
	char path[PATH_MAX + 32];
	const char *argv[] = { "bpfcost-report", "-q", "-o", out, "--percall", in, in, NULL };
	int argc = 7;

	put("samples.jsonl", data, n);
	snprintf(path, sizeof(path), "%s/manifest.json", in);
	if (ff)
		put("manifest.json", ff + 1, size - n - 1);
	else
		unlink(path);
	if (!memmem(data, size, "percall", 7)) {
		argv[4] = in; /* no --percall */
		argv[5] = NULL;
		argc = 5;
	}
	report_cli(argc, (char **)argv);
	return 0;
}
