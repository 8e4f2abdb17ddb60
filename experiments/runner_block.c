// SPDX-License-Identifier: GPL-2.0
/*
 * The blocks: each runs every active row once in its shuffled order, then the
 * redos of its disturbed samples; PRECISION drops rows that are narrow
 * enough, BUDGET stops what would not end in time.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "analysis/run.h"
#include "loader/bpfcost.h"
#include "interference.h"
#include "record_check.h"
#include "results.h"
#include "runner.h"
#include "schedule.h"
#include "stopping.h"

/* The progress line's detail: the metric in its unit (as the record says), hits, or the error. */
static void describe(const cJSON *rec, const struct workload_ops *w, char *buf, size_t len)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const cJSON *hits = cJSON_GetObjectItemCaseSensitive(rec, "hits_per_event");
	const cJSON *metric = cJSON_GetObjectItemCaseSensitive(rec, "metric");
	const char *unit = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(metric, "unit"));
	const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(metric, "field"));
	const cJSON *scale = cJSON_GetObjectItemCaseSensitive(metric, "scale");
	const cJSON *v = field ? cJSON_GetObjectItemCaseSensitive(rec, field) : NULL;
	size_t used;

	if (cJSON_IsString(e)) {
		snprintf(buf, len, "error: %.120s", e->valuestring);
		return;
	}
	used = snprintf(buf, len, "%.2f %s",
			cJSON_IsNumber(v) && cJSON_IsNumber(scale)
				? v->valuedouble * scale->valuedouble
				: 0,
			unit ? unit : "");
	if (cJSON_IsNumber(hits) && used < len)
		snprintf(buf + used, len - used, ", %.2f hits/%s", hits->valuedouble, w->event);
}

/* BUDGET: whether @need_s more seconds fit; if not, the run stops for it. */
static bool fits(struct runner *r, double need_s)
{
	if (stopping_fits(r->rs->budget_min * 60, r->now() - r->started, need_s))
		return true;
	r->stopped = "budget";
	return false;
}

void runner_window_end(const struct interference_snap *start, struct interference *fig)
{
	interference_since(start, getpid(), fig);
}

/*
 * At most five samples' time, 5 s to a minute: on a host that stays busy, a
 * 1 s trigger sample must not wait a minute per redo (measured: 527 s instead
 * of about 100 for the host's default trigger run).
 */
static int wait_limit_s(const struct runner *r)
{
	double s = 5 * r->sample_s;

	return s < 5 ? 5 : s > 60 ? 60 : (int)s;
}

/*
 * Before a redo: one-second windows of what other processes do until one is
 * quiet, at most wait_limit_s() (then the redo runs and is judged as any sample).
 */
enum run_state runner_wait_quiet(struct runner *r, const char *name)
{
	int waited, limit = wait_limit_s(r);
	struct interference_snap a;
	struct interference f;

	/* Waiting never overruns BUDGET: the wait ends where the redo would no longer fit. */
	for (waited = 0; waited < limit && !*r->stop && fits(r, 1 + r->sample_s); waited++) {
		interference_snap(&a, getpid(), NULL, 0);
		usleep(1000000); /* the window measured, not a wait for an event */
		interference_since(&a, getpid(), &f);
		if (disturbance_quiet(&r->dist, &f))
			break;
		if (!waited)
			progress_note(
				&r->p,
				"%s: waiting up to %d s for the host to quiet down before its "
				"redo (other processes use %.2f CPU)",
				name, limit, f.foreign_cpu);
	}
	return *r->stop ? RUN_INTERRUPTED : RUN_GO;
}

/*
 * One sample of row @row: measured until the target answers (a lost target is
 * restarted and the sample measured again: nothing recorded in between).
 * *@rec is the record, *@fig what else the host did meanwhile.
 */
static enum run_state measure(struct runner *r, int row, cJSON **rec, struct interference *fig,
			      enum sample_outcome *o)
{
	const struct config *c = &r->m->configs[row];
	struct interference_snap snap;

	for (;;) {
		const char *why;
		enum run_state s;

		*rec = cJSON_CreateObject();
		interference_snap(&snap, getpid(), NULL, 0);
		*o = sample_run(c, &r->ss, manifest_hit_check(r->man, c->name), *rec, r->stop);
		r->window_end(&snap, fig);
		if (*o == SAMPLE_INTERRUPTED || *r->stop)
			return RUN_INTERRUPTED;
		if (*o != SAMPLE_TARGET_LOST)
			return RUN_GO;
		why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(*rec, "error"));
		progress_note(&r->p, "%s: the target stopped answering (%s)", c->name,
			      why ? why : "?");
		s = runner_restart(r, why);
		cJSON_Delete(*rec);
		*rec = NULL;
		if (s != RUN_GO)
			return s;
	}
}

/* The record's verdict and where it sits in the schedule, then on disk. */
static int write_record(struct runner *r, cJSON *rec, int row, int block, int pos,
			enum sample_outcome o, const struct interference *fig, bool *disturbed,
			char *why, size_t len)
{
	time_t now = time(NULL);
	char when[32];

	*disturbed = false;
	if (o == SAMPLE_OK)
		*disturbed = disturbance_judge(&r->dist, row, fig, rec, why, len);
	else
		interference_to_json(fig, false, NULL, rec);
	cJSON_AddNumberToObject(rec, "schema_version", RECORD_SCHEMA_VERSION);
	cJSON_AddNumberToObject(rec, "block", block);
	cJSON_AddNumberToObject(rec, "sample", block + 1);
	cJSON_AddNumberToObject(rec, "order", pos);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	cJSON_AddStringToObject(rec, "time", when);
	if (!results_append(r->samples, rec))
		return 0;
	fprintf(stderr, "bpfcost-run: cannot write samples.jsonl: %s\n", strerror(errno));
	return -1;
}

