// SPDX-License-Identifier: GPL-2.0
/*
 * Settings units: row settings as exact integers within what the probe's
 * variable and the runner's bounds hold, and exact on their way to the agent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/matrix.h"
#include "experiments/run_settings.h"
#include "loader/settings.h"
#include "testlib.h"

static char *probes[] = { "map", "null", "spin", NULL };

static void test_row_settings_bounded(void **state)
{
	static const struct {
		const char *row, *expect; /* expect NULL: accepted */
	} cases[] = {
		{ "tp-spin@spin_ns=9223372036854775808", "at most 9223372036854775807" },
		{ "tp-spin@spin_ns=18446744073709551615", "at most 9223372036854775807" },
		{ "tp-spin@spin_ns=9223372036854775807", "spin_ns 9223372036854775807: 0 to" },
		{ "tp-spin@spin_ns=100000001", "spin_ns 100000001: 0 to 100000000" },
		{ "tp-spin@nosuch=1", "no such setting" },
		{ "tp-null@spin_ns=1", "has no settings" },
		{ "tp-spin@spin_ns=100000000", NULL },
		{ "tp-spin@spin_ns=0", NULL },
	};
	char err[512];
	struct config c;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		ret = config_parse(cases[i].row, probes, &c, err, sizeof(err));
		if (!ret)
			ret = row_settings_check(&c, err, sizeof(err));
		if (!cases[i].expect && ret)
			fail_msg("%s: refused with '%s'; expected accepted", cases[i].row, err);
		if (cases[i].expect && (!ret || !strstr(err, cases[i].expect)))
			fail_msg("%s: %s '%s'; expected refused with '%s'", cases[i].row,
				 ret ? "refused with" : "accepted", err, cases[i].expect);
	}
}

/* Through JSON text and back, as between the runner and the agent: every digit kept. */
static void test_setting_values_exact_through_json(void **state)
{
	static const uint64_t values[] = {
		0, 1000, 1ULL << 53, (1ULL << 53) + 1, 9223372036854775807ULL, UINT64_MAX
	};
	cJSON *obj, *back;
	uint64_t got;
	size_t i;
	char *text;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		obj = cJSON_CreateObject();
		settings_value_json(obj, "v", values[i]);
		text = cJSON_PrintUnformatted(obj);
		back = cJSON_Parse(text);
		got = 0;
		if (settings_value_parse(cJSON_GetObjectItem(back, "v"), &got) || got != values[i])
			fail_msg("%llu sent as %s came back as %llu; expected it unchanged",
				 (unsigned long long)values[i], text, (unsigned long long)got);
		free(text);
		cJSON_Delete(back);
		cJSON_Delete(obj);
	}
}

static void test_setting_values_refused(void **state)
{
	static const char *const bad[] = {
		"1000000000000000", /* a number past SETTINGS_EXACT_MAX: digits may be lost */
		"1e300",
		"-1",
		"1.5",
		"\"-1\"",
		"\"+1\"",
		"\" 1\"",
		"\"1 \"",
		"\"\"",
		"\"18446744073709551616\"",
		"\"0x10\"",
		"true",
		"null",
	};
	char text[128];
	uint64_t got;
	cJSON *obj;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{\"v\":%s}", bad[i]);
		obj = cJSON_Parse(text);
		assert_non_null(obj);
		got = 0;
		if (!settings_value_parse(cJSON_GetObjectItem(obj, "v"), &got))
			fail_msg("%s: accepted as %llu; expected refused", bad[i],
				 (unsigned long long)got);
		cJSON_Delete(obj);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_settings_bounded),
		cmocka_unit_test(test_setting_values_exact_through_json),
		cmocka_unit_test(test_setting_values_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
