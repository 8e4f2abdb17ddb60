// SPDX-License-Identifier: GPL-2.0
/*
 * WORKLOAD=latency refuses what it cannot measure, before a run starts:
 * CLOCK=instructions (a round trip is wall-clock time), a DURATION sockperf
 * cannot take (whole seconds), a message size outside sockperf's range. Its
 * defaults pass, sockperf (DEB_PACKAGES) being installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "experiments/options.h"
#include "experiments/run_settings.h"
#include "testlib.h"

/* The settings of @args, checked as bpfcost-run checks them; 0 or -1 with @err. */
static int check(const char *const *args, char *err, size_t errlen)
{
	char *argv[16] = { "bpfcost-run", "--workload", "latency" };
	struct run_options o;
	int argc = 3;

	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	if (options_parse(&o, argc, argv)) {
		snprintf(err, errlen, "options_parse refused it");
		return -1;
	}
	if (options_apply_sets(&o, err, errlen))
		return -1;
	return run_settings_check(&o.rs, err, errlen);
}

static void test_refusals(void **state)
{
	static const struct {
		const char *args[5];
		const char *says;
	} cases[] = {
		{ { "--clock", "instructions", NULL }, "CLOCK=instructions is refused" },
		{ { "-t", "2.5", NULL }, "DURATION 2.5: whole seconds" },
		{ { "--arg", "size=3", NULL }, "size '3'" },
		{ { "--arg", "size=64k", NULL }, "size '64k'" },
	};
	const char *const fine[] = { "-t", "2", NULL };
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		if (check(cases[i].args, err, sizeof(err)) != -1)
			fail_msg("%s %s accepted; expected refused saying '%s'", cases[i].args[0],
				 cases[i].args[1], cases[i].says);
		assert_contains(err, cases[i].says);
	}
	err[0] = '\0';
	if (check(fine, err, sizeof(err)))
		fail_msg("the latency defaults with -t 2 refused: %s", err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
