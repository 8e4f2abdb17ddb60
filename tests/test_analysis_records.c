// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing samples.jsonl and the per-configuration analysis, on the hand-written fixture
 * tests/fixtures/analysis/basic/samples.jsonl: 5 blocks of baseline, fentry-map,
 * fentry-map-stat, kprobe-null, tp-spin; kretprobe-fprobe-null unsupported twice; one
 * failed fentry-map sample; a non-JSON line 15 and a truncated last line 31.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/run.h"
#include "testlib.h"

static char fixture[4200];

static const struct row_stats *find(const struct run *run, const char *name)
{
	for (size_t i = 0; i < run->n_rows; i++)
		if (!strcmp(run->rows[i].name, name))
			return &run->rows[i];
	fail_msg("configuration %s not found", name);
	return NULL;
}

static void test_parse_one(void **state)
{
	struct record r;
	char why[128];

	(void)state;
	assert_int_equal(record_parse("{\"config\":\"kprobe-fprobe-null-stat\",\"rx_bps\":1e7,"
				      "\"run_cnt\":null,\"mechanism\":\"fprobe\"}",
				      &r, why, sizeof(why)),
			 0);
	/* attach/probe absent: left for records_load(), which knows the attach names seen */
	assert_string_equal(r.attach, "");
	assert_int_equal(r.stats, true);
	{
		const char *const seen[] = { "kprobe", "kprobe-fprobe", "tp", NULL };
		char attach[REC_NAME_LEN], probe[REC_NAME_LEN];
		bool stats;

		/* longest known attach type first; settings after '@' are not the probe */
		record_split_config("kprobe-fprobe-null-stat@spin_ns=5", seen, attach, probe,
				    sizeof(attach), &stats);
		assert_string_equal(attach, "kprobe-fprobe");
		assert_string_equal(probe, "null");
		assert_int_equal(stats, true);
	}
	assert_nan(r.run_cnt);
	assert_near(r.rx_bps, 1e7, 0);
	assert_string_equal(r.mechanism, "fprobe");

	assert_int_equal(record_parse("{\"config\":\"baseline\",\"probe\":null,\"attach\":null,"
				      "\"rx_bps\":5}",
				      &r, why, sizeof(why)),
			 0);
	assert_int_equal(r.baseline, true);
	assert_string_equal(r.attach, "");

	assert_int_equal(record_parse("{\"config\":\"tp-null\",\"error\":\"boom\","
				      "\"unsupported\":true}",
				      &r, why, sizeof(why)),
			 0);
	assert_int_equal(r.failed, true);
	assert_int_equal(r.unsupported, true);
	assert_string_equal(r.error, "boom");

	assert_int_equal(record_parse("{\"config\":\"tp-null\",\"rx_bps\":", &r, why, sizeof(why)),
			 -1);
	assert_int_equal(record_parse("[1,2]", &r, why, sizeof(why)), -1);
	assert_int_equal(record_parse("{\"config\":\"tp-null\"}", &r, why, sizeof(why)), -1);
	assert_int_equal(record_parse("{\"rx_bps\":1}", &r, why, sizeof(why)), -1);
}

static void test_load_reports_line_numbers(void **state)
{
	struct record_set set;
	char buf[1024] = "";
	FILE *diag = tmpfile();

	(void)state;
	assert_sys_ok(diag, "tmpfile()");
	assert_int_equal(records_load(fixture, &set, diag), 0);
	rewind(diag);
	assert_cmp_int(fread(buf, 1, sizeof(buf) - 1, diag), >, 0);
	fclose(diag);
	assert_contains(buf, "samples.jsonl:15:");
	assert_contains(buf, "samples.jsonl:31:");
	assert_int_equal(set.n_malformed, 2);
	assert_int_equal(set.first_malformed_line, 15);
	/* 25 good + 2 unsupported + 1 failed; the blank line 8 is not a record */
	assert_int_equal(set.n, 28);
	records_free(&set);
	assert_int_equal(records_load("/nonexistent/samples.jsonl", &set, NULL), -2 /* ENOENT */);
}

