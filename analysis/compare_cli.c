// SPDX-License-Identifier: GPL-2.0
/* bpfcost-report RUN1 RUN2 ... and bpfcost-report SWEEP_DIR: load, check, write, show. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "analysis/escape.h"
#include "analysis/files.h"
#include "analysis/sweep_index.h"

enum { EXIT_ANALYSIS = 1, EXIT_INPUT = 2 };

#define SHOW(s) esc_text_str((char[PATH_MAX]){ 0 }, PATH_MAX, s)

/* One run from its folder, analysed as a single report would: 0, or -1 with r->error. */
static int load_one(struct cmp_run *r, int dfd, enum estimator est, FILE *msg)
{
	int err;

	/* Skipped lines are reported on @msg as a single report does. */
	err = run_load_at(&r->run, dfd, msg);

	if (err) {
		snprintf(r->error, sizeof(r->error), "cannot read samples.jsonl: %s",
			 infile_strerror(err));
		goto fail;
	}
	r->run.estimator = est;
	err = run_analyse(&r->run);
	if (err) {
		snprintf(r->error, sizeof(r->error), "%s",
			 err == -ENOENT ? "no successful baseline sample" : strerror(-err));
		goto fail;
	}
	compare_facets_load(r, dfd);
	r->loaded = true;
	snprintf(r->status, sizeof(r->status), "done");
	return 0;
fail:
	run_free(&r->run);
	snprintf(r->status, sizeof(r->status), "unreadable");
	return -1;
}

static const struct {
	const char *name;
	int (*fn)(const struct compare *c, FILE *f);
} outputs[] = {
	{ "compare.txt", compare_txt_write },
	{ "compare.md", compare_md_write },
	{ "compare.csv", compare_csv_write },
	{ "compare-paper.tex", compare_tex_write },
};

static int write_all(const struct compare *c, int outdfd, FILE *msg)
{
	struct outfile of;
	size_t i;
	int err;

	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		if (!outfile_open(&of, outdfd, outputs[i].name)) {
			fprintf(msg, "bpfcost-report: cannot write %s: %s\n", outputs[i].name,
				strerror(errno));
			return -1;
		}
		if (outputs[i].fn(c, of.f)) {
			outfile_abort(&of);
			fprintf(msg, "bpfcost-report: failed to write %s\n", outputs[i].name);
			return -1;
		}
		err = outfile_close(&of);
		if (err) {
			fprintf(msg, "bpfcost-report: failed to write %s: %s\n", outputs[i].name,
				strerror(-err));
			return -1;
		}
	}
	return 0;
}

/* Checked, labelled, written; the warnings on @msg too. */
static int finish(struct compare *c, int outdfd, bool quiet, FILE *msg)
{
	char why[512];
	size_t i;

	if (compare_check(c, why, sizeof(why))) {
		fprintf(msg, "bpfcost-report: these runs cannot be compared: %s\n", why);
		return EXIT_INPUT;
	}
	for (i = 0; i < c->n_runs; i++)
		if (c->runs[i].loaded && !c->unit[0])
			snprintf(c->unit, sizeof(c->unit), "%s", c->runs[i].run.metric.unit);
	if (compare_label(c) || compare_build(c)) {
		fprintf(msg, "bpfcost-report: out of memory\n");
		return EXIT_ANALYSIS;
	}
	for (i = 0; i < c->n_notes; i++)
		if (!strncmp(c->notes[i], "warning: ", 9))
			fprintf(msg, "bpfcost-report: %s\n", c->notes[i]);
	/* A sweep's run or a fleet's host without numbers: said where it is seen, not only in the
	 * files. */
	for (i = 0; i < c->n_runs; i++)
		if (!c->runs[i].loaded)
			fprintf(msg, "bpfcost-report: %s %s: %s%s%s\n",
				compare_is_fleet(c) ? "host" : "run", c->runs[i].name,
				c->runs[i].status, c->runs[i].error[0] ? ": " : "",
				c->runs[i].error);
	if (write_all(c, outdfd, msg))
		return EXIT_ANALYSIS;
	if (!quiet)
		compare_txt_write(c, stdout);
	return 0;
}

