/* SPDX-License-Identifier: GPL-2.0 */
/* The data files of the two plots (plot_data.c), for the gnuplot runner (plot.c). */
#ifndef BPFCOST_ANALYSIS_PLOT_DATA_H
#define BPFCOST_ANALYSIS_PLOT_DATA_H

#include "analysis/run.h"

/* The files one plot is made from, all in the private folder: <plot><suffix>. */
enum { F_VARS, F_DAT, F_LABELS, F_SERIES, F_GROUPS, F_MAX };
extern const char *const plot_file_suffix[F_MAX];

/* impact.* into the folder @tfd; -ENODATA: no row besides the baseline. */
int plot_write_impact(const struct run *run, int tfd);
/* samples.* into the folder @tfd. */
int plot_write_samples(const struct run *run, int tfd);
/* Output file base: bitrate for the flood, cost for a cost per call. */
const char *plot_impact_base(const struct run *run);

#endif
