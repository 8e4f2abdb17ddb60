// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop (struct runner) on a fake target and a fake workload: no QEMU,
 * no root, no BPF. Resume, BUDGET, PRECISION and MAX_N, a lost target
 * restarted, the stop flag, a disturbed sample redone: each run leaves every
 * (configuration, block) pair recorded once and a manifest that says why it
 * stopped.
 */
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/manifest.h"
#include "experiments/options.h"
#include "experiments/record_check.h"
#include "experiments/results.h"
#include "experiments/run_settings.h"
#include "experiments/runner.h"
#include "loader/bpfcost.h"
#include "fake.h"

static char *probes[] = { "null", NULL };
static const char *const rows[] = { "baseline", "tp-null", "tp-null-stat" };
#define N_ROWS 3

struct loop {
	char root[64];
	char dir[4096];
	struct config configs[N_ROWS];
	struct matrix m;
	struct run_settings rs;
	volatile sig_atomic_t stop;
	int redo_waits;
	double redo_wait_s;		 /* fake time a wait before a redo takes */
	const struct workload_ops *wops; /* NULL: fake_workload_ops */
	/* Scripted: what other processes used in each calibration window (then 0). */
	double window_cpu[4];
	double window_cpu_after; /* every later window */
	int windows, calibration_waits;
};

static struct loop loop;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	char err[512];
	int i;

	(void)state;
	memset(&loop, 0, sizeof(loop));
	fake_reset();
	snprintf(loop.root, sizeof(loop.root), "/tmp/bpfcost-loop-XXXXXX");
	if (!mkdtemp(loop.root))
		fail_msg("mkdtemp: %s", strerror(errno));
	for (i = 0; i < N_ROWS; i++)
		if (config_parse(rows[i], probes, &loop.configs[i], err, sizeof(err)))
			fail_msg("test bug: %s: %s", rows[i], err);
	loop.m = (struct matrix){ .configs = loop.configs, .n = N_ROWS };
	loop.rs = run_settings_defaults();
	loop.rs.matrix = "test";
	loop.rs.target = "fake";
	loop.rs.workload = "fake";
	loop.rs.n = 3;
	loop.rs.seed = 7;
	loop.rs.duration = 10;
	loop.rs.disturb_cpu = NAN; /* the shared test machine's load is not the fake's */
	loop.rs.target_values[0] = "quiet";
	if (results_create(loop.root, "test", loop.dir, sizeof(loop.dir), err, sizeof(err)))
		fail_msg("results_create: %s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nftw(loop.root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static enum run_state no_wait(struct runner *r, const char *row)
{
	(void)r;
	loop.redo_waits++;
	loop.calibration_waits += !strcmp(row, "calibration");
	fake_advance(loop.redo_wait_s);
	return RUN_GO;
}

static void scripted_window(const struct interference_snap *start, struct interference *fig)
{
	(void)start;
	memset(fig, 0, sizeof(*fig));
	fig->elapsed_s = 10; /* a sample's window: the limits allow for the tick's quantum */
	fig->ncpus = 2;
	fig->foreign_cpu = loop.windows < 4 ? loop.window_cpu[loop.windows] : loop.window_cpu_after;
	loop.windows++;
}

/* One run of the loop on the folder, as bpfcost-run would (a new manifest, or the one there). */
static int run_loop(bool resume)
{
	char err[512];
	struct runner r;
	cJSON *man;
	int ret;

	man = resume ? results_read_json(loop.dir, "manifest.json", err, sizeof(err))
		     : manifest_new(&loop.rs, &loop.m);
	if (!man)
		fail_msg("manifest: %s", err);
	/* What manifest_new() records for a registered target's declared arguments. */
	if (!resume)
		manifest_target_args(man, &fake_target_ops, loop.rs.target_values);
	if (!resume && results_write_json(loop.dir, "manifest.json", man))
		fail_msg("cannot write the manifest: %s", strerror(errno));
	loop.stop = 0;
	runner_init(&r, &loop.rs, &loop.m, loop.dir, man, &loop.stop);
	r.tops = &fake_target_ops;
	r.wops = loop.wops ?: &fake_workload_ops;
	r.window_end = scripted_window;
	r.now = fake_now;
	r.started = fake_now();
	r.before_redo = no_wait;
	ret = runner_run(&r);
	cJSON_Delete(man);
	return ret;
}

/* What the folder holds: records per (row, block), errors, disturbed ones. */
struct tally {
	int records, errors, disturbed;
	int schema_current;	  /* records that say they are of RECORD_SCHEMA_VERSION */
	int per_pair[N_ROWS][64]; /* clean or error records */
	int disturbed_pair[N_ROWS][64];
};

static void count_record(const cJSON *rec, void *arg)
{
	struct tally *t = arg;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "config"));
	const cJSON *block = cJSON_GetObjectItemCaseSensitive(rec, "block");
	int i;

	t->records++;
	t->schema_current +=
		cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "schema_version")) ==
		RECORD_SCHEMA_VERSION;
	for (i = 0; i < N_ROWS; i++) {
		if (!name || strcmp(name, rows[i]) || !cJSON_IsNumber(block) ||
		    block->valueint < 0 || block->valueint >= 64)
			continue;
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "disturbed"))) {
			t->disturbed++;
			t->disturbed_pair[i][block->valueint]++;
		} else {
			t->per_pair[i][block->valueint]++;
		}
	}
	t->errors += cJSON_GetObjectItemCaseSensitive(rec, "error") != NULL;
}

