// SPDX-License-Identifier: GPL-2.0
/*
 * Every test assertion prints actual and expected: none tests a comparison or a search as a bare
 * truth value. The work is done by tests/checks/assertions.sh; this runs it as part of `make test`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_script.h"

static void test_assertions(void **state)
{
	(void)state;
	check_script("assertions.sh", 120);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assertions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
