// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into every harness, with -Wl,--wrap for each function below (fuzz.mk).
 * The agent's "exec" and "attach" requests reach fork/exec and the loader; a
 * fuzzer must neither start programs nor load BPF into the kernel it runs on.
 * Stubbing at link time, not by filtering requests, keeps the handlers'
 * parsing under the fuzzer and cannot be sidestepped by an input (a request
 * with "argv" twice got past a filter that deleted the first one).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "loader/bpfcost.h"

struct bpf_object;

/* posix_spawn's own types are left opaque: loader/spawn.h shadows <spawn.h> under -Iloader. */

pid_t __wrap_fork(void);
pid_t __wrap_vfork(void);
int __wrap_posix_spawn(pid_t *pid, const char *path, const void *fa, const void *attr,
		       char *const argv[], char *const envp[]);
int __wrap_posix_spawnp(pid_t *pid, const char *file, const void *fa, const void *attr,
			char *const argv[], char *const envp[]);
int __wrap_execvp(const char *file, char *const argv[]);
int __wrap_execlp(const char *file, const char *arg, ...);
int __wrap_bpf_object__load(struct bpf_object *obj);
enum bpfcost_status __wrap_bpfcost_attach(const struct bpfcost_opts *opts,
					  struct bpfcost_session **out, char *err, size_t errlen);
const char *__wrap_agent_sysroot(void);
int __wrap_sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set);

/* Callers handle a failed fork; nothing after it runs. */
pid_t __wrap_fork(void)
{
	errno = EPERM;
	return -1;
}

pid_t __wrap_vfork(void)
{
	errno = EPERM;
	return -1;
}

int __wrap_posix_spawn(pid_t *pid, const char *path, const void *fa, const void *attr,
		       char *const argv[], char *const envp[])
{
	(void)pid, (void)path, (void)fa, (void)attr, (void)argv, (void)envp;
	return EPERM;
}

int __wrap_posix_spawnp(pid_t *pid, const char *file, const void *fa, const void *attr,
			char *const argv[], char *const envp[])
{
	(void)pid, (void)file, (void)fa, (void)attr, (void)argv, (void)envp;
	return EPERM;
}

/* Only reachable in a child, and there is none: reaching it is a harness bug. */
int __wrap_execvp(const char *file, char *const argv[])
{
	(void)argv;
	fprintf(stderr, "fuzz: execvp(%s) reached\n", file);
	abort();
}

int __wrap_execlp(const char *file, const char *arg, ...)
{
	(void)arg;
	fprintf(stderr, "fuzz: execlp(%s) reached\n", file);
	abort();
}

/* A second guard under bpfcost_attach, should a handler reach libbpf another way. */
int __wrap_bpf_object__load(struct bpf_object *obj)
{
	(void)obj;
	return -EPERM;
}

/* Read every string the handler passed, so ASan checks them, then refuse. */
enum bpfcost_status __wrap_bpfcost_attach(const struct bpfcost_opts *opts,
					  struct bpfcost_session **out, char *err, size_t errlen)
{
	size_t n = strlen(opts->probe) + strlen(opts->attach);
	int i;

	if (opts->func)
		n += strlen(opts->func);
	for (i = 0; i < opts->nr_settings; i++)
		n += strlen(opts->settings[i].name);
	*out = NULL;
	snprintf(err, errlen, "fuzzing: not attached (%zu bytes of names)", n);
	return BPFCOST_ERR_USAGE;
}

/*
 * The agent's "bind" writes /proc/irq/N/smp_affinity_list and moves a process:
 * under the fuzzer its /proc and /sys are a folder that does not exist, so
 * every request fails after its validation, which is what is fuzzed.
 */
const char *__wrap_agent_sysroot(void)
{
	return "/nonexistent/bpfcost-fuzz";
}

/* A second guard: no harness moves a process to other CPUs. */
int __wrap_sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
	(void)pid, (void)size, (void)set;
	errno = EPERM;
	return -1;
}
