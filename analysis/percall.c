// SPDX-License-Identifier: GPL-2.0
/*
 * --percall DIR: predicted vs measured. A per-call (trigger) run of the same
 * kernel gives each configuration's added cost per call c with its 95% CI.
 * Model: the flood's receiving CPU is saturated, so a packet takes
 * T0 = 1/pps_baseline and a probe running h times per packet makes it
 * T0 + c h: pps' = 1/(T0 + c h), and the predicted impact is
 * -100 x/(1 + x) % with x = c h pps_baseline. The transform falls with c, so
 * the per-call CI [diff_lo, diff_hi] maps to [f(diff_hi), f(diff_lo)]. A row
 * whose measured impact CI does not overlap that interval is flagged.
 *
 * The per-call folder is untrusted like any results folder: it goes through
 * run_load() and run_analyse(), and nothing from it reaches a table except
 * numbers and plain-character strings.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/escape.h"
#include "analysis/fmt.h"
#include "analysis/files.h"
#include "analysis/run.h"
#include "loader/json_get.h"

#define PLAIN_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+~-"

/* The parsed manifest.json of @dir, or NULL (missing, unsafe, too big, not JSON). */
static cJSON *manifest_read(const char *dir)
{
	int dfd = dir_open(dir);
	cJSON *root = NULL;

	if (dfd < 0)
		return NULL;
	manifest_read_at(dfd, &root);
	close(dfd);
	return root;
}

/* @s into @buf when it is short and plain (it reaches every table), else "". */
static void copy_plain(char *buf, size_t len, const char *s)
{
	buf[0] = '\0';
	if (s && *s && strlen(s) < len && strspn(s, PLAIN_CHARS) == strlen(s))
		strcpy(buf, s);
}

/*
 * The kernel release the measured target ran: the agent's answer to "info"
 * (target_info.info.kernel_release, see manifest_add_target()), an older
 * manifest's guest_kernel, or, for the host target, the host's own.
 */
static void target_kernel(const cJSON *man, char *buf, size_t len)
{
	const cJSON *ti = cJSON_GetObjectItemCaseSensitive(man, "target_info");
	const char *k = json_str(cJSON_GetObjectItemCaseSensitive(ti, "info"), "kernel_release");
	const char *target = json_str(man, "target");

	if (!k)
		k = json_str(man, "guest_kernel");
	if (!k && target && !strcmp(target, "host"))
		k = json_str(cJSON_GetObjectItemCaseSensitive(man, "host"), "kernel_release");
	copy_plain(buf, len, k);
}

static const char *workload_name(const cJSON *man)
{
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(man, "workload");

	return cJSON_IsString(w) ? w->valuestring : json_str(w, "name");
}

/* The folder name as given, for notes: characters that could mean markup become '?'. */
static void safe_dir(char *buf, size_t len, const char *dir)
{
	size_t i, n = strlen(dir);

	if (n >= len) { /* keep the end: the results folder's own name */
		dir += n - (len - 4);
		n = len - 4;
		memcpy(buf, "...", 3);
		buf += 3;
	}
	for (i = 0; i < n; i++)
		buf[i] = strchr(PLAIN_CHARS "/@=,", dir[i]) && dir[i] ? dir[i] : '?';
	buf[n] = '\0';
}

static bool ns_time_unit(const char *unit)
{
	return !strcmp(unit, "ns") || !strncmp(unit, "ns/", 3);
}

static void __attribute__((format(printf, 2, 3))) refuse(struct percall *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->refused, sizeof(p->refused), fmt, ap);
	va_end(ap);
}

