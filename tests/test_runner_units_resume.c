// SPDX-License-Identifier: GPL-2.0
/*
 * Resume units: one check of run settings for the command line and a resumed
 * manifest alike (every field, exact integers), and a results folder whose
 * files were planted (symlinks, FIFOs, hard links) read and written without
 * following or hanging on any of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/manifest.h"
#include "experiments/results.h"
#include "experiments/run_settings.h"
#include "testlib.h"

/* What manifest_new() writes, trimmed to what a resume reads. */
static const char base_manifest[] =
	"{\"matrix\":\"quick\",\"N\":3,\"duration\":2,\"order_seed\":\"12345\","
	"\"target\":\"host\",\"clock\":\"real\",\"topology\":\"tap\","
	"\"workload\":{\"name\":\"trigger\",\"args\":{\"calls\":\"1000\",\"cpu\":\"0\","
	"\"ref\":\"0\"}},"
	"\"settings\":{\"accel\":\"auto\",\"vcpus\":2,\"mem_mb\":512,\"func\":\"udp_recvmsg\","
	"\"spin_ns\":1000,\"hit_check_s\":2,\"pin\":true,\"bind\":true},"
	"\"precision\":{\"target_pct\":5,\"budget_min\":0,\"min_n\":3,\"max_n\":50},"
	"\"configs\":[\"baseline\",\"tp-null\"]}";

static int settings_of(const char *json, char *err, size_t errlen)
{
	struct run_settings rs = { 0 };
	const char **names = NULL;
	cJSON *man = cJSON_Parse(json);
	int count = 0, ret;

	if (!man)
		fail_msg("test bug: not JSON: %s", json);
	err[0] = '\0';
	ret = manifest_settings(man, &rs, &names, &count, err, errlen);
	free(names);
	cJSON_Delete(man);
	return ret;
}

static void test_manifest_base_is_accepted(void **state)
{
	char err[512];

	(void)state;
	if (settings_of(base_manifest, err, sizeof(err)))
		fail_msg("the base manifest was refused: %s; expected it accepted", err);
}

/*
 * Each case replaces one field of the base manifest (a "<key>": value text
 * substitution) and must be refused with an error naming it.
 */
