// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "analysis/stats.h"
#include "disturbance.h"
#include "loader/json_get.h"
#include "record_check.h"
#include "workloads/workload.h"

/* A row's symptom is judged against its own clean samples, once it has this many. */
#define SYMPTOM_MIN_CLEAN 3
/* The run's usual foreign CPU is the median of its samples once there are this many. */
#define FOREIGN_MIN_SAMPLES 5

int disturbance_init(struct disturbance *d, int n_rows, int redo_limit, double foreign_cpu,
		     const struct workload_ops *w)
{
	memset(d, 0, sizeof(*d));
	d->foreign_startup = NAN;
	d->n_rows = n_rows;
	d->redo_limit = redo_limit;
	d->limits = INTERFERENCE_LIMITS_DEFAULT;
	d->limits.foreign_cpu = foreign_cpu;
	d->symptom_field = w ? w->symptom.field : NULL;
	d->symptom_margin = w ? w->symptom.margin : NAN;
	d->redos = calloc(n_rows ? n_rows : 1, sizeof(*d->redos));
	d->clean = calloc(n_rows ? n_rows : 1, sizeof(*d->clean));
	d->n_clean = calloc(n_rows ? n_rows : 1, sizeof(*d->n_clean));
	d->cap_clean = calloc(n_rows ? n_rows : 1, sizeof(*d->cap_clean));
	if (!d->redos || !d->clean || !d->n_clean || !d->cap_clean) {
		disturbance_free(d);
		return -ENOMEM;
	}
	return 0;
}

void disturbance_host_off(struct disturbance *d, const char *why)
{
	d->limits = (struct interference_limits){ NAN, NAN, NAN };
	d->host_off = why;
}

void disturbance_free(struct disturbance *d)
{
	int i;

	for (i = 0; d->clean && i < d->n_rows; i++)
		free(d->clean[i]);
	free(d->clean);
	free(d->foreign_all);
	free(d->redos);
	free(d->n_clean);
	free(d->cap_clean);
	memset(d, 0, sizeof(*d));
}

static double symptom_of(const struct disturbance *d, const cJSON *rec)
{
	double v = d->symptom_field ? json_num_or(rec, d->symptom_field, NAN) : NAN;

	return isfinite(v) ? v : NAN;
}

static void add_clean(struct disturbance *d, int row, double v)
{
	if (isnan(v) || row < 0 || row >= d->n_rows)
		return;
	if (d->n_clean[row] == d->cap_clean[row]) {
		size_t cap = d->cap_clean[row] ? 2 * d->cap_clean[row] : 16;
		double *p = realloc(d->clean[row], cap * sizeof(*p));

		if (!p)
			return; /* a shorter reference, not a failed run */
		d->clean[row] = p;
		d->cap_clean[row] = cap;
	}
	d->clean[row][d->n_clean[row]++] = v;
}

/* The median of the row's clean symptom values, NAN with too few. */
static double reference(const struct disturbance *d, int row)
{
	return d->n_clean[row] < SYMPTOM_MIN_CLEAN ? NAN
						   : stats_median(d->clean[row], d->n_clean[row]);
}

void disturbance_startup(struct disturbance *d, const struct interference *f)
{
	d->foreign_startup = f->foreign_cpu;
}

double disturbance_usual_foreign(const struct disturbance *d)
{
	double u = d->n_foreign >= FOREIGN_MIN_SAMPLES ? stats_median(d->foreign_all, d->n_foreign)
						       : d->foreign_startup;

	return isfinite(u) && u > 0 ? u : 0;
}

static void add_foreign(struct disturbance *d, double v)
{
	if (!isfinite(v))
		return;
	if (d->n_foreign == d->cap_foreign) {
		size_t cap = d->cap_foreign ? 2 * d->cap_foreign : 64;
		double *p = realloc(d->foreign_all, cap * sizeof(*p));

		if (!p)
			return;
		d->foreign_all = p;
		d->cap_foreign = cap;
	}
	d->foreign_all[d->n_foreign++] = v;
}

/*
 * The limits for one window: the CPU limit above the run's usual level, and
 * both widened by what /proc's tick counts cannot resolve. Times come in clock
 * ticks (10 ms): over a 0.1 s sample one stray tick per CPU would read as
 * 0.1 CPU of other work, so two ticks per CPU are allowed for.
 */
