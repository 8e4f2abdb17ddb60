// SPDX-License-Identifier: GPL-2.0
/*
 * Every tracked C source and header is formatted as .clang-format says.
 * The work is done by tests/checks/format.sh; this runs it as part of `make test`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_script.h"

static void test_format(void **state)
{
	(void)state;
	check_script("format.sh", 120);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
