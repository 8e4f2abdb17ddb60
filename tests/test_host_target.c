// SPDX-License-Identifier: GPL-2.0
/*
 * TARGET=host: the runner measures this machine's kernel with traffic between
 * two network namespaces over veth. Rows the kernel cannot attach are
 * unsupported rows naming why; rows it can attach run once per packet; the
 * offered load comes from the calibration ramp; PRECISION stops a run when
 * reached and BUDGET in time; and no namespace, veth or BPF program is left,
 * also after Ctrl-C mid-sample or mid-calibration.
 */
#include <errno.h>
#include <math.h>
#include <time.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/record_check.h"
#include "experiments/results.h"
#include "testlib.h"

#define RUN_TIMEOUT_MS (5 * 60 * 1000)

static char results_root[] = "/tmp/bpfcost-test-host-XXXXXX";
static int namespaces_before, devices_before;

static char *runner(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s", test_out_path("bin/bpfcost-run"));
	return path;
}

static void start_run(struct child *c, char *const argv[], char *dir, size_t len)
{
	char line[4096];
	const char *start;

	assert_int_equal(child_start(c, argv), 0);
	close(c->in);
	c->in = -1;
	if (child_wait_line(c, "bpfcost-run: /", line, sizeof(line), 30000))
		fail_msg("bpfcost-run gave no results folder (%s): %s", child_how(c), c->last_err);
	start = line + strlen("bpfcost-run: ");
	snprintf(dir, len, "%.*s", (int)strcspn(start, ":"), start);
}

static void assert_nothing_left(const char *when)
{
	int ns = count_marked_net_namespaces(), dev = count_bpfc_devices(),
	    progs = count_bpfcost_programs();

	print_message("    %s: %d network namespaces of our runs (before %d), %d bpfc* devices "
		      "(before %d), %d bpfcost programs\n",
		      when, ns, namespaces_before, dev, devices_before, progs);
	if (ns != namespaces_before || dev != devices_before || progs)
		fail_msg("%s: actual %d namespaces, %d bpfc* devices, %d bpfcost programs; "
			 "expected %d, %d, 0",
			 when, ns, dev, progs, namespaces_before, devices_before);
}

struct tally {
	int ok, unsupported, other_errors, bad_hits, disturbed;
	char first_unsupported[512];
};

static void tally(const char *dir, struct tally *t)
{
	char path[4200], line[1 << 14];
	FILE *f;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "r");
	assert_sys_ok(f, path);
	while (fgets(line, sizeof(line), f)) {
		cJSON *rec = cJSON_Parse(line);
		const char *config, *err;
		const cJSON *hits;

		if (!rec)
			fail_msg("%s: a line that is not JSON: %s", path, line);
		config = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "config"));
		err = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "error"));
		hits = cJSON_GetObjectItem(rec, "hits_per_event");
		if (err && cJSON_IsTrue(cJSON_GetObjectItem(rec, "unsupported"))) {
			if (!t->unsupported++)
				snprintf(t->first_unsupported, sizeof(t->first_unsupported), "%s",
					 err);
		} else if (err) {
			print_error("%s: unexpected error: %s\n", config, err);
			t->other_errors++;
		} else if (cJSON_IsTrue(cJSON_GetObjectItem(rec, "disturbed"))) {
			t->disturbed++; /* kept beside its redo, not a sample of the row */
		} else {
			t->ok++;
			if (strcmp(config, "baseline") &&
			    (!cJSON_IsNumber(hits) || !hits_in_range(hits->valuedouble))) {
				print_error("%s: hits per packet %g, expected [%.1f, %.1f]\n",
					    config, cJSON_IsNumber(hits) ? hits->valuedouble : -1,
					    HITS_MIN, HITS_MAX);
				t->bad_hits++;
			}
		}
		cJSON_Delete(rec);
	}
	fclose(f);
}

