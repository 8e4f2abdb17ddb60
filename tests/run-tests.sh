#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs every test program given, keeps going after a failure, prints one
# summary line CI can read, and fails if any program failed. A test that runs
# longer than BPFCOST_TEST_TIMEOUT seconds (default 900) is killed and named:
# a hung test must fail loudly, not eat CI's whole budget.
limit=${BPFCOST_TEST_TIMEOUT:-900}
passed=0
failed=0
failed_names=
for t in "$@"; do
	name=$(basename "$t")
	echo "=== $name"
	start=$(date +%s)
	timeout --kill-after=10 "$limit" "$t"
	rc=$?
	took=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "=== $name: PASS ($took s)"
		continue
	fi
	failed=$((failed + 1))
	failed_names="$failed_names $name"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "=== $name: FAIL: TIMEOUT, killed after $limit s (BPFCOST_TEST_TIMEOUT)"
	else
		echo "=== $name: FAIL (exit $rc, $took s)"
	fi
done
echo "TEST SUMMARY: $passed passed, $failed failed${failed_names:+ (}${failed_names# }${failed_names:+)}"
[ "$failed" -eq 0 ]