static struct tally tally(void)
{
	struct tally t = { 0 };
	char err[512];

	if (results_each(loop.dir, count_record, &t, err, sizeof(err)) < 0)
		fail_msg("samples.jsonl: %s", err);
	return t;
}

/* Every row has exactly one record in blocks [0, blocks) and none after. */
static void expect_each_pair_once(const struct tally *t, int blocks)
{
	int i, b;

	for (i = 0; i < N_ROWS; i++)
		for (b = 0; b < 64; b++)
			if (t->per_pair[i][b] != (b < blocks))
				fail_msg("%s block %d: %d records; expected %d", rows[i], b,
					 t->per_pair[i][b], b < blocks);
}

static cJSON *manifest(void)
{
	char err[512];
	cJSON *man = results_read_json(loop.dir, "manifest.json", err, sizeof(err));

	if (!man)
		fail_msg("manifest.json: %s", err);
	return man;
}

static void expect_str(const cJSON *obj, const char *key, const char *expect)
{
	const char *got = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));

	if (!got || strcmp(got, expect))
		fail_msg("manifest %s: '%s'; expected '%s'", key, got ?: "(none)", expect);
}

static void expect_int(const char *what, int got, int expect)
{
	if (got != expect)
		fail_msg("%s: %d; expected %d", what, got, expect);
}

/* Nothing left behind by the fakes: every target started was stopped, every probe detached. */
static void expect_clean_targets(void)
{
	expect_int("targets stopped", fake_target.stops, fake_target.starts);
	expect_int("probes still attached", fake_target.attached, 0);
}

static void test_every_sample_once(void **state)
{
	struct tally t;
	cJSON *man;

	(void)state;
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS * 3);
	expect_int("error records", t.errors, 0);
	expect_int("records with the current schema_version", t.schema_current, t.records);
	expect_each_pair_once(&t, 3);
	man = manifest();
	expect_str(man, "state", "complete");
	if (!manifest_hit_check(man, "tp-null"))
		fail_msg("no hit check for tp-null in the manifest; expected one");
	expect_str(cJSON_GetObjectItemCaseSensitive(man, "target_info"), "fake", "yes");
	cJSON_Delete(man);
	expect_int("target starts", fake_target.starts, 1);
	if (strcmp(fake_target.started_with, "quiet"))
		fail_msg("target started with mode '%s'; expected 'quiet'",
			 fake_target.started_with);
	expect_clean_targets();
}