static void test_manifest_bad_fields_refused(void **state)
{
	static const struct {
		const char *from, *to, *expect;
	} cases[] = {
		{ "\"target\":\"host\"", "\"target\":\"nosuchtarget\"", "target 'nosuchtarget'" },
		{ "\"target\":\"host\"", "\"target\":7", "target '(none)'" },
		{ "\"N\":3", "\"N\":1e300", "N: 1.0000000000000001e+300 is not an integer" },
		{ "\"N\":3", "\"N\":2.5", "N: 2.5 is not an integer" },
		{ "\"N\":3", "\"N\":-1", "N: -1 is not an integer" },
		{ "\"N\":3", "\"N\":\"3\"", "N: missing or not a number" },
		{ "\"N\":3", "\"N\":1e999", "N: " },
		{ "\"spin_ns\":1000", "\"spin_ns\":-7", "spin_ns: -7 is not an integer" },
		{ "\"spin_ns\":1000", "\"spin_ns\":1e300", "spin_ns: " },
		{ "\"duration\":2", "\"duration\":1e-300", "duration 1e-300: seconds, 1 to 86400" },
		{ "\"duration\":2", "\"duration\":1e999", "duration" },
		{ "\"hit_check_s\":2", "\"hit_check_s\":-1e300", "hit check -1e+300" },
		{ "\"vcpus\":2", "\"vcpus\":1e300", "vcpus: " },
		{ "\"mem_mb\":512", "\"mem_mb\":64", "mem_mb: 64 is not an integer from 128" },
		{ "\"max_n\":50", "\"max_n\":1e300", "max_n: " },
		{ "\"max_n\":50", "\"max_n\":2", "max-n=2" },
		{ "\"target_pct\":5", "\"target_pct\":-5", "precision -5" },
		{ "\"budget_min\":0", "\"budget_min\":1e300", "budget 1e+300" },
		{ "\"order_seed\":\"12345\"", "\"order_seed\":\"-1\"", "order_seed" },
		{ "\"order_seed\":\"12345\"", "\"order_seed\":\"99999999999999999999\"",
		  "order_seed" },
		{ "\"clock\":\"real\"", "\"clock\":\"wall\"", "clock 'wall'" },
		{ "\"clock\":\"real\"", "\"clock\":\"instructions\"", "CLOCK=instructions" },
		{ "\"topology\":\"tap\"", "\"topology\":\"bridge\"", "topology 'bridge'" },
		{ "\"accel\":\"auto\"", "\"accel\":\"hvf\"", "accel 'hvf'" },
		{ "\"func\":\"udp_recvmsg\"", "\"func\":\"a;id\"", "func 'a;id'" },
		{ "\"name\":\"trigger\"", "\"name\":\"nosuch\"", "workload.name" },
		{ "\"calls\":\"1000\"", "\"calls\":\"-5\"", "trigger: calls '-5'" },
		{ "\"ref\":\"0\"", "\"evil\":\"0\"", "'evil' is not a trigger argument" },
		{ "\"configs\":[\"baseline\",\"tp-null\"]", "\"configs\":[]", "configs: 0 names" },
		{ "\"configs\":[\"baseline\",\"tp-null\"]", "\"configs\":[\"baseline\",3]",
		  "configs: entry 2" },
		{ "\"settings\":{", "\"settings\":7,\"x\":{", "no settings object" },
		{ "\"settings\":{", "\"settings\":{\"redo\":1e300,", "redo: " },
		{ "\"settings\":{", "\"settings\":{\"redo\":2.5,", "redo: 2.5 is not an integer" },
		{ "\"settings\":{", "\"settings\":{\"disturb_cpu\":-1,", "disturb-cpu -1" },
		{ "\"settings\":{", "\"settings\":{\"estimator\":\"x\",", "estimator 'x'" },
		{ "\"settings\":{", "\"settings\":{\"estimator\":7,", "estimator: not a string" },
		{ "\"configs\":", "\"calibration\":{\"args\":{\"calls\":\"1e300\"}},\"configs\":",
		  "calibration.args: trigger: calls '1e300'" },
		{ "\"configs\":", "\"calibration\":{\"args\":{\"evil\":\"1\"}},\"configs\":",
		  "calibration.args: 'evil'" },
	};
	char json[4096], err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *at = strstr(base_manifest, cases[i].from);

		if (!at)
			fail_msg("test bug: %s not in the base manifest", cases[i].from);
		snprintf(json, sizeof(json), "%.*s%s%s", (int)(at - base_manifest), base_manifest,
			 cases[i].to, at + strlen(cases[i].from));
		if (!settings_of(json, err, sizeof(err)))
			fail_msg("%s: accepted; expected refused with '%s'", cases[i].to,
				 cases[i].expect);
		if (!strstr(err, cases[i].expect))
			fail_msg("%s: refused with '%s'; expected '%s' in it", cases[i].to, err,
				 cases[i].expect);
	}
}

static struct run_settings good_settings(void)
{
	static const char *const iperf_values[] = { "-u -P 8 -b 1G -l 64", "1", "1.2" };
	struct run_settings rs = run_settings_defaults();
	const struct target_ops *t = target_find(rs.target);
	int i;

	memcpy(rs.values, iperf_values, sizeof(iperf_values));
	/* The default target's declared arguments at their defaults, as the command line sets them.
	 */
	for (i = 0; t && i < TARGET_MAX_ARGS && t->args[i].name; i++)
		rs.target_values[i] = t->args[i].dflt;
	/* options_apply_sets() gives the workload's when none is given */
	rs.n = 10;
	rs.duration = 10;
	rs.vcpus = 2;
	return rs;
}

