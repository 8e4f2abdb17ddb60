#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A failing test says what it found and what it expected: no test asserts a
# comparison or a search through cmocka's assert_true/assert_false or
# assert_non_null/assert_null(strstr(...)), which print only the expression.
# testlib.h has assert_contains, assert_cmp_int, assert_cmp_double and friends.
# Names each such line.
set -eu
cd "${BPFCOST_ROOT:-.}"
found=0
files=0
for f in $(git ls-files --cached --others --exclude-standard 'tests/*.c' | grep -v '^tests/fuzz/'); do
	[ -f "$f" ] || continue
	files=$((files + 1))
	# assert_true/false on anything; assert_(non_)null on a search.
	hits=$(grep -nE 'assert_(true|false)[[:space:]]*\(|assert_(non_)?null[[:space:]]*\([[:space:]]*(strstr|strchr|strrchr|memmem)' "$f" || true)
	[ -n "$hits" ] || continue
	printf '%s\n' "$hits" | while IFS= read -r line; do
		echo "$f:$line (expected an assertion that prints actual and expected: testlib.h)"
	done
	found=$((found + $(printf '%s\n' "$hits" | wc -l)))
done
if [ "$found" -ne 0 ]; then
	echo "$found assertions in $files test files hide their values on failure"
	exit 1
fi
echo "no assertion in $files test files hides its values on failure"
