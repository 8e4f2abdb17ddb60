// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/files.h"
#include "analysis/run.h"
#include "loader/json_get.h"

int run_load_at(struct run *run, int dfd, FILE *diag)
{
	int err = 0;
	FILE *f;

	memset(run, 0, sizeof(*run));
	run->precision_pct = run->precision_abs = run->precision_asked = NAN;
	run->ctx.n = NAN;
	f = infile_open(dfd, "samples.jsonl", SAMPLES_MAX, &err);
	if (!f)
		return err;
	err = records_load_file(f, "samples.jsonl", &run->recs, diag);
	fclose(f);
	if (err)
		return err;
	err = run_group(run);
	if (err)
		return err;
	/* The manifest is decoration: everything must be computable without it. */
	err = manifest_load_at(run, dfd);
	if (err && err != -ENOENT && diag)
		fprintf(diag, "manifest.json: not used: %s\n", infile_strerror(err));
	return 0;
}

int run_load(struct run *run, const char *dir, FILE *diag)
{
	int dfd = dir_open(dir), err;

	memset(run, 0, sizeof(*run));
	if (dfd < 0)
		return dfd;
	err = run_load_at(run, dfd, diag);
	close(dfd);
	return err;
}

/* A few top-level scalars worth a header line; the runner may add or omit any. */
static const char *const wanted[] = {
	"matrix", "N", "n", "duration", "duration_s", "target", "git_revision", "git_rev",
};

static bool want_key(const char *k)
{
	size_t i;

	if (strstr(k, "kernel"))
		return true;
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (!strcmp(k, wanted[i]))
			return true;
	return false;
}

/*
 * The run's PRECISION target: {"target": 2, "unit": "ns"}, or {"target_pct": 5}
 * from before units. Kept as recorded; run_precision() judges the value and
 * the unit against the records' metric (a unit of another metric is no target).
 */
static void precision_load(struct run *run, const cJSON *root)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "precision");
	const char *stop = json_str(p, "stopped"), *unit = json_str(p, "unit");
	double t;

	if (json_num(p, "target", &t) && unit && strlen(unit) < sizeof(run->precision_asked_unit)) {
		run->precision_asked = t;
		strcpy(run->precision_asked_unit, unit);
	} else if (json_num(p, "target_pct", &t)) {
		run->precision_asked = t;
		strcpy(run->precision_asked_unit, "%");
	}
	/* Only ever compared with known codes, never printed. */
	if (stop && strlen(stop) < sizeof(run->precision_stop))
		strcpy(run->precision_stop, stop);
}

int manifest_load_at(struct run *run, int dfd)
{
	const cJSON *it;
	cJSON *root;
	int err = manifest_read_at(dfd, &root);

	if (err)
		return err;
	precision_load(run, root);
	context_load(&run->ctx, root);
	cJSON_ArrayForEach(it, root)
	{
		struct manifest_field *m;

		if (run->n_manifest >= sizeof(run->manifest) / sizeof(run->manifest[0]))
			break;
		if (!it->string || !want_key(it->string))
			continue;
		m = &run->manifest[run->n_manifest];
		if (cJSON_IsString(it))
			snprintf(m->value, sizeof(m->value), "%s", it->valuestring);
		/* "N":1e999 is inf to the parser: a header shows no number it cannot be. */
		else if (cJSON_IsNumber(it) && isfinite(it->valuedouble) &&
			 fabs(it->valuedouble) <= RECORD_VALUE_MAX)
			snprintf(m->value, sizeof(m->value), "%g", it->valuedouble);
		else
			continue;
		snprintf(m->key, sizeof(m->key), "%s", it->string);
		run->n_manifest++;
	}
	cJSON_Delete(root);
	return 0;
}
