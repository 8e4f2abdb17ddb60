# SPDX-License-Identifier: GPL-2.0
# Impact plot: each configuration's change vs baseline (% for a rate, the added cost
# in its unit for a cost per call) with 95% CI, grouped by attach type. Run by
# bpfcost-report in a private folder after impact.vars.gp (numbers: outbase, ngroups,
# nseries, scolor[], spt[], mde, base_mean, base_n). Every string from the results
# (labels, names, units) is read from a data file, never written into a script:
# impact.labels (title1, ylabel_text, unit, base_unit, worse, one per line),
# impact.series (one title per series), impact.groups (x, attach, has mechanism,
# mechanism) and impact.dat (one block per series: x, y, low, high).
set encoding utf8
set datafile separator "\t"
array L[5]
stats 'impact.labels' using (L[int($0) + 1] = strcol(1), 0) nooutput
title1 = L[1]; ylabel_text = L[2]; unit = L[3]; base_unit = L[4]; worse = L[5]
array stitle[nseries]
stats 'impact.series' using (stitle[int($0) + 1] = strcol(1), 0) nooutput
array G[ngroups]
stats 'impact.groups' using (G[int($0) + 1] = strcol(2) . \
	(column(3) != 0 ? "\n(" . strcol(4) . ")" : ""), 0) nooutput
set xtics ()
do for [g = 1:ngroups] { set xtics add (G[g] g - 1) }
# Room per attach group; many groups get slanted labels instead of overlapping ones.
w = ngroups * 110 + 500
w = w < 1100 ? 1100 : w
if (ngroups > 6) { set xtics rotate by 30 right }
set title title1 . "\n" . sprintf("mean vs baseline (%.1f %s, n=%d) with 95%% confidence interval; ", \
	base_mean, base_unit, base_n) . worse
set ylabel ylabel_text
set xlabel "Attach type (mechanism); within a group: one point per probe and BPF stats setting" offset 0,-1
set bmargin 5  # room for two-line group labels above the axis label
set xrange [-0.5:ngroups - 0.5]
set offsets 0, 0, graph 0.05, graph 0.05
set grid ytics lc rgb '#dddddd'
set key outside right top vertical Left reverse spacing 1.4
# The grey band is what this run could not tell apart from zero (mde < 0:
# one baseline sample, no spread, so no band).
if (mde > 0) set object 1 rect from graph 0, first -mde to graph 1, first mde \
	fc rgb '#e4e4e4' fs solid 1.0 noborder behind
set arrow 100 from graph 0, first 0 to graph 1, first 0 nohead lc rgb '#404040' dt 2 front

do for [k = 1:3] {
	if (k == 1) {
		set terminal pngcairo size w, 600 font "Sans,10" noenhanced
		set output outbase . ".png"
	}
	if (k == 2) {
		set terminal svg size w, 600 font "Sans,10" noenhanced dynamic background rgb 'white'
		set output outbase . ".svg"
	}
	if (k == 3) {
		set terminal pdfcairo size (w / 100.0), 6.0 font "Sans,10" noenhanced
		set output outbase . ".pdf"
	}
	plot NaN with boxes fs solid 1.0 fc rgb '#e4e4e4' \
		title (mde > 0 ? sprintf("±%.1f %s: too small for this run to detect", mde, unit) \
			       : "one baseline sample: no detection limit"), \
	     for [i = 1:nseries] 'impact.dat' index (i - 1) using 1:2:3:4 with yerrorbars \
		pt spt[i] ps 1.4 lw 2 lc rgb scolor[i] title stitle[i]
	set output
}
