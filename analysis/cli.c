// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "analysis/escape.h"
#include "analysis/paper.h"
#include "analysis/report.h"
#include "loader/cli_opts.h"

/*
 * Messages go to the terminal through a filter (escape.c): a folder's name or
 * a line of its files quoted there never carries a control character.
 */
static FILE *msg;
/* A name from the command line or a folder, as one line of plain characters. */
#define SHOW(s) esc_text_str((char[PATH_MAX]){ 0 }, PATH_MAX, s)

#ifndef BPFCOST_ANALYSIS_DIR
#define BPFCOST_ANALYSIS_DIR "analysis"
#endif

enum { EXIT_ANALYSIS = 1, EXIT_INPUT = 2 };

struct opts {
	const char *dir;
	char *const *dirs; /* every RESULTS_DIR given: more than one is a comparison */
	size_t n_dirs;
	const char *out;
	bool out_given;
	bool plots;
	bool quiet;
	bool paper;	       /* --paper: compile paper.pdf too */
	const char *precision; /* --precision; NULL: the run's own target, if it had one */
	const char *percall;   /* --percall: a per-call run predicting this flood's impacts */
	enum estimator estimator;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: bpfcost-report [OPTIONS] [RESULTS_DIR]\n"
		   "       bpfcost-report [OPTIONS] --out DIR RUN1 RUN2 [RUN...]\n"
		   "       bpfcost-report [OPTIONS] SWEEP_DIR\n"
		   "Regenerate table.txt, table.md, table.tex, summary.csv and the plots\n"
		   "bitrate.{png,svg,pdf} (a rate) or cost.{png,svg,pdf} (a cost per call) and\n"
		   "samples.{png,svg,pdf}, and for a paper paper-table.tex, paper-table-wide.tex\n"
		   "and paper-figure.pdf, from RESULTS_DIR/samples.jsonl.\n"
		   "RESULTS_DIR defaults to results/latest.\n"
		   "Several runs (or a sweep folder holding sweep.json): one comparison table,\n"
		   "compare.{txt,md,csv} and compare-paper.tex, in DIR (in SWEEP_DIR): per run\n"
		   "the added cost and its 95%% CI, and each run minus the first. Runs of\n"
		   "different workloads, units or clocks are refused.\n\n"
		   "  -o, --out DIR   write derived files to DIR instead of RESULTS_DIR\n"
		   "      --no-plots  skip gnuplot\n"
		   "      --precision P  judge each row's added-cost 95%% CI half-width against\n"
		   "                  P: 5%% (or a bare 5) of the baseline, or in the metric's\n"
		   "                  unit per event: 2ns, 1insn, 0.5Mbit/s\n"
		   "                  (default: the run's PRECISION, if it had one)\n"
		   "      --percall DIR  beside each flood impact, the impact predicted from the\n"
		   "                  added cost per call of DIR, a WORKLOAD=trigger run of the\n"
		   "                  same kernel; rows where the two disagree are flagged\n"
		   "      --estimator robust|mean  what the impact, CI, p and Sig columns use:\n"
		   "                  robust (default): medians, the Hodges-Lehmann shift and\n"
		   "                  the Mann-Whitney test, unmoved by a few disturbed samples;\n"
		   "                  mean: means and Welch's t-test (the original tables)\n"
		   "      --paper     also compile paper.pdf (and keep paper.log): the paper\n"
		   "                  tables and figure on an IEEEtran page, by pdflatex\n"
		   "                  without shell escape in a private folder\n"
		   "  -q, --quiet     do not print table.txt on stdout\n"
		   "  -h, --help      show this help\n\n"
		   "Exit status: 0 success, 1 analysis or output failure (e.g. no baseline),\n"
		   "2 bad usage or missing RESULTS_DIR/samples.jsonl.\n"
		   "Malformed lines in samples.jsonl are reported on stderr and skipped.\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .dir = "results/latest", .plots = true };
	optind = 0; /* report_cli may run more than once in one process (tests) */
	while ((c = cli_getopt(
			argc, argv,
			"out|o: no-plots/P precision/C: percall/R: estimator/E: paper/W quiet|q "
			"help|h")) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'P':
			o->plots = false;
			break;
		case 'C': {
			const char *unit;
			double v;

			/* The unit is judged once the run's metric is known. */
			if (precision_split(optarg, &v, &unit)) {
				fprintf(msg,
					"bpfcost-report: bad --precision '%s'; valid: a number "
					"above "
					"0 with a unit: 5%% (or 5), or the metric's, e.g. 2ns\n",
					SHOW(optarg));
				return EXIT_INPUT;
			}
			o->precision = optarg;
			break;
		}
		case 'R':
			o->percall = optarg;
			break;
		case 'E':
			if (estimator_parse(optarg, &o->estimator)) {
				fprintf(stderr,
					"bpfcost-report: bad --estimator '%.64s'; valid: robust, "
					"mean\n",
					optarg);
				return EXIT_INPUT;
			}
			break;
		case 'W':
			o->paper = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr); /* fixed text, several lines */
			return EXIT_INPUT;
		}
	}
	if (optind < argc)
		o->dir = argv[optind];
	o->dirs = argv + optind;
	o->n_dirs = optind < argc ? (size_t)(argc - optind) : 0;
	o->out_given = o->out;
	if (!o->out)
		o->out = o->dir;
	return -1;
}

