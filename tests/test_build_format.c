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

CHECK_SCRIPT_PROGRAM(test_format, "format.sh", 120)
