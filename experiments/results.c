// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "results.h"

int results_create(const char *root, const char *label, char *dir, size_t len, char *err,
		   size_t errlen)
{
	char name[128], link[PATH_MAX + 16], tmp[PATH_MAX + 32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(name, sizeof(name), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "-%s", label);
	if (mkdir(root, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", root, strerror(errno));
		return -1;
	}
	snprintf(dir, len, "%s/%s", root, name);
	if (mkdir(dir, 0755)) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	/* Replace the link atomically: a reader never sees it missing. */
	snprintf(link, sizeof(link), "%s/latest", root);
	snprintf(tmp, sizeof(tmp), "%s/.latest.%d", root, (int)getpid());
	unlink(tmp);
	if (symlink(name, tmp) || rename(tmp, link)) {
		snprintf(err, errlen, "cannot point %s at %s: %s", link, name, strerror(errno));
		return -1;
	}
	return 0;
}

static int drop_partial_tail(const char *path)
{
	FILE *f = fopen(path, "r+");
	long size, keep = 0, pos = 0;
	int c;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	while ((c = fgetc(f)) != EOF) {
		pos++;
		if (c == '\n')
			keep = pos;
	}
	fclose(f);
	if (keep == size)
		return 0;
	fprintf(stderr, "bpfcost-run: %s: dropping an incomplete last line (%ld bytes)\n", path,
		size - keep);
	return truncate(path, keep);
}

FILE *results_open_samples(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	if (drop_partial_tail(path)) {
		snprintf(err, errlen, "cannot repair %s: %s", path, strerror(errno));
		return NULL;
	}
	f = fopen(path, "a");
	if (!f)
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
	return f;
}

int results_append(FILE *f, const cJSON *record)
{
	char *text = cJSON_PrintUnformatted(record);
	int ret = -1;

	if (!text)
		return -1;
	if (fprintf(f, "%s\n", text) > 0 && !fflush(f) && !fsync(fileno(f)))
		ret = 0;
	free(text);
	return ret;
}

int results_each(const char *dir, void (*fn)(const cJSON *rec, void *arg), void *arg)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		cJSON *rec;

		if (!strchr(line, '\n'))
			break; /* cut short: not a record */
		rec = cJSON_Parse(line);
		if (rec) {
			fn(rec, arg);
			n++;
		}
		cJSON_Delete(rec);
	}
	free(line);
	fclose(f);
	return n;
}

int results_write_json(const char *dir, const char *name, const cJSON *json)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], *text = cJSON_Print(json);
	FILE *f;
	int ret = -1;

	if (!text)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f) {
		ret = (fprintf(f, "%s\n", text) > 0 && !fflush(f) && !fsync(fileno(f))) ? 0 : -1;
		fclose(f);
		if (!ret)
			ret = rename(tmp, path);
	}
	free(text);
	return ret;
}

cJSON *results_read_json(const char *dir, const char *name)
{
	char path[PATH_MAX], *text;
	cJSON *json = NULL;
	long size;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = calloc(1, size + 1);
	if (text && fread(text, 1, size, f) == (size_t)size)
		json = cJSON_Parse(text);
	free(text);
	fclose(f);
	return json;
}
