// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-run, the agent and `make experiment` refusing what they cannot
 * honour before anything starts: a crafted manifest to resume (exit 2, the
 * field named, no guest booted), planted .lock and samples.jsonl (never
 * written through), a DURATION past the agent's exec timeout, an exec
 * timeout_s of 1e300, a quote in ARGS. Needs no target: nothing here boots.
 */
#include <errno.h>
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
#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "testlib.h"

/* A run that would boot the guest or measure would take far longer than this. */
#define REFUSAL_MS 20000

static char root[] = "/tmp/bpfcost-test-resume-XXXXXX";

static const char base_manifest[] =
	"{\"matrix\":\"quick\",\"N\":2,\"duration\":1,\"order_seed\":\"7\","
	"\"target\":\"guest\",\"clock\":\"real\",\"topology\":\"user\","
	"\"workload\":{\"name\":\"trigger\",\"args\":{\"calls\":\"1000\",\"cpu\":\"0\","
	"\"ref\":\"0\"}},"
	"\"settings\":{\"accel\":\"tcg\",\"vcpus\":2,\"mem_mb\":512,\"func\":\"udp_recvmsg\","
	"\"spin_ns\":1000,\"hit_check_s\":2,\"pin\":false,\"bind\":false},"
	"\"configs\":[\"baseline\",\"tp-null\"]}";

static char *runner(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s", test_out_path("bin/bpfcost-run"));
	return path;
}

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

/* A results folder holding @manifest; its path in @dir. */
static void make_folder(const char *name, const char *manifest, char *dir, size_t len)
{
	char path[4300];

	snprintf(dir, len, "%s/%s", root, name);
	if (mkdir(dir, 0755))
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	write_file(path, manifest);
}

static void expect_exit(char *const argv[], int code, const char *needle)
{
	char out[4096], err[8192];
	int got = run_capture(argv, out, sizeof(out), err, sizeof(err), REFUSAL_MS);

	if (got != code || !strstr(err, needle))
		fail_msg("%s %s: exit %d, stderr '%s'; expected exit %d with '%s'", argv[0],
			 argv[1] ?: "", got, err, code, needle);
}

/* Each field the command line bounds, crafted in a manifest: refused by name, nothing booted. */
static void test_crafted_manifest_refused_before_start(void **state)
{
	static const struct {
		const char *from, *to, *expect;
	} cases[] = {
		{ "\"target\":\"guest\"", "\"target\":\"nosuchtarget\"", "target 'nosuchtarget'" },
		{ "\"N\":2", "\"N\":1e300", "N: 1.0000000000000001e+300 is not an integer" },
		{ "\"spin_ns\":1000", "\"spin_ns\":-7", "spin_ns: -7 is not an integer" },
		{ "\"duration\":1", "\"duration\":1e-300", "duration 1e-300" },
		{ "\"hit_check_s\":2", "\"hit_check_s\":-1e300", "hit check -1e+300" },
		{ "\"configs\":[\"baseline\",\"tp-null\"]",
		  "\"configs\":[\"baseline\",\"tp-spin@spin_ns=9223372036854775808\"]",
		  "at most 9223372036854775807" },
		{ "\"calls\":\"1000\"", "\"calls\":\"0\"", "at most 840 s" },
	};
	char json[4096], dir[4200], name[32], samples[4300];
	char *argv[] = { runner(), "--resume", dir, "--no-report", NULL };
	struct stat st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *at = strstr(base_manifest, cases[i].from);

		if (!at)
			fail_msg("case %zu: the manifest lacks \"%s\": %s", i, cases[i].from,
				 base_manifest);
		snprintf(json, sizeof(json), "%.*s%s%s", (int)(at - base_manifest), base_manifest,
			 cases[i].to, at + strlen(cases[i].from));
		/* calls=0 makes the loop DURATION long: 900 s is past the agent's timeout. */
		if (strstr(cases[i].to, "\"calls\":\"0\"")) {
			char *d = strstr(json, "\"duration\":1,");

			if (!d) {
				fail_msg("case %zu: the crafted manifest lacks \"duration\":1,: %s",
					 i, json);
				return; /* fail_msg is not marked noreturn */
			}
			memmove(d + 14, d + 12, strlen(d + 12) + 1);
			memcpy(d, "\"duration\":900", 14);
		}
		snprintf(name, sizeof(name), "crafted-%zu", i);
		make_folder(name, json, dir, sizeof(dir));
		expect_exit(argv, BPFCOST_EXIT_USAGE, cases[i].expect);
		snprintf(samples, sizeof(samples), "%s/samples.jsonl", dir);
		if (!stat(samples, &st))
			fail_msg("%s: samples.jsonl created; expected nothing started",
				 cases[i].to);
	}
}

