// SPDX-License-Identifier: GPL-2.0
/*
 * paper.pdf: the paper tables and figure on an IEEEtran page, so an author sees
 * what they will paste. Everything pdflatex reads is made afresh in a private
 * folder from the analysed run (nothing LaTeX is read from the results folder,
 * which anyone may have written); pdflatex runs there without shell escape, and
 * only paper.pdf and paper.log are copied out, through the safe writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/escape.h"
#include "analysis/paper.h"
#include "analysis/plot_data.h"
#include "analysis/report.h"
#include "loader/spawn.h"

#define LOG_MAX ((size_t)16 << 20)
/* Seconds one pdflatex pass may take: a page compiles in about one. */
#define PASS_TIMEOUT 300

struct paper_args {
	const struct run *run;
	int outdfd;
	const char *scriptdir;
	FILE *msg;
};

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		if (n && n + strlen(prog) + 2 < sizeof(dir)) {
			snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, path, prog);
			if (!access(dir, X_OK))
				return true;
		}
		path += n + (path[n] == ':');
	}
	return false;
}

static int write_table(int tfd, const char *name, int (*fn)(const struct run *, FILE *),
		       const struct run *run)
{
	struct outfile of;

	if (!outfile_open(&of, tfd, name))
		return -errno;
	if (fn(run, of.f)) {
		outfile_abort(&of);
		return -EIO;
	}
	return outfile_close(&of);
}

/* What stopped pdflatex, from its log: the "!" lines, and a hint for a missing package. */
static void explain(int tfd, FILE *msg)
{
	char *log, *line, *save = NULL;
	size_t len;
	int shown = 0;

	if (infile_read(tfd, "paper.log", LOG_MAX, &log, &len))
		return;
	for (line = strtok_r(log, "\n", &save); line && shown < 6;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '!' && !strstr(line, ".sty' not found"))
			continue;
		fprintf(msg, "bpfcost-report: paper.log: %s\n", line);
		shown++;
		if (strstr(line, "siunitx.sty"))
			fprintf(msg, "bpfcost-report: siunitx is in Debian's texlive-science "
				     "(make deps)\n");
		if (strstr(line, "IEEEtran.cls"))
			fprintf(msg, "bpfcost-report: IEEEtran is in Debian's texlive-publishers "
				     "(make deps)\n");
	}
	free(log);
}

/* Overfull boxes: the tables do not fit the width they are for. */
static size_t overfull(int tfd)
{
	char *log, *p;
	size_t len, n = 0;

	if (infile_read(tfd, "paper.log", LOG_MAX, &log, &len))
		return 0;
	for (p = log; (p = strstr(p, "Overfull \\hbox")); p++)
		n++;
	free(log);
	return n;
}

static int pdflatex(int tfd, FILE *msg)
{
	char *argv[] = { "pdflatex",	   "-no-shell-escape", "-interaction=nonstopmode",
			 "-halt-on-error", "paper.tex",	       NULL };
	struct spawn_opts o;
	char why[96];
	int err = 0;

	spawn_opts_init(&o);
	o.cwd_fd = tfd;
	/* Twice: the second pass has the table numbers the notes refer to. */
	for (int pass = 0; !err && pass < 2; pass++)
		err = spawn_run_ok(argv, &o, PASS_TIMEOUT, plot_stop_flag(), why, sizeof(why));
	if (err && err != -EINTR) {
		fprintf(msg, "bpfcost-report: pdflatex paper.tex: %s (its log: paper.log)\n", why);
		explain(tfd, msg);
	}
	return err;
}

static int paper_private(int tfd, void *arg)
{
	const struct paper_args *a = arg;
	int err, fig;

	err = write_table(tfd, "paper-table.tex", paper_table_write, a->run);
	if (!err)
		err = write_table(tfd, "paper-table-wide.tex", paper_table_wide_write, a->run);
	if (!err)
		err = plot_copy_in(tfd, a->scriptdir, "paper.tex");
	if (err)
		return err;
	/* No plain row, no figure: the page then shows the tables alone. */
	fig = plot_write_paper(a->run, tfd);
	if (!fig)
		fig = plot_gnuplot(tfd, a->scriptdir, "paper");
	if (fig && fig != -ENODATA)
		return fig;
	err = pdflatex(tfd, a->msg);
	/* The log either way: it says what went wrong. */
	if (!faccessat(tfd, "paper.log", F_OK, AT_SYMLINK_NOFOLLOW) &&
	    plot_publish(tfd, "paper.log", a->outdfd, "paper.log") && !err)
		err = -EIO;
	if (!err)
		err = plot_publish(tfd, "paper.pdf", a->outdfd, "paper.pdf");
	if (!err && overfull(tfd))
		fprintf(a->msg,
			"bpfcost-report: WARNING paper.log: %zu overfull box(es): a table is wider "
			"than its column\n",
			overfull(tfd));
	return err;
}

int paper_pdf_write(const struct run *run, int outdfd, const char *scriptdir, FILE *msg)
{
	struct paper_args a = { run, outdfd, scriptdir, msg };

	if (!in_path("pdflatex")) {
		fprintf(msg,
			"bpfcost-report: --paper needs pdflatex, which is not installed "
			"(make deps: texlive-latex-base, texlive-science, texlive-publishers)\n");
		return -ENOENT;
	}
	return plot_in_private(paper_private, &a);
}
