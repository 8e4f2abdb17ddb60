// SPDX-License-Identifier: GPL-2.0
/*
 * The flood benchmarks: default against calibrated offered load (4), and the
 * same host flood with and without a CPU hog (6).
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/run.h"
#include "experiments/bench.h"
#include "experiments/sample.h"
#include "experiments/schedule.h"
#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "loader/bpfcost.h"
#include "loader/clock.h"
#include "loader/json_get.h"

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
int bench_flood(const char *n_arg)
{
	const struct workload_ops *w = workload_find("iperf");
	struct target_options ts = {
		.accel = "auto",
		.topology = "tap",
		.vcpus = 2,
		.mem_mb = 512,
		.clock = "real",
		.stop = &bench_stop,
		.pin = true,
		.bind = true,
		.server = workload_server(w),
	};
	static struct flood_variant v[2] = {
		{ .name = "default", .values = { "-u -P 8 -b 1G -l 64", "1", "off" } },
		{ .name = "calibrated", .values = { "-u -P 8 -b 1G -l 64", "1", "1.2" } },
	};
	struct config base = { .name = "baseline", .baseline = true };
	struct sample_setup ss = {
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
				fv->bps[fv->n] = json_num_or(rec, "rx_bps", NAN);
				fv->lost[fv->n++] = json_num_or(rec, "lost_percent", NAN);
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
	       json_num_or(cal, "capacity_mbps", NAN), json_str(cal, "limited_by"),
	       json_num_or(cal, "offered_mbps", NAN));
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

int bench_disturb(const char *n)
{
	char *extra[] = { "--target", "host",	       "-m", "quick", "-n", (char *)n, "-t", "2",
			  "--arg",    "calibrate=off", "-w", "0",     NULL };
	struct run clean = { 0 }, hogged = { 0 };
	double s_clean, s_hogged;
	pid_t hog;
	int ret = -1;

	if (bench_measure("disturb-clean", extra, &clean, &s_clean))
		goto out;
	/* The hog covers about a third of the second run, from a quarter in. */
	hog = hog_start(s_clean / 4, s_clean / 3);
	if (hog < 0)
		goto out;
	ret = bench_measure("disturb-hogged", extra, &hogged, &s_hogged);
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
