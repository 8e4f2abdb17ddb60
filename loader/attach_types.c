// SPDX-License-Identifier: GPL-2.0
/* The attach types: their attach calls and the one table that names them. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "attach_types.h"
#include "bpfcost.h"
#include "kprobes.h"
#include "mounts.h"
#include "session_priv.h"

static struct bpf_link *attach_tp(struct bpfcost_session *s)
{
	/* libbpf reads the tracepoint's id from tracefs. */
	ensure_tracefs();
	return bpf_program__attach_tracepoint(s->prog, BPFCOST_TP_CATEGORY, BPFCOST_TP_NAME);
}

static struct bpf_link *attach_raw_tp(struct bpfcost_session *s)
{
	return bpf_program__attach_raw_tracepoint(s->prog, BPFCOST_TP_NAME);
}

/* The target is already in the program: its section, or what prepare set. */
static struct bpf_link *attach_trace(struct bpfcost_session *s)
{
	return bpf_program__attach_trace(s->prog);
}

static int set_target_func(struct bpfcost_session *s)
{
	return bpf_program__set_attach_target(s->prog, 0, s->func);
}

static struct bpf_link *attach_kprobe_at(struct bpfcost_session *s, unsigned long offset)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .offset = offset, .retprobe = s->type->on_return);

	s->offset = offset;
	return bpf_program__attach_kprobe_opts(s->prog, s->func, &opts);
}

/* At offset 0 the kernel may put the kprobe on the ftrace call site. */
static struct bpf_link *attach_kprobe(struct bpfcost_session *s)
{
	return attach_kprobe_at(s, 0);
}

static struct bpf_link *attach_kprobe_int3(struct bpfcost_session *s)
{
	unsigned long offsets[4];
	struct bpf_link *link = NULL;
	int i, n = kprobes_int3_offsets(offsets, 4);

	/* Off while attached, or the kernel turns the breakpoint into a jump. */
	s->holds_optimizer = kprobes_optimizer_off() > 0;
	for (i = 0; i < n && !link; i++) {
		link = attach_kprobe_at(s, offsets[i]);
		/* EILSEQ: not an instruction boundary; try the next candidate. */
		if (!link && errno != EILSEQ && errno != EINVAL)
			break;
	}
	return link;
}

static struct bpf_link *attach_fprobe(struct bpfcost_session *s)
{
	const char *syms[] = { s->func };
	/* By name, not a glob: the kernel resolves it, no pattern matching involved. */
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms, .cnt = 1,
		    .retprobe = s->type->on_return);

	return bpf_program__attach_kprobe_multi_opts(s->prog, NULL, &opts);
}

/* A NULL-terminated list of kernel config names, written in place in a row. */
#define KCONFIG(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* What the rows of a family share; a row then says only what is its own. */
#define KPROBE_FAMILY                                                                              \
	.family = "kprobe", .available = kprobes_available, .on_function = true,                   \
	.reports_offset = true
#define FPROBE_FAMILY                                                                              \
	.family = "fprobe", .attach = attach_fprobe, .config = KCONFIG("FPROBE"),                  \
	.mechanism = "fprobe", .on_function = true
#define TRAMPOLINE_FAMILY                                                                          \
	.family = "trampoline", .prepare = set_target_func, .attach = attach_trace,                \
	.config = KCONFIG("DYNAMIC_FTRACE_WITH_DIRECT_CALLS"), .btf = ATTACH_BTF_FUNC,             \
	.needs = "BPF trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, BTF; lockdown "        \
		 "may refuse them)",                                                               \
	.mechanism = "trampoline", .on_function = true

/*
 * One row per attach type, in the order --list and usage errors show them.
 * Adding a type is its SEC() wrapper in progs/include/bpfcost_variants.bpf.h
 * plus a row here, and an attach call above if none of them fits.
 */
