// SPDX-License-Identifier: GPL-2.0
/* Before the first sample: the resume set, the target, its session, calibration, hit checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "interference.h"
#include "results.h"
#include "runner.h"

/* A ramp under other work finds too little capacity: ramp again once the host is quiet. */
#define CALIBRATION_TRIES 3

static void forget_replaced(struct runner *r)
{
	for (int i = 0; i < WORKLOAD_MAX_ARGS; i++) {
		free(r->replaced[i]);
		r->replaced[i] = NULL;
	}
}

/*
 * One calibration of the workload, with what other processes did meanwhile
 * in @out (foreign_cpu). 1: it was disturbed; 0: clean; -1 with *@s set.
 */
static int calibrate_once(struct runner *r, cJSON *out, enum run_state *s)
{
	char err[BPFCOST_ERRLEN];
	struct interference_snap snap;
	struct interference fig;

	interference_snap(&snap, getpid(), NULL, 0);
	if (sample_calibrate(&r->ss, r->replaced, out, r->stop, err, sizeof(err))) {
		*s = *r->stop ? RUN_INTERRUPTED : RUN_FAILED;
		if (!*r->stop)
			fprintf(stderr, "bpfcost-run: calibration failed: %s\n", err);
		return -1;
	}
	r->window_end(&snap, &fig);
	cJSON_AddNumberToObject(out, "foreign_cpu", fig.foreign_cpu);
	return fig.foreign_cpu > r->rs->disturb_cpu;
}

/*
 * Calibrated until a ramp ran on a quiet host (the disturbed ramps kept in
 * calibration.disturbed_attempts), at most CALIBRATION_TRIES; the last one
 * stands either way, and the report's load check judges what it offered.
 */
static enum run_state calibrate_quietly(struct runner *r)
{
	cJSON *disturbed = cJSON_CreateArray(), *out;
	enum run_state s = RUN_GO;
	int attempt, got;

	for (attempt = 1;; attempt++) {
		out = cJSON_CreateObject();
		got = calibrate_once(r, out, &s);
		if (got < 0 || !got || attempt == CALIBRATION_TRIES)
			break;
		progress_note(
			&r->p,
			"calibration: other processes used %.2f CPU during the ramp (limit "
			"%.2f): calibrating again once the host is quiet (attempt %d of %d)",
			cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(out, "foreign_cpu")),
			r->rs->disturb_cpu, attempt + 1, CALIBRATION_TRIES);
		cJSON_AddItemToArray(disturbed, out);
		forget_replaced(r);
		s = r->before_redo(r, "calibration");
		if (s != RUN_GO) {
			out = NULL;
			break;
		}
	}
	if (got < 0 || s != RUN_GO) {
		cJSON_Delete(out);
		cJSON_Delete(disturbed);
		return s;
	}
	if (got)
		fprintf(stderr,
			"bpfcost-run: every calibration ran while other processes used more than "
			"%.2f CPU: the offered load may be too low (the report's load check "
			"says)\n",
			r->rs->disturb_cpu);
	cJSON_AddNumberToObject(out, "attempts", attempt);
	cJSON_AddBoolToObject(out, "disturbed", got);
	cJSON_AddItemToObject(out, "disturbed_attempts", disturbed);
	manifest_set_calibration(r->man, out);
	return RUN_GO;
}

/*
 * The workload tuned to the target once per results folder (the offered
 * load): a resumed run reuses what the manifest recorded, so every sample of
 * a folder ran with the same arguments.
 */
static enum run_state calibrate(struct runner *r)
{
	const struct workload_ops *w = r->wops;
	char err[BPFCOST_ERRLEN];
	enum run_state s;
	int i, got;

	if (!w->calibrate)
		return RUN_GO;
	got = manifest_calibration_args(r->man, w, r->replaced);
	if (got < 0)
		return RUN_FAILED;
	if (!got && (s = calibrate_quietly(r)) != RUN_GO)
		return s;
	for (i = 0; i < WORKLOAD_MAX_ARGS; i++)
		r->values[i] = r->replaced[i] ?: r->values[i];
	if (w->validate && w->validate(r->values, r->ss.duration, r->ss.clock, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-run: calibrated arguments refused: %s\n", err);
		return RUN_FAILED;
	}
	return manifest_save(r->dir, r->man) ? RUN_FAILED : RUN_GO;
}

static void note_check(struct runner *r, const struct config *c, const cJSON *check)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(check, "hits_per_event");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(check, "error");
	const char *event = r->wops->event;

