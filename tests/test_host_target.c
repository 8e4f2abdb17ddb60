// SPDX-License-Identifier: GPL-2.0
/*
 * TARGET=host: the runner measures this machine's kernel with traffic between
 * two network namespaces over veth. Rows the kernel cannot attach are
 * unsupported rows naming why; rows it can attach run once per packet; and no
 * namespace, veth or BPF program is left, also after Ctrl-C mid-sample.
 */
#include <errno.h>
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
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/record_check.h"
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
	int ns = count_net_namespaces(), dev = count_bpfc_devices(),
	    progs = count_bpfcost_programs();

	print_message("    %s: %d network namespaces (before %d), %d bpfc* devices (before %d), "
		      "%d bpfcost programs\n",
		      when, ns, namespaces_before, dev, devices_before, progs);
	assert_int_equal(ns, namespaces_before);
	assert_int_equal(dev, devices_before);
	assert_int_equal(progs, 0);
}

struct tally {
	int ok, unsupported, other_errors, bad_hits;
	char first_unsupported[512];
};

static void tally(const char *dir, struct tally *t)
{
	char path[4200], line[1 << 14];
	FILE *f;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		cJSON *rec = cJSON_Parse(line);
		const char *config, *err;
		const cJSON *hits;

		assert_non_null(rec);
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
	assert_nothing_left("after the run");
}

static void test_ctrl_c_mid_sample_leaves_nothing(void **state)
{
	char *argv[] = { runner(), "--target",	  "host", "-m",		"quick",
			 "-n",	   "2",		  "-t",	  "3",		"-w",
			 "0",	   "--no-report", "-o",	  results_root, NULL };
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
	char *argv[] = { runner(), "--target",	  "host", "-m",		"quick",
			 "-n",	   "2",		  "-t",	  "3",		"-w",
			 "0",	   "--no-report", "-o",	  results_root, NULL };
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
	for (i = 0; i < 1000 &&
		    (count_net_namespaces() != namespaces_before || count_bpfcost_programs() != 0);
	     i++)
		poll(NULL, 0, 10);
	assert_nothing_left("after SIGKILL");
}

static int setup(void **state)
{
	(void)state;
	namespaces_before = count_net_namespaces();
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quick_matrix_on_host),
		cmocka_unit_test(test_ctrl_c_mid_sample_leaves_nothing),
		cmocka_unit_test(test_sigkill_mid_sample_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
