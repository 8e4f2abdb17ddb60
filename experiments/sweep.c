// SPDX-License-Identifier: GPL-2.0
/* sweep.json: written through the results-folder code, read back as hostile input. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "results.h"
#include "sweep.h"

static const char *const status_names[] = { "pending", "done", "failed" };

const char *sweep_status_str(enum sweep_status st)
{
	return status_names[st];
}

bool sweep_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n && n < SWEEP_NAME_MAX && name[0] != '.' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") ==
		       n;
}

int sweep_create(struct sweep *s, const char *root, const char *label, char *err, size_t errlen)
{
	char full[256];

	snprintf(full, sizeof(full), "%s-%s", label, s->kind);
	return results_create(root, full, s->dir, sizeof(s->dir), err, errlen);
}

static const char *const run_keys[] = { "name", "dir", "status", "error" };

static bool is_run_key(const struct sweep *s, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(run_keys) / sizeof(run_keys[0]); i++)
		if (!strcmp(key, run_keys[i]))
			return true;
	return !strcmp(key, s->variable);
}

/* A kind's own fields after the common ones; never one of them twice. */
static void add_extra(cJSON *o, const cJSON *extra)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, extra)
	{
		if (e->string && !cJSON_GetObjectItemCaseSensitive(o, e->string))
			cJSON_AddItemToObject(o, e->string, cJSON_Duplicate(e, 1));
	}
}

/* What a run has beyond the common fields, for the kind that wrote it. */
static cJSON *extra_of(const struct sweep *s, const cJSON *o)
{
	cJSON *extra = NULL;
	const cJSON *e;

	cJSON_ArrayForEach(e, o)
	{
		if (!e->string || is_run_key(s, e->string))
			continue;
		if (!extra)
			extra = cJSON_CreateObject();
		cJSON_AddItemToObject(extra, e->string, cJSON_Duplicate(e, 1));
	}
	return extra;
}

int sweep_save(const struct sweep *s, char *err, size_t errlen)
{
	cJSON *j = cJSON_CreateObject(), *runs;
	int i, ret;

	cJSON_AddNumberToObject(j, "schema_version", 1);
	cJSON_AddStringToObject(j, "kind", s->kind);
	cJSON_AddStringToObject(j, "variable", s->variable);
	runs = cJSON_AddArrayToObject(j, "runs");
	for (i = 0; i < s->n; i++) {
		const struct sweep_run *r = &s->runs[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", r->name);
		cJSON_AddStringToObject(o, "dir", r->dir);
		cJSON_AddStringToObject(o, s->variable, r->value);
		cJSON_AddStringToObject(o, "status", sweep_status_str(r->status));
		if (r->status == SWEEP_FAILED)
			cJSON_AddStringToObject(o, "error", r->error);
		add_extra(o, r->extra);
		cJSON_AddItemToArray(runs, o);
	}
	cJSON_AddItemToObject(j, "settings",
			      s->settings ? cJSON_Duplicate(s->settings, 1) : cJSON_CreateObject());
	cJSON_AddNumberToObject(j, "seed", (double)s->seed);
	ret = results_write_json(s->dir, "sweep.json", j);
	cJSON_Delete(j);
	if (ret)
		snprintf(err, errlen, "cannot write %s/sweep.json", s->dir);
	return ret;
}

/* A string member of at most @len - 1 characters into @out. */
static int get_str(const cJSON *o, const char *key, char *out, size_t len, int i, char *err,
		   size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || strlen(v->valuestring) >= len) {
		snprintf(err, errlen, "run %d: \"%s\" is not a string of at most %zu characters",
			 i + 1, key, len - 1);
		return -1;
	}
	snprintf(out, len, "%s", v->valuestring);
	return 0;
}

