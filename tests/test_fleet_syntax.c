// SPDX-License-Identifier: GPL-2.0
/* CI's check of the fleet playbook: ansible-playbook --syntax-check passes on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

static void test_playbook_syntax(void **state)
{
	char book[4096], cfg[4096], out[16384], err[16384];
	char *argv[] = { "ansible-playbook", "--syntax-check", "-i", "localhost,", book, NULL };
	int code;

	(void)state;
	snprintf(book, sizeof(book), "%s", test_root_path("experiments/fleet/fleet.yml"));
	snprintf(cfg, sizeof(cfg), "%s", test_root_path("experiments/fleet/ansible.cfg"));
	setenv("ANSIBLE_CONFIG", cfg, 1);
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), 120000);
	if (code)
		fail_msg("ansible-playbook --syntax-check %s: exit %d (expected 0):\n%s%s", book,
			 code, out, err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_playbook_syntax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
