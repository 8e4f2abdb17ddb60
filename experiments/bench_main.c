// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-bench: the per-call mode's benchmarks, each run side by side in one
 * go and printed as figures (not a timed test: these machines are shared).
 *
 *  1. host, real time: tp-null vs raw_tp-null, the difference and its 95% CI
 *     half-width, from getppid-normalised samples, and the time it took;
 *  2. guest, instruction clock: MATRIX=all twice; the largest relative
 *     difference of any row's mean between the two runs, and each run's time;
 *  3. spin ladders: host (real, normalised) and guest (instructions): the
 *     fitted slope of measured against set cost, with its 95% CI;
 *  4. the flood: default (-b 1G per stream) against calibrated offered load,
 *     baseline samples alternating in one guest; the CV of each;
 *  5. the report: bpfcost-report on 20,000 and on 80,000 generated records,
 *     plots included, one after the other; loading must scale linearly;
 *  6. disturbance: the same host-target flood run twice, the second with a
 *     CPU hog on every host CPU for a stretch in its middle; each run's MDE
 *     with the robust and the mean estimator, and how many samples were
 *     marked disturbed and redone.
 *
 * Usage: bpfcost-bench [--only host|guest|ladder|flood|report|disturb] [-n N] [-o DIR]
 */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/run.h"
#include "experiments/sample.h"
#include "experiments/schedule.h"
#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "loader/bpfcost.h"
#include "loader/clock.h"
#include "loader/spawn.h"

static const char *out_root = "results/bench";

static int run_tool(char *const argv[])
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

/* getppid()'s time per call on this CPU now: the scale normalised samples keep. */
static double ref_ns(void)
{
	char tool[PATH_MAX], line[512];
	char *argv[] = { tool, "--calls", "2000000", "--ref", NULL };
	cJSON *j;
	double v;

	snprintf(tool, sizeof(tool), "%s/bpfcost-trigger", bpfcost_exe_dir());
	if (spawn_first_line(argv, line, sizeof(line), 120))
		return NAN;
	j = cJSON_Parse(line);
	v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "ref_ns_per_call"));
	cJSON_Delete(j);
	return v;
}

/*
 * One bpfcost-run into a fresh folder under out_root/<label>; @extra is a
 * NULL-terminated argv tail. Loads and analyses the result into @run.
 */
static int measure(const char *label, char *const *extra, struct run *run, double *seconds)
{
	char tool[PATH_MAX], root[PATH_MAX], latest[2 * PATH_MAX + 16], dir[PATH_MAX];
	char *argv[48] = { tool, "--no-report", "-o", root };
	double t0 = bpfcost_now();
	ssize_t n;
	int k = 4;

	snprintf(tool, sizeof(tool), "%s/bpfcost-run", bpfcost_exe_dir());
	snprintf(root, sizeof(root), "%s/%s", out_root, label);
	mkdir(out_root, 0755);
	for (; *extra && k < 46; extra++)
		argv[k++] = *extra;
	argv[k] = NULL;
	fprintf(stderr, "bpfcost-bench: %s\n", label);
	if (run_tool(argv))
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

static int write_matrix(const char *path, const char *const *rows)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (; *rows; rows++)
		fprintf(f, "%s\n", *rows);
	return fclose(f);
}

