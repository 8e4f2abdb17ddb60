// SPDX-License-Identifier: GPL-2.0
/*
 * No source file outside tests/ is over 500 lines; runner_main.c at most 150.
 * The work is done by tests/checks/size.sh; this runs it as part of `make test`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_script.h"

CHECK_SCRIPT_PROGRAM(test_size, "size.sh", 120)
