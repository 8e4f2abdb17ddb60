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

CHECK_SCRIPT_PROGRAM(test_help, "help.sh", 120)
