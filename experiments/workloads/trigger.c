// SPDX-License-Identifier: GPL-2.0
/*
 * The per-call workload: bpfcost-trigger calls recvmsg(MSG_DONTWAIT) on an
 * empty IPv4 UDP socket in a pinned loop on the target, so every attach type
 * runs once per call with no network. The metric is the time per call (under
 * CLOCK=instructions, guest instructions per call); an event is a call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "workload.h"

extern const struct workload_ops trigger_workload;

enum { ARG_CALLS, ARG_CPU, ARG_REF, ARG_REF_NS };

/* Guest time under -icount runs far behind host time: allow for it. */
#define TRIGGER_TIMEOUT_S 900
/* A timed loop's start, warm-up and report, inside the agent's exec timeout. */
#define TRIGGER_SLACK_S 60

static const char *last_json_line(const char *out)
{
	const char *line = NULL, *p;

	for (p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (*p == '{')
			line = p;
	return line;
}

static enum workload_result measure(const struct workload_ctx *ctx, cJSON *rec, double *events,
				    char *err, size_t errlen)
{
	cJSON *req = cJSON_CreateObject(), *argv, *reply, *res = NULL;
	enum workload_result ret = WORKLOAD_ERROR;
	const char *out, *line;
	double calls, elapsed;
	const cJSON *v;

	cJSON_AddStringToObject(req, "cmd", "exec");
	argv = cJSON_AddArrayToObject(req, "argv");
	cJSON_AddItemToArray(argv, cJSON_CreateString("bpfcost-trigger"));
	if (strcmp(ctx->values[ARG_CALLS], "0")) {
		cJSON_AddItemToArray(argv, cJSON_CreateString("--calls"));
		cJSON_AddItemToArray(argv, cJSON_CreateString(ctx->values[ARG_CALLS]));
	} else {
		char secs[32];

		snprintf(secs, sizeof(secs), "%g", ctx->duration);
		cJSON_AddItemToArray(argv, cJSON_CreateString("--seconds"));
		cJSON_AddItemToArray(argv, cJSON_CreateString(secs));
	}
	cJSON_AddItemToArray(argv, cJSON_CreateString("--cpu"));
	cJSON_AddItemToArray(argv, cJSON_CreateString(ctx->values[ARG_CPU]));
	if (!strcmp(ctx->values[ARG_REF], "1"))
		cJSON_AddItemToArray(argv, cJSON_CreateString("--ref"));
	cJSON_AddNumberToObject(req, "timeout_s", TRIGGER_TIMEOUT_S);
	reply = target_call(ctx->target, req, TRIGGER_TIMEOUT_S + 30, err, errlen);
	cJSON_Delete(req);
	if (!reply)
		return WORKLOAD_TARGET_LOST;
	out = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(reply, "output"));
	line = out ? last_json_line(out) : NULL;
	res = line ? cJSON_Parse(line) : NULL;
	calls = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(res, "calls"));
	elapsed = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(res, "elapsed_ns"));
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "ok")) || !(calls > 0) ||
	    !(elapsed > 0)) {
		const char *e =
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(reply, "error"));

		snprintf(err, errlen, "bpfcost-trigger: %.300s",
			 e	       ? e
			 : out && *out ? out
				       : "no output");
		err[strcspn(err, "\n")] = '\0';
		goto out;
	}
	/* Every recvmsg the loop made, its warm-up included, passed the probe once. */
	*events =
		calls + cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(res, "warmup_calls"));
	cJSON_AddNumberToObject(rec, "calls", calls);
	cJSON_AddNumberToObject(rec, "elapsed_ns", elapsed);
	cJSON_AddNumberToObject(rec, "ns_per_call", elapsed / calls);
	v = cJSON_GetObjectItemCaseSensitive(res, "ref_ns_per_call");
	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(rec, "ref_ns_per_call", v->valuedouble);
	/*
	 * The CPU's own speed drifts between samples on a shared machine; getppid()
	 * timed in alternating rounds drifts with it. Scaled to a fixed getppid
	 * time, the recv time per call keeps its unit and loses most of the drift.
	 */
	if (cJSON_IsNumber(v) && v->valuedouble > 0 && atof(ctx->values[ARG_REF_NS]) > 0)
		cJSON_AddNumberToObject(rec, "ns_per_call_norm",
					elapsed / calls * atof(ctx->values[ARG_REF_NS]) /
						v->valuedouble);
	cJSON_AddNumberToObject(rec, "trigger_cpu", atoi(ctx->values[ARG_CPU]));
	ret = WORKLOAD_OK;
