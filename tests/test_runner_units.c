// SPDX-License-Identifier: GPL-2.0
/*
 * Runner units: configuration names, matrices, the interleaved schedule, iperf3
 * reports, the load ramp, the budget.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "experiments/workloads/iperf_run.h"
#include "experiments/workloads/iperf_calibration.h"
#include "experiments/stopping.h"
#include "experiments/matrix.h"
#include "experiments/schedule.h"
#include "loader/bpfcost.h"
#include "testlib.h"

static char *probes[] = { "map", "null", "spin", "my-probe", NULL };
static char *two_probes[] = { "map", "null", NULL };

static void test_config_names_parse(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(config_parse("kprobe-fprobe-null-stat", probes, &c, err, sizeof(err)), 0);
	assert_string_equal(c.attach, "kprobe-fprobe");
	assert_string_equal(c.probe, "null");
	assert_int_equal(c.stats, true);
	assert_int_equal(config_parse("kprobe-map", probes, &c, err, sizeof(err)), 0);
	assert_string_equal(c.attach, "kprobe");
	assert_int_equal(c.stats, false);
	/* a probe name with a dash still parses */
	assert_int_equal(config_parse("fexit-my-probe-stat", probes, &c, err, sizeof(err)), 0);
	assert_string_equal(c.probe, "my-probe");
	assert_int_equal(config_parse("baseline", probes, &c, err, sizeof(err)), 0);
	assert_int_equal(c.baseline, true);
}

static void test_bad_config_names_list_valid_values(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(config_parse("uprobe-null", probes, &c, err, sizeof(err)), -1);
	assert_contains(err, "'uprobe-null': unknown attach type; valid: tp raw_tp");
	assert_int_equal(config_parse("fentry-nosuch-stat", probes, &c, err, sizeof(err)), -1);
	assert_contains(err, "unknown probe 'nosuch'; valid: map null spin");
	assert_int_equal(config_parse("fentry-", probes, &c, err, sizeof(err)), -1);
}

