// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

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
	bpf_object__for_each_map(map, obj) {
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

int settings_set(struct bpf_object *obj, const char *name, uint64_t value, char *err,
		 size_t errlen)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct bpf_map *map = rodata_map(obj, &sec);
	const char *data;
	char copy[4096];
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
		if (vs->size < sizeof(value) && value >> (vs->size * 8)) {
			snprintf(err, errlen, "setting '%s': %llu does not fit in %u bytes", name,
				 (unsigned long long)value, vs->size);
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
