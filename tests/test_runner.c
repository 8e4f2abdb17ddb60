// SPDX-License-Identifier: GPL-2.0
/*
 * The runner end to end in the guest: MATRIX=quick N=2 DURATION=2 gives N good
 * records per configuration; an interrupted run resumes with no sample missing
 * or doubled and leaves no QEMU behind; bad input exits 2 naming the value.
 * BPFCOST_TEST_TOPOLOGY=user|tap picks the network (default tap).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/results.h"
#include "loader/bpfcost.h"
#include "testlib.h"

#define QUICK_CONFIGS  5 /* baseline + experiments/matrix.c quick_rows */
#define RUN_TIMEOUT_MS (15 * 60 * 1000)

static char results_root[] = "/tmp/bpfcost-test-results-XXXXXX";

static char *runner(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s", test_out_path("bin/bpfcost-run"));
	return path;
}

static char *topology(void)
{
	char *t = getenv("BPFCOST_TEST_TOPOLOGY");

	return t && *t ? t : "tap";
}

/* SIGKILL the QEMU processes of this test's runs; returns how many. */
static int kill_our_qemu(void)
{
	char path[300], env[1 << 15], mark[64];
	struct dirent *de;
	DIR *d = opendir("/proc");
	size_t len, i;
	int n = 0;
	FILE *f;

	snprintf(mark, sizeof(mark), "BPFCOST_TEST_MARK=%d", (int)getpid());
	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		len = fread(env, 1, 64, f);
		fclose(f);
		if (len < 11 || strncmp(env, "qemu-system", 11))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/environ", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		len = fread(env, 1, sizeof(env), f);
		fclose(f);
		for (i = 0; i < len; i += strlen(env + i) + 1) {
			if (!strcmp(env + i, mark) && !kill(atoi(de->d_name), SIGKILL)) {
				n++;
				break;
			}
		}
	}
	if (d)
		closedir(d);
	return n;
}

struct tally {
	int per_config_sample[QUICK_CONFIGS * 8];
	char names[QUICK_CONFIGS][96];
	int n_names;
	int records, errors, bad_hits;
	int disturbed; /* kept in the folder, redone: not samples of the row */
	int disturbed_in[QUICK_CONFIGS * 8];
};

static void tally_line(struct tally *t, const cJSON *rec)
{
	const char *name = cJSON_GetObjectItem(rec, "config")->valuestring;
	const cJSON *hits = cJSON_GetObjectItem(rec, "hits_per_event");
	int sample = cJSON_GetObjectItem(rec, "sample")->valueint, i;

	for (i = 0; i < t->n_names && strcmp(t->names[i], name); i++)
		;
	if (i == t->n_names) {
		if (t->n_names >= QUICK_CONFIGS)
			fail_msg("configuration %s beyond the quick matrix's %d", name,
				 QUICK_CONFIGS);
		snprintf(t->names[t->n_names++], sizeof(t->names[0]), "%s", name);
	}
	assert_in_range(sample, 1, 8);
	if (cJSON_IsTrue(cJSON_GetObjectItem(rec, "disturbed")) &&
	    !cJSON_GetObjectItem(rec, "error")) {
		t->disturbed++;
		t->disturbed_in[i * 8 + sample - 1]++;
		return;
	}
	t->per_config_sample[i * 8 + sample - 1]++;
	t->records++;
	t->errors += cJSON_GetObjectItem(rec, "error") != NULL;
	if (strcmp(name, "baseline") &&
	    (!cJSON_IsNumber(hits) || hits->valuedouble < 0.9 || hits->valuedouble > 1.1)) {
		print_error("%s sample %d: hits_per_packet %s\n", name, sample,
			    cJSON_IsNumber(hits) ? "out of [0.9, 1.1]" : "missing");
		t->bad_hits++;
	}
}

static void tally_file(const char *dir, struct tally *t)
{
	char path[4200], line[1 << 14];
	FILE *f;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "r");
	assert_sys_ok(f, path);
	while (fgets(line, sizeof(line), f)) {
		cJSON *rec = cJSON_Parse(line);

		if (!rec)
			fail_msg("%s: a line that is not JSON: %s", path, line);
		tally_line(t, rec);
		cJSON_Delete(rec);
	}
	fclose(f);
}

