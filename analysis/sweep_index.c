// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/files.h"
#include "analysis/sweep_index.h"
#include "loader/json_get.h"

#define SWEEP_INDEX_BYTES_MAX ((size_t)1 << 20)

static int refuse(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Printable ASCII that fits: anything else is refused, never cut or shown raw. */
static bool plain_copy(char *out, size_t len, const char *s)
{
	size_t i;

	if (!s || strlen(s) >= len)
		return false;
	for (i = 0; s[i]; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	strcpy(out, s);
	return true;
}

bool sweep_index_dir_ok(const char *dir)
{
	return dir && dir[0] && !strchr(dir, '/') && strcmp(dir, ".") && strcmp(dir, "..");
}

/* A run that failed before it was prepared has no folder yet: "dir" is "" then. */
static int parse_run(const cJSON *o, struct sweep_index_run *r, size_t i, char *why, size_t len)
{
	const char *err, *dir = json_str(o, "dir");

	memset(r, 0, sizeof(*r));
	if (!cJSON_IsObject(o))
		return refuse(why, len, "runs[%zu] is not an object", i);
	if (!plain_copy(r->status, sizeof(r->status), json_str(o, "status")) ||
	    (strcmp(r->status, "done") && strcmp(r->status, "pending") &&
	     strcmp(r->status, "failed")))
		return refuse(why, len, "runs[%zu].status is not done, pending or failed", i);
	if (!(dir && !dir[0] && strcmp(r->status, "done")) &&
	    (!plain_copy(r->dir, sizeof(r->dir), dir) || !sweep_index_dir_ok(r->dir)))
		return refuse(why, len, "runs[%zu].dir is not a plain folder name", i);
	if (!plain_copy(r->name, sizeof(r->name), json_str(o, "name")) || !r->name[0])
		strcpy(r->name, r->dir[0] ? r->dir : "(not prepared)");
	err = json_str(o, "error");
	/* The error is only shown: a strange one is replaced, not fatal. */
	if (err && !plain_copy(r->error, sizeof(r->error), err))
		strcpy(r->error, "(error text not shown: too long or not plain)");
	return 0;
}

int sweep_index_parse(const char *text, struct sweep_index *s, char *why, size_t len)
{
	cJSON *root = cJSON_Parse(text);
	const cJSON *runs, *it;
	long long v;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(root)) {
		refuse(why, len, "not a JSON object");
		goto out;
	}
	if (!json_int(root, "schema_version", 1, 1000, &v) || v != SWEEP_INDEX_SCHEMA_VERSION) {
		refuse(why, len, "schema_version is not %d", SWEEP_INDEX_SCHEMA_VERSION);
		goto out;
	}
	if (!plain_copy(s->kind, sizeof(s->kind), json_str(root, "kind")))
		strcpy(s->kind, "sweep");
	if (!plain_copy(s->variable, sizeof(s->variable), json_str(root, "variable")))
		s->variable[0] = '\0';
	/* A fleet's runs are hosts: its comparison labels them so, and only so. */
	if (!strcmp(s->kind, "fleet") && strcmp(s->variable, "host")) {
		refuse(why, len, "a fleet's variable is \"host\", not \"%s\"", s->variable);
		goto out;
	}
	runs = cJSON_GetObjectItemCaseSensitive(root, "runs");
	if (!cJSON_IsArray(runs) || !cJSON_GetArraySize(runs)) {
		refuse(why, len, "no \"runs\" array");
		goto out;
	}
	if (cJSON_GetArraySize(runs) > SWEEP_INDEX_RUNS_MAX) {
		refuse(why, len, "more than %d runs", SWEEP_INDEX_RUNS_MAX);
		goto out;
	}
	cJSON_ArrayForEach(it, runs)
	{
		size_t i;

		if (parse_run(it, &s->runs[s->n_runs], s->n_runs, why, len))
			goto out;
		for (i = 0; i < s->n_runs; i++)
			if (s->runs[i].dir[0] && !strcmp(s->runs[i].dir, s->runs[s->n_runs].dir)) {
				refuse(why, len, "runs[%zu].dir repeats runs[%zu].dir", s->n_runs,
				       i);
				goto out;
			}
		s->n_runs++;
	}
	ret = 0;
out:
	cJSON_Delete(root);
	if (ret)
		s->n_runs = 0;
	return ret;
}

int sweep_index_read_at(int dfd, struct sweep_index *s, char *why, size_t len)
{
	char *text;
	size_t n;
	int err = infile_read(dfd, "sweep.json", SWEEP_INDEX_BYTES_MAX, &text, &n);

	memset(s, 0, sizeof(*s));
	if (err) {
		snprintf(why, len, "%s", infile_strerror(err));
		return err;
	}
	if (strlen(text) != n)
		err = refuse(why, len, "holds a NUL byte");
	else if (sweep_index_parse(text, s, why, len))
		err = -1;
	free(text);
	return err ? -EINVAL : 0;
}
