/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one registry walker targets and workloads share. Each implementation
 * file puts a pointer to its ops struct in a linker section; the linker
 * brackets the section with __start_/__stop_ symbols. Every ops struct starts
 * with `const char *name` (target.c and workload.c assert it), which is all
 * the walker reads.
 */
#ifndef BPFCOST_REGISTRY_WALK_H
#define BPFCOST_REGISTRY_WALK_H

#include <stddef.h>

struct registry {
	const char *what;  /* "targets": in messages */
	const char *where; /* the folder of its files, for a duplicate name */
	const char *key;   /* "TARGET": the setting that names one */
	const void *const *start, *const *stop;
	const void **list; /* @max + 1 slots: sorted by name, NULL-terminated */
	size_t max, n;
};

/* The registered ops in name order, NULL-terminated; exits on too many or a duplicate name. */
const void *const *registry_list(struct registry *r);
/* The ops named @name, or NULL (also for a NULL @name). */
const void *registry_find(struct registry *r, const char *name);
/* " guest host": for help and error messages. */
void registry_names(struct registry *r, char *buf, size_t len);
/*
 * How every declared argument (struct target_arg, struct workload_arg) starts;
 * target.c and workload.c assert the layout.
 */
struct arg_head {
	const char *name; /* as in name=value */
	const char *dflt;
	const char *help;
};

#define REGISTRY_ARG_LAYOUT(type)                                                                  \
	_Static_assert(offsetof(type, name) == offsetof(struct arg_head, name) &&                  \
			       offsetof(type, dflt) == offsetof(struct arg_head, dflt) &&          \
			       offsetof(type, help) == offsetof(struct arg_head, help),            \
		       "a declared argument starts as struct arg_head")

/*
 * The @i-th of at most @n declared arguments of @size bytes each; NULL past
 * the last (the first without a name).
 */
const struct arg_head *registry_arg(const void *args, size_t size, int n, int i);
/* Index of argument @name, or -1. */
int registry_arg_index(const void *args, size_t size, int n, const char *name);

/*
 * Defines the registry of `struct <kind>_ops` read from section
 * "bpfcost_<set>", with its public getters <kind>_list(), <kind>_find() and
 * <kind>_names() (declared in <kind>.h), checked for duplicates before main.
 */
#define REGISTRY_DEFINE(kind, set, where_, key_, max_)                                             \
	extern const struct kind##_ops *const __start_bpfcost_##set[];                             \
	extern const struct kind##_ops *const __stop_bpfcost_##set[];                              \
	_Static_assert(offsetof(struct kind##_ops, name) == 0, "the walker reads the name first"); \
	static const void *set##_slots[(max_) + 1];                                                \
	static struct registry set = {                                                             \
		.what = #set,                                                                      \
		.where = where_,                                                                   \
		.key = key_,                                                                       \
		.start = (const void *const *)__start_bpfcost_##set,                               \
		.stop = (const void *const *)__stop_bpfcost_##set,                                 \
		.list = set##_slots,                                                               \
		.max = (max_),                                                                     \
	};                                                                                         \
	const struct kind##_ops *const *kind##_list(void)                                          \
	{                                                                                          \
		return (const struct kind##_ops *const *)registry_list(&set);                      \
	}                                                                                          \
	const struct kind##_ops *kind##_find(const char *name)                                     \
	{                                                                                          \
		return registry_find(&set, name);                                                  \
	}                                                                                          \
	void kind##_names(char *buf, size_t len)                                                   \
	{                                                                                          \
		registry_names(&set, buf, len);                                                    \
	}                                                                                          \
	/* Checked before main: a duplicate name is an error at startup, whatever runs. */         \
	__attribute__((constructor)) static void check_##set(void)                                 \
	{                                                                                          \
		registry_list(&set);                                                               \
	}

#endif /* BPFCOST_REGISTRY_WALK_H */
