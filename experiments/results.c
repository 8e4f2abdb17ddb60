// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/file.h>
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
	int i;

	gmtime_r(&t, &tm);
	strftime(name, sizeof(name), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "-%s", label);
	if (mkdir(root, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", root, strerror(errno));
		return -1;
	}
	/* Two runs started in the same second get -2, -3...: never one folder for both. */
	for (i = 1;; i++) {
		if (i == 1)
			snprintf(dir, len, "%s/%s", root, name);
		else
			snprintf(dir, len, "%s/%s-%d", root, name, i);
		if (!mkdir(dir, 0755))
			break;
		if (errno != EEXIST || i == 100) {
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	snprintf(name, sizeof(name), "%s", strrchr(dir, '/') + 1);
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

/*
 * A last line that is a whole JSON object but lost its newline (a crash
 * between the two writes) is a complete record: keep it, add the newline.
 */
static bool tail_is_record(const char *path, long from, long size)
{
	char *text = size - from < (1 << 20) ? calloc(1, size - from + 1) : NULL;
	FILE *f = text ? fopen(path, "r+") : NULL;
	cJSON *rec = NULL;
	bool ok = false;

	if (f && !fseek(f, from, SEEK_SET) &&
	    fread(text, 1, size - from, f) == (size_t)(size - from))
		rec = cJSON_Parse(text);
	if (cJSON_IsObject(rec) && !fseek(f, 0, SEEK_END) && fputc('\n', f) == '\n' && !fflush(f))
		ok = !fsync(fileno(f));
	cJSON_Delete(rec);
	if (f)
		fclose(f);
	free(text);
	return ok;
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
	if (tail_is_record(path, keep, size))
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
	f = fopen(path, "ae"); /* not inherited by QEMU, iperf3 or the agent */
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
	char path[PATH_MAX], tmp[PATH_MAX + 16], *text = cJSON_Print(json);
	int fd, dfd, ret = -1;
	FILE *f;

	if (!text)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* A unique temporary name: two writers never share one half-written file. */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		ret = (fprintf(f, "%s\n", text) > 0 && !fflush(f) && !fsync(fileno(f))) ? 0 : -1;
		if (fclose(f))
			ret = -1;
		if (!ret)
			ret = rename(tmp, path);
		if (ret)
			unlink(tmp);
	} else if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	/* The rename is durable only once the folder itself is on disk. */
	dfd = ret ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(text);
	return ret;
}

int results_lock(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX], holder[32] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		n = pread(fd, holder, sizeof(holder) - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		snprintf(err, errlen, "%s is in use by another bpfcost-run (pid %s)", dir,
			 holder[0] ? holder : "unknown");
		close(fd);
		return -1;
	}
	/* Held until we exit: the kernel drops the lock even after SIGKILL. */
	n = snprintf(holder, sizeof(holder), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, holder, n, 0) != n) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
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
