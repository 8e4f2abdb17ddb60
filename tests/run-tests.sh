#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs every test program given, keeps going after a failure, prints one
# summary line CI can read, and fails if any program failed.
passed=0
failed=0
failed_names=
for t in "$@"; do
	name=$(basename "$t")
	echo "=== $name"
	start=$(date +%s)
	if "$t"; then
		passed=$((passed + 1))
		echo "=== $name: PASS ($(($(date +%s) - start)) s)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $name"
		echo "=== $name: FAIL ($(($(date +%s) - start)) s)"
	fi
done
echo "TEST SUMMARY: $passed passed, $failed failed${failed_names:+ (}${failed_names# }${failed_names:+)}"
[ "$failed" -eq 0 ]
