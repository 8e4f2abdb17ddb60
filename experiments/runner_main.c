// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-run: run a matrix of configurations, N interleaved samples each, on
 * a target (the QEMU guest, or this machine's kernel) with a workload,
 * appending one record per sample to a results folder.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "loader/bpfcost.h"
#include "loader/spawn.h"
#include "disturbance.h"
#include "manifest.h"
#include "matrix.h"
#include "progress.h"
#include "results.h"
#include "run_settings.h"
#include "record_check.h"
#include "sample.h"
#include "schedule.h"
#include "stopping.h"
#include "loader/clock.h"

#define EXIT_INTERRUPTED 130

static volatile sig_atomic_t stop_requested;
/* BUDGET counts from here (bpfcost_now()). */
static double run_started;

static void on_signal(int sig)
{
	(void)sig;
	/*
	 * A second Ctrl-C is final. Everything we started dies with us (QEMU,
	 * iperf3, the agent, the namespaces) and samples.jsonl holds only
	 * complete records, so even this exit leaves a resumable folder.
	 */
	if (stop_requested)
		_exit(EXIT_INTERRUPTED);
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfcost-run [options]\n"
		"       bpfcost-run --resume results/<dir>\n"
		"\n"
		"  -m, --matrix M        all (default), seed, quick, full, or a file with one\n"
		"                        configuration per line (<attach>-<probe>[-stat], "
		"baseline)\n"
		"  -n, --samples N       samples per configuration (default 10)\n"
		"  -t, --duration S      seconds measured per sample (default 10)\n"
		"  -w, --warmup S        same as --arg warmup=S: seconds dropped at the start\n"
		"                        of each sample, iperf3 -O (default 1)\n"
		"      --target T        guest (QEMU, default) or host (this machine's kernel)\n"
		"      --workload W      iperf (default: UDP flood, bitrate) or trigger\n"
		"                        (recvmsg loop, time per call)\n"
		"      --arg NAME=VALUE  a workload argument (iperf: iperf_args, warmup;\n"
		"                        trigger: calls, cpu, ref)\n"
		"  -i, --iperf-args A    same as --arg iperf_args=A (\"-u -P 8 -b 1G -l 64\")\n"
		"  -T, --topology T      guest network: user (QEMU user networking) or tap\n"
		"                        (default tap)\n"
		"      --qemu PATH       QEMU binary (default qemu-system-x86_64)\n"
		"      --pin on|off      guest: QEMU's vCPU threads and the iperf3 client on\n"
		"                        disjoint host CPUs when there are enough (default on)\n"
		"      --bind on|off     guest: NIC interrupts on vCPU 0, the iperf3 server on\n"
		"                        vCPU 1 (default on)\n"
		"      --clock C         real (default) or instructions: the guest under TCG\n"
		"                        with -icount, one ns of guest time per instruction\n"
		"  -s, --seed N          order seed (default: from the clock; recorded)\n"
		"  -a, --accel A         auto, kvm or tcg (default auto: KVM if it really works)\n"
		"      --vcpus N         guest vCPUs (default 2)\n"
		"      --mem MB          guest memory (default 512)\n"
		"  -f, --func F          kernel function for kprobe/fentry types (udp_recvmsg)\n"
		"      --spin-ns NS      busy-wait of the spin control probe (default 1000)\n"
		"      --check S         seconds of the stats-on hit check per configuration (2)\n"
		"      --precision P     go on past N samples until each row's impact has a\n"
		"                        95%% CI within ±P%% of the baseline (rows stop one by\n"
		"                        one; N is then the least per row)\n"
		"      --max-n N         with --precision: samples per row at most (1000)\n"
		"      --budget MIN      stop starting samples that would end after MIN\n"
		"                        minutes (counted from this start; any run)\n"
		"  -o, --results DIR     where results/<time>-<matrix>/ goes (default results)\n"
		"  -r, --resume DIR      continue an interrupted run; settings come from it\n"
		"      --no-report       do not run bpfcost-report at the end\n"
		"      --redo N          redo a disturbed sample at the end of its block, up to\n"
		"                        N times per row over the run (default 3; 0: mark only)\n"
		"      --disturb-cpu C   a sample is disturbed when processes not ours used more\n"
		"                        than C CPUs on average while it ran (default 0.25; off)\n"
		"      --estimator E     robust (default: medians, Hodges-Lehmann, Mann-Whitney)\n"
		"                        or mean (means, Welch): what the report's impacts use\n"
		"      --percall DIR     the report predicts each impact from this per-call\n"
		"                        (WORKLOAD=trigger) results folder\n"
		"  -h, --help\n"
		"\n"
		"Exit: 0 done, 1 failure (records kept; --resume continues), 2 bad input,\n"
		"130 interrupted (records kept; --resume continues).\n");
	/* The registered ones, each in its own words (the registry, not this text). */
	fprintf(f, "\nWorkloads (--workload):\n");
	for (const struct workload_ops *const *w = workload_list(); *w; w++)
		fprintf(f, "  %-10s %s\n", (*w)->name, (*w)->summary);
	fprintf(f, "Targets (--target):\n");
	for (const struct target_ops *const *t = target_list(); *t; t++)
		fprintf(f, "  %-10s %s\n", (*t)->name, (*t)->summary);
}

static int bad(const char *what, const char *value, const char *valid)
{
	fprintf(stderr, "bpfcost-run: bad %s '%s'; valid: %s\n", what, value, valid);
	return BPFCOST_EXIT_USAGE;
}