/* The command line's settings go through the same check: each bound on both sides. */
static void test_run_settings_bounds(void **state)
{
	struct run_settings rs;
	char err[512];

	(void)state;
	rs = good_settings();
	if (run_settings_check(&rs, err, sizeof(err)))
		fail_msg("good settings refused: %s; expected accepted", err);
#define REFUSED(field, value, expect)                                                              \
	do {                                                                                       \
		rs = good_settings();                                                              \
		rs.field = value;                                                                  \
		err[0] = '\0';                                                                     \
		if (!run_settings_check(&rs, err, sizeof(err)) || !strstr(err, expect))            \
			fail_msg(#field " = " #value ": got '%s'; expected refused with '%s'",     \
				 err, expect);                                                     \
	} while (0)
	REFUSED(n, 0, "N 0");
	REFUSED(n, RS_N_MAX + 1, "N 100001");
	REFUSED(duration, 1e-300, "duration 1e-300");
	REFUSED(duration, 0.0 / 0.0, "duration");
	REFUSED(duration, 2.5, "whole seconds"); /* iperf3 -t takes whole seconds */
	REFUSED(check_s, -1e300, "hit check");
	REFUSED(spin_ns, -7, "spin_ns -7");
	REFUSED(spin_ns, RS_SPIN_NS_MAX + 1, "spin_ns 100000001");
	REFUSED(vcpus, 65, "vcpus 65");
	REFUSED(mem_mb, 127, "mem 127");
	REFUSED(precision, 1001, "precision 1001");
	REFUSED(budget_min, -1, "budget -1");
	REFUSED(target, "nosuchtarget", "target 'nosuchtarget'");
	REFUSED(target, NULL, "target '(none)'");
	REFUSED(workload, "nosuch", "workload 'nosuch'");
	REFUSED(func, "udp_recvmsg\n", "func");
	REFUSED(func, "", "func");
	REFUSED(values[1], "1e300", "warmup '1e300'");
	REFUSED(redo_limit, -1, "redo -1");
	REFUSED(redo_limit, RS_REDO_MAX + 1, "redo 101");
	REFUSED(disturb_cpu, 0, "disturb-cpu 0");
	REFUSED(disturb_cpu, 1e300, "disturb-cpu");
	REFUSED(estimator, "median-ish", "estimator 'median-ish'");
	REFUSED(estimator, NULL, "estimator '(none)'");
	/* Mann-Whitney's 95% CI needs 4 a side: PRECISION with the robust estimator needs N >= 4.
	 */
	rs = good_settings();
	rs.precision = 5;
	rs.n = 3;
	if (!run_settings_check(&rs, err, sizeof(err)) || !strstr(err, "N >= 4"))
		fail_msg("precision with N=3, robust: got '%s'; expected refused naming N >= 4",
			 err);
	rs.estimator = "mean";
	if (run_settings_check(&rs, err, sizeof(err)))
		fail_msg("precision with N=3, mean: refused with '%s'; expected accepted", err);
	rs = good_settings();
	rs.precision = 5;
	rs.max_n = 5;
	rs.n = 10;
	if (!run_settings_check(&rs, err, sizeof(err)) || !strstr(err, "max-n=5"))
		fail_msg("max-n below N: got '%s'; expected refused naming max-n=5", err);
#undef REFUSED
}

static char folder[] = "/tmp/bpfcost-resume-XXXXXX";
static char victim[4200];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		fail_msg("cannot write %s: %s", path, strerror(errno));
}

static void expect_content(const char *path, const char *expect)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	if (strcmp(buf, expect))
		fail_msg("%s holds '%s'; expected '%s' (written through?)", path, buf, expect);
}

static void expect_err(const char *what, int failed, const char *err, const char *expect)
{
	if (!failed)
		fail_msg("%s: accepted; expected refused with '%s'", what, expect);
	if (!strstr(err, expect))
		fail_msg("%s: refused with '%s'; expected '%s' in it", what, err, expect);
}

