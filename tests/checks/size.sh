#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Small files with one job: no source file outside tests/ is over 500 lines,
# and experiments/runner_main.c (a short main over the option table) at most 150.
# Names each file over its limit with its line count.
set -eu
cd "${BPFCOST_ROOT:-.}"
limit=500
main=experiments/runner_main.c
main_limit=150
over=0
files=0
for f in $(git ls-files --cached --others --exclude-standard \
	'*.c' '*.h' '*.sh' '*.mk' '*.gp' 'Makefile' '.ci/*' | grep -v '^tests/'); do
	[ -f "$f" ] || continue
	files=$((files + 1))
	n=$(wc -l <"$f")
	max=$limit
	[ "$f" = "$main" ] && max=$main_limit
	[ "$n" -le "$max" ] && continue
	over=$((over + 1))
	echo "$f: $n lines (expected at most $max)"
done
if [ "$over" -ne 0 ]; then
	echo "$over of $files source files outside tests/ are over their limit"
	exit 1
fi
echo "all $files source files outside tests/ within $limit lines ($main within $main_limit)"
