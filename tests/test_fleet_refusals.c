// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-fleet refuses bad input with exit 2 and a reason, before any host
 * is contacted and before a fleet folder is made: no inventory, a host name
 * that is not a plain name, a TARGET or WORKLOAD that does not exist (on the
 * command line or a host's bpfcost_target), a bad SEED, a relative workdir.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib.h"

static char tmp[] = "/tmp/bpfcost-fleet-refusals-XXXXXX";
static char results[sizeof(tmp) + 16], inventory[sizeof(tmp) + 16];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmp))
		return -1;
	snprintf(results, sizeof(results), "%s/results", tmp);
	snprintf(inventory, sizeof(inventory), "%s/hosts.ini", tmp);
	return 0;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", "--", tmp, NULL }, out[64], err[64];

	(void)state;
	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
}

static void write_inventory(const char *text)
{
	FILE *f = fopen(inventory, "w");

	if (!f)
		fail_msg("cannot write %s", inventory);
	fputs(text, f);
	fclose(f);
}

/* bpfcost-fleet with @env ("NAME=value", NULL-ended) set; must exit 2 saying @why_part. */
static void refused(const char *inv, const char *const env[], const char *why_part)
{
	char tool[4096], out[8192], err[8192] = "";
	char *argv[] = { tool, "--inventory", (char *)inv, "--results", results, NULL };
	int code, i;

	snprintf(tool, sizeof(tool), "%s", test_out_path("bin/bpfcost-fleet"));
	unsetenv("TARGET");
	unsetenv("WORKLOAD");
	unsetenv("SEED");
	unsetenv("MATRIX");
	for (i = 0; env && env[i]; i++)
		putenv((char *)env[i]);
	setenv("BPFCOST_ROOT", test_root_path("."), 1);
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), 120000);
	if (code != 2)
		fail_msg("exit %d, expected 2 (refused): %s%s", code, out, err);
	assert_contains(err, why_part);
	if (access(results, F_OK) == 0)
		fail_msg("%s exists after a refusal (expected no fleet folder)", results);
}

static void test_missing_inventory(void **state)
{
	(void)state;
	refused("/nonexistent/hosts.ini", NULL, "not a file");
}

static void test_host_name_not_plain(void **state)
{
	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1\n.hidden ansible_host=127.0.0.1\n");
	refused(inventory, NULL, "host '.hidden' is not a plain name");
}

static void test_bad_target(void **state)
{
	static const char *const env[] = { "TARGET=nope", NULL };

	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1\n");
	refused(inventory, env, "TARGET 'nope'");
}

static void test_bad_host_target(void **state)
{
	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1 bpfcost_target=nope\n");
	refused(inventory, NULL, "host ok1: bpfcost_target");
}

static void test_bad_workload(void **state)
{
	static const char *const env[] = { "WORKLOAD=nope", NULL };

	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1\n");
	refused(inventory, env, "WORKLOAD 'nope'");
}

static void test_bad_seed(void **state)
{
	static const char *const env[] = { "SEED=12x", NULL };

	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1\n");
	refused(inventory, env, "SEED '12x'");
}

/* Ansible templates its variables: a value that is a template never reaches it. */
static void test_template_refused(void **state)
{
	static const char *const env[] = { "MATRIX={{ lookup('pipe', 'id') }}", NULL };

	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1\n");
	refused(inventory, env, "no '{{'");
}

static void test_host_template_refused(void **state)
{
	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1 bpfcost_n=\"{{ 7 * 7 }}\"\n");
	refused(inventory, NULL, "host ok1: bpfcost_n");
}

static void test_relative_workdir(void **state)
{
	(void)state;
	write_inventory("ok1 ansible_host=127.0.0.1 bpfcost_workdir=../x\n");
	refused(inventory, NULL, "bpfcost_workdir '../x'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_inventory),
		cmocka_unit_test(test_host_name_not_plain),
		cmocka_unit_test(test_bad_target),
		cmocka_unit_test(test_bad_host_target),
		cmocka_unit_test(test_bad_workload),
		cmocka_unit_test(test_bad_seed),
		cmocka_unit_test(test_relative_workdir),
		cmocka_unit_test(test_template_refused),
		cmocka_unit_test(test_host_template_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
