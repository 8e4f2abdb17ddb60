// SPDX-License-Identifier: GPL-2.0
/*
 * PRECISION in the manifest: {"target": 2, "unit": "ns", "budget_min": 3,
 * "min_n": 4, "max_n": 1000}, and back for a resume. Manifests from before
 * units say {"target_pct": 5}; both forms are read. The unit is checked
 * against the run's metric as the command line's is (run_settings_check).
 */
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "analysis/run.h"
#include "manifest.h"
#include "run_settings.h"

int precision_setting_unit(const struct run_settings *rs, char *canon, size_t len, char *err,
			   size_t errlen)
{
	const struct workload_ops *w = workload_find(rs->workload);
	cJSON *metric;
	int ret;

	if (!w) {
		snprintf(err, errlen, "no workload, so no metric to take a unit from");
		return -1;
	}
	/* The metric the manifest records: the workload's, its arguments' and the clock's. */
	metric = workload_metric_json(w, rs->clock);
	ret = precision_unit_for(
		rs->precision_unit,
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(metric, "unit")),
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(metric, "event")), canon, len,
		err, errlen);
	cJSON_Delete(metric);
	return ret;
}

void manifest_precision(cJSON *man, const struct run_settings *s)
{
	char canon[PRECISION_UNIT_LEN], err[256];
	cJSON *p;

	if (!(s->precision > 0) && !(s->budget_min > 0))
		return;
	p = cJSON_AddObjectToObject(man, "precision");
	if (s->precision > 0) {
		/* Checked before the run starts; the typed unit if it somehow is not. */
		if (precision_setting_unit(s, canon, sizeof(canon), err, sizeof(err)))
			snprintf(canon, sizeof(canon), "%s", s->precision_unit ?: "%");
		cJSON_AddNumberToObject(p, "target", s->precision);
		cJSON_AddStringToObject(p, "unit", canon);
	}
	cJSON_AddNumberToObject(p, "budget_min", s->budget_min);
	cJSON_AddNumberToObject(p, "min_n", s->n);
	cJSON_AddNumberToObject(p, "max_n", s->precision > 0 ? s->max_n : s->n);
}

/* The target as recorded: "target" with "unit", or the old "target_pct". */
static int target_read(const cJSON *prec, struct run_settings *s, char *err, size_t errlen)
{
	const cJSON *unit = cJSON_GetObjectItemCaseSensitive(prec, "unit");
	bool has_new = cJSON_GetObjectItemCaseSensitive(prec, "target");
	bool has_old = cJSON_GetObjectItemCaseSensitive(prec, "target_pct");

	if (has_new && has_old) {
		snprintf(err, errlen, "precision: both target and target_pct; one of them");
		return -1;
	}
	if (has_old) {
		s->precision_unit = "%";
		return json_finite(prec, "target_pct", &s->precision, err, errlen);
	}
	if (!has_new && unit) {
		snprintf(err, errlen, "precision: a unit without a target");
		return -1;
	}
	if (!has_new)
		return 0;
	if (!cJSON_IsString(unit) || strlen(unit->valuestring) >= PRECISION_UNIT_LEN) {
		snprintf(err, errlen, "precision.unit: missing, not a string or too long");
		return -1;
	}
	s->precision_unit = unit->valuestring;
	return json_finite(prec, "target", &s->precision, err, errlen);
}

/* A recorded target is one: 0 or below is not "off" (that is no target at all). */
static int target_back(const cJSON *prec, struct run_settings *s, char *err, size_t errlen)
{
	if (target_read(prec, s, err, errlen))
		return -1;
	if (s->precision_unit && !(s->precision > 0)) {
		snprintf(err, errlen, "precision %g: a target above 0", s->precision);
		return -1;
	}
	return 0;
}

int manifest_precision_back(const cJSON *man, struct run_settings *s, char *err, size_t errlen)
{
	const cJSON *prec = cJSON_GetObjectItemCaseSensitive(man, "precision");
	long long v;

	s->precision = 0;
	s->precision_unit = NULL;
	s->budget_min = 0;
	s->max_n = s->n;
	if (!prec)
		return 0;
	if (!cJSON_IsObject(prec)) {
		snprintf(err, errlen, "precision: not an object");
		return -1;
	}
	if (target_back(prec, s, err, errlen) ||
	    json_finite(prec, "budget_min", &s->budget_min, err, errlen))
		return -1;
	/* Bounds and the unit against the metric: run_settings_check, as the command line's. */
	if (s->precision > 0) {
		if (json_exact_int(prec, "max_n", RS_MAX_N_MIN, RS_N_MAX, &v, err, errlen))
			return -1;
		s->max_n = (int)v;
	}
	return 0;
}