/* Settings per row: parsed, and every spelling the grammar refuses is named. */
static void test_config_settings(void **state)
{
	static const char *const bad[] = {
		"tp-spin@",	      "tp-spin@spin_ns",    "tp-spin@spin_ns=",
		"tp-spin@spin_ns=01", "tp-spin@spin_ns=-1", "tp-spin@Spin=1",
		"tp-spin@spin_ns=1,", "tp-spin@1x=2",	    "tp-spin@a=1,a=2",
		"tp-spin@spin_ns=1 ", "baseline@x=1",	    "tp-spin@x=99999999999999999999",
	};
	struct config c;
	char err[512];
	size_t i;

	(void)state;
	assert_int_equal(
		config_parse("tp-spin-stat@spin_ns=400,loops=2", probes, &c, err, sizeof(err)), 0);
	assert_string_equal(c.name, "tp-spin-stat@spin_ns=400,loops=2");
	assert_string_equal(c.attach, "tp");
	assert_string_equal(c.probe, "spin");
	assert_int_equal(c.stats, true);
	assert_int_equal(c.n_settings, 2);
	assert_int_equal(config_setting(&c, "spin_ns"), 400);
	assert_int_equal(config_setting(&c, "loops"), 2);
	assert_int_equal(config_setting(&c, "other"), -1);
	assert_int_equal(config_parse("tp-spin@spin_ns=0", probes, &c, err, sizeof(err)), 0);
	assert_int_equal(config_setting(&c, "spin_ns"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (config_parse(bad[i], probes, &c, err, sizeof(err)) != -1)
			fail_msg("'%s' parsed; expected a refusal", bad[i]);
		if (!strstr(err, bad[i]) && !strstr(err, "configuration"))
			fail_msg("'%s': error does not name the row: %s", bad[i], err);
	}
}

static void test_matrix_all_is_the_papers_21(void **state)
{
	static const char *const expect[] = { "baseline",
					      "tp-map",
					      "tp-map-stat",
					      "tp-null",
					      "kprobe-fprobe-null-stat",
					      "fentry-map-stat",
					      "fexit-null",
					      "kprobe-null-stat",
					      NULL };
	struct matrix m;
	char err[512];
	int i, j;

	(void)state;
	assert_int_equal(matrix_build("all", two_probes, &m, err, sizeof(err)), 0);
	assert_int_equal(m.n, 21);
	for (i = 0; expect[i]; i++) {
		for (j = 0; j < m.n && strcmp(m.configs[j].name, expect[i]); j++)
			;
		if (j == m.n)
			fail_msg("'all' lacks %s", expect[i]);
	}
	matrix_free(&m);
	/* a probe dropped into progs/ joins by itself; the spin control does not */
	assert_int_equal(matrix_build("all", probes, &m, err, sizeof(err)), 0);
	assert_int_equal(m.n, 1 + 5 * 3 * 2);
	matrix_free(&m);
	assert_int_equal(matrix_build("full", probes, &m, err, sizeof(err)), 0);
	for (i = 0; bpfcost_attach_names()[i]; i++)
		;
	assert_int_equal(m.n, 1 + i * 4 * 2);
	matrix_free(&m);
	assert_int_equal(matrix_build("seed", two_probes, &m, err, sizeof(err)), 0);
	assert_int_equal(m.n, 9);
	matrix_free(&m);
}

static void test_matrix_file(void **state)
{
	char path[] = "/tmp/bpfcost-matrix-XXXXXX", err[512];
	struct matrix m;
	FILE *f;
	int fd = mkstemp(path);

	(void)state;
	f = fdopen(fd, "w");
	fprintf(f, "# two rows\n  tp-null  \n\nfentry-map-stat # trailing comment\ntp-null\n");
	fclose(f);
	assert_int_equal(matrix_build(path, two_probes, &m, err, sizeof(err)), 0);
	assert_int_equal(m.n, 3); /* baseline added, duplicate dropped */
	assert_string_equal(m.configs[2].name, "fentry-map-stat");
	matrix_free(&m);
	f = fopen(path, "a");
	fprintf(f, "tp-bogus\n");
	fclose(f);
	assert_int_equal(matrix_build(path, two_probes, &m, err, sizeof(err)), -1);
	assert_contains(err, ":6: configuration 'tp-bogus'");
	unlink(path);
	assert_int_equal(matrix_build("nosuch", two_probes, &m, err, sizeof(err)), -1);
	assert_contains(err, "not a named matrix ( all seed quick full spin-ladder flood-ladder "
			     "latency-ladder )");
}

static void test_schedule_is_a_reproducible_shuffle(void **state)
{
	int a[21], b[21], seen[21] = { 0 }, i, same_as_next = 0, block;

	(void)state;
	schedule_block(42, 3, 21, a);
	schedule_block(42, 3, 21, b);
	assert_memory_equal(a, b, sizeof(a));
	for (i = 0; i < 21; i++)
		seen[a[i]]++;
	for (i = 0; i < 21; i++)
		assert_int_equal(seen[i], 1);
	/* blocks differ from one another */
	for (block = 0; block < 10; block++) {
		schedule_block(42, block, 21, a);
		schedule_block(42, block + 1, 21, b);
		same_as_next += !memcmp(a, b, sizeof(a));
	}
	assert_int_equal(same_as_next, 0);
}

static char *slurp(const char *rel)
{
	static char buf[1 << 20];
	FILE *f = fopen(test_root_path(rel), "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_iperf_report_receiver_side(void **state)
{
	struct iperf_result r;
	char err[256];

	(void)state;
	/* Values read off the fixture by hand: end.sum_received. */
	assert_int_equal(
		iperf_parse(slurp("tests/fixtures/runner/iperf3-udp.json"), &r, err, sizeof(err)),
		0);
	assert_float_equal(r.rx_bps, 19995496.4953855, 1e-3);
	assert_float_equal(r.rx_bytes, 2499712, 0);
	assert_float_equal(r.rx_packets, 39058, 0);
	assert_float_equal(r.rx_pps, 39058 / 1.00011, 1e-6);
	assert_float_equal(r.cpu_remote_percent, 14.964758015370593, 1e-9);
	assert_float_equal(r.lost_percent, 0, 0);
	assert_int_equal(
		iperf_parse(slurp("tests/fixtures/runner/iperf3-error.json"), &r, err, sizeof(err)),
		-1);
	assert_string_equal(err, "iperf3: unable to connect to server: Connection refused");
	assert_int_equal(iperf_parse("{\"end\":", &r, err, sizeof(err)), -1);
}

/*
 * A real iperf3 3.12 report of a UDP run with -O 1 (loopback, -b 200M -l 64):
 * its end.sum_received says packets 723463, lost_packets 562271, because the
 * omitted second's datagrams are counted as lost (packets - lost_packets would
 * be 161192, 77.7 % loss); the bytes say 349952 came in.
 */
static void test_iperf_report_with_warmup(void **state)
{
	struct iperf_result r;
	char err[256];

	(void)state;
	assert_int_equal(iperf_parse(slurp("tests/fixtures/runner/iperf3-udp-omit1.json"), &r, err,
				     sizeof(err)),
			 0);
	assert_float_equal(r.datagram_bytes, 64, 0);
	assert_float_equal(r.rx_bytes, 22396928, 0);
	assert_float_equal(r.rx_packets, 22396928 / 64, 0);
	assert_float_equal(r.sent_packets, 46301632 / 64, 0);
	assert_float_equal(r.rx_pps, 349952 / 1.998353, 1e-6);
	assert_float_equal(r.lost_percent, 100.0 * (723463 - 349952) / 723463, 1e-9);
}

/* A report that is not UDP, or lacks the datagram length, is refused by name. */
static void test_iperf_report_needs_udp_counts(void **state)
{
	const char *tcp = "{\"start\":{\"test_start\":{\"protocol\":\"TCP\",\"blksize\":131072}},"
			  "\"end\":{\"sum_received\":{\"bytes\":1000,\"seconds\":1,"
			  "\"bits_per_second\":8000}}}";
	const char *noblk = "{\"start\":{\"test_start\":{\"protocol\":\"UDP\"}},"
			    "\"end\":{\"sum_received\":{\"bytes\":1000,\"seconds\":1,"
			    "\"bits_per_second\":8000},\"sum_sent\":{\"bytes\":1000}}}";
	struct iperf_result r;
	char err[256];

	(void)state;
	assert_int_equal(iperf_parse(tcp, &r, err, sizeof(err)), -1);
	assert_string_equal(err, "iperf3 report is not a UDP test (protocol TCP)");
	assert_int_equal(iperf_parse(noblk, &r, err, sizeof(err)), -1);
	assert_contains(err, "blksize");
}

/* A receiver that keeps up to 20 Mbit/s, then falls (livelock): capacity is the best step. */
static void test_ramp_finds_capacity_past_livelock(void **state)
{
	struct ramp r;
	double rate = ramp_start(&r), expected_rate = rate;
	int steps = 0;

	(void)state;
	while (rate > 0) {
		double received = rate <= 20e6 ? rate : 40e6 - rate; /* 32 Mbit/s in: 8 out */

		assert_float_equal(rate, expected_rate, 1);
		rate = ramp_next(&r, rate, received);
		expected_rate *= 2;
		steps++;
		assert_cmp_int(steps, <=, RAMP_MAX_STEPS);
	}
	/* 2, 4, 8, 16 kept up; 32 received 8 (< 90%): stop there. */
	assert_int_equal(steps, 5);
	assert_int_equal(r.steps, 5);
	assert_int_equal(r.saturated, true);
	assert_float_equal(r.capacity_bps, 16e6, 1);
}

static void test_ramp_gives_up_unsaturated(void **state)
{
	struct ramp r;
	double rate = ramp_start(&r);
	int steps = 0;

	(void)state;
	while (rate > 0 && steps++ < 100)
		rate = ramp_next(&r, rate, rate); /* a receiver that always keeps up */
	assert_int_equal(steps, RAMP_MAX_STEPS);
	assert_int_equal(r.saturated, false);
	assert_float_equal(r.capacity_bps, r.offered[RAMP_MAX_STEPS - 1], 1);
}

/* -b is per stream in iperf3: the total is divided, any earlier -b goes. */
static void test_load_args_rate_per_stream(void **state)
{
	static const struct {
		const char *args;
		double total;
		const char *expected;
	} cases[] = {
		{ "-u -P 8 -b 1G -l 64", 80e6, "-u -P 8 -l 64 -b 10000000" },
		{ "-u -l 64", 3e6, "-u -l 64 -b 3000000" },
		{ "-u --parallel 4 --bitrate 5M -l 64", 8e6, "-u --parallel 4 -l 64 -b 2000000" },
		{ "-u -P2 -b5M", 1e6, "-u -P2 -b 500000" },
		{ "  -u\t-P 3  ", 3e6, "-u -P 3 -b 1000000" },
	};
	char out[256], small[12];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
			load_args_with_rate(cases[i].args, cases[i].total, out, sizeof(out)), 0);
		assert_string_equal(out, cases[i].expected);
	}
	assert_int_equal(load_streams("-u -P 8"), 8);
	assert_int_equal(load_streams("-u -P 0"), 1);
	assert_int_equal(load_args_with_rate("-u -P 8 -l 64", 1e9, small, sizeof(small)), -1);
}

static void test_budget_fits(void **state)
{
	(void)state;
	assert_int_equal(stopping_fits(0, 1e9, 1e9), true); /* no budget */
	assert_int_equal(stopping_fits(60, 40, 20), true);
	assert_int_equal(stopping_fits(60, 40, 20.5), false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_names_parse),
		cmocka_unit_test(test_bad_config_names_list_valid_values),
		cmocka_unit_test(test_config_settings),
		cmocka_unit_test(test_matrix_all_is_the_papers_21),
		cmocka_unit_test(test_matrix_file),
		cmocka_unit_test(test_schedule_is_a_reproducible_shuffle),
		cmocka_unit_test(test_iperf_report_receiver_side),
		cmocka_unit_test(test_iperf_report_with_warmup),
		cmocka_unit_test(test_iperf_report_needs_udp_counts),
		cmocka_unit_test(test_ramp_finds_capacity_past_livelock),
		cmocka_unit_test(test_ramp_gives_up_unsaturated),
		cmocka_unit_test(test_load_args_rate_per_stream),
		cmocka_unit_test(test_budget_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
