// SPDX-License-Identifier: GPL-2.0
/*
 * The latency workload's own arithmetic: round trips read from sockperf's
 * --full-log as rxTime - txTime (not its half-round-trip column), the
 * nearest-rank percentiles against hand arithmetic, and a sample too short
 * for a percentile giving none rather than a number.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "experiments/workloads/latency_log.h"
#include "testlib.h"

/* sockperf's output as it prints it, the log's lines in packet order. */
static const char fixed_log[] =
	"sockperf: [Total Run] RunTime=1.000 sec; Warm up time=400 msec; SentMessages=12; "
	"ReceivedMessages=11\n"
	"sockperf: ---> percentile 50.000 =    1.994\n"
	"------------------------------\n"
	"packet, txTime(sec), rxTime(sec), latency(usec)\n"
	"0, 2.000000000, 2.000004000, 2.000\n"
	"1, 2.000010000, 2.000012500, 1.250\n"
	"2, 2.000020000, 2.000030000, 5.000\n"
	"3, 2.000040000, 2.000043000, 1.500\n"
	"4, 2.000050000, 2.000051000, 0.500\n";

static void test_fixed_log(void **state)
{
	struct latency_log log;
	char err[256] = "";

	(void)state;
	assert_int_equal(latency_log_parse(fixed_log, &log, err, sizeof(err)), 0);
	assert_cmp_int(log.n, ==, 5);
	assert_near(log.total_sent, 12, 0);
	assert_near(log.total_received, 11, 0);
	/* rx - tx in us, sorted: 1, 2.5, 3, 4, 10 (sockperf's column is half of each). */
	assert_near(log.rtt_us[0], 1, 1e-6);
	assert_near(log.rtt_us[1], 2.5, 1e-6);
	assert_near(log.rtt_us[2], 3, 1e-6);
	assert_near(log.rtt_us[3], 4, 1e-6);
	assert_near(log.rtt_us[4], 10, 1e-6);
	/* p50 of 5 needs 20 round trips (10 above it): none. */
	assert_nan(latency_percentile(log.rtt_us, log.n, 50));
	latency_log_free(&log);
}

/* 1, 2, ..., n us in a scrambled order, as a log with @sent messages sent. */
static char *log_of(size_t n, double sent)
{
	size_t cap = 128 + n * 64, len, i;
	char *text = malloc(cap);

	assert_non_null(text);
	len = snprintf(text, cap,
		       "sockperf: [Total Run] RunTime=2.000 sec; Warm up time=400 msec; "
		       "SentMessages=%.0f; ReceivedMessages=%.0f\n",
		       sent, sent);
	for (i = 0; i < n; i++) {
		size_t us = (i * 7919) % n + 1; /* 7919 is prime: a permutation of 1..n */

		len += snprintf(text + len, cap - len, "%zu, 1.000000000, %.9f, %.3f\n", i,
				1 + us * 1e-6, us / 2.0);
	}
	return text;
}

static void test_percentiles_by_hand(void **state)
{
	struct latency_log log;
	char err[256] = "", *text = log_of(1000, 1200);

	(void)state;
	assert_int_equal(latency_log_parse(text, &log, err, sizeof(err)), 0);
	assert_cmp_int(log.n, ==, 1000);
	/* Nearest rank ceil(p/100 * 1000) of 1..1000 us: 500, 900, 990. */
	assert_near(latency_percentile(log.rtt_us, log.n, 50), 500, 1e-3);
	assert_near(latency_percentile(log.rtt_us, log.n, 90), 900, 1e-3);
	assert_near(latency_percentile(log.rtt_us, log.n, 99), 990, 1e-3);
	/* 1,000 round trips: p99 just estimable, p99.9 not (it needs 10,000). */
	assert_nan(latency_percentile(log.rtt_us, log.n, 99.9));
	assert_nan(latency_percentile(log.rtt_us, 999, 99));
	latency_log_free(&log);
	free(text);

	text = log_of(10000, 10000);
	assert_int_equal(latency_log_parse(text, &log, err, sizeof(err)), 0);
	/* ceil(0.999 * 10000) = 9990th of 1..10000; 0.5 * 10000 = 5000th. */
	assert_near(latency_percentile(log.rtt_us, log.n, 99.9), 9990, 1e-3);
	assert_near(latency_percentile(log.rtt_us, log.n, 50), 5000, 1e-3);
	latency_log_free(&log);
	free(text);
}

static void test_min_round_trips(void **state)
{
	(void)state;
	assert_cmp_int(latency_min_round_trips(99.9), ==, 10000);
	assert_cmp_int(latency_min_round_trips(99), ==, 1000);
	assert_cmp_int(latency_min_round_trips(90), ==, 100);
	assert_cmp_int(latency_min_round_trips(50), ==, 20);
}

static void test_bad_logs(void **state)
{
	static const char *const bad[] = {
		/* no counts */
		"0, 1.0, 1.000002, 1.0\n",
		/* rx before tx */
		"[Total Run] SentMessages=3; ReceivedMessages=3\n0, 1.000002, 1.0, 1.0\n",
		/* a log line cut short */
		"[Total Run] SentMessages=3; ReceivedMessages=3\n0, 1.0\n",
		/* more round trips logged than received */
		"[Total Run] SentMessages=1; ReceivedMessages=1\n0, 1.0, 1.1, 1\n1, 1.0, 1.1, 1\n",
		/* none logged */
		"[Total Run] SentMessages=3; ReceivedMessages=3\n",
	};
	struct latency_log log;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[256] = "";

		if (latency_log_parse(bad[i], &log, err, sizeof(err)) != -1)
			fail_msg("log %zu accepted: %s", i, bad[i]);
		assert_contains(err, "sockperf");
		assert_null(log.rtt_us);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_log),
		cmocka_unit_test(test_percentiles_by_hand),
		cmocka_unit_test(test_min_round_trips),
		cmocka_unit_test(test_bad_logs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
