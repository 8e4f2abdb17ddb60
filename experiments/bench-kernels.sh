#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The KERNELS sweep's figures (a benchmark, not a test): wall time of
#   make experiment WORKLOAD=trigger CLOCK=instructions KERNELS="6.1 6.12" MATRIX=all N=3
# per kernel and in all, and the guests' build time (cold when no guest was
# built before: make guest-clean first). With --twice it runs again and compares
# the instruction counts per row of the two sweeps (they should agree within 0.1%).
#   experiments/bench-kernels.sh [--twice] [make settings, e.g. GUEST_CACHE=dir]
set -eu
twice=
if [ "${1:-}" = --twice ]; then
	twice=1
	shift
fi
log=$(mktemp)
trap 'rm -f "$log" "$log.a" "$log.b" "$log.dir"' EXIT

sweep() {
	start=$(date +%s)
	make --no-print-directory experiment WORKLOAD=trigger CLOCK=instructions \
		KERNELS="${BENCH_KERNELS:-6.1 6.12}" MATRIX="${BENCH_MATRIX:-all}" N="${BENCH_N:-3}" \
		"$@" 2>&1 | tee "$log" >&2
	end=$(date +%s)
	grep -o 'results in [^ ]*' "$log" | tail -n 1 | cut -d' ' -f3 >"$log.dir"
	echo "sweep: $(cat "$log.dir")"
	grep -o 'prepared in [0-9]* s' "$log" | sed 's/^/  guests /'
	grep -E 'bpfcost-sweep: kernel [0-9]+ of [0-9]+: [^ ]+: [a-z]+ after' "$log" |
		sed 's/^bpfcost-sweep: /  /'
	echo "  in all: $((end - start)) s"
}

# Each row's mean instructions per call in every kernel's summary.csv: "kernel/row mean".
counts() {
	for d in "$1"/*/; do
		[ -f "$d/summary.csv" ] || continue
		awk -F, -v k="$(basename "$d")" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
			$col["n_unsupported"] == 0 && $col["mean"] ~ /^[0-9.]+$/ { print k "/" $col["config"], $col["mean"] }' "$d/summary.csv"
	done
}

# The figures on stdout, make's own output on stderr.
sweep "$@"
first=$(cat "$log.dir")
[ -n "$twice" ] || exit 0
sweep "$@"
second=$(cat "$log.dir")
counts "$first" >"$log.a"
counts "$second" >"$log.b"
echo "instructions per call, first and second sweep:"
awk 'NR == FNR { a[$1] = $2; next }
	($1 in a) { d = a[$1] - $2; if (d < 0) d = -d; m0 = a[$1] < 0 ? -a[$1] : a[$1];
		r = m0 > 0 ? d / m0 : d; n++;
		printf "  %-45s %14s %14s %9.5f%%\n", $1, a[$1], $2, 100 * r; if (r > m) m = r }
	END { printf "rows compared: %d; largest difference %.5f%% (%s)\n", n, 100 * m,
		n && m <= 0.001 ? "within 0.1%" : "NOT within 0.1%" }' "$log.a" "$log.b"
rm -f "$log.a" "$log.b"
