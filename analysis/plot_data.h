/* SPDX-License-Identifier: GPL-2.0 */
/* The data files of the two plots (plot_data.c), for the gnuplot runner (plot.c). */
#ifndef BPFCOST_ANALYSIS_PLOT_DATA_H
#define BPFCOST_ANALYSIS_PLOT_DATA_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "analysis/files.h"
#include "analysis/run.h"

/* The files one plot is made from, all in the private folder: <plot><suffix>. */
enum { F_VARS, F_DAT, F_LABELS, F_SERIES, F_GROUPS, F_MAX };
extern const char *const plot_file_suffix[F_MAX];

/* The private folder's files, written the one safe way. */
struct gpfile {
	struct outfile o;
	bool open;
};
struct plotfiles {
	struct gpfile g[F_MAX];
	FILE *f[F_MAX];
};
/* The first @n files of @plot (F_VARS...) in @tfd; close with plot_files_close(..., err). */
int plot_files_open(struct plotfiles *p, int tfd, const char *plot, int n);
int plot_files_close(struct plotfiles *p, int err);
/* A constant of ours as a quoted gnuplot string (quotes doubled). */
void gp_str(FILE *f, const char *s);
/* A string from the records as one tab-separated data field: never script. */
void gp_field(FILE *f, const char *s);
/* The same for a field gnuplot uses as a tic label format ('%' doubled). */
void gp_tic_field(FILE *f, const char *s);
/* paper.* (the paper figure) into the folder @tfd; -ENODATA: nothing to plot. */
int plot_write_paper(const struct run *run, int tfd);

/* impact.* into the folder @tfd; -ENODATA: no row besides the baseline. */
int plot_write_impact(const struct run *run, int tfd);
/* cdf.* (plot_cdf.c): whether the run's metrics are quantiles (two or more); -ENODATA: none. */
bool plot_has_cdf(const struct run *run);
int plot_write_cdf(const struct run *run, int tfd);
/* samples.* into the folder @tfd. */
int plot_write_samples(const struct run *run, int tfd);
/* Output file base: bitrate for the flood, cost for a cost per call. */
const char *plot_impact_base(const struct run *run);

/*
 * The private folder every gnuplot and pdflatex run uses (plot.c): @fn runs with a
 * fresh 0700 folder under /tmp that is emptied and removed after; SIGINT, SIGTERM
 * and SIGHUP set the stop flag meanwhile and are raised again once it is gone.
 */
int plot_in_private(int (*fn)(int tfd, void *arg), void *arg);
volatile sig_atomic_t *plot_stop_flag(void);
/* <plot>.gp copied from @scripts into @tfd and run there by gnuplot. */
int plot_gnuplot(int tfd, const char *scripts, const char *plot);
/* Our own file @name of @scripts copied into @tfd. */
int plot_copy_in(int tfd, const char *scripts, const char *name);
/* @from of @tfd to @to in @dfd through the safe writer. */
int plot_publish(int tfd, const char *from, int dfd, const char *to);

#endif
