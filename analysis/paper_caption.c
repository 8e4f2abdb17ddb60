// SPDX-License-Identifier: GPL-2.0
/*
 * What both paper tables say around their numbers: the caption (what was run
 * where, so a reader can cite the settings), the label, the unit and the table
 * notes. Every string from the results goes through paper_tex().
 */
#include <math.h>
#include <string.h>

#include "analysis/escape.h"
#include "analysis/fmt.h"
#include "analysis/paper.h"

/* Characters after which a long name (a kernel release) may break a caption line. */
#define BREAK_AFTER "-./+_,:="
#define BREAK_EVERY 12

void paper_tex(FILE *f, const char *s)
{
	size_t run = 0;

	for (; s && *s; s++) {
		char one[2] = { *s, '\0' };

		esc_tex(f, one);
		run = *s == ' ' ? 0 : run + 1;
		if (*s != ' ' && s[1] && s[1] != ' ' &&
		    (strchr(BREAK_AFTER, *s) || run >= BREAK_EVERY)) {
			fputs("\\allowbreak{}", f);
			run = 0;
		}
	}
}

void paper_unit(const struct run *run, FILE *f)
{
	if (run->has_packets)
		fputs("\\% of the baseline bitrate", f);
	else
		paper_tex(f, run->metric.unit);
}

/* Known workloads in words; another is named as the manifest names it. */
static const struct {
	const char *name, *words;
} workloads[] = {
	{ "iperf", "a UDP flood (iperf3)" },
	{ "trigger", "recvmsg() on an empty UDP socket in a loop" },
	{ "latency", "UDP ping-pong of 64-byte messages (sockperf), the full round trip" },
};

static void workload(const struct run *run, FILE *f)
{
	const char *w = run->ctx.workload;

	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if (!strcmp(w, workloads[i].name)) {
			fprintf(f, "%s, %s", workloads[i].name, workloads[i].words);
			return;
		}
	paper_tex(f, w[0] ? w : run->has_packets ? "a flood" : "per call");
}

/* The label: tab:bpfcost-<workload>, its name reduced to letters and digits. */
static void label(const struct run *run, FILE *f, bool wide)
{
	const char *w = run->ctx.workload[0] ? run->ctx.workload : "run";

	fputs("\\label{tab:bpfcost-", f);
	for (; *w; w++)
		if ((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') ||
		    (*w >= '0' && *w <= '9'))
			fputc(*w, f);
	fputs(wide ? "-wide}" : "}", f);
}

static void field(FILE *f, const char *before, const char *value)
{
	if (!value[0])
		return;
	fputs(before, f);
	paper_tex(f, value);
}

static void detection_limit(const struct run *run, FILE *f)
{
	char b[FMT_SPEC_LEN];

	if (run->has_packets) {
		double ns = run_detection_limit_ns(run);

		if (!isfinite(run->mde_pct))
			fputs("; detection limit: not computable", f);
		else if (!isfinite(ns))
			fprintf(f,
				"; minimum detectable effect %s\\%% (no detection limit per "
				"packet: "
				"the receiver was not saturated)",
				paper_num(b, sizeof(b), run->mde_pct, false));
		else
			fprintf(f,
				"; minimum detectable effect %s\\%%, a detection limit of about "
				"%s~ns "
				"per packet",
				paper_num(b, sizeof(b), run->mde_pct, false), FMT("%.0f", ns));
		return;
	}
	if (!isfinite(run->mde_abs)) {
		fputs("; detection limit: not computable", f);
		return;
	}
	fprintf(f, "; detection limit (minimum detectable effect) %s~",
		paper_num(b, sizeof(b), run->mde_abs, false));
	paper_tex(f, run->metric.unit);
}

void paper_caption(const struct run *run, FILE *f, bool wide)
{
	const struct run_context *c = &run->ctx;
	const struct row_stats *b = run->baseline;

	fputs("\\caption{", f);
	if (run->has_packets) {
		fputs("Impact on the received bitrate of a BPF program attached to ", f);
	} else if (run->metric.quantile > 0) {
		/* A quantile of a distribution (the p50 round trip): named, not "per call". */
		fputs("Added ", f);
		paper_tex(f, run->metric.name);
		fputs(" of a BPF program attached to ", f);
	} else {
		fputs("Added cost per call of a BPF program attached to ", f);
	}
	paper_tex(f, c->func[0] ? c->func : "the probed function");
	fputs(wide ? ", every configuration" : ", by attach type (the mechanism the kernel used)",
	      f);
	fputs(", with 95\\% confidence intervals. Workload: ", f);
	workload(run, f);
	field(f, "; target kernel ", c->kernel);
	field(f, " (", c->target);
	if (c->target[0])
		fputs(")", f);
	field(f, "; CPU ", c->cpu);
	if (c->host_cpu[0] && strcmp(c->target, "host")) {
		field(f, " on host ", c->host_cpu);
	}
	field(f, "; clock ", c->clock[0] ? c->clock : run->metric.clock);
	field(f, "; accelerator ", c->accel);
	if (isfinite(c->n))
		fprintf(f, "; N=%.0f samples per configuration", c->n);
	else if (b)
		fprintf(f, "; N=%zu baseline samples", b->value.n);
	detection_limit(run, f);
	fputs(".}\n", f);
	label(run, f, wide);
	fputc('\n', f);
}