static cJSON *read_manifest(const char *dir)
{
	char path[4200], *text = NULL;
	size_t len = 0;
	cJSON *man;
	FILE *f;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	f = fopen(path, "r");
	assert_sys_ok(f, path);
	if (getdelim(&text, &len, '\0', f) < 0)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	fclose(f);
	man = cJSON_Parse(text);
	if (!man)
		fail_msg("%s is not JSON: %s", path, test_excerpt(text));
	free(text);
	return man;
}

static double num_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	v = b ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	v = b ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
	return cJSON_IsString(v) ? v->valuestring : "(none)";
}

/* The offered load came from the ramp: 1.2 x the best step, split over the 8 streams. */
static void assert_calibrated(const cJSON *man)
{
	const cJSON *cal = cJSON_GetObjectItemCaseSensitive(man, "calibration");
	double cap = num_at(cal, "capacity_mbps", NULL), off = num_at(cal, "offered_mbps", NULL);
	const char *args = str_at(cal, "args", "iperf_args");
	char expected[64];

	print_message("    calibration: capacity %.1f Mbit/s (%s), offered %.1f: %s\n", cap,
		      str_at(cal, "limited_by", NULL), off, args);
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cal, "done")))
		fail_msg("calibration.done is not true: %s", cJSON_PrintUnformatted(cal));
	assert_in_range(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cal, "steps")), 2, 12);
	if (!(cap > 0) || fabs(off - 1.2 * cap) > 1e-6 * off)
		fail_msg("offered %g Mbit/s, expected 1.2 x capacity %g", off, cap);
	snprintf(expected, sizeof(expected), "-b %.0f", off * 1e6 / 8);
	if (!strstr(args, expected) || strstr(args, "1G"))
		fail_msg("calibrated iperf_args \"%s\", expected \"%s\" and no 1G", args, expected);
}

struct config_count {
	const char *config;
	int n;
};

static void count_one(const cJSON *rec, void *arg)
{
	struct config_count *cc = arg;

	/* Samples: a disturbed record is kept beside its redo. */
	cc->n += !strcmp(str_at(rec, "config", NULL), cc->config) &&
		 !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "disturbed"));
}

