// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check_script.h"
#include "testlib.h"

void check_script(const char *name, int timeout_s)
{
	static char out[1 << 20], err[4096];
	/* One stream, so the report keeps its order and neither pipe fills up unread. */
	char *argv[] = { "/bin/sh", "-c", "exec /bin/sh \"$0\" 2>&1", NULL, NULL };
	char rel[256];
	int rc;

	snprintf(rel, sizeof(rel), "tests/checks/%s", name);
	argv[3] = strdup(test_root_path(rel));
	assert_non_null(argv[3]);

	rc = run_capture(argv, out, sizeof(out), err, sizeof(err), timeout_s * 1000);
	free(argv[3]);
	if (rc != 0)
		fail_msg("%s: exit %d, expected 0 (timeout %d s). It reported:\n%s", rel, rc,
			 timeout_s, out);
	print_message("%s", out);
}
