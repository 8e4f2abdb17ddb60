// SPDX-License-Identifier: GPL-2.0
/*
 * The per-call workload: bpfcost-trigger calls recvmsg(MSG_DONTWAIT) on an
 * empty IPv4 UDP socket in a pinned loop on the target, so every attach type
 * runs once per call with no network. The metric is the time per call (under
 * CLOCK=instructions, guest instructions per call); an event is a call.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "loader/json_get.h"
#include "workload.h"

extern const struct workload_ops trigger_workload;

enum { ARG_CALLS, ARG_CPU, ARG_REF, ARG_STAT };

/* Under CLOCK=instructions a sample is this many calls: the exact count must reproduce. */
#define TRIGGER_CALLS_INSTRUCTIONS "200000"

/* Guest time under -icount runs far behind host time: allow for it. */
#define TRIGGER_TIMEOUT_S 900
/* A timed loop's start, warm-up and report, inside the agent's exec timeout. */
#define TRIGGER_SLACK_S 60
/*
 * Seconds and samples per configuration by default under CLOCK=real: baseline,
 * tp-null and raw_tp-null then fit in two minutes with the attach, detach and
 * hit checks, and tp-null - raw_tp-null comes within +-2 ns on this 2-CPU
 * shared host (make bench BENCH_ARGS="--only host"); more samples do more
 * against what the normalisation leaves than longer ones.
 */
#define TRIGGER_DEFAULT_DURATION 1
#define TRIGGER_DEFAULT_N	 20
/*
 * Calls per round for the median: 15 us here (100 us with an 800 ns probe),
 * well between the scheduler's switches; the same for every row, so the
 * clock read a round adds (0.3 ns per call) is the same in every row.
 */
#define TRIGGER_ROUND_CALLS "100"

/*
 * ref=auto times getppid() in alternating rounds under CLOCK=real, where the
 * CPU's own speed drifts between samples on a shared machine and the
 * reference drifts with it. Under CLOCK=instructions a call is an exact
 * instruction count: nothing drifts, and the reference would only double
 * the guest's (slow, emulated) time per sample.
 */
static bool with_ref(const char *const *values, const char *clock)
{
	if (!strcmp(values[ARG_REF], "auto"))
		return !clock || strcmp(clock, "instructions");
	return !strcmp(values[ARG_REF], "1");
}

/*
 * calls=auto: samples sized by time (DURATION) under CLOCK=real, where a
 * fixed count lasts as long as the host's speed lets it, and by a fixed
 * count under CLOCK=instructions, where the count is what reproduces.
 */
static bool timed(const char *const *values, const char *clock)
{
	if (!strcmp(values[ARG_CALLS], "auto"))
		return !clock || strcmp(clock, "instructions");
	return !strcmp(values[ARG_CALLS], "0");
}

/*
 * stat=auto: under CLOCK=real the time per call is the median over rounds of
 * TRIGGER_ROUND_CALLS calls, which a round lost to another task does not
 * move (the mean is kept beside it); under CLOCK=instructions the mean over
 * every call, exact and the same run after run.
 */
static bool by_median(const char *const *values, const char *clock)
{
	if (!strcmp(values[ARG_STAT], "auto"))
		return !clock || strcmp(clock, "instructions");
	return !strcmp(values[ARG_STAT], "median");
}

static const char *calls_of(const char *const *values)
{
	return strcmp(values[ARG_CALLS], "auto") ? values[ARG_CALLS] : TRIGGER_CALLS_INSTRUCTIONS;
}

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
	bool median = by_median(ctx->values, ctx->clock);
	const char *out, *line;
	double calls, elapsed, per_call;
	const cJSON *v;

	cJSON_AddStringToObject(req, "cmd", "exec");
	argv = cJSON_AddArrayToObject(req, "argv");
	cJSON_AddItemToArray(argv, cJSON_CreateString("bpfcost-trigger"));
	if (!timed(ctx->values, ctx->clock)) {
		cJSON_AddItemToArray(argv, cJSON_CreateString("--calls"));
		cJSON_AddItemToArray(argv, cJSON_CreateString(calls_of(ctx->values)));
	} else {
		char secs[32];

		snprintf(secs, sizeof(secs), "%g", ctx->duration);
		cJSON_AddItemToArray(argv, cJSON_CreateString("--seconds"));
		cJSON_AddItemToArray(argv, cJSON_CreateString(secs));
	}
	cJSON_AddItemToArray(argv, cJSON_CreateString("--cpu"));
	cJSON_AddItemToArray(argv, cJSON_CreateString(ctx->values[ARG_CPU]));
	if (with_ref(ctx->values, ctx->clock))
		cJSON_AddItemToArray(argv, cJSON_CreateString("--ref"));
	if (median) {
		cJSON_AddItemToArray(argv, cJSON_CreateString("--round-calls"));
		cJSON_AddItemToArray(argv, cJSON_CreateString(TRIGGER_ROUND_CALLS));
	}
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
	per_call = median ? json_num_or(res, "ns_per_call_median", NAN) : elapsed / calls;
	if (!(per_call > 0)) {
		snprintf(err, errlen, "bpfcost-trigger: no whole round of %s calls measured",
			 TRIGGER_ROUND_CALLS);
		goto out;
	}
	cJSON_AddNumberToObject(rec, "ns_per_call", per_call);
	cJSON_AddStringToObject(rec, "per_call_stat", median ? "median of rounds" : "mean");
	if (median)
		cJSON_AddNumberToObject(rec, "ns_per_call_mean", elapsed / calls);
	/*
	 * The raw time and the reference's, by the same statistic: the report
	 * normalises each sample by the run's median reference, which no single
	 * sample can know.
	 */
	v = cJSON_GetObjectItemCaseSensitive(res,
					     median ? "ref_ns_per_call_median" : "ref_ns_per_call");
	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(rec, "ref_ns_per_call", v->valuedouble);
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

