// SPDX-License-Identifier: GPL-2.0
/*
 * The sweep's layout and its resume (sweep.h) on fake values: no root, no
 * QEMU, no make. A fake prepare names each value (or fails), a fake run
 * makes an ordinary results folder (a manifest) and ends as scripted. Checked:
 * one folder per value under the sweep, sweep.json's statuses and errors, a
 * resume that skips what is done and resumes what began, the budget, Ctrl-C,
 * and sweep.json read back as hostile input.
 */
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/results.h"
#include "experiments/sweep.h"
#include "testlib.h"

#define MAX_VALUES 8

struct fake {
	const char *fail_prepare;  /* this value cannot be prepared */
	const char *fail_run;	   /* this value's run fails */
	const char *interrupt_run; /* this value's run is Ctrl-C'd (pending, stop set) */
	const char *rename;	   /* prepare names this value otherwise (a series moved on) */
	const char *same_as;	   /* prepare names this value as another */
	double minutes_per_run;	   /* fake time a run takes */
	int runs[MAX_VALUES];	   /* how often each value ran */
	bool resumed[MAX_VALUES];  /* ran with resume */
	double budget_seen[MAX_VALUES];
	volatile sig_atomic_t stop;
	double clock_s;
};

static struct fake fake;
static struct sweep s;
static char root[64];

static int index_of(const char *value)
{
	return (int)(value[1] - '0'); /* values are "v0", "v1", ... */
}

static int fake_prepare(void *arg, struct sweep_run *r, char *err, size_t errlen)
{
	struct fake *f = arg;

	if (f->fail_prepare && !strcmp(r->value, f->fail_prepare)) {
		snprintf(err, errlen, "make guest for %s failed (exit 2)", r->value);
		return -1;
	}
	if (f->same_as && !strcmp(r->value, f->same_as))
		snprintf(r->name, sizeof(r->name), "release-v0");
	else if (f->rename && !strcmp(r->value, f->rename))
		snprintf(r->name, sizeof(r->name), "release-%.8s-newer", r->value);
	else
		snprintf(r->name, sizeof(r->name), "release-%.8s", r->value);
	return 0;
}

static enum sweep_status fake_run(void *arg, const struct sweep *sw, const struct sweep_run *r,
				  bool resume, double budget_min, char *err, size_t errlen)
{
	struct fake *f = arg;
	int i = index_of(r->value), dfd, sub, fd;
	char e[512];

	f->runs[i]++;
	f->resumed[i] = resume;
	f->budget_seen[i] = budget_min;
	f->clock_s += f->minutes_per_run * 60;
	/* What bpfcost-run --folder makes: the folder and its manifest. */
	dfd = results_open_dir(sw->dir, e, sizeof(e));
	assert_cmp_int(dfd, >=, 0);
	if (!resume)
		assert_sys_ok(!mkdirat(dfd, r->dir, 0755), r->dir);
	sub = openat(dfd, r->dir, O_RDONLY | O_DIRECTORY);
	fd = openat(sub, "manifest.json", O_WRONLY | O_CREAT, 0644);
	assert_sys_ok(fd >= 0, r->dir);
	close(fd);
	close(sub);
	close(dfd);
	if (f->fail_run && !strcmp(r->value, f->fail_run)) {
		snprintf(err, errlen, "bpfcost-run exit 1 (results in %s)", r->dir);
		return SWEEP_FAILED;
	}
	if (f->interrupt_run && !strcmp(r->value, f->interrupt_run)) {
		f->stop = 1;
		return SWEEP_PENDING;
	}
	return SWEEP_DONE;
}

static double fake_now(void)
{
	return fake.clock_s;
}

