// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader/read_eof.h"
#include "loader/spawn.h"
#include "kernels.h"

#define WHAT_A_WORD                                                                                \
	"a series (6.1, 6.12), a Debian version (6.1.0-57, 6.12.117+deb12), a range A..B "         \
	"of versions of one series, or your own build path/to/bzImage:path/to/modules"
#define LIST_MAX (64 << 10)

int kernels_list_registry(void *registry, char *buf, size_t len, char *err, size_t errlen)
{
	const struct kernel_registry *r = registry;
	char script[PATH_MAX], why[128];
	char *argv[] = { script, "--list", (char *)r->flavour, (char *)r->cache, NULL };
	struct read_buf out = { .buf = buf, .cap = len };
	struct spawn_opts o;
	int status;

	snprintf(script, sizeof(script), "%s/experiments/guest/resolve-kernel.sh", r->root);
	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_INHERIT;
	buf[0] = '\0';
	if (spawn_capture(argv, &o, 120, NULL, &out, &status) || status || out.truncated) {
		snprintf(err, errlen, "%s --list failed (%s)", script,
			 out.truncated ? "too long" : spawn_status_str(status, why, sizeof(why)));
		return -1;
	}
	return 0;
}

/* The characters resolve-kernel.sh takes in a version; it starts with a digit. */
static int debian_word(const char *w)
{
	return w[0] >= '0' && w[0] <= '9' &&
	       strspn(w, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~-") ==
		       strlen(w);
}

/* "6.12" of 6.12.117+deb12, "6.1" of 6.1.0-57: the digits up to the second dot. */
static void series_of(const char *v, char *series, size_t len)
{
	size_t n = strspn(v, "0123456789");

	if (v[n] == '.')
		n += 1 + strspn(v + n + 1, "0123456789");
	snprintf(series, len, "%.*s", (int)n, v);
}

static int is_series(const char *w)
{
	char s[KERNEL_WORD_MAX];

	series_of(w, s, sizeof(s));
	return !strcmp(s, w) && strchr(w, '.');
}

static struct kernel_spec *add(struct kernel_list *out, char *err, size_t errlen)
{
	if (out->n == KERNELS_MAX) {
		snprintf(err, errlen, "KERNELS: more than %d kernels", KERNELS_MAX);
		return NULL;
	}
	out->k[out->n] = (struct kernel_spec){ 0 };
	return &out->k[out->n++];
}

static int add_debian(struct kernel_list *out, const char *v, char *err, size_t errlen)
{
	struct kernel_spec *k = add(out, err, errlen);

	if (!k)
		return -1;
	k->kind = KERNEL_DEBIAN;
	snprintf(k->arg, sizeof(k->arg), "%s", v);
	snprintf(k->version, sizeof(k->version), "%s", v);
	return 0;
}

static int add_own(struct kernel_list *out, const char *w, char *err, size_t errlen)
{
	const char *colon = strchr(w, ':');
	struct kernel_spec *k;
	struct stat st;

	if (colon == w || !colon[1] || strchr(colon + 1, ':')) {
		snprintf(err, errlen,
			 "KERNELS: '%s': your own build is path/to/bzImage:path/to/modules", w);
		return -1;
	}
	k = add(out, err, errlen);
	if (!k)
		return -1;
	k->kind = KERNEL_OWN;
	snprintf(k->arg, sizeof(k->arg), "%s", w);
	snprintf(k->image, sizeof(k->image), "%.*s", (int)(colon - w), w);
	snprintf(k->modules, sizeof(k->modules), "%s", colon + 1);
	if (stat(k->image, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "KERNELS: '%s': %s is not a kernel image (no such file)", w,
			 k->image);
		return -1;
	}
	if (stat(k->modules, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "KERNELS: '%s': %s is not a modules folder", w, k->modules);
		return -1;
	}
	return 0;
}

/* A..B: every version the registry lists in A's series from A to B, both included. */
static int add_range(struct kernel_list *out, const char *w, kernel_lister list, void *list_arg,
		     char *err, size_t errlen)
{
	char a[KERNEL_WORD_MAX], sa[KERNEL_WORD_MAX], sb[KERNEL_WORD_MAX], sv[KERNEL_WORD_MAX];
	const char *b = strstr(w, "..") + 2, *v;
	char *all, *line, *save = NULL;
	int n = 0, ret = 0;

	snprintf(a, sizeof(a), "%.*s", (int)(b - 2 - w), w);
	if (!debian_word(a) || !debian_word(b) || is_series(a) || is_series(b)) {
		snprintf(err, errlen,
			 "KERNELS: '%s': a range is two Debian versions of one series, "
			 "6.12.107+deb12..6.12.117+deb12",
			 w);
		return -1;
	}
	series_of(a, sa, sizeof(sa));
	series_of(b, sb, sizeof(sb));
	if (strcmp(sa, sb) || strverscmp(a, b) > 0) {
		snprintf(err, errlen, "KERNELS: '%s': %s", w,
			 strcmp(sa, sb) ? "both ends must be of one series"
					: "the first version is newer than the second");
		return -1;
	}
	all = malloc(LIST_MAX);
	if (!all || list(list_arg, all, LIST_MAX, err, errlen)) {
		free(all);
		return -1;
	}
	for (line = strtok_r(all, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save)) {
		v = line;
		series_of(v, sv, sizeof(sv));
		if (debian_word(v) && !strcmp(sv, sa) && strverscmp(a, v) <= 0 &&
		    strverscmp(v, b) <= 0) {
			ret = add_debian(out, v, err, errlen);
			n++;
		}
	}
	free(all);
	if (!ret && !n)
		snprintf(err, errlen, "KERNELS: '%s': the registry has no %s version in that range",
			 w, sa);
	return ret || !n ? -1 : 0;
}

int kernels_parse(const char *s, kernel_lister list, void *list_arg, struct kernel_list *out,
		  char *err, size_t errlen)
{
	char w[KERNEL_WORD_MAX];
	size_t len;

	out->n = 0;
	for (s += strspn(s, " \t\n"); *s; s += len, s += strspn(s, " \t\n")) {
		len = strcspn(s, " \t\n");
		if (len >= sizeof(w)) {
			snprintf(err, errlen, "KERNELS: a word of %zu characters: too long", len);
			return -1;
		}
		snprintf(w, sizeof(w), "%.*s", (int)len, s);
		if (strchr(w, ':')) {
			if (add_own(out, w, err, errlen))
				return -1;
		} else if (strstr(w, "..")) {
			if (add_range(out, w, list, list_arg, err, errlen))
				return -1;
		} else if (debian_word(w)) {
			if (add_debian(out, w, err, errlen))
				return -1;
		} else {
			snprintf(err, errlen, "KERNELS: '%s': not a kernel; each word is %s", w,
				 WHAT_A_WORD);
			return -1;
		}
	}
	if (!out->n) {
		snprintf(err, errlen, "KERNELS is empty; list kernels, each %s", WHAT_A_WORD);
		return -1;
	}
	return 0;
}
