// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/files.h"
#include "analysis/records.h"
#include "experiments/record_check.h"

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

void record_split_config(const char *config, const char *const *attach_names, char *attach,
			 char *probe, size_t len, bool *stats)
{
	const char *best = NULL;
	char buf[REC_NAME_LEN];
	size_t n, blen = 0;

	copy_str(buf, sizeof(buf), config);
	buf[strcspn(buf, "@")] = '\0'; /* settings are not part of attach or probe */
	n = strlen(buf);
	*stats = n > 5 && !strcmp(buf + n - 5, "-stat");
	if (*stats)
		buf[n - 5] = '\0';
	for (; attach_names && *attach_names; attach_names++) {
		size_t k = strlen(*attach_names);

		if (k > blen && !strncmp(buf, *attach_names, k) && buf[k] == '-') {
			best = *attach_names;
			blen = k;
		}
	}
	if (best) {
		copy_str(attach, len, best);
		copy_str(probe, len, buf + blen + 1);
		return;
	}
	copy_str(attach, len, buf);
	copy_str(probe, len, "");
}

static double num_or_nan(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(it) ? it->valuedouble : NAN;
}

static int int_or(const cJSON *o, const char *key, int dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(it) ? it->valueint : dflt;
}

static const char *str_or_null(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static bool bool_or(const cJSON *o, const char *key, bool dflt, bool *present)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	if (present)
		*present = cJSON_IsBool(it);
	return cJSON_IsBool(it) ? cJSON_IsTrue(it) : dflt;
}

/* The iperf flood's metric: what records written before metrics were declared measured. */
static const struct rec_metric legacy_metric = {
	.name = "bitrate",
	.field = "rx_bps",
	.unit = "Mbit/s",
	.scale = 1e-6,
	.higher_is_better = true,
	.event = "packet",
	.clock = "real",
};

/* Names and units reach plots and LaTeX: letters, digits, and a few plain marks only. */
static bool plain(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n && n < max &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /%._-") ==
		       n;
}

static int parse_metric(const cJSON *o, struct rec_metric *m, char *why, size_t whylen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, "metric");
	const char *name, *field, *unit, *event, *clock;
	double scale;

	if (!j) {
		*m = legacy_metric;
		return 0;
	}
	name = str_or_null(j, "name");
	field = str_or_null(j, "field");
	unit = str_or_null(j, "unit");
	event = str_or_null(j, "event");
	clock = str_or_null(j, "clock");
	scale = num_or_nan(j, "scale");
	if (!name || !field || !unit || !plain(name, sizeof(m->name)) ||
	    !plain(field, sizeof(m->field)) || !plain(unit, sizeof(m->unit)) ||
	    (event && !plain(event, sizeof(m->event))) ||
	    (clock && !plain(clock, sizeof(m->clock))) || !isfinite(scale) || scale <= 0) {
		snprintf(why, whylen,
			 "\"metric\" lacks a plain name, field or unit, or a positive scale");
		return -1;
	}
	copy_str(m->name, sizeof(m->name), name);
	copy_str(m->field, sizeof(m->field), field);
	copy_str(m->unit, sizeof(m->unit), unit);
	copy_str(m->event, sizeof(m->event), event ? event : "event");
	copy_str(m->clock, sizeof(m->clock), clock ? clock : "real");
	m->scale = scale;
	m->higher_is_better = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "higher_is_better"));
	return 0;
}

static void fill_measurements(const cJSON *o, struct record *r)
{
	r->value = num_or_nan(o, r->metric.field) * r->metric.scale;
	r->rx_bps = num_or_nan(o, "rx_bps");
	r->rx_bytes = num_or_nan(o, "rx_bytes");
	r->rx_packets = num_or_nan(o, "rx_packets");
	r->rx_pps = num_or_nan(o, "rx_pps");
	r->lost_percent = num_or_nan(o, "lost_percent");
	r->duration_s = num_or_nan(o, "duration_s");
	r->cpu_host_percent = num_or_nan(o, "cpu_host_percent");
	r->cpu_remote_percent = num_or_nan(o, "cpu_remote_percent");
	r->run_cnt = num_or_nan(o, "run_cnt");
	r->run_time_ns = num_or_nan(o, "run_time_ns");
	r->hits = num_or_nan(o, "hits_per_event");
	if (isnan(r->hits))
		r->hits = num_or_nan(o, "hits_per_packet");
	r->spin_ns = num_or_nan(o, "spin_ns");
	/* Interference figures: shares and CPUs, so outside [0, 1e4] they are not figures. */
	{
		const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, "interference");
		double *dst[] = { &r->foreign_cpu, &r->psi_some_pct, &r->steal_pct };
		const char *key[] = { "foreign_cpu", "psi_some_pct", "steal_pct" };
		size_t i;

		for (i = 0; i < 3; i++) {
			double v = num_or_nan(it, key[i]);

			*dst[i] = isfinite(v) && v >= 0 && v <= 1e4 ? v : NAN;
		}
	}
	r->disturbed = bool_or(o, "disturbed", false, NULL);
	if (r->disturbed) {
		const char *why = str_or_null(o, "disturbed_why");

		/* Printed in notes: letters, digits and plain marks only, else a placeholder. */
		copy_str(r->disturbed_why, sizeof(r->disturbed_why),
			 why && strlen(why) < sizeof(r->disturbed_why) &&
					 strspn(why,
						"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
						"TUVWXYZ0123456789 /%._-,;:()<>=+") == strlen(why)
				 ? why
				 : "(reason not shown)");
	}
	/* Derive pps when the runner only gave packets and duration. */
	if (isnan(r->rx_pps) && r->duration_s > 0)
		r->rx_pps = r->rx_packets / r->duration_s;
}

