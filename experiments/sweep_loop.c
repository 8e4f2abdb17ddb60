// SPDX-License-Identifier: GPL-2.0
/* The sweep: prepare every value, then run them one after the other (sweep.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results.h"
#include "sweep.h"

static void fail(struct sweep_run *r, const char *why)
{
	r->status = SWEEP_FAILED;
	snprintf(r->error, sizeof(r->error), "%s", why);
}

/* Its folder holds a manifest: a run begun, to be resumed. Never follows a link. */
static bool begun(const struct sweep *s, const struct sweep_run *r)
{
	char err[512];
	struct stat st;
	int dfd = results_open_dir(s->dir, err, sizeof(err)), sub;
	bool yes = false;

	if (dfd < 0)
		return false;
	sub = openat(dfd, r->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub >= 0) {
		yes = !fstatat(sub, "manifest.json", &st, AT_SYMLINK_NOFOLLOW);
		/* A folder left empty by a run that never began is not kept in the way. */
		if (!yes)
			unlinkat(dfd, r->dir, AT_REMOVEDIR);
		close(sub);
	}
	close(dfd);
	return yes;
}

/* Build what each run needs; a value that cannot be prepared is failed, the others go on. */
static void prepare_all(struct sweep *s, const struct sweep_ops *ops, volatile sig_atomic_t *stop)
{
	char err[512], was[SWEEP_NAME_MAX];
	int i, j;

	for (i = 0; i < s->n && !*stop; i++) {
		struct sweep_run *r = &s->runs[i];

		if (r->status == SWEEP_DONE)
			continue;
		fprintf(stderr, "bpfcost-sweep: preparing %s %d of %d: %s\n", s->variable, i + 1,
			s->n, r->value);
		snprintf(was, sizeof(was), "%s", r->name);
		err[0] = '\0';
		if (ops->prepare(ops->arg, r, err, sizeof(err))) {
			fail(r, err);
			continue;
		}
		if (!sweep_name_ok(r->name)) {
			snprintf(err, sizeof(err), "'%s' is not a plain name for a folder",
				 r->name);
			fail(r, err);
			continue;
		}
		/* A series resolved again may name a newer kernel: not the run begun. */
		if (was[0] && strcmp(was, r->name)) {
			snprintf(err, sizeof(err),
				 "%s now names %s, not %s as when the sweep began", r->value,
				 r->name, was);
			snprintf(r->name, sizeof(r->name), "%s", was);
			fail(r, err);
			continue;
		}
		/* Two arrays of one size (a copy, not snprintf: gcc -Wrestrict under ASan) */
		memcpy(r->dir, r->name, sizeof(r->dir));
		r->status = SWEEP_PENDING;
		for (j = 0; j < i; j++) {
			if (s->runs[j].dir[0] && !strcmp(s->runs[j].dir, r->dir)) {
				snprintf(err, sizeof(err), "the same %s as %s (%s)", s->variable,
					 s->runs[j].value, r->name);
				r->dir[0] = r->name[0] = '\0';
				fail(r, err);
				break;
			}
		}
	}
}

int sweep_loop(struct sweep *s, const struct sweep_ops *ops, volatile sig_atomic_t *stop,
	       double budget_min)
{
	double started = ops->now(), left = 0, t0;
	char err[512];
	int i, ret = 0;

	prepare_all(s, ops, stop);
	fprintf(stderr, "bpfcost-sweep: prepared in %.0f s\n", ops->now() - started);
	if (sweep_save(s, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-sweep: %s\n", err);
		return 1;
	}
	for (i = 0; i < s->n && !*stop; i++) {
		struct sweep_run *r = &s->runs[i];
		bool resume;

		if (r->status == SWEEP_DONE) {
			fprintf(stderr, "bpfcost-sweep: %s %d of %d: %s: done already\n",
				s->variable, i + 1, s->n, r->name);
			continue;
		}
		if (r->status == SWEEP_FAILED)
			continue; /* could not be prepared: the others go on */
		if (budget_min > 0) {
			left = budget_min - (ops->now() - started) / 60;
			if (left <= 0) {
				fprintf(stderr,
					"bpfcost-sweep: the %g-minute budget is spent; %s %d of %d "
					"and the rest stay pending\n",
					budget_min, s->variable, i + 1, s->n);
				break;
			}
		}
		resume = begun(s, r);
		fprintf(stderr, "bpfcost-sweep: %s %d of %d: %s (%s)%s ...\n", s->variable, i + 1,
			s->n, r->name, r->value, resume ? ", resumed" : "");
		err[0] = '\0';
		t0 = ops->now();
		r->status = ops->run(ops->arg, s, r, resume, left, err, sizeof(err));
		fprintf(stderr, "bpfcost-sweep: %s %d of %d: %s: %s after %.0f s\n", s->variable,
			i + 1, s->n, r->name, sweep_status_str(r->status), ops->now() - t0);
		if (r->status == SWEEP_FAILED)
			fail(r, err[0] ? err : "failed");
		if (sweep_save(s, err, sizeof(err))) {
			fprintf(stderr, "bpfcost-sweep: %s\n", err);
			return 1;
		}
	}
	/* Runs left pending by the budget are no failure: RESUME continues them. */
	for (i = 0; i < s->n; i++) {
		if (s->runs[i].status == SWEEP_FAILED) {
			fprintf(stderr, "bpfcost-sweep: %s %s failed: %s\n", s->variable,
				s->runs[i].value, s->runs[i].error);
			ret = ret ?: 1;
		} else if (s->runs[i].status == SWEEP_PENDING && *stop) {
			ret = 130;
		}
	}
	return ret;
}
