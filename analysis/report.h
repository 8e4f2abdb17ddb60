// SPDX-License-Identifier: GPL-2.0
/* Writers of the derived files; each reads only the analysed run. */
#ifndef BPFCOST_ANALYSIS_REPORT_H
#define BPFCOST_ANALYSIS_REPORT_H

#include <limits.h>
#include <stdio.h>

#include "analysis/run.h"

struct outfile {
	FILE *f;
	char path[PATH_MAX];
	char tmp[PATH_MAX + 8];
};

/* dir/name into buf; NULL when it does not fit, so no caller uses a cut path. */
char *path_join(char *buf, size_t len, const char *dir, const char *name);

/* Written to a temporary name and renamed on success: a reader never sees half a table. */
FILE *outfile_open(struct outfile *o, const char *dir, const char *name);
int outfile_close(struct outfile *o);
void outfile_abort(struct outfile *o);

int table_text_write(const struct run *run, const char *src, FILE *f);
int table_md_write(const struct run *run, FILE *f);
int table_tex_write(const struct run *run, FILE *f);
int summary_csv_write(const struct run *run, FILE *f);
int plot_write(const struct run *run, const char *outdir, const char *scriptdir);

/* The whole command line tool; main() only calls this so tests can drive it. */
int report_cli(int argc, char **argv);

#endif