static const struct attach_type types[] = {
	{
		.name = "tp",
		.prog = "bpfcost_tp",
		.family = "tracepoint",
		.attach = attach_tp,
		.needs = "tracepoint sock:sock_recv_length (Linux >= 6.3, CONFIG_TRACEPOINTS)",
		.mechanism = "tracepoint",
	},
	{
		.name = "raw_tp",
		.prog = "bpfcost_raw_tp",
		.family = "tracepoint",
		.attach = attach_raw_tp,
		.needs = "raw tracepoint sock_recv_length (Linux >= 6.3)",
		.mechanism = "raw_tracepoint",
	},
	{
		.name = "tp_btf",
		.prog = "bpfcost_tp_btf",
		.family = "tracepoint",
		.attach = attach_trace,
		.config = KCONFIG("DEBUG_INFO_BTF"),
		.btf = ATTACH_BTF_TRACEPOINT,
		.needs = "BTF tracepoints (CONFIG_DEBUG_INFO_BTF, Linux >= 6.3)",
		.mechanism = "raw_tracepoint",
	},
	{
		/* Past __fentry__, so a breakpoint: the optimizer is kept off. */
		.name = "kprobe",
		.prog = "bpfcost_kprobe",
		KPROBE_FAMILY,
		.attach = attach_kprobe_int3,
		.config = KCONFIG("KPROBES"),
		.needs = "CONFIG_KPROBES",
	},
	{
		.name = "kprobe-ftrace",
		.prog = "bpfcost_kprobe",
		KPROBE_FAMILY,
		.attach = attach_kprobe,
		.config = KCONFIG("KPROBES", "KPROBES_ON_FTRACE"),
		.needs = "CONFIG_KPROBES with CONFIG_KPROBES_ON_FTRACE",
		.want_mechanism = "ftrace",
	},
	{
		.name = "kretprobe",
		.prog = "bpfcost_kretprobe",
		KPROBE_FAMILY,
		.attach = attach_kprobe,
		.config = KCONFIG("KPROBES"),
		.needs = "CONFIG_KPROBES (kretprobes)",
		.on_return = true,
	},
	{
		.name = "kprobe-fprobe",
		.prog = "bpfcost_kprobe_multi",
		FPROBE_FAMILY,
		.needs = "CONFIG_FPROBE (kprobe.multi, Linux >= 5.18)",
	},
	{
		.name = "kretprobe-fprobe",
		.prog = "bpfcost_kretprobe_multi",
		FPROBE_FAMILY,
		.needs = "CONFIG_FPROBE (kretprobe.multi, Linux >= 5.18)",
		.on_return = true,
	},
	{ .name = "fentry", .prog = "bpfcost_fentry", TRAMPOLINE_FAMILY },
	{ .name = "fexit", .prog = "bpfcost_fexit", TRAMPOLINE_FAMILY, .on_return = true },
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

const char *const *bpfcost_attach_names(void)
{
	static const char *names[NR_TYPES + 1];
	size_t i;

	for (i = 0; i < NR_TYPES; i++)
		names[i] = types[i].name;
	return names;
}

/*
 * Options no row names but that explain a measurement (the JIT, how kprobes
 * and ftrace are built, preemption, the tick); recorded after the rows' own.
 */
static const char *const context_config[] = {
	"BPF_JIT",
	"BPF_JIT_ALWAYS_ON",
	"BPF_EVENTS",
	"OPTPROBES",
	"KPROBE_EVENTS",
	"FPROBE_EVENTS",
	"FUNCTION_TRACER",
	"DYNAMIC_FTRACE_WITH_REGS",
	"DYNAMIC_FTRACE_WITH_ARGS",
	"X86_KERNEL_IBT",
	"PREEMPT",
	"PREEMPT_DYNAMIC",
	"HZ",
};

#define NR_CONTEXT (sizeof(context_config) / sizeof(context_config[0]))
/* Room for every row's options (a row names a few) and the context ones. */
#define MAX_CONFIG (NR_TYPES * 4 + NR_CONTEXT)

static void config_add(const char **list, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], name))
			return;
	if (*n < MAX_CONFIG)
		list[(*n)++] = name;
}

const char *const *attach_config_options(void)
{
	static const char *list[MAX_CONFIG + 1];
	size_t i, n = 0;

	for (i = 0; i < NR_TYPES; i++)
		for (const char *const *c = types[i].config; c && *c; c++)
			config_add(list, &n, *c);
	for (i = 0; i < NR_CONTEXT; i++)
		config_add(list, &n, context_config[i]);
	list[n] = NULL;
	return list;
}