static int bench_host(const char *n)
{
	static const char *const rows[] = { "tp-null", "raw_tp-null", NULL };
	char matrix[PATH_MAX], refarg[64];
	char *extra[] = { "--target", "host",  "--workload", "trigger", "-m",
			  matrix,     "-n",    (char *)n,    "--arg",	"calls=1000000",
			  "--arg",    "ref=1", "--arg",	     refarg,	NULL };
	const struct row_stats *tp, *raw;
	double ref = ref_ns(), secs;
	struct welch w;
	struct run run;

	snprintf(matrix, sizeof(matrix), "%s/host-tp-rawtp.matrix", out_root);
	mkdir(out_root, 0755);
	if (!isfinite(ref) || write_matrix(matrix, rows))
		return -1;
	snprintf(refarg, sizeof(refarg), "ref_ns=%.3f", ref);
	if (measure("host-tp-vs-rawtp", extra, &run, &secs))
		return -1;
	tp = run_find_cfg(&run, "tp-null");
	raw = run_find_cfg(&run, "raw_tp-null");
	printf("1. host, real time (getppid-normalised to %.1f ns), N=%s, %.0f s:\n", ref, n, secs);
	if (!tp || !raw || stats_welch(&tp->value, &raw->value, &w)) {
		printf("   tp-null or raw_tp-null has too few samples\n");
		run_free(&run);
		return -1;
	}
	printf("   baseline %.1f ns/call, tp-null %+.1f, raw_tp-null %+.1f\n",
	       run.baseline->value.mean, tp->diff, raw->diff);
	printf("   tp-null - raw_tp-null = %+.2f ns/call, 95%% CI [%+.2f, %+.2f], half-width "
	       "%.2f ns\n",
	       w.diff, w.ci_lo, w.ci_hi, (w.ci_hi - w.ci_lo) / 2);
	run_free(&run);
	return 0;
}

static int bench_guest(const char *n)
{
	char *extra[] = { "--workload", "trigger", "--clock", "instructions", "-m", "all",
			  "-n",		(char *)n, NULL };
	double secs[2], worst = 0;
	const char *worst_name = "";
	struct run a, b;

	if (measure("guest-all-1", extra, &a, &secs[0]))
		return -1;
	if (measure("guest-all-2", extra, &b, &secs[1])) {
		run_free(&a);
		return -1;
	}
	printf("2. guest, instruction clock, MATRIX=all twice, N=%s: %.0f s and %.0f s\n", n,
	       secs[0], secs[1]);
	for (size_t i = 0; i < a.n_rows; i++) {
		const struct row_stats *ca = &a.rows[i], *cb = run_find_cfg(&b, ca->name);
		double rel;

		if (!cb || !ca->value.n || !cb->value.n)
			continue;
		rel = fabs(ca->value.mean - cb->value.mean) / ca->value.mean * 100;
		if (rel > worst) {
			worst = rel;
			worst_name = ca->name;
		}
		printf("   %-24s %9.2f %9.2f  %.3f%%\n", ca->name, ca->value.mean, cb->value.mean,
		       rel);
	}
	printf("   largest difference between the runs: %.3f%% (%s)\n", worst, worst_name);
	run_free(&a);
	run_free(&b);
	return 0;
}

static void print_ladder(const char *what, const struct run *run, double secs)
{
	const struct ladder *l = &run->ladder;

	printf("   %s (%.0f s): slope %.3f [%.3f, %.3f], intercept %+.1f [%+.1f, %+.1f] %s over "
	       "%zu rows\n",
	       what, secs, l->slope, l->slope_lo, l->slope_hi, l->icept, l->icept_lo, l->icept_hi,
	       run->metric.unit, l->rows);
	for (size_t i = 0; i < run->n_rows; i++)
		if (!strcmp(run->rows[i].probe, "spin"))
			printf("     %-24s set %4.0f  measured %+8.1f\n", run->rows[i].name,
			       run->rows[i].spin_ns, run_spin_added(run, &run->rows[i]));
}

static int bench_ladders(const char *n)
{
	char refarg[64];
	char *host[] = { "--target",	"host",	 "--workload", "trigger", "-m",
			 "spin-ladder", "-n",	 (char *)n,    "--arg",	  "calls=500000",
			 "--arg",	"ref=1", "--arg",      refarg,	  NULL };
	char *guest[] = { "--workload", "trigger", "--clock", "instructions", "-m", "spin-ladder",
			  "-n",		"2",	   NULL };
	double ref = ref_ns(), secs;
	struct run run;
	int err = 0;

	if (!isfinite(ref))
		return -1;
	snprintf(refarg, sizeof(refarg), "ref_ns=%.3f", ref);
	printf("3. spin ladders (spin_ns 0, 50, 100, 200, 400, 800):\n");
	if (!measure("host-spin-ladder", host, &run, &secs)) {
		print_ladder("host, real time, normalised", &run, secs);
		run_free(&run);
	} else {
		err = -1;
	}
	if (!measure("guest-spin-ladder", guest, &run, &secs)) {
		print_ladder("guest, instruction clock", &run, secs);
		run_free(&run);
	} else {
		err = -1;
	}
	return err;
}

