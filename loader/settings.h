/* SPDX-License-Identifier: GPL-2.0 */
/* A probe's settings are its `const volatile` globals, found through BTF. */
#ifndef BPFCOST_SETTINGS_H
#define BPFCOST_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

struct bpf_object;
struct cJSON;

/*
 * Integers a JSON number carries exactly: a double holds every one to 2^53,
 * but cJSON prints 15 significant digits when they read back "close enough".
 */
#define SETTINGS_EXACT_MAX 999999999999999ULL

/* Set read-only global @name to @value before load; -ENOENT if the probe has none. */
int settings_set(struct bpf_object *obj, const char *name, uint64_t value, char *err,
		 size_t errlen);

/* Writes "name=value,..." of every setting of an opened object into @buf. */
void settings_describe(struct bpf_object *obj, char *buf, size_t len);

/*
 * A setting's value into a JSON request, exactly: a number up to
 * SETTINGS_EXACT_MAX (10^15 - 1), a decimal string past it.
 */
void settings_value_json(struct cJSON *obj, const char *name, uint64_t value);
/* Back from either form; -1 for anything else (fractions, 1e300, signs, past 2^64). */
int settings_value_parse(const struct cJSON *it, uint64_t *out);

#endif /* BPFCOST_SETTINGS_H */