static int parse_int(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || end == s || *end || *out < min || *out > max ? -1 : 0;
}

/*
 * Which (configuration, block) pairs already have a record: the resume state.
 * A pair with only disturbed records is open while its row has redos left.
 */
enum { SLOT_OPEN, SLOT_DONE, SLOT_DISTURBED };
struct done_set {
	const struct matrix *m;
	int n;
	unsigned char *done;
	int count;
	struct disturbance *dist;
};

static void mark_done(const cJSON *rec, void *arg)
{
	struct done_set *d = arg;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(rec, "config");
	const cJSON *block = cJSON_GetObjectItemCaseSensitive(rec, "block");
	int i;

	if (!cJSON_IsString(name) || !cJSON_IsNumber(block) || block->valueint < 0 ||
	    block->valueint >= d->n)
		return;
	for (i = 0; i < d->m->n; i++) {
		if (!strcmp(d->m->configs[i].name, name->valuestring)) {
			unsigned char *slot = &d->done[i * d->n + block->valueint];

			disturbance_note(d->dist, i, rec);
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "disturbed")) &&
			    !cJSON_GetObjectItemCaseSensitive(rec, "error")) {
				if (*slot == SLOT_OPEN)
					*slot = SLOT_DISTURBED;
				continue;
			}
			d->count += *slot != SLOT_DONE;
			*slot = SLOT_DONE;
		}
	}
}

/* After every record is read: disturbed-only pairs of rows out of redos stay as they are. */
static void close_disturbed(struct done_set *d)
{
	int i, b;

	for (i = 0; i < d->m->n; i++) {
		for (b = 0; b < d->n; b++) {
			unsigned char *slot = &d->done[i * d->n + b];

			if (*slot != SLOT_DISTURBED)
				continue;
			*slot = disturbance_redos_left(d->dist, i) ? SLOT_OPEN : SLOT_DONE;
			d->count += *slot == SLOT_DONE;
		}
	}
}

/* PERCALL: a per-call results folder the report predicts the flood's impacts from. */
static const char *percall_dir;

static void run_report(const char *dir, const char *estimator)
{
	char tool[PATH_MAX], how[32];
	char *argv[] = { tool, "--estimator", (char *)estimator, (char *)dir, NULL, NULL, NULL };
	struct spawn_opts o;
	int status;
	pid_t pid;

	snprintf(tool, sizeof(tool), "%s/bpfcost-report", bpfcost_exe_dir());
	if (percall_dir) {
		argv[3] = "--percall";
		argv[4] = (char *)percall_dir;
		argv[5] = (char *)dir;
	}
	if (access(tool, X_OK)) {
		fprintf(stderr, "bpfcost-run: no %s; skipping the report\n", tool);
		return;
	}
	spawn_opts_init(&o);
	o.stdout_fd = SPAWN_INHERIT;
	o.stderr_fd = SPAWN_INHERIT;
	pid = spawn(argv, &o);
	if (pid < 0 || spawn_wait(pid, 600, NULL, &status) || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fprintf(stderr, "bpfcost-run: report failed (%s); run: %s %s\n",
			pid < 0 ? strerror(errno) : spawn_status_str(status, how, sizeof(how)),
			tool, dir);
}

/*
 * Every manifest write is checked: a full disk stops the run with the records
 * so far intact (each sample is fsync'ed on its own) and says how to go on.
 */
static int save_manifest(const char *dir, const cJSON *man)
{
	if (!results_write_json(dir, "manifest.json", man))
		return 0;
	fprintf(stderr,
		"bpfcost-run: cannot write %s/manifest.json: %s; the records so far are kept: "
		"make room, then --resume %s\n",
		dir, strerror(errno), dir);
	return -1;
}

/* A passed check, or the kernel's "unsupported", holds; any other outcome is tried again. */
static bool check_is_final(const cJSON *checks, const char *name)
{
	const cJSON *check = cJSON_GetObjectItemCaseSensitive(checks, name);

	if (!check)
		return false;
	if (cJSON_GetObjectItemCaseSensitive(check, "error"))
		return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "unsupported"));
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "hits_ok"));
}

/* Stats-on hit checks for rows that cannot count runs themselves; kept in the manifest. */
static int hit_checks(const struct matrix *m, const struct sample_settings *ss, double seconds,
		      cJSON *man, const char *dir, struct progress *p)
{
	cJSON *checks = cJSON_GetObjectItemCaseSensitive(man, "hit_checks");
	int i;

	if (!checks)
		checks = cJSON_AddObjectToObject(man, "hit_checks");
	for (i = 0; i < m->n && !stop_requested; i++) {
		const struct config *c = &m->configs[i];
		cJSON *check;
		const cJSON *h, *e;

		if (c->baseline || c->stats || check_is_final(checks, c->name))
			continue;
		/* A check that failed for another reason than the kernel runs again. */
		cJSON_DeleteItemFromObjectCaseSensitive(checks, c->name);
		check = sample_hit_check(c, ss, seconds, &stop_requested);
		if (stop_requested) {
			cJSON_Delete(check);
			break;
		}
		h = cJSON_GetObjectItemCaseSensitive(check, "hits_per_event");
		e = cJSON_GetObjectItemCaseSensitive(check, "error");
		if (cJSON_IsString(e))
			progress_note(p, "check %s: %s", c->name, e->valuestring);
		else if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "hits_ok")))
			progress_note(p,
				      "WARNING: %s: %.3f hits per %s in its stats-on check: the "
				      "probe does not run once per %s; its rows are flagged",
				      c->name, h ? h->valuedouble : 0, ss->workload->event,
				      ss->workload->event);
		else
			progress_note(p, "check %s: %.3f hits per %s", c->name, h->valuedouble,
				      ss->workload->event);
		cJSON_AddItemToObject(checks, c->name, check);
		if (save_manifest(dir, man))
			return -2;
	}
	return stop_requested ? -1 : 0;
}