/* Every configuration has each of samples 1..n exactly once, all good. */
static void assert_complete(const char *dir, int n)
{
	struct tally t;
	int i, s, only_disturbed = 0;

	tally_file(dir, &t);
	print_message("    %s: %d records, %d errors, %d with bad hits, %d disturbed (redone)\n",
		      dir, t.records, t.errors, t.bad_hits, t.disturbed);
	assert_int_equal(t.n_names, QUICK_CONFIGS);
	for (i = 0; i < t.n_names; i++)
		for (s = 0; s < n; s++)
			/* clean once, or disturbed on every try the row's redos allowed */
			if (t.per_config_sample[i * 8 + s] > 1 ||
			    (!t.per_config_sample[i * 8 + s] && !t.disturbed_in[i * 8 + s]))
				fail_msg("%s sample %d recorded %d times", t.names[i], s + 1,
					 t.per_config_sample[i * 8 + s]);
			else
				only_disturbed += !t.per_config_sample[i * 8 + s];
	assert_int_equal(t.records + only_disturbed, QUICK_CONFIGS * n);
	assert_int_equal(t.errors, 0);
	assert_int_equal(t.bad_hits, 0);
}

/* The run's directory from its first stderr line "bpfcost-run: <dir>: ...". */
static void dir_from_line(const char *line, char *dir, size_t len)
{
	const char *start = line + strlen("bpfcost-run: ");

	snprintf(dir, len, "%.*s", (int)strcspn(start, ":"), start);
}

/* The run's first line names its results folder; fails saying how the run ended if not. */
static void start_run(struct child *c, char *const argv[], char *dir, size_t len)
{
	char line[4096];

	assert_int_equal(child_start(c, argv), 0);
	close(c->in);
	c->in = -1;
	if (child_wait_line(c, "bpfcost-run: /", line, sizeof(line), 30000))
		fail_msg("bpfcost-run gave no results folder (%s): %s", child_how(c), c->last_err);
	dir_from_line(line, dir, len);
}

static void test_quick_matrix_n2(void **state)
{
	char *argv[] = { runner(), "-m", "quick", "-n",	      "2",  "-t",	  "2",
			 "-w",	   "1",	 "-T",	  topology(), "-o", results_root, NULL };
	char line[4096], dir[4096], path[4200];
	int code, ret;
	struct child c;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	ret = child_wait_line(&c, "bpfcost-run: results in", line, sizeof(line), RUN_TIMEOUT_MS);
	if (ret)
		fail_msg("run did not finish (%s, %s); last line: %s",
			 ret == -ETIMEDOUT ? "timed out" : "stopped", child_how(&c), c.last_err);
	code = child_wait(&c, 60000);
	assert_int_equal(code, 0);
	assert_complete(dir, 2);
	/* the report step ran at the end */
	snprintf(path, sizeof(path), "%s/table.txt", dir);
	assert_int_equal(access(path, R_OK), 0);
	assert_int_equal(count_marked_qemu(), 0);
}

static int count_lines(const char *dir)
{
	char path[4200], line[1 << 14];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n;
}

static void test_interrupt_then_resume(void **state)
{
	static char said[1 << 15];
	char *argv[] = { runner(), "-m", "quick",    "-n",	    "2",  "-t",		"1", "-w",
			 "0",	   "-T", topology(), "--no-report", "-o", results_root, NULL };
	char line[4096], dir[4096];
	int code, lines;
	struct child c;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	/*
	 * Interrupt once three samples are on disk. The runner prints a progress
	 * line per sample, so each line read is the moment to look again.
	 */
	said[0] = '\0';
	while (count_lines(dir) < 3) {
		int ret = child_wait_line(&c, "", line, sizeof(line), RUN_TIMEOUT_MS);

		/* every line kept: the reason a run ends early is rarely its last line */
		if (!ret && strlen(said) + strlen(line) + 2 < sizeof(said))
			strcat(strcat(said, line), "\n");
		if (ret == -ECHILD)
			fail_msg(
				"bpfcost-run ended (%s) after %d records, before 3; it said:\n%s%s",
				child_how(&c), count_lines(dir), said, c.last_err);
		if (ret == -ETIMEDOUT)
			fail_msg("no output from bpfcost-run for %d s", RUN_TIMEOUT_MS / 1000);
	}
	kill(c.pid, SIGINT);
	code = child_wait(&c, 120000);
	lines = count_lines(dir);
	print_message("    interrupted after %d records, exit %d\n", lines, code);
	assert_int_equal(code, 130);
	assert_in_range(lines, 3, QUICK_CONFIGS * 2 - 1);
	assert_int_equal(count_marked_qemu(), 0);

	{
		char *resume[] = { runner(), "--resume", dir, "--no-report", NULL };
		char out[4096], err[1 << 16];

		code = run_capture(resume, out, sizeof(out), err, sizeof(err), RUN_TIMEOUT_MS);
		if (code)
			fail_msg("resume exit %d: %s", code, err);
		assert_contains(err, "resuming:");
	}
	assert_complete(dir, 2);
	assert_int_equal(count_marked_qemu(), 0);
}

