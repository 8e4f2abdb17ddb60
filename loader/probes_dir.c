// SPDX-License-Identifier: GPL-2.0
/* Probes are the <name>.bpf.o files in one directory: no registry to keep. */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfcost.h"

#ifndef BPFCOST_BUILD_PROGS_DIR
#define BPFCOST_BUILD_PROGS_DIR "build/progs"
#endif

#define OBJ_SUFFIX ".bpf.o"

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

const char *bpfcost_exe_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return ".";
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(exe));
	return dir;
}

const char *bpfcost_default_progs_dir(void)
{
	static char dir[PATH_MAX + 16];
	const char *env = getenv("BPFCOST_PROGS");

	if (env && *env)
		return env;
	snprintf(dir, sizeof(dir), "%s/../progs", bpfcost_exe_dir());
	if (is_dir(dir))
		return dir;
	return BPFCOST_BUILD_PROGS_DIR;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void bpfcost_free_names(char **names)
{
	char **p;

	for (p = names; p && *p; p++)
		free(*p);
	free(names);
}

char **bpfcost_list_probes(const char *dir, char *err, size_t errlen)
{
	size_t n = 0, cap = 8, slen = strlen(OBJ_SUFFIX);
	char **names = calloc(cap + 1, sizeof(*names));
	struct dirent *de;
	DIR *d;

	if (!names) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "cannot open probe directory %s: %s (run make?)", dir,
			 strerror(errno));
		free(names);
		return NULL;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len <= slen || strcmp(de->d_name + len - slen, OBJ_SUFFIX))
			continue;
		/*
		 * "x-stat" or "fprobe-null" would make a row name that parses back
		 * as another row: such a probe is refused, by its file name.
		 */
		if (strcspn(de->d_name, "-@") < len - slen) {
			snprintf(err, errlen,
				 "%s/%s: a probe name may not contain '-' or '@' (rename the "
				 "probe's "
				 ".bpf.c file)",
				 dir, de->d_name);
			closedir(d);
			bpfcost_free_names(names);
			return NULL;
		}
		if (n == cap) {
			char **bigger = realloc(names, (cap * 2 + 1) * sizeof(*names));

			if (!bigger)
				break;
			names = bigger;
			cap *= 2;
		}
		names[n++] = strndup(de->d_name, len - slen);
		names[n] = NULL;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	return names;
}