/* The progress line's detail: the metric in its unit (as the record declares it), hits, or the
 * error. */
static void describe(const cJSON *rec, const struct workload_ops *w, char *buf, size_t len)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const cJSON *hits = cJSON_GetObjectItemCaseSensitive(rec, "hits_per_event");
	const cJSON *metric = cJSON_GetObjectItemCaseSensitive(rec, "metric");
	const char *unit = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(metric, "unit"));
	const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(metric, "field"));
	const cJSON *scale = cJSON_GetObjectItemCaseSensitive(metric, "scale");
	const cJSON *v = field ? cJSON_GetObjectItemCaseSensitive(rec, field) : NULL;
	size_t used;

	if (cJSON_IsString(e)) {
		snprintf(buf, len, "error: %.120s", e->valuestring);
		return;
	}
	used = snprintf(buf, len, "%.2f %s",
			cJSON_IsNumber(v) && cJSON_IsNumber(scale)
				? v->valuedouble * scale->valuedouble
				: 0,
			unit ? unit : "");
	if (cJSON_IsNumber(hits) && used < len)
		snprintf(buf + used, len - used, ", %.2f hits/%s", hits->valuedouble, w->event);
}

/*
 * What makes records comparable: the target, its accelerator and its kernel.
 * A resume on a different one would mix two experiments in one table: refused.
 */
static int same_session(cJSON *man, struct target *t, const cJSON *info)
{
	const char *kernel =
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "kernel_release"));
	const char *before = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(man, "session"));
	cJSON *desc = cJSON_CreateObject();
	const char *accel;
	char now[256];

	t->ops->describe(t, desc);
	accel = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(desc, "accel"));
	snprintf(now, sizeof(now), "%s, %s, kernel %s", t->ops->name, accel ? accel : "native",
		 kernel ? kernel : "unknown");
	cJSON_Delete(desc);
	if (before && strcmp(before, now)) {
		fprintf(stderr,
			"bpfcost-run: this folder was measured on %s; the target now is %s. Not "
			"mixing them in one table: start a new run (or resume where it matches)\n",
			before, now);
		return -1;
	}
	if (!before)
		cJSON_AddStringToObject(man, "session", now);
	return 0;
}

#define MAX_TARGET_RESTARTS 3

/*
 * Stop the lost target and start it again (at most MAX_TARGET_RESTARTS times
 * a run), noting each restart in the manifest. 0 when the target is back.
 */
static int restart_target(struct target **t, const struct target_ops *tops,
			  const struct target_settings *ts, struct sample_settings *ss, cJSON *man,
			  const char *dir, const char *why, int *restarts)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(man, "target_restarts"), *entry;
	char err[BPFCOST_ERRLEN], when[32];
	time_t now = time(NULL);

	if (*restarts >= MAX_TARGET_RESTARTS || stop_requested)
		return -1;
	(*restarts)++;
	target_stop(*t);
	*t = NULL;
	ss->target = NULL;
	if (!list)
		list = cJSON_AddArrayToObject(man, "target_restarts");
	entry = cJSON_CreateObject();
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	cJSON_AddStringToObject(entry, "time", when);
	cJSON_AddStringToObject(entry, "reason", why ? why : "");
	cJSON_AddItemToArray(list, entry);
	fprintf(stderr, "bpfcost-run: restarting the %s target (%d of %d)\n", tops->name, *restarts,
		MAX_TARGET_RESTARTS);
	if (tops->start(ts, t, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-run: %s target: %s\n", tops->name, err);
		cJSON_AddStringToObject(entry, "error", err);
		save_manifest(dir, man);
		return -1;
	}
	ss->target = *t;
	return save_manifest(dir, man);
}

/* Why the sample loop ended, for the report: a fixed code, and how many blocks it began. */
static void record_stop(cJSON *man, const char *code, int blocks)
{
	cJSON *p = cJSON_GetObjectItemCaseSensitive(man, "precision");

	if (!p)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(p, "stopped");
	cJSON_DeleteItemFromObjectCaseSensitive(p, "blocks");
	if (code)
		cJSON_AddStringToObject(p, "stopped", code);
	cJSON_AddNumberToObject(p, "blocks", blocks);
}

/*
 * The workload tuned to the target once per results folder (the offered
 * load): a resumed run reuses what the manifest recorded, so every sample of
 * a folder ran with the same arguments. 0, -1 interrupted, 1 failed.
 */