static volatile sig_atomic_t bench_stop;

static void on_signal(int sig)
{
	(void)sig;
	bench_stop = 1;
}

struct flood_variant {
	const char *name;
	const char *values[WORKLOAD_MAX_ARGS];
	double bps[1000], lost[1000];
	size_t n;
};

static void print_flood(const struct flood_variant *v)
{
	struct sample_stats s, l;

	stats_describe(v->bps, v->n, &s);
	stats_describe(v->lost, v->n, &l);
	printf("   %-11s %.2f ± %.2f Mbit/s, CV %.1f%%, loss %.1f%% (n=%zu; %s)\n", v->name,
	       s.mean / 1e6, s.sd / 1e6, s.sd / s.mean * 100, l.mean, s.n, v->values[0]);
}

/*
 * 4. The flood's noise, default against calibrated offered load: one guest,
 * baseline samples of the two alternating in a shuffled order, so both see
 * the same machine at the same time.
 */
static int bench_flood(const char *n_arg)
{
	const struct workload_ops *w = workload_find("iperf");
	struct target_settings ts = {
		.accel = "auto",
		.topology = "tap",
		.vcpus = 2,
		.mem_mb = 512,
		.clock = "real",
		.stop = &bench_stop,
		.pin = true,
		.bind = true,
	};
	static struct flood_variant v[2] = {
		{ .name = "default", .values = { "-u -P 8 -b 1G -l 64", "1", "off" } },
		{ .name = "calibrated", .values = { "-u -P 8 -b 1G -l 64", "1", "1.2" } },
	};
	struct config base = { .name = "baseline", .baseline = true };
	struct sample_settings ss = {
		.workload = w,
		.duration = 10,
		.clock = "real",
		.func = "udp_recvmsg",
		.call_timeout_s = 120,
	};
	char err[BPFCOST_ERRLEN], *replaced[WORKLOAD_MAX_ARGS] = { 0 };
	int n = atoi(n_arg), order[2], i, k, ret = -1;
	struct target *t = NULL;
	double t0 = bpfcost_now();
	cJSON *cal = cJSON_CreateObject();

	if (!w || n < 2 || n > 1000)
		goto out;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (target_find("guest")->start(&ts, &t, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-bench: guest: %s\n", err);
		goto out;
	}
	ss.target = t;
	ss.values = v[1].values;
	if (sample_calibrate(&ss, replaced, cal, &bench_stop, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-bench: calibration: %s\n", err);
		goto out;
	}
	v[1].values[0] = replaced[0];
	for (i = 0; i < n && !bench_stop; i++) {
		schedule_block((uint64_t)t0, i, 2, order);
		for (k = 0; k < 2 && !bench_stop; k++) {
			struct flood_variant *fv = &v[order[k]];
			cJSON *rec = cJSON_CreateObject();

			ss.values = fv->values;
			if (sample_run(&base, &ss, NULL, rec, &bench_stop) == SAMPLE_OK &&
			    !cJSON_GetObjectItemCaseSensitive(rec, "error")) {
				fv->bps[fv->n] = cJSON_GetNumberValue(
					cJSON_GetObjectItemCaseSensitive(rec, "rx_bps"));
				fv->lost[fv->n++] = cJSON_GetNumberValue(
					cJSON_GetObjectItemCaseSensitive(rec, "lost_percent"));
				fprintf(stderr, "bpfcost-bench: %s %d: %.2f Mbit/s\n", fv->name,
					i + 1, fv->bps[fv->n - 1] / 1e6);
			} else {
				fprintf(stderr, "bpfcost-bench: %s %d failed\n", fv->name, i + 1);
			}
			cJSON_Delete(rec);
		}
	}
	printf("4. flood noise, baseline only, default vs calibrated load, side by side in one "
	       "guest, N=%d x 10 s, %.0f s:\n",
	       n, bpfcost_now() - t0);
	printf("   calibration: capacity %.2f Mbit/s (limited by %s), offered %.2f Mbit/s\n",
	       cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(cal, "capacity_mbps")),
	       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cal, "limited_by")),
	       cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(cal, "offered_mbps")));
	print_flood(&v[0]);
	print_flood(&v[1]);
	ret = bench_stop ? -1 : 0;
