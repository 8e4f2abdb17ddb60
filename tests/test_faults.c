// SPDX-License-Identifier: GPL-2.0
/*
 * Nothing lost, nothing counted twice, nothing left behind: the runner is
 * SIGKILLed at 20 random points of a MATRIX=quick N=2 run on the host target
 * (seeded, so a failure can be replayed with BPFCOST_FAULT_SEED), each time
 * followed by --resume, until the run completes. Then every (configuration,
 * block) has exactly one record, and no network namespace, veth device, BPF
 * program or temporary folder of ours is left. The same on the guest target
 * (the trigger workload, TCG): no QEMU, tap device or bpfcost-guest.* folder
 * left either; BPFCOST_FAULT_GUEST_KILLS sets its kills (default 20, 0 skips).
 */
#include <dirent.h>
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "testlib.h"

#define KILLS	       20
#define QUICK_CONFIGS  5
#define N	       2
#define RUN_TIMEOUT_MS (5 * 60 * 1000)

static char results[] = "/tmp/bpfcost-test-faults-XXXXXX";
/* The guest runs' TMPDIR: their temporary folders counted here, apart from other runs'. */
static char guest_tmp[] = "/tmp/bpfcost-test-faults-tmp-XXXXXX";

static char *runner(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s", test_out_path("bin/bpfcost-run"));
	return path;
}

/* Our runner's temporary folders (the guest's are bpfcost-guest.*; the host target has none). */
static int count_tmp_dirs(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += !strncmp(de->d_name, "bpfcost-guest.", 14);
	if (d)
		closedir(d);
	return n;
}

/* (configuration, block) pairs recorded, and how often each. */
static void check_exactly_once(const char *dir)
{
	char path[4200], line[1 << 14], names[QUICK_CONFIGS][96];
	int count[QUICK_CONFIGS][N] = { { 0 } }, dist[QUICK_CONFIGS][N] = { { 0 } };
	int n_names = 0, records = 0, disturbed = 0, i, b;
	FILE *f;

	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "r");
	assert_sys_ok(f, path);
	while (fgets(line, sizeof(line), f)) {
		cJSON *rec = cJSON_Parse(line);
		const char *name;

		if (!rec)
			fail_msg("line %d of %s is not a complete record: %s", records + 1, path,
				 line);
		name = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "config"));
		b = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(rec, "block"));
		if (!name)
			fail_msg("line %d of %s has no config: %s", records + 1, path, line);
		assert_in_range(b, 0, N - 1);
		for (i = 0; i < n_names && strcmp(names[i], name); i++)
			;
		if (i == n_names) {
			if (n_names >= QUICK_CONFIGS)
				fail_msg("%s: configuration %s beyond the quick matrix's %d", path,
					 name, QUICK_CONFIGS);
			snprintf(names[n_names++], sizeof(names[0]), "%s", name);
		}
		/* A disturbed record is kept beside its redo: not a second sample. */
		if (cJSON_IsTrue(cJSON_GetObjectItem(rec, "disturbed")) &&
		    !cJSON_GetObjectItem(rec, "error"))
			disturbed += ++dist[i][b] > 0;
		else
			count[i][b]++;
		records++;
		cJSON_Delete(rec);
	}
	fclose(f);
	print_message("    %d records (%d disturbed, redone), %d configurations\n", records,
		      disturbed, n_names);
	assert_int_equal(n_names, QUICK_CONFIGS);
	for (i = 0; i < n_names; i++)
		for (b = 0; b < N; b++)
			/*
			 * Once, clean; or, when the machine disturbed every try and the
			 * row's redos ran out, only disturbed records (never a gap).
			 */
			if (count[i][b] > 1 || (!count[i][b] && !dist[i][b]))
				fail_msg("%s block %d recorded %d times, expected once", names[i],
					 b, count[i][b]);
}

