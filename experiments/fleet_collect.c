// SPDX-License-Identifier: GPL-2.0
/*
 * Each host's outcome, as the playbook left it on this machine, and its
 * results folder into <fleet>/<host>/: extracted into a new folder beside it,
 * checked for a manifest, then renamed into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "loader/spawn.h"
#include "fleet.h"
#include "results.h"

/* A host's reason reaches the terminal: no control characters from it. */
static void fail(struct sweep_run *r, const char *why)
{
	size_t n = strnlen(why, sizeof(r->error) - 1);
	char *p;

	r->status = SWEEP_FAILED;
	memcpy(r->error, why, n);
	r->error[n] = '\0';
	for (p = r->error; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

/* rm -rf: it never follows a link out of the folder. */
static void remove_tree(const char *path)
{
	char *argv[] = { "rm", "-rf", "--one-file-system", "--", (char *)path, NULL };
	struct spawn_opts o;
	int status;

	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_INHERIT;
	spawn_run(argv, &o, 600, NULL, &status);
}

static void bring_back(struct fleet *f, struct sweep_run *r, const char *meta)
{
	char tar[PATH_MAX + 176], incoming[PATH_MAX + 176], dest[PATH_MAX + 176];
	char err[512], why[768];
	cJSON *manifest;

	snprintf(tar, sizeof(tar), "%s/%s.tar", meta, r->dir);
	snprintf(incoming, sizeof(incoming), "%s/%s.incoming", meta, r->dir);
	snprintf(dest, sizeof(dest), "%s/%s", f->s.dir, r->dir);
	remove_tree(incoming);
	if (fleet_untar(tar, incoming, err, sizeof(err))) {
		snprintf(why, sizeof(why), "its results refused: %s", err);
		fail(r, why);
		return;
	}
	manifest = results_read_manifest(incoming, err, sizeof(err));
	if (!manifest) {
		snprintf(why, sizeof(why), "its results folder has no usable manifest: %s", err);
		fail(r, why);
		return;
	}
	cJSON_Delete(manifest);
	remove_tree(dest);
	if (rename(incoming, dest)) {
		snprintf(why, sizeof(why), "%.400s: %s", dest, strerror(errno));
		fail(r, why);
		return;
	}
	unlink(tar);
	r->status = SWEEP_DONE;
	r->error[0] = '\0';
}

void fleet_collect(struct fleet *f)
{
	char meta[PATH_MAX + 16], name[SWEEP_NAME_MAX + 8], err[512], folder[PATH_MAX + 64];
	const cJSON *st, *why;
	cJSON *out;
	int i;

	snprintf(meta, sizeof(meta), "%s/.fleet", f->s.dir);
	for (i = 0; i < f->s.n; i++) {
		struct sweep_run *r = &f->s.runs[i];

		if (r->status == SWEEP_DONE)
			continue;
		if (!r->extra)
			r->extra = cJSON_CreateObject();
		fleet_remote_folder(f, i, folder, sizeof(folder));
		cJSON_DeleteItemFromObjectCaseSensitive(r->extra, "remote_folder");
		cJSON_AddStringToObject(r->extra, "remote_folder", folder);
		cJSON_DeleteItemFromObjectCaseSensitive(r->extra, "commit");
		cJSON_AddStringToObject(r->extra, "commit", f->commit);
		snprintf(name, sizeof(name), "%s.json", r->dir);
		out = results_read_json(meta, name, err, sizeof(err));
		st = cJSON_GetObjectItemCaseSensitive(out, "status");
		why = cJSON_GetObjectItemCaseSensitive(out, "error");
		if (!out)
			fail(r, "no outcome: unreachable or stopped mid-way (ansible-playbook's "
				"output above says why)");
		else if (cJSON_IsString(st) && !strcmp(st->valuestring, "done"))
			bring_back(f, r, meta);
		else
			fail(r,
			     cJSON_IsString(why) ? why->valuestring : "failed (no reason given)");
		cJSON_Delete(out);
	}
}
