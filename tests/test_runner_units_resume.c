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
	"\"ref\":\"0\",\"ref_ns\":\"0\"}},"
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
	struct run_settings rs = {
		.matrix = "all",
		.n = 10,
		.duration = 10,
		.target = "guest",
		.workload = "iperf",
		.clock = "real",
		.topology = "tap",
		.accel = "auto",
		.vcpus = 2,
		.mem_mb = 512,
		.func = "udp_recvmsg",
		.spin_ns = 1000,
		.check_s = 2,
		.max_n = 1000,
	};

	memcpy(rs.values, iperf_values, sizeof(iperf_values));
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
	rs = good_settings();
	rs.precision = 5;
	rs.max_n = 5;
	rs.n = 10;
	if (!run_settings_check(&rs, err, sizeof(err)) || !strstr(err, "max-n=5"))
		fail_msg("max-n below N: got '%s'; expected refused naming max-n=5", err);
#undef REFUSED
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest_base_is_accepted),
		cmocka_unit_test(test_manifest_bad_fields_refused),
		cmocka_unit_test(test_run_settings_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
