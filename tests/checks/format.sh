#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every tracked (or new, not ignored) .c and .h file is formatted as
# .clang-format says. Lists each file that is not, with its warning count.
set -eu
cd "${BPFCOST_ROOT:-.}"
command -v clang-format >/dev/null || { echo "clang-format not installed (make deps)"; exit 1; }
files=0
bad=0
warnings=0
list=$(mktemp)
trap 'rm -f "$list"' EXIT
git ls-files --cached --others --exclude-standard -z '*.c' '*.h' >"$list"
# POSIX sh has no read -d: walk the NUL-separated list with xargs instead.
report=$(xargs -0 -r sh -c 'for f; do
	[ -f "$f" ] || continue
	n=$(clang-format --dry-run "$f" 2>&1 | grep -c "warning:" || true)
	echo "$n $f"
done' sh <"$list")
while read -r n f; do
	[ -n "$f" ] || continue
	files=$((files + 1))
	[ "$n" -eq 0 ] && continue
	bad=$((bad + 1))
	warnings=$((warnings + n))
	echo "$f: $n clang-format warnings (expected 0; see clang-format --dry-run $f)"
done <<EOF2
$report
EOF2
if [ "$bad" -ne 0 ]; then
	echo "$bad of $files files differ from .clang-format, $warnings warnings in all (expected 0)"
	exit 1
fi
echo "all $files C files match .clang-format"
