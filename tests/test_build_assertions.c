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

CHECK_SCRIPT_PROGRAM(test_assertions, "assertions.sh", 120)
