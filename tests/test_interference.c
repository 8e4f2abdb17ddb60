// SPDX-License-Identifier: GPL-2.0
/*
 * Interference figures: exact arithmetic on hand-written fake /proc trees
 * (known deltas, our tree three levels deep, a foreign tree, a process that
 * vanished, missing and malformed files), the verdict, the JSON, and one live
 * window on the real /proc with a CPU hog that is not ours.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/interference.h"
#include "testlib.h"

#define expect_near(actual, expected)                                                              \
	do {                                                                                       \
		double a_ = (actual), e_ = (expected);                                             \
		if (!(fabs(a_ - e_) <= 1e-9 * (1 + fabs(e_)))) {                                   \
			print_error("%s: actual %.12g, expected %.12g\n", #actual, a_, e_);        \
			fail();                                                                    \
		}                                                                                  \
	} while (0)

#define expect_nan(actual)                                                                         \
	do {                                                                                       \
		double a_ = (actual);                                                              \
		if (!isnan(a_)) {                                                                  \
			print_error("%s: actual %.12g, expected NAN\n", #actual, a_);              \
			fail();                                                                    \
		}                                                                                  \
	} while (0)

/* ---- fake /proc ---- */

static void put(const char *dir, const char *rel, const char *text)
{
	char path[4096], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	/* mkdir -p of the parents */
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void put_pid(const char *dir, int pid, const char *comm, int ppid, long long ut,
		    long long st, long long cut, long long cst)
{
	char rel[64], text[512];

	snprintf(rel, sizeof(rel), "%d/stat", pid);
	/* the real layout; tpgid -1 as for a process without a terminal */
	snprintf(text, sizeof(text),
		 "%d (%s) S %d %d %d 0 -1 4194560 1234 0 5 0 %lld %lld %lld %lld 20 0 1 0 "
		 "4242 10485760 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		 pid, comm, ppid, pid, pid, ut, st, cut, cst);
	put(dir, rel, text);
}

static void rm_pid(const char *dir, int pid)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%d/stat", dir, pid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%d", dir, pid);
	rmdir(path);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static const char stat_tail[] =
	"intr 123456 0 9 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	"ctxt 987654\nbtime 1764400000\nprocesses 4242\n"
	"procs_running 2\nprocs_blocked 0\nsoftirq 1 2 3 4 5 6 7 8 9 10 11\n";

static void put_stat(const char *dir, const char *cpu_lines)
{
	char *text;

	assert_cmp_int(asprintf(&text, "%s%s", cpu_lines, stat_tail), >, 0);
	put(dir, "stat", text);
	free(text);
}

#define STAT_A                                                                                     \
	"cpu  1000 20 400 9000 10 0 5 30 0 0\n"                                                    \
	"cpu0 300 0 100 2000 5 0 1 10 0 0\n"                                                       \
	"cpu1 100 10 50 2500 1 0 2 5 0 0\n"                                                        \
	"cpu2 200 0 100 2400 2 0 1 7 0 0\n"                                                        \
	"cpu3 400 10 150 2100 2 0 1 8 0 0\n"
/* busy +50 +150 +130 +20 ticks, steal +1 +4 +6 +2 */
#define STAT_B                                                                                     \
	"cpu  1250 30 480 9400 10 0 5 43 0 0\n"                                                    \
	"cpu0 350 0 100 2100 5 0 1 11 0 0\n"                                                       \
	"cpu1 200 20 90 2600 1 0 2 9 0 0\n"                                                        \
	"cpu2 290 0 140 2500 2 0 1 13 0 0\n"                                                       \
	"cpu3 410 10 160 2200 2 0 1 10 0 0\n"

#define PSI_A                                                                                      \
	"some avg10=1.00 avg60=0.50 avg300=0.10 total=1000000\n"                                   \
	"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
#define PSI_B                                                                                      \
	"some avg10=9.00 avg60=2.50 avg300=0.60 total=1300000\n"                                   \
	"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"

#define ROOT	 100
#define WINDOW_S 2.0
static const int watched[] = { 1, 2 };
/* Over the window: watched busy 150+130, steal 4+6, PSI 0.3 s, our tree 56 ticks. */
#define BUSY_TICKS  280.0
#define STEAL_TICKS 10.0
#define OWN_TICKS   56.0
/* kthreadd and a ksoftirqd under it: set apart from other processes' time */
#define KTHREAD_TICKS 20.0

/*
 * Before: runner 100 -> {101 qemu -> 102 iperf3 -> 300 -> 50 (pid wrapped),
 * 103 sh}; foreign 200 -> 201, 202; init 1. After: 103 exited and was reaped
 * by 100 (its 8+2 became 11+2 ticks in 100's cutime/cstime), 104 started under
 * 102, 202 exited (not ours). Our tree's deltas: 100 +3 own +13 reaped, 101 +30,
 * 102 +10, 300 +5, 50 +1, 104 +4, 103 -10 (gone): 56 ticks.
 */
static void put_world(const char *dir, bool after)
{
	char path[4096];

	put_stat(dir, after ? STAT_B : STAT_A);
	put(dir, "pressure/cpu", after ? PSI_B : PSI_A);
	put(dir, "uptime", "12345.67 23456.78\n");
	put(dir, "sys/kernel/ostype", "Linux\n");
	/* a process that exited between readdir and open: a folder without stat */
	snprintf(path, sizeof(path), "%s/555", dir);
	mkdir(path, 0755);
	put_pid(dir, 1, "systemd", 0, 500, 300, 9000, 4000);
	put_pid(dir, 2, "kthreadd", 0, 3, 4, 0, 0);
	put_pid(dir, 12, "ksoftirqd/0", 2, 10, after ? 30 : 10, 0, 0);
	put_pid(dir, 200, "stress", 1, after ? 150 : 50, 3, 0, 0);
	put_pid(dir, 201, "stress-worker", 200, after ? 270 : 70, 1, 0, 0);
	put_pid(dir, ROOT, "bpfcost-run", 1, after ? 12 : 10, after ? 6 : 5, after ? 11 : 0,
		after ? 2 : 0);
	put_pid(dir, 101, "qemu-system-x86", ROOT, after ? 40 : 20, after ? 20 : 10, 0, 0);
	put_pid(dir, 102, "iperf3", 101, after ? 10 : 5, after ? 10 : 5, 0, 0);
	/* comm may hold ") S 1 (": only the last ')' ends it */
	put_pid(dir, 300, "we ird) S 1 (x", 102, after ? 4 : 1, after ? 3 : 1, 0, 0);
	put_pid(dir, 50, "wrapped", 300, after ? 3 : 2, 0, 0, 0);
	if (after) {
		rm_pid(dir, 103);
		rm_pid(dir, 202);
		put_pid(dir, 104, "new", 102, 4, 0, 0, 0);
	} else {
		rm_pid(dir, 104); /* from an earlier window in the same folder */
		put_pid(dir, 103, "sh", ROOT, 8, 2, 0, 0);
		put_pid(dir, 202, "cron", 1, 7, 7, 0, 0);
	}
}

struct fake {
	char dir[64];
	long hz;
};

static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/bpfcost-interference-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	f->hz = sysconf(_SC_CLK_TCK);
	*state = f;
	return 0;
}

