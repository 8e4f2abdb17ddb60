// SPDX-License-Identifier: GPL-2.0
/*
 * Which guest boots: each kernel's guest has a folder of its own,
 * $BPFCOST_OUT/guest/<name>/ (guest.mk), so a setting picks its own guest and
 * never one that happens to be built already.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"
#include "guest_priv.h"

#define GUEST_NAME_MAX 128

int guest_name_check(const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);

	if (n && n <= GUEST_NAME_MAX && name[0] != '.' &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+_~-") ==
		    n)
		return 0;
	snprintf(err, errlen,
		 "guest kernel '%.200s': the name of a guest 'make guest' built (a folder of "
		 "build/guest/, e.g. 6.12.117+deb12-cloud-amd64), at most %d characters of "
		 "[A-Za-z0-9.+_~-]",
		 name, GUEST_NAME_MAX);
	return -1;
}

static const char *out_dir(void)
{
	return getenv("BPFCOST_OUT") ?: "build";
}

static bool built(const char *name, char *kernel, char *initrd)
{
	snprintf(kernel, GUEST_PATH_MAX, "%s/guest/%s/bzImage", out_dir(), name);
	snprintf(initrd, GUEST_PATH_MAX, "%s/guest/%s/initramfs.cpio.gz", out_dir(), name);
	return !access(kernel, R_OK) && !access(initrd, R_OK);
}

/* The guests built, " a b", in @list; how many. */
static int guests_built(char *list, size_t len, char *only, size_t only_len)
{
	char dir[GUEST_PATH_MAX], k[GUEST_PATH_MAX], i[GUEST_PATH_MAX], scratch[8];
	struct dirent *e;
	int n = 0;
	DIR *d;

	list[0] = '\0';
	snprintf(dir, sizeof(dir), "%s/guest", out_dir());
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (guest_name_check(e->d_name, scratch, sizeof(scratch)) ||
		    !built(e->d_name, k, i))
			continue;
		snprintf(list + strlen(list), len - strlen(list), " %s", e->d_name);
		snprintf(only, only_len, "%.*s", GUEST_NAME_MAX, e->d_name);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

int guest_files(const char *name, const char **kernel, const char **initrd, const char **chosen,
		char *err, size_t errlen)
{
	static char k[GUEST_PATH_MAX], i[GUEST_PATH_MAX], only[GUEST_NAME_MAX + 1];
	char list[2048], other[GUEST_NAME_MAX + 1];
	int n;

	if (!name || !*name)
		name = getenv("BPFCOST_GUEST_KERNEL");
	if (!name || !*name) {
		n = guests_built(list, sizeof(list), only, sizeof(only));
		if (n != 1) {
			if (n)
				snprintf(err, errlen,
					 "several guests are built (%s): name one (make experiment "
					 "GUEST_KERNEL_VERSION=..., bpfcost-run --target-arg "
					 "kernel=NAME, or BPFCOST_GUEST_KERNEL=NAME)",
					 list + 1);
			else
				snprintf(err, errlen,
					 "no guest is built in %s/guest: run 'make guest'",
					 out_dir());
			return -1;
		}
		name = only;
	}
	if (guest_name_check(name, err, errlen))
		return -1;
	if (!built(name, k, i)) {
		guests_built(list, sizeof(list), other, sizeof(other));
		snprintf(err, errlen,
			 "guest '%s' is not built (%s missing): make guest "
			 "GUEST_KERNEL_VERSION=<its version>; built:%s",
			 name, access(k, R_OK) ? k : i, list[0] ? list : " none");
		return -1;
	}
	*kernel = k;
	*initrd = i;
	if (chosen)
		*chosen = name;
	return 0;
}