int record_parse(const char *line, struct record *r, char *why, size_t whylen)
{
	const cJSON *err;
	const char *s;
	cJSON *o;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	o = cJSON_Parse(line);
	if (!o) {
		snprintf(why, whylen, "not valid JSON (truncated line?)");
		return -1;
	}
	if (!cJSON_IsObject(o)) {
		snprintf(why, whylen, "not a JSON object");
		goto out;
	}
	s = str_or_null(o, "config");
	/* The runner's grammar: anything else is not a row name (and may be an attack). */
	if (!s || !*s || strlen(s) >= REC_NAME_LEN ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-@=,.") != strlen(s)) {
		snprintf(why, whylen, "missing, over-long or malformed \"config\" name");
		goto out;
	}
	copy_str(r->config, sizeof(r->config), s);
	r->baseline = !strcmp(s, "baseline");
	r->stats = bool_or(o, "stats", false, NULL);
	if (!r->baseline) {
		const char *a = str_or_null(o, "attach"), *p = str_or_null(o, "probe");
		bool st;

		/* Without attach/probe, records_load() splits the name by the attach names seen. */
		record_split_config(s, NULL, r->attach, r->probe, REC_NAME_LEN, &st);
		if (!cJSON_GetObjectItemCaseSensitive(o, "stats"))
			r->stats = st;
		r->attach[0] = r->probe[0] = '\0';
		if (a && plain(a, REC_NAME_LEN))
			copy_str(r->attach, sizeof(r->attach), a);
		if (p && plain(p, REC_NAME_LEN))
			copy_str(r->probe, sizeof(r->probe), p);
	}
	if (parse_metric(o, &r->metric, why, whylen))
		goto out;
	r->block = int_or(o, "block", -1);
	r->sample = int_or(o, "sample", 0);
	r->order = int_or(o, "order", -1);
	fill_measurements(o, r);
	r->hits_ok = bool_or(o, "hits_ok", true, &r->has_hits_ok);
	copy_str(r->hits_source, sizeof(r->hits_source), str_or_null(o, "hits_source"));
	copy_str(r->mechanism, sizeof(r->mechanism), str_or_null(o, "mechanism"));
	if (r->mechanism[0] && !plain(r->mechanism, sizeof(r->mechanism)))
		copy_str(r->mechanism, sizeof(r->mechanism), "?");
	if (r->hits_source[0] && !plain(r->hits_source, sizeof(r->hits_source)))
		copy_str(r->hits_source, sizeof(r->hits_source), "?");

	err = cJSON_GetObjectItemCaseSensitive(o, "error");
	if (err && !cJSON_IsNull(err)) {
		r->failed = true;
		r->unsupported = bool_or(o, "unsupported", false, NULL);
		copy_str(r->error, sizeof(r->error),
			 cJSON_IsString(err) ? err->valuestring : "(non-string error)");
		/* One line in every table: a line break here could start a LaTeX line. */
		for (char *e = r->error; *e; e++)
			if ((unsigned char)*e < 0x20 || *e == 0x7f)
				*e = ' ';
		ret = 0;
		goto out;
	}
	/* A success record without the primary measurement cannot be analysed. */
	if (isnan(r->value)) {
		snprintf(why, whylen, "no numeric \"%s\" and no \"error\"", r->metric.field);
		goto out;
	}
	/* An impossible number is the sample's error, never a number in a table. */
	if (record_check_values(o, r->error, sizeof(r->error))) {
		r->failed = true;
	} else if (!isfinite(r->value) || fabs(r->value) > RECORD_VALUE_MAX) {
		/* The scale may carry a bounded field out of range: checked after it. */
		snprintf(r->error, sizeof(r->error),
			 "impossible value: %s x scale is not a finite number below 2^53",
			 r->metric.field);
		r->failed = true;
	}
	ret = 0;
out:
	cJSON_Delete(o);
	return ret;
}

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
