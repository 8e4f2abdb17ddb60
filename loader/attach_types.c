// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "attach_types.h"
#include "bpfcost.h"

/* One entry per line: adding an attach type is one line here plus its wrapper. */
static const struct attach_type types[] = {
	{ "tp", "bpfcost_tp", KIND_TP, false, "tracepoint sock:sock_recv_length (Linux >= 6.3, CONFIG_TRACEPOINTS)" },
	{ "raw_tp", "bpfcost_raw_tp", KIND_RAW_TP, false, "raw tracepoint sock_recv_length (Linux >= 6.3)" },
	{ "tp_btf", "bpfcost_tp_btf", KIND_TP_BTF, false, "BTF tracepoints (CONFIG_DEBUG_INFO_BTF, Linux >= 6.3)" },
	{ "kprobe", "bpfcost_kprobe", KIND_KPROBE_INT3, true, "CONFIG_KPROBES" },
	{ "kprobe-ftrace", "bpfcost_kprobe", KIND_KPROBE_FTRACE, true, "CONFIG_KPROBES with CONFIG_KPROBES_ON_FTRACE" },
	{ "kretprobe", "bpfcost_kretprobe", KIND_KRETPROBE, true, "CONFIG_KPROBES (kretprobes)" },
	{ "kprobe-fprobe", "bpfcost_kprobe_multi", KIND_KPROBE_MULTI, true, "CONFIG_FPROBE (kprobe.multi, Linux >= 5.18)" },
	{ "kretprobe-fprobe", "bpfcost_kretprobe_multi", KIND_KRETPROBE_MULTI, true, "CONFIG_FPROBE (kretprobe.multi, Linux >= 5.18)" },
	{ "fentry", "bpfcost_fentry", KIND_FENTRY, true, "BPF trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, BTF; lockdown may refuse them)" },
	{ "fexit", "bpfcost_fexit", KIND_FEXIT, true, "BPF trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, BTF; lockdown may refuse them)" },
};

#define NR_TYPES (sizeof(types) / sizeof(types[0]))

const struct attach_type *attach_type_at(int i)
{
	return i >= 0 && (size_t)i < NR_TYPES ? &types[i] : NULL;
}

const struct attach_type *attach_type_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NR_TYPES; i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

const char *attach_type_static_mechanism(const struct attach_type *t)
{
	switch (t->kind) {
	case KIND_TP:
		return "tracepoint";
	case KIND_RAW_TP:
	case KIND_TP_BTF:
		return "raw_tracepoint";
	case KIND_KPROBE_MULTI:
	case KIND_KRETPROBE_MULTI:
		return "fprobe";
	case KIND_FENTRY:
	case KIND_FEXIT:
		return "trampoline";
	default:
		return NULL;
	}
}

const char *const *bpfcost_attach_names(void)
{
	static const char *names[NR_TYPES + 1];
	size_t i;

	for (i = 0; i < NR_TYPES; i++)
		names[i] = types[i].name;
	return names;
}

bool bpfcost_attach_valid(const char *attach)
{
	return attach_type_find(attach) != NULL;
}
