// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "manifest.h"
#include "results.h"
#include "run_settings.h"
#include "runner_folder.h"

/* Every row's settings exist in its probe and fit: refused now, not as N error records. */
static int check_rows(const struct matrix *m)
{
	char err[BPFCOST_ERRLEN];
	int i;

	for (i = 0; i < m->n; i++) {
		if (row_settings_check(&m->configs[i], err, sizeof(err))) {
			fprintf(stderr, "bpfcost-run: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static int refuse_manifest(const char *dir, const char *err)
{
	fprintf(stderr, "bpfcost-run: %s: no usable manifest.json to resume from: %s\n", dir, err);
	return BPFCOST_EXIT_USAGE;
}

static int resume(struct run_options *o, struct run_folder *f)
{
	char err[BPFCOST_ERRLEN];
	const char **names = NULL;
	double budget = o->rs.budget_min;
	int i, count;

	/*
	 * The folder named is the user's choice (results/latest too): resolved
	 * once; every file in it is then opened without following links.
	 */
	if (!realpath(o->resume, f->dir))
		return refuse_manifest(o->resume, strerror(errno));
	f->man = results_read_manifest(f->dir, err, sizeof(err));
	if (!f->man)
		return refuse_manifest(f->dir, err);
	cJSON_Delete(f->man);
	f->man = NULL;
	if (results_lock(f->dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		return BPFCOST_EXIT_USAGE;
	}
	f->man = results_read_manifest(f->dir, err, sizeof(err));
	if (!f->man || manifest_settings(f->man, &o->rs, &names, &count, err, sizeof(err)))
		return refuse_manifest(f->dir, err);
	/* --budget with --resume: a new budget (a sweep gives a resumed run what is left). */
	if (budget > 0)
		o->rs.budget_min = budget;
	/* The report of a resumed run predicts from the same per-call folder. */
	if (!o->percall)
		o->percall = manifest_percall(f->man);
	f->m.configs = calloc(count, sizeof(*f->m.configs));
	for (i = 0; f->m.configs && i < count; i++) {
		if (config_parse(names[i], f->probes, &f->m.configs[f->m.n++], err, sizeof(err))) {
			fprintf(stderr, "bpfcost-run: %s: %s\n", f->dir, err);
			free(names);
			return BPFCOST_EXIT_USAGE;
		}
	}
	free(names);
	/* Row settings from the manifest are checked as the command line's are. */
	return !f->m.configs || check_rows(&f->m) ? BPFCOST_EXIT_USAGE : 0;
}

/* A matrix file is labelled by its name, without directories or suffix, plain characters. */
static void label_of(const char *matrix, char *label, size_t len)
{
	int i;

	snprintf(label, len, "%s", strrchr(matrix, '/') ? strrchr(matrix, '/') + 1 : matrix);
	label[strcspn(label, ".")] = '\0';
	for (i = 0; label[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    label[i]))
			label[i] = '_';
}

/* --folder: exactly this folder, new (never one that exists: it may be anyone's). */
static int create_named(const char *folder, char *dir, size_t len, char *err, size_t errlen)
{
	char real[PATH_MAX];

	if (mkdir(folder, 0755) || !realpath(folder, real)) {
		snprintf(err, errlen, "--folder %s: cannot create it: %s", folder, strerror(errno));
		return -1;
	}
	snprintf(dir, len, "%s", real);
	return 0;
}

static int create(struct run_options *o, struct run_folder *f)
{
	char err[BPFCOST_ERRLEN], label[64];

	if (matrix_build(o->rs.matrix, f->probes, &f->m, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		return BPFCOST_EXIT_USAGE;
	}
	if (check_rows(&f->m))
		return BPFCOST_EXIT_USAGE;
	label_of(o->rs.matrix, label, sizeof(label));
	if (o->folder ? create_named(o->folder, f->dir, sizeof(f->dir), err, sizeof(err))
		      : results_create(o->results_root, label, f->dir, sizeof(f->dir), err,
				       sizeof(err))) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		return o->folder ? BPFCOST_EXIT_USAGE : BPFCOST_EXIT_FAILURE;
	}
	if (results_lock(f->dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		return BPFCOST_EXIT_FAILURE;
	}
	f->man = manifest_new(&o->rs, &f->m);
	manifest_set_percall(f->man, o->percall);
	if (results_write_json(f->dir, "manifest.json", f->man)) {
		fprintf(stderr, "bpfcost-run: cannot write %s/manifest.json: %s\n", f->dir,
			strerror(errno));
		return BPFCOST_EXIT_FAILURE;
	}
	return 0;
}

int run_folder_open(struct run_options *o, struct run_folder *f)
{
	char err[BPFCOST_ERRLEN] = "";

	*f = (struct run_folder){ 0 };
	/* The same check as a resumed manifest gets (manifest_settings), before anything starts. */
	if (!o->resume && (options_apply_sets(o, err, sizeof(err)) ||
			   run_settings_check(&o->rs, err, sizeof(err)))) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		return BPFCOST_EXIT_USAGE;
	}
	f->probes = bpfcost_list_probes(bpfcost_default_progs_dir(), err, sizeof(err));
	if (!f->probes) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		return BPFCOST_EXIT_FAILURE;
	}
	return o->resume ? resume(o, f) : create(o, f);
}

void run_folder_close(struct run_folder *f)
{
	cJSON_Delete(f->man);
	matrix_free(&f->m);
	bpfcost_free_names(f->probes);
	*f = (struct run_folder){ 0 };
}
