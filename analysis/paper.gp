# SPDX-License-Identifier: GPL-2.0
# paper-figure.pdf: one column (3.3 in) of grouped bars, a group per attach type,
# a bar per probe body and stats setting, 95% CI whiskers; greys and hatching, so
# it reads in print. Run by bpfcost-report in a private folder after paper.vars.gp
# (numbers: ngroups, nseries, SK[]: which bar, probe body 2k / 2 and stats k % 2,
# each series is). Strings from the results come from data files only:
# paper.labels (the y label), paper.series (one title per bar) and paper.dat (attach
# type, mechanism, then value, low, high per series).
set encoding utf8
set datafile separator "\t"
array L[1]
stats 'paper.labels' using (L[int($0) + 1] = strcol(1), 0) nooutput
array S[nseries]
stats 'paper.series' using (S[int($0) + 1] = strcol(1), 0) nooutput

# Per bar: stats off a solid grey per probe body, stats on black hatching whose
# direction is the probe body's.
array P[nseries]
array C[nseries]
greys = "#303030 #a0a0a0 #686868 #d0d0d0"
do for [i = 1:nseries] {
	k = SK[i]
	P[i] = (k % 2 == 0) ? 3 : 4 + (k / 2) % 4
	C[i] = (k % 2 == 0) ? word(greys, 1 + (k / 2) % 4) : "#000000"
}

set terminal pdfcairo size 3.3in, 2.2in font "Sans,7" noenhanced linewidth 0.8
set output 'paper-figure.pdf'
set style data histograms
set style histogram errorbars gap 1 lw 0.8
set boxwidth 0.9
set ylabel L[1]
set key top left horizontal maxrows 2 samplen 1.5 spacing 0.9 width -2
set grid ytics back lc rgb '#d0d0d0' lw 0.5
set xtics nomirror scale 0
set ytics nomirror
set border 3
set bmargin 3.2
set xzeroaxis lt 1 lc rgb '#000000' lw 0.5
# Bars start at zero: the axis takes in 0 whatever the sign of the values.
set yrange [*<0:0<*]
set offsets 0, 0, graph 0.25, graph 0.02
if (ngroups > 5) { set xtics rotate by 25 right }
plot for [i = 1:nseries] 'paper.dat' \
	using (column(3 * i)):(column(3 * i + 1)):(column(3 * i + 2)): \
	xtic(strcol(1) . (strlen(strcol(2)) ? "\n(" . strcol(2) . ")" : "")) \
	title S[i] fs pattern P[i] border lc rgb '#000000' lc rgb C[i]
set output
