// SPDX-License-Identifier: GPL-2.0
/*
 * A sweep folder's sweep.json is hostile input: mutated copies of a good one
 * never yield a folder outside the sweep, a strange string or too many runs;
 * and bpfcost-report SWEEP_DIR compares the runs it lists, showing a pending,
 * failed or planted (symlink) run as its status, never as numbers.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/files.h"
#include "analysis/sweep_index.h"
#include "testlib.h"

static char base[] = "/tmp/bpfcost-test-sweep-XXXXXX";
static char out[1 << 16], err[1 << 16];

static const char good[] =
	"{\"schema_version\":1,\"kind\":\"kernels\",\"variable\":\"kernel\",\"runs\":["
	"{\"name\":\"6.1.0-57-cloud-amd64\",\"dir\":\"k61\",\"status\":\"done\"},"
	"{\"name\":\"6.12.117+deb12-cloud-amd64\",\"dir\":\"k612\",\"status\":\"done\"},"
	"{\"name\":\"6.12.110\",\"dir\":\"lnk\",\"status\":\"done\"},"
	"{\"name\":\"6.1.0-40\",\"dir\":\"k40\",\"status\":\"pending\"},"
	"{\"name\":\"6.1.0-41\",\"dir\":\"k41\",\"status\":\"failed\","
	"\"error\":\"guest did not boot\"}]}";

static bool plain(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* Whatever is accepted is safe to use: plain names inside the sweep, plain strings. */
static void expect_safe(const struct sweep_index *s, const char *text)
{
	for (size_t i = 0; i < s->n_runs; i++) {
		const struct sweep_index_run *r = &s->runs[i];

		/* a run that never got a folder ("" dir) is fine unless it claims to be done */
		bool no_folder = !r->dir[0] && strcmp(r->status, "done");

		if ((!no_folder && !sweep_index_dir_ok(r->dir)) || !plain(r->name) ||
		    !plain(r->error) ||
		    (strcmp(r->status, "done") && strcmp(r->status, "pending") &&
		     strcmp(r->status, "failed")))
			fail_msg("accepted an unsafe run %zu (dir '%s', status '%s') from: %s", i,
				 r->dir, r->status, text);
	}
	assert_cmp_int(s->n_runs, <=, SWEEP_INDEX_RUNS_MAX);
}

static void test_good_sweep_parses(void **state)
{
	char why[256] = "";
	struct sweep_index s;

	(void)state;
	if (sweep_index_parse(good, &s, why, sizeof(why)))
		fail_msg("good sweep.json refused: %s", why);
	assert_cmp_int(s.n_runs, ==, 5);
	assert_string_equal(s.variable, "kernel");
	assert_string_equal(s.runs[4].error, "guest did not boot");
	expect_safe(&s, good);
}

/* A kernel that failed before it was prepared (no release, no folder) as the sweep writes it. */
static void test_unprepared_run_accepted(void **state)
{
	static const char text[] =
		"{\"schema_version\":1,\"kind\":\"kernels\",\"variable\":\"kernel\",\"runs\":["
		"{\"name\":\"\",\"dir\":\"\",\"kernel\":\"6.0\",\"status\":\"failed\","
		"\"error\":\"no kernel of series 6.0\"},"
		"{\"name\":\"\",\"dir\":\"\",\"kernel\":\"6.1\",\"status\":\"pending\"},"
		"{\"name\":\"6.12.117+deb12-cloud-amd64\",\"dir\":\"k612\",\"status\":\"done\"}]}";
	char why[256] = "";
	struct sweep_index s;

	(void)state;
	if (sweep_index_parse(text, &s, why, sizeof(why)))
		fail_msg("a sweep with unprepared runs refused: %s", why);
	assert_cmp_int(s.n_runs, ==, 3);
	assert_string_equal(s.runs[0].dir, "");
	assert_string_equal(s.runs[0].name, "(not prepared)");
	assert_string_equal(s.runs[0].error, "no kernel of series 6.0");
	expect_safe(&s, text);
}

static void test_bad_sweeps_refused(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "[]", "not a JSON object" },
		{ "{\"schema_version\":2,\"runs\":[]}", "schema_version" },
		{ "{\"schema_version\":1}", "no \"runs\"" },
		{ "{\"schema_version\":1,\"runs\":[{\"dir\":\"../x\",\"status\":\"done\"}]}",
		  "runs[0].dir" },
		{ "{\"schema_version\":1,\"runs\":[{\"dir\":\"a/b\",\"status\":\"done\"}]}",
		  "runs[0].dir" },
		{ "{\"schema_version\":1,\"runs\":[{\"dir\":\".\",\"status\":\"done\"}]}",
		  "runs[0].dir" },
		{ "{\"schema_version\":1,\"runs\":[{\"dir\":\"a\\u001b\",\"status\":\"done\"}]}",
		  "runs[0].dir" },
		{ "{\"schema_version\":1,\"runs\":[{\"dir\":\"a\",\"status\":\"weird\"}]}",
		  "runs[0].status" },
		{ "{\"schema_version\":1,\"runs\":[{\"dir\":\"a\",\"status\":\"done\"},"
		  "{\"dir\":\"a\",\"status\":\"done\"}]}",
		  "repeats" },
		{ "{\"schema_version\":1,\"runs\":[1]}", "not an object" },
		/* only a run that is not done may lack its folder */
		{ "{\"schema_version\":1,\"runs\":[{\"dir\":\"\",\"status\":\"done\"}]}",
		  "runs[0].dir" },
	};
	char why[256];
	struct sweep_index s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (!sweep_index_parse(bad[i].text, &s, why, sizeof(why)))
			fail_msg("accepted: %s", bad[i].text);
		assert_contains(why, bad[i].why);
		assert_cmp_int(s.n_runs, ==, 0);
	}
}

