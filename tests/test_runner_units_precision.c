// SPDX-License-Identifier: GPL-2.0
/*
 * PRECISION's units in the runner: the command line takes 5%, a bare 5
 * (percent), 2ns, 1insn, 0.5Mbit/s each where the run's metric is in that
 * unit, and refuses the rest naming the metric's unit; the manifest records
 * {"target", "unit"} and a resume reads it back (and the old "target_pct"),
 * every recorded value checked as the command line's is.
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

#include "analysis/run.h"
#include "experiments/manifest.h"
#include "experiments/options.h"
#include "experiments/run_settings.h"
#include "loader/bpfcost.h"
#include "testlib.h"

/* The command line @args through bpfcost-run's steps before a run: 0, or -1 with @err. */
static int settle(struct run_options *o, const char *const *args, char *err, size_t errlen)
{
	char *argv[16] = { "bpfcost-run" };
	int argc = 1;

	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	err[0] = '\0';
	if (options_parse(o, argc, argv)) {
		snprintf(err, errlen, "options_parse refused it");
		return -1;
	}
	return options_apply_sets(o, err, errlen) || run_settings_check(&o->rs, err, errlen) ? -1
											     : 0;
}

#define TRIGGER_REAL "--workload", "trigger", "--target", "host", "-n", "4"
#define TRIGGER_INSN "--workload", "trigger", "--clock", "instructions", "-n", "4"
#define IPERF	     "--workload", "iperf", "--target", "host", "-n", "4"

static void expect_taken(const char *const *args, double value, const char *canon)
{
	struct run_options o;
	char err[512], unit[PRECISION_UNIT_LEN] = "";

	if (settle(&o, args, err, sizeof(err)))
		fail_msg("--precision %s (workload %s, clock %s): refused (%s); expected %g %s",
			 args[1], o.rs.workload, o.rs.clock, err, value, canon);
	assert_near(o.rs.precision, value, 0);
	if (precision_setting_unit(&o.rs, unit, sizeof(unit), err, sizeof(err)) ||
	    strcmp(unit, canon))
		fail_msg("--precision %s: unit '%s' (%s); expected '%s'", args[1], unit, err,
			 canon);
}

static void expect_refused(const char *const *args, const char *expect)
{
	struct run_options o;
	char err[512];

	if (!settle(&o, args, err, sizeof(err)))
		fail_msg("--precision %s (workload %s, clock %s): accepted; expected refused with "
			 "'%s'",
			 args[1], o.rs.workload, o.rs.clock, expect);
	assert_contains(err, expect);
}

static void test_units_on_the_command_line(void **state)
{
	(void)state;
	expect_taken((const char *[]){ "--precision", "2ns", TRIGGER_REAL, NULL }, 2, "ns");
	expect_taken((const char *[]){ "--precision", "2.5ns/call", TRIGGER_REAL, NULL }, 2.5,
		     "ns");
	expect_taken((const char *[]){ "--precision", "5%", TRIGGER_REAL, NULL }, 5, "%");
	/* A bare number keeps meaning percent. */
	expect_taken((const char *[]){ "--precision", "5", TRIGGER_REAL, NULL }, 5, "%");
	expect_taken((const char *[]){ "--precision", "1insn", TRIGGER_INSN, NULL }, 1, "insn");
	expect_taken((const char *[]){ "--precision", "1instructions", TRIGGER_INSN, NULL }, 1,
		     "insn");
	expect_taken((const char *[]){ "--precision", "0.5Mbit/s", IPERF, NULL }, 0.5, "Mbit/s");
	expect_taken((const char *[]){ "--precision", "5", IPERF, NULL }, 5, "%");
	/* A unit that is not the metric's: refused naming the metric's unit and what to type. */
	expect_refused((const char *[]){ "--precision", "1insn", TRIGGER_REAL, NULL },
		       "unit 'insn' is not the metric's: it is in ns/call, so give the target in "
		       "ns");
	expect_refused((const char *[]){ "--precision", "2ns", TRIGGER_INSN, NULL },
		       "it is in instructions/call, so give the target in insn");
	expect_refused((const char *[]){ "--precision", "2ns", IPERF, NULL },
		       "it is in Mbit/s, so give the target in Mbit/s");
	expect_refused((const char *[]){ "--precision", "2us", TRIGGER_REAL, NULL }, "unit 'us'");
	/* Syntax and bounds: refused by the option itself. */
	expect_refused((const char *[]){ "--precision", "ns", TRIGGER_REAL, NULL },
		       "options_parse refused it");
	expect_refused((const char *[]){ "--precision", "0ns", TRIGGER_REAL, NULL },
		       "options_parse refused it");
	expect_refused((const char *[]){ "--precision", "2000", TRIGGER_REAL, NULL },
		       "options_parse refused it");
	expect_refused((const char *[]){ "--precision", "1e99ns", TRIGGER_REAL, NULL },
		       "options_parse refused it");
}

