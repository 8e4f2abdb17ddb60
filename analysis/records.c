// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/records.h"

/* Longest first, so "kprobe-fprobe-x" is not read as attach "kprobe", probe "fprobe-x". */
static const char *const known_attach[] = {
	"kretprobe-fprobe", "kprobe-fprobe", "kprobe-ftrace", "kretprobe", "tp_btf",
	"raw_tp",	    "kprobe",	     "fentry",	      "fexit",	   "tp",
};

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* Fallback for records (typically failed ones) that lack attach/probe fields. */
void record_split_config(const char *config, char *attach, char *probe, size_t len, bool *stats)
{
	char buf[REC_NAME_LEN];
	size_t n, i;

	copy_str(buf, sizeof(buf), config);
	n = strlen(buf);
	*stats = n > 5 && !strcmp(buf + n - 5, "-stat");
	if (*stats)
		buf[n - 5] = '\0';
	for (i = 0; i < sizeof(known_attach) / sizeof(known_attach[0]); i++) {
		size_t k = strlen(known_attach[i]);

		if (!strncmp(buf, known_attach[i], k) && buf[k] == '-') {
			copy_str(attach, len, known_attach[i]);
			copy_str(probe, len, buf + k + 1);
			return;
		}
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

static void fill_measurements(const cJSON *o, struct record *r)
{
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
	r->hits_per_packet = num_or_nan(o, "hits_per_packet");
	r->spin_ns = num_or_nan(o, "spin_ns");
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
	if (!s || !*s || strlen(s) >= REC_NAME_LEN) {
		snprintf(why, whylen, "missing, empty or over-long \"config\" string");
		goto out;
	}
	copy_str(r->config, sizeof(r->config), s);
	r->baseline = !strcmp(s, "baseline");
	r->stats = bool_or(o, "stats", false, NULL);
	if (!r->baseline) {
		const char *a = str_or_null(o, "attach"), *p = str_or_null(o, "probe");
		bool st;

		record_split_config(s, r->attach, r->probe, REC_NAME_LEN, &st);
		if (!cJSON_GetObjectItemCaseSensitive(o, "stats"))
			r->stats = st;
		if (a)
			copy_str(r->attach, sizeof(r->attach), a);
		if (p)
			copy_str(r->probe, sizeof(r->probe), p);
	}
	r->block = int_or(o, "block", -1);
	r->sample = int_or(o, "sample", 0);
	r->order = int_or(o, "order", -1);
	fill_measurements(o, r);
	r->hits_ok = bool_or(o, "hits_ok", true, &r->has_hits_ok);
	copy_str(r->hits_source, sizeof(r->hits_source), str_or_null(o, "hits_source"));
	copy_str(r->mechanism, sizeof(r->mechanism), str_or_null(o, "mechanism"));

	err = cJSON_GetObjectItemCaseSensitive(o, "error");
	if (err && !cJSON_IsNull(err)) {
		r->failed = true;
		r->unsupported = bool_or(o, "unsupported", false, NULL);
		copy_str(r->error, sizeof(r->error),
			 cJSON_IsString(err) ? err->valuestring : "(non-string error)");
		ret = 0;
		goto out;
	}
	/* A success record without the primary measurement cannot be analysed. */
	if (isnan(r->rx_bps)) {
		snprintf(why, whylen, "no numeric \"rx_bps\" and no \"error\"");
		goto out;
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

int records_load(const char *path, struct record_set *set, FILE *diag)
{
	struct record r;
	char *line = NULL, why[128];
	size_t cap = 0;
	int lineno = 0, err = 0;
	FILE *f;

	memset(set, 0, sizeof(*set));
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		if (blank(line))
			continue;
		if (record_parse(line, &r, why, sizeof(why))) {
			if (diag)
				fprintf(diag, "%s:%d: skipped malformed record: %s\n", path, lineno,
					why);
			if (!set->n_malformed++)
				set->first_malformed_line = lineno;
			continue;
		}
		r.line = lineno;
		err = set_push(set, &r);
		if (err)
			break;
	}
	free(line);
	fclose(f);
	return err;
}

void records_free(struct record_set *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}
