// SPDX-License-Identifier: GPL-2.0
/* One samples.jsonl line into a struct record: every field judged as hostile input. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/records.h"
#include "experiments/record_check.h"
#include "loader/json_get.h"

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
	return json_num_or(o, key, NAN);
}

/* A whole number that fits an int, else @dflt (1.5 and 1e20 are not row positions). */
static int int_or(const cJSON *o, const char *key, int dflt)
{
	long long v;

	return json_int(o, key, INT_MIN, INT_MAX, &v) ? (int)v : dflt;
}

/* "schema_version": absent in records before it (1), else a known version. */
static int schema_version(const cJSON *o, int *v, char *why, size_t whylen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, "schema_version");
	long long n;

	*v = 1;
	if (!j)
		return 0;
	if (!json_int(o, "schema_version", 1, INT_MAX, &n)) {
		snprintf(why, whylen, "\"schema_version\" is not a whole number from 1");
		return -1;
	}
	if (n > RECORD_SCHEMA_VERSION) {
		snprintf(why, whylen,
			 "record schema_version %lld is newer than this report reads (%d): "
			 "use the bpfcost that wrote it",
			 n, RECORD_SCHEMA_VERSION);
		return -1;
	}
	*v = (int)n;
	return 0;
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
	.quantile = NAN,
};

/* Names and units reach plots and LaTeX: letters, digits, and a few plain marks only. */
static bool plain(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n && n < max &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /%._-") ==
		       n;
}

/* A metric's "quantile": in (0, 1), else none. */
static double quantile_of(const cJSON *j)
{
	double q = num_or_nan(j, "quantile");

	return q > 0 && q < 1 ? q : NAN;
}

/* "also": further metrics of the same unit, plain names and fields, REC_ALSO_MAX at most. */
static int parse_also(const cJSON *j, struct rec_metric *m, char *why, size_t whylen)
{
	const cJSON *also = cJSON_GetObjectItemCaseSensitive(j, "also"), *a;
	const char *absent = json_str(j, "absent");

	m->n_also = 0;
	if (!also)
		return 0;
	if (!cJSON_IsArray(also) || cJSON_GetArraySize(also) > REC_ALSO_MAX ||
	    (absent && !plain(absent, sizeof(m->absent))))
		goto bad;
	cJSON_ArrayForEach(a, also)
	{
		const char *name = json_str(a, "name"), *field = json_str(a, "field");

		if (!name || !field || !plain(name, sizeof(m->also[0].name)) ||
		    !plain(field, sizeof(m->also[0].field)))
			goto bad;
		copy_str(m->also[m->n_also].name, sizeof(m->also[0].name), name);
		copy_str(m->also[m->n_also].field, sizeof(m->also[0].field), field);
		m->also[m->n_also].quantile = quantile_of(a);
		m->also[m->n_also++].terminal = json_bool_or(a, "terminal", false);
	}
	copy_str(m->absent, sizeof(m->absent), absent ? absent : "not recorded");
	return 0;
bad:
	snprintf(why, whylen,
		 "\"metric\".also is not a list of at most %d plain names and fields, or its "
		 "\"absent\" is not plain",
		 REC_ALSO_MAX);
	return -1;
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
	name = json_str(j, "name");
	field = json_str(j, "field");
	unit = json_str(j, "unit");
	event = json_str(j, "event");
	clock = json_str(j, "clock");
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
	m->higher_is_better = json_bool_or(j, "higher_is_better", false);
	m->quantile = quantile_of(j);
	return parse_also(j, m, why, whylen);
}

static void fill_measurements(const cJSON *o, struct record *r)
{
	r->value = num_or_nan(o, r->metric.field) * r->metric.scale;
	r->raw_value = r->value;
	/*
	 * The reference pairs with the raw time per call only; an older record's
	 * metric ns_per_call_norm was already scaled by hand.
	 */
	r->ref_ns =
		!strcmp(r->metric.field, "ns_per_call") ? num_or_nan(o, "ref_ns_per_call") : NAN;
	for (size_t i = 0; i < REC_ALSO_MAX; i++) {
		double v = i < r->metric.n_also ? num_or_nan(o, r->metric.also[i].field) : NAN;

		/* A figure of the metric's kind, or absent: never a negative or infinite one. */
		r->also[i] = isfinite(v) && v >= 0 ? v * r->metric.scale : NAN;
	}
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
	r->disturbed = json_bool_or(o, "disturbed", false);
	if (r->disturbed) {
		const char *why = json_str(o, "disturbed_why");

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
	if (schema_version(o, &r->schema_version, why, whylen))
		goto out;
	s = json_str(o, "config");
	/* The runner's grammar: anything else is not a row name (and may be an attack). */
	if (!s || !*s || strlen(s) >= REC_NAME_LEN ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-@=,.") != strlen(s)) {
		snprintf(why, whylen, "missing, over-long or malformed \"config\" name");
		goto out;
	}
	copy_str(r->config, sizeof(r->config), s);
	r->baseline = !strcmp(s, "baseline");
	r->stats = json_bool_or(o, "stats", false);
	if (!r->baseline) {
		const char *a = json_str(o, "attach"), *p = json_str(o, "probe");
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
	r->has_hits_ok = json_bool(o, "hits_ok", &r->hits_ok);
	if (!r->has_hits_ok)
		r->hits_ok = true;
	copy_str(r->hits_source, sizeof(r->hits_source), json_str(o, "hits_source"));
	copy_str(r->mechanism, sizeof(r->mechanism), json_str(o, "mechanism"));
	if (r->mechanism[0] && !plain(r->mechanism, sizeof(r->mechanism)))
		copy_str(r->mechanism, sizeof(r->mechanism), "?");
	if (r->hits_source[0] && !plain(r->hits_source, sizeof(r->hits_source)))
		copy_str(r->hits_source, sizeof(r->hits_source), "?");

	err = cJSON_GetObjectItemCaseSensitive(o, "error");
	if (err && !cJSON_IsNull(err)) {
		r->failed = true;
		r->unsupported = json_bool_or(o, "unsupported", false);
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