static const struct sweep_ops ops = { fake_prepare, fake_run, &fake, fake_now };

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
	fake = (struct fake){ 0 };
	snprintf(root, sizeof(root), "/tmp/bpfcost-sweep-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	s = (struct sweep){ .kind = "kernels", .variable = "kernel", .seed = 1234 };
	s.n = 3;
	for (i = 0; i < s.n; i++)
		snprintf(s.runs[i].value, sizeof(s.runs[i].value), "v%d", i);
	s.settings = cJSON_Parse("{\"matrix\":\"all\",\"run_args\":[\"--matrix\",\"all\"]}");
	if (sweep_create(&s, root, "all", err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sweep_free(&s);
	return nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* sweep.json read back through the hostile reader. */
static struct sweep reload(void)
{
	struct sweep r = { .kind = "kernels", .variable = "kernel" };
	char err[1024];

	if (sweep_load(&r, s.dir, err, sizeof(err)))
		fail_msg("sweep.json not read back: %s", err);
	return r;
}

static void check_run(const struct sweep *r, int i, const char *name, enum sweep_status st)
{
	if (strcmp(r->runs[i].name, name) || strcmp(r->runs[i].dir, name) ||
	    r->runs[i].status != st)
		fail_msg("run %d: name '%s' dir '%s' status %s, expected '%s' and %s", i,
			 r->runs[i].name, r->runs[i].dir, sweep_status_str(r->runs[i].status), name,
			 sweep_status_str(st));
}

static void check_folder(const char *name, bool present)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s/manifest.json", s.dir, name);
	if (!stat(path, &st) != present)
		fail_msg("%s: %s, expected %s", path, present ? "missing" : "present",
			 present ? "present" : "missing");
}

static void test_layout_and_statuses(void **state)
{
	struct sweep r;
	int ret;

	(void)state;
	fake.fail_run = "v1";
	ret = sweep_loop(&s, &ops, &fake.stop, 0);
	assert_cmp_int(ret, ==, 1);
	assert_contains(s.dir, "-all-kernels");
	r = reload();
	assert_cmp_int(r.n, ==, 3);
	assert_cmp_int(r.seed, ==, 1234);
	check_run(&r, 0, "release-v0", SWEEP_DONE);
	check_run(&r, 1, "release-v1", SWEEP_FAILED);
	check_run(&r, 2, "release-v2", SWEEP_DONE);
	/* The failed one says why; the others ran all the same. */
	assert_contains(r.runs[1].error, "bpfcost-run exit 1");
	assert_string_equal(r.runs[2].value, "v2");
	check_folder("release-v0", true);
	check_folder("release-v2", true);
	assert_cmp_int(fake.runs[0] + fake.runs[1] + fake.runs[2], ==, 3);
	sweep_free(&r);
}

static void test_prepare_failure_and_duplicate(void **state)
{
	struct sweep r;

	(void)state;
	fake.fail_prepare = "v1";
	fake.same_as = "v2"; /* names the same kernel as v0 */
	assert_cmp_int(sweep_loop(&s, &ops, &fake.stop, 0), ==, 1);
	r = reload();
	check_run(&r, 0, "release-v0", SWEEP_DONE);
	check_run(&r, 1, "", SWEEP_FAILED);
	check_run(&r, 2, "", SWEEP_FAILED);
	assert_contains(r.runs[1].error, "make guest for v1 failed");
	assert_contains(r.runs[2].error, "the same kernel as v0");
	assert_cmp_int(fake.runs[1] + fake.runs[2], ==, 0);
	sweep_free(&r);
}

/* Ctrl-C in run 2: it stays pending, run 3 is not started; RESUME finishes both, once each. */
static void test_interrupt_then_resume(void **state)
{
	struct sweep r;

	(void)state;
	fake.interrupt_run = "v1";
	assert_cmp_int(sweep_loop(&s, &ops, &fake.stop, 0), ==, 130);
	r = reload();
	check_run(&r, 0, "release-v0", SWEEP_DONE);
	check_run(&r, 1, "release-v1", SWEEP_PENDING);
	check_run(&r, 2, "release-v2", SWEEP_PENDING);
	assert_cmp_int(fake.runs[2], ==, 0);
	fake.interrupt_run = NULL;
	fake.stop = 0;
	assert_cmp_int(sweep_loop(&r, &ops, &fake.stop, 0), ==, 0);
	/* Done is skipped, the begun one resumed in its folder, the pending one started. */
	assert_cmp_int(fake.runs[0], ==, 1);
	assert_cmp_int(fake.runs[1], ==, 2);
	assert_cmp_int(fake.resumed[1], ==, true);
	assert_cmp_int(fake.runs[2], ==, 1);
	assert_cmp_int(fake.resumed[2], ==, false);
	sweep_free(&r);
	r = reload();
	check_run(&r, 1, "release-v1", SWEEP_DONE);
	check_run(&r, 2, "release-v2", SWEEP_DONE);
	sweep_free(&r);
}

/* A series that resolves to a newer kernel on resume is not the run begun. */
static void test_resume_name_moved(void **state)
{
	struct sweep r;

	(void)state;
	fake.interrupt_run = "v0";
	assert_cmp_int(sweep_loop(&s, &ops, &fake.stop, 0), ==, 130);
	fake = (struct fake){ .rename = "v0" };
	r = reload();
	assert_cmp_int(sweep_loop(&r, &ops, &fake.stop, 0), ==, 1);
	check_run(&r, 0, "release-v0", SWEEP_FAILED);
	assert_contains(r.runs[0].error, "v0 now names release-v0-newer, not release-v0");
	assert_cmp_int(fake.runs[1] + fake.runs[2], ==, 2);
	sweep_free(&r);
}

/* BUDGET across the sweep: each run gets what is left; none starts once it is spent. */
static void test_budget(void **state)
{
	struct sweep r;

	(void)state;
	fake.minutes_per_run = 4;
	assert_cmp_int(sweep_loop(&s, &ops, &fake.stop, 6), ==, 0);
	assert_near(fake.budget_seen[0], 6, 1e-9);
	assert_near(fake.budget_seen[1], 2, 1e-9);
	assert_cmp_int(fake.runs[2], ==, 0);
	r = reload();
	check_run(&r, 2, "release-v2", SWEEP_PENDING);
	sweep_free(&r);
}

static void write_sweep(const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sweep.json", s.dir);
	unlink(path);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	fputs(text, f);
	fclose(f);
}

static void test_hostile_sweep_json(void **state)
{
	static const struct {
		const char *runs, *says;
	} bad[] = {
		{ "[{\"name\":\"a\",\"dir\":\"a\",\"kernel\":\"6.1\",\"status\":\"finished\"}]",
		  "status 'finished': pending, done or failed" },
		{ "[{\"name\":\"..\",\"dir\":\"..\",\"kernel\":\"6.1\",\"status\":\"done\"}]",
		  "a plain name" },
		{ "[{\"name\":\"a\",\"dir\":\"../../"
		  "etc\",\"kernel\":\"6.1\",\"status\":\"pending\"}]",
		  "a plain name" },
		{ "[{\"name\":\"a/b\",\"dir\":\"a/b\",\"kernel\":\"6.1\",\"status\":\"done\"}]",
		  "a plain name" },
		{ "[{\"name\":\"a\",\"dir\":\"a\",\"kernel\":\"6.1\",\"status\":\"done\"},"
		  "{\"name\":\"a\",\"dir\":\"a\",\"kernel\":\"6.12\",\"status\":\"done\"}]",
		  "share the folder 'a'" },
		{ "[{\"name\":\"a\",\"dir\":\"a\",\"status\":\"done\"}]",
		  "\"kernel\" is not a string" },
		{ "[]", "runs is not a list of 1 to 64" },
		{ "{}", "runs is not a list" },
	};
	char text[4200], err[1024];
	struct sweep r = { .kind = "kernels", .variable = "kernel" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "{\"schema_version\":1,\"kind\":\"kernels\",\"variable\":\"kernel\","
			 "\"settings\":{},\"seed\":1,\"runs\":%s}",
			 bad[i].runs);
		write_sweep(text);
		if (!sweep_load(&r, s.dir, err, sizeof(err)))
			fail_msg("accepted: %s", text);
		assert_contains(err, bad[i].says);
	}
	write_sweep("{\"schema_version\":2}");
	assert_cmp_int(sweep_load(&r, s.dir, err, sizeof(err)), ==, -1);
	assert_contains(err, "schema_version is not 1");
	write_sweep("{\"schema_version\":1,\"kind\":\"fleet\",\"variable\":\"kernel\"}");
	assert_cmp_int(sweep_load(&r, s.dir, err, sizeof(err)), ==, -1);
	assert_contains(err, "not a sweep of kind \"kernels\"");
	write_sweep("{\"schema_version\":1,\"kind\":\"kernels\",\"variable\":\"kernel\","
		    "\"settings\":{},\"seed\":-1,\"runs\":[]}");
	assert_cmp_int(sweep_load(&r, s.dir, err, sizeof(err)), ==, -1);
	assert_contains(err, "seed is not an unsigned integer");
	/* A link in place of sweep.json is not followed. */
	snprintf(text, sizeof(text), "%s/sweep.json", s.dir);
	unlink(text);
	assert_sys_ok(!symlink("/etc/hostname", text), text);
	assert_cmp_int(sweep_load(&r, s.dir, err, sizeof(err)), ==, -1);
	assert_contains(err, "sweep.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout_and_statuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_failure_and_duplicate, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_then_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_name_moved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_sweep_json, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