static int calibrate(struct sample_settings *ss, cJSON *man, const char **values, char **replaced)
{
	const struct workload_ops *w = ss->workload;
	const cJSON *prev = cJSON_GetObjectItemCaseSensitive(man, "calibration"), *a;
	char err[BPFCOST_ERRLEN];
	cJSON *out;
	int i;

	if (!w->calibrate)
		return 0;
	if (prev) {
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(prev, "args"))
		{
			i = a->string ? workload_arg_index(w, a->string) : -1;
			if (i < 0 || !cJSON_IsString(a) || replaced[i]) {
				fprintf(stderr,
					"bpfcost-run: manifest.json: bad calibration.args\n");
				return 1;
			}
			replaced[i] = strdup(a->valuestring);
		}
	} else {
		out = cJSON_CreateObject();
		if (sample_calibrate(ss, replaced, out, &stop_requested, err, sizeof(err))) {
			cJSON_Delete(out);
			if (stop_requested)
				return -1;
			fprintf(stderr, "bpfcost-run: calibration failed: %s\n", err);
			return 1;
		}
		cJSON_AddItemToObject(man, "calibration", out);
	}
	for (i = 0; i < WORKLOAD_MAX_ARGS; i++)
		values[i] = replaced[i] ?: values[i];
	if (w->validate && w->validate(values, ss->duration, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-run: calibrated arguments refused: %s\n", err);
		return 1;
	}
	return 0;
}

/*
 * Before a redo: one-second windows of what other processes do until one is
 * quiet, at most a minute (then the redo runs and is judged as any sample).
 * -1 on Ctrl-C.
 */
static int wait_quiet(const struct disturbance *dist, struct progress *p, const char *name)
{
	struct interference_snap a;
	struct interference f;
	int waited;

	for (waited = 0; waited < 60 && !stop_requested; waited++) {
		interference_snap(&a, getpid(), NULL, 0);
		usleep(1000000); /* the window measured, not a wait for an event */
		interference_since(&a, getpid(), &f);
		if (disturbance_quiet(dist, &f))
			break;
		if (!waited)
			progress_note(p,
				      "%s: waiting for the host to quiet down before its redo "
				      "(other processes use %.2f CPU)",
				      name, f.foreign_cpu);
	}
	return stop_requested ? -1 : 0;
}