/* Interrupted, then resumed: the same records as one uninterrupted run, nothing twice. */
static void test_resume_completes_without_repeats(void **state)
{
	struct tally t;
	cJSON *man;
	int first;

	(void)state;
	fake_workload.stop_after = 5; /* the hit check, three samples, then Ctrl-C */
	expect_int("interrupted run's exit code", run_loop(false), EXIT_INTERRUPTED);
	t = tally();
	expect_int("records after the interruption", t.records, 3);
	man = manifest();
	expect_str(man, "state", "interrupted");
	cJSON_Delete(man);
	first = fake_workload.measures;
	fake_workload.stop_after = 0;
	expect_int("resumed run's exit code", run_loop(true), 0);
	t = tally();
	expect_int("records after the resume", t.records, N_ROWS * 3);
	expect_each_pair_once(&t, 3);
	/* The passed hit check is kept: the resume measures only the 6 samples left. */
	expect_int("measures of the resumed run", fake_workload.measures - first, 6);
	man = manifest();
	expect_str(man, "state", "complete");
	cJSON_Delete(man);
	expect_clean_targets();
}

/* The stop flag mid-run: nothing half-written, the manifest says interrupted. */
static void test_stop_flag_interrupts(void **state)
{
	struct tally t;
	cJSON *man;

	(void)state;
	fake_workload.stop_after = 7;
	expect_int("exit code", run_loop(false), EXIT_INTERRUPTED);
	t = tally();
	expect_int("records", t.records, 5);
	expect_int("error records", t.errors, 0);
	man = manifest();
	expect_str(man, "state", "interrupted");
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(man, "end_time")))
		fail_msg("manifest end_time not set after an interruption");
	cJSON_Delete(man);
	expect_clean_targets();
}

/* BUDGET: a block that would end past it is not started, and the manifest says so. */
static void test_budget_stops_the_run(void **state)
{
	const cJSON *p;
	struct tally t;
	cJSON *man;

	(void)state;
	loop.rs.budget_min = 1; /* 60 s of fake time: the check (2 s) and one block of 3 x 10 s */
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS);
	expect_each_pair_once(&t, 1);
	man = manifest();
	expect_str(man, "state", "budget");
	p = cJSON_GetObjectItemCaseSensitive(man, "precision");
	expect_str(p, "stopped", "budget");
	expect_int("precision.blocks",
		   (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "blocks")), 1);
	cJSON_Delete(man);
	expect_clean_targets();
}

static void precision_run(double sd, int expect_blocks, const char *expect_stop)
{
	const cJSON *p;
	struct tally t;
	cJSON *man;

	if (!loop.rs.precision)
		loop.rs.precision = 5;
	loop.rs.n = 4;
	loop.rs.max_n = 6;
	fake_workload.sd = sd;
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS * expect_blocks);
	expect_each_pair_once(&t, expect_blocks);
	man = manifest();
	expect_str(man, "state", "complete");
	p = cJSON_GetObjectItemCaseSensitive(man, "precision");
	expect_str(p, "stopped", expect_stop);
	expect_int("precision.blocks",
		   (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "blocks")),
		   expect_blocks);
	cJSON_Delete(man);
}

/* PRECISION: a metric 1000 ± 1 ns is within ±5% after the least N (4). */
static void test_precision_reached(void **state)
{
	(void)state;
	precision_run(1, 4, "reached");
}

/* MAX_N caps rows that never get narrow enough: 1000 ± 400 ns, 6 at most. */
static void test_max_n_caps(void **state)
{
	(void)state;
	precision_run(400, 6, "max_n");
}

/*
 * PRECISION in the metric's unit (the fake's ns): 1000 ± 1 ns gives added-cost
 * CIs a few ns wide, within ±20 ns after the least N; the manifest records it.
 */
