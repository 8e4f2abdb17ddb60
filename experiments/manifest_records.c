// SPDX-License-Identifier: GPL-2.0
/*
 * The records a run adds to manifest.json as it goes: the session, hit checks,
 * the calibration, target restarts, why the sample loop stopped. Nothing else
 * edits the manifest's JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "manifest.h"
#include "results.h"

static void replace(cJSON *obj, const char *key, cJSON *item)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, item);
}

int manifest_save(const char *dir, const cJSON *man)
{
	if (!results_write_json(dir, "manifest.json", man))
		return 0;
	fprintf(stderr,
		"bpfcost-run: cannot write %s/manifest.json: %s; the records so far are kept: "
		"make room, then --resume %s\n",
		dir, strerror(errno), dir);
	return -1;
}

int manifest_same_session(cJSON *man, struct target *t, const cJSON *info)
{
	const char *kernel =
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "kernel_release"));
	const char *before = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(man, "session"));
	cJSON *desc = cJSON_CreateObject();
	const char *accel;
	char now[256];

	t->ops->describe(t, desc);
	accel = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(desc, "accel"));
	snprintf(now, sizeof(now), "%s, %s, kernel %s", t->ops->name, accel ? accel : "native",
		 kernel ? kernel : "unknown");
	cJSON_Delete(desc);
	if (before && strcmp(before, now)) {
		fprintf(stderr,
			"bpfcost-run: this folder was measured on %s; the target now is %s. Not "
			"mixing them in one table: start a new run (or resume where it matches)\n",
			before, now);
		return -1;
	}
	if (!before)
		cJSON_AddStringToObject(man, "session", now);
	return 0;
}

bool manifest_check_is_final(const cJSON *man, const char *name)
{
	const cJSON *check = manifest_hit_check(man, name);

	if (!check)
		return false;
	if (cJSON_GetObjectItemCaseSensitive(check, "error"))
		return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "unsupported"));
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "hits_ok"));
}

const cJSON *manifest_hit_check(const cJSON *man, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(man, "hit_checks"),
						name);
}

void manifest_set_hit_check(cJSON *man, const char *name, cJSON *check)
{
	cJSON *checks = cJSON_GetObjectItemCaseSensitive(man, "hit_checks");

	if (!checks)
		checks = cJSON_AddObjectToObject(man, "hit_checks");
	replace(checks, name, check);
}

void manifest_drop_hit_check(cJSON *man, const char *name)
{
	cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(man, "hit_checks"),
						name);
}

int manifest_calibration_args(const cJSON *man, const struct workload_ops *w, char **replaced)
{
	const cJSON *prev = cJSON_GetObjectItemCaseSensitive(man, "calibration"), *a;
	int i;

	if (!prev)
		return 0;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(prev, "args"))
	{
		i = a->string ? workload_arg_index(w, a->string) : -1;
		if (i < 0 || !cJSON_IsString(a) || replaced[i]) {
			fprintf(stderr, "bpfcost-run: manifest.json: bad calibration.args\n");
			return -1;
		}
		replaced[i] = strdup(a->valuestring);
	}
	return 1;
}

void manifest_set_calibration(cJSON *man, cJSON *calibration)
{
	replace(man, "calibration", calibration);
}

cJSON *manifest_add_restart(cJSON *man, const char *why)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(man, "target_restarts");
	cJSON *entry = cJSON_CreateObject();
	time_t now = time(NULL);
	char when[32];

	if (!list)
		list = cJSON_AddArrayToObject(man, "target_restarts");
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	cJSON_AddStringToObject(entry, "time", when);
	cJSON_AddStringToObject(entry, "reason", why ? why : "");
	cJSON_AddItemToArray(list, entry);
	return entry;
}

void manifest_restart_failed(cJSON *entry, const char *err)
{
	cJSON_AddStringToObject(entry, "error", err);
}

void manifest_record_stop(cJSON *man, const char *code, int blocks)
{
	cJSON *p = cJSON_GetObjectItemCaseSensitive(man, "precision");

	if (!p)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(p, "stopped");
	cJSON_DeleteItemFromObjectCaseSensitive(p, "blocks");
	if (code)
		cJSON_AddStringToObject(p, "stopped", code);
	cJSON_AddNumberToObject(p, "blocks", blocks);
}

void manifest_set_disturbance(cJSON *man, cJSON *settings)
{
	replace(man, "disturbance", settings);
}

void manifest_set_percall(cJSON *man, const char *dir)
{
	if (dir)
		replace(man, "percall", cJSON_CreateString(dir));
}

const char *manifest_percall(const cJSON *man)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(man, "percall"));
}
