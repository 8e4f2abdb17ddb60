/* SPDX-License-Identifier: GPL-2.0 */
/* The standing checks of the tree itself: one shell script each, in tests/checks/. */
#ifndef BPFCOST_CHECK_SCRIPT_H
#define BPFCOST_CHECK_SCRIPT_H

/*
 * Run tests/checks/@name with stdout and stderr together; fail the cmocka test
 * with the script's report (what it found and what it expected) unless it
 * exits 0 within @timeout_s.
 */
void check_script(const char *name, int timeout_s);

/* A whole cmocka program that runs one check script as test @test. */
#define CHECK_SCRIPT_PROGRAM(test, script, timeout_s)                                              \
	static void test(void **state)                                                             \
	{                                                                                          \
		(void)state;                                                                       \
		check_script(script, timeout_s);                                                   \
	}                                                                                          \
	int main(void)                                                                             \
	{                                                                                          \
		const struct CMUnitTest tests[] = {                                                \
			cmocka_unit_test(test),                                                    \
		};                                                                                 \
		return cmocka_run_group_tests(tests, NULL, NULL);                                  \
	}

#endif /* BPFCOST_CHECK_SCRIPT_H */