/* Planted links in a folder to resume: refused, their targets untouched. */
static void test_planted_lock_and_samples_not_written_through(void **state)
{
	char dir[4200], victim[4300], path[4300];
	char *argv[] = { runner(), "--resume", dir, "--no-report", NULL };

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", root);
	write_file(victim, "precious\n");

	make_folder("linked-lock", base_manifest, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/.lock", dir);
	assert_int_equal(symlink(victim, path), 0);
	expect_exit(argv, BPFCOST_EXIT_USAGE, ".lock: a symbolic link: refused");
	expect_content(victim, "precious\n");

	make_folder("linked-samples", base_manifest, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	assert_int_equal(symlink(victim, path), 0);
	expect_exit(argv, BPFCOST_EXIT_FAILURE, "samples.jsonl: a symbolic link: refused");
	expect_content(victim, "precious\n");

	make_folder("fifo-manifest", base_manifest, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0644), 0);
	expect_exit(argv, BPFCOST_EXIT_USAGE, "manifest.json: not a regular file");
}

/* The command line meets the same check: a timed trigger loop past the exec timeout. */
static void test_duration_past_exec_timeout_refused(void **state)
{
	char *argv[] = { runner(),  "--target", "host", "--workload", "trigger", "--arg",
			 "calls=0", "-t",	"900",	"-o",	      root,	 NULL };
	char *fits[] = { runner(), "--target", "host", "--workload", "trigger", "--arg", "calls=0",
			 "-t",	   "840",      "-m",   "nosuch",     "-o",	root,	 NULL };

	(void)state;
	expect_exit(argv, BPFCOST_EXIT_USAGE, "DURATION 900 for a timed sample: at most 840 s");
	/* 840 passes the duration check: the next refusal is the matrix's. */
	expect_exit(fits, BPFCOST_EXIT_USAGE, "'nosuch': not a named matrix");
}

/* The agent bounds what it reads: timeout_s 1e300, settings past 10^15 as numbers. */
static void test_agent_bounds_requests(void **state)
{
	static const struct {
		const char *req, *expect;
	} cases[] = {
		{ "{\"cmd\":\"exec\",\"argv\":[\"true\"],\"timeout_s\":1e300}", "timeout_s" },
		{ "{\"cmd\":\"exec\",\"argv\":[\"true\"],\"timeout_s\":-1}", "timeout_s" },
		{ "{\"cmd\":\"exec\",\"argv\":[\"true\"],\"timeout_s\":\"5\"}", "timeout_s" },
		{ "{\"cmd\":\"exec\",\"argv\":[\"true\"],\"timeout_s\":5}", "\"exit\":0" },
		{ "{\"cmd\":\"attach\",\"probe\":\"null\",\"attach\":\"tp\","
		  "\"set\":{\"x\":10000000000000000}}",
		  "whole number" },
		/* Past 10^15 as a string: through the agent's parse, to the probe's own check. */
		{ "{\"cmd\":\"attach\",\"probe\":\"null\",\"attach\":\"tp\","
		  "\"set\":{\"x\":\"9007199254740993\"}}",
		  "no settings" },
	};
	char *argv[] = { (char *)test_out_path("bin/bpfcost-agent"), "--stdio", NULL };
	char line[8192];
	struct child c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(child_start(&c, argv), 0);
		if (write(c.in, cases[i].req, strlen(cases[i].req)) < 0 ||
		    write(c.in, "\n", 1) != 1)
			fail_msg("cannot write to the agent: %s", strerror(errno));
		line[0] = '\0';
		read_line_prefix(c.out, "{", line, sizeof(line), REFUSAL_MS);
		close(c.in);
		c.in = -1;
		child_wait(&c, REFUSAL_MS);
		if (!strstr(line, cases[i].expect))
			fail_msg("%s: replied '%s'; expected '%s' in it", cases[i].req, line,
				 cases[i].expect);
	}
}

/* ARGS reaches the runner as typed: a quote or $(...) is a value, never shell or make syntax. */
static void test_make_args_are_values(void **state)
{
	char *argv[] = { "make",
			 "-s",
			 "-C",
			 (char *)test_root_path(""),
			 "experiment",
			 "TARGET=host",
			 "WORKLOAD=trigger",
			 "ARGS=calls=it's cpu=$(id)",
			 NULL };
	char out[4096], err[8192];
	int code;

	(void)state;
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), 120000);
	if (code != 2 || !strstr(err, "trigger: calls 'it's'"))
		fail_msg("make experiment ARGS=\"calls=it's\": exit %d, stderr '%s'; expected the "
			 "runner to refuse calls 'it's'",
			 code, err);
}

static int make_root(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int remove_root(void **state)
{
	char *rm[] = { "rm", "-rf", root, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crafted_manifest_refused_before_start),
		cmocka_unit_test(test_planted_lock_and_samples_not_written_through),
		cmocka_unit_test(test_duration_past_exec_timeout_refused),
		cmocka_unit_test(test_agent_bounds_requests),
		cmocka_unit_test(test_make_args_are_values),
	};

	return cmocka_run_group_tests(tests, make_root, remove_root);
}
