// SPDX-License-Identifier: GPL-2.0
/*
 * How a kernel sweep prepares and runs one kernel, with stand-ins for make
 * and bpfcost-run (scripts that record their arguments): the guest built and
 * named, the same seed and the shared settings on every run, --folder for a
 * new run and --resume for a begun one, the budget left, a Ctrl-C passed on
 * once (the run ends 130: pending), a failed run with its exit status.
 */
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/sweep_kernels.h"
#include "testlib.h"

static char tmp[64], make_sh[128], run_sh[128], args_file[128];
static volatile sig_atomic_t stops;
static struct kernel_sweep ks;
static struct sweep s = { .kind = "kernels", .variable = "kernel", .seed = 987654321 };

static void write_script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	assert_sys_ok(f, path);
	fprintf(f, "#!/bin/sh\n%s", body);
	fclose(f);
	assert_sys_ok(!chmod(path, 0755), path);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	static const char *const shared[] = { "--workload", "trigger", "--clock", "real" };
	char err[256];

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/bpfcost-sweeprun-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(make_sh, sizeof(make_sh), "%s/make.sh", tmp);
	snprintf(run_sh, sizeof(run_sh), "%s/run.sh", tmp);
	snprintf(args_file, sizeof(args_file), "%s/args", tmp);
	snprintf(s.dir, sizeof(s.dir), "%s", tmp);
	ks = (struct kernel_sweep){
		.reg = { tmp, "cloud-amd64", tmp }, .make = make_sh, .run = run_sh, .stop = &stops
	};
	stops = 0;
	return sweep_args_split(4, shared, &ks.a, err, sizeof(err));
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmp, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_sys_ok(f, path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_prepare_builds_and_names(void **state)
{
	struct sweep_run r = { .value = "6.1" };
	char err[512] = "", body[512];

	(void)state;
	/* guest-path prints the folder; the name is its last part. */
	snprintf(body, sizeof(body),
		 "echo \"$*\" >>%s\n"
		 "[ \"$5\" = guest-path ] && echo build/guest/6.1.0-57-cloud-amd64\nexit 0\n",
		 args_file);
	write_script(make_sh, body);
	if (kernel_sweep_prepare(&ks, &r, err, sizeof(err)))
		fail_msg("prepare failed: %s", err);
	assert_string_equal(r.name, "6.1.0-57-cloud-amd64");
	/* A Debian kernel clears KERNEL= and MODULES= a parent make may pass down. */
	assert_contains(slurp(args_file), "guest GUEST_KERNEL_VERSION=6.1 KERNEL= MODULES=\n");
	assert_contains(slurp(args_file), "guest-path GUEST_KERNEL_VERSION=6.1 KERNEL= MODULES=\n");
	write_script(make_sh, "exit 2\n");
	assert_cmp_int(kernel_sweep_prepare(&ks, &r, err, sizeof(err)), ==, -1);
	assert_contains(err, "make guest for 6.1 failed (exit 2");
	/* A range stored in sweep.json is not one kernel. */
	snprintf(r.value, sizeof(r.value), "6.1.0-50..6.1.0-57");
	assert_cmp_int(kernel_sweep_prepare(&ks, &r, err, sizeof(err)), ==, -1);
	assert_contains(err, "one kernel, not a range");
}

static void fake_run_script(const char *then)
{
	char body[1024];

	/* Records its arguments, makes the folder --folder names, then @then. */
	snprintf(body, sizeof(body),
		 "echo \"$*\" >%s\n"
		 "while [ $# -gt 0 ]; do [ \"$1\" = --folder ] && mkdir \"$2\" && "
		 "echo '{\"state\":\"complete\"}' >\"$2/manifest.json\"; shift; done\n%s",
		 args_file, then);
	write_script(run_sh, body);
}

static enum sweep_status run(bool resume, double budget, char *err, size_t len)
{
	struct sweep_run r = { .name = "6.1.0-57-cloud-amd64",
			       .dir = "6.1.0-57-cloud-amd64",
			       .value = "6.1" };

	err[0] = '\0';
	return kernel_sweep_run(&ks, &s, &r, resume, budget, err, len);
}

static void test_new_run_and_resume(void **state)
{
	char err[512], want[512];

	(void)state;
	fake_run_script("exit 0\n");
	assert_cmp_int(run(false, 0, err, sizeof(err)), ==, SWEEP_DONE);
	snprintf(want, sizeof(want),
		 "--workload trigger --clock real --target-arg kernel=6.1.0-57-cloud-amd64 "
		 "--folder %s/6.1.0-57-cloud-amd64 -s 987654321\n",
		 tmp);
	assert_string_equal(slurp(args_file), want);
	/* Begun: resumed in its folder, with the budget that is left. */
	assert_cmp_int(run(true, 2.5, err, sizeof(err)), ==, SWEEP_DONE);
	snprintf(want, sizeof(want), "--resume %s/6.1.0-57-cloud-amd64 --budget 2.500\n", tmp);
	assert_string_equal(slurp(args_file), want);
}

static void test_failed_and_budget_stopped(void **state)
{
	char err[512];
	FILE *f;

	(void)state;
	fake_run_script("exit 1\n");
	assert_cmp_int(run(false, 0, err, sizeof(err)), ==, SWEEP_FAILED);
	assert_contains(err, "bpfcost-run exit 1");
	/* Ended by its budget (exit 0, manifest state "budget"): pending, for RESUME. */
	fake_run_script("exit 0\n");
	snprintf(err, sizeof(err), "%s/6.1.0-57-cloud-amd64/manifest.json", tmp);
	f = fopen(err, "w");
	assert_sys_ok(f, err);
	fputs("{\"state\":\"budget\"}", f);
	fclose(f);
	assert_cmp_int(run(true, 1, err, sizeof(err)), ==, SWEEP_PENDING);
}

/* bpfcost-sweep's handler: count. */
static void count_signal(int sig)
{
	(void)sig;
	stops++;
}

/* Our Ctrl-C reaches the run once; it stops as it does alone (130) and stays pending. */
static void test_ctrl_c_passed_on(void **state)
{
	struct sigaction sa = { .sa_handler = count_signal };
	char err[512], body[256];

	(void)state;
	/* The stand-in plays the terminal: a Ctrl-C to the sweep, none to itself. */
	snprintf(body, sizeof(body),
		 "trap 'echo INT >>%s.sig; exit 130' INT\nkill -INT $PPID\n"
		 "while :; do sleep 1 & wait; done\n",
		 args_file);
	write_script(run_sh, body);
	sigaction(SIGINT, &sa, NULL);
	assert_cmp_int(run(false, 0, err, sizeof(err)), ==, SWEEP_PENDING);
	signal(SIGINT, SIG_DFL);
	assert_cmp_int(stops, ==, 1);
	assert_cmp_int(ks.passed, ==, 1);
	snprintf(err, sizeof(err), "%s.sig", args_file);
	assert_string_equal(slurp(err), "INT\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prepare_builds_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_run_and_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_and_budget_stopped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctrl_c_passed_on, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