static bool has_script(const char *dir)
{
	char p[PATH_MAX];

	return snprintf(p, sizeof(p), "%s/impact.gp", dir) < (int)sizeof(p) && !access(p, R_OK);
}

/* The scripts live in the source tree; find it from the binary, then from the build. */
static const char *script_dir(char *buf, size_t len)
{
	const char *env = getenv("BPFCOST_ANALYSIS_DIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && has_script(env))
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(buf, len, "%s/../../analysis", dirname(exe));
		if (has_script(buf))
			return buf;
	}
	env = getenv("BPFCOST_ROOT");
	if (env) {
		snprintf(buf, len, "%s/analysis", env);
		if (has_script(buf))
			return buf;
	}
	return BPFCOST_ANALYSIS_DIR;
}

typedef int (*writer_fn)(const struct run *run, FILE *f);

static const char *g_src;

static int text_writer(const struct run *run, FILE *f)
{
	return table_text_write(run, g_src, f);
}

static int write_tables(const struct run *run, const struct opts *o, int outdfd)
{
	static const struct {
		const char *name;
		writer_fn fn;
	} files[] = {
		{ "table.txt", text_writer },
		{ "table.md", table_md_write },
		{ "table.tex", table_tex_write },
		{ "summary.csv", summary_csv_write },
		{ "samples.csv", samples_csv_write },
		{ "paper-table.tex", paper_table_write },
		{ "paper-table-wide.tex", paper_table_wide_write },
	};
	struct outfile of;
	size_t i;
	int err;

	g_src = o->dir;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!outfile_open(&of, outdfd, files[i].name)) {
			fprintf(msg, "bpfcost-report: cannot write %s: %s\n", files[i].name,
				strerror(errno));
			return -1;
		}
		if (files[i].fn(run, of.f)) {
			outfile_abort(&of);
			fprintf(msg, "bpfcost-report: failed to write %s\n", files[i].name);
			return -1;
		}
		err = outfile_close(&of);
		if (err) {
			fprintf(msg, "bpfcost-report: failed to write %s: %s\n", files[i].name,
				strerror(-err));
			return -1;
		}
	}
	return 0;
}

/* The table just written, read back the safe way: it may have been swapped since. */
static void cat_table(int outdfd)
{
	char *text, *line;
	size_t len;
	FILE *out;

	if (infile_read(outdfd, "table.txt", (size_t)64 << 20, &text, &len))
		return;
	out = esc_term_stream(stdout);
	/* Line by line: the filter keeps a line break only at the end of a write. */
	for (line = text; out && line < text + len;) {
		char *nl = memchr(line, '\n', text + len - line);
		size_t n = nl ? (size_t)(nl - line) + 1 : (size_t)(text + len - line);

		fwrite(line, 1, n, out);
		fflush(out);
		line += n;
	}
	if (out)
		fclose(out);
	free(text);
}

static const char *dir_error(int err)
{
	return err == -ELOOP ? "a symbolic link to elsewhere (not followed)" : strerror(-err);
}

/* The input and output folders, opened once (see analysis/files.h). */
static int open_dirs(const struct opts *o, int *in, int *out)
{
	*in = dir_open(o->dir);
	if (*in < 0) {
		fprintf(msg,
			"bpfcost-report: results folder '%s': %s "
			"(run 'make experiment' or pass RESULTS=<dir>)\n",
			SHOW(o->dir), dir_error(*in));
		return EXIT_INPUT;
	}
	*out = o->out == o->dir ? fcntl(*in, F_DUPFD_CLOEXEC, 0) : dir_open(o->out);
	if (*out < 0) {
		fprintf(msg, "bpfcost-report: output folder '%s': %s\n", SHOW(o->out),
			dir_error(*out < 0 && o->out == o->dir ? -errno : *out));
		close(*in);
		return EXIT_INPUT;
	}
	return 0;
}

