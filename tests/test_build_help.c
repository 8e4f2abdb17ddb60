// SPDX-License-Identifier: GPL-2.0
/*
 * Every make variable the makefiles read from the user, and every phony target,
 * is listed by `make help`.
 * The work is done by tests/checks/help.sh; this runs it as part of `make test`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_script.h"

static void test_help(void **state)
{
	(void)state;
	check_script("help.sh", 120);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