static int fake_teardown(void **state)
{
	struct fake *f = *state;

	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Snapshots before and after with a fixed 2 s window; @mangle breaks "after". */
static void window(struct fake *f, const int *cpus, int ncpus, pid_t root,
		   void (*mangle)(const char *dir), struct interference *out,
		   struct interference_snap *sa, struct interference_snap *sb)
{
	put_world(f->dir, false);
	assert_int_equal(interference_snap_at(f->dir, sa, root, cpus, ncpus), 0);
	put_world(f->dir, true);
	if (mangle)
		mangle(f->dir);
	assert_int_equal(interference_snap_at(f->dir, sb, root, cpus, ncpus), 0);
	sa->t = 100.0;
	sb->t = 100.0 + WINDOW_S;
	interference_diff(sa, sb, out);
}

static void test_fake_window_exact_figures(void **state)
{
	struct fake *f = *state;
	struct interference_snap a, b;
	struct interference w;
	double hz = f->hz;

	window(f, watched, 2, ROOT, NULL, &w, &a, &b);
	assert_int_equal(a.nprocs, 12);
	assert_int_equal(b.nprocs, 11);
	assert_int_equal(a.ntree, 6);
	assert_int_equal(b.ntree, 6);
	assert_int_equal(w.ncpus, 2);
	expect_near(w.elapsed_s, WINDOW_S);
	expect_near(w.psi_some_pct, 15.0);
	expect_near(w.own_cpu, OWN_TICKS / hz / WINDOW_S);
	expect_near(w.kthread_cpu, KTHREAD_TICKS / hz / WINDOW_S);
	expect_near(w.foreign_cpu, (BUSY_TICKS - OWN_TICKS - KTHREAD_TICKS) / hz / WINDOW_S);
	expect_near(w.steal_pct, STEAL_TICKS / hz / (WINDOW_S * 2) * 100);
}

/* No CPU list: every cpuN line, not the aggregate "cpu" line. */
static void test_fake_all_cpus(void **state)
{
	struct fake *f = *state;
	struct interference_snap a, b;
	struct interference w;
	double hz = f->hz;

	window(f, NULL, 0, ROOT, NULL, &w, &a, &b);
	assert_int_equal(w.ncpus, 4);
	expect_near(w.foreign_cpu, (350 - OWN_TICKS - KTHREAD_TICKS) / hz / WINDOW_S);
	expect_near(w.steal_pct, 13 / hz / (WINDOW_S * 4) * 100);
}

/* Our tree busier than the watched CPUs (it ran elsewhere): foreign clamps at 0. */
static void test_fake_foreign_clamps_at_zero(void **state)
{
	struct fake *f = *state;
	struct interference_snap a, b;
	struct interference w;
	const int cpu3 = 3;

	window(f, &cpu3, 1, ROOT, NULL, &w, &a, &b);
	expect_near(w.own_cpu, OWN_TICKS / f->hz / WINDOW_S);
	expect_near(w.foreign_cpu, 0);
}

static void no_psi(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/pressure/cpu", dir);
	assert_int_equal(unlink(path), 0);
}

static void test_missing_psi_is_nan(void **state)
{
	struct fake *f = *state;
	struct interference_snap a, b;
	struct interference w;

	window(f, watched, 2, ROOT, no_psi, &w, &a, &b);
	expect_nan(w.psi_some_pct);
	/* the rest unaffected */
	expect_near(w.foreign_cpu, (BUSY_TICKS - OWN_TICKS - KTHREAD_TICKS) / f->hz / WINDOW_S);
}

static void cpu1_not_a_number(const char *dir)
{
	put_stat(dir, "cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 350 0 100 2100 5 0 1 11 0 0\n"
		      "cpu1 200 2x0 90 2600 1 0 2 9 0 0\ncpu2 290 0 140 2500 2 0 1 13 0 0\n");
}

static void cpu_lines_without_steal(const char *dir)
{
	/* an old kernel's four fields: busy is there, steal is not */
	put_stat(dir, "cpu  1 2 3 4\ncpu1 200 20 90 2600\ncpu2 290 0 140 2500\n");
}

static void cpu2_missing(const char *dir)
{
	put_stat(dir, "cpu  1 2 3 4 5 6 7 8 9 10\ncpu1 200 20 90 2600 1 0 2 9 0 0\n");
}

static void cpu2_twice(const char *dir)
{
	put_stat(dir, "cpu  1 2 3 4 5 6 7 8 9 10\ncpu1 200 20 90 2600 1 0 2 9 0 0\n"
		      "cpu2 290 0 140 2500 2 0 1 13 0 0\ncpu2 290 0 140 2500 2 0 1 13 0 0\n");
}

static void cpu_line_too_long(const char *dir)
{
	char text[16384];
	int n;

	/* 10 000 blanks inside cpu1's line: more than the reader's buffer holds */
	n = snprintf(text, sizeof(text), "cpu  1 2 3\ncpu1 200");
	memset(text + n, ' ', 10000);
	snprintf(text + n + 10000, sizeof(text) - n - 10000,
		 "20 90 2600 1 0 2 9 0 0\ncpu2 290 0 140 2500 2 0 1 13 0 0\n");
	put_stat(dir, text);
}

static void stat_empty(const char *dir)
{
	put(dir, "stat", "");
}

static void psi_total_empty(const char *dir)
{
	put(dir, "pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=\n");
}

static void psi_total_garbage(const char *dir)
{
	put(dir, "pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=12x\n");
}

static void psi_only_full(const char *dir)
{
	put(dir, "pressure/cpu", "full avg10=0.00 avg60=0.00 avg300=0.00 total=1300000\n");
}

static void root_truncated(const char *dir)
{
	put(dir, "100/stat", "100 (bpfcost-run) S 1 100 100 0 -1 4194560 1234 0 5 0 12");
}

static void member_negative_time(const char *dir)
{
	put_pid(dir, 102, "iperf3", 101, 10, 10, -5, 0);
}

static void foreign_garbage(const char *dir)
{
	put(dir, "201/stat", "hello, world\n");
	put(dir, "202/stat", "202 (x) S\n");
}

static void test_malformed_is_nan_not_garbage(void **state)
{
	static const struct {
		const char *what;
		void (*mangle)(const char *dir);
		bool busy, steal, psi, own; /* still readable */
	} cases[] = {
		{ "cpu1 field 2x0", cpu1_not_a_number, false, false, true, true },
		{ "cpu lines without steal", cpu_lines_without_steal, true, false, true, true },
		{ "watched cpu2 missing", cpu2_missing, false, false, true, true },
		{ "cpu2 line twice", cpu2_twice, false, false, true, true },
		{ "cpu1 line longer than the buffer", cpu_line_too_long, false, false, true, true },
		{ "/proc/stat empty", stat_empty, false, false, true, true },
		{ "PSI total= empty", psi_total_empty, true, true, false, true },
		{ "PSI total=12x", psi_total_garbage, true, true, false, true },
		{ "PSI without a some line", psi_only_full, true, true, false, true },
		{ "root's stat truncated", root_truncated, true, true, true, false },
		{ "a member's cutime -5", member_negative_time, true, true, true, false },
		{ "foreign stat garbage", foreign_garbage, true, true, true, true },
	};
	struct fake *f = *state;
	struct interference_snap a, b;
	struct interference w;
	double hz = f->hz;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("    %s\n", cases[i].what);
		window(f, watched, 2, ROOT, cases[i].mangle, &w, &a, &b);
		if (cases[i].busy && cases[i].own)
			expect_near(w.foreign_cpu,
				    (BUSY_TICKS - OWN_TICKS - KTHREAD_TICKS) / hz / WINDOW_S);
		else
			expect_nan(w.foreign_cpu);
		if (cases[i].steal)
			expect_near(w.steal_pct, STEAL_TICKS / hz / (WINDOW_S * 2) * 100);
		else
			expect_nan(w.steal_pct);
		if (cases[i].psi)
			expect_near(w.psi_some_pct, 15.0);
		else
			expect_nan(w.psi_some_pct);
		if (cases[i].own)
			expect_near(w.own_cpu, OWN_TICKS / hz / WINDOW_S);
		else
			expect_nan(w.own_cpu);
	}
}