/* Position @pos of block @block's queue: measured, recorded, if disturbed queued again. */
static enum run_state sample(struct runner *r, int block, int pos, int *qlen)
{
	int row = r->order[pos];
	const struct config *c = &r->m->configs[row];
	char why[160] = "", detail[200];
	enum sample_outcome o;
	struct interference fig;
	enum run_state s;
	bool disturbed;
	double t0;
	cJSON *rec;

	/* A redo waits for the host to quiet down, or it is disturbed again. */
	if (pos >= r->m->n) {
		s = r->before_redo(r, c->name);
		if (s == RUN_GO && !fits(r, r->sample_s))
			s = RUN_DONE; /* the wait spent what the redo needed */
		if (s != RUN_GO)
			return s;
	}
	t0 = r->now();
	s = measure(r, row, &rec, &fig, &o);
	if (s == RUN_GO &&
	    write_record(r, rec, row, block, pos, o, &fig, &disturbed, why, sizeof(why)))
		s = RUN_FAILED;
	if (s != RUN_GO) {
		cJSON_Delete(rec);
		return s;
	}
	describe(rec, r->wops, detail, sizeof(detail));
	if (disturbed && disturbance_take_redo(&r->dist, row)) {
		r->order[(*qlen)++] = row;
		r->p.total++; /* the ETA counts the redo */
		progress_note(&r->p,
			      "%s sample %d disturbed (%s): kept as a disturbed record, redone at "
			      "the end of the block (redo %d of %d for this row)",
			      c->name, block + 1, why, r->dist.redos[row], r->rs->redo_limit);
	} else {
		resume_set_mark(&r->done, row, block);
		if (disturbed)
			progress_note(&r->p,
				      "WARNING: %s sample %d disturbed (%s) and the row's %d redos "
				      "are spent: no clean sample in this block",
				      c->name, block + 1, why, r->rs->redo_limit);
	}
	if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(rec, "hits_ok")) &&
	    !cJSON_GetObjectItemCaseSensitive(rec, "error"))
		progress_note(&r->p, "WARNING: %s sample %d: hits per %s outside [%.1f, %.1f]: %s",
			      c->name, block + 1, r->wops->event, HITS_MIN, HITS_MAX, detail);
	progress_step(&r->p, c->name, detail);
	cJSON_Delete(rec);
	/*
	 * DURATION is a guess until a good sample is timed (200,000 trigger calls
	 * take 0.2 s, not 10): BUDGET would stop a run early by a block of guesses.
	 */
	if (o == SAMPLE_OK && !r->sample_timed)
		r->sample_s = r->now() - t0;
	else
		r->sample_s = fmax(r->sample_s, r->now() - t0);
	r->sample_timed |= o == SAMPLE_OK;
	return RUN_GO;
}

/* The target as the progress lines say it: "±5%", "±2 ns". */
static const char *target_text(const struct runner *r, char *buf, size_t len)
{
	char unit[PRECISION_UNIT_LEN], err[256];

	if (precision_setting_unit(r->rs, unit, sizeof(unit), err, sizeof(err)))
		snprintf(unit, sizeof(unit), "%s", r->rs->precision_unit ?: "%");
	return precision_text(buf, len, "%g", r->rs->precision, unit);
}

/* PRECISION past N: the rows still too wide; how many rows this block samples. */
static int active_rows(struct runner *r, int block)
{
	const struct run_settings *rs = r->rs;
	char status[512], target[64];
	int i, n_active, left;

	for (i = 0; i < r->m->n; i++)
		r->active[i] = true;
	if (!(rs->precision > 0 && block >= rs->n))
		return r->m->n;
	left = stopping_active(r->dir, r->m, rs, r->active, status, sizeof(status));
	target_text(r, target, sizeof(target));
	if (!left) {
		r->stopped = "reached";
		progress_note(&r->p, "every row's added cost is within %s after %d blocks", target,
			      block);
		return 0;
	}
	for (n_active = 0, i = 0; i < r->m->n; i++)
		n_active += r->active[i] && !resume_set_done(&r->done, i, block);
	r->p.total = r->p.done + n_active; /* the ETA is this block's */
	progress_note(&r->p, "block %d: %d row%s not yet within %s: %s", block + 1, left,
		      left == 1 ? "" : "s", target, status);
	return n_active;
}

enum run_state runner_blocks(struct runner *r)
{
	int block, pos, qlen, n_active;
	enum run_state s;

	for (block = 0; block < r->blocks; block++) {
		r->blocks_begun = block;
		n_active = active_rows(r, block);
		if (r->stopped)
			return RUN_DONE;
		/* A whole block that cannot end within the budget is not started. */
		if (!fits(r, n_active * r->sample_s))
			return RUN_DONE;
		schedule_block(r->rs->seed, block, r->m->n, r->order);
		for (qlen = r->m->n, pos = 0; pos < qlen; pos++) {
			int row = r->order[pos];

			if (!r->active[row] || resume_set_done(&r->done, row, block))
				continue;
			if (!fits(r, r->sample_s))
				return RUN_DONE;
			s = sample(r, block, pos, &qlen);
			if (s != RUN_GO)
				return s;
		}
	}
	r->blocks_begun = block;
	if (r->rs->precision > 0)
		r->stopped = "max_n";
	return RUN_DONE;
}
