# SPDX-License-Identifier: GPL-2.0
# Latency CDF: per configuration, the mean over samples of each round-trip quantile
# (p50, p90, p99, p99.9), the tail 1 - q on a log scale. Run in a private folder after
# cdf.vars.gp (numbers: outbase, nrows, xlo, xhi, qmin). Strings come from data files
# only: cdf.labels (the x label) and cdf.series (one configuration name per block of
# cdf.dat, in order).
set encoding utf8
set datafile separator "\t"
array L[1]
stats 'cdf.labels' using (L[int($0) + 1] = strcol(1), 0) nooutput
array S[nrows]
stats 'cdf.series' using (S[int($0) + 1] = strcol(1), 0) nooutput
set title "Round-trip latency per configuration: the tail of its distribution\n" . \
	"points: p50, p90, p99, p99.9 (means over samples; a quantile too few round trips had is left out)"
set xlabel L[1]
set ylabel "fraction of round trips slower (1 - quantile)"
set logscale y
set logscale x
set yrange [qmin / 2 : 1]
set xrange [xlo / 1.2 : xhi * 1.2]
set ytics ("0.5 (p50)" 0.5, "0.1 (p90)" 0.1, "0.01 (p99)" 0.01, "0.001 (p99.9)" 0.001)
set grid xtics ytics lc rgb '#dddddd'
set key outside right top vertical Left reverse noenhanced

do for [k = 1:3] {
	if (k == 1) {
		set terminal pngcairo size 1000, 600 font "Sans,10" noenhanced
		set output outbase . ".png"
	}
	if (k == 2) {
		set terminal svg size 1000, 600 font "Sans,10" noenhanced dynamic background rgb 'white'
		set output outbase . ".svg"
	}
	if (k == 3) {
		set terminal pdfcairo size 10, 6 font "Sans,10" noenhanced
		set output outbase . ".pdf"
	}
	plot for [i = 1:nrows] 'cdf.dat' index (i - 1) using 1:2 with linespoints lw 2 pt 7 \
		title S[i]
}