static int load_run(const struct sweep *s, const cJSON *o, struct sweep_run *r, int i, char *err,
		    size_t errlen)
{
	char status[16];
	int st, j;

	*r = (struct sweep_run){ 0 };
	if (!cJSON_IsObject(o)) {
		snprintf(err, errlen, "run %d is not an object", i + 1);
		return -1;
	}
	if (get_str(o, "name", r->name, sizeof(r->name), i, err, errlen) ||
	    get_str(o, "dir", r->dir, sizeof(r->dir), i, err, errlen) ||
	    get_str(o, s->variable, r->value, sizeof(r->value), i, err, errlen) ||
	    get_str(o, "status", status, sizeof(status), i, err, errlen))
		return -1;
	for (st = 0; st < 3 && strcmp(status, status_names[st]); st++)
		;
	if (st == 3) {
		snprintf(err, errlen, "run %d: status '%s': pending, done or failed", i + 1,
			 status);
		return -1;
	}
	r->status = st;
	if (r->status == SWEEP_FAILED && cJSON_GetObjectItemCaseSensitive(o, "error"))
		get_str(o, "error", r->error, sizeof(r->error), i, err, errlen);
	/* A folder is a plain name in the sweep, its run's own name; unprepared runs have none. */
	if ((r->name[0] || r->dir[0] || r->status == SWEEP_DONE) &&
	    (!sweep_name_ok(r->name) || strcmp(r->dir, r->name))) {
		snprintf(err, errlen,
			 "run %d: name '%s', dir '%s': a plain name ([A-Za-z0-9._+-]) and its "
			 "folder, the same",
			 i + 1, r->name, r->dir);
		return -1;
	}
	if (!r->value[0]) {
		snprintf(err, errlen, "run %d: no %s", i + 1, s->variable);
		return -1;
	}
	for (j = 0; j < i; j++) {
		if (r->dir[0] && !strcmp(s->runs[j].dir, r->dir)) {
			snprintf(err, errlen, "runs %d and %d share the folder '%s'", j + 1, i + 1,
				 r->dir);
			return -1;
		}
	}
	r->extra = extra_of(s, o);
	return 0;
}

static int load_top(struct sweep *s, const cJSON *j, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "schema_version");
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(j, "kind");
	const cJSON *var = cJSON_GetObjectItemCaseSensitive(j, "variable");
	const cJSON *seed = cJSON_GetObjectItemCaseSensitive(j, "seed");
	const cJSON *settings = cJSON_GetObjectItemCaseSensitive(j, "settings");

	if (!cJSON_IsNumber(v) || v->valuedouble != 1) {
		snprintf(err, errlen, "schema_version is not 1");
		return -1;
	}
	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, s->kind) || !cJSON_IsString(var) ||
	    strcmp(var->valuestring, s->variable)) {
		snprintf(err, errlen, "not a sweep of kind \"%s\" over \"%s\"", s->kind,
			 s->variable);
		return -1;
	}
	if (!cJSON_IsNumber(seed) || !(seed->valuedouble >= 0) ||
	    seed->valuedouble > 9007199254740992.0 ||
	    floor(seed->valuedouble) != seed->valuedouble) {
		snprintf(err, errlen, "seed is not an unsigned integer");
		return -1;
	}
	if (!cJSON_IsObject(settings)) {
		snprintf(err, errlen, "settings is not an object");
		return -1;
	}
	s->seed = (unsigned long long)seed->valuedouble;
	s->settings = cJSON_Duplicate(settings, 1);
	return 0;
}

int sweep_parse(struct sweep *s, const cJSON *j, char *err, size_t errlen)
{
	const cJSON *runs = cJSON_GetObjectItemCaseSensitive(j, "runs"), *o;
	int i = 0;

	s->n = 0;
	s->settings = NULL;
	if (!cJSON_IsObject(j) || load_top(s, j, err, errlen))
		goto bad;
	if (!cJSON_IsArray(runs) || !cJSON_GetArraySize(runs) ||
	    cJSON_GetArraySize(runs) > SWEEP_MAX) {
		snprintf(err, errlen, "runs is not a list of 1 to %d runs", SWEEP_MAX);
		goto bad;
	}
	cJSON_ArrayForEach(o, runs)
	{
		if (load_run(s, o, &s->runs[i], i, err, errlen))
			goto bad;
		s->n = ++i;
	}
	return 0;
bad:
	sweep_free(s);
	return -1;
}

int sweep_load(struct sweep *s, const char *dir, char *err, size_t errlen)
{
	char why[512] = "";
	cJSON *j;
	int ret = -1;

	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->n = 0;
	s->settings = NULL;
	j = results_read_json(dir, "sweep.json", why, sizeof(why));
	if (j)
		ret = sweep_parse(s, j, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "%s/sweep.json: %s", dir, why);
	cJSON_Delete(j);
	return ret;
}

void sweep_free(struct sweep *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		cJSON_Delete(s->runs[i].extra);
		s->runs[i].extra = NULL;
	}
	cJSON_Delete(s->settings);
	s->settings = NULL;
	s->n = 0;
}
