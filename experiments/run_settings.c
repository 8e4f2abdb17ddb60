// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "loader/bpfcost.h"
#include "loader/known_cost.h"
#include "experiments/workloads/workload.h"
#include "disturbance.h"
#include "manifest.h"
#include "run_settings.h"

#define REFUSE(...)                                                                                \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return -1;                                                                         \
	} while (0)

static bool is_known_cost(const struct config *c, const char *name)
{
	struct known_cost kc;
	char err[BPFCOST_ERRLEN];

	return known_cost_of(NULL, c->probe, &kc, err, sizeof(err)) == 1 &&
	       !strcmp(kc.setting, name);
}

int row_settings_check(const struct config *c, char *err, size_t errlen)
{
	int k;

	for (k = 0; k < c->n_settings; k++) {
		const struct config_setting *set = &c->settings[k];

		/* A known-cost control's cost has the bound --spin-ns has. */
		if (set->value > (unsigned long long)RS_SPIN_NS_MAX && is_known_cost(c, set->name))
			REFUSE("configuration '%s': spin_ns %llu: 0 to %ld", c->name, set->value,
			       RS_SPIN_NS_MAX);
		if (bpfcost_check_setting(NULL, c->probe, set->name, set->value, err, errlen)) {
			char why[256];

			snprintf(why, sizeof(why), "%s", err);
			REFUSE("configuration '%s': %s", c->name, why);
		}
	}
	return 0;
}

int json_exact_int(const cJSON *obj, const char *key, long long min, long long max, long long *out,
		   char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;

	/* Compared as doubles first: converting 1e300 to an integer is undefined. */
	if (!cJSON_IsNumber(v))
		REFUSE("%s: missing or not a number", key);
	if (!(d >= (double)min && d <= (double)max) || d != floor(d))
		REFUSE("%s: %.17g is not an integer from %lld to %lld", key, d, min, max);
	*out = (long long)d;
	if (*out < min || *out > max)
		REFUSE("%s: %lld is not from %lld to %lld", key, *out, min, max);
	return 0;
}

int json_finite(const cJSON *obj, const char *key, double *out, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		REFUSE("%s: missing or not a finite number", key);
	*out = v->valuedouble;
	return 0;
}
