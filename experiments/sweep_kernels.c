// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "loader/spawn.h"
#include "results.h"
#include "sweep_kernels.h"

#define BUILD_TIMEOUT_S 3600

int kernel_sweep_check(struct kernel_sweep *ks, char *note, size_t notelen, char *err,
		       size_t errlen)
{
	const struct sweep_args *a = &ks->a;

	note[0] = '\0';
	if (a->target && strcmp(a->target, "guest")) {
		snprintf(err, errlen,
			 "KERNELS with TARGET=%s: the host has one kernel (this machine's own); "
			 "a kernel sweep boots each kernel in the QEMU guest (TARGET=guest)",
			 a->target);
		return -1;
	}
	/* The 6.1 guest boots under -icount only with one vCPU. */
	if (a->clock && !strcmp(a->clock, "instructions") && !a->vcpus) {
		if (ks->a.n + 2 > SWEEP_ARGS_MAX) {
			snprintf(err, errlen, "more than %d settings", SWEEP_ARGS_MAX);
			return -1;
		}
		ks->a.run_args[ks->a.n++] = "--vcpus";
		ks->a.run_args[ks->a.n++] = ks->a.vcpus = "1";
		snprintf(note, notelen,
			 "CLOCK=instructions: every kernel runs with VCPUS=1 (Debian's 6.1 guest "
			 "boots under -icount only so); set VCPUS to choose");
	}
	return 0;
}

/* make <goal> for this kernel, in the project's folder; @out: its stdout's first line. */
static int make_guest(struct kernel_sweep *ks, const struct kernel_spec *k, const char *goal,
		      char *out, size_t outlen, char *err, size_t errlen)
{
	char v[KERNEL_WORD_MAX + 32], img[KERNEL_WORD_MAX + 8], mods[KERNEL_WORD_MAX + 8], why[64];
	char *argv[] = { (char *)ks->make,
			 "-s",
			 "--no-print-directory",
			 "-C",
			 (char *)ks->reg.root,
			 (char *)goal,
			 v,
			 img,
			 mods,
			 NULL };
	int status;

	/* A Debian kernel clears KERNEL= and MODULES= a parent make may pass down. */
	snprintf(v, sizeof(v), "GUEST_KERNEL_VERSION=%s",
		 k->kind == KERNEL_DEBIAN ? k->version : "");
	snprintf(img, sizeof(img), "KERNEL=%s", k->image);
	snprintf(mods, sizeof(mods), "MODULES=%s", k->modules);
	if (out) {
		status = spawn_first_line(argv, out, outlen, BUILD_TIMEOUT_S);
		if (status == 0 && out[0])
			return 0;
		snprintf(err, errlen, "make %s %s failed (exit %d)", goal, k->arg, status);
		return -1;
	}
	struct spawn_opts o;

	spawn_opts_init(&o);
	o.stdout_fd = o.stderr_fd = SPAWN_INHERIT;
	if (spawn_run_ok(argv, &o, BUILD_TIMEOUT_S, ks->stop, why, sizeof(why))) {
		snprintf(err, errlen, "make guest for %s failed (%s; its messages above)", k->arg,
			 why);
		return -1;
	}
	return 0;
}

int kernel_sweep_prepare(void *arg, struct sweep_run *r, char *err, size_t errlen)
{
	struct kernel_sweep *ks = arg;
	struct kernel_list *kl = malloc(sizeof(*kl));
	char path[4096], *base;
	int ret = -1;

	/* The value is parsed again (it may come from sweep.json): one kernel, no range. */
	if (!kl)
		return -1;
	if (strstr(r->value, "..") || kernels_parse(r->value, NULL, NULL, kl, err, errlen) ||
	    kl->n != 1) {
		if (strstr(r->value, ".."))
			snprintf(err, errlen, "'%s': one kernel, not a range", r->value);
		goto out;
	}
	if (make_guest(ks, &kl->k[0], "guest", NULL, 0, err, errlen) ||
	    make_guest(ks, &kl->k[0], "guest-path", path, sizeof(path), err, errlen))
		goto out;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (strlen(base) >= sizeof(r->name)) {
		snprintf(err, errlen, "the guest's name %.64s... is too long", base);
		goto out;
	}
	memcpy(r->name, base, strlen(base) + 1);
	ret = 0;
out:
	free(kl);
	return ret;
}