/*
 * --precision, else the run's own target. A unit not of the run's metric is
 * refused when this command line asks for it, and left out (said on stderr)
 * when only the manifest does: the folder may come from anyone.
 */
static int judge_precision(struct run *run, const struct opts *o)
{
	char err[256];
	const char *unit;
	double v = NAN;

	if (o->precision && !precision_split(o->precision, &v, &unit) &&
	    run_precision(run, v, unit, err, sizeof(err))) {
		fprintf(msg, "bpfcost-report: bad --precision '%s': %s\n", SHOW(o->precision),
			SHOW(err));
		return -1;
	}
	if (!o->precision &&
	    run_precision(run, run->precision_asked, run->precision_asked_unit, err, sizeof(err)))
		fprintf(msg, "bpfcost-report: manifest.json: precision target not used: %s\n",
			SHOW(err));
	return 0;
}

static int report(int argc, char **argv)
{
	char sbuf[PATH_MAX];
	struct run run;
	struct opts o;
	int ret, err, in, out;

	ret = parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (o.n_dirs > 1 && (o.percall || o.paper || o.precision)) {
		fprintf(msg, "bpfcost-report: --percall, --paper and --precision take one run, "
			     "not a comparison\n");
		return EXIT_INPUT;
	}
	if (o.n_dirs > 1)
		return compare_main(o.dirs, o.n_dirs, o.out_given ? o.out : NULL, o.estimator,
				    o.quiet, msg);
	ret = open_dirs(&o, &in, &out);
	if (ret)
		return ret;
	/* A sweep folder holds runs, not samples: their comparison. */
	if (!faccessat(in, "sweep.json", F_OK, AT_SYMLINK_NOFOLLOW) &&
	    faccessat(in, "samples.jsonl", F_OK, AT_SYMLINK_NOFOLLOW)) {
		ret = compare_sweep_main(in, out, o.dir, o.estimator, o.quiet, msg);
		close(in);
		close(out);
		return ret;
	}
	err = run_load_at(&run, in, msg);
	if (err) {
		fprintf(msg, "bpfcost-report: cannot read %s/samples.jsonl: %s%s\n", SHOW(o.dir),
			infile_strerror(err),
			err == -EFBIG ? " (at most 256 MiB and 1000000 records)" : "");
		run_free(&run);
		close(in);
		close(out);
		return EXIT_INPUT;
	}
	run.estimator = o.estimator;
	err = run_analyse(&run);
	if (err == -ENOENT) {
		fprintf(msg,
			"bpfcost-report: %s/samples.jsonl has no successful 'baseline' sample: "
			"impact vs baseline cannot be computed\n",
			SHOW(o.dir));
		ret = EXIT_ANALYSIS;
		goto out;
	}
	if (!err && judge_precision(&run, &o)) {
		ret = EXIT_INPUT;
		goto out;
	}
	if (!err && o.percall) {
		err = run_percall(&run, o.dir, o.percall);
		if (!err && run.percall.refused[0])
			fprintf(msg, "bpfcost-report: --percall %s: not used: %s\n",
				run.percall.dir, run.percall.refused);
	}
	if (err || write_tables(&run, &o, out)) {
		ret = EXIT_ANALYSIS;
		goto out;
	}
	if (o.plots && plot_write(&run, out, script_dir(sbuf, sizeof(sbuf)))) {
		fprintf(msg, "bpfcost-report: plots failed (tables were written)\n");
		ret = EXIT_ANALYSIS;
	}
	if (o.paper && paper_pdf_write(&run, out, script_dir(sbuf, sizeof(sbuf)), msg))
		ret = EXIT_ANALYSIS;
	if (!o.quiet)
		cat_table(out);
out:
	run_free(&run);
	close(in);
	close(out);
	return ret;
}

int report_cli(int argc, char **argv)
{
	int ret;

	msg = esc_term_stream(stderr);
	if (!msg)
		msg = stderr;
	ret = report(argc, argv);
	if (msg != stderr)
		fclose(msg);
	msg = stderr;
	return ret;
}
