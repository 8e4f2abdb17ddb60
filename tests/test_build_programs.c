// SPDX-License-Identifier: GPL-2.0
/*
 * Every external program the code runs comes from a package `make deps`
 * installs (DEB_PACKAGES) or from an essential Debian package.
 * The work is done by tests/checks/programs.sh; this runs it as part of `make test`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_script.h"

static void test_programs(void **state)
{
	(void)state;
	check_script("programs.sh", 120);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_programs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