/* Wait for @pid, passing each of our Ctrl-Cs on to it (its own handling stops it cleanly). */
static int wait_passing_signals(struct kernel_sweep *ks, pid_t pid, int *status)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (;;) {
		for (; ks->passed < *ks->stop; ks->passed++)
			kill(pid, SIGINT);
		if (waitpid(pid, status, WNOHANG) == pid)
			break;
		/* Signals are let in only while waiting: none is missed between check and wait. */
		if (pfd < 0 || ppoll(&p, 1, NULL, &old) < 0) {
			if (pfd >= 0 && errno == EINTR)
				continue;
			sigprocmask(SIG_SETMASK, &old, NULL);
			if (waitpid(pid, status, 0) != pid)
				return -1;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pfd >= 0)
		close(pfd);
	return 0;
}

/* A run that ended by itself: complete, or stopped by its budget (pending: resume continues). */
static enum sweep_status ended(const char *dir)
{
	char err[256];
	cJSON *man = results_read_manifest(dir, err, sizeof(err));
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(man, "state");
	enum sweep_status s = cJSON_IsString(st) && !strcmp(st->valuestring, "budget")
				      ? SWEEP_PENDING
				      : SWEEP_DONE;

	cJSON_Delete(man);
	return s;
}

enum sweep_status kernel_sweep_run(void *arg, const struct sweep *s, const struct sweep_run *r,
				   bool resume, double budget_min, char *err, size_t errlen)
{
	struct kernel_sweep *ks = arg;
	char dir[PATH_MAX + SWEEP_NAME_MAX], kernel[SWEEP_NAME_MAX + 8], seed[32], budget[32];
	const char *argv[SWEEP_ARGS_MAX + 20];
	struct spawn_opts o;
	int n = 0, i, status;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/%s", s->dir, r->dir);
	snprintf(kernel, sizeof(kernel), "kernel=%s", r->name);
	snprintf(seed, sizeof(seed), "%llu", s->seed);
	snprintf(budget, sizeof(budget), "%.3f", budget_min);
	argv[n++] = ks->run;
	if (resume) {
		argv[n++] = "--resume";
		argv[n++] = dir;
	} else {
		for (i = 0; i < ks->a.n; i++)
			argv[n++] = ks->a.run_args[i];
		argv[n++] = "--target-arg";
		argv[n++] = kernel;
		argv[n++] = "--folder";
		argv[n++] = dir;
		argv[n++] = "-s";
		argv[n++] = seed;
	}
	if (budget_min > 0) {
		argv[n++] = "--budget";
		argv[n++] = budget;
	}
	argv[n] = NULL;
	spawn_opts_init(&o);
	o.stdout_fd = o.stderr_fd = SPAWN_INHERIT;
	/* Its own group: a Ctrl-C reaches it once, through us (a second one would be final). */
	o.own_group = true;
	pid = spawn((char *const *)argv, &o);
	if (pid < 0 || wait_passing_signals(ks, pid, &status)) {
		snprintf(err, errlen, "cannot run %s: %s", ks->run, strerror(errno));
		return SWEEP_FAILED;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return ended(dir);
	if ((WIFEXITED(status) && WEXITSTATUS(status) == 130) || *ks->stop)
		return SWEEP_PENDING;
	snprintf(err, errlen, "bpfcost-run %s (its messages above; results in %s)",
		 spawn_status_str(status, seed, sizeof(seed)), dir);
	return SWEEP_FAILED;
}
