// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>

#include "settings.h"

/* The object's .rodata map and its BTF DATASEC, where `const volatile` lives. */
static struct bpf_map *rodata_map(struct bpf_object *obj, const struct btf_type **sec)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	int id;

	*sec = NULL;
	if (!btf)
		return NULL;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return NULL;
	*sec = btf__type_by_id(btf, id);
	bpf_object__for_each_map(map, obj)
	{
		const char *name = bpf_map__name(map);
		size_t len = strlen(name);

		if (len >= 7 && !strcmp(name + len - 7, ".rodata"))
			return map;
	}
	return NULL;
}

static uint64_t read_uint(const char *p, size_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, size < sizeof(v) ? size : sizeof(v)); /* little endian host */
	return v;
}

/* The largest value a variable of BTF type @id and @size bytes holds: signed ones keep their sign
 * bit. */
static uint64_t var_max(const struct btf *btf, __u32 id, __u32 size, bool *is_signed)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	uint64_t max = size >= 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;

	while (t && (btf_is_mod(t) || btf_is_typedef(t) || btf_is_var(t)))
		t = btf__type_by_id(btf, t->type);
	*is_signed = t && ((btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED)) ||
			   ((btf_is_enum(t) || btf_is_enum64(t)) && btf_kflag(t)));
	return *is_signed ? max >> 1 : max;
}

int settings_set(struct bpf_object *obj, const char *name, uint64_t value, char *err, size_t errlen)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct bpf_map *map = rodata_map(obj, &sec);
	const char *data;
	char copy[4096];
	bool is_signed;
	uint64_t max;
	size_t size;
	int i;

	if (!map) {
		snprintf(err, errlen, "setting '%s': this probe has no settings", name);
		return -ENOENT;
	}
	data = bpf_map__initial_value(map, &size);
	for (i = 0, vs = btf_var_secinfos(sec); data && i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		if (vs->size > sizeof(value) || vs->offset + vs->size > size) {
			snprintf(err, errlen, "setting '%s': unsupported size %u", name, vs->size);
			return -EINVAL;
		}
		max = var_max(btf, var->type, vs->size, &is_signed);
		if (value > max) {
			snprintf(err, errlen,
				 "setting '%s': %llu is more than its %s%u-byte variable holds "
				 "(%llu)",
				 name, (unsigned long long)value, is_signed ? "signed " : "",
				 vs->size, (unsigned long long)max);
			return -ERANGE;
		}
		/* libbpf 1.1 hands out a read-only view: edit a copy, then set it. */
		if (size > sizeof(copy)) {
			snprintf(err, errlen, "setting '%s': .rodata too large", name);
			return -E2BIG;
		}
		memcpy(copy, data, size);
		memcpy(copy + vs->offset, &value, vs->size);
		return bpf_map__set_initial_value(map, copy, size);
	}
	snprintf(err, errlen, "setting '%s': no such setting in this probe", name);
	return -ENOENT;
}

void settings_describe(struct bpf_object *obj, char *buf, size_t len)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct bpf_map *map = rodata_map(obj, &sec);
	size_t size, used = 0;
	const char *data;
	int i;

	buf[0] = '\0';
	if (!map || !(data = bpf_map__initial_value(map, &size)))
		return;
	for (i = 0, vs = btf_var_secinfos(sec); i < btf_vlen(sec) && used < len; i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (vs->offset + vs->size > size)
			continue;
		used += snprintf(buf + used, len - used, "%s%s=%llu", used ? "," : "",
				 btf__name_by_offset(btf, var->name_off),
				 (unsigned long long)read_uint(data + vs->offset, vs->size));
	}
}

void settings_value_json(cJSON *obj, const char *name, uint64_t value)
{
	char text[24];

	if (value <= SETTINGS_EXACT_MAX) {
		cJSON_AddNumberToObject(obj, name, (double)value);
		return;
	}
	snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
	cJSON_AddStringToObject(obj, name, text);
}

int settings_value_parse(const cJSON *it, uint64_t *out)
{
	const char *s = cJSON_GetStringValue(it);
	double v = it->valuedouble;
	char *end;

	if (cJSON_IsNumber(it)) {
		/* Compared as a double first: converting one outside [0, 2^64) is undefined. */
		if (!(v >= 0 && v <= (double)SETTINGS_EXACT_MAX) || v != (double)(uint64_t)v)
			return -1;
		*out = (uint64_t)v;
		return 0;
	}
	if (!s || !s[0] || strspn(s, "0123456789") != strlen(s) || strlen(s) > 20)
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}
