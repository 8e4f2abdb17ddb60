// SPDX-License-Identifier: GPL-2.0
/* The comparison's model: labels, refusals, the row union, cells and differences. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"

/*
 * The facets a column group is labelled by when they differ, in label order;
 * the rest of the manifest (environment, tools) only warns.
 */
static const struct {
	const char *key, *show;
} labelled[] = {
	{ "kernel", "kernel" }, { "target", "target" },	    { "cpu", "CPU" },
	{ "accel", "accel" },	{ "host_cpu", "host CPU" },
};

static const char *facet(const struct cmp_run *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n_facets; i++)
		if (!strcmp(r->facets[i].key, key))
			return r->facets[i].value;
	return "";
}

const char *compare_facet(const struct cmp_run *r, const char *key)
{
	return facet(r, key);
}

static bool is_labelled(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(labelled) / sizeof(labelled[0]); i++)
		if (!strcmp(labelled[i].key, key))
			return true;
	return false;
}

/* Whether @key has more than one value over the loaded runs (a missing one counts as ""). */
static bool differs(const struct compare *c, const char *key)
{
	const char *first = NULL;
	size_t i;

	for (i = 0; i < c->n_runs; i++) {
		if (!c->runs[i].loaded)
			continue;
		if (!first)
			first = facet(&c->runs[i], key);
		else if (strcmp(first, facet(&c->runs[i], key)))
			return true;
	}
	return false;
}

int compare_note(struct compare *c, const char *fmt, ...)
{
	char **v = realloc(c->notes, (c->n_notes + 1) * sizeof(*v));
	va_list ap;
	int n;

	if (!v)
		return -ENOMEM;
	c->notes = v;
	va_start(ap, fmt);
	n = vasprintf(&v[c->n_notes], fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	c->n_notes++;
	return 0;
}

static void append(char *buf, size_t len, const char *sep, const char *s)
{
	size_t n = strlen(buf);

	/* Cut where it no longer fits: a label is for reading. */
	if (n && n + strlen(sep) < len) {
		strcpy(buf + n, sep);
		n += strlen(sep);
	}
	while (*s && n + 1 < len)
		buf[n++] = *s++;
	buf[n] = '\0';
}

int compare_label(struct compare *c)
{
	const struct cmp_run *any = NULL;
	char part[256], several[128] = "";
	size_t i, k, n_differ = 0;

	for (i = 0; i < c->n_runs && !any; i++)
		if (c->runs[i].loaded)
			any = &c->runs[i];
	c->common[0] = '\0';
	for (k = 0; k < sizeof(labelled) / sizeof(labelled[0]); k++) {
		bool d = differs(c, labelled[k].key);

		if (d) {
			n_differ++;
			append(several, sizeof(several), ", ", labelled[k].show);
		}
		for (i = 0; i < c->n_runs && d; i++) {
			struct cmp_run *r = &c->runs[i];

			if (!r->loaded)
				continue;
			snprintf(part, sizeof(part), "%s", facet(r, labelled[k].key));
			append(r->label, sizeof(r->label), ", ", part[0] ? part : "(unrecorded)");
		}
		if (!d && any && facet(any, labelled[k].key)[0]) {
			snprintf(part, sizeof(part), "%s %s", labelled[k].show,
				 facet(any, labelled[k].key));
			append(c->common, sizeof(c->common), ", ", part);
		}
	}
	/* Nothing labelled differs (two runs of one setup): the folder names tell them apart. */
	for (i = 0; i < c->n_runs; i++)
		if (!c->runs[i].label[0] || !c->runs[i].loaded)
			snprintf(c->runs[i].label, sizeof(c->runs[i].label), "%s", c->runs[i].name);
	if (compare_is_fleet(c))
		compare_fleet_label(c);
	/* A sweep's own variable is checked with the environment (compare_build()). */
	if (n_differ > 1 && !c->variable[0])
		return compare_note(c,
				    "warning: %s differ together: a difference between these runs "
				    "is not one variable's",
				    several);
	return 0;
}

/* What must be the same for two added costs to be subtracted. */
static const char *const must_match[][2] = {
	{ "workload", "workload" },
	{ "metric", "metric" },
	{ "unit", "metric unit" },
	{ "clock", "clock" },
};

int compare_check(const struct compare *c, char *why, size_t len)
{
	const struct cmp_run *first = NULL;
	size_t i, k;

	for (i = 0; i < c->n_runs; i++) {
		const struct cmp_run *r = &c->runs[i];

		if (!r->loaded)
			continue;
		if (!first) {
			first = r;
			continue;
		}
		for (k = 0; k < sizeof(must_match) / sizeof(must_match[0]); k++) {
			const char *a = facet(first, must_match[k][0]),
				   *b = facet(r, must_match[k][0]);

			/* Unrecorded (a run without its manifest) is not a difference. */
			if (a[0] && b[0] && strcmp(a, b)) {
				snprintf(why, len, "the %s differs: '%s' in %s, '%s' in %s",
					 must_match[k][1], a, first->name, b, r->name);
				return -1;
			}
		}
	}
	return 0;
}

static bool has_row(const struct compare *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_rows; i++)
		if (!strcmp(c->rows[i], name))
			return true;
	return false;
}

