/* SPDX-License-Identifier: GPL-2.0 */
/* A probe's settings are its `const volatile` globals, found through BTF. */
#ifndef BPFCOST_SETTINGS_H
#define BPFCOST_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

struct bpf_object;

/* Set read-only global @name to @value before load; -ENOENT if the probe has none. */
int settings_set(struct bpf_object *obj, const char *name, uint64_t value, char *err,
		 size_t errlen);

/* Writes "name=value,..." of every setting of an opened object into @buf. */
void settings_describe(struct bpf_object *obj, char *buf, size_t len);

#endif /* BPFCOST_SETTINGS_H */