/* What bpfcost-run says of a value it cannot read: what a target looks like. */
static void test_bad_value_message(void **state)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-run"), "--precision", "two", NULL };
	char out[4096], err[4096];

	(void)state;
	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err), 30000),
			 BPFCOST_EXIT_USAGE);
	assert_contains(err, "bad precision 'two'; valid: a number above 0 and its unit: 5% (or "
			     "5)");
	assert_contains(err, "2ns, 1insn, 0.5Mbit/s");
}

/* manifest_new() records the target in its unit; a resume reads back the same settings. */
static void test_manifest_round_trip(void **state)
{
	static const char *const args[] = { "--precision", "2ns/call", TRIGGER_REAL, NULL };
	static char *probes[] = { "null", NULL };
	struct config configs[2];
	struct matrix m = { .configs = configs, .n = 2 };
	struct run_options o;
	struct run_settings back = { 0 };
	const char **names = NULL;
	const cJSON *p;
	char err[512];
	cJSON *man;
	int count = 0;

	(void)state;
	if (settle(&o, args, err, sizeof(err)))
		fail_msg("test bug: %s", err);
	if (config_parse("baseline", probes, &configs[0], err, sizeof(err)) ||
	    config_parse("tp-null", probes, &configs[1], err, sizeof(err)))
		fail_msg("test bug: %s", err);
	man = manifest_new(&o.rs, &m);
	p = cJSON_GetObjectItemCaseSensitive(man, "precision");
	assert_near(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "target")), 2, 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "unit")),
			    "ns");
	assert_null(cJSON_GetObjectItemCaseSensitive(p, "target_pct"));
	if (manifest_settings(man, &back, &names, &count, err, sizeof(err)))
		fail_msg("its own manifest refused on resume: %s", err);
	assert_near(back.precision, 2, 0);
	assert_string_equal(back.precision_unit, "ns");
	assert_int_equal(back.max_n, o.rs.max_n);
	free(names);
	cJSON_Delete(man);
}

/* A trigger run on the host as manifest_new() writes it, trimmed to what a resume reads. */
static const char base_manifest[] =
	"{\"matrix\":\"quick\",\"N\":4,\"duration\":2,\"order_seed\":\"12345\","
	"\"target\":\"host\",\"clock\":\"real\",\"topology\":\"tap\","
	"\"workload\":{\"name\":\"trigger\",\"args\":{\"calls\":\"1000\",\"cpu\":\"0\","
	"\"ref\":\"0\",\"stat\":\"auto\"}},"
	"\"settings\":{\"accel\":\"auto\",\"vcpus\":2,\"mem_mb\":512,\"func\":\"udp_recvmsg\","
	"\"spin_ns\":1000,\"hit_check_s\":2,\"pin\":true,\"bind\":true},"
	"\"precision\":PRECISION,"
	"\"configs\":[\"baseline\",\"tp-null\"]}";

/*
 * The base manifest with @precision as its "precision" value: 0, or -1 with
 * @err. The unit read is copied (the manifest is gone on return).
 */