static bool has_facet(const struct cmp_run *r, const char *key, bool prefix)
{
	size_t i;

	for (i = 0; i < r->n_facets; i++)
		if (prefix ? !strncmp(r->facets[i].key, key, strlen(key))
			   : !strcmp(r->facets[i].key, key))
			return true;
	return false;
}

/* Recorded by every run with numbers: what one run does not record is not compared. */
static bool everywhere(const struct compare *c, const char *key, bool prefix)
{
	size_t i;

	for (i = 0; i < c->n_runs; i++)
		if (c->runs[i].loaded && !has_facet(&c->runs[i], key, prefix))
			return false;
	return true;
}

#define WARN_MAX 12

/* A whole group one run lacks (an older manifest): said once, not per field. */
static int warn_unrecorded(struct compare *c)
{
	static const char *const groups[] = { "settings.", "host.tools.", "host.environment.",
					      "target.environment." };
	size_t i, g;
	int err = 0;

	for (g = 0; g < sizeof(groups) / sizeof(groups[0]) && !err; g++)
		for (i = 0; i < c->n_runs && !err; i++) {
			const struct cmp_run *r = &c->runs[i];
			size_t j;
			bool elsewhere = false;

			for (j = 0; j < c->n_runs; j++)
				elsewhere |=
					c->runs[j].loaded && has_facet(&c->runs[j], groups[g], 1);
			if (r->loaded && elsewhere && !has_facet(r, groups[g], true))
				err = compare_note(c,
						   "warning: %s records no %s* (an older run?): "
						   "not compared",
						   r->label, groups[g]);
		}
	return err;
}

/*
 * Every value all runs record that differs, but the labelled variable and the
 * must-match ones (refused before): one note each, at most WARN_MAX.
 */
static int warn_environment(struct compare *c)
{
	const struct cmp_run *first = NULL, *other = NULL;
	size_t i, k, warned = 0;
	int err = warn_unrecorded(c);

	for (i = 0; i < c->n_runs; i++)
		if (c->runs[i].loaded) {
			if (first && !other)
				other = &c->runs[i];
			if (!first)
				first = &c->runs[i];
		}
	for (k = 0; other && k < first->n_facets && !err; k++) {
		const char *key = first->facets[k].key;

		if (is_labelled(key) && (!c->variable[0] || !strcmp(key, c->variable)))
			continue;
		/* A fleet's hosts are different machines: what each is, is in its facts. */
		if (compare_is_fleet(c) && compare_fleet_shown(key))
			continue;
		if (!everywhere(c, key, false) || !differs(c, key))
			continue;
		if (++warned > WARN_MAX)
			continue;
		err = compare_note(c,
				   "warning: %s differs beyond the labelled variable: '%s' in %s, "
				   "'%s' in %s%s",
				   key, first->facets[k].value, first->label, facet(other, key),
				   other->label, c->n_runs > 2 ? " (and others)" : "");
	}
	if (!err && warned > WARN_MAX)
		err = compare_note(c,
				   "warning: %zu more recorded values differ (compare the "
				   "manifests)",
				   warned - WARN_MAX);
	return err;
}

