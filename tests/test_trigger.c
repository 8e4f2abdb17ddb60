// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-trigger (no root, no probe): its JSON line says how many calls and
 * rounds it timed; the medians are over whole rounds only (a short last round
 * counts in the mean, never in the median); the reference is timed only with
 * --ref; bad values are refused with exit 2.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "loader/json_get.h"
#include "testlib.h"

/* bpfcost-trigger @args...: its exit status, its JSON line parsed into *@j (NULL if none). */
static int trigger(cJSON **j, const char *a0, const char *a1, const char *a2, const char *a3,
		   const char *a4)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-trigger"),
			 (char *)a0,
			 (char *)a1,
			 (char *)a2,
			 (char *)a3,
			 (char *)a4,
			 NULL };
	char out[4096], err[4096];
	int code = run_capture(argv, out, sizeof(out), err, sizeof(err), 60000);

	*j = cJSON_Parse(out);
	return code;
}

static double num(const cJSON *j, const char *key)
{
	return json_num_or(j, key, NAN);
}

static void test_rounds_and_medians(void **state)
{
	cJSON *j;

	(void)state;
	assert_int_equal(trigger(&j, "--calls", "1050", "--round-calls", "100", "--ref"), 0);
	assert_non_null(j);
	assert_cmp_double(num(j, "calls"), ==, 1050);
	assert_cmp_double(num(j, "round_calls"), ==, 100);
	/* ten whole rounds of 100; the last 50 calls are a short round, out of the median */
	assert_cmp_double(num(j, "rounds"), ==, 10);
	assert_cmp_double(num(j, "ns_per_call_median"), >, 0);
	assert_cmp_double(num(j, "ref_ns_per_call_median"), >, 0);
	assert_cmp_double(num(j, "ref_calls"), ==, 1050);
	/* the mean covers every call: elapsed over calls */
	assert_near(num(j, "ns_per_call"), num(j, "elapsed_ns") / 1050, 1e-3);
	cJSON_Delete(j);
	/* without --ref: no reference at all */
	assert_int_equal(trigger(&j, "--calls", "200", "--round-calls", "100", NULL), 0);
	assert_non_null(j);
	if (cJSON_GetObjectItemCaseSensitive(j, "ref_ns_per_call_median") ||
	    cJSON_GetObjectItemCaseSensitive(j, "ref_ns_per_call"))
		fail_msg("a reference without --ref: %s", cJSON_PrintUnformatted(j));
	cJSON_Delete(j);
	/* fewer calls than a round: no median to give */
	assert_int_equal(trigger(&j, "--calls", "50", "--round-calls", "100", NULL), 0);
	assert_non_null(j);
	assert_cmp_double(num(j, "rounds"), ==, 0);
	if (cJSON_GetObjectItemCaseSensitive(j, "ns_per_call_median"))
		fail_msg("a median of no whole round: %s", cJSON_PrintUnformatted(j));
	cJSON_Delete(j);
}

static void test_bad_values_refused(void **state)
{
	static const char *const bad[][2] = {
		{ "--round-calls", "0" },
		{ "--round-calls", "x" },
		{ "--calls", "0" },
		{ "--seconds", "0" },
	};
	cJSON *j;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int code = trigger(&j, bad[i][0], bad[i][1], NULL, NULL, NULL);

		if (code != 2)
			fail_msg("bpfcost-trigger %s %s: exit %d; expected 2", bad[i][0], bad[i][1],
				 code);
		cJSON_Delete(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds_and_medians),
		cmocka_unit_test(test_bad_values_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
