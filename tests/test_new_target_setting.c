// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a target setting is one row in the target's file. In a COPY of the
 * tree, experiments/targets/host.c alone gets a declared argument with a check
 * that refuses some values. Then: the usual `make` builds it; `bpfcost-run
 * --help` and `make help` list it with its help text; a refused value stops
 * the runner with exit 2 naming the setting; `make experiment TARGET=host
 * TARGET_ARGS="name=value"` (root) runs and records the value in the
 * manifest's "target_args", which a resume judges again; and host.c is the
 * only file of the copy that differs from the checkout.
 */
#include <limits.h>
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

#include "testlib.h"
#include "tree_copy.h"

#define BUILD_MS (15 * 60 * 1000)
#define RUN_MS	 (5 * 60 * 1000)

#define SETTING "zz_shade"
#define HELP	"throw-away: red or blue"

/* The row and its check, as a target's author would write them. */
static const char check_fn[] =
	"/* test_new_target_setting's throw-away setting. */\n"
	"static int check_zz_shade(const char *value, char *err, size_t errlen)\n"
	"{\n"
	"\tif (!strcmp(value, \"red\") || !strcmp(value, \"blue\"))\n"
	"\t\treturn 0;\n"
	"\tsnprintf(err, errlen, \"" SETTING " '%s': red or blue\", value);\n"
	"\treturn -1;\n"
	"}\n\n";
static const char row[] = "{ \"" SETTING "\", \"red\", \"" HELP "\", check_zz_shade }, ";

static char copy[256];
static char path_buf[PATH_MAX + 512];
static char out[1 << 20], err[1 << 20];

