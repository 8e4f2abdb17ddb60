# SPDX-License-Identifier: GPL-2.0
# Per-sample plot: every sample's value of the run's metric per configuration, baseline
# included, so the spread behind each mean is visible. Run in a private folder after
# samples.vars.gp (numbers: outbase, ncfg, base_mean, base_sd). Strings come from data
# files only: samples.labels (ylabel_text) and the names in samples.dat's block 1
# (x, mean, sd, name), the tic labels.
set encoding utf8
set datafile separator "\t"
array L[1]
stats 'samples.labels' using (L[int($0) + 1] = strcol(1), 0) nooutput
ylabel_text = L[1]
set title ylabel_text . " of every sample, per configuration\n" . \
	"dots: one sample each; bars: mean ± sd; shaded: baseline mean ± sd"
set ylabel ylabel_text
set xrange [-0.6:ncfg - 0.4]
set xtics rotate by 45 right nomirror
set grid ytics lc rgb '#dddddd'
set key outside right top vertical Left reverse spacing 1.3
set offsets 0, 0, graph 0.05, graph 0.05
set object 1 rect from graph 0, first base_mean - base_sd to graph 1, first base_mean + base_sd \
	fc rgb '#d8e6f3' fs solid 1.0 noborder behind
# Wide enough for slanted names, but capped so a 60-row matrix is not a banner.
w = ncfg * 30 + 450
w = w < 900 ? 900 : (w > 2200 ? 2200 : w)
h = w > 1400 ? 800 : 600

do for [k = 1:3] {
	if (k == 1) {
		set terminal pngcairo size w, h font "Sans,10" noenhanced
		set output outbase . ".png"
	}
	if (k == 2) {
		set terminal svg size w, h font "Sans,10" noenhanced dynamic background rgb 'white'
		set output outbase . ".svg"
	}
	if (k == 3) {
		set terminal pdfcairo size (w / 100.0), (h / 100.0) font "Sans,10" noenhanced
		set output outbase . ".pdf"
	}
	plot NaN with boxes fs solid 1.0 fc rgb '#d8e6f3' title "baseline mean ± sd", \
	     base_mean with lines lc rgb '#0072b2' dt 2 lw 1.5 title "baseline mean", \
	     'samples.dat' index 0 using 1:2 with points pt 7 ps 0.7 lc rgb '#60303030' \
		title "one sample", \
	     'samples.dat' index 1 using 1:2:3:xticlabels(4) with yerrorbars pt 5 ps 1.0 lw 2 lc rgb '#d55e00' \
		title "mean ± sd"
	set output
}
