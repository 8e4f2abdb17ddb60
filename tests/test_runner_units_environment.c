// SPDX-License-Identifier: GPL-2.0
/*
 * The environment a manifest records (loader/environment.c), on a fake /sys
 * and /proc tree: every field present (null where unreadable), every value a
 * plain bounded string however long or strange the file, at most
 * ENV_VULNERABILITIES_MAX vulnerabilities with plain names, no link followed,
 * no FIFO waited on; turbo from either file. And on this machine's own tree.
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
#include <cjson/cJSON.h>

#include "loader/environment.h"
#include "testlib.h"

static char root[] = "/tmp/bpfcost-test-environment-XXXXXX";

static const char *const fields[] = {
	"vulnerabilities",  "cmdline",		"bpf_jit_enable",    "bpf_jit_harden",
	"bpf_jit_kallsyms", "bpf_jit_limit",	"bpf_stats_enabled", "unprivileged_bpf_disabled",
	"cpu_governor",	    "smt_control",	"smt_active",	     "intel_pstate_no_turbo",
	"cpufreq_boost",    "clocksource",	"preempt",	     "turbo",
	"cpuidle_driver",   "cpuidle_governor",
};

static const char *at(const char *rel)
{
	static char path[2][PATH_MAX];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof(path[0]), "%s%s", root, rel);
	return path[which];
}

static void mkdirs(const char *rel)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", at(rel));
	assert_int_equal(system(cmd), 0);
}

static void put(const char *rel, const char *text, size_t len)
{
	FILE *f = fopen(at(rel), "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* Every value: null, or a string of printable ASCII shorter than @max. */
static void check_value(const cJSON *v, const char *key, size_t max)
{
	size_t i, n;

	if (cJSON_IsNull(v))
		return;
	if (!cJSON_IsString(v))
		fail_msg("environment.%s: expected a string or null", key);
	n = strlen(v->valuestring);
	if (n >= max)
		fail_msg("environment.%s: %zu bytes, expected fewer than %zu", key, n, max);
	for (i = 0; i < n; i++)
		if (v->valuestring[i] < 0x20 || v->valuestring[i] > 0x7e)
			fail_msg("environment.%s: byte %zu is 0x%02x, expected printable ASCII",
				 key, i, (unsigned char)v->valuestring[i]);
}

static const cJSON *record(cJSON *obj, const char *at_root)
{
	const cJSON *env, *v, *item;
	size_t i;

	environment_record(obj, at_root);
	env = cJSON_GetObjectItemCaseSensitive(obj, "environment");
	if (!cJSON_IsObject(env))
		fail_msg("expected an \"environment\" object");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = cJSON_GetObjectItemCaseSensitive(env, fields[i]);
		if (!v)
			fail_msg("environment.%s: missing (expected a value or null)", fields[i]);
		if (!strcmp(fields[i], "vulnerabilities")) {
			cJSON_ArrayForEach(item, v) check_value(item, item->string, ENV_VALUE_MAX);
			continue;
		}
		check_value(v, fields[i],
			    strcmp(fields[i], "cmdline") ? ENV_VALUE_MAX : ENV_CMDLINE_MAX);
	}
	return env;
}

static void test_hostile_tree_bounded(void **state)
{
	static char big[1 << 16], want[ENV_CMDLINE_MAX];
	cJSON *obj = cJSON_CreateObject();
	const cJSON *env, *vul;
	char name[64];
	int i;

	(void)state;
	mkdirs("/proc/sys/net/core");
	mkdirs("/proc/sys/kernel");
	mkdirs("/sys/devices/system/cpu/vulnerabilities");
	mkdirs("/sys/devices/system/cpu/intel_pstate");
	memset(big, 'A', sizeof(big));
	put("/proc/cmdline", big, sizeof(big));
	put("/proc/sys/net/core/bpf_jit_harden", "2\n", 2);
	put("/proc/sys/net/core/bpf_jit_enable", "1\033[31m\x01\xff\n2nd line\n", 15);
	put("/sys/devices/system/cpu/intel_pstate/no_turbo", "1\n", 2);
	mkdirs("/sys/devices/system/cpu/cpuidle");
	put("/sys/devices/system/cpu/cpuidle/current_driver", "haltpoll\n", 9);
	/* A link is never followed; a FIFO never waited on. */
	assert_int_equal(symlink("/etc/passwd", at("/proc/sys/net/core/bpf_jit_kallsyms")), 0);
	assert_int_equal(mkfifo(at("/proc/sys/kernel/bpf_stats_enabled"), 0600), 0);
	for (i = 0; i < ENV_VULNERABILITIES_MAX + 20; i++) {
		snprintf(name, sizeof(name), "/sys/devices/system/cpu/vulnerabilities/v%03d", i);
		put(name, big, ENV_VALUE_MAX * 4);
	}
	put("/sys/devices/system/cpu/vulnerabilities/Bad-Name", "x\n", 2);

	env = record(obj, root);
	/* The first ENV_CMDLINE_MAX - 1 bytes. */
	memset(want, 'A', sizeof(want) - 1);
	want[sizeof(want) - 1] = '\0';
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, "cmdline")),
			    want);
	assert_string_equal(
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, "bpf_jit_harden")), "2");
	assert_string_equal(
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, "bpf_jit_enable")),
		"1?[31m??");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, "turbo")),
			    "off");
	assert_string_equal(
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, "cpuidle_driver")),
		"haltpoll");
	if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(env, "bpf_jit_kallsyms")))
		fail_msg("bpf_jit_kallsyms, a link: expected null (not followed)");
	if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(env, "cpu_governor")))
		fail_msg("cpu_governor, no file: expected null");
	vul = cJSON_GetObjectItemCaseSensitive(env, "vulnerabilities");
	assert_cmp_int(cJSON_GetArraySize(vul), ==, ENV_VULNERABILITIES_MAX);
	if (cJSON_GetObjectItemCaseSensitive(vul, "Bad-Name"))
		fail_msg("vulnerabilities: 'Bad-Name' recorded; expected plain names only");
	cJSON_Delete(obj);
}

/* Without intel_pstate, cpufreq's boost says it; nothing readable: null. */
static void test_turbo_from_boost(void **state)
{
	cJSON *obj = cJSON_CreateObject();
	const cJSON *env;

	(void)state;
	unlink(at("/sys/devices/system/cpu/intel_pstate/no_turbo"));
	mkdirs("/sys/devices/system/cpu/cpufreq");
	put("/sys/devices/system/cpu/cpufreq/boost", "1\n", 2);
	env = record(obj, root);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, "turbo")),
			    "on");
	cJSON_Delete(obj);
}

/* This machine: the fields are there and bounded; the command line is readable. */
static void test_this_machine(void **state)
{
	cJSON *obj = cJSON_CreateObject();
	const cJSON *env;

	(void)state;
	env = record(obj, NULL);
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(env, "cmdline")))
		fail_msg("this machine's /proc/cmdline: expected a string");
	cJSON_Delete(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_tree_bounded),
		cmocka_unit_test(test_turbo_from_boost),
		cmocka_unit_test(test_this_machine),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