static int run(const struct run_settings *rs, const struct matrix *m, const char *dir, cJSON *man)
{
	struct target_settings ts = {
		.accel = rs->accel,
		.topology = rs->topology,
		.vcpus = rs->vcpus,
		.mem_mb = rs->mem_mb,
		.qemu = rs->qemu,
		.clock = rs->clock,
		.stop = &stop_requested,
		.pin = rs->pin,
		.bind = rs->bind,
		.server = workload_server(workload_find(rs->workload)),
	};
	struct sample_settings ss = {
		.workload = workload_find(rs->workload),
		.values = rs->values,
		.duration = rs->duration,
		.clock = rs->clock,
		.func = rs->func,
		.spin_ns = rs->spin_ns,
		.call_timeout_s = 120,
	};
	/* With PRECISION, blocks go on past N (rows drop out as they reach it). */
	int blocks = rs->precision > 0 ? rs->max_n : rs->n, i, n_active;
	struct done_set d = { .m = m, .n = blocks };
	const struct target_ops *tops = target_find(rs->target);
	/* The longest sample so far sizes what still fits in the budget: never the mean. */
	double budget_s = rs->budget_min * 60, sample_s = rs->duration;
	const char *stopped = NULL; /* manifest precision.stopped: reached, budget, max_n */
	bool *active = calloc(m->n, sizeof(bool));
	const char *values[WORKLOAD_MAX_ARGS];
	char *replaced[WORKLOAD_MAX_ARGS] = { 0 };
	struct target *t = NULL;
	struct progress p = { 0 };
	char err[BPFCOST_ERRLEN], detail[200];
	/* A block's schedule, then the redos of its disturbed samples at its end. */
	int *order = calloc((size_t)m->n * (rs->redo_limit + 1), sizeof(int)), block, pos, qlen,
	    restarts = 0;
	struct disturbance dist;
	struct interference_snap snap0;
	struct interference fig;
	int ret = BPFCOST_EXIT_FAILURE;
	cJSON *info = NULL, *req = NULL;
	FILE *samples = NULL;

	d.done = calloc((size_t)m->n * blocks, 1);
	if (disturbance_init(&dist, m->n, rs->redo_limit, rs->disturb_cpu, ss.workload)) {
		free(order);
		free(d.done);
		free(active);
		return BPFCOST_EXIT_FAILURE;
	}
	d.dist = &dist;
	if (!order || !d.done || !active)
		goto out;
	samples = results_each(dir, mark_done, &d, err, sizeof(err)) < 0
			  ? NULL
			  : results_open_samples(dir, err, sizeof(err));
	close_disturbed(&d);
	cJSON_DeleteItemFromObjectCaseSensitive(man, "disturbance");
	cJSON_AddItemToObject(man, "disturbance", disturbance_json(&dist));
	if (!samples) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		goto out;
	}

	interference_snap(&snap0, getpid(), NULL, 0);
	if (tops->start(&ts, &t, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-run: %s target: %s\n", tops->name, err);
		if (stop_requested)
			goto interrupted;
		goto out;
	}
	ss.target = t;
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "cmd", "info");
	info = target_call(t, req, ss.call_timeout_s, err, sizeof(err));
	cJSON_Delete(req);
	req = NULL;
	if (same_session(man, t, info)) {
		ret = BPFCOST_EXIT_USAGE;
		goto out;
	}
	manifest_add_target(man, t, info);
	if (save_manifest(dir, man))
		goto out;
	memcpy(values, rs->values, sizeof(values));
	ss.values = values;
	switch (calibrate(&ss, man, values, replaced)) {
	case 0:
		break;
	case -1:
		goto interrupted;
	default:
		goto out;
	}
	if (save_manifest(dir, man))
		goto out;

	progress_start(&p, m->n * rs->n, d.count);
	if (d.count)
		progress_note(&p, "resuming: %d of %d samples already recorded", d.count,
			      m->n * rs->n);
	switch (hit_checks(m, &ss, rs->check_s, man, dir, &p)) {
	case 0:
		break;
	case -1:
		goto interrupted;
	default:
		goto out;
	}
	/* Other processes' CPU while the target started and was checked: the first reference. */
	interference_since(&snap0, getpid(), &fig);
	disturbance_startup(&dist, &fig);
	progress_start(&p, m->n * rs->n, d.count); /* the ETA counts samples only */
	for (block = 0; block < blocks; block++) {
		for (i = 0; i < m->n; i++)
			active[i] = true;
		n_active = m->n;
		if (rs->precision > 0 && block >= rs->n) {
			char status[512];
			int left = stopping_active(dir, m, rs->precision, rs->estimator, active,
						   status, sizeof(status));

			if (!left) {
				stopped = "reached";
				progress_note(&p,
					      "every row's impact is within ±%g%% after %d blocks",
					      rs->precision, block);
				break;
			}
			for (n_active = 0, i = 0; i < m->n; i++)
				n_active += active[i] && !d.done[i * blocks + block];
			p.total = p.done + n_active; /* the ETA is this block's */
			progress_note(&p, "block %d: %d row%s not yet within ±%g%%: %s", block + 1,
				      left, left == 1 ? "" : "s", rs->precision, status);
		}
		/* A whole block that cannot end within the budget is not started. */
		if (!stopping_fits(budget_s, bpfcost_now() - run_started, n_active * sample_s)) {
			stopped = "budget";
			break;
		}
		schedule_block(rs->seed, block, m->n, order);
		for (qlen = m->n, pos = 0; pos < qlen; pos++) {
			const struct config *c = &m->configs[order[pos]];
			char why[160];
			bool disturbed = false;
			const cJSON *checks = cJSON_GetObjectItemCaseSensitive(man, "hit_checks");
			enum sample_outcome o;
			char when[32];
			time_t now;
			double t0;
			cJSON *rec;

			if (!active[order[pos]] || d.done[order[pos] * blocks + block])
				continue;
			if (!stopping_fits(budget_s, bpfcost_now() - run_started, sample_s)) {
				stopped = "budget";
				goto budget_spent;
			}
			/* A redo waits for the host to quiet down, or it is disturbed again. */
			if (pos >= m->n && wait_quiet(&dist, &p, c->name))
				goto interrupted;
			t0 = bpfcost_now();
			rec = cJSON_CreateObject();
			/* What else the host did while the sample ran: its verdict. */
			interference_snap(&snap0, getpid(), NULL, 0);
			o = sample_run(c, &ss, cJSON_GetObjectItemCaseSensitive(checks, c->name),
				       rec, &stop_requested);
			interference_since(&snap0, getpid(), &fig);
			if (o == SAMPLE_INTERRUPTED || stop_requested) {
				cJSON_Delete(rec);
				goto interrupted;
			}
			/*
			 * The target, not the measurement, failed: nothing is recorded
			 * (a resume redoes it); restart the target and redo it now.
			 */
			if (o == SAMPLE_TARGET_LOST) {
				const char *why = cJSON_GetStringValue(
					cJSON_GetObjectItemCaseSensitive(rec, "error"));

				progress_note(&p, "%s: the target stopped answering (%s)", c->name,
					      why ? why : "?");
				cJSON_Delete(rec);
				if (restart_target(&t, tops, &ts, &ss, man, dir, why, &restarts))
					goto lost;
				pos--;
				continue;
			}
			if (o == SAMPLE_OK)
				disturbed = disturbance_judge(&dist, order[pos], &fig, rec, why,
							      sizeof(why));
			else
				interference_to_json(&fig, false, NULL, rec);
			cJSON_AddNumberToObject(rec, "block", block);
			cJSON_AddNumberToObject(rec, "sample", block + 1);
			cJSON_AddNumberToObject(rec, "order", pos);
			now = time(NULL);
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
			cJSON_AddStringToObject(rec, "time", when);
			if (results_append(samples, rec)) {
				fprintf(stderr, "bpfcost-run: cannot write samples.jsonl: %s\n",
					strerror(errno));
				cJSON_Delete(rec);
				goto out;
			}
			describe(rec, ss.workload, detail, sizeof(detail));
			if (disturbed && disturbance_take_redo(&dist, order[pos])) {
				order[qlen++] = order[pos];
				p.total++; /* the ETA counts the redo */
				progress_note(&p,
					      "%s sample %d disturbed (%s): kept as a disturbed "
					      "record, redone at the end of the block (redo %d of "
					      "%d for this row)",
					      c->name, block + 1, why, dist.redos[order[pos]],
					      rs->redo_limit);
			} else if (disturbed) {
				d.done[order[pos] * blocks + block] = SLOT_DONE;
				progress_note(&p,
					      "WARNING: %s sample %d disturbed (%s) and the row's "
					      "%d redos are spent: no clean sample in this block",
					      c->name, block + 1, why, rs->redo_limit);
			} else {
				d.done[order[pos] * blocks + block] = SLOT_DONE;
			}
			if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(rec, "hits_ok")) &&
			    !cJSON_GetObjectItemCaseSensitive(rec, "error"))
				progress_note(&p,
					      "WARNING: %s sample %d: hits per %s outside "
					      "[%.1f, %.1f]: %s",
					      c->name, block + 1, ss.workload->event, HITS_MIN,
					      HITS_MAX, detail);
			progress_step(&p, c->name, detail);
			cJSON_Delete(rec);
			sample_s = fmax(sample_s, bpfcost_now() - t0);
		}
	}
	if (block == blocks && rs->precision > 0)
		stopped = "max_n";
