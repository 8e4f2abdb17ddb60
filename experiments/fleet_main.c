// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-fleet: the same experiment, with the same seed, on every host of
 * an Ansible inventory at once (experiments/fleet/fleet.yml), each host's
 * results folder brought back into results/<time>-<matrix>-fleet/<host>/,
 * then the comparison report of that folder (fleet.h).
 *
 *   bpfcost-fleet --inventory hosts.ini [--forks N] [--poll S] [--clean]
 *   bpfcost-fleet --inventory hosts.ini --resume results/<...>-fleet
 *
 * The settings are read from the environment (TARGET, MATRIX, ... SEED), as
 * make exports them; inventory variables bpfcost_<setting> override them per host.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "loader/spawn.h"
#include "fleet.h"
#include "results.h"

static volatile sig_atomic_t stops;

static void on_signal(int sig)
{
	(void)sig;
	stops++;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpfcost-fleet --inventory FILE [--forks N] [--poll SECONDS] [--clean]\n"
		"                     [--results DIR] [--resume FLEET_FOLDER]\n"
		"Settings from the environment: TARGET WORKLOAD MATRIX N DURATION ... SEED (make\n"
		"exports them); per host, inventory variables bpfcost_<setting> (bpfcost_target),\n"
		"bpfcost_workdir (default /var/tmp/bpfcost), bpfcost_deps=skip.\n"
		"Exit: 0 all hosts done, 1 a host failed, 2 bad input, 130 interrupted (RESUME\n"
		"continues).\n");
}

/* The settings given now, from the environment: what every host gets unless it overrides. */
static int settings_from_env(cJSON *settings, char *err, size_t errlen)
{
	const char *v;
	int k, ret;

	for (k = 0; fleet_setting_names[k]; k++) {
		v = getenv(fleet_setting_names[k]);
		if (!v || !*v)
			continue;
		ret = fleet_setting_check(fleet_setting_names[k], v, err, errlen);
		if (ret)
			return ret;
		cJSON_AddStringToObject(settings, fleet_setting_names[k], v);
	}
	return 0;
}

static unsigned long long pick_seed(void)
{
	unsigned long long seed = 0;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (unsigned long long)time(NULL);
	return seed >> 12; /* exact in sweep.json's double */
}

static int start(struct fleet *f, const char *results, char *err, size_t errlen)
{
	const char *seed = getenv("SEED"), *matrix = getenv("MATRIX");
	char label[64], meta[PATH_MAX + 16], *end;
	int ret, i;

	f->s.settings = cJSON_CreateObject();
	ret = settings_from_env(f->s.settings, err, errlen);
	if (ret || (ret = fleet_inventory(f, false, err, errlen)))
		return ret;
	if (seed && *seed && (strtoull(seed, &end, 10), *end || seed[0] == '-')) {
		snprintf(err, errlen, "SEED '%s': an unsigned integer", seed);
		return BPFCOST_EXIT_USAGE;
	}
	/* Once for every host: the same order of rows everywhere. */
	f->s.seed = seed && *seed ? strtoull(seed, NULL, 10) : pick_seed();
	/* The matrix file's name, without folders or suffix, as bpfcost-sweep labels it. */
	matrix = matrix && *matrix ? matrix : "all";
	snprintf(label, sizeof(label), "%s",
		 strrchr(matrix, '/') ? strrchr(matrix, '/') + 1 : matrix);
	label[strcspn(label, ".")] = '\0';
	for (i = 0; label[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    label[i]))
			label[i] = '_';
	ret = fleet_setting_check("FLEET_RESULTS", results, err, errlen);
	if (ret)
		return ret;
	if (sweep_create(&f->s, results, label[0] ? label : "matrix", err, errlen))
		return BPFCOST_EXIT_FAILURE;
	snprintf(meta, sizeof(meta), "%s/.fleet", f->s.dir);
	if (mkdir(meta, 0700)) {
		snprintf(err, errlen, "%.512s: %s", meta, strerror(errno));
		return BPFCOST_EXIT_FAILURE;
	}
	if (results_lock(f->s.dir, err, errlen) < 0)
		return BPFCOST_EXIT_FAILURE;
	return sweep_save(&f->s, err, errlen) ? BPFCOST_EXIT_FAILURE : 0;
}