static int setup(struct compare *c, size_t n, enum estimator est, FILE *msg)
{
	memset(c, 0, sizeof(*c));
	c->runs = calloc(n, sizeof(*c->runs));
	if (!c->runs) {
		fprintf(msg, "bpfcost-report: out of memory\n");
		return EXIT_ANALYSIS;
	}
	c->n_runs = n;
	snprintf(c->estimator, sizeof(c->estimator), "%s", estimator_name(est));
	return 0;
}

int compare_main(char *const *dirs, size_t n, const char *out, enum estimator est, bool quiet,
		 FILE *msg)
{
	struct compare c;
	int ret, outdfd;
	size_t i;

	if (n > CMP_RUNS_MAX) {
		fprintf(msg, "bpfcost-report: at most %d runs in one comparison\n", CMP_RUNS_MAX);
		return EXIT_INPUT;
	}
	/* Several inputs, no one of them the obvious home: the output folder is asked for. */
	if (!out) {
		fprintf(msg,
			"bpfcost-report: comparing %zu runs needs --out DIR (or a sweep "
			"folder; make report RESULTS=\"a b\" makes one)\n",
			n);
		return EXIT_INPUT;
	}
	if (mkdir(out, 0755) && errno != EEXIST) {
		fprintf(msg, "bpfcost-report: output folder '%s': %s\n", SHOW(out),
			strerror(errno));
		return EXIT_INPUT;
	}
	outdfd = dir_open(out);
	if (outdfd < 0) {
		fprintf(msg, "bpfcost-report: output folder '%s': %s\n", SHOW(out),
			strerror(-outdfd));
		return EXIT_INPUT;
	}
	ret = setup(&c, n, est, msg);
	for (i = 0; i < n && !ret; i++) {
		struct cmp_run *r = &c.runs[i];
		int dfd = dir_open(dirs[i]);

		snprintf(r->name, sizeof(r->name), "%s", SHOW(dirs[i]));
		if (dfd < 0) {
			fprintf(msg, "bpfcost-report: results folder '%s': %s\n", r->name,
				dfd == -ELOOP ? "a symbolic link to elsewhere (not followed)"
					      : strerror(-dfd));
			ret = EXIT_INPUT;
			break;
		}
		if (load_one(r, dfd, est, msg)) {
			fprintf(msg, "bpfcost-report: %s: %s\n", r->name, r->error);
			ret = EXIT_INPUT;
		}
		close(dfd);
	}
	if (!ret)
		ret = finish(&c, outdfd, quiet, msg);
	compare_free(&c);
	close(outdfd);
	return ret;
}

/* A sweep's folder entry: a plain name, a folder and not a symlink, under the sweep. */
static int open_entry(int sweepfd, const char *dir)
{
	int fd;

	if (!sweep_index_dir_ok(dir))
		return -EINVAL;
	fd = openat(sweepfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int compare_sweep_main(int sweepfd, int outdfd, const char *name, enum estimator est, bool quiet,
		       FILE *msg)
{
	char why[256];
	struct compare c;
	struct sweep_index s;
	size_t i;
	int ret;

	if (sweep_index_read_at(sweepfd, &s, why, sizeof(why))) {
		fprintf(msg, "bpfcost-report: %s/sweep.json: %s\n", SHOW(name), why);
		return EXIT_INPUT;
	}
	ret = setup(&c, s.n_runs, est, msg);
	if (ret)
		return ret;
	snprintf(c.variable, sizeof(c.variable), "%s", s.variable);
	for (i = 0; i < s.n_runs; i++) {
		struct cmp_run *r = &c.runs[i];
		int fd;

		snprintf(r->name, sizeof(r->name), "%s", s.runs[i].name);
		snprintf(r->status, sizeof(r->status), "%s", s.runs[i].status);
		snprintf(r->error, sizeof(r->error), "%s", s.runs[i].error);
		if (strcmp(s.runs[i].status, "done"))
			continue;
		fd = open_entry(sweepfd, s.runs[i].dir);
		if (fd < 0) {
			snprintf(r->status, sizeof(r->status), "unreadable");
			snprintf(r->error, sizeof(r->error), "folder %s: %s", s.runs[i].dir,
				 fd == -ELOOP || fd == -ENOTDIR ? "not a folder (a symbolic "
								  "link is not followed)"
								: strerror(-fd));
			continue;
		}
		load_one(r, fd, est, msg);
		close(fd);
	}
	ret = finish(&c, outdfd, quiet, msg);
	compare_free(&c);
	return ret;
}
