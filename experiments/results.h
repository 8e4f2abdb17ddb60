/* SPDX-License-Identifier: GPL-2.0 */
/* The results folder: samples.jsonl appended and flushed per sample, manifest.json. */
#ifndef BPFCOST_RESULTS_H
#define BPFCOST_RESULTS_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct cJSON;

/* results/<UTC time>-<label>/, and results/latest pointing at it. */
int results_create(const char *root, const char *label, char *dir, size_t len, char *err,
		   size_t errlen);

/*
 * Open samples.jsonl for appending. A last line cut short by a crash is
 * removed first, so every line in the file is a complete record.
 */
FILE *results_open_samples(const char *dir, char *err, size_t errlen);

/* One record, one line, on disk before returning (fflush + fsync). */
int results_append(FILE *f, const struct cJSON *record);

/*
 * Calls @fn for each complete record in samples.jsonl; returns the count (0
 * without the file), or -1 with @err: not a plain file, a read error, a line
 * past the cap.
 */
int results_each(const char *dir, void (*fn)(const struct cJSON *rec, void *arg), void *arg,
		 char *err, size_t errlen);

/*
 * One writer per results folder: an exclusive lock on <dir>/.lock holding our
 * pid, kept until exit. Returns the fd, or -1 with @err naming the holder.
 */
int results_lock(const char *dir, char *err, size_t errlen);

/* Write @json to <dir>/<name> atomically (unique temporary file, fsync, rename, fsync dir). */
int results_write_json(const char *dir, const char *name, const struct cJSON *json);
/* Read <dir>/<name>; NULL with @err if missing, not a plain file, too large or not JSON. */
struct cJSON *results_read_json(const char *dir, const char *name, char *err, size_t errlen);
/*
 * <dir>/manifest.json through the one manifest reader the report uses too
 * (manifest_read_at(): a regular file, not a link, capped, a JSON object);
 * NULL with @err.
 */
struct cJSON *results_read_manifest(const char *dir, char *err, size_t errlen);

/* @dir opened O_DIRECTORY|O_NOFOLLOW; -1 with @err. */
int results_open_dir(const char *dir, char *err, size_t errlen);
/*
 * <@dfd>/@name opened with @flags (| O_NOFOLLOW, O_NONBLOCK, O_CLOEXEC; 0644 if
 * created), refused unless a regular file with one link. -1 with @err
 * (@dir names the folder in it) and errno.
 */
int results_openat(int dfd, const char *dir, const char *name, int flags, char *err, size_t errlen);

#endif /* BPFCOST_RESULTS_H */