budget_spent:
	progress_end(&p);
	if (stopped && !strcmp(stopped, "budget"))
		progress_note(&p,
			      "bpfcost-run: the %g-minute budget is spent; for more samples: "
			      "--resume %s (a new budget)",
			      rs->budget_min, dir);
	manifest_finish(man, stopped && !strcmp(stopped, "budget") ? "budget" : "complete");
	record_stop(man, stopped, block);
	ret = BPFCOST_EXIT_OK;
	goto out;
lost:
	progress_note(&p,
		      "bpfcost-run: the target is lost; records so far are kept; continue "
		      "with --resume %s",
		      dir);
	goto out;
interrupted:
	progress_note(&p,
		      "bpfcost-run: interrupted; records so far are kept; continue with "
		      "--resume %s",
		      dir);
	manifest_finish(man, "interrupted");
	ret = EXIT_INTERRUPTED;
out:
	if (ret == BPFCOST_EXIT_FAILURE)
		manifest_finish(man, "failed");
	if (save_manifest(dir, man) && ret == BPFCOST_EXIT_OK)
		ret = BPFCOST_EXIT_FAILURE;
	target_stop(t); /* QEMU, tap, namespaces, veth: whatever the target made goes */
	if (samples)
		fclose(samples);
	cJSON_Delete(info);
	free(order);
	free(d.done);
	free(active);
	disturbance_free(&dist);
	for (i = 0; i < WORKLOAD_MAX_ARGS; i++)
		free(replaced[i]);
	return ret;
}

/* Every row's settings exist in its probe and fit: refused now, not as N error records. */
static int check_settings(const struct matrix *m)
{
	char err[BPFCOST_ERRLEN];
	int i;

	for (i = 0; i < m->n; i++) {
		if (row_settings_check(&m->configs[i], err, sizeof(err))) {
			fprintf(stderr, "bpfcost-run: %s\n", err);
			return -1;
		}
	}
	return 0;
}

/* "warmup=" + value, kept for the life of the process (at most 32 of them). */
static const char *prefixed(const char *prefix, const char *value)
{
	static char store[32][512];
	static int used;

	if (used == 32)
		return prefix;
	snprintf(store[used], sizeof(store[0]), "%s%s", prefix, value);
	return store[used++];
}

/*
 * Defaults of the chosen workload's arguments, then each NAME=VALUE given, in
 * order; run_settings_check() judges the values.
 */
