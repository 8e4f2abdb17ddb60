// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "attach_types.h"
#include "kconfig.h"
#include "mounts.h"
#include "support.h"

const char *support_missing_option(const struct attach_type *t)
{
	for (const char *const *opt = t->config; opt && *opt; opt++) {
		const char *v = kconfig_get(*opt);

		if (v && !strcmp(v, "n"))
			return *opt;
	}
	return NULL;
}

/* Every option of the row set ("y", "m" or a value): unreadable config says nothing. */
static enum support config_says(const struct attach_type *t, char *why, size_t len)
{
	const char *opt = support_missing_option(t);

	if (opt) {
		snprintf(why, len, "CONFIG_%s is not set", opt);
		return SUPPORT_NO;
	}
	for (const char *const *o = t->config; o && *o; o++)
		if (!kconfig_get(*o))
			return SUPPORT_UNKNOWN;
	return SUPPORT_YES;
}

/* The target in vmlinux BTF: the function, or the tracepoint's btf_trace_ typedef. */
static enum support btf_says(const struct attach_type *t, const char *func, char *why, size_t len)
{
	const char *name = t->btf == ATTACH_BTF_FUNC ? func : "btf_trace_" BPFCOST_TP_NAME;
	int kind = t->btf == ATTACH_BTF_FUNC ? BTF_KIND_FUNC : BTF_KIND_TYPEDEF;
	struct btf *btf;
	int id;

	if (t->btf == ATTACH_BTF_NONE)
		return SUPPORT_YES;
	btf = btf__load_vmlinux_btf();
	if (libbpf_get_error(btf)) {
		snprintf(why, len, "no vmlinux BTF (/sys/kernel/btf/vmlinux)");
		return SUPPORT_NO;
	}
	id = btf__find_by_name_kind(btf, name, kind);
	btf__free(btf);
	if (id < 0) {
		snprintf(why, len, "%s is not in vmlinux BTF", name);
		return SUPPORT_NO;
	}
	return SUPPORT_YES;
}

/* A tracepoint type needs the tracepoint itself: tracefs lists it when mounted. */
static enum support tracefs_says(const struct attach_type *t, char *why, size_t len)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[128];

	if (strcmp(t->family, "tracepoint"))
		return SUPPORT_YES;
	ensure_tracefs();
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", roots[i]);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), "%s/events/%s/%s", roots[i], BPFCOST_TP_CATEGORY,
			 BPFCOST_TP_NAME);
		if (!access(path, F_OK))
			return SUPPORT_YES;
		snprintf(why, len, "no tracepoint %s:%s", BPFCOST_TP_CATEGORY, BPFCOST_TP_NAME);
		return SUPPORT_NO;
	}
	return SUPPORT_UNKNOWN;
}

enum support support_probe(const struct attach_type *t, enum bpf_prog_type prog_type,
			   const char *func, char *why, size_t len)
{
	/*
	 * libbpf probes the tracing type as one kind of it (fentry): a kernel that
	 * refuses trampolines but runs tp_btf would read as "no". BTF answers there.
	 */
	int r = prog_type == BPF_PROG_TYPE_TRACING ? 1
						   : libbpf_probe_bpf_prog_type(prog_type, NULL);
	enum support v;
	bool unknown = r < 0; /* the probe itself failed: no answer */

	why[0] = '\0';
	if (r == 0) {
		snprintf(why, len, "the kernel refuses %s programs",
			 libbpf_bpf_prog_type_str(prog_type) ?: "such");
		return SUPPORT_NO;
	}
	v = config_says(t, why, len);
	if (v == SUPPORT_NO)
		return v;
	unknown |= v == SUPPORT_UNKNOWN;
	v = btf_says(t, func, why, len);
	if (v == SUPPORT_NO)
		return v;
	unknown |= v == SUPPORT_UNKNOWN;
	v = tracefs_says(t, why, len);
	if (v == SUPPORT_NO)
		return v;
	unknown |= v == SUPPORT_UNKNOWN;
	return unknown ? SUPPORT_UNKNOWN : SUPPORT_YES;
}
