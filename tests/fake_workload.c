// SPDX-License-Identifier: GPL-2.0
/*
 * A workload that measures nothing: its metric is drawn from a seeded normal
 * distribution, it fires its events at the fake target (so hits are counted
 * as a probe's would be), and the script makes it fail, show its symptom or
 * raise the stop flag at a given measure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "fake.h"

#define FAKE_EVENTS 1000

struct fake_workload_script fake_workload;
static double fake_clock;
static unsigned long long rng;

double fake_now(void)
{
	return fake_clock;
}

void fake_advance(double seconds)
{
	fake_clock += seconds;
}

void fake_reset(void)
{
	memset(&fake_target, 0, sizeof(fake_target));
	memset(&fake_workload, 0, sizeof(fake_workload));
	fake_workload.seed = 1;
	fake_workload.mean = 1000;
	fake_workload.sd = 10;
	fake_clock = 0;
	rng = 0;
}

/* xorshift64*: the same seed, the same metrics. */
static double uniform(void)
{
	if (!rng)
		rng = fake_workload.seed ? fake_workload.seed : 1;
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return ((rng * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0) + 1e-12;
}

static double normal(double mean, double sd)
{
	return mean + sd * sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

static enum workload_result measure(const struct workload_ctx *ctx, cJSON *rec, double *events,
				    char *err, size_t errlen)
{
	int n = ++fake_workload.measures;
	cJSON *req = cJSON_CreateObject(), *reply;

	fake_clock += fake_workload.took > 0 ? fake_workload.took : ctx->duration;
	cJSON_AddStringToObject(req, "cmd", "fire");
	cJSON_AddNumberToObject(req, "events", FAKE_EVENTS);
	reply = target_call(ctx->target, req, ctx->call_timeout_s, err, errlen);
	cJSON_Delete(req);
	if (!reply)
		return WORKLOAD_TARGET_LOST;
	cJSON_Delete(reply);
	if (n == fake_workload.stop_after)
		*ctx->stop = 1;
	if (n == fake_workload.fail_at) {
		snprintf(err, errlen, "the fake workload failed (measure %d)", n);
		return WORKLOAD_ERROR;
	}
	*events = FAKE_EVENTS;
	cJSON_AddNumberToObject(rec, "ns_per_call", normal(fake_workload.mean, fake_workload.sd));
	cJSON_AddNumberToObject(rec, "fake_symptom", n == fake_workload.symptom_at ? 100 : 0);
	cJSON_AddNumberToObject(rec, "fake_measure", n);
	return WORKLOAD_OK;
}

const struct workload_ops fake_workload_ops = {
	.name = "fake",
	.summary = "a seeded metric (tests)",
	.metric = { "time", "ns_per_call", "ns", NULL, 1, false },
	.event = "call",
	.symptom = { "fake_symptom", 10 },
	.default_duration = 3,
	.default_n = 4,
	.measure = measure,
};

/* Each calibration replaces "rate" by one the manifest can show was the k-th. */
static int calibrate(const struct workload_ctx *ctx, char **replaced, cJSON *out, char *err,
		     size_t errlen)
{
	char rate[32];

	(void)ctx;
	snprintf(rate, sizeof(rate), "cal%d", ++fake_workload.calibrations);
	replaced[0] = strdup(rate);
	if (!replaced[0]) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "args"), "rate", rate);
	return 0;
}

const struct workload_ops fake_calibrated_workload_ops = {
	.name = "fake",
	.summary = "a seeded metric, calibrated first (tests)",
	.metric = { "time", "ns_per_call", "ns", NULL, 1, false },
	.event = "call",
	.args = { { "rate", "auto", "what calibration sets" } },
	.measure = measure,
	.calibrate = calibrate,
};
