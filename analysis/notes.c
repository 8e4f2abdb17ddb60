// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/run.h"

static int add(struct notes *n, const char *fmt, ...)
{
	char **v, *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	v = reallocarray(n->v, n->n + 1, sizeof(*v));
	if (!v) {
		free(s);
		return -ENOMEM;
	}
	n->v = v;
	n->v[n->n++] = s;
	return 0;
}

static bool is_spin(const struct cfg *c)
{
	return !strcmp(c->probe, "spin");
}

/* A known cost that the run cannot see means null results elsewhere prove nothing. */
static int spin_lines(const struct run *run, struct notes *n)
{
	bool any = false;
	size_t i;
	int err = 0;

	for (i = 0; i < run->n_cfgs && !err; i++) {
		const struct cfg *c = &run->cfgs[i];
		bool seen;

		if (!is_spin(c) || !c->n_ok)
			continue;
		any = true;
		seen = c->p_holm < ALPHA && c->impact_pct < 0;
		err = add(n,
			  "Sensitivity: %s: known cost %s (impact %+.1f%%, 95%% CI [%+.1f, %+.1f], "
			  "Holm p=%.3g); measured %+.0f ns/packet vs spin_ns=%.0f set (%.2fx)",
			  c->name, seen ? "DETECTED" : "NOT detected", c->impact_pct, c->impact_lo,
			  c->impact_hi, c->p_holm, c->ns_per_pkt, c->spin_ns,
			  c->spin_ns > 0 ? c->ns_per_pkt / c->spin_ns : NAN);
	}
	if (!any && !err)
		err = add(n, "Sensitivity: no 'spin' control in this run, so the harness's "
			     "ability to see a known cost was not checked");
	return err;
}

static int hits_lines(const struct run *run, struct notes *n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < run->n_cfgs && !err; i++) {
		const struct cfg *c = &run->cfgs[i];

		if (!c->hits_bad)
			continue;
		err = add(n,
			  "WARNING: %s: hits per packet %.3f (range %.3f..%.3f, source %s) outside "
			  "[%.1f, %.1f] or check failed: the probe did not run once per packet",
			  c->name, c->hits_mean, c->hits_min, c->hits_max,
			  c->hits_source[0] ? c->hits_source : "?", HITS_LOW, HITS_HIGH);
	}
	return err;
}

static int error_lines(const struct run *run, struct notes *n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < run->n_cfgs && !err; i++) {
		const struct cfg *c = &run->cfgs[i];

		if (!c->n_err)
			continue;
		err = add(n, "%s: %zu of %zu samples failed%s: %s", c->name, c->n_err,
			  c->n_err + c->n_ok,
			  c->n_unsupported ? " (unsupported by this kernel)" : "", c->first_error);
	}
	if (!err && run->recs.n_malformed)
		err = add(n, "%zu malformed line(s) in samples.jsonl skipped (first: line %d)",
			  run->recs.n_malformed, run->recs.first_malformed_line);
	return err;
}

int notes_build(const struct run *run, struct notes *n)
{
	const struct cfg *b = run->baseline;
	int err;

	memset(n, 0, sizeof(*n));
	err = add(n,
		  "Minimum detectable effect of this run: %.1f%% of baseline bitrate (80%% power, "
		  "two-sided 5%% level, n=%zu per group, baseline sd %.2f Mbit/s); smaller "
		  "effects may go unseen",
		  run->mde_pct, b->mbps.n, b->mbps.sd);
	if (!err)
		err = spin_lines(run, n);
	if (!err)
		err = hits_lines(run, n);
	if (!err)
		err = error_lines(run, n);
	if (err)
		notes_free(n);
	return err;
}

void notes_free(struct notes *n)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	memset(n, 0, sizeof(*n));
}