static int resume_with(const char *precision, struct run_settings *rs, char *err, size_t errlen)
{
	static char unit[PRECISION_UNIT_LEN];
	const char *at = strstr(base_manifest, "PRECISION");
	const char **names = NULL;
	char json[4096];
	cJSON *man;
	int count = 0, ret;

	snprintf(json, sizeof(json), "%.*s%s%s", (int)(at - base_manifest), base_manifest,
		 precision, at + strlen("PRECISION"));
	man = cJSON_Parse(json);
	if (!man)
		fail_msg("test bug: not JSON: %s", json);
	*rs = (struct run_settings){ 0 };
	err[0] = '\0';
	ret = manifest_settings(man, rs, &names, &count, err, errlen);
	if (!ret && rs->precision_unit) {
		snprintf(unit, sizeof(unit), "%s", rs->precision_unit);
		rs->precision_unit = unit;
	}
	free(names);
	cJSON_Delete(man);
	return ret;
}

/* Every recorded precision value is hostile: checked against the metric, refused by name. */
static void test_resume_checks_the_target(void **state)
{
	static const struct {
		const char *precision, *expect;
	} refused[] = {
		{ "{\"target\":2,\"unit\":\"insn\",\"budget_min\":0,\"max_n\":50}",
		  "it is in ns/call, so give the target in ns" },
		{ "{\"target\":2,\"unit\":\"ms\",\"budget_min\":0,\"max_n\":50}", "unit 'ms'" },
		{ "{\"target\":2,\"unit\":7,\"budget_min\":0,\"max_n\":50}", "precision.unit" },
		{ "{\"target\":2,\"unit\":\"nsnsnsnsnsnsnsnsnsnsnsnsnsnsnsnsnsns\",\"budget_min\":"
		  "0,"
		  "\"max_n\":50}",
		  "precision.unit" },
		{ "{\"target\":2,\"budget_min\":0,\"max_n\":50}", "precision.unit" },
		{ "{\"unit\":\"ns\",\"budget_min\":0,\"max_n\":50}", "a unit without a target" },
		{ "{\"target\":0,\"unit\":\"ns\",\"budget_min\":0,\"max_n\":50}", "precision 0" },
		{ "{\"target\":-2,\"unit\":\"ns\",\"budget_min\":0,\"max_n\":50}", "precision -2" },
		{ "{\"target\":1e300,\"unit\":\"ns\",\"budget_min\":0,\"max_n\":50}",
		  "precision 1e+300ns" },
		{ "{\"target\":\"2\",\"unit\":\"ns\",\"budget_min\":0,\"max_n\":50}",
		  "target: missing or not a finite number" },
		{ "{\"target\":2000,\"unit\":\"%\",\"budget_min\":0,\"max_n\":50}",
		  "precision 2000%" },
		{ "{\"target\":2,\"unit\":\"ns\",\"target_pct\":5,\"budget_min\":0,\"max_n\":50}",
		  "both target and target_pct" },
		{ "{\"target\":2,\"unit\":\"ns\",\"budget_min\":0,\"max_n\":1e300}", "max_n" },
		{ "[2,\"ns\"]", "precision: not an object" },
	};
	struct run_settings rs;
	char err[512];
	size_t i;

	(void)state;
	if (resume_with("{\"target\":2,\"unit\":\"ns\",\"budget_min\":3,\"max_n\":50}", &rs, err,
			sizeof(err)))
		fail_msg("a 2 ns target refused: %s; expected accepted", err);
	assert_near(rs.precision, 2, 0);
	assert_string_equal(rs.precision_unit, "ns");
	assert_near(rs.budget_min, 3, 0);
	/* A run from before units: target_pct is a percentage. */
	if (resume_with("{\"target_pct\":5,\"budget_min\":0,\"max_n\":50}", &rs, err, sizeof(err)))
		fail_msg("an old target_pct refused: %s; expected accepted", err);
	assert_near(rs.precision, 5, 0);
	assert_string_equal(rs.precision_unit, "%");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (!resume_with(refused[i].precision, &rs, err, sizeof(err)))
			fail_msg("precision %s: accepted; expected refused with '%s'",
				 refused[i].precision, refused[i].expect);
		if (!strstr(err, refused[i].expect))
			fail_msg("precision %s: refused with '%s'; expected '%s' in it",
				 refused[i].precision, err, refused[i].expect);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_on_the_command_line),
		cmocka_unit_test(test_bad_value_message),
		cmocka_unit_test(test_manifest_round_trip),
		cmocka_unit_test(test_resume_checks_the_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