static const char *in_copy(const char *rel)
{
	snprintf(path_buf, sizeof(path_buf), "%s/tree/%s", copy, rel);
	return path_buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/*
 * host.c with the check before the ops and the row first in .args (a list of
 * its own declared settings, or a new one after .summary's line).
 */
static void add_setting(void)
{
	char *src = slurp(in_copy("experiments/targets/host.c"));
	const char *ops, *at;
	const char *insert;
	FILE *f;

	if (!src)
		fail_msg("cannot read %s, expected the host target's file", path_buf);
	ops = strstr(src, "const struct target_ops host_target = {");
	if (!ops)
		fail_msg("host.c lacks 'const struct target_ops host_target = {'; it holds:\n%s",
			 test_excerpt(src));
	at = strstr(ops, ".args = {");
	if (at) {
		at += strlen(".args = {");
		insert = row;
	} else {
		at = strstr(ops, "\t.summary");
		at = at ? strstr(at, ",\n") : NULL;
		if (!at)
			fail_msg("host_target has no '.summary = ...,' line: %s",
				 test_excerpt(ops));
		at += 2;
		insert = NULL;
	}
	f = fopen(in_copy("experiments/targets/host.c"), "w");
	assert_sys_ok(f, path_buf);
	fprintf(f, "%.*s%s%.*s", (int)(ops - src), src, check_fn, (int)(at - ops), ops);
	if (insert)
		fputs(insert, f);
	else
		fprintf(f, "\t.args = { %s},\n", row);
	fputs(at, f);
	assert_int_equal(fclose(f), 0);
	free(src);
}

static int make_copy(void **state)
{
	char out_arg[NAME_MAX + 8];
	char *make[] = { "make", "-s", "-C", NULL, out_arg, "all", NULL };
	int code;

	(void)state;
	if (tree_copy("target-setting", false, copy, sizeof(copy)))
		return -1;
	add_setting();
	snprintf(out_arg, sizeof(out_arg), "OUT=%s", tree_copy_out());
	make[3] = strdup(in_copy(""));
	code = run_capture(make, out, sizeof(out), err, sizeof(err), BUILD_MS);
	free(make[3]);
	if (code) {
		print_error("make in the copy: exit %d, expected 0; stderr:\n%s\n", code,
			    test_excerpt(err));
		tree_copy_remove();
		return -1;
	}
	return 0;
}

static int drop_copy(void **state)
{
	(void)state;
	tree_copy_remove();
	return 0;
}

static const char *runner(void)
{
	static char path[PATH_MAX + 512];
	char rel[NAME_MAX + 32];

	snprintf(rel, sizeof(rel), "%s/bin/bpfcost-run", tree_copy_out());
	snprintf(path, sizeof(path), "%s", in_copy(rel));
	return path;
}

static void test_listed_by_help_and_make_help(void **state)
{
	char run[PATH_MAX + 512], tree[PATH_MAX + 512], out_arg[NAME_MAX + 8];
	char *help[] = { run, "--help", NULL };
	char *make_help[] = { "make", "-s", "-C", tree, out_arg, "help", NULL };
	int code;

	(void)state;
	snprintf(run, sizeof(run), "%s", runner());
	snprintf(tree, sizeof(tree), "%s", in_copy(""));
	snprintf(out_arg, sizeof(out_arg), "OUT=%s", tree_copy_out());
	code = run_capture(help, out, sizeof(out), err, sizeof(err), 30000);
	if (code)
		fail_msg("bpfcost-run --help: exit %d, expected 0; stderr: %s", code, err);
	assert_contains(out, "      " SETTING "=red");
	assert_contains(out, HELP);
	code = run_capture(make_help, out, sizeof(out), err, sizeof(err), BUILD_MS);
	if (code)
		fail_msg("make help: exit %d, expected 0; stderr: %s", code, test_excerpt(err));
	assert_contains(out, SETTING "=red");
	assert_contains(out, HELP);
}

/* Checked before anything starts: no root needed. */
static void test_refused_value_exits_2_naming_it(void **state)
{
	char run[PATH_MAX + 512], results[PATH_MAX + 16];
	char *argv[] = { run,	  "--target", "host", "--workload",   "trigger",	"-n",
			 "1",	  "-t",	      "1",    "--target-arg", SETTING "=green", "-o",
			 results, NULL };
	int code;

	(void)state;
	snprintf(run, sizeof(run), "%s", runner());
	snprintf(results, sizeof(results), "%s/refused", copy);
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
	if (code != 2 || !strstr(err, SETTING " 'green'"))
		fail_msg("--target-arg " SETTING "=green: exit %d, stderr '%s'; expected exit 2 "
			 "naming " SETTING " 'green'",
			 code, test_excerpt(err));
	if (!access(results, F_OK))
		fail_msg("%s exists (%s), expected no results folder for refused settings", results,
			 test_file_kind(results));
}

/* The results folder bpfcost-run named on stderr, relative to the copy's tree. */
static void results_dir(char *dir, size_t len)
{
	const char *line = strstr(err, "bpfcost-run: results in ");
	char rel[PATH_MAX];

	if (!line)
		fail_msg("expected 'bpfcost-run: results in' on stderr, got:\n%s",
			 test_excerpt(err));
	line += strlen("bpfcost-run: results in ");
	snprintf(rel, sizeof(rel), "%.*s", (int)strcspn(line, "\n"), line);
	if (rel[0] == '/')
		snprintf(dir, len, "%s", rel);
	else
		snprintf(dir, len, "%s", in_copy(rel));
}

/* The recorded value is judged again on resume: one the check refuses stops it by name. */
static void resume_refuses_edited_value(const char *dir, const char *manifest)
{
	char run[PATH_MAX + 512], dir_arg[PATH_MAX + 512];
	char *resume[] = { run, "--resume", dir_arg, "--no-report", NULL };
	char *text = slurp(manifest);
	cJSON *man = text ? cJSON_Parse(text) : NULL;
	cJSON *args = cJSON_GetObjectItemCaseSensitive(man, "target_args");
	FILE *f;
	int code;

	snprintf(run, sizeof(run), "%s", runner());
	snprintf(dir_arg, sizeof(dir_arg), "%s", dir);
	if (!cJSON_ReplaceItemInObjectCaseSensitive(args, SETTING, cJSON_CreateString("pink")))
		fail_msg("%s: cannot set target_args." SETTING "; manifest: %s", manifest,
			 test_excerpt(text));
	free(text);
	text = cJSON_Print(man);
	f = fopen(manifest, "w");
	assert_sys_ok(f, manifest);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(text);
	cJSON_Delete(man);
	code = run_capture(resume, out, sizeof(out), err, sizeof(err), 30000);
	if (code != 2 || !strstr(err, SETTING " 'pink'"))
		fail_msg("--resume with " SETTING "=pink recorded: exit %d, stderr '%s'; expected "
			 "exit 2 naming " SETTING " 'pink'",
			 code, test_excerpt(err));
}

static void test_experiment_records_it(void **state)
{
	char tree[PATH_MAX + 512], out_arg[NAME_MAX + 8], matrix[PATH_MAX + 16];
	char matrix_arg[PATH_MAX + 32], dir[PATH_MAX + 512], manifest[PATH_MAX + 600];
	/* The host target needs no guest: -o guest keeps make from building one. */
	char *make[] = { "make",
			 "-s",
			 "-C",
			 tree,
			 out_arg,
			 "-o",
			 "guest",
			 "experiment",
			 "TARGET=host",
			 "WORKLOAD=trigger",
			 matrix_arg,
			 "N=1",
			 "DURATION=1",
			 "ARGS=calls=20000",
			 "TARGET_ARGS=" SETTING "=blue",
			 NULL };
	const char *got;
	cJSON *man;
	char *text;
	FILE *f;
	int code;

	(void)state;
	if (geteuid())
		skip();
	snprintf(tree, sizeof(tree), "%s", in_copy(""));
	snprintf(out_arg, sizeof(out_arg), "OUT=%s", tree_copy_out());
	snprintf(matrix, sizeof(matrix), "%s/matrix", copy);
	snprintf(matrix_arg, sizeof(matrix_arg), "MATRIX=%s", matrix);
	f = fopen(matrix, "w");
	assert_sys_ok(f, matrix);
	fputs("tp-null\n", f);
	assert_int_equal(fclose(f), 0);

	code = run_capture(make, out, sizeof(out), err, sizeof(err), RUN_MS);
	if (code)
		fail_msg("make experiment TARGET=host TARGET_ARGS=" SETTING "=blue: exit %d, "
			 "expected 0; stderr:\n%s",
			 code, test_excerpt(err));
	results_dir(dir, sizeof(dir));
	snprintf(manifest, sizeof(manifest), "%s/manifest.json", dir);
	text = slurp(manifest);
	if (!text)
		fail_msg("%s: cannot read (%s), expected the run's manifest", manifest,
			 test_file_kind(manifest));
	man = cJSON_Parse(text);
	got = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(man, "target_args"), SETTING));
	if (!got || strcmp(got, "blue"))
		fail_msg("manifest target_args." SETTING " is %s, expected \"blue\"; manifest: %s",
			 got ? got : "absent", test_excerpt(text));
	cJSON_Delete(man);
	free(text);
	resume_refuses_edited_value(dir, manifest);
}

/* The copy's own repository: only host.c edited, nothing added or removed. */
static void test_only_host_c_changed(void **state)
{
	(void)state;
	assert_int_equal(tree_copy_changes(out, sizeof(out)), 0);
	if (strcmp(out, " M experiments/targets/host.c\n"))
		fail_msg("files changed in the copy:\n%s\nexpected only ' M "
			 "experiments/targets/host.c'",
			 test_excerpt(out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listed_by_help_and_make_help),
		cmocka_unit_test(test_refused_value_exits_2_naming_it),
		cmocka_unit_test(test_experiment_records_it),
		cmocka_unit_test(test_only_host_c_changed),
	};

	return cmocka_run_group_tests(tests, make_copy, drop_copy);
}