static void test_window_edge_cases(void **state)
{
	struct fake *f = *state;
	struct interference_snap a, b;
	struct interference w;
	const int cpu1 = 1;

	/* a root that does not exist: nothing of ours, so nothing foreign either */
	window(f, watched, 2, 4242, NULL, &w, &a, &b);
	expect_nan(w.own_cpu);
	expect_nan(w.foreign_cpu);
	expect_near(w.psi_some_pct, 15.0);

	/* no time passed: no rates */
	window(f, watched, 2, ROOT, NULL, &w, &a, &b);
	b.t = a.t;
	interference_diff(&a, &b, &w);
	expect_nan(w.psi_some_pct);
	expect_nan(w.foreign_cpu);
	expect_nan(w.own_cpu);
	expect_nan(w.steal_pct);

	/* counters going backwards (the snapshots swapped): NAN, own clamps at 0 */
	b.t = 100.0;
	a.t = 100.0 + WINDOW_S;
	interference_diff(&b, &a, &w);
	expect_near(w.elapsed_s, WINDOW_S);
	expect_nan(w.foreign_cpu);
	expect_nan(w.psi_some_pct);
	expect_nan(w.steal_pct);
	expect_near(w.own_cpu, 0); /* our tree lost track of 56 ticks: never negative */

	/* snapshots of different CPUs do not compare */
	assert_int_equal(interference_snap_at(f->dir, &b, ROOT, &cpu1, 1), 0);
	b.t = a.t + WINDOW_S;
	interference_diff(&a, &b, &w);
	expect_nan(w.foreign_cpu);
	expect_nan(w.steal_pct);

	/* no /proc at all */
	assert_int_equal(interference_snap_at("/nonexistent-proc", &a, ROOT, NULL, 0), 0);
	assert_int_equal(interference_snap_at("/nonexistent-proc", &b, ROOT, NULL, 0), 0);
	b.t = a.t + 1;
	interference_diff(&a, &b, &w);
	expect_nan(w.foreign_cpu);
	expect_nan(w.own_cpu);
	expect_nan(w.steal_pct);
	expect_nan(w.psi_some_pct);
}

