// SPDX-License-Identifier: GPL-2.0
/* What every benchmark of bpfcost-bench does: run a tool, measure one bpfcost-run. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/run.h"
#include "experiments/bench.h"
#include "loader/bpfcost.h"
#include "loader/clock.h"
#include "loader/spawn.h"

const char *bench_out_root = "results/bench";

int bench_run_tool(char *const argv[])
{
	struct spawn_opts o;
	char why[64];

	spawn_opts_init(&o);
	o.stdout_fd = SPAWN_INHERIT;
	o.stderr_fd = SPAWN_INHERIT;
	if (spawn_run_ok(argv, &o, 3 * 3600, NULL, why, sizeof(why))) {
		fprintf(stderr, "bpfcost-bench: %s: %s\n", argv[0], why);
		return -1;
	}
	return 0;
}

/*
 * One bpfcost-run into a fresh folder under bench_out_root/<label>; @extra is a
 * NULL-terminated argv tail. Loads and analyses the result into @run.
 */
int bench_measure(const char *label, char *const *extra, struct run *run, double *seconds)
{
	char tool[PATH_MAX], root[PATH_MAX], latest[2 * PATH_MAX + 16], dir[PATH_MAX];
	char *argv[48] = { tool, "--no-report", "-o", root };
	double t0 = bpfcost_now();
	ssize_t n;
	int k = 4;

	snprintf(tool, sizeof(tool), "%s/bpfcost-run", bpfcost_exe_dir());
	snprintf(root, sizeof(root), "%s/%s", bench_out_root, label);
	mkdir(bench_out_root, 0755);
	for (; *extra && k < 46; extra++)
		argv[k++] = *extra;
	argv[k] = NULL;
	fprintf(stderr, "bpfcost-bench: %s\n", label);
	if (bench_run_tool(argv))
		return -1;
	*seconds = bpfcost_now() - t0;
	snprintf(latest, sizeof(latest), "%s/latest", root);
	n = readlink(latest, dir, sizeof(dir) - 1);
	if (n <= 0)
		return -1;
	dir[n] = '\0';
	snprintf(latest, sizeof(latest), "%s/%s", root, dir);
	if (run_load(run, latest, stderr) || !run->baseline || run_analyse(run))
		return -1;
	printf("  results: %s\n", latest);
	return 0;
}

int bench_write_matrix(const char *path, const char *const *rows)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (; *rows; rows++)
		fprintf(f, "%s\n", *rows);
	return fclose(f);
}