/* Whether @pc can predict this flood; if not, why, in run->percall.refused. */
static bool acceptable(struct run *run, const struct run *pc, const cJSON *fman, const cJSON *pman)
{
	struct percall *p = &run->percall;
	const char *wl = workload_name(pman), *clock = json_str(pman, "clock");
	char a[64], b[64], w[32];

	if (wl) {
		copy_plain(w, sizeof(w), wl);
		if (strcmp(wl, "trigger")) {
			refuse(p, "its workload is '%s', not trigger: it is not a per-call run",
			       w[0] ? w : "?");
			return false;
		}
	} else if (strcmp(pc->metric.event, "call")) {
		/* No manifest to say: the records' metric must be a cost per call. */
		refuse(p, "it is not a per-call (WORKLOAD=trigger) run: its metric is %s per %s",
		       pc->metric.name, pc->metric.event);
		return false;
	}
	if ((clock && !strcmp(clock, "instructions")) ||
	    !strcmp(pc->metric.clock, "instructions") || strstr(pc->metric.unit, "instructions")) {
		refuse(p,
		       "its clock is 'instructions': its per-call figures count guest "
		       "instructions (%s), not nanoseconds, and say nothing about time per packet",
		       pc->metric.unit);
		return false;
	}
	if (!ns_time_unit(pc->metric.unit) || pc->metric.higher_is_better) {
		refuse(p, "its metric unit is '%s', not a time in ns per call", pc->metric.unit);
		return false;
	}
	target_kernel(fman, a, sizeof(a));
	target_kernel(pman, b, sizeof(b));
	if (a[0] && b[0] && strcmp(a, b)) {
		refuse(p, "its target kernel (%s) differs from the flood's (%s)", b, a);
		return false;
	}
	p->kernel_unknown = !a[0] || !b[0];
	if (!p->kernel_unknown)
		snprintf(p->kernel, sizeof(p->kernel), "%s", a);
	return true;
}

/* -100 x/(1 + x), x = @d ns per call x @k; NAN where the model has no answer. */
static double predict(double d, double k)
{
	double x = d * k;

	if (!isfinite(x) || !(1 + x > 0))
		return NAN;
	return -100 * x / (1 + x) + 0.0; /* + 0.0: no "-0.0" for a zero cost */
}

/* A probed row of the per-call run by name; its baseline predicts nothing. */
static const struct row_stats *find_row(const struct run *pc, const char *name)
{
	const struct row_stats *c = run_find_row(pc, name);

	return c && !c->baseline ? c : NULL;
}

static void predict_rows(struct run *run, const struct run *pc)
{
	struct percall *p = &run->percall;

	for (size_t i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];
		const struct row_stats *q;
		double h, k, lo, hi;

		if (c == run->baseline || !c->n_ok || !isfinite(c->impact_pct))
			continue;
		p->rows++;
		q = find_row(pc, c->name);
		if (!q || !q->n_ok || !isfinite(q->diff))
			continue;
		p->matched++;
		h = c->hits_mean;
		if (!isfinite(h) || h <= 0) {
			h = 1;
			p->hits_assumed++;
		}
		k = 1e-9 * h * p->pps_baseline;
		c->predicted_pct = predict(q->diff, k);
		lo = predict(q->diff_hi, k);
		hi = predict(q->diff_lo, k);
		if (!isfinite(c->predicted_pct) || !isfinite(lo) || !isfinite(hi) || lo > hi)
			continue;
		c->predicted_lo = lo;
		c->predicted_hi = hi;
		if (!isfinite(c->impact_lo) || !isfinite(c->impact_hi))
			continue;
		p->judged++;
		c->predicted_disagrees = c->impact_hi < lo || c->impact_lo > hi;
		p->disagree += c->predicted_disagrees;
	}
}

int run_percall(struct run *run, const char *flood_dir, const char *dir)
{
	struct percall *p = &run->percall;
	cJSON *fman = NULL, *pman = NULL;
	struct run pc;
	FILE *diag;
	int err;

	memset(p, 0, sizeof(*p));
	p->asked = true;
	p->pps_baseline = NAN;
	safe_dir(p->dir, sizeof(p->dir), dir);
	for (size_t i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];

		c->predicted_pct = c->predicted_lo = c->predicted_hi = NAN;
		c->predicted_disagrees = false;
	}
	if (!run->has_packets || !run->baseline || !(run->baseline->pps.mean > 0) ||
	    !isfinite(run->baseline->pps.mean)) {
		refuse(p, "the run analysed is not a packet flood with a baseline packet rate");
		return 0;
	}
	p->pps_baseline = run->baseline->pps.mean;
	/* Its diagnostics quote its folder's name and lines: through the terminal filter. */
	diag = esc_term_stream(stderr);
	err = run_load(&pc, dir, diag ? diag : stderr);
	if (diag)
		fclose(diag);
	if (err == -ENOMEM) {
		run_free(&pc);
		return err;
	}
	if (err) {
		refuse(p, "cannot read its samples.jsonl: %s", strerror(-err));
		run_free(&pc);
		return 0;
	}
	pc.estimator = run->estimator; /* one estimator for the flood and its prediction */
	err = run_analyse(&pc);
	if (err == -ENOMEM) {
		run_free(&pc);
		return err;
	}
	if (err || !pc.baseline) {
		refuse(p, "it has no successful baseline sample, so no added cost per call");
		run_free(&pc);
		return 0;
	}
	fman = manifest_read(flood_dir);
	pman = manifest_read(dir);
	if (acceptable(run, &pc, fman, pman)) {
		p->used = true;
		predict_rows(run, &pc);
	}
	cJSON_Delete(fman);
	cJSON_Delete(pman);
	run_free(&pc);
	return 0;
}