static struct interference_limits limits_for(const struct disturbance *d,
					     const struct interference *f, double usual)
{
	struct interference_limits lim = d->limits;
	double hz = (double)sysconf(_SC_CLK_TCK), cpus = f->ncpus > 0 ? f->ncpus : 1;
	double quantum = f->elapsed_s > 0 && hz > 0 ? 2 * cpus / hz / f->elapsed_s : INFINITY;

	lim.foreign_cpu += usual + quantum;
	lim.steal_pct += quantum / cpus * 100;
	return lim;
}

bool disturbance_judge(struct disturbance *d, int row, const struct interference *f, cJSON *rec,
		       char *why, size_t len)
{
	double usual = disturbance_usual_foreign(d), v = symptom_of(d, rec), ref = NAN;
	struct interference_limits lim = limits_for(d, f, usual);
	bool disturbed;

	disturbed = interference_judge(f, &lim, why, len);
	if (disturbed && usual > 0 && strlen(why) + 40 < len)
		snprintf(why + strlen(why), len - strlen(why), "; usual in this run %.2f", usual);

	if (row >= 0 && row < d->n_rows)
		ref = reference(d, row);
	/*
	 * The workload's own symptom, against the same row's clean samples (never
	 * another row's: a probe that really costs raises its own loss).
	 */
	if (!disturbed && isfinite(v) && isfinite(ref) && v > ref + d->symptom_margin) {
		snprintf(why, len, "%s %.1f, more than %.0f above the row's median %.1f",
			 d->symptom_field, v, d->symptom_margin, ref);
		disturbed = true;
	}
	interference_to_json(f, disturbed, disturbed ? why : NULL, rec);
	if (isfinite(ref)) {
		cJSON *it = cJSON_GetObjectItemCaseSensitive(rec, "interference");

		if (cJSON_IsObject(it))
			cJSON_AddNumberToObject(it, "symptom_reference", ref);
	}
	/* Clean samples only: a long disturbance must not become the usual level. */
	if (!disturbed) {
		add_clean(d, row, v);
		add_foreign(d, f->foreign_cpu);
	}
	return disturbed;
}

void disturbance_note(struct disturbance *d, int row, const cJSON *rec)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(rec, "interference");
	bool disturbed = json_bool_or(rec, "disturbed", false);
	char why[128];
	double fc;

	/* Read back from a folder: an impossible record feeds no reference. */
	if (row < 0 || row >= d->n_rows || cJSON_GetObjectItemCaseSensitive(rec, "error") ||
	    record_check_values(rec, why, sizeof(why)))
		return;
	if (disturbed) {
		if (d->redos[row] < d->redo_limit)
			d->redos[row]++;
		return;
	}
	/* Bounded like every figure read back: a hostile record cannot move the reference far. */
	if (json_num(it, "foreign_cpu", &fc) && fc >= 0 && fc <= 1024)
		add_foreign(d, fc);
	add_clean(d, row, symptom_of(d, rec));
}

bool disturbance_quiet(const struct disturbance *d, const struct interference *f)
{
	struct interference_limits lim = limits_for(d, f, disturbance_usual_foreign(d));

	return !(f->foreign_cpu > lim.foreign_cpu) && !(f->steal_pct > lim.steal_pct);
}

bool disturbance_redos_left(const struct disturbance *d, int row)
{
	return row >= 0 && row < d->n_rows && d->redos[row] < d->redo_limit;
}

bool disturbance_take_redo(struct disturbance *d, int row)
{
	if (!disturbance_redos_left(d, row))
		return false;
	d->redos[row]++;
	return true;
}

static void add_limit(cJSON *o, const char *key, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

cJSON *disturbance_json(const struct disturbance *d)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "redo_limit", d->redo_limit);
	add_limit(o, "foreign_cpu_limit", d->limits.foreign_cpu);
	add_limit(o, "steal_pct_limit", d->limits.steal_pct);
	add_limit(o, "psi_some_pct_limit", d->limits.psi_some_pct);
	if (d->host_off)
		cJSON_AddStringToObject(o, "host_criteria_off", d->host_off);
	if (d->symptom_field) {
		cJSON_AddStringToObject(o, "symptom_field", d->symptom_field);
		add_limit(o, "symptom_margin", d->symptom_margin);
	}
	return o;
}
