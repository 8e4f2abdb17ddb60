// SPDX-License-Identifier: GPL-2.0
/*
 * A samples.jsonl file into a record set: lines parsed by record_parse(),
 * then copies and inconsistent repeats of a sample left out, with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/files.h"
#include "analysis/records.h"

static int set_push(struct record_set *set, const struct record *r)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct record *v = realloc(set->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n++] = *r;
	return 0;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* @n bytes of @s as a whole name in sorted @names? */
static const char *find_prefix(const char **names, size_t n, const char *s, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(names[mid], s, len);

		if (!c && names[mid][len])
			c = 1;
		if (!c)
			return names[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Records that lack attach/probe get them from their name, split by the attach
 * names the other records carry: the analysis keeps no list of its own. Only
 * the names that are a prefix of a record's own are tried, so the cost is per
 * record, not per record and name.
 */
static int learn_attach_names(struct record_set *set)
{
	const char **names = calloc(set->n + 1, sizeof(*names));
	size_t i, k, n = 0;
	bool stats;

	if (!names)
		return -ENOMEM;
	for (i = 0; i < set->n; i++)
		if (set->v[i].attach[0])
			names[n++] = set->v[i].attach;
	qsort(names, n, sizeof(*names), str_cmp);
	for (i = k = 0; i < n; i++)
		if (!k || strcmp(names[k - 1], names[i]))
			names[k++] = names[i];
	n = k;
	for (i = 0; i < set->n; i++) {
		struct record *r = &set->v[i];
		const char *cand[REC_NAME_LEN + 1];
		size_t nc = 0;

		if (r->baseline || r->attach[0])
			continue;
		for (k = 0; r->config[k] && r->config[k] != '@'; k++)
			if (r->config[k] == '-' && (cand[nc] = find_prefix(names, n, r->config, k)))
				nc++;
		cand[nc] = NULL;
		record_split_config(r->config, cand, r->attach, r->probe, REC_NAME_LEN, &stats);
	}
	free(names);
	return 0;
}

/* Why record i is left out, and the earlier line it repeats or differs from. */
struct dropped {
	const char *why;
	int other;
	bool copy; /* a duplicate, not another metric */
};

/* The key the checks below sort by; ties go by file order, so the first is kept. */
static const struct record_set *sort_set;
static char *const *sort_text;
static int (*sort_key)(size_t a, size_t b);

static int key_text(size_t a, size_t b)
{
	return strcmp(sort_text[a], sort_text[b]);
}

static int key_sample(size_t a, size_t b)
{
	const struct record *ra = &sort_set->v[a], *rb = &sort_set->v[b];
	int c = strcmp(ra->config, rb->config);

	return c ? c : (ra->block > rb->block) - (ra->block < rb->block);
}

static int by_key_then_index(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = sort_key(a, b);

	return c ? c : (a > b) - (a < b);
}

/* Every record after the first of a run of equal keys is a copy of that first. */
static void mark_copies(size_t *ix, size_t n, int (*key)(size_t, size_t), struct dropped *d,
			const struct record_set *set, const char *why)
{
	size_t i, first = 0;

	sort_key = key;
	qsort(ix, n, sizeof(*ix), by_key_then_index);
	for (i = 1; i < n; i++) {
		if (key(ix[first], ix[i])) {
			first = i;
			continue;
		}
		d[ix[i]] = (struct dropped){ why, set->v[ix[first]].line, true };
	}
}

/*
 * One run is one workload and one measurement per (configuration, block): a
 * record with another metric, a second record of the same sample (two
 * writers, a copy pasted twice), or a line repeated verbatim (a record with
 * no block) is left out and said so, never counted. Sorting keeps this
 * O(n log n) whatever the file holds; @text is each record's line where the
 * verbatim check needs it (no block, or an error), else NULL.
 */
static int drop_inconsistent(const char *path, struct record_set *set, FILE *diag,
			     char *const *text)
{
	struct dropped *d = calloc(set->n + 1, sizeof(*d));
	size_t *ix = calloc(set->n + 1, sizeof(*ix));
	size_t i, n, k;

	if (!d || !ix) {
		free(d);
		free(ix);
		return -ENOMEM;
	}
	for (i = 1; i < set->n; i++) {
		const struct rec_metric *m0 = &set->v[0].metric, *m = &set->v[i].metric;

		if (strcmp(m->field, m0->field) || strcmp(m->unit, m0->unit))
			d[i] = (struct dropped){ "its metric differs from the run's first record",
						 set->v[0].line, false };
	}
	sort_set = set;
	sort_text = text;
	for (i = n = 0; i < set->n; i++)
		if (!d[i].why && text[i])
			ix[n++] = i;
	mark_copies(ix, n, key_text, d, set, "the same record as another line");
	/*
	 * Measurements only: an error or a disturbed record beside a good one (the
	 * redo of it) counts nothing twice.
	 */
	for (i = n = 0; i < set->n; i++)
		if (!d[i].why && !set->v[i].failed && !set->v[i].disturbed && set->v[i].block >= 0)
			ix[n++] = i;
	mark_copies(ix, n, key_sample, d, set,
		    "a second record of the same configuration and block");
	for (i = k = 0; i < set->n; i++) {
		if (!d[i].why) {
			set->v[k++] = set->v[i];
			continue;
		}
		if (diag)
			fprintf(diag, "%s:%d: skipped: %s (line %d)\n", path, set->v[i].line,
				d[i].why, d[i].other);
		if (!set->n_malformed++ || set->v[i].line < set->first_malformed_line)
			set->first_malformed_line = set->v[i].line;
		set->n_duplicates += d[i].copy;
	}
	set->n = k;
	free(d);
	free(ix);
	return 0;
}

static void free_text(char **text, size_t n)
{
	for (size_t i = 0; text && i < n; i++)
		free(text[i]);
	free(text);
}

/* The line without its trailing white space: two copies differ in nothing else. */
static char *line_text(const char *line, size_t n)
{
	while (n && strchr(" \t\r\n", line[n - 1]))
		n--;
	return strndup(line, n);
}

int records_load_file(FILE *f, const char *path, struct record_set *set, FILE *diag)
{
	char *line = NULL, why[128], **text = NULL;
	size_t cap = 0, text_cap = 0, total = 0;
	int lineno = 0, err = 0;
	struct record r;
	ssize_t n;

	memset(set, 0, sizeof(*set));
	for (;;) {
		errno = 0;
		n = getline(&line, &cap, f);
		if (n < 0)
			break;
		lineno++;
		total += n;
		if (total > SAMPLES_MAX || set->n >= RECORDS_MAX) {
			err = -EFBIG; /* grew past the cap after it was opened */
			break;
		}
		if (blank(line))
			continue;
		if ((size_t)n > RECORD_LINE_MAX) {
			snprintf(why, sizeof(why), "longer than %d bytes", RECORD_LINE_MAX);
		} else if (!record_parse(line, &r, why, sizeof(why))) {
			r.line = lineno;
			err = set_push(set, &r);
			if (!err && set->n > text_cap) {
				size_t c = text_cap ? text_cap * 2 : 64;
				char **t = realloc(text, c * sizeof(*t));

				if (t) {
					memset(t + text_cap, 0, (c - text_cap) * sizeof(*t));
					text = t;
					text_cap = c;
				}
				err = t ? 0 : -ENOMEM;
			}
			/* Only records the (configuration, block) check cannot tell apart. */
			if (!err && (r.block < 0 || r.failed) &&
			    !(text[set->n - 1] = line_text(line, n)))
				err = -ENOMEM;
			if (err)
				break;
			continue;
		}
		if (diag)
			fprintf(diag, "%s:%d: skipped malformed record: %s\n", path, lineno, why);
		if (!set->n_malformed++)
			set->first_malformed_line = lineno;
	}
	/* getline's -1 is the end only at the end: ENOMEM or EIO must not lose samples silently. */
	if (!err && (ferror(f) || !feof(f)))
		err = errno ? -errno : -EIO;
	free(line);
	if (!err)
		err = learn_attach_names(set);
	if (!err && set->n)
		err = drop_inconsistent(path, set, diag, text);
	free_text(text, text_cap);
	if (err)
		records_free(set);
	return err;
}

int records_load(const char *path, struct record_set *set, FILE *diag)
{
	int err = 0;
	FILE *f = infile_open(AT_FDCWD, path, SAMPLES_MAX, &err);

	memset(set, 0, sizeof(*set));
	if (!f)
		return err;
	err = records_load_file(f, path, set, diag);
	fclose(f);
	return err;
}

void records_free(struct record_set *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}
