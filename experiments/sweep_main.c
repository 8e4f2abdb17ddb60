// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-sweep: the same matrix, with the same seed, on each kernel of
 * KERNELS, one after the other, into results/<time>-<matrix>-kernels/ (sweep.h
 * holds the layout and its resume, sweep_kernels.c what a kernel is), then the
 * comparison report on that folder.
 *
 *   bpfcost-sweep --kernels "6.1 6.12" [-- bpfcost-run's settings]
 *   bpfcost-sweep --resume results/<...>-kernels [-- --budget MIN]
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "loader/clock.h"
#include "loader/spawn.h"
#include "results.h"
#include "sweep_kernels.h"

static volatile sig_atomic_t stops;

static void on_signal(int sig)
{
	(void)sig;
	stops++;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpfcost-sweep --kernels \"LIST\" [-- bpfcost-run's settings]\n"
		   "       bpfcost-sweep --resume DIR [-- --budget MIN]\n"
		   "LIST: series (6.1, 6.12), Debian versions (6.1.0-57, 6.12.117+deb12), ranges\n"
		   "A..B of one series, own builds path/to/bzImage:path/to/modules.\n"
		   "Environment: BPFCOST_ROOT (the project), GUEST_KERNEL_FLAVOUR, GUEST_CACHE, "
		   "MAKE.\n"
		   "Exit: 0 all done, 1 a kernel failed, 2 bad input, 130 interrupted (RESUME "
		   "continues).\n");
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

/* The matrix file's name, without folders or suffix, in plain characters. */
static void label_of(const char *matrix, char *label, size_t len)
{
	const char *slash = strrchr(matrix, '/');
	int i;

	snprintf(label, len, "%s", slash ? slash + 1 : matrix);
	label[strcspn(label, ".")] = '\0';
	for (i = 0; label[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    label[i]))
			label[i] = '_';
}

static int start(struct sweep *s, struct kernel_sweep *ks, const char *kernels, char *err,
		 size_t errlen)
{
	struct kernel_list *kl = malloc(sizeof(*kl));
	char label[64], *end;
	int i;

	if (!kl || kernels_parse(kernels, kernels_list_registry, &ks->reg, kl, err, errlen)) {
		free(kl);
		return BPFCOST_EXIT_USAGE;
	}
	if (ks->a.seed &&
	    (strtoull(ks->a.seed, &end, 10), *end || !ks->a.seed[0] || ks->a.seed[0] == '-')) {
		snprintf(err, errlen, "SEED '%s': an unsigned integer", ks->a.seed);
		free(kl);
		return BPFCOST_EXIT_USAGE;
	}
	if (kl->n > SWEEP_MAX) {
		snprintf(err, errlen, "KERNELS: %d kernels, at most %d", kl->n, SWEEP_MAX);
		free(kl);
		return BPFCOST_EXIT_USAGE;
	}
	s->n = kl->n;
	for (i = 0; i < kl->n; i++)
		snprintf(s->runs[i].value, sizeof(s->runs[i].value), "%s", kl->k[i].arg);
	free(kl);
	/* The same seed on every kernel: the same order of rows, so counts compare. */
	s->seed = ks->a.seed
			  ? strtoull(ks->a.seed, NULL, 10)
			  : ((unsigned long long)time(NULL) << 16) ^ (unsigned long long)getpid();
	s->settings = sweep_args_json(&ks->a);
	label_of(ks->a.matrix ?: "all", label, sizeof(label));
	if (sweep_create(s, ks->a.results ?: "results", label, err, errlen))
		return BPFCOST_EXIT_FAILURE;
	return 0;
}

static int reopen(struct sweep *s, struct kernel_sweep *ks, const char *dir, char *err,
		  size_t errlen)
{
	char real[PATH_MAX];
	const char *budget = ks->a.budget;

	if (ks->a.n || ks->a.results || ks->a.seed) {
		snprintf(err, errlen,
			 "RESUME: the settings come from sweep.json; only BUDGET is new");
		return BPFCOST_EXIT_USAGE;
	}
	if (!realpath(dir, real)) {
		snprintf(err, errlen, "RESUME=%s: %s", dir, strerror(errno));
		return BPFCOST_EXIT_USAGE;
	}
	/* One writer per sweep: locked before sweep.json is read. */
	if (results_lock(real, err, errlen) < 0)
		return BPFCOST_EXIT_USAGE;
	if (sweep_load(s, real, err, errlen) ||
	    sweep_args_from_json(s->settings, &ks->a, err, errlen))
		return BPFCOST_EXIT_USAGE;
	ks->a.budget = budget;
	return 0;
}

static void report(const char *dir)
{
	char tool[PATH_MAX], why[128];
	char *argv[] = { tool, (char *)dir, NULL };
	struct spawn_opts o;

	snprintf(tool, sizeof(tool), "%s/bpfcost-report", bpfcost_exe_dir());
	spawn_opts_init(&o);
	o.stdout_fd = o.stderr_fd = SPAWN_INHERIT;
	if (spawn_run_ok(argv, &o, 600, NULL, why, sizeof(why)))
		fprintf(stderr,
			"bpfcost-sweep: no comparison report (%s); each kernel's own report is in "
			"its folder\n",
			why);
}

int main(int argc, char **argv)
{
	static struct sweep s = { .kind = "kernels", .variable = "kernel" };
	static struct kernel_sweep ks = { .stop = &stops };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *kernels = NULL, *resume = NULL;
	char err[1024] = "", note[256] = "", run[PATH_MAX], *end;
	struct sweep_ops ops = { kernel_sweep_prepare, kernel_sweep_run, &ks, bpfcost_now };
	int i, ret;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (i + 1 < argc && !strcmp(argv[i], "--kernels"))
			kernels = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--resume"))
			resume = argv[++i];
		else
			break;
	}
	if (kernels && resume) {
		fprintf(stderr, "bpfcost-sweep: RESUME continues the kernels its sweep.json lists; "
				"KERNELS cannot change them (start a new sweep)\n");
		return BPFCOST_EXIT_USAGE;
	}
	if ((i < argc && strcmp(argv[i], "--")) || (!kernels && !resume)) {
		usage(stderr);
		return BPFCOST_EXIT_USAGE;
	}
	i += i < argc;
	ks.reg = (struct kernel_registry){ env_or("BPFCOST_ROOT", "."),
					   env_or("GUEST_KERNEL_FLAVOUR", "cloud-amd64"),
					   env_or("GUEST_CACHE", "build/guest/cache") };
	ks.make = env_or("MAKE", "make");
	snprintf(run, sizeof(run), "%s/bpfcost-run", bpfcost_exe_dir());
	ks.run = run;
	ret = sweep_args_split(argc - i, (const char *const *)argv + i, &ks.a, err, sizeof(err))
		      ? BPFCOST_EXIT_USAGE
	      : resume ? reopen(&s, &ks, resume, err, sizeof(err))
	      : kernel_sweep_check(&ks, note, sizeof(note), err, sizeof(err))
		      ? BPFCOST_EXIT_USAGE
		      : start(&s, &ks, kernels, err, sizeof(err));
	if (!ret && ks.a.budget && !(strtod(ks.a.budget, &end) > 0 && !*end)) {
		snprintf(err, sizeof(err), "BUDGET '%s': minutes above 0", ks.a.budget);
		ret = BPFCOST_EXIT_USAGE;
	}
	if (!ret && resume && kernel_sweep_check(&ks, note, sizeof(note), err, sizeof(err)))
		ret = BPFCOST_EXIT_USAGE;
	if (!ret && !resume && results_lock(s.dir, err, sizeof(err)) < 0)
		ret = BPFCOST_EXIT_USAGE;
	if (ret) {
		fprintf(stderr, "bpfcost-sweep: %s\n", err);
		sweep_free(&s);
		return ret;
	}
	if (note[0])
		fprintf(stderr, "bpfcost-sweep: %s\n", note);
	fprintf(stderr, "bpfcost-sweep: %s: %d kernels, seed %llu\n", s.dir, s.n, s.seed);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ret = sweep_loop(&s, &ops, &stops, ks.a.budget ? strtod(ks.a.budget, NULL) : 0);
	if (!stops)
		report(s.dir);
	fprintf(stderr, "bpfcost-sweep: results in %s%s\n", s.dir,
		ret == 130 ? " (interrupted: make experiment RESUME=<it> continues)" : "");
	sweep_free(&s);
	return ret;
}