static void test_snap_rejects_bad_cpus(void **state)
{
	struct interference_snap s;
	const int neg = -1, big = CPU_SETSIZE;

	(void)state;
	assert_int_equal(interference_snap(&s, getpid(), &neg, 1), -EINVAL);
	assert_int_equal(interference_snap(&s, getpid(), &big, 1), -EINVAL);
}

static void expect_judge(const struct interference *f, const struct interference_limits *lim,
			 bool want, const char *want_why)
{
	char why[256];
	bool got = interference_judge(f, lim, why, sizeof(why));

	if (got != want || strcmp(why, want_why)) {
		print_error("judge(foreign %g, steal %g, psi %g): actual %s \"%s\", expected %s "
			    "\"%s\"\n",
			    f->foreign_cpu, f->steal_pct, f->psi_some_pct,
			    got ? "disturbed" : "clean", why, want ? "disturbed" : "clean",
			    want_why);
		fail();
	}
}

static void test_judge_thresholds(void **state)
{
	const struct interference_limits def = INTERFERENCE_LIMITS_DEFAULT;
	struct interference_limits all = { .foreign_cpu = 0.25,
					   .steal_pct = 5,
					   .psi_some_pct = 20 };
	struct interference w = { .elapsed_s = 10, .ncpus = 2 };
	char tiny[8];

	(void)state;
	expect_near(def.foreign_cpu, 0.25);
	expect_near(def.steal_pct, 5);
	expect_nan(def.psi_some_pct);

	w.foreign_cpu = 0.25, w.steal_pct = 5, w.psi_some_pct = 99; /* at the limits: clean */
	expect_judge(&w, &def, false, "");
	w.foreign_cpu = 0.62;
	expect_judge(&w, &def, true, "other processes used 0.62 CPU (limit 0.25)");
	w.foreign_cpu = 0.1, w.steal_pct = 7.14;
	expect_judge(&w, &def, true, "host steal 7.1% (limit 5.0%)");
	w.steal_pct = 0, w.psi_some_pct = 43;
	expect_judge(&w, &def, false, ""); /* PSI not judged by default */
	expect_judge(&w, &all, true, "CPU pressure 43.0% (limit 20.0%)");
	w.foreign_cpu = 1.5, w.steal_pct = 12;
	expect_judge(&w, &all, true,
		     "other processes used 1.50 CPU (limit 0.25); host steal 12.0% (limit 5.0%); "
		     "CPU pressure 43.0% (limit 20.0%)");
	/* NAN figures are never disturbed */
	w.foreign_cpu = w.steal_pct = w.psi_some_pct = NAN;
	expect_judge(&w, &all, false, "");
	w.foreign_cpu = 3;
	expect_judge(&w, &all, true, "other processes used 3.00 CPU (limit 0.25)");
	/* a NAN limit disables its criterion */
	all.foreign_cpu = NAN;
	expect_judge(&w, &all, false, "");
	/* a short buffer is cut, never overrun; NULL is fine */
	all.foreign_cpu = 0.25;
	assert_int_equal(interference_judge(&w, &all, tiny, sizeof(tiny)), true);
	assert_string_equal(tiny, "other p");
	assert_int_equal(interference_judge(&w, &all, NULL, 0), true);
}

