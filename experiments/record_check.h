/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a value in a samples.jsonl record may be. The runner checks every
 * record before it writes it (an impossible value turns the sample into an
 * error record naming the field); the report checks again on reading, since a
 * results folder is untrusted input. One definition for both sides.
 */
#ifndef BPFCOST_RECORD_CHECK_H
#define BPFCOST_RECORD_CHECK_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

/*
 * The schema of a samples.jsonl record, its "schema_version". 1: records written
 * before the field existed (read as such); 2: the field added. A record of a newer
 * schema than the report knows is skipped as malformed: its fields may mean
 * something else. Raise it with any change of a field's meaning (README, "Column
 * changes").
 */
#define RECORD_SCHEMA_VERSION 2

/*
 * Program runs per workload event (received packet, call) outside this range
 * mean the probe did not run once per event: the runner flags the sample
 * (hits_ok false) and the report flags the row.
 */
#define HITS_MIN 0.9
#define HITS_MAX 1.1

/*
 * No measurement in a record is this large: past 2^53 a double no longer holds
 * every integer, and tables would print dozens of digits (or inf, once summed).
 */
#define RECORD_VALUE_MAX 9007199254740992.0
/* Program runs per event: a probe firing a million times per packet is no measurement. */
#define HITS_LIMIT 1e6

static inline bool hits_in_range(double hits)
{
	return hits >= HITS_MIN && hits <= HITS_MAX;
}

/* Fields that count or measure something: never negative. */
static const char *const record_nonnegative_fields[] = {
	"rx_bps",	    "rx_bytes",		  "rx_packets",	      "rx_pps",
	"sent_packets",	    "duration_s",	  "run_cnt",	      "run_time_ns",
	"hits_per_packet",  "hits_per_event",	  "events",	      "guest_datagrams",
	"cpu_host_percent", "cpu_remote_percent", "spin_ns",	      "calls",
	"elapsed_ns",	    "ns_per_call",	  "ns_per_call_norm", "ref_ns_per_call",
	"idle_runs",	    "datagram_bytes",	  "trigger_cpu",      "ns_per_call_mean",
};

/* Ratios per event: within [0, HITS_LIMIT]. */
static const char *const record_hits_fields[] = {
	"hits_per_packet",
	"hits_per_event",
};

/* Percentages of a whole: within [0, 100]. */
static const char *const record_percent_fields[] = {
	"lost_percent",
};

static inline bool record_field_in(const char *key, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

/*
 * 0 if every number in @rec is possible; else -1 and @why names the first
 * field and its value, e.g. "impossible value: rx_packets = -415018 (negative count)".
 * The field the record's "metric" declares (a workload's measurement: a rate,
 * a time per call) is checked as a count is, whatever its name.
 */
static inline int record_check_values(const cJSON *rec, char *why, size_t whylen)
{
	const size_t n_nonneg =
		sizeof(record_nonnegative_fields) / sizeof(record_nonnegative_fields[0]);
	const size_t n_pct = sizeof(record_percent_fields) / sizeof(record_percent_fields[0]);
	const size_t n_hits = sizeof(record_hits_fields) / sizeof(record_hits_fields[0]);
	const cJSON *metric = cJSON_GetObjectItemCaseSensitive(rec, "metric");
	const char *mfield =
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(metric, "field"));
	const cJSON *it;

	cJSON_ArrayForEach(it, rec)
	{
		const char *key = it->string ? it->string : "?";
		double v = it->valuedouble;

		if (!cJSON_IsNumber(it))
			continue;
		if (!isfinite(v)) {
			/* Not printed: a table must never show "nan" or "inf", not even here. */
			snprintf(why, whylen, "impossible value: %.40s is not a finite number",
				 key);
			return -1;
		}
		if (fabs(v) > RECORD_VALUE_MAX) {
			snprintf(why, whylen, "impossible value: %.40s = %.6g (beyond %.0f)", key,
				 v, RECORD_VALUE_MAX);
			return -1;
		}
		if (v < 0 && (record_field_in(key, record_nonnegative_fields, n_nonneg) ||
			      (mfield && !strcmp(key, mfield)))) {
			snprintf(why, whylen, "impossible value: %.40s = %.6g (negative count)",
				 key, v);
			return -1;
		}
		if (v > HITS_LIMIT && record_field_in(key, record_hits_fields, n_hits)) {
			snprintf(why, whylen,
				 "impossible value: %.40s = %.6g (above %.0f per event)", key, v,
				 HITS_LIMIT);
			return -1;
		}
		if ((v < 0 || v > 100) && record_field_in(key, record_percent_fields, n_pct)) {
			snprintf(why, whylen, "impossible value: %.40s = %.6g (outside [0, 100])",
				 key, v);
			return -1;
		}
	}
	return 0;
}

#endif /* BPFCOST_RECORD_CHECK_H */