static void test_precision_in_ns_reached(void **state)
{
	const cJSON *p;
	cJSON *man;

	(void)state;
	loop.rs.precision = 20;
	loop.rs.precision_unit = "ns";
	precision_run(1, 4, "reached");
	man = manifest();
	p = cJSON_GetObjectItemCaseSensitive(man, "precision");
	expect_str(p, "unit", "ns");
	expect_int("precision.target",
		   (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "target")), 20);
	cJSON_Delete(man);
}

/*
 * The unit is honoured, not read as percent: 1000 ± 10 ns is within ±5% (50 ns)
 * at N=4 (as test_precision_reached's), but never within ±5 ns: MAX_N stops it.
 */
static void test_precision_in_ns_not_reached(void **state)
{
	(void)state;
	loop.rs.precision = 5;
	loop.rs.precision_unit = "ns";
	precision_run(10, 6, "max_n");
}

/* A target in ns never reached: BUDGET stops the run by itself, before MAX_N. */
static void test_precision_in_ns_budget(void **state)
{
	struct tally t;
	cJSON *man;

	(void)state;
	loop.rs.precision = 0.01;
	loop.rs.precision_unit = "ns";
	loop.rs.n = 4;
	loop.rs.max_n = 1000;
	loop.rs.budget_min = 5; /* 300 s: the check (2 s), then blocks of 3 x 10 s: 9 fit */
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS * 9);
	expect_each_pair_once(&t, 9);
	man = manifest();
	expect_str(man, "state", "budget");
	expect_str(cJSON_GetObjectItemCaseSensitive(man, "precision"), "stopped", "budget");
	cJSON_Delete(man);
	expect_clean_targets();
}

/*
 * BUDGET counts what samples take, not DURATION: samples asked for 10 s that
 * take 1 s (a trigger sample of fixed calls) go on until the budget is spent.
 * Guessing 10 s per sample would stop after one block of 3 samples.
 */
static void test_budget_counts_measured_samples(void **state)
{
	struct tally t;
	cJSON *man;

	(void)state;
	fake_workload.took = 1;
	loop.rs.precision = 0.01;
	loop.rs.precision_unit = "ns";
	loop.rs.n = 4;
	loop.rs.max_n = 1000;
	loop.rs.budget_min = 1; /* 60 s: the check (1 s), then blocks of 3 x 1 s: 19 fit */
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS * 19);
	man = manifest();
	expect_str(cJSON_GetObjectItemCaseSensitive(man, "precision"), "stopped", "budget");
	cJSON_Delete(man);
	expect_clean_targets();
}

/* A target lost mid-sample is restarted, and the sample measured again: no gap, no repeat. */
static void test_lost_target_restarted(void **state)
{
	const cJSON *restarts;
	struct tally t;
	cJSON *man;

	(void)state;
	fake_target.lose_after = 10; /* info, the hit check (5 calls), then in the first block */
	expect_int("exit code", run_loop(false), 0);
	expect_int("target starts", fake_target.starts, 2);
	t = tally();
	expect_int("records", t.records, N_ROWS * 3);
	expect_int("error records", t.errors, 0);
	expect_each_pair_once(&t, 3);
	man = manifest();
	restarts = cJSON_GetObjectItemCaseSensitive(man, "target_restarts");
	expect_int("manifest target_restarts", cJSON_GetArraySize(restarts), 1);
	expect_str(cJSON_GetArrayItem(restarts, 0), "reason", "the fake agent is gone");
	expect_str(man, "state", "complete");
	cJSON_Delete(man);
	expect_clean_targets();
}

/* A target lost at every start: MAX_TARGET_RESTARTS, then the run fails resumable. */
static void test_target_lost_for_good(void **state)
{
	struct tally t;
	cJSON *man;

	(void)state;
	fake_target.lose_after = 1; /* each start answers one call: at most one sample */
	fake_target.lose_always = true;
	expect_int("exit code", run_loop(false), 1);
	expect_int("target starts", fake_target.starts, 1 + MAX_TARGET_RESTARTS);
	t = tally();
	expect_int("error records", t.errors, 0);
	man = manifest();
	expect_int("manifest target_restarts",
		   cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(man, "target_restarts")),
		   MAX_TARGET_RESTARTS);
	expect_str(man, "state", "failed");
	cJSON_Delete(man);
	expect_clean_targets();
}

