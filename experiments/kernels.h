/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KERNELS="6.1 6.12 6.12.107+deb12..6.12.117+deb12 path/bzImage:path/modules":
 * the kernels a sweep boots, one guest each. The kernel specifics of a sweep
 * (sweep.h holds the layout, which does not know what a kernel is).
 */
#ifndef BPFCOST_KERNELS_H
#define BPFCOST_KERNELS_H

#include <stddef.h>

#define KERNELS_MAX	64
#define KERNEL_WORD_MAX 1024

enum kernel_kind {
	KERNEL_DEBIAN, /* a series or a version: GUEST_KERNEL_VERSION=<version> */
	KERNEL_OWN,    /* the user's build: KERNEL=<image> MODULES=<modules> */
};

struct kernel_spec {
	enum kernel_kind kind;
	char arg[KERNEL_WORD_MAX];     /* as given (for A..B: the version it expanded to) */
	char version[KERNEL_WORD_MAX]; /* KERNEL_DEBIAN */
	char image[KERNEL_WORD_MAX];   /* KERNEL_OWN */
	char modules[KERNEL_WORD_MAX]; /* KERNEL_OWN */
};

struct kernel_list {
	struct kernel_spec k[KERNELS_MAX];
	int n;
};

/*
 * Every Debian version the registry has, oldest first, one a line, into @buf
 * (resolve-kernel.sh --list); asked only for an A..B range. 0, or -1 with @err.
 */
typedef int (*kernel_lister)(void *arg, char *buf, size_t len, char *err, size_t errlen);

/* The lister of the real registry: resolve-kernel.sh --list @flavour @cache under @root. */
struct kernel_registry {
	const char *root, *flavour, *cache;
};
int kernels_list_registry(void *registry, char *buf, size_t len, char *err, size_t errlen);

/*
 * Parse @s (blank-separated words) into @out. 0, or -1 with @err naming the
 * word and what a word may be (the caller exits 2).
 */
int kernels_parse(const char *s, kernel_lister list, void *list_arg, struct kernel_list *out,
		  char *err, size_t errlen);

#endif /* BPFCOST_KERNELS_H */