static int validate(const char *const *values, double duration, const char *clock, char *err,
		    size_t errlen)
{
	if (strcmp(values[ARG_CALLS], "auto") && !whole(values[ARG_CALLS], 0, 1000000000)) {
		snprintf(err, errlen, "trigger: calls '%s': auto, 0 (DURATION) to 1000000000",
			 values[ARG_CALLS]);
		return -1;
	}
	/* A timed loop must end before the agent's exec timeout kills it: refused now. */
	if (timed(values, clock) &&
	    !(duration > 0 && duration <= TRIGGER_TIMEOUT_S - TRIGGER_SLACK_S)) {
		snprintf(err, errlen,
			 "trigger: DURATION %g for a timed sample: at most %d s (the agent stops "
			 "a command after %d s)",
			 duration, TRIGGER_TIMEOUT_S - TRIGGER_SLACK_S, TRIGGER_TIMEOUT_S);
		return -1;
	}
	if (!whole(values[ARG_CPU], 0, 4095)) {
		snprintf(err, errlen, "trigger: cpu '%s': a CPU number", values[ARG_CPU]);
		return -1;
	}
	if (strcmp(values[ARG_REF], "auto") && strcmp(values[ARG_REF], "0") &&
	    strcmp(values[ARG_REF], "1")) {
		snprintf(err, errlen, "trigger: ref '%s': auto, 0 or 1", values[ARG_REF]);
		return -1;
	}
	if (strcmp(values[ARG_STAT], "auto") && strcmp(values[ARG_STAT], "median") &&
	    strcmp(values[ARG_STAT], "mean")) {
		snprintf(err, errlen, "trigger: stat '%s': auto, median or mean", values[ARG_STAT]);
		return -1;
	}
	/* The median is over whole rounds: a sample needs one at least. */
	if (by_median(values, clock) && !timed(values, clock) &&
	    atol(calls_of(values)) < atol(TRIGGER_ROUND_CALLS)) {
		snprintf(err, errlen,
			 "trigger: calls %s with the median of rounds: at least %s (one round), "
			 "or stat=mean",
			 values[ARG_CALLS], TRIGGER_ROUND_CALLS);
		return -1;
	}
	return 0;
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
		[ARG_CALLS] = { "calls", "auto",
				"recvmsg calls per sample; 0: DURATION seconds; auto: DURATION "
				"seconds under CLOCK=real, " TRIGGER_CALLS_INSTRUCTIONS
				" calls under CLOCK=instructions" },
		[ARG_CPU] = { "cpu", "0", "CPU the loop is pinned to" },
		[ARG_REF] = { "ref", "auto",
			      "time getppid() in alternating rounds, and the report normalises "
			      "each sample by it: 1, 0 (raw times only), auto (1 under "
			      "CLOCK=real, 0 under CLOCK=instructions)" },
		[ARG_STAT] = { "stat", "auto",
			       "time per call: median (over rounds of " TRIGGER_ROUND_CALLS
			       " calls: a round lost to another task does not move it), mean (over "
			       "every call), auto (median under CLOCK=real, mean under "
			       "CLOCK=instructions)" },
	},
	.default_duration = TRIGGER_DEFAULT_DURATION,
	.default_n = TRIGGER_DEFAULT_N,
	/* Every sample counts the same instructions: more samples add nothing. */
	.default_n_instructions = 10,
	.validate = validate,
	.measure = measure,
};
BPFCOST_WORKLOAD(trigger_workload);