out:
	target_stop(t);
	cJSON_Delete(cal);
	free(replaced[0]);
	return ret;
}

/* One busy child per online CPU, started after @start_s and ended after @hold_s. */
static pid_t hog_start(double start_s, double hold_s)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	setpgid(0, 0);
	usleep((useconds_t)(start_s * 1e6));
	for (long i = 0; i < sysconf(_SC_NPROCESSORS_ONLN); i++) {
		if (!fork()) {
			double end = bpfcost_now() + hold_s;
			volatile unsigned long x = 0;

			while (bpfcost_now() < end)
				x++;
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	_exit(0);
}

static void print_disturb(const char *label, const struct run *run, double secs)
{
	printf("   %-28s MDE robust %5.1f%%, mean %5.1f%%; baseline n=%zu; %zu disturbed "
	       "records (redone); %.0f s\n",
	       label, run->mde_by[EST_ROBUST][0], run->mde_by[EST_MEAN][0], run->baseline->value.n,
	       run->n_disturbed, secs);
}

static int bench_disturb(const char *n)
{
	char *extra[] = { "--target", "host",	       "-m", "quick", "-n", (char *)n, "-t", "2",
			  "--arg",    "calibrate=off", "-w", "0",     NULL };
	struct run clean = { 0 }, hogged = { 0 };
	double s_clean, s_hogged;
	pid_t hog;
	int ret = -1;

	if (measure("disturb-clean", extra, &clean, &s_clean))
		goto out;
	/* The hog covers about a third of the second run, from a quarter in. */
	hog = hog_start(s_clean / 4, s_clean / 3);
	if (hog < 0)
		goto out;
	ret = measure("disturb-hogged", extra, &hogged, &s_hogged);
	kill(-hog, SIGKILL);
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	if (ret)
		goto out;
	printf("6. disturbance: host flood, MATRIX=quick, N=%s x 2 s, a hog on every CPU for "
	       "%.0f s from %.0f s into the second run:\n",
	       n, s_clean / 3, s_clean / 4);
	print_disturb("without the hog:", &clean, s_clean);
	print_disturb("with the hog:", &hogged, s_hogged);
	printf("   MDE with / without the hog: robust %.2fx, mean %.2fx\n",
	       hogged.mde_by[EST_ROBUST][0] / clean.mde_by[EST_ROBUST][0],
	       hogged.mde_by[EST_MEAN][0] / clean.mde_by[EST_MEAN][0]);
out:
	run_free(&clean);
	run_free(&hogged);
	return ret;
}

/* @n records of 10 configurations in @dir/samples.jsonl, as the runner writes them. */
static int write_records(const char *dir, long n)
{
	static const char *const rows[][2] = {
		{ "baseline", NULL },	    { "tp-null", "tp" },
		{ "tp-map", "tp" },	    { "kprobe-null", "kprobe" },
		{ "kprobe-map", "kprobe" }, { "fentry-null", "fentry" },
		{ "fentry-map", "fentry" }, { "raw_tp-null", "raw_tp" },
		{ "fexit-null", "fexit" },  { "tp-null-stat", "tp" },
	};
	char path[PATH_MAX];
	unsigned int seed = 1;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/samples.jsonl", dir) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "w");
	if (!f)
		return -1;
	for (long i = 0; i < n; i++) {
		const char *const *c = rows[i % 10];
		double v = 1.8e7 * (1 - 0.01 * (i % 10)) + (rand_r(&seed) % 2000000) - 1e6;

		fprintf(f, "{\"config\":\"%s\",", c[0]);
		if (c[1])
			fprintf(f, "\"attach\":\"%s\",\"probe\":\"%s\",\"hits_per_packet\":1,",
				c[1], strstr(c[0], "map") ? "map" : "null");
		fprintf(f,
			"\"stats\":%s,\"block\":%ld,\"sample\":%ld,\"order\":%ld,\"rx_bps\":%.1f,"
			"\"rx_bytes\":%.1f,\"rx_packets\":%.1f,\"lost_percent\":0.5,"
			"\"duration_s\":10,\"cpu_host_percent\":80,\"cpu_remote_percent\":95,"
			"\"time\":\"2026-01-01T00:00:00Z\"}\n",
			strstr(c[0], "-stat") ? "true" : "false", i / 10, i / 10 + 1, i % 10, v,
			v * 10 / 8, v * 10 / 8 / 64);
	}
	return fclose(f);
}

/* Seconds bpfcost-report took on the folder @dir, or NAN; @plots: gnuplot included. */
static double time_report(const char *dir, bool plots)
{
	char tool[PATH_MAX];
	char *argv[] = { tool, "-q", (char *)dir, plots ? NULL : "--no-plots", NULL };
	double t0;

	snprintf(tool, sizeof(tool), "%s/bpfcost-report", bpfcost_exe_dir());
	t0 = bpfcost_now();
	if (run_tool(argv))
		return NAN;
	return bpfcost_now() - t0;
}

/*
 * 5. bpfcost-report on 20,000 and 80,000 records in one run, alternating, the
 * best of three each (the machine is shared): whole report, and without the
 * plots (loading and analysis, which used to be quadratic).
 */
static int bench_report(void)
{
	static const long sizes[2] = { 20000, 80000 };
	char root[] = "/tmp/bpfcost-bench-report.XXXXXX", dir[2][PATH_MAX];
	char *rm[] = { "rm", "-rf", root, NULL };
	double best[2][2] = { { INFINITY, INFINITY }, { INFINITY, INFINITY } };
	int err = 0;

	if (!mkdtemp(root))
		return -1;
	for (int k = 0; k < 2 && !err; k++) {
		snprintf(dir[k], sizeof(dir[k]), "%s/records-%ld", root, sizes[k]);
		err = mkdir(dir[k], 0700) || write_records(dir[k], sizes[k]);
	}
	for (int round = 0; round < 3 && !err; round++)
		for (int k = 0; k < 2; k++)
			for (int plots = 0; plots < 2; plots++)
				best[k][plots] = fmin(best[k][plots], time_report(dir[k], plots));
	run_tool(rm);
	if (err)
		return -1;
	printf("5. bpfcost-report, best of 3, 20,000 vs 80,000 records (4x; linear is about "
	       "4x, the bound 5x):\n");
	printf("   whole report, plots included: %.2f s vs %.2f s: %.2fx\n", best[0][1], best[1][1],
	       best[1][1] / best[0][1]);
	printf("   without plots (load, analyse, tables): %.2f s vs %.2f s: %.2fx\n", best[0][0],
	       best[1][0], best[1][0] / best[0][0]);
	return isfinite(best[1][1]) && isfinite(best[1][0]) ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "only", required_argument, NULL, 'O' },
		{ "samples", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL, *n = "10";
	int c, err = 0;

	while ((c = getopt_long(argc, argv, "n:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'O':
			only = optarg;
			break;
		case 'n':
			n = optarg;
			break;
		case 'o':
			out_root = optarg;
			break;
		case 'h':
			printf("usage: bpfcost-bench [--only "
			       "host|guest|ladder|flood|report|disturb] "
			       "[-n "
			       "N] "
			       "[-o DIR]\n");
			return 0;
		default:
			return BPFCOST_EXIT_USAGE;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!only || !strcmp(only, "host"))
		err |= bench_host(n);
	if (!only || !strcmp(only, "guest"))
		err |= bench_guest(only ? n : "2");
	if (!only || !strcmp(only, "ladder"))
		err |= bench_ladders(only ? n : "5");
	if (!only || !strcmp(only, "flood"))
		err |= bench_flood(n);
	if (!only || !strcmp(only, "disturb"))
		err |= bench_disturb(only ? n : "8");
	if (!only || !strcmp(only, "report"))
		err |= bench_report();
	return err ? BPFCOST_EXIT_FAILURE : BPFCOST_EXIT_OK;
}