/* Fuzz-style: thousands of seeded mutations of the good file, every outcome judged. */
static void test_mutations_never_unsafe(void **state)
{
	static const char *const inserts[] = { "/", "..", "\\u0000", "\\u001b", "\"",
					       "{", "]",  "1e999",   "null",	"\\\"" };
	char text[sizeof(good) + 64], why[256];
	unsigned int seed = 21;
	size_t accepted = 0;

	(void)state;
	for (int round = 0; round < 5000; round++) {
		size_t len = sizeof(good) - 1, at;
		struct sweep_index s;

		memcpy(text, good, len + 1);
		seed = seed * 1103515245u + 12345u;
		at = (seed >> 8) % len;
		switch (round % 3) {
		case 0: /* a byte flipped */
			text[at] = (char)(seed >> 16);
			if (!text[at])
				text[at] = 1;
			break;
		case 1: /* cut short */
			text[at] = '\0';
			break;
		default: { /* something hostile inserted */
			const char *ins =
				inserts[(seed >> 20) % (sizeof(inserts) / sizeof(*inserts))];
			size_t n = strlen(ins);

			memmove(text + at + n, text + at, len - at + 1);
			memcpy(text + at, ins, n);
		}
		}
		if (!sweep_index_parse(text, &s, why, sizeof(why))) {
			accepted++;
			expect_safe(&s, text);
		}
	}
	/* Some mutations (inside a name) stay valid: the safe path was exercised too. */
	assert_cmp_int(accepted, >, 0);
}

/* A run folder @name in the sweep: baseline 100, tp-null 100 + @add, 3 samples. */
static void make_run(const char *name, const char *kernel, double add)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s/samples.jsonl", base, name);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 2; k++)
			fprintf(f,
				"{\"config\":\"%s\",\"attach\":%s,\"probe\":%s,\"stats\":false,"
				"\"block\":%d,\"sample\":%d,\"order\":0,\"ns_per_call\":%g,"
				"\"calls\":1000,\"metric\":{\"name\":\"time per call\","
				"\"field\":\"ns_per_call\",\"unit\":\"instructions/call\","
				"\"scale\":1,\"higher_is_better\":false,\"event\":\"call\","
				"\"clock\":\"instructions\"}}\n",
				k ? "tp-null" : "baseline", k ? "\"tp\"" : "null",
				k ? "\"null\"" : "null", i, i + 1, 100 + k * add);
	assert_int_equal(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/%s/manifest.json", base, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{\"target\":\"guest\",\"target_info\":{\"info\":{\"kernel_release\":\"%s\"}}}",
		kernel);
	assert_int_equal(fclose(f), 0);
}

static void put(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int report(void)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-report"), "-q", base, NULL };

	return run_capture(argv, out, sizeof(out), err, sizeof(err), 60000);
}

static void test_sweep_folder_compared(void **state)
{
	char path[PATH_MAX], target[PATH_MAX], *txt;
	size_t len;

	(void)state;
	make_run("k61", "6.1.0-57-cloud-amd64", 300);
	make_run("k612", "6.12.117+deb12-cloud-amd64", 250);
	/* "lnk" is planted: a symlink to a run elsewhere, never followed */
	snprintf(target, sizeof(target), "%s/k61", base);
	snprintf(path, sizeof(path), "%s/lnk", base);
	assert_int_equal(symlink(target, path), 0);
	put("sweep.json", good);
	assert_cmp_int(report(), ==, 0);
	snprintf(path, sizeof(path), "%s/compare.txt", base);
	assert_int_equal(infile_read(AT_FDCWD, path, 1 << 20, &txt, &len), 0);
	assert_contains(txt, "A = 6.1.0-57-cloud-amd64");
	assert_contains(txt, "-50.0 (exact)");
	/* Runs without numbers: their status in the notes, and in their cells of the md */
	assert_contains(txt, "6.1.0-40: pending");
	assert_contains(txt, "6.1.0-41: failed: guest did not boot");
	assert_contains(txt, "6.12.110: unreadable: folder lnk: not a folder");
	assert_not_contains(txt, "nan");
	free(txt);
	snprintf(path, sizeof(path), "%s/compare.md", base);
	assert_int_equal(infile_read(AT_FDCWD, path, 1 << 20, &txt, &len), 0);
	assert_contains(txt, "| -50.0 (exact) | unreadable: folder lnk: not a folder (a symbolic "
			     "link is not followed) | - | pending | - | failed: guest did not boot "
			     "| - |");
	free(txt);
	/* sweep.json planted as a FIFO or a symlink: refused, never waited on */
	snprintf(path, sizeof(path), "%s/sweep.json", base);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_cmp_int(report(), ==, 2);
	assert_contains(err, "sweep.json");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	assert_cmp_int(report(), ==, 2);
	assert_contains(err, "symbolic link");
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", base, NULL };
	char o[64], e[256];

	(void)state;
	return run_capture(argv, o, sizeof(o), e, sizeof(e), 30000) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_sweep_parses),
		cmocka_unit_test(test_unprepared_run_accepted),
		cmocka_unit_test(test_bad_sweeps_refused),
		cmocka_unit_test(test_mutations_never_unsafe),
		cmocka_unit_test(test_sweep_folder_compared),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