/* RESUME: the settings come from sweep.json; the same ones given again are fine. */
static int reopen(struct fleet *f, const char *dir, char *err, size_t errlen)
{
	cJSON *now = cJSON_CreateObject();
	const char *seed = getenv("SEED");
	char real[PATH_MAX];
	int ret = BPFCOST_EXIT_USAGE;

	if (!realpath(dir, real)) {
		snprintf(err, errlen, "RESUME=%s: %s", dir, strerror(errno));
		goto out;
	}
	if (results_lock(real, err, errlen) < 0 || sweep_load(&f->s, real, err, errlen) ||
	    settings_from_env(now, err, errlen))
		goto out;
	if (!cJSON_Compare(now, f->s.settings, 1) ||
	    (seed && *seed && strtoull(seed, NULL, 10) != f->s.seed)) {
		snprintf(err, errlen,
			 "RESUME: settings differ from %.512s/sweep.json's (they are "
			 "kept; give the same or none)",
			 real);
		goto out;
	}
	ret = fleet_inventory(f, true, err, errlen);
out:
	cJSON_Delete(now);
	return ret;
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
		fprintf(stderr, "bpfcost-fleet: no comparison report (%s)\n", why);
}

static int summary(const struct fleet *f)
{
	int i, failed = 0;

	fprintf(stderr, "bpfcost-fleet: %s (tree %s, seed %llu)\n", f->s.dir, f->commit, f->s.seed);
	for (i = 0; i < f->s.n; i++) {
		const struct sweep_run *r = &f->s.runs[i];

		failed += r->status != SWEEP_DONE;
		fprintf(stderr, "  %-24s %s%s%s\n", r->value, sweep_status_str(r->status),
			r->status == SWEEP_FAILED ? ": " : "", r->error);
	}
	return failed ? BPFCOST_EXIT_FAILURE : 0;
}

static int parse(int argc, char **argv, struct fleet *f, const char **resume, const char **results)
{
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--clean")) {
			f->clean = true;
			continue;
		}
		if (!v)
			return -1;
		if (!strcmp(a, "--inventory"))
			snprintf(f->inventory, sizeof(f->inventory), "%s", v);
		else if (!strcmp(a, "--resume"))
			*resume = v;
		else if (!strcmp(a, "--results"))
			*results = v;
		else if (!strcmp(a, "--forks") || !strcmp(a, "--poll")) {
			long n = strtol(v, &end, 10);

			if (*end || !*v || n < 1 || n > 10000) {
				fprintf(stderr, "bpfcost-fleet: %s '%s': a whole number 1..10000\n",
					a, v);
				return -1;
			}
			*(a[2] == 'f' ? &f->forks : &f->poll_s) = (int)n;
		} else
			return -1;
		i++;
	}
	return f->inventory[0] ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct fleet f = { .s = { .kind = "fleet", .variable = "host" }, .poll_s = 30 };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *resume = NULL, *results = "results";
	char err[1024] = "";
	int ret, i;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (parse(argc, argv, &f, &resume, &results)) {
		usage(stderr);
		return BPFCOST_EXIT_USAGE;
	}
	if (!realpath(getenv("BPFCOST_ROOT") ?: ".", f.root)) {
		fprintf(stderr, "bpfcost-fleet: BPFCOST_ROOT: %s\n", strerror(errno));
		return BPFCOST_EXIT_USAGE;
	}
	ret = resume ? reopen(&f, resume, err, sizeof(err)) : start(&f, results, err, sizeof(err));
	if (!ret && fleet_pack(&f, err, sizeof(err)))
		ret = BPFCOST_EXIT_FAILURE;
	if (ret) {
		fprintf(stderr, "bpfcost-fleet: %s\n", err);
		goto out;
	}
	fprintf(stderr, "bpfcost-fleet: %s: %d hosts, tree %s, seed %llu\n", f.s.dir, f.s.n,
		f.commit, f.s.seed);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ret = fleet_play(&f, &stops, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "bpfcost-fleet: %s\n", err);
		ret = BPFCOST_EXIT_FAILURE;
		goto out;
	}
	if (ret != 130)
		fleet_collect(&f);
	if (sweep_save(&f.s, err, sizeof(err)))
		fprintf(stderr, "bpfcost-fleet: %s\n", err);
	if (ret == 130) {
		fprintf(stderr,
			"bpfcost-fleet: interrupted; hosts' runs are resumable: make fleet "
			"RESUME=%s\n",
			f.s.dir);
		goto out;
	}
	report(f.s.dir);
	ret = summary(&f);
out:
	for (i = 0; i < SWEEP_MAX; i++)
		cJSON_Delete(f.cfg[i].settings);
	sweep_free(&f.s);
	return ret;
}