/* A measurement that fails is an error record in its place, and the run goes on. */
static void test_failed_measure_is_an_error_record(void **state)
{
	struct tally t;

	(void)state;
	fake_workload.fail_at = 3;
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS * 3);
	expect_int("error records", t.errors, 1);
	expect_each_pair_once(&t, 3);
	expect_clean_targets();
}

/* A sample showing the workload's symptom is kept as disturbed and redone at its block's end. */
static void test_disturbed_sample_redone(void **state)
{
	struct tally t;
	int i, disturbed_row = -1;

	(void)state;
	loop.rs.n = 4;
	fake_workload.symptom_at = 11; /* block 3's first sample: its row has 3 clean ones */
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS * 4 + 1);
	expect_int("disturbed records", t.disturbed, 1);
	expect_each_pair_once(&t, 4);
	for (i = 0; i < N_ROWS; i++)
		if (t.disturbed_pair[i][3])
			disturbed_row = i;
	if (disturbed_row < 0)
		fail_msg("the disturbed record is not in block 3; expected it there");
	expect_int("waits before a redo", loop.redo_waits, 1);
	expect_clean_targets();
}

/* A wait before a redo that spends the budget: the redo is not started, the manifest says budget.
 */
static void test_budget_bounds_a_redo(void **state)
{
	struct tally t;
	cJSON *man;

	(void)state;
	loop.rs.n = 4;
	loop.rs.budget_min = 2.5;      /* 150 s: the check (2 s) and four blocks of 3 x 10 s fit */
	fake_workload.symptom_at = 11; /* block 3's first sample: disturbed */
	loop.redo_wait_s = 30;	       /* at 152 s: no room for its 10 s redo */
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("records", t.records, N_ROWS * 4);
	expect_int("disturbed records", t.disturbed, 1);
	expect_int("measures", fake_workload.measures, 1 + N_ROWS * 4);
	man = manifest();
	expect_str(man, "state", "budget");
	expect_str(cJSON_GetObjectItemCaseSensitive(man, "precision"), "stopped", "budget");
	cJSON_Delete(man);
	expect_clean_targets();
}

/* Interrupted before a disturbed sample's redo: the resume redoes it, and only what is left. */
static void test_resume_redoes_a_pending_disturbed_sample(void **state)
{
	struct tally t;
	int first;

	(void)state;
	loop.rs.n = 4;
	fake_workload.symptom_at = 11; /* block 3's first sample: disturbed */
	fake_workload.stop_after = 12; /* the next sample: Ctrl-C before the redo */
	expect_int("interrupted run's exit code", run_loop(false), EXIT_INTERRUPTED);
	t = tally();
	expect_int("records after the interruption", t.records, N_ROWS * 3 + 1);
	expect_int("disturbed records", t.disturbed, 1);
	first = fake_workload.measures;
	fake_workload.stop_after = 0;
	expect_int("resumed run's exit code", run_loop(true), 0);
	t = tally();
	expect_int("records after the resume", t.records, N_ROWS * 4 + 1);
	expect_int("disturbed records", t.disturbed, 1);
	expect_each_pair_once(&t, 4);
	/* Block 3's three rows, the disturbed one's redo among them; nothing else again. */
	expect_int("measures of the resumed run", fake_workload.measures - first, N_ROWS);
	expect_clean_targets();
}

/* A resume on another kernel would mix two experiments in one table: refused, nothing measured. */
static void test_resume_on_another_kernel_refused(void **state)
{
	struct tally t;
	int first;

	(void)state;
	fake_workload.stop_after = 5;
	expect_int("interrupted run's exit code", run_loop(false), EXIT_INTERRUPTED);
	first = fake_workload.measures;
	fake_workload.stop_after = 0;
	fake_target.kernel = "6.9.0-other";
	expect_int("resume on another kernel: exit code", run_loop(true), BPFCOST_EXIT_USAGE);
	t = tally();
	expect_int("records", t.records, 3);
	expect_int("measures of the refused resume", fake_workload.measures - first, 0);
	expect_clean_targets();
}

