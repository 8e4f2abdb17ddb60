// SPDX-License-Identifier: GPL-2.0
/* Two snapshots into figures, the figures against limits, and into a record. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/interference.h"

/* b - a in seconds, NAN if a counter went backwards. */
static double tick_delta_s(unsigned long long a, unsigned long long b, long hz)
{
	if (b < a || hz <= 0)
		return NAN;
	return (double)(b - a) / hz;
}

void interference_diff(const struct interference_snap *a, const struct interference_snap *b,
		       struct interference *out)
{
	double el = b->t - a->t, busy = NAN, own = NAN;
	bool same_cpus = a->ncpus == b->ncpus && CPU_EQUAL(&a->cpus, &b->cpus) && a->hz == b->hz;

	out->elapsed_s = el;
	out->ncpus = a->ncpus;
	out->psi_some_pct = out->foreign_cpu = out->own_cpu = out->steal_pct = NAN;
	out->kthread_cpu = NAN;
	if (!(el > 0))
		return;
	if (a->psi_ok && b->psi_ok && b->psi_some_us >= a->psi_some_us)
		out->psi_some_pct = (b->psi_some_us - a->psi_some_us) / 1e6 / el * 100;
	if (same_cpus && a->steal_ok && b->steal_ok && a->ncpus > 0)
		out->steal_pct = tick_delta_s(a->steal, b->steal, a->hz) / (el * a->ncpus) * 100;
	if (same_cpus && a->busy_ok && b->busy_ok)
		busy = tick_delta_s(a->busy, b->busy, a->hz) / el;
	if (a->own_ok && b->own_ok && a->hz == b->hz && a->hz > 0) {
		/* less than before: a member left the tree unreaped by it (orphaned) */
		own = b->own >= a->own ? (double)(b->own - a->own) / a->hz / el : 0;
		out->own_cpu = own;
	}
	if (a->own_ok && b->own_ok && a->hz == b->hz && a->hz > 0)
		/* less than before: a kernel thread exited with its time */
		out->kthread_cpu = b->kthreads >= a->kthreads
					   ? (double)(b->kthreads - a->kthreads) / a->hz / el
					   : 0;
	if (!isnan(busy) && !isnan(own)) {
		double other = busy - own - (isnan(out->kthread_cpu) ? 0 : out->kthread_cpu);

		out->foreign_cpu = other > 0 ? other : 0;
	}
}

static void why_add(char *why, size_t len, const char *fmt, double v, double lim)
{
	size_t used;

	if (!why || !len)
		return;
	used = strlen(why);
	if (used && used < len)
		used += snprintf(why + used, len - used, "; ");
	if (used < len)
		snprintf(why + used, len - used, fmt, v, lim);
}

bool interference_judge(const struct interference *f, const struct interference_limits *lim,
			char *why, size_t len)
{
	bool bad = false;

	if (why && len)
		why[0] = '\0';
	/* NAN > x is false: an unreadable figure or a disabled limit never judges */
	if (f->foreign_cpu > lim->foreign_cpu) {
		why_add(why, len, "other processes used %.2f CPU (limit %.2f)", f->foreign_cpu,
			lim->foreign_cpu);
		bad = true;
	}
	if (f->steal_pct > lim->steal_pct) {
		why_add(why, len, "host steal %.1f%% (limit %.1f%%)", f->steal_pct, lim->steal_pct);
		bad = true;
	}
	if (f->psi_some_pct > lim->psi_some_pct) {
		why_add(why, len, "CPU pressure %.1f%% (limit %.1f%%)", f->psi_some_pct,
			lim->psi_some_pct);
		bad = true;
	}
	return bad;
}

static void add_num(cJSON *o, const char *name, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddNumberToObject(o, name, v);
}

void interference_to_json(const struct interference *f, bool disturbed, const char *why,
			  struct cJSON *rec)
{
	static const char *const name[] = { "elapsed_s",   "psi_some_pct", "foreign_cpu",
					    "kthread_cpu", "own_cpu",	   "steal_pct" };
	const double v[] = { f->elapsed_s,   f->psi_some_pct, f->foreign_cpu,
			     f->kthread_cpu, f->own_cpu,      f->steal_pct };
	cJSON *o;

	cJSON_DeleteItemFromObjectCaseSensitive(rec, "interference");
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "disturbed");
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "disturbed_why");
	o = cJSON_AddObjectToObject(rec, "interference");
	if (o) {
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			add_num(o, name[i], v[i]);
		cJSON_AddNumberToObject(o, "ncpus", f->ncpus);
	}
	cJSON_AddBoolToObject(rec, "disturbed", disturbed);
	if (disturbed)
		cJSON_AddStringToObject(rec, "disturbed_why", why ? why : "");
}
