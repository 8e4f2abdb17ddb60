// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "loader/bpfcost.h"
#include "loader/known_cost.h"
#include "loader/settings.h"
#include "loader/clock.h"
#include "loader/json_get.h"
#include "record_check.h"
#include "sample.h"

static cJSON *call(const struct sample_setup *s, cJSON *req, char *err, size_t errlen)
{
	cJSON *reply = target_call(s->target, req, s->call_timeout_s, err, errlen);

	cJSON_Delete(req);
	return reply;
}

static cJSON *simple(const struct sample_setup *s, const char *cmd, char *err, size_t errlen)
{
	cJSON *req = cJSON_CreateObject();

	cJSON_AddStringToObject(req, "cmd", cmd);
	return call(s, req, err, errlen);
}

static bool ok(const cJSON *reply)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "ok"));
}

/* A count from a "read" reply; an absent one (no reply) counts as 0. */
static double count(const cJSON *reply, const char *key)
{
	return json_num_or(reply, key, 0);
}

/*
 * The known cost a control probe (one that declares BPFCOST_KNOWN_COST_NS)
 * adds in this row: the row's setting of its variable, else --spin-ns.
 * false for any other probe.
 */
static bool known_cost(const struct config *c, const struct sample_setup *s, struct known_cost *kc,
		       double *ns)
{
	char err[BPFCOST_ERRLEN];

	if (c->baseline || known_cost_of(NULL, c->probe, kc, err, sizeof(err)) != 1)
		return false;
	*ns = config_setting(c, kc->setting) >= 0 ? (double)config_setting(c, kc->setting)
						  : (double)s->spin_ns;
	return true;
}

/* The row's settings, exactly (past 10^15 as decimal strings), and a control's known cost. */
static void add_settings(cJSON *obj, const struct config *c, const struct sample_setup *s)
{
	struct known_cost kc;
	double ns;
	int i;

	for (i = 0; i < c->n_settings; i++)
		settings_value_json(obj, c->settings[i].name, c->settings[i].value);
	if (known_cost(c, s, &kc, &ns) && config_setting(c, kc.setting) < 0)
		cJSON_AddNumberToObject(obj, kc.setting, ns);
}

static cJSON *attach(const struct config *c, const struct sample_setup *s, bool stats, char *err,
		     size_t errlen)
{
	cJSON *req = cJSON_CreateObject();

	cJSON_AddStringToObject(req, "cmd", "attach");
	cJSON_AddStringToObject(req, "probe", c->probe);
	cJSON_AddStringToObject(req, "attach", c->attach);
	cJSON_AddBoolToObject(req, "stats", stats);
	if (s->func)
		cJSON_AddStringToObject(req, "func", s->func);
	add_settings(cJSON_AddObjectToObject(req, "set"), c, s);
	return call(s, req, err, errlen);
}

/* The workload and the program's counters around it. */
struct window {
	enum workload_result result;
	double events; /* packets, calls: what one run per event is counted against */
	double run_cnt, run_time_ns;
	double idle_runs; /* runs in the idle window, already taken off run_cnt */
	char err[BPFCOST_ERRLEN];
};

int sample_calibrate(const struct sample_setup *s, char **replaced, cJSON *out,
		     volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct traffic_endpoint ep = { .netns_fd = -1 }; /* a target's endpoint() fills it */
	struct workload_ctx ctx = {
		.target = s->target,
		.ep = &ep,
		.duration = s->duration,
		.values = s->values,
		.call_timeout_s = s->call_timeout_s,
		.clock = s->clock,
		.stop = stop,
	};

	s->target->ops->endpoint(s->target, &ep);
	return s->workload->calibrate(&ctx, replaced, out, err, errlen);
}

static void measure(const struct sample_setup *s, double duration, bool counting, cJSON *rec,
		    struct window *w, volatile sig_atomic_t *stop)
{
	struct traffic_endpoint ep = { .netns_fd = -1 }; /* a target's endpoint() fills it */
	struct workload_ctx ctx = {
		.target = s->target,
		.ep = &ep,
		.duration = duration,
		.values = s->values,
		.call_timeout_s = s->call_timeout_s,
		.clock = s->clock,
		.stop = stop,
	};
	cJSON *read0 = NULL, *read1 = NULL, *read2 = NULL;
	double t0 = bpfcost_now();