static int set_workload_args(struct run_settings *rs, const char *const *sets, int n)
{
	const struct workload_ops *w = workload_find(rs->workload);
	char valid[256] = "";
	int i, k;

	for (i = 0; i < WORKLOAD_MAX_ARGS && w->args[i].name; i++) {
		rs->values[i] = w->args[i].dflt;
		snprintf(valid + strlen(valid), sizeof(valid) - strlen(valid), " %s",
			 w->args[i].name);
	}
	for (k = 0; k < n; k++) {
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(sets[k], "="), sets[k]);
		i = workload_arg_index(w, name);
		if (i < 0) {
			fprintf(stderr, "bpfcost-run: workload %s has no argument '%s'; valid:%s\n",
				w->name, name, valid[0] ? valid : " none");
			return -1;
		}
		rs->values[i] = strchr(sets[k], '=') + 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "matrix", required_argument, NULL, 'm' },
		{ "samples", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "iperf-args", required_argument, NULL, 'i' },
		{ "topology", required_argument, NULL, 'T' },
		{ "seed", required_argument, NULL, 's' },
		{ "accel", required_argument, NULL, 'a' },
		{ "vcpus", required_argument, NULL, 'V' },
		{ "mem", required_argument, NULL, 'M' },
		{ "func", required_argument, NULL, 'f' },
		{ "spin-ns", required_argument, NULL, 'S' },
		{ "check", required_argument, NULL, 'C' },
		{ "results", required_argument, NULL, 'o' },
		{ "resume", required_argument, NULL, 'r' },
		{ "no-report", no_argument, NULL, 'R' },
		{ "target", required_argument, NULL, 'G' },
		{ "workload", required_argument, NULL, 'W' },
		{ "arg", required_argument, NULL, 'A' },
		{ "qemu", required_argument, NULL, 'Q' },
		{ "clock", required_argument, NULL, 'K' },
		{ "precision", required_argument, NULL, 'P' },
		{ "budget", required_argument, NULL, 'B' },
		{ "max-n", required_argument, NULL, 'X' },
		{ "pin", required_argument, NULL, 'Y' },
		{ "percall", required_argument, NULL, 'L' },
		{ "bind", required_argument, NULL, 'Z' },
		{ "redo", required_argument, NULL, 'D' },
		{ "disturb-cpu", required_argument, NULL, 'U' },
		{ "estimator", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_settings rs = run_settings_defaults();
	struct sigaction sa = { .sa_handler = on_signal };
	const char *results_root = "results", *resume = NULL, **names = NULL;
	const char *arg_sets[32];
	int n_arg_sets = 0;
	char err[BPFCOST_ERRLEN] = "", dir[PATH_MAX], label[64], *end;
	bool report = true;
	struct matrix m = { 0 };
	cJSON *man = NULL;
	char **probes;
	long v;
	int c, i, ret, count;

	run_started = bpfcost_now();
	while ((c = getopt_long(argc, argv, "m:n:t:w:i:T:s:a:f:o:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			rs.matrix = optarg;
			break;
		case 'n':
			if (parse_int(optarg, RS_N_MIN, RS_N_MAX, &v))
				return bad("N (samples per configuration)", optarg,
					   "an integer >= 1");
			rs.n = (int)v;
			break;
		case 't':
			rs.duration = strtod(optarg, &end);
			if (*end || end == optarg ||
			    !(rs.duration >= RS_DURATION_MIN && rs.duration <= RS_DURATION_MAX))
				return bad("duration", optarg, "seconds, 1 to 86400");
			break;
		case 'w':
			if (parse_int(optarg, 0, 3600, &v))
				return bad("warm-up", optarg, "whole seconds >= 0");
			if (n_arg_sets == 32)
				return bad("--arg", optarg, "at most 32 of them");
			arg_sets[n_arg_sets++] = prefixed("warmup=", optarg);
			break;
		case 'i':
			if (n_arg_sets == 32)
				return bad("--arg", optarg, "at most 32 of them");
			arg_sets[n_arg_sets++] = prefixed("iperf_args=", optarg);
			break;
		case 'A':
			if (!strchr(optarg, '=') || n_arg_sets == 32)
				return bad("--arg", optarg, "NAME=VALUE, at most 32 of them");
			arg_sets[n_arg_sets++] = optarg;
			break;
		case 'G':
			if (!target_find(optarg)) {
				target_names(err, sizeof(err));
				return bad("target", optarg, err);
			}
			rs.target = optarg;
			break;
		case 'W':
			if (!workload_find(optarg)) {
				workload_names(err, sizeof(err));
				return bad("workload", optarg, err);
			}
			rs.workload = optarg;
			break;
		case 'Q':
			rs.qemu = optarg;
			break;
		case 'K':
			if (strcmp(optarg, "real") && strcmp(optarg, "instructions"))
				return bad("clock", optarg, "real instructions");
			rs.clock = optarg;
			break;
		case 'T':
			if (strcmp(optarg, "user") && strcmp(optarg, "tap"))
				return bad("topology", optarg, "user tap");
			rs.topology = optarg;
			break;
		case 's':
			errno = 0;
			rs.seed = strtoull(optarg, &end, 0);
			if (errno || *end || end == optarg)
				return bad("seed", optarg, "an unsigned integer");
			break;
		case 'a':
			if (strcmp(optarg, "auto") && strcmp(optarg, "kvm") &&
			    strcmp(optarg, "tcg"))
				return bad("accelerator", optarg, "auto kvm tcg");
			rs.accel = optarg;
			break;
		case 'V':
			if (parse_int(optarg, 1, RS_VCPUS_MAX, &v))
				return bad("vcpus", optarg, "1 to 64");
			rs.vcpus = (int)v;
			break;
		case 'M':
			if (parse_int(optarg, RS_MEM_MIN, RS_MEM_MAX, &v))
				return bad("mem", optarg, "128 to 65536 (MB)");
			rs.mem_mb = (int)v;
			break;
		case 'f':
			rs.func = optarg;
			break;
		case 'S':
			if (parse_int(optarg, 0, RS_SPIN_NS_MAX, &v))
				return bad("spin-ns", optarg, "0 to 100000000");
			rs.spin_ns = v;
			break;
		case 'C':
			rs.check_s = strtod(optarg, &end);
			if (*end || end == optarg ||
			    !(rs.check_s >= RS_CHECK_MIN && rs.check_s <= RS_CHECK_MAX))
				return bad("check", optarg, "seconds, 1 to 600");
			break;
		case 'P':
			rs.precision = strtod(optarg, &end);
			if (*end || end == optarg ||
			    !(rs.precision > 0 && rs.precision <= RS_PRECISION_MAX))
				return bad("precision", optarg,
					   "a percentage above 0, at most 1000");
			break;
		case 'B':
			rs.budget_min = strtod(optarg, &end);
			if (*end || end == optarg ||
			    !(rs.budget_min > 0 && rs.budget_min <= RS_BUDGET_MAX))
				return bad("budget", optarg, "minutes above 0, at most 525600");
			break;
		case 'X':
			if (parse_int(optarg, RS_MAX_N_MIN, RS_N_MAX, &v))
				return bad("max-n", optarg, "an integer, 2 to 100000");
			rs.max_n = (int)v;
			break;
		case 'Y':
		case 'Z':
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				return bad(c == 'Y' ? "pin" : "bind", optarg, "on off");
			*(c == 'Y' ? &rs.pin : &rs.bind) = !strcmp(optarg, "on");
			break;
		case 'L':
			percall_dir = optarg;
			break;
		case 'D':
			if (parse_int(optarg, 0, 100, &v))
				return bad("redo", optarg, "0 to 100 redos per row (0: mark only)");
			rs.redo_limit = (int)v;
			break;
		case 'U':
			if (!strcmp(optarg, "off")) {
				rs.disturb_cpu = NAN;
				break;
			}
			rs.disturb_cpu = strtod(optarg, &end);
			if (*end || end == optarg || !disturb_cpu_ok(rs.disturb_cpu))
				return bad("disturb-cpu", optarg,
					   "CPUs above 0, at most 1024, or off");
			break;
		case 'E':
			if (strcmp(optarg, "robust") && strcmp(optarg, "mean"))
				return bad("estimator", optarg, "robust mean");
			rs.estimator = optarg;
			break;
		case 'o':
			results_root = optarg;
			break;
		case 'r':
			resume = optarg;
			break;
		case 'R':
			report = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return BPFCOST_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bpfcost-run: unexpected argument '%s'\n", argv[optind]);
		return BPFCOST_EXIT_USAGE;
	}
	/* The same check as a resumed manifest gets (manifest_settings), before anything starts. */
	if (!resume && (set_workload_args(&rs, arg_sets, n_arg_sets) ||
			run_settings_check(&rs, err, sizeof(err)))) {
		if (err[0])
			fprintf(stderr, "bpfcost-run: %s\n", err);
		return BPFCOST_EXIT_USAGE;
	}
	probes = bpfcost_list_probes(bpfcost_default_progs_dir(), err, sizeof(err));
	if (!probes) {
		fprintf(stderr, "bpfcost-run: %s\n", err);
		return BPFCOST_EXIT_FAILURE;
	}

	if (resume) {
		/*
		 * The folder named is the user's choice (results/latest too): resolved
		 * once; every file in it is then opened without following links.
		 */
		if (!realpath(resume, dir)) {
			fprintf(stderr,
				"bpfcost-run: %s: no usable manifest.json to resume from: %s\n",
				resume, strerror(errno));
			ret = BPFCOST_EXIT_USAGE;
			goto done;
		}
		man = results_read_json(dir, "manifest.json", err, sizeof(err));
		if (!man) {
			fprintf(stderr,
				"bpfcost-run: %s: no usable manifest.json to resume from: %s\n",
				dir, err);
			ret = BPFCOST_EXIT_USAGE;
			goto done;
		}
		cJSON_Delete(man);
		man = NULL;
		if (results_lock(dir, err, sizeof(err)) < 0) {
			fprintf(stderr, "bpfcost-run: %s\n", err);
			ret = BPFCOST_EXIT_USAGE;
			goto done;
		}
		man = results_read_json(dir, "manifest.json", err, sizeof(err));
		if (!man || manifest_settings(man, &rs, &names, &count, err, sizeof(err))) {
			fprintf(stderr,
				"bpfcost-run: %s: no usable manifest.json to resume from: %s\n",
				dir, err);
			ret = BPFCOST_EXIT_USAGE;
			goto done;
		}
		/* The report of a resumed run predicts from the same per-call folder. */
		if (!percall_dir)
			percall_dir = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(man, "percall"));
		m.configs = calloc(count, sizeof(*m.configs));
		for (i = 0; m.configs && i < count; i++) {
			if (config_parse(names[i], probes, &m.configs[m.n++], err, sizeof(err))) {
				fprintf(stderr, "bpfcost-run: %s: %s\n", dir, err);
				ret = BPFCOST_EXIT_USAGE;
				goto done;
			}
		}
		free(names);
		names = NULL;
		/* Row settings from the manifest are checked as the command line's are. */
		if (!m.configs || check_settings(&m)) {
			ret = BPFCOST_EXIT_USAGE;
			goto done;
		}
	} else {
		if (matrix_build(rs.matrix, probes, &m, err, sizeof(err))) {
			fprintf(stderr, "bpfcost-run: %s\n", err);
			ret = BPFCOST_EXIT_USAGE;
			goto done;
		}
		if (check_settings(&m)) {
			ret = BPFCOST_EXIT_USAGE;
			goto done;
		}
		/* A matrix file is labelled by its name, without directories or suffix. */
		snprintf(label, sizeof(label), "%s",
			 strrchr(rs.matrix, '/') ? strrchr(rs.matrix, '/') + 1 : rs.matrix);
		label[strcspn(label, ".")] = '\0';
		/* The folder name is read back by people and scripts: plain characters only. */
		for (i = 0; label[i]; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				    "_-",
				    label[i]))
				label[i] = '_';
		if (results_create(results_root, label, dir, sizeof(dir), err, sizeof(err)) ||
		    results_lock(dir, err, sizeof(err)) < 0) {
			fprintf(stderr, "bpfcost-run: %s\n", err);
			ret = BPFCOST_EXIT_FAILURE;
			goto done;
		}
		man = manifest_new(&rs, &m);
		if (percall_dir)
			cJSON_AddStringToObject(man, "percall", percall_dir);
		if (results_write_json(dir, "manifest.json", man)) {
			fprintf(stderr, "bpfcost-run: cannot write %s/manifest.json: %s\n", dir,
				strerror(errno));
			ret = BPFCOST_EXIT_FAILURE;
			goto done;
		}
	}
	fprintf(stderr,
		"bpfcost-run: %s: %d configurations x %d samples x %g s of %s on %s, "
		"seed %llu\n",
		dir, m.n, rs.n, rs.duration, rs.workload, rs.target, (unsigned long long)rs.seed);

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = run(&rs, &m, dir, man);
	if (ret == 0 && report)
		run_report(dir, rs.estimator);
	fprintf(stderr, "bpfcost-run: results in %s\n", dir);
done:
	free(names);
	cJSON_Delete(man);
	matrix_free(&m);
	bpfcost_free_names(probes);
	return ret;
}