/*
 * QEMU dies under the runner mid-run: the sample under way is not recorded as
 * a result, the guest is restarted (noted in the manifest) and the run
 * finishes with every sample good.
 */
static void test_guest_killed_mid_run_is_restarted(void **state)
{
	char *argv[] = { runner(), "-m", "quick",    "-n",	    "2",  "-t",		"1", "-w",
			 "0",	   "-T", topology(), "--no-report", "-o", results_root, NULL };
	char line[4096], dir[4096], err[512];
	const cJSON *restarts;
	struct child c;
	cJSON *man;
	int code, ret;

	(void)state;
	start_run(&c, argv, dir, sizeof(dir));
	if (child_wait_line(&c, "[2/", line, sizeof(line), RUN_TIMEOUT_MS))
		fail_msg("no second sample (%s): %s", child_how(&c), c.last_err);
	assert_int_equal(kill_our_qemu(), 1);
	ret = child_wait_line(&c, "bpfcost-run: results in", line, sizeof(line), RUN_TIMEOUT_MS);
	if (ret)
		fail_msg("run did not finish (%s): %s", child_how(&c), c.last_err);
	code = child_wait(&c, 60000);
	assert_int_equal(code, 0);
	assert_complete(dir, 2);
	man = results_read_json(dir, "manifest.json", err, sizeof(err));
	if (!man)
		fail_msg("%s/manifest.json: %s", dir, err);
	restarts = cJSON_GetObjectItem(man, "target_restarts");
	assert_int_equal(cJSON_GetArraySize(restarts), 1);
	cJSON_Delete(man);
	assert_int_equal(count_marked_qemu(), 0);
}

static void expect_usage(char *const argv[], const char *needle)
{
	char out[4096], err[4096];
	int code = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);

	assert_int_equal(code, BPFCOST_EXIT_USAGE);
	if (!strstr(err, needle))
		fail_msg("stderr lacks '%s': %s", needle, err);
}

static void test_bad_input_exits_2(void **state)
{
	char *matrix[] = { runner(), "-m", "nosuch", "-o", results_root, NULL };
	char *n0[] = { runner(), "-n", "0", NULL };
	char *dur[] = { runner(), "-t", "ten", NULL };
	char *topo[] = { runner(), "-T", "bridge", NULL };
	char *resume[] = { runner(), "--resume", "/nonexistent", NULL };

	(void)state;
	expect_usage(matrix, "'nosuch': not a named matrix ( all seed quick full spin-ladder "
			     "flood-ladder latency-ladder )");
	expect_usage(n0, "bad N (samples per configuration) '0'");
	expect_usage(dur, "bad duration 'ten'");
	expect_usage(topo, "bad topology 'bridge'; valid: user tap");
	expect_usage(resume, "no usable manifest.json");
}

static int remove_results(void **state)
{
	char *rm[] = { "rm", "-rf", results_root, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_input_exits_2),
		cmocka_unit_test(test_quick_matrix_n2),
		cmocka_unit_test(test_interrupt_then_resume),
		cmocka_unit_test(test_guest_killed_mid_run_is_restarted),
	};

	char mark[32];

	snprintf(mark, sizeof(mark), "%d", (int)getpid());
	setenv("BPFCOST_TEST_MARK", mark, 1);
	if (!mkdtemp(results_root))
		return 1;
	return cmocka_run_group_tests(tests, NULL, remove_results);
}