const char *percall_flag(const struct run *run, const struct row_stats *c)
{
	bool q = run->percall.kernel_unknown;

	if (!run->percall.used || !isfinite(c->predicted_pct) || !isfinite(c->predicted_lo) ||
	    !isfinite(c->impact_lo) || !isfinite(c->impact_hi))
		return "-";
	if (c->predicted_disagrees)
		return q ? "!?" : "!";
	return q ? "ok?" : "ok";
}

/* The k-th row flagged '!', or NULL. */
static const struct row_stats *disagreeing(const struct run *run, size_t k)
{
	for (size_t i = 0; i < run->n_rows; i++)
		if (run->rows[i].predicted_disagrees && !k--)
			return &run->rows[i];
	return NULL;
}

const char *percall_note(const struct run *run, size_t i, char *buf, size_t len)
{
	const struct percall *p = &run->percall;
	const struct row_stats *c;
	size_t k = 0;

/* The i-th line of those whose condition holds, in this order. */
#define LINE(cond, ...)                                                                            \
	do {                                                                                       \
		if ((cond) && k++ == i) {                                                          \
			snprintf(buf, len, __VA_ARGS__);                                           \
			return buf;                                                                \
		}                                                                                  \
	} while (0)

	if (!p->asked)
		return NULL;
	LINE(!p->used, "Predicted vs measured (--percall %s): not shown: %s", p->dir, p->refused);
	if (!p->used)
		return NULL;
	LINE(true,
	     "Predicted vs measured: 'Predicted' is the impact the added cost per call c of the "
	     "per-call run %s (kernel %s) predicts: -100 x/(1 + x) %% with x = c h p, h the row's "
	     "hits per packet, p = %s baseline packets/s, its interval from c's 95%% CI; %zu of "
	     "%zu rows matched by configuration name ('-': no per-call row of that name).",
	     p->dir, p->kernel_unknown ? "unknown" : p->kernel, FMT("%.0f", p->pps_baseline),
	     p->matched, p->rows);
	LINE(true, "Predicted vs measured model: the receiving CPU is saturated, so a packet "
		   "takes 1/p and the probe adds c h to it; where the receiver is not saturated "
		   "the prediction overstates the impact, and the per-call loop times recvmsg's "
		   "cold-cache EAGAIN path, not the flood's data path.");
	LINE(p->kernel_unknown,
	     "WARNING: Predicted vs measured: kernel unknown (a manifest records no target "
	     "kernel release): the two runs may be of different kernels; flags are marked '?'.");
	LINE(p->hits_assumed,
	     "Predicted vs measured: %zu row(s) record no hits per packet: 1 assumed.",
	     p->hits_assumed);
	LINE(p->judged && !p->disagree,
	     "Predicted vs measured: no row disagrees beyond both CIs ('ok': the measured "
	     "impact's 95%% CI overlaps the predicted interval).");
	LINE(p->disagree,
	     "Predicted vs measured: '!' marks %zu row(s) whose measured impact's 95%% CI and "
	     "predicted interval do not overlap: they disagree beyond both CIs, so the model "
	     "or one of the runs is wrong for them.",
	     p->disagree);
	for (size_t d = 0; (c = disagreeing(run, d)); d++)
		LINE(true, "  %s: measured %s%% [%s, %s], predicted %s%% [%s, %s]", c->name,
		     FMT("%+.1f", c->impact_pct), FMT("%+.1f", c->impact_lo),
		     FMT("%+.1f", c->impact_hi), FMT("%+.1f", c->predicted_pct),
		     FMT("%+.1f", c->predicted_lo), FMT("%+.1f", c->predicted_hi));
#undef LINE
	return NULL;
}