	if (cJSON_IsString(e))
		progress_note(&r->p, "check %s: %s", c->name, e->valuestring);
	else if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "hits_ok")))
		progress_note(&r->p,
			      "WARNING: %s: %.3f hits per %s in its stats-on check: the probe "
			      "does not run once per %s; its rows are flagged",
			      c->name, h ? h->valuedouble : 0, event, event);
	else
		progress_note(&r->p, "check %s: %.3f hits per %s", c->name, h->valuedouble, event);
}

/* Stats-on hit checks for rows that cannot count runs themselves; kept in the manifest. */
static enum run_state hit_checks(struct runner *r)
{
	int i;

	for (i = 0; i < r->m->n && !*r->stop; i++) {
		const struct config *c = &r->m->configs[i];
		cJSON *check;

		if (c->baseline || c->stats || manifest_check_is_final(r->man, c->name))
			continue;
		/* A check that failed for another reason than the kernel runs again. */
		manifest_drop_hit_check(r->man, c->name);
		check = sample_hit_check(c, &r->ss, r->rs->check_s, r->stop);
		if (*r->stop) {
			cJSON_Delete(check);
			break;
		}
		note_check(r, c, check);
		manifest_set_hit_check(r->man, c->name, check);
		if (manifest_save(r->dir, r->man))
			return RUN_FAILED;
	}
	return *r->stop ? RUN_INTERRUPTED : RUN_GO;
}

/* The target up, answering, the same session as the folder's, in the manifest. */
static enum run_state start_target(struct runner *r)
{
	char err[BPFCOST_ERRLEN];
	cJSON *req;

	if (r->tops->start(&r->ts, &r->t, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-run: %s target: %s\n", r->tops->name, err);
		return *r->stop ? RUN_INTERRUPTED : RUN_FAILED;
	}
	r->ss.target = r->t;
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "cmd", "info");
	r->info = target_call(r->t, req, r->ss.call_timeout_s, err, sizeof(err));
	cJSON_Delete(req);
	if (manifest_same_session(r->man, r->t, r->info))
		return RUN_REFUSED;
	manifest_add_target(r->man, r->t, r->info);
	return manifest_save(r->dir, r->man) ? RUN_FAILED : RUN_GO;
}

enum run_state runner_prepare(struct runner *r)
{
	struct interference_snap snap0;
	struct interference fig;
	char err[BPFCOST_ERRLEN];
	int total = r->m->n * r->rs->n;
	enum run_state s;

	r->active = calloc(r->m->n, sizeof(bool));
	r->order = calloc((size_t)r->m->n * (r->rs->redo_limit + 1), sizeof(int));
	if (!r->active || !r->order ||
	    resume_set_load(&r->done, r->dir, r->m, r->blocks, &r->dist, err, sizeof(err)) ||
	    !(r->samples = results_open_samples(r->dir, err, sizeof(err)))) {
		manifest_set_disturbance(r->man, disturbance_json(&r->dist));
		fprintf(stderr, "bpfcost-run: %s\n", r->active && r->order ? err : "out of memory");
		return RUN_FAILED;
	}
	manifest_set_disturbance(r->man, disturbance_json(&r->dist));

	interference_snap(&snap0, getpid(), NULL, 0);
	s = start_target(r);
	if (s == RUN_GO)
		s = calibrate(r);
	if (s != RUN_GO)
		return s;
	progress_start(&r->p, total, r->done.count);
	if (r->done.count)
		progress_note(&r->p, "resuming: %d of %d samples already recorded", r->done.count,
			      total);
	s = hit_checks(r);
	if (s != RUN_GO)
		return s;
	/* Other processes' CPU while the target started and was checked: the first reference. */
	interference_since(&snap0, getpid(), &fig);
	disturbance_startup(&r->dist, &fig);
	progress_start(&r->p, total, r->done.count); /* the ETA counts samples only */
	return RUN_GO;
}