/* Appends what @fd has within @ms to @tail, keeping its last @len - 1 bytes. */
static void keep_tail(int fd, char *tail, size_t len, int ms)
{
	char chunk[4096];
	ssize_t n = read_all(fd, chunk, sizeof(chunk), ms);
	size_t used = strlen(tail);

	if (n <= 0) {
		poll(NULL, 0, 10); /* at EOF read_all() returns at once: no busy loop */
		return;
	}
	if (used + n >= len) {
		size_t drop = used + n - (len - 1);

		drop = drop > used ? used : drop;
		memmove(tail, tail + drop, used - drop + 1);
		used -= drop;
	}
	n = (size_t)n > len - 1 - used ? (ssize_t)(len - 1 - used) : n;
	memcpy(tail + used, chunk, n);
	tail[used + n] = '\0';
}

/*
 * child_wait(), keeping the tail of what the run says on stderr, where the
 * reason for a failure is: child_wait() closes the pipe, so it is read while
 * the run lasts (and a full pipe never stalls it).
 */
static int wait_keeping_stderr(struct child *c, char *tail, size_t len)
{
	tail[0] = '\0';
	for (int waited = 0; !child_exited(c) && waited < RUN_TIMEOUT_MS; waited += 100)
		keep_tail(c->err, tail, len, 100);
	keep_tail(c->err, tail, len, 100); /* what it wrote just before it ended */
	return child_wait(c, RUN_TIMEOUT_MS);
}

/*
 * Run one folder to completion through SIGKILLs at random moments, the first
 * 200 ms to @max_ms into each run or resume; returns the kills.
 */
static int run_through_kills(char *const start[], int max_ms, char *dir, size_t len, int budget)
{
	char *resume[] = { runner(), "--resume", dir, "--no-report", NULL };
	static char said[16384];
	char line[4096];
	int kills = 0, code = -1;

	dir[0] = '\0';
	while (code != 0) {
		struct child c;

		assert_int_equal(child_start(&c, dir[0] ? resume : start), 0);
		close(c.in);
		c.in = -1;
		if (!dir[0]) {
			const char *p;

			if (child_wait_line(&c, "bpfcost-run: /", line, sizeof(line), 30000))
				fail_msg("no results folder (%s): %s", child_how(&c), c.last_err);
			p = line + strlen("bpfcost-run: ");
			snprintf(dir, len, "%.*s", (int)strcspn(p, ":"), p);
		}
		if (kills < budget) {
			/* The fault point: a random moment of the run, not a wait for anything. */
			poll(NULL, 0, 200 + rand() % (max_ms - 200));
			if (!child_exited(&c)) {
				kill(c.pid, SIGKILL);
				kills++;
			}
		}
		code = wait_keeping_stderr(&c, said, sizeof(said));
		if (code != 0 && code != -SIGKILL)
			fail_msg("run or resume ended with %d (expected 0 or SIGKILL): %s\n%s",
				 code, c.last_err, said);
	}
	return kills;
}

static int run_host_through_kills(char *dir, size_t len, int budget)
{
	/*
	 * No calibration ramp: it takes longer than the kill interval, so every
	 * kill would land in it and none in a sample (Ctrl-C in the ramp is
	 * test_host_target's).
	 */
	char *start[] = { runner(),
			  "--target",
			  "host",
			  "-m",
			  "quick",
			  "-n",
			  "2",
			  "-t",
			  "1",
			  "-w",
			  "0",
			  "--arg",
			  "calibrate=off",
			  "--no-report",
			  "-o",
			  results,
			  NULL };
	return run_through_kills(start, 2700, dir, len, budget);
}