	memset(w, 0, sizeof(*w));
	s->target->ops->endpoint(s->target, &ep);
	if (counting && !(read0 = simple(s, "read", w->err, sizeof(w->err)))) {
		w->result = WORKLOAD_TARGET_LOST;
		return;
	}
	w->result = s->workload->measure(&ctx, rec, &w->events, w->err, sizeof(w->err));
	if (w->result == WORKLOAD_OK && counting &&
	    !(read1 = simple(s, "read", w->err, sizeof(w->err))))
		w->result = WORKLOAD_TARGET_LOST;
	w->run_cnt = count(read1, "run_cnt") - count(read0, "run_cnt");
	w->run_time_ns = count(read1, "run_time_ns") - count(read0, "run_time_ns");
	/*
	 * The idle window is a measurement, not a wait: as long as the sample
	 * took (10 s at most), counting what fires without the workload.
	 */
	if (read1 && s->workload->idle_window) {
		double idle_s = bpfcost_now() - t0;

		usleep((useconds_t)((idle_s < 10 ? idle_s : 10) * 1e6));
		read2 = simple(s, "read", w->err, sizeof(w->err));
		if (!read2) {
			w->result = WORKLOAD_TARGET_LOST;
		} else {
			w->idle_runs = count(read2, "run_cnt") - count(read1, "run_cnt");
			w->run_cnt -= w->idle_runs;
		}
	}
	cJSON_Delete(read0);
	cJSON_Delete(read1);
	cJSON_Delete(read2);
}

/* Detach; the kprobe mechanism as the kernel reports it now, if it changed since attach. */
static void detach(const struct sample_setup *s, char *changed, size_t len)
{
	char err[BPFCOST_ERRLEN];
	cJSON *reply = simple(s, "detach", err, sizeof(err));
	const char *now = json_str(reply, "mechanism_now");

	snprintf(changed, len, "%s", now ? now : "");
	cJSON_Delete(reply);
}

static void add_config(cJSON *rec, const struct config *c, const struct sample_setup *s)
{
	cJSON_AddStringToObject(rec, "config", c->name);
	if (c->baseline) {
		cJSON_AddNullToObject(rec, "probe");
		cJSON_AddNullToObject(rec, "attach");
	} else {
		cJSON_AddStringToObject(rec, "probe", c->probe);
		cJSON_AddStringToObject(rec, "attach", c->attach);
	}
	cJSON_AddBoolToObject(rec, "stats", c->stats);
	cJSON_AddStringToObject(rec, "target", s->target->ops->name);
	cJSON_AddStringToObject(rec, "workload", s->workload->name);
	cJSON_AddStringToObject(rec, "clock", s->clock);
	cJSON_AddItemToObject(rec, "metric", workload_metric_json(s->workload, s->clock));
}

static void add_hits(cJSON *rec, double hits, const char *source)
{
	cJSON_AddNumberToObject(rec, "hits_per_event", hits);
	cJSON_AddStringToObject(rec, "hits_source", source);
	cJSON_AddBoolToObject(rec, "hits_ok", hits_in_range(hits));
}

static void add_error(cJSON *rec, const cJSON *reply, const char *msg)
{
	cJSON_AddStringToObject(rec, "error", msg);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "unsupported")))
		cJSON_AddBoolToObject(rec, "unsupported", true);
}