static void test_json_record(void **state)
{
	struct interference w = { .elapsed_s = 10.5,
				  .psi_some_pct = NAN,
				  .foreign_cpu = 0.62,
				  .own_cpu = 1.25,
				  .steal_pct = 0,
				  .ncpus = 2 };
	cJSON *rec = cJSON_CreateObject(), *o;
	char *s;

	(void)state;
	interference_to_json(&w, false, "", rec);
	/* again, disturbed: replaces, never duplicates */
	interference_to_json(&w, true, "other processes used 0.62 CPU (limit 0.25)", rec);
	s = cJSON_PrintUnformatted(rec);
	print_message("    %s\n", s);
	assert_string_equal(s, "{\"interference\":{\"elapsed_s\":10.5,\"psi_some_pct\":null,"
			       "\"foreign_cpu\":0.62,\"kthread_cpu\":0,\"own_cpu\":1.25,\"steal_"
			       "pct\":0,\"ncpus\":2},"
			       "\"disturbed\":true,"
			       "\"disturbed_why\":\"other processes used 0.62 CPU (limit 0.25)\"}");
	free(s);
	interference_to_json(&w, false, "", rec);
	o = cJSON_GetObjectItemCaseSensitive(rec, "disturbed");
	if (!cJSON_IsFalse(o) || cJSON_GetObjectItemCaseSensitive(rec, "disturbed_why"))
		fail_msg("record %s, expected \"disturbed\":false and no disturbed_why",
			 cJSON_PrintUnformatted(rec));
	cJSON_Delete(rec);
}

