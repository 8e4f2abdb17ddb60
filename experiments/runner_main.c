// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-run: run a matrix of configurations, N interleaved samples each, on
 * a target (the QEMU guest, or this machine's kernel) with a workload,
 * appending one record per sample to a results folder.
 *
 * Parse the options (options.c), open the results folder (runner_folder.c),
 * run (runner.c), report (runner_report.c).
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "loader/bpfcost.h"
#include "loader/clock.h"
#include "options.h"
#include "runner.h"
#include "runner_folder.h"

static volatile sig_atomic_t stop_requested;

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

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	struct run_options o;
	struct run_folder f;
	struct runner r;
	double started;
	int ret;

	ret = options_parse(&o, argc, argv);
	if (ret)
		return ret;
	if (o.help || o.make_help) {
		(o.help ? options_usage : options_make_help)(stdout);
		return 0;
	}
	/* BUDGET counts from here: the folder and the target's start are part of the run. */
	started = bpfcost_now();
	ret = run_folder_open(&o, &f);
	if (ret) {
		run_folder_close(&f);
		return ret;
	}
	fprintf(stderr,
		"bpfcost-run: %s: %d configurations x %d samples x %g s of %s on %s, seed %llu\n",
		f.dir, f.m.n, o.rs.n, o.rs.duration, o.rs.workload, o.rs.target,
		(unsigned long long)o.rs.seed);
	catch_signals();
	runner_init(&r, &o.rs, &f.m, f.dir, f.man, &stop_requested);
	r.started = started;
	ret = runner_run(&r);
	if (ret == 0 && o.report)
		runner_report(f.dir, o.rs.estimator, o.percall);
	fprintf(stderr, "bpfcost-run: results in %s\n", f.dir);
	run_folder_close(&f);
	return ret;
}