/* Records of @config in the folder, read the way the runner reads them. */
static int count_records(const char *dir, const char *config)
{
	struct config_count cc = { config, 0 };
	char err[512];

	if (results_each(dir, count_one, &cc, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return cc.n;
}

/* Runs @argv to completion; returns its results folder in @dir. */
static void run_to_end(char *const argv[], char *dir, size_t len)
{
	char line[4096];
	struct child c;
	int code;

	start_run(&c, argv, dir, len);
	if (child_wait_line(&c, "bpfcost-run: results in", line, sizeof(line), RUN_TIMEOUT_MS))
		fail_msg("run did not finish (%s): %s", child_how(&c), c.last_err);
	code = child_wait(&c, 30000);
	if (code)
		fail_msg("run exited %d, expected 0: %s", code, c.last_err);
}

/* A wide target is reached after the least N: the run stops itself there. */
static void test_precision_reached_stops_at_min_n(void **state)
{
	char *argv[] = { runner(), "--target", "host", "-m", "quick", "-n", "2", "-t", "1", "-w",
			 "0", "--arg", "calibrate=off", "--precision", "1000", "--max-n", "6",
			 "--no-report",
			 /* stopping at N=2 needs Welch: Mann-Whitney's CI needs 4 a side */
			 "--estimator", "mean", "-o", results_root, NULL };
	char dir[4096];
	cJSON *man;

	(void)state;
	run_to_end(argv, dir, sizeof(dir));
	man = read_manifest(dir);
	print_message("    precision: stopped %s after %g blocks\n",
		      str_at(man, "precision", "stopped"), num_at(man, "precision", "blocks"));
	assert_string_equal(str_at(man, "precision", "stopped"), "reached");
	assert_int_equal((int)num_at(man, "precision", "blocks"), 2);
	assert_int_equal(count_records(dir, "baseline"), 2);
	assert_int_equal(count_records(dir, "tp-null"), 2);
	cJSON_Delete(man);
	assert_nothing_left("after a precision run");
}

/*
 * An unreachable target: blocks go on until the budget (18 s) would be
 * overrun, and none starts after that; the manifest says so.
 */
static void test_budget_stops_run_in_time(void **state)
{
	char *argv[] = { runner(),
			 "--target",
			 "host",
			 "-m",
			 "quick",
			 "-n",
			 "4",
			 "-t",
			 "1",
			 "-w",
			 "0",
			 "--arg",
			 "calibrate=off",
			 "--precision",
			 "0.001",
			 "--max-n",
			 "100",
			 "--budget",
			 "0.3",
			 "--no-report",
			 "-o",
			 results_root,
			 NULL };
	char dir[4096];
	struct tm a = { 0 }, b = { 0 };
	double took;
	cJSON *man;

	(void)state;
	run_to_end(argv, dir, sizeof(dir));
	man = read_manifest(dir);
	strptime(str_at(man, "start_time", NULL), "%Y-%m-%dT%H:%M:%SZ", &a);
	strptime(str_at(man, "end_time", NULL), "%Y-%m-%dT%H:%M:%SZ", &b);
	took = difftime(timegm(&b), timegm(&a));
	print_message("    budget: stopped %s after %g blocks, %g s of an 18 s budget, %d baseline "
		      "samples\n",
		      str_at(man, "precision", "stopped"), num_at(man, "precision", "blocks"), took,
		      count_records(dir, "baseline"));
	assert_string_equal(str_at(man, "precision", "stopped"), "budget");
	assert_string_equal(str_at(man, "state", NULL), "budget");
	/* whole seconds in the manifest: one more for the truncation */
	if (took > 18 + 1)
		fail_msg("the run took %g s, expected at most the 18 s budget", took);
	assert_in_range(count_records(dir, "baseline"), 3, 100);
	cJSON_Delete(man);
	assert_nothing_left("after a budget run");
}

/*
 * Every sample of a folder runs with the same offered load: a resumed run
 * takes the calibration from the manifest and does not ramp again.
 */
static void test_resume_reuses_calibration(void **state)
{
	char *argv[] = { runner(), "--target",	  "host", "-m",		"quick",
			 "-n",	   "2",		  "-t",	  "1",		"-w",
			 "0",	   "--no-report", "-o",	  results_root, NULL };
	char *resume[] = { runner(), "--resume", NULL, "--no-report", NULL };
	char line[4096], dir[4096], before[1024], after[1024];
	struct child c;
	cJSON *man;
	int code;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	/* The calibration is in the manifest once the hit checks begin. */
	if (child_wait_line(&c, "check ", line, sizeof(line), RUN_TIMEOUT_MS))
		fail_msg("no hit check after calibration (%s): %s", child_how(&c), c.last_err);
	kill(c.pid, SIGINT);
	code = child_wait(&c, 30000);
	assert_int_equal(code, 130);
	man = read_manifest(dir);
	assert_calibrated(man);
	snprintf(
		before, sizeof(before), "%s",
		str_at(cJSON_GetObjectItemCaseSensitive(man, "calibration"), "args", "iperf_args"));
	cJSON_Delete(man);

	resume[2] = dir;
	assert_int_equal(child_start(&c, resume), 0);
	close(c.in);
	c.in = -1;
	/* Returns at the first ramp line, or fails when stderr closes without one. */
	if (!child_wait_line(&c, "bpfcost-run: calibration: offered", line, sizeof(line),
			     RUN_TIMEOUT_MS))
		fail_msg("the resumed run ramped again: %s", line);
	code = child_wait(&c, 30000);
	assert_int_equal(code, 0);
	man = read_manifest(dir);
	snprintf(
		after, sizeof(after), "%s",
		str_at(cJSON_GetObjectItemCaseSensitive(man, "calibration"), "args", "iperf_args"));
	cJSON_Delete(man);
	print_message("    calibrated iperf_args %s, after resume %s\n", before, after);
	assert_string_equal(after, before);
	assert_int_equal(count_records(dir, "baseline"), 2);
	assert_nothing_left("after a resumed calibrated run");
}

/* Ctrl-C while the ramp runs: exit 130, nothing left behind. */
static void test_ctrl_c_during_calibration(void **state)
{
	char *argv[] = { runner(), "--target", "host",	      "-m", "quick",	  "-n", "2",
			 "-t",	   "1",	       "--no-report", "-o", results_root, NULL };
	char line[4096], dir[4096];
	struct child c;
	int code;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	if (child_wait_line(&c, "bpfcost-run: calibration: offered", line, sizeof(line),
			    RUN_TIMEOUT_MS))
		fail_msg("no calibration step (%s): %s", child_how(&c), c.last_err);
	kill(c.pid, SIGINT);
	code = child_wait(&c, 30000);
	print_message("    interrupted in calibration: exit %d\n", code);
	assert_int_equal(code, 130);
	assert_nothing_left("after Ctrl-C in calibration");
}

/* The machine's kernel decides which rows run; the counts must add up either way. */
static void test_quick_matrix_on_host(void **state)
{
	char *argv[] = { runner(), "--target",	  "host", "-m",		"quick",
			 "-n",	   "2",		  "-t",	  "1",		"-w",
			 "0",	   "--no-report", "-o",	  results_root, NULL };
	char line[4096], dir[4096];
	struct child c;
	struct tally t;
	int ret, code;
	cJSON *man;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	ret = child_wait_line(&c, "bpfcost-run: results in", line, sizeof(line), RUN_TIMEOUT_MS);
	if (ret)
		fail_msg("run did not finish (%s): %s", child_how(&c), c.last_err);
	code = child_wait(&c, 30000);
	assert_int_equal(code, 0);
	tally(dir, &t);
	print_message("    %d measured, %d unsupported (first: %.160s), %d other errors\n", t.ok,
		      t.unsupported, t.first_unsupported, t.other_errors);
	/* quick = baseline + 4 rows, N=2: every sample is either measured or unsupported */
	assert_int_equal(t.ok + t.unsupported, 5 * 2);
	assert_in_range(t.ok, 4, 10); /* baseline and tp-null run on any kernel >= 6.3 */
	assert_int_equal(t.other_errors, 0);
	assert_int_equal(t.bad_hits, 0);
	if (t.unsupported && !strstr(t.first_unsupported, "unsupported: "))
		fail_msg("unsupported row without its reason: %s", t.first_unsupported);
	man = read_manifest(dir);
	assert_calibrated(man);
	cJSON_Delete(man);
	assert_nothing_left("after the run");
}

static void test_ctrl_c_mid_sample_leaves_nothing(void **state)
{
	char *argv[] = { runner(),
			 "--target",
			 "host",
			 "-m",
			 "quick",
			 "-n",
			 "2",
			 "-t",
			 "3",
			 "-w",
			 "0",
			 "--arg",
			 "calibrate=off",
			 "--no-report",
			 "-o",
			 results_root,
			 NULL };
	char line[4096], dir[4096];
	struct child c;
	int code;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	/* The first sample is under way once the first progress line has been printed. */
	if (child_wait_line(&c, "[1/", line, sizeof(line), RUN_TIMEOUT_MS))
		fail_msg("no first sample (%s): %s", child_how(&c), c.last_err);
	kill(c.pid, SIGINT);
	code = child_wait(&c, 30000);
	print_message("    interrupted: exit %d\n", code);
	assert_int_equal(code, 130);
	assert_nothing_left("after Ctrl-C");
}

/*
 * SIGKILL cannot be caught: the namespaces and the agent's program must go
 * because every process holding them dies with the runner. That takes the
 * kernel a moment, so the counts are polled until they are back or 10 s pass.
 */
static void test_sigkill_mid_sample_leaves_nothing(void **state)
{
	char *argv[] = { runner(),
			 "--target",
			 "host",
			 "-m",
			 "quick",
			 "-n",
			 "2",
			 "-t",
			 "3",
			 "-w",
			 "0",
			 "--arg",
			 "calibrate=off",
			 "--no-report",
			 "-o",
			 results_root,
			 NULL };
	char line[4096], dir[4096];
	struct child c;
	int code, i;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	if (child_wait_line(&c, "[1/", line, sizeof(line), RUN_TIMEOUT_MS))
		fail_msg("no first sample (%s): %s", child_how(&c), c.last_err);
	kill(c.pid, SIGKILL);
	code = child_wait(&c, 30000);
	assert_int_equal(code, -SIGKILL);
	for (i = 0; i < 1000 && (count_marked_net_namespaces() != namespaces_before ||
				 count_bpfcost_programs() != 0);
	     i++)
		poll(NULL, 0, 10);
	assert_nothing_left("after SIGKILL");
}

static int setup(void **state)
{
	char mark[16];

	(void)state;
	/* Our runs' processes carry the mark: other runs on the machine are not counted. */
	snprintf(mark, sizeof(mark), "%d", (int)getpid());
	setenv("BPFCOST_TEST_MARK", mark, 1);
	namespaces_before = count_marked_net_namespaces();
	devices_before = count_bpfc_devices();
	return mkdtemp(results_root) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", results_root, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
}

/* The running hogs: a failing assertion leaves them to the test's teardown. */
static pid_t hogs[64];
static int n_hogs;

static void hog_stop(void)
{
	for (; n_hogs > 0; n_hogs--) {
		kill(hogs[n_hogs - 1], SIGKILL);
		waitpid(hogs[n_hogs - 1], NULL, 0);
	}
}

static int hog_teardown(void **state)
{
	(void)state;
	hog_stop();
	return 0;
}

/* One busy process per online CPU, children of the test: "other work" to the runner. */
static void hog_start(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	while (n_hogs < 64 && n_hogs < cpus) {
		pid_t pid = fork();

		assert_sys_ok(pid >= 0, "fork of a hog");
		if (!pid) {
			volatile unsigned long x = 0;

			for (;;)
				x++;
		}
		hogs[n_hogs++] = pid;
	}
}

/* The next progress line of a measured sample ("[k/n] name: value", not an error). */
static void wait_measured_line(struct child *c)
{
	char line[4096];

	for (;;) {
		if (child_wait_line(c, "[", line, sizeof(line), RUN_TIMEOUT_MS))
			fail_msg("run ended or stalled (%s) before the next sample: %s",
				 child_how(c), c->last_err);
		if (!strstr(line, "error:"))
			return;
	}
}

struct disturbed_tally {
	int measured, disturbed, target; /* target: 1-based measured record to report on */
	bool target_disturbed;
	char target_why[256];
	char pairs[64][100]; /* "config/block" of each disturbed record */
	int n_pairs;
};

static void tally_disturbed(const cJSON *rec, void *arg)
{
	struct disturbed_tally *t = arg;
	bool d = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "disturbed"));
	const char *why = str_at(rec, "disturbed_why", NULL);

	if (cJSON_GetObjectItemCaseSensitive(rec, "error"))
		return;
	if (++t->measured == t->target) {
		t->target_disturbed = d;
		snprintf(t->target_why, sizeof(t->target_why), "%s", why);
	}
	if (d && t->n_pairs < 64)
		snprintf(t->pairs[t->n_pairs++], sizeof(t->pairs[0]), "%.80s/%d",
			 str_at(rec, "config", NULL), (int)num_at(rec, "block", NULL));
	t->disturbed += d;
}

