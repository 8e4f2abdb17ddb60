/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfcost loader library: attach exactly one probe body with one attach type,
 * with BPF run-time stats on or off, and report what the kernel really did.
 * Used by the bpfcost-loader command and by the guest agent.
 */
#ifndef BPFCOST_H
#define BPFCOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;

/* Exit codes shared by every bpfcost command. */
enum bpfcost_exit {
	BPFCOST_EXIT_OK = 0,
	BPFCOST_EXIT_FAILURE = 1,     /* something broke: a bug or the environment */
	BPFCOST_EXIT_USAGE = 2,	      /* bad input: names the value and the valid ones */
	BPFCOST_EXIT_UNSUPPORTED = 3, /* this kernel cannot do this attach type */
};

/* Result of bpfcost_attach(); maps 1:1 onto the exit codes above. */
enum bpfcost_status {
	BPFCOST_OK = 0,
	BPFCOST_ERR_FAILURE = 1,
	BPFCOST_ERR_USAGE = 2,
	BPFCOST_ERR_UNSUPPORTED = 3,
};

#define BPFCOST_MAX_SETTINGS 8
#define BPFCOST_ERRLEN	     512

struct bpfcost_setting {
	const char *name; /* a `const volatile` global of the probe */
	uint64_t value;
};

struct bpfcost_opts {
	const char *probe;     /* name of progs/<probe>.bpf.c */
	const char *attach;    /* attach type name, see bpfcost_attach_names() */
	const char *func;      /* kernel function for kprobe/fentry types; NULL: udp_recvmsg */
	const char *progs_dir; /* where <probe>.bpf.o live; NULL: bpfcost_default_progs_dir() */
	bool stats;	       /* BPF_ENABLE_STATS while attached */
	bool verbose;	       /* libbpf debug output on stderr */
	int nr_settings;
	struct bpfcost_setting settings[BPFCOST_MAX_SETTINGS];
};

struct bpfcost_session;

/*
 * NULL-terminated list of attach type names: "tp", "kprobe", ... For each
 * type's family and mechanism, walk attach_type_at() in attach_types.h.
 */
const char *const *bpfcost_attach_names(void);

/*
 * Directory of probe objects next to the running executable
 * (<exe dir>/../progs), falling back to the build's own directory.
 */
const char *bpfcost_default_progs_dir(void);

/* Directory of the running executable (for finding the tools installed beside it). */
const char *bpfcost_exe_dir(void);

/* Probe names found in @dir (sorted, NULL-terminated; free with bpfcost_free_names). */
char **bpfcost_list_probes(const char *dir, char *err, size_t errlen);
void bpfcost_free_names(char **names);

/*
 * Whether @probe in @progs_dir (NULL: the default) has a `const volatile`
 * setting @name that can hold @value: 0, or -1 with @err saying why.
 */
int bpfcost_check_setting(const char *progs_dir, const char *probe, const char *name,
			  uint64_t value, char *err, size_t errlen);

/*
 * Open, configure, load and attach. On failure returns a bpfcost_status and
 * writes one line into @err naming the attach type, the kernel's error and,
 * for BPFCOST_ERR_UNSUPPORTED, the likely missing kernel feature.
 */
enum bpfcost_status bpfcost_attach(const struct bpfcost_opts *opts, struct bpfcost_session **out,
				   char *err, size_t errlen);

/*
 * Result as JSON: prog_id, probe, attach, func, offset, stats, run_cnt,
 * run_time_ns, recursion_misses, mechanism ("tracepoint", "raw_tracepoint",
 * "ftrace", "int3", "optimized", "fprobe", "trampoline") and the matching
 * kprobes/list line when there is one. Caller frees with cJSON_Delete.
 */
struct cJSON *bpfcost_result_json(struct bpfcost_session *s);

/* Detach, unload, stop stats and restore every kernel setting changed. NULL-safe. */
void bpfcost_detach(struct bpfcost_session *s);

#endif /* BPFCOST_H */