int compare_build(struct compare *c)
{
	size_t i, k;
	int err;

	for (i = 0; i < c->n_runs; i++) {
		const struct run *run = &c->runs[i].run;

		for (k = 0; c->runs[i].loaded && k < run->n_rows; k++) {
			void *v;

			if (run->rows[k].baseline || has_row(c, run->rows[k].name))
				continue;
			v = realloc(c->rows, (c->n_rows + 1) * sizeof(*c->rows));
			if (!v)
				return -ENOMEM;
			c->rows = v;
			snprintf(c->rows[c->n_rows++], REC_NAME_LEN, "%s", run->rows[k].name);
		}
	}
	err = warn_environment(c);
	for (i = 0; i < c->n_runs && !err; i++) {
		const struct cmp_run *r = &c->runs[i];

		if (r->loaded && r->run.baseline)
			err = compare_note(c, "baseline of %s: %.6g %s (n=%zu, its %s)", r->label,
					   r->run.estimator == EST_MEAN
						   ? r->run.baseline->value.mean
						   : r->run.baseline->value.median,
					   c->unit, r->run.baseline->n_ok,
					   r->run.estimator == EST_MEAN ? "mean" : "median");
		else if (!r->loaded)
			err = compare_note(c, "%s: %s%s%s", r->name, r->status,
					   r->error[0] ? ": " : "", r->error);
	}
	return err;
}

/* Exact counts: every sample of the row and of its baseline the same number. */
static bool zero_spread(const struct row_stats *c)
{
	return c->value.n >= 2 && c->value.sd == 0;
}

void compare_cell(const struct compare *c, size_t run, size_t row, struct cmp_cell *x)
{
	const struct cmp_run *r = &c->runs[run];
	const struct row_stats *s;

	memset(x, 0, sizeof(*x));
	x->diff = x->lo = x->hi = NAN;
	if (!r->loaded) {
		snprintf(x->why, sizeof(x->why), "%s%s%s", r->status, r->error[0] ? ": " : "",
			 r->error);
		return;
	}
	s = run_find_row(&r->run, c->rows[row]);
	if (!s) {
		snprintf(x->why, sizeof(x->why), "not in this run");
		return;
	}
	if (!s->n_ok) {
		const char *e = s->first_error ? s->first_error : "no successful sample";
		const char *kind = s->n_unsupported ? "unsupported" : "failed";

		/* The runner's error often says it already: not "unsupported: unsupported: ..." */
		if (!strncmp(e, kind, strlen(kind)))
			snprintf(x->why, sizeof(x->why), "%s", e);
		else
			snprintf(x->why, sizeof(x->why), "%s: %s", kind, e);
		return;
	}
	if (!isfinite(s->diff)) {
		snprintf(x->why, sizeof(x->why), "no added cost (n=%zu)", s->n_ok);
		return;
	}
	x->has = true;
	x->diff = s->diff;
	x->exact = zero_spread(s) && zero_spread(r->run.baseline);
	/* One sample a side has no spread to show: no interval, whatever the estimator gave. */
	if (!x->exact && s->n_ok >= 2 && r->run.baseline->n_ok >= 2) {
		x->lo = s->diff_lo;
		x->hi = s->diff_hi;
	}
}

/*
 * Run k minus the first run. Independent runs: each side of the interval is
 * the two runs' distances to their own bounds added in quadrature (exact for
 * symmetric normal intervals, and an exact side contributes nothing).
 */
void compare_delta(const struct cmp_cell *a, const struct cmp_cell *b, struct cmp_delta *x)
{
	double al, ah, bl, bh;

	memset(x, 0, sizeof(*x));
	x->d = x->lo = x->hi = NAN;
	if (!a->has || !b->has)
		return;
	x->has = true;
	x->d = b->diff - a->diff;
	x->exact = a->exact && b->exact;
	if (x->exact)
		return;
	al = a->exact ? 0 : a->diff - a->lo;
	ah = a->exact ? 0 : a->hi - a->diff;
	bl = b->exact ? 0 : b->diff - b->lo;
	bh = b->exact ? 0 : b->hi - b->diff;
	/* lower bound of b - a: b low, a high; NAN stays NAN (no interval on a side) */
	x->lo = x->d - sqrt(bl * bl + ah * ah);
	x->hi = x->d + sqrt(bh * bh + al * al);
}

void compare_free(struct compare *c)
{
	size_t i;

	for (i = 0; i < c->n_runs; i++)
		if (c->runs[i].loaded)
			run_free(&c->runs[i].run);
	for (i = 0; i < c->n_notes; i++)
		free(c->notes[i]);
	free(c->notes);
	free(c->rows);
	free(c->runs);
	memset(c, 0, sizeof(*c));
}