struct clean_in_block {
	const char *pair;
	int clean;
};

static void count_clean_in_block(const cJSON *rec, void *arg)
{
	struct clean_in_block *cb = arg;
	char pair[100];

	snprintf(pair, sizeof(pair), "%.80s/%d", str_at(rec, "config", NULL),
		 (int)num_at(rec, "block", NULL));
	cb->clean += !strcmp(pair, cb->pair) &&
		     !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "disturbed")) &&
		     !cJSON_GetObjectItemCaseSensitive(rec, "error");
}

/*
 * A CPU hog on every host CPU, started by the test in the middle of a run: the
 * sample that ran wholly under it is marked disturbed for other processes' CPU,
 * every disturbed sample is redone in its block, and every row still ends with
 * N clean samples.
 */
static void test_hog_marks_and_redoes(void **state)
{
	char *argv[] = { runner(),
			 "--target",
			 "host",
			 "-m",
			 "quick",
			 "-n",
			 "4",
			 "-t",
			 "2",
			 "-w",
			 "0",
			 "--arg",
			 "calibrate=off",
			 "--no-report",
			 "-o",
			 results_root,
			 NULL };
	struct disturbed_tally t = { 0 };
	char dir[4096], line[4096];
	int before = 0, i, code, hogged;
	struct child c;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	/* Two measured samples first: the run's usual foreign CPU is known by then. */
	for (; before < 2; before++)
		wait_measured_line(&c);
	hog_start();
	hogged = n_hogs;
	/* The sample that ends first may have started before the hog; the next ran under it. */
	wait_measured_line(&c);
	wait_measured_line(&c);
	hog_stop();
	if (child_wait_line(&c, "bpfcost-run: results in", line, sizeof(line), RUN_TIMEOUT_MS))
		fail_msg("run did not finish (%s): %s", child_how(&c), c.last_err);
	code = child_wait(&c, 30000);
	if (code)
		fail_msg("run exited %d, expected 0: %s", code, c.last_err);

	t.target = before + 2;
	{
		char err[256];

		if (results_each(dir, tally_disturbed, &t, err, sizeof(err)) < 0)
			fail_msg("%s", err);
	}
	print_message("    %d measured records, %d disturbed; sample %d (under the hog): %s "
		      "(%s)\n",
		      t.measured, t.disturbed, t.target,
		      t.target_disturbed ? "disturbed" : "NOT disturbed", t.target_why);
	if (!t.target_disturbed)
		fail_msg("measured sample %d ran wholly under a hog on %d CPUs: disturbed false, "
			 "expected true",
			 t.target, hogged);
	if (!strstr(t.target_why, "other processes used"))
		fail_msg("disturbed_why \"%s\", expected it to name other processes' CPU",
			 t.target_why);
	for (i = 0; i < t.n_pairs; i++) {
		struct clean_in_block cb = { t.pairs[i], 0 };

		{
			char err[256];

			if (results_each(dir, count_clean_in_block, &cb, err, sizeof(err)) < 0)
				fail_msg("%s", err);
		}
		if (cb.clean != 1)
			fail_msg("%s: %d clean records in the block of a disturbed one, expected "
				 "1 (its redo)",
				 t.pairs[i], cb.clean);
	}
	assert_int_equal(count_records(dir, "baseline"), 4);
	assert_int_equal(count_records(dir, "tp-null"), 4);
	assert_nothing_left("after a disturbed run");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quick_matrix_on_host),
		cmocka_unit_test(test_ctrl_c_mid_sample_leaves_nothing),
		cmocka_unit_test(test_sigkill_mid_sample_leaves_nothing),
		cmocka_unit_test(test_precision_reached_stops_at_min_n),
		cmocka_unit_test(test_budget_stops_run_in_time),
		cmocka_unit_test(test_ctrl_c_during_calibration),
		cmocka_unit_test(test_resume_reuses_calibration),
		cmocka_unit_test_teardown(test_hog_marks_and_redoes, hog_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
