// SPDX-License-Identifier: GPL-2.0
/* Writers of the derived files; each reads only the analysed run. */
#ifndef BPFCOST_ANALYSIS_REPORT_H
#define BPFCOST_ANALYSIS_REPORT_H

#include <limits.h>
#include <stdio.h>

#include "analysis/files.h"
#include "analysis/run.h"

int table_text_write(const struct run *run, const char *src, FILE *f);
int table_md_write(const struct run *run, FILE *f);
int table_tex_write(const struct run *run, FILE *f);
int summary_csv_write(const struct run *run, FILE *f);
int samples_csv_write(const struct run *run, FILE *f);
/*
 * The plots, made by gnuplot in a private temporary folder from data files of
 * fixed names, then copied into @outdfd (and their data into its plot/).
 */
int plot_write(const struct run *run, int outdfd, const char *scriptdir);
/*
 * paper.pdf and paper.log into @outdfd: the paper tables and figure made afresh in
 * a private temporary folder (never read back from the results folder), compiled
 * there by pdflatex without shell escape. 0, or -errno with the reason on @msg.
 */
int paper_pdf_write(const struct run *run, int outdfd, const char *scriptdir, FILE *msg);

/* The whole command line tool; main() only calls this so tests can drive it. */
int report_cli(int argc, char **argv);

#endif