/* A target's declared argument: recorded, restored and judged again on resume, passed to start. */
static void test_target_args_recorded_and_restored(void **state)
{
	const char *values[TARGET_MAX_ARGS] = { 0 };
	char err[512] = "";
	cJSON *man;

	(void)state;
	loop.rs.target_values[0] = "loud";
	fake_workload.stop_after = 3;
	expect_int("interrupted run's exit code", run_loop(false), EXIT_INTERRUPTED);
	if (strcmp(fake_target.started_with, "loud"))
		fail_msg("target started with mode '%s'; expected 'loud'",
			 fake_target.started_with);
	man = manifest();
	if (manifest_target_args_back(man, &fake_target_ops, values, err, sizeof(err)) ||
	    target_args_check(&fake_target_ops, values, err, sizeof(err)))
		fail_msg("recorded target_args refused: %s; expected accepted", err);
	if (!values[0] || strcmp(values[0], "loud"))
		fail_msg("mode back from the manifest: '%s'; expected 'loud'",
			 values[0] ?: "(none)");
	loop.rs.target_values[0] = values[0];
	fake_workload.stop_after = 0;
	expect_int("resumed run's exit code", run_loop(true), 0);
	cJSON_Delete(man);
	if (strcmp(fake_target.started_with, "loud"))
		fail_msg("resumed target started with mode '%s'; expected 'loud'",
			 fake_target.started_with);
}

/* target_args read back from a hostile manifest: what the target does not declare is refused. */
static void test_target_args_hostile(void **state)
{
	static const struct {
		const char *json, *expect; /* expect NULL: accepted */
		const char *value;	   /* the value restored, when accepted */
	} cases[] = {
		{ "{\"target_args\":{\"mode\":\"loud\"}}", NULL, "loud" },
		{ "{}", NULL, "quiet" }, /* from before the argument: its default */
		{ "{\"target_args\":{\"mode\":\"shouting\"}}", "mode 'shouting'", NULL },
		{ "{\"target_args\":{\"bogus\":\"1\"}}", "'bogus' is not a fake argument", NULL },
		{ "{\"target_args\":{\"mode\":7}}", "'mode' is not a fake argument", NULL },
		{ "{\"target_args\":[1]}", "target_args: not an object", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *values[TARGET_MAX_ARGS] = { 0 };
		cJSON *man = cJSON_Parse(cases[i].json);
		char err[512] = "";
		int ret;

		if (!man)
			fail_msg("test bug: not JSON: %s", cases[i].json);
		ret = manifest_target_args_back(man, &fake_target_ops, values, err, sizeof(err)) ||
		      target_args_check(&fake_target_ops, values, err, sizeof(err));
		if (cases[i].expect && (!ret || !strstr(err, cases[i].expect)))
			fail_msg("%s: %s '%s'; expected refused with '%s'", cases[i].json,
				 ret ? "refused with" : "accepted", err, cases[i].expect);
		if (!cases[i].expect && (ret || strcmp(values[0], cases[i].value)))
			fail_msg("%s: %s '%s'; expected accepted with mode '%s'", cases[i].json,
				 ret ? "refused with" : "accepted, mode", ret ? err : values[0],
				 cases[i].value);
		cJSON_Delete(man); /* the values point into it */
	}
}

/* The calibration's "rate" in the manifest and how many ramps it took. */
static void expect_calibration(const char *rate, int attempts, int disturbed, bool last_disturbed)
{
	cJSON *man = manifest();
	const cJSON *cal = cJSON_GetObjectItemCaseSensitive(man, "calibration");

	expect_str(cJSON_GetObjectItemCaseSensitive(cal, "args"), "rate", rate);
	expect_int("calibration.attempts",
		   (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(cal, "attempts")),
		   attempts);
	expect_int("calibration.disturbed_attempts",
		   cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cal, "disturbed_attempts")),
		   disturbed);
	expect_int("calibration.disturbed",
		   cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cal, "disturbed")),
		   last_disturbed);
	cJSON_Delete(man);
}

