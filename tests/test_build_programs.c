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

CHECK_SCRIPT_PROGRAM(test_programs, "programs.sh", 120)
