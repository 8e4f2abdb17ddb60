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

#include "experiments/workloads/iperf_args.h"
#include "experiments/workloads/iperf_calibration.h"
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

/* IPERF_ARGS read as iperf3's getopt_long reads them; only load-shaping options pass. */
static void test_iperf_args_parsed_like_iperf3(void **state)
{
	static const struct {
		const char *args, *expect; /* expect NULL: accepted */
	} cases[] = {
		{ "-u -P 8 -b 1G -l 64", NULL },
		{ "-uP8 -b1G/10 -l64", NULL },
		{ "--udp --parallel=8 --bitrate 1G --length=64", NULL },
		{ "--bit 5M --par 2 -C cubic --dscp 0x10 -w 1M", NULL },
		{ "", NULL },
		{ "-t 100", "--time" },
		{ "-t100", "--time" },
		{ "--time 100", "--time" },
		{ "--time=100", "--time" },
		{ "--ti 100", "ambiguous" }, /* --time, --timestamps, --time-skew-threshold */
		{ "--bl 5", "--blockcount" },
		{ "-ut100", "--time" },
		{ "-R", "--reverse" },
		{ "-uR", "--reverse" },
		{ "--bidir", "--bidir" },
		{ "--logfile x", "--logfile" },
		{ "--logf=x", "--logfile" },
		{ "-F /etc/shadow", "--file" },
		{ "-J", "--json" },
		{ "-c 10.0.0.1", "--client" },
		{ "-p5202", "--port" },
		{ "-O 3", "--omit" },
		{ "-n 1G", "--bytes" },
		{ "-k 100", "--blockcount" },
		{ "-I /tmp/pid", "--pidfile" },
		{ "-s", "--server" },
		{ "--b 1G", "ambiguous" },
		{ "--nosuch", "not an iperf3 option" },
		{ "-q", "-q is not an iperf3 option" },
		{ "udp", "not an option" },
		{ "-u -- -t 5", "'--' is not an option" },
		{ "-", "not an option" },
		{ "--udp=1", "takes no value" },
		{ "-b", "needs a value" },
		{ "-u --bitrate", "needs a value" },
		{ "-P 0", "--parallel '0'" },
		{ "-P 129", "--parallel '129'" },
		{ "-P8x", "--parallel '8x'" },
		{ "-b -1", "--bitrate '-1'" },
		{ "-b 1Q", "--bitrate '1Q'" },
		{ "-b 1G/x", "--bitrate '1G/x'" },
		{ "-b inf", "--bitrate 'inf'" },
		{ "-l 1e999", "--length '1e999'" },
		{ "-C 'x;id'", "--congestion" },
	};
	char err[512];
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		ret = iperf_args_check(cases[i].args, err, sizeof(err));
		if (!cases[i].expect && ret)
			fail_msg("'%s': refused with '%s'; expected accepted", cases[i].args, err);
		if (cases[i].expect && (!ret || !strstr(err, cases[i].expect)))
			fail_msg("'%s': %s '%s'; expected refused with '%s'", cases[i].args,
				 ret ? "refused with" : "accepted", err, cases[i].expect);
	}
}

/* The calibrated rate replaces -b in every spelling iperf3 reads, clusters included. */
static void test_rate_replaced_in_every_spelling(void **state)
{
	static const struct {
		const char *args, *expected;
	} cases[] = {
		{ "-ub1G -P 2", "-u -P 2 -b 500000" },
		{ "-u --bit=5M -P2", "-u -P2 -b 500000" },
		{ "-u --bandwidth 5M --parallel=4", "-u --parallel=4 -b 250000" },
		{ "-b1G -u", "-u -b 1000000" },
	};
	char out[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out[0] = '\0';
		if (load_args_with_rate(cases[i].args, 1e6, out, sizeof(out)) ||
		    strcmp(out, cases[i].expected))
			fail_msg("'%s' at 1 Mbit/s: got '%s'; expected '%s'", cases[i].args, out,
				 cases[i].expected);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_settings_bounded),
		cmocka_unit_test(test_setting_values_exact_through_json),
		cmocka_unit_test(test_setting_values_refused),
		cmocka_unit_test(test_iperf_args_parsed_like_iperf3),
		cmocka_unit_test(test_rate_replaced_in_every_spelling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
