/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one set of typed getters for a member of a JSON object. Each says
 * whether @key is there with that type: true and *@out set, or false with
 * *@out untouched, so "absent" never reads as 0 or -1 by accident. A NULL
 * object is an object without members. Header-only: every library uses it,
 * whatever the order it is linked in.
 */
#ifndef BPFCOST_JSON_GET_H
#define BPFCOST_JSON_GET_H

#include <math.h>
#include <stdbool.h>

#include <cjson/cJSON.h>

/* A number; cJSON reads 1e999 as an infinity: the caller judges finiteness. */
static inline bool json_num(const cJSON *o, const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		return false;
	*out = v->valuedouble;
	return true;
}

/* An integer within [@min, @max], exactly: 1.5 and 1e300 are not. */
static inline bool json_int(const cJSON *o, const char *key, long long min, long long max,
			    long long *out)
{
	double d;

	/* Compared as doubles first: converting 1e300 to an integer is undefined. */
	if (!json_num(o, key, &d) || !(d >= (double)min && d <= (double)max) || d != floor(d))
		return false;
	if ((long long)d < min || (long long)d > max)
		return false;
	*out = (long long)d;
	return true;
}

static inline bool json_bool(const cJSON *o, const char *key, bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsBool(v))
		return false;
	*out = cJSON_IsTrue(v);
	return true;
}

/* The string, or NULL when absent or not a string. */
static inline const char *json_str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The same with a value for "absent": json_num_or(o, "x", NAN). */
static inline double json_num_or(const cJSON *o, const char *key, double dflt)
{
	double v;

	return json_num(o, key, &v) ? v : dflt;
}

static inline bool json_bool_or(const cJSON *o, const char *key, bool dflt)
{
	bool v;

	return json_bool(o, key, &v) ? v : dflt;
}

#endif /* BPFCOST_JSON_GET_H */