/* ---- the real /proc ---- */

/* utime+stime of @pid in seconds, from its /proc stat; -1 if unreadable. */
static double proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_fds(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	assert_sys_ok(dir, "/proc/self/fd");
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

static pid_t fork_or_die(void (*body)(void))
{
	pid_t pid = fork();

	assert_sys_ok(pid >= 0, "fork");
	if (pid == 0) {
		body();
		_exit(0);
	}
	return pid;
}

static void idle_body(void)
{
	for (;;)
		pause();
}

static void hog_body(void)
{
	volatile unsigned long x = 0;

	for (;;)
		x++;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * A hog that is NOT in the root's tree (the root is an idle child; the hog is
 * its sibling). The window lasts until the hog has used 0.5 s CPU, however
 * loaded the machine is; the same window with ourselves as root sees the hog
 * as ours.
 */
static void test_live_foreign_hog(void **state)
{
	struct interference_snap ia, ib, sa, sb;
	struct interference wi, ws;
	double h0, h1 = 0, sum = 0, max = 0, deadline;
	pid_t idle, hog;
	int i, rc[4], fds, rounds = 20;

	(void)state;
	fds = count_fds();
	/* what a snapshot costs on this host, before the hog competes with it */
	for (i = 0; i < rounds; i++) {
		assert_int_equal(interference_snap(&sa, getpid(), NULL, 0), 0);
		sum += sa.cost_s;
		max = sa.cost_s > max ? sa.cost_s : max;
	}
	/* every /proc file closed again */
	assert_int_equal(count_fds(), fds);
	print_message("    per-snapshot cost: mean %.2f ms, max %.2f ms (%d processes, %d CPUs)\n",
		      sum / rounds * 1e3, max * 1e3, sa.nprocs, sa.ncpus);
	if (max > 0.25) {
		print_error("snapshot cost: actual max %.1f ms, expected < 250 ms\n", max * 1e3);
		fail();
	}

	idle = fork_or_die(idle_body);
	hog = fork_or_die(hog_body);
	/* no assert until both are reaped: a failing one would leave the hog running */
	rc[0] = interference_snap(&ia, idle, NULL, 0);
	rc[1] = interference_snap(&sa, getpid(), NULL, 0);
	h0 = proc_cpu_s(hog);
	deadline = now_s() + 60;
	/* wait for the condition, polling: a fixed sleep would be flaky under load */
	while (h0 >= 0 && now_s() < deadline) {
		h1 = proc_cpu_s(hog);
		if (h1 < 0 || h1 - h0 >= 0.5)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
	rc[2] = interference_snap(&ib, idle, NULL, 0);
	rc[3] = interference_snap(&sb, getpid(), NULL, 0);
	reap(hog);
	reap(idle);
	for (i = 0; i < 4; i++)
		assert_int_equal(rc[i], 0);

	if (h0 < 0 || h1 - h0 < 0.5) {
		print_error("hog CPU: actual %.3f s (from %.3f), expected >= 0.5 s within 60 s\n",
			    h1 - h0, h0);
		fail();
	}
	interference_diff(&ia, &ib, &wi);
	interference_diff(&sa, &sb, &ws);
	print_message("    hog %.2f s CPU in %.2f s; root idle: foreign %.2f own %.3f CPU, "
		      "steal %.2f%%, psi %.1f%%; root self: foreign %.2f own %.2f CPU\n",
		      h1 - h0, wi.elapsed_s, wi.foreign_cpu, wi.own_cpu, wi.steal_pct,
		      wi.psi_some_pct, ws.foreign_cpu, ws.own_cpu);
	if (!(wi.foreign_cpu > 0.3)) {
		print_error("foreign_cpu: actual %.3f, expected > 0.3\n", wi.foreign_cpu);
		fail();
	}
	/* every hog second is foreign (a few ticks' slack: /proc/stat is tick-sampled) */
	if (!(wi.foreign_cpu * wi.elapsed_s >= (h1 - h0) * 0.8)) {
		print_error("foreign CPU-s: actual %.3f, expected >= 0.8 * hog's %.3f\n",
			    wi.foreign_cpu * wi.elapsed_s, h1 - h0);
		fail();
	}
	if (!(wi.own_cpu < 0.05)) {
		print_error("own_cpu of an idle root: actual %.3f, expected < 0.05\n", wi.own_cpu);
		fail();
	}
	/* the hog is our child, so with ourselves as root it is ours */
	if (!(ws.own_cpu * ws.elapsed_s >= (h1 - h0) * 0.8)) {
		print_error("own CPU-s with root self: actual %.3f, expected >= 0.8 * hog's %.3f\n",
			    ws.own_cpu * ws.elapsed_s, h1 - h0);
		fail();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fake_window_exact_figures, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_fake_all_cpus, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fake_foreign_clamps_at_zero, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_missing_psi_is_nan, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_is_nan_not_garbage, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_window_edge_cases, fake_setup, fake_teardown),
		cmocka_unit_test(test_snap_rejects_bad_cpus),
		cmocka_unit_test(test_judge_thresholds),
		cmocka_unit_test(test_json_record),
		cmocka_unit_test(test_live_foreign_hog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
