// SPDX-License-Identifier: GPL-2.0
/*
 * loader/cli_opts.h: options declared in one string read as getopt_long()
 * would read the struct option table and short-option string they replace.
 */
#include <getopt.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "loader/cli_opts.h"

#define SPEC "calls|n: ref|r set/S: no-plots/P help|h"

/* The keys cli_getopt() returns for @argv, "k=value" for one with a value, joined by ' '. */
static const char *keys_of(char **argv)
{
	static char seen[256];
	int argc = 0, c;

	while (argv[argc])
		argc++;
	seen[0] = '\0';
	optind = 0;
	opterr = 0;
	for (optarg = NULL; (c = cli_getopt(argc, argv, SPEC)) != -1; optarg = NULL) {
		size_t at = strlen(seen);

		snprintf(seen + at, sizeof(seen) - at, "%s%c%s%s", at ? " " : "", c,
			 optarg ? "=" : "", optarg ? optarg : "");
	}
	return seen;
}

static void expect_keys(char **argv, const char *expect)
{
	const char *got = keys_of(argv);

	if (strcmp(got, expect))
		fail_msg("argv from '%s': keys '%s'; expected '%s'", argv[1], got, expect);
}

static void test_long_and_short_forms_agree(void **state)
{
	char *long_form[] = { "prog", "--calls", "5", "--ref", "--help", NULL };
	char *short_form[] = { "prog", "-n", "5", "-r", "-h", NULL };
	char *glued[] = { "prog", "-n5", "--calls=7", NULL };

	(void)state;
	expect_keys(long_form, "n=5 r h");
	expect_keys(short_form, "n=5 r h");
	expect_keys(glued, "n=5 n=7");
}

/* "name/K" is --name only: -S is not an option, though --set returns 'S'. */
static void test_long_only_has_no_short_form(void **state)
{
	char *long_only[] = { "prog", "--set", "a=1", "--no-plots", NULL };
	char *as_short[] = { "prog", "-S", "a=1", NULL };
	char *as_short_p[] = { "prog", "-P", NULL };

	(void)state;
	expect_keys(long_only, "S=a=1 P");
	expect_keys(as_short, "?");
	expect_keys(as_short_p, "?");
}

static void test_unknown_and_missing_value(void **state)
{
	char *unknown[] = { "prog", "--nope", NULL };
	char *missing[] = { "prog", "--calls", NULL };

	(void)state;
	expect_keys(unknown, "?");
	expect_keys(missing, "?");
}

static void test_cli_long_whole_numbers_in_range(void **state)
{
	static const struct {
		const char *s;
		long min, max;
		bool ok;
		long want;
	} cases[] = {
		{ "5", 1, 10, true, 5 },   { "1", 1, 10, true, 1 },
		{ "10", 1, 10, true, 10 }, { "0", 1, 10, false, 0 },
		{ "11", 1, 10, false, 0 }, { "", 0, 10, false, 0 },
		{ "5x", 0, 10, false, 0 }, { " 5 ", 0, 10, false, 0 },
		{ "-1", 0, 10, false, 0 }, { "99999999999999999999", 0, LONG_MAX, false, 0 },
		{ "007", 0, 10, true, 7 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long v = -42;
		bool ok = cli_long(cases[i].s, cases[i].min, cases[i].max, &v);

		if (ok != cases[i].ok || v != (ok ? cases[i].want : -42))
			fail_msg("cli_long('%s', %ld, %ld): %d, value %ld; expected %d, %ld",
				 cases[i].s, cases[i].min, cases[i].max, ok, v, cases[i].ok,
				 cases[i].ok ? cases[i].want : -42);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_and_short_forms_agree),
		cmocka_unit_test(test_long_only_has_no_short_form),
		cmocka_unit_test(test_unknown_and_missing_value),
		cmocka_unit_test(test_cli_long_whole_numbers_in_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
