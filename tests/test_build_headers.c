// SPDX-License-Identifier: GPL-2.0
/*
 * Touching any header makes `make` rebuild exactly the objects that include it,
 * directly or through another header (checked in a copy of the tree).
 * The work is done by tests/checks/headers.sh; this runs it as part of `make test`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_script.h"

static void test_headers(void **state)
{
	(void)state;
	check_script("headers.sh", 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