/*
 * A ramp while other work ran found too little capacity: the runner waits for
 * quiet and ramps again; the disturbed ramp is kept, the clean one stands.
 */
static void test_disturbed_calibration_redone(void **state)
{
	(void)state;
	loop.wops = &fake_calibrated_workload_ops;
	loop.rs.disturb_cpu = 0.25;
	loop.window_cpu[0] = 1.5;
	expect_int("exit", run_loop(false), 0);
	expect_int("calibrations", fake_workload.calibrations, 2);
	expect_int("waits for quiet before a calibration", loop.calibration_waits, 1);
	expect_calibration("cal2", 2, 1, false);
	/* A resumed run reuses the manifest's calibration: no ramp at all. */
	loop.rs.n = 4;
	expect_int("exit on resume", run_loop(true), 0);
	expect_int("calibrations after the resume", fake_workload.calibrations, 2);
	expect_clean_targets();
}

/* Never quiet: three ramps, the last stands, marked disturbed for the report's load check. */
static void test_calibration_never_quiet(void **state)
{
	(void)state;
	loop.wops = &fake_calibrated_workload_ops;
	loop.rs.disturb_cpu = 0.25;
	loop.window_cpu[0] = loop.window_cpu[1] = loop.window_cpu[2] = 1.0;
	expect_int("exit", run_loop(false), 0);
	expect_int("calibrations", fake_workload.calibrations, 3);
	expect_int("waits for quiet before a calibration", loop.calibration_waits, 2);
	expect_calibration("cal3", 3, 2, true);
	expect_clean_targets();
}

/*
 * Other work on the host during every sample: under CLOCK=real each sample is
 * disturbed (and redone while redos last); under CLOCK=instructions none is,
 * since the guest's instruction count does not change with the host's load.
 */
static void busy_host_run(const char *clock, int expect_disturbed)
{
	struct tally t;
	cJSON *man;

	loop.rs.clock = clock;
	loop.rs.disturb_cpu = 0.25;
	loop.rs.redo_limit = 1;
	/* above any start-up level a 2-CPU test machine can have */
	for (int i = 0; i < 4; i++)
		loop.window_cpu[i] = 8;
	loop.window_cpu_after = 8;
	expect_int("exit code", run_loop(false), 0);
	t = tally();
	expect_int("disturbed records", t.disturbed, expect_disturbed);
	man = manifest();
	expect_int(
		"disturbance.host_criteria_off recorded",
		cJSON_IsString(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(man, "disturbance"), "host_criteria_off")),
		!expect_disturbed);
	cJSON_Delete(man);
	expect_clean_targets();
}

static void test_busy_host_disturbs_real_time(void **state)
{
	(void)state;
	/* 9 samples, each row redone once (redo_limit 1), the redo disturbed too */
	busy_host_run("real", 9 + N_ROWS);
}

static void test_busy_host_leaves_instructions_alone(void **state)
{
	(void)state;
	busy_host_run("instructions", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_sample_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_completes_without_repeats, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stop_flag_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_stops_the_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precision_reached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precision_in_ns_reached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precision_in_ns_not_reached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precision_in_ns_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_counts_measured_samples, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_max_n_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_target_restarted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target_lost_for_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_measure_is_an_error_record, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_disturbed_sample_redone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_host_disturbs_real_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_host_leaves_instructions_alone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_budget_bounds_a_redo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_redoes_a_pending_disturbed_sample,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_on_another_kernel_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_target_args_recorded_and_restored, setup,
						teardown),
		cmocka_unit_test(test_target_args_hostile),
		cmocka_unit_test_setup_teardown(test_disturbed_calibration_redone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calibration_never_quiet, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