static void test_sigkill_at_random_points_then_resume(void **state)
{
	int ns = count_marked_net_namespaces(), devs = count_bpfc_devices(),
	    tmps = count_tmp_dirs("/tmp");
	unsigned int seed = getenv("BPFCOST_FAULT_SEED")
				    ? (unsigned int)atoi(getenv("BPFCOST_FAULT_SEED"))
				    : (unsigned int)time(NULL);
	int kills = 0, runs = 0, i;
	char dir[4096];

	(void)state;
	print_message("    seed %u (BPFCOST_FAULT_SEED replays it)\n", seed);
	srand(seed);
	/* A run that completes before all the kills are spent: the next one takes the rest. */
	while (kills < KILLS && runs < KILLS) {
		kills += run_host_through_kills(dir, sizeof(dir), KILLS - kills);
		runs++;
		check_exactly_once(dir);
	}
	print_message("    %d SIGKILLs over %d runs, each completed by --resume\n", kills, runs);
	assert_int_equal(kills, KILLS);
	/* Children die with the runner but the kernel frees namespaces a moment later. */
	for (i = 0;
	     i < 1000 && (count_marked_net_namespaces() != ns || count_bpfcost_programs() != 0);
	     i++)
		poll(NULL, 0, 10);
	assert_int_equal(count_marked_net_namespaces(), ns);
	assert_int_equal(count_bpfc_devices(), devs);
	assert_int_equal(count_bpfcost_programs(), 0);
	assert_int_equal(count_tmp_dirs("/tmp"), tmps);
}

/*
 * The guest target: each kill may land while QEMU boots, in a hit check or a
 * sample; every resume boots a new guest, which reclaims the killed run's
 * temporary folder. Runs until the kills are spent, then to completion.
 */
static void test_guest_sigkill_at_random_points_then_resume(void **state)
{
	char *start[] = { runner(),	"--target",    "guest", "--workload", "trigger", "--arg",
			  "calls=2000", "-m",	       "quick", "-n",	      "2",	 "--check",
			  "1",		"--accel",     "tcg",	"--pin",      "off",	 "--bind",
			  "off",	"--no-report", "-o",	results,      NULL };
	const char *env = getenv("BPFCOST_FAULT_GUEST_KILLS");
	int budget = env ? atoi(env) : KILLS, devs = count_bpfc_devices(), kills = 0, runs = 0;
	unsigned int seed = getenv("BPFCOST_FAULT_SEED")
				    ? (unsigned int)atoi(getenv("BPFCOST_FAULT_SEED"))
				    : (unsigned int)time(NULL);
	char dir[4096], mark[32];
	int i;

	(void)state;
	if (budget <= 0)
		skip();
	print_message("    seed %u, %d kills (BPFCOST_FAULT_SEED, BPFCOST_FAULT_GUEST_KILLS)\n",
		      seed, budget);
	srand(seed);
	snprintf(mark, sizeof(mark), "%d", (int)getpid());
	setenv("BPFCOST_TEST_MARK", mark, 1);
	setenv("TMPDIR", guest_tmp, 1);
	/*
	 * Boot under TCG takes seconds: kills spread over boot, checks and samples
	 * (a resume that finishes first ends its run; the next run takes the rest).
	 */
	while (kills < budget && runs < 3 * budget) {
		kills += run_through_kills(start, 10000, dir, sizeof(dir), budget - kills);
		runs++;
		check_exactly_once(dir);
	}
	unsetenv("TMPDIR");
	print_message("    %d SIGKILLs over %d runs, each completed by --resume\n", kills, runs);
	/* QEMU dies with the runner (its parent-death signal) a moment after it. */
	for (i = 0; i < 1000 && (count_marked_qemu() || count_bpfc_devices() > devs); i++)
		poll(NULL, 0, 10);
	if (count_marked_qemu() || count_bpfc_devices() > devs || count_tmp_dirs(guest_tmp) ||
	    count_bpfcost_programs())
		fail_msg("left behind: %d QEMU, %d bpfc* devices (%d before), %d bpfcost-guest.* "
			 "folders, %d BPF programs; expected none new",
			 count_marked_qemu(), count_bpfc_devices(), devs, count_tmp_dirs(guest_tmp),
			 count_bpfcost_programs());
	if (kills != budget)
		fail_msg("%d SIGKILLs landed in %d runs; expected %d", kills, runs, budget);
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", results, guest_tmp, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_at_random_points_then_resume),
		cmocka_unit_test(test_guest_sigkill_at_random_points_then_resume),
	};
	char mark[32];

	if (!mkdtemp(results) || !mkdtemp(guest_tmp))
		return 1;
	/* Our runs' processes carry it: other runs' namespaces and QEMUs are not counted. */
	snprintf(mark, sizeof(mark), "%d", (int)getpid());
	setenv("BPFCOST_TEST_MARK", mark, 1);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
