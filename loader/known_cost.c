// SPDX-License-Identifier: GPL-2.0
/* Which `const volatile` of a probe object is tagged as its known cost (BTF decl tag). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfcost.h"
#include "known_cost.h"

#define CACHE_SLOTS 32

struct cached {
	char probe[64];
	int found;
	struct known_cost kc;
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* The tagged variable's value in .rodata's initial image. */
static int var_default(struct bpf_object *obj, const struct btf *btf, __u32 var_id, uint64_t *out)
{
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct bpf_map *map;
	const char *data;
	size_t size = 0;
	int id, i;

	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	sec = btf__type_by_id(btf, id);
	bpf_object__for_each_map(map, obj)
	{
		const char *name = bpf_map__name(map);
		size_t len = strlen(name);

		if (len >= 7 && !strcmp(name + len - 7, ".rodata"))
			break;
	}
	data = map ? bpf_map__initial_value(map, &size) : NULL;
	for (i = 0, vs = btf_var_secinfos(sec); data && i < btf_vlen(sec); i++, vs++) {
		if (vs->type != var_id || vs->offset + vs->size > size || vs->size > sizeof(*out))
			continue;
		*out = 0;
		memcpy(out, data + vs->offset, vs->size); /* little endian host */
		return 0;
	}
	return -1;
}

/* 1 and @kc when a VAR of @obj carries the tag, 0 when none does, -1 when malformed. */
static int find_tag(struct bpf_object *obj, struct known_cost *kc, char *err, size_t errlen)
{
	const struct btf *btf = bpf_object__btf(obj);
	__u32 id, n = btf ? btf__type_cnt(btf) : 0;
	int found = 0;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id), *var;

		if (!btf_is_decl_tag(t) ||
		    strcmp(btf__name_by_offset(btf, t->name_off), KNOWN_COST_TAG))
			continue;
		var = btf__type_by_id(btf, t->type);
		if (!var || !btf_is_var(var) || btf_decl_tag(t)->component_idx != -1) {
			snprintf(err, errlen, "%s must tag a global variable", KNOWN_COST_TAG);
			return -1;
		}
		if (found++) {
			snprintf(err, errlen, "%s tags more than one variable", KNOWN_COST_TAG);
			return -1;
		}
		snprintf(kc->setting, sizeof(kc->setting), "%s",
			 btf__name_by_offset(btf, var->name_off));
		if (var_default(obj, btf, t->type, &kc->dflt)) {
			snprintf(err, errlen, "%s: '%s' is not a const volatile integer",
				 KNOWN_COST_TAG, kc->setting);
			return -1;
		}
	}
	return found;
}

int known_cost_of(const char *progs_dir, const char *probe, struct known_cost *kc, char *err,
		  size_t errlen)
{
	static struct cached cache[CACHE_SLOTS];
	static int used;
	char path[PATH_MAX];
	struct bpf_object *obj;
	libbpf_print_fn_t old;
	int i, found;

	for (i = 0; i < used; i++)
		if (!strcmp(cache[i].probe, probe)) {
			*kc = cache[i].kc;
			return cache[i].found;
		}
	snprintf(path, sizeof(path), "%s/%s.bpf.o", progs_dir ?: bpfcost_default_progs_dir(),
		 probe);
	old = libbpf_set_print(quiet);
	obj = bpf_object__open_file(path, NULL);
	libbpf_set_print(old);
	if (!obj) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	memset(kc, 0, sizeof(*kc));
	found = find_tag(obj, kc, err, errlen);
	bpf_object__close(obj);
	if (found < 0) {
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	if (used < CACHE_SLOTS && strlen(probe) < sizeof(cache[0].probe)) {
		snprintf(cache[used].probe, sizeof(cache[used].probe), "%s", probe);
		cache[used].found = found;
		cache[used++].kc = *kc;
	}
	return found;
}
