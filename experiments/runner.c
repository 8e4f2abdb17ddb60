// SPDX-License-Identifier: GPL-2.0
/* The run: prepare, the blocks, then one way out that says why and cleans up. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "loader/clock.h"
#include "runner.h"

void runner_init(struct runner *r, const struct run_settings *rs, const struct matrix *m,
		 const char *dir, struct cJSON *man, volatile sig_atomic_t *stop)
{
	*r = (struct runner){
		.rs = rs,
		.m = m,
		.dir = dir,
		.man = man,
		.tops = target_find(rs->target),
		.wops = workload_find(rs->workload),
		.stop = stop,
		.now = bpfcost_now,
		.before_redo = runner_wait_quiet,
		.window_end = runner_window_end,
	};
	r->started = r->now();
}

enum run_state runner_restart(struct runner *r, const char *why)
{
	char err[BPFCOST_ERRLEN];
	cJSON *entry;

	if (r->restarts >= MAX_TARGET_RESTARTS || *r->stop)
		return RUN_LOST;
	r->restarts++;
	target_stop(r->t);
	r->t = NULL;
	r->ss.target = NULL;
	entry = manifest_add_restart(r->man, why);
	fprintf(stderr, "bpfcost-run: restarting the %s target (%d of %d)\n", r->tops->name,
		r->restarts, MAX_TARGET_RESTARTS);
	if (r->tops->start(&r->ts, &r->t, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-run: %s target: %s\n", r->tops->name, err);
		manifest_restart_failed(entry, err);
		manifest_save(r->dir, r->man);
		return RUN_LOST;
	}
	r->ss.target = r->t;
	return manifest_save(r->dir, r->man) ? RUN_FAILED : RUN_GO;
}

/* What the state means for the user, the manifest and the exit code. */
static int finish(struct runner *r, enum run_state s)
{
	int ret = BPFCOST_EXIT_FAILURE;

	switch (s) {
	case RUN_GO: /* not reached: the blocks end in RUN_DONE */
	case RUN_DONE:
		progress_end(&r->p);
		if (r->stopped && !strcmp(r->stopped, "budget"))
			progress_note(&r->p,
				      "bpfcost-run: the %g-minute budget is spent; for more "
				      "samples: --resume %s (a new budget)",
				      r->rs->budget_min, r->dir);
		manifest_finish(r->man, r->stopped && !strcmp(r->stopped, "budget") ? "budget"
										    : "complete");
		manifest_record_stop(r->man, r->stopped, r->blocks_begun);
		ret = BPFCOST_EXIT_OK;
		break;
	case RUN_LOST:
		progress_note(&r->p,
			      "bpfcost-run: the target is lost; records so far are kept; "
			      "continue with --resume %s",
			      r->dir);
		manifest_finish(r->man, "failed");
		break;
	case RUN_INTERRUPTED:
		progress_note(&r->p,
			      "bpfcost-run: interrupted; records so far are kept; continue with "
			      "--resume %s",
			      r->dir);
		manifest_finish(r->man, "interrupted");
		ret = EXIT_INTERRUPTED;
		break;
	case RUN_REFUSED:
		ret = BPFCOST_EXIT_USAGE;
		break;
	case RUN_FAILED:
		manifest_finish(r->man, "failed");
		break;
	}
	if (manifest_save(r->dir, r->man) && ret == BPFCOST_EXIT_OK)
		ret = BPFCOST_EXIT_FAILURE;
	return ret;
}

static void cleanup(struct runner *r)
{
	int i;

	target_stop(r->t); /* QEMU, tap, namespaces, veth: whatever the target made goes */
	r->t = NULL;
	if (r->samples)
		fclose(r->samples);
	r->samples = NULL;
	cJSON_Delete(r->info);
	r->info = NULL;
	free(r->order);
	free(r->active);
	resume_set_free(&r->done);
	disturbance_free(&r->dist);
	for (i = 0; i < WORKLOAD_MAX_ARGS; i++) {
		free(r->replaced[i]);
		r->replaced[i] = NULL;
	}
}

int runner_run(struct runner *r)
{
	const struct run_settings *rs = r->rs;
	enum run_state s;
	int ret;

	r->ts = (struct target_options){
		.accel = rs->accel,
		.topology = rs->topology,
		.vcpus = rs->vcpus,
		.mem_mb = rs->mem_mb,
		.qemu = rs->qemu,
		.clock = rs->clock,
		.stop = r->stop,
		.pin = rs->pin,
		.bind = rs->bind,
		.values = rs->target_values,
		.server = workload_server(r->wops),
	};
	memcpy(r->values, rs->values, sizeof(r->values));
	r->ss = (struct sample_setup){
		.workload = r->wops,
		.values = r->values,
		.duration = rs->duration,
		.clock = rs->clock,
		.func = rs->func,
		.spin_ns = rs->spin_ns,
		.call_timeout_s = 120,
	};
	/* With PRECISION, blocks go on past N (rows drop out as they reach it). */
	r->blocks = rs->precision > 0 ? rs->max_n : rs->n;
	r->sample_s = rs->duration;
	if (disturbance_init(&r->dist, r->m->n, rs->redo_limit, rs->disturb_cpu, r->wops))
		return BPFCOST_EXIT_FAILURE;
	if (!strcmp(rs->clock, "instructions"))
		disturbance_host_off(&r->dist, "CLOCK=instructions: the guest's instruction count "
					       "does not change with other work on the host");
	s = runner_prepare(r);
	if (s == RUN_GO)
		s = runner_blocks(r);
	ret = finish(r, s);
	cleanup(r);
	return ret;
}
