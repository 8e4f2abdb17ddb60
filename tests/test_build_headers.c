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

CHECK_SCRIPT_PROGRAM(test_headers, "headers.sh", 300)