static const char *in_folder(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	return path;
}

static int make_folder(void **state)
{
	(void)state;
	if (!mkdtemp(folder))
		return -1;
	snprintf(victim, sizeof(victim), "%s.victim", folder);
	return 0;
}

static int remove_folder(void **state)
{
	char *rm[] = { "rm", "-rf", folder, victim, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

static void no_record(const cJSON *rec, void *arg)
{
	(void)rec;
	++*(int *)arg;
}

/* A planted .lock, samples.jsonl or manifest.json is refused, never followed, never hangs. */
static void test_planted_files_refused(void **state)
{
	char err[512] = "";
	int fd, seen = 0;
	FILE *f;

	(void)state;
	write_file(victim, "precious\n");
	assert_int_equal(symlink(victim, in_folder(".lock")), 0);
	fd = results_lock(folder, err, sizeof(err));
	expect_err(".lock -> victim", fd < 0, err, ".lock: a symbolic link: refused");
	expect_content(victim, "precious\n");

	assert_int_equal(symlink(victim, in_folder("samples.jsonl")), 0);
	f = results_open_samples(folder, err, sizeof(err));
	expect_err("samples.jsonl -> victim (append)", !f, err, "a symbolic link: refused");
	expect_err("samples.jsonl -> victim (read)",
		   results_each(folder, no_record, &seen, err, sizeof(err)) < 0, err,
		   "a symbolic link: refused");
	expect_content(victim, "precious\n");
	assert_int_equal(unlink(in_folder("samples.jsonl")), 0);

	/* A hard link to a file elsewhere would be written through as well. */
	assert_int_equal(link(victim, in_folder("samples.jsonl")), 0);
	f = results_open_samples(folder, err, sizeof(err));
	expect_err("samples.jsonl hard-linked", !f, err, "2 links");
	expect_content(victim, "precious\n");
	assert_int_equal(unlink(in_folder("samples.jsonl")), 0);

	/* A FIFO: opened non-blocking, refused by fstat, no hang. */
	assert_int_equal(mkfifo(in_folder("manifest.json"), 0644), 0);
	expect_err("manifest.json FIFO",
		   !results_read_json(folder, "manifest.json", err, sizeof(err)), err,
		   "not a plain file");
	assert_int_equal(mkfifo(in_folder("samples.jsonl"), 0644), 0);
	expect_err("samples.jsonl FIFO", !results_open_samples(folder, err, sizeof(err)), err,
		   "not a plain file");
	assert_int_equal(unlink(in_folder("samples.jsonl")), 0);
	assert_int_equal(unlink(in_folder("manifest.json")), 0);
	assert_int_equal(unlink(in_folder(".lock")), 0);
}

/* manifest.json planted as a link is replaced by our file; the link's target is untouched. */
static void test_manifest_written_over_a_link(void **state)
{
	cJSON *man = cJSON_Parse(base_manifest), *back;
	char err[512] = "";
	struct stat st;

	(void)state;
	write_file(victim, "precious\n");
	assert_int_equal(symlink(victim, in_folder("manifest.json")), 0);
	assert_int_equal(results_write_json(folder, "manifest.json", man), 0);
	expect_content(victim, "precious\n");
	assert_int_equal(lstat(in_folder("manifest.json"), &st), 0);
	if (!S_ISREG(st.st_mode))
		fail_msg("manifest.json has type %o; expected a regular file", st.st_mode & S_IFMT);
	back = results_read_json(folder, "manifest.json", err, sizeof(err));
	if (!cJSON_Compare(back, man, true))
		fail_msg("manifest.json read back differs (%s); expected what was written", err);
	cJSON_Delete(back);
	cJSON_Delete(man);
	assert_int_equal(unlink(in_folder("manifest.json")), 0);
}

/* results/latest planted as a link to elsewhere is replaced; a linked root is refused. */
static void test_latest_replaced_not_followed(void **state)
{
	char root[4200], dir[4300], target[4300], link[4300], err[512] = "";
	ssize_t n;

	(void)state;
	snprintf(root, sizeof(root), "%s/results", folder);
	assert_int_equal(mkdir(root, 0755), 0);
	unlink(victim);
	assert_int_equal(mkdir(victim, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/latest", root);
	assert_int_equal(symlink(victim, dir), 0);
	if (results_create(root, "t", dir, sizeof(dir), err, sizeof(err)))
		fail_msg("results_create: %s; expected a new folder", err);
	snprintf(target, sizeof(target), "%s/latest", root);
	n = readlink(target, link, sizeof(link) - 1);
	assert_cmp_int(n, >, 0);
	link[n] = '\0';
	if (strcmp(link, strrchr(dir, '/') + 1))
		fail_msg("latest -> '%s'; expected '%s'", link, strrchr(dir, '/') + 1);
	assert_int_equal(rmdir(victim), 0); /* still empty: nothing went into it */

	snprintf(target, sizeof(target), "%s/linked", folder);
	assert_int_equal(symlink(root, target), 0);
	expect_err("results root as a link",
		   results_create(target, "t", dir, sizeof(dir), err, sizeof(err)) != 0, err,
		   "not a folder");
}

/* A crash mid-line: a cut record is dropped, a whole one that lost its newline is kept. */
static void test_samples_tail_repaired(void **state)
{
	static const struct {
		const char *before, *after;
	} cases[] = {
		{ "{\"a\":1}\n{\"a\":", "{\"a\":1}\n" },
		{ "{\"a\":1}\n{\"a\":2}", "{\"a\":1}\n{\"a\":2}\n" },
		{ "{\"a\":1}\n", "{\"a\":1}\n" },
	};
	char err[512] = "";
	size_t i;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(in_folder("samples.jsonl"), cases[i].before);
		f = results_open_samples(folder, err, sizeof(err));
		if (!f)
			fail_msg("'%s': %s; expected opened", cases[i].before, err);
		fclose(f);
		expect_content(in_folder("samples.jsonl"), cases[i].after);
	}
	assert_int_equal(unlink(in_folder("samples.jsonl")), 0);
}

/* Records counted line by line: a NUL inside one, a cut last line, a line past the cap. */
static void test_samples_read_bounded(void **state)
{
	static const char text[] = "{\"a\":1}\n{\"a\":\0 2}\n{\"a\":3}\n{\"a\":4}\n{\"a\":";
	char err[512] = "", *big;
	int seen = 0, n;
	FILE *f = fopen(in_folder("samples.jsonl"), "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
	assert_int_equal(fclose(f), 0);
	n = results_each(folder, no_record, &seen, err, sizeof(err));
	/* The NUL line is no record; the records after it still count. */
	if (n != 3 || seen != 3)
		fail_msg("read %d records (callback %d times): %s; expected 3", n, seen, err);

	big = malloc((2 << 20) + 2);
	assert_non_null(big);
	memset(big, ' ', 2 << 20);
	memcpy(big + (2 << 20), "\n", 2);
	f = fopen(in_folder("samples.jsonl"), "w");
	assert_non_null(f);
	fputs("{\"a\":1}\n", f);
	fputs(big, f);
	assert_int_equal(fclose(f), 0);
	free(big);
	expect_err("a 2 MiB line", results_each(folder, no_record, &seen, err, sizeof(err)) < 0,
		   err, "a line longer than");
	assert_int_equal(unlink(in_folder("samples.jsonl")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest_base_is_accepted),
		cmocka_unit_test(test_manifest_bad_fields_refused),
		cmocka_unit_test(test_run_settings_bounds),
		cmocka_unit_test(test_planted_files_refused),
		cmocka_unit_test(test_manifest_written_over_a_link),
		cmocka_unit_test(test_latest_replaced_not_followed),
		cmocka_unit_test(test_samples_tail_repaired),
		cmocka_unit_test(test_samples_read_bounded),
	};

	return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
