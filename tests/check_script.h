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

#endif /* BPFCOST_CHECK_SCRIPT_H */