enum sample_outcome sample_run(const struct config *c, const struct sample_setup *s,
			       const cJSON *hit_check, cJSON *rec, volatile sig_atomic_t *stop)
{
	enum sample_outcome outcome = SAMPLE_OK;
	char err[BPFCOST_ERRLEN], changed[32] = "";
	struct known_cost kc;
	double known_ns;
	cJSON *reply = NULL;
	struct window w;

	add_config(rec, c, s);
	if (!c->baseline)
		add_settings(cJSON_AddObjectToObject(rec, "settings"), c, s);
	/*
	 * The known cost, where the analysis checks it was seen: "spin_ns" is
	 * the record's field for any control (the name older records use).
	 */
	if (known_cost(c, s, &kc, &known_ns)) {
		cJSON_AddNumberToObject(rec, "spin_ns", known_ns);
		cJSON_AddStringToObject(rec, "known_cost_setting", kc.setting);
	}
	if (!c->baseline) {
		reply = attach(c, s, c->stats, err, sizeof(err));
		if (!reply || !ok(reply)) {
			add_error(rec, reply, reply ? json_str(reply, "error") : err);
			outcome = reply ? SAMPLE_ERROR : SAMPLE_TARGET_LOST;
			goto out;
		}
		cJSON_AddStringToObject(rec, "mechanism", json_str(reply, "mechanism"));
	} else {
		cJSON_AddNullToObject(rec, "mechanism");
	}
	measure(s, s->duration, c->stats, rec, &w, stop);
	if (!c->baseline)
		detach(s, changed, sizeof(changed));
	if (*stop) {
		outcome = SAMPLE_INTERRUPTED;
		goto out;
	}
	if (w.result != WORKLOAD_OK) {
		add_error(rec, NULL, w.err);
		outcome = w.result == WORKLOAD_TARGET_LOST ? SAMPLE_TARGET_LOST : SAMPLE_ERROR;
		goto out;
	}
	/* A sample measured half as int3, half as a jump measures neither. */
	if (changed[0]) {
		snprintf(err, sizeof(err),
			 "the kprobe mechanism changed during the sample: %s, then %s",
			 json_str(reply, "mechanism"), changed);
		add_error(rec, NULL, err);
		cJSON_AddStringToObject(rec, "mechanism_at_detach", changed);
		outcome = SAMPLE_ERROR;
		goto out;
	}
	cJSON_AddNumberToObject(rec, "events", w.events);
	if (c->baseline) {
		cJSON_AddNullToObject(rec, "run_cnt");
		cJSON_AddNullToObject(rec, "run_time_ns");
		cJSON_AddNullToObject(rec, "hits_per_event");
	} else if (c->stats) {
		cJSON_AddNumberToObject(rec, "run_cnt", w.run_cnt);
		cJSON_AddNumberToObject(rec, "run_time_ns", w.run_time_ns);
		if (s->workload->idle_window)
			cJSON_AddNumberToObject(rec, "idle_runs", w.idle_runs);
		add_hits(rec, w.events > 0 ? w.run_cnt / w.events : 0, "stats");
	} else {
		cJSON_AddNullToObject(rec, "run_cnt");
		cJSON_AddNullToObject(rec, "run_time_ns");
		if (hit_check && cJSON_GetObjectItem(hit_check, "hits_per_event"))
			/* Not a number: 0, outside the range, so flagged. */
			add_hits(rec, json_num_or(hit_check, "hits_per_event", 0), "check");
		else
			cJSON_AddNullToObject(rec, "hits_per_event");
	}
out:
	/* The last gate before the record is written: no impossible number gets through. */
	if (outcome == SAMPLE_OK && record_check_values(rec, err, sizeof(err))) {
		add_error(rec, NULL, err);
		outcome = SAMPLE_ERROR;
	}
	cJSON_Delete(reply);
	return outcome;
}

cJSON *sample_hit_check(const struct config *c, const struct sample_setup *s, double seconds,
			volatile sig_atomic_t *stop)
{
	cJSON *check = cJSON_CreateObject(), *reply, *scratch;
	char err[BPFCOST_ERRLEN], changed[32];
	struct window w;

	reply = attach(c, s, true, err, sizeof(err));
	if (!reply || !ok(reply)) {
		add_error(check, reply, reply ? json_str(reply, "error") : err);
		cJSON_Delete(reply);
		return check;
	}
	cJSON_AddStringToObject(check, "mechanism", json_str(reply, "mechanism"));
	if (json_str(reply, "kprobes_list"))
		cJSON_AddStringToObject(check, "kprobes_list", json_str(reply, "kprobes_list"));
	cJSON_Delete(reply);
	scratch = cJSON_CreateObject(); /* the workload's own fields: not kept for a check */
	measure(s, seconds, true, scratch, &w, stop);
	cJSON_Delete(scratch);
	if (w.result != WORKLOAD_OK) {
		cJSON_AddStringToObject(check, "error", w.err);
	} else {
		cJSON_AddNumberToObject(check, "run_cnt", w.run_cnt);
		cJSON_AddNumberToObject(check, "events", w.events);
		if (s->workload->idle_window)
			cJSON_AddNumberToObject(check, "idle_runs", w.idle_runs);
		add_hits(check, w.events > 0 ? w.run_cnt / w.events : 0, "check");
	}
	detach(s, changed, sizeof(changed));
	if (changed[0])
		cJSON_AddStringToObject(check, "mechanism_at_detach", changed);
	return check;
}