static void test_group_order(void **state)
{
	static const char *const want[] = {
		"baseline", "fentry-map", "fentry-map-stat", "kprobe-null", "kretprobe-fprobe-null",
		"tp-spin",
	};
	struct run run;

	(void)state;
	assert_int_equal(run_load(&run, getenv("FIXTURE_DIR"), NULL), 0);
	assert_int_equal(run.n_rows, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(run.rows[i].name, want[i]);
	assert_ptr_equal(run.baseline, &run.rows[0]);
	assert_int_equal(find(&run, "fentry-map")->n_ok, 5);
	assert_int_equal(find(&run, "fentry-map")->n_err, 1);
	assert_int_equal(find(&run, "kretprobe-fprobe-null")->n_unsupported, 2);
	assert_int_equal(run.n_failed, 3);
	/* manifest is optional decoration, but read when present */
	assert_cmp_int(run.n_manifest, >=, 2);
	run_free(&run);
}

static void test_analyse_fixture(void **state)
{
	const struct row_stats *c;
	struct run run;

	(void)state;
	assert_int_equal(run_load(&run, getenv("FIXTURE_DIR"), NULL), 0);
	run.estimator = EST_MEAN; /* Welch arithmetic by hand; robust: test_analysis_robust* */
	assert_int_equal(run_analyse(&run), 0);

	c = find(&run, "fentry-map");
	assert_near(c->value.mean, 21.0, 1e-9);
	/* (21 - 19) / 19 = +10.526%; CI (2 -/+ 2.306004 * 0.5) / 19 (see test_analysis_stats) */
	assert_near(c->impact_pct, 10.5263157895, 1e-6);
	assert_near(c->impact_lo, 0.8469979324 / 19 * 100, 1e-4);
	assert_near(c->impact_hi, 3.1530020676 / 19 * 100, 1e-4);
	/* Holm over 4 p-values (fentry-map .00395, fentry-map-stat 1, kprobe-null 1,
	 * tp-spin .000323): fentry-map is 2nd smallest -> min(1, 3 * .0039498) = .011849 */
	assert_near(c->p_holm, 3 * 0.0039497728, 1e-6);
	assert_string_equal(c->sig, "*");
	/* pps = bps / 512 in the fixture: 1e9 * 512 / 21e6 - 1e9 * 512 / 19e6 */
	assert_near(c->ns_per_pkt, 512e9 / 21e6 - 512e9 / 19e6, 1e-6);
	assert_nan(c->ns_per_run);
	assert_string_equal(c->mechanism, "trampoline");
	if (c->hits_bad)
		fail_msg("fentry-map hits flagged bad (lowest %g per packet), expected fine",
			 c->hits_min);

	/* -stat row: run_time_ns = 50 * run_cnt in every sample */
	assert_near(find(&run, "fentry-map-stat")->ns_per_run, 50.0, 1e-9);
	assert_near(find(&run, "fentry-map-stat")->p_holm, 1.0, 1e-9);

	/* one sample at 0.5 hits/packet: loud flag */
	if (!find(&run, "kprobe-null")->hits_bad)
		fail_msg("kprobe-null hits not flagged (lowest %g per packet), expected flagged",
			 find(&run, "kprobe-null")->hits_min);
	assert_near(find(&run, "kprobe-null")->hits_min, 0.5, 0);

	c = find(&run, "tp-spin");
	assert_near(c->spin_ns, 5000, 0);
	/* smallest p (.000323, Python) times 4 hypotheses */
	assert_near(c->p_holm, 4 * 0.0003233932, 1e-6);
	assert_string_equal(c->sig, "**");

	/* run MDE, n = 5 per group: 8.4076% (test_analysis_stats) */
	assert_near(run.mde_pct, 8.4076148762, 1e-5);
	assert_nan(run.baseline->impact_pct);
	assert_nan(find(&run, "kretprobe-fprobe-null")->p_holm);
	run_free(&run);
}

static void test_notes(void **state)
{
	struct notes n;
	struct run run;
	bool spin = false, hits = false, unsup = false;

	(void)state;
	assert_int_equal(run_load(&run, getenv("FIXTURE_DIR"), NULL), 0);
	run.estimator = EST_MEAN; /* Welch arithmetic by hand; robust: test_analysis_robust* */
	assert_int_equal(run_analyse(&run), 0);
	assert_int_equal(notes_build(&run, &n), 0);
	for (size_t i = 0; i < n.n; i++) {
		spin |= strstr(n.v[i], "tp-spin: known cost DETECTED") &&
			strstr(n.v[i], "spin_ns=5000");
		hits |= strstr(n.v[i], "WARNING: kprobe-null") != NULL;
		unsup |= strstr(n.v[i], "unsupported by this kernel") != NULL;
	}
	if (!spin || !hits || !unsup) {
		for (size_t i = 0; i < n.n; i++)
			print_message("note: %s\n", n.v[i]);
		fail_msg("notes above: spin DETECTED %d, kprobe-null WARNING %d, unsupported %d; "
			 "expected all 1",
			 spin, hits, unsup);
	}
	notes_free(&n);
	run_free(&run);
}

static void test_no_baseline(void **state)
{
	char dir[4096];
	struct run run;
	const char *root = getenv("BPFCOST_ROOT");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/analysis/no_baseline", root ? root : ".");
	assert_int_equal(run_load(&run, dir, NULL), 0);
	if (run.baseline) /* the only baseline sample failed */
		fail_msg("baseline %s with %zu good samples, expected none", run.baseline->name,
			 run.baseline->n_ok);
	assert_int_equal(run_analyse(&run), -2 /* ENOENT */);
	run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_one),
		cmocka_unit_test(test_load_reports_line_numbers),
		cmocka_unit_test(test_group_order),
		cmocka_unit_test(test_analyse_fixture),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_no_baseline),
	};
	const char *root = getenv("BPFCOST_ROOT");
	static char dir[4096];

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/analysis/basic", root ? root : ".");
	snprintf(fixture, sizeof(fixture), "%s/samples.jsonl", dir);
	setenv("FIXTURE_DIR", dir, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