out:
	cJSON_Delete(res);
	cJSON_Delete(reply);
	return ret;
}

static bool whole(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	return end != s && !*end && v >= min && v <= max;
}

static int validate(const char *const *values, double duration, char *err, size_t errlen)
{
	char *end;
	double ref_ns;

	if (!whole(values[ARG_CALLS], 0, 1000000000)) {
		snprintf(err, errlen, "trigger: calls '%s': 0 (DURATION) to 1000000000",
			 values[ARG_CALLS]);
		return -1;
	}
	/* A timed loop must end before the agent's exec timeout kills it: refused now. */
	if (!strcmp(values[ARG_CALLS], "0") &&
	    !(duration > 0 && duration <= TRIGGER_TIMEOUT_S - TRIGGER_SLACK_S)) {
		snprintf(err, errlen,
			 "trigger: DURATION %g with calls=0: at most %d s (the agent stops a "
			 "command after %d s)",
			 duration, TRIGGER_TIMEOUT_S - TRIGGER_SLACK_S, TRIGGER_TIMEOUT_S);
		return -1;
	}
	if (!whole(values[ARG_CPU], 0, 4095)) {
		snprintf(err, errlen, "trigger: cpu '%s': a CPU number", values[ARG_CPU]);
		return -1;
	}
	if (strcmp(values[ARG_REF], "0") && strcmp(values[ARG_REF], "1")) {
		snprintf(err, errlen, "trigger: ref '%s': 0 or 1", values[ARG_REF]);
		return -1;
	}
	ref_ns = strtod(values[ARG_REF_NS], &end);
	if (end == values[ARG_REF_NS] || *end || !(ref_ns >= 0 && ref_ns <= 1e9) ||
	    (ref_ns > 0 && strcmp(values[ARG_REF], "1"))) {
		snprintf(err, errlen, "trigger: ref_ns '%s': a getppid() time in ns, with ref=1",
			 values[ARG_REF_NS]);
		return -1;
	}
	return 0;
}

static const struct metric normalised = {
	.name = "normalised time per call",
	.field = "ns_per_call_norm",
	.unit = "ns/call",
	.unit_instructions = "instructions/call",
	.scale = 1,
	.higher_is_better = false,
};

static const struct metric *metric_of(const char *const *values)
{
	return atof(values[ARG_REF_NS]) > 0 ? &normalised : &trigger_workload.metric;
}

const struct workload_ops trigger_workload = {
	.name = "trigger",
	.summary = "recvmsg() on an empty UDP socket in a pinned loop: the cost per call",
	.metric = { .name = "time per call", .field = "ns_per_call", .unit = "ns/call",
		    .unit_instructions = "instructions/call", .scale = 1,
		    .higher_is_better = false },
	.event = "call",
	.idle_window = true,
	.args = {
		[ARG_CALLS] = { "calls", "200000", "recvmsg calls per sample (0: DURATION seconds)" },
		[ARG_CPU] = { "cpu", "0", "CPU the loop is pinned to" },
		[ARG_REF] = { "ref", "0", "1: also time getppid() in alternating rounds" },
		[ARG_REF_NS] = { "ref_ns", "0",
				 "with ref=1: report time per call scaled to this getppid() time" },
	},
	.validate = validate,
	.metric_of = metric_of,
	.measure = measure,
};
BPFCOST_WORKLOAD(trigger_workload);
