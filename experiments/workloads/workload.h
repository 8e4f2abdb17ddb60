/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workload: what drives the probed path during a sample and what the sample
 * measures. A workload declares its arguments, its primary metric and what
 * counts as one event (a received packet, a call) for the hits check; the
 * analysis reads the metric from the records. It also declares what it needs
 * on the target: a server to start (.server), the host programs the guest
 * must hold (BPFCOST_GUEST_BINS). A new workload is one file here ending with
 * BPFCOST_WORKLOAD(<its workload_ops>); no other file names it.
 */
#ifndef BPFCOST_WORKLOAD_H
#define BPFCOST_WORKLOAD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "experiments/targets/target.h"

struct cJSON;
struct target;
struct traffic_endpoint;

/* The primary metric, copied into every record as "metric". */
struct metric {
	const char *name;	       /* "bitrate" */
	const char *field;	       /* the record field holding it: "rx_bps" */
	const char *unit;	       /* of field * scale: "Mbit/s" */
	const char *unit_instructions; /* the unit under CLOCK=instructions, if time-based */
	double scale;		       /* field * scale is in unit: 1e-6 */
	bool higher_is_better;
	double quantile; /* the field is this quantile of a distribution (0.5: a median); 0: not */
};

struct workload_arg {
	const char *name; /* as in --arg name=value */
	const char *dflt;
	const char *help;
};

#define WORKLOAD_MAX_ARGS 8
#define WORKLOAD_MAX_ALSO 4

/*
 * A further metric of the same unit and scale as the primary one (a latency
 * percentile): the tables give it a value, an added cost and an MDE each.
 */
struct also_metric {
	const char *name;  /* "p99 round trip" */
	const char *field; /* "rtt_p99_us"; absent from a record: see .absent */
	bool terminal;	   /* in table.txt too, not only table.md, .tex and summary.csv */
	double quantile;   /* as struct metric's: the report draws the quantiles as a CDF */
};

/* One sample's window: what the workload may use. */
struct workload_ctx {
	struct target *target;
	const struct traffic_endpoint *ep;
	double duration;	   /* seconds measured */
	const char *const *values; /* one per declared argument, in declaration order */
	int call_timeout_s;	   /* per agent request */
	const char *clock;	   /* "real", or "instructions": guest time counts instructions */
	volatile sig_atomic_t *stop;
};

enum workload_result {
	WORKLOAD_OK,
	WORKLOAD_ERROR,	     /* the measurement failed: an error record */
	WORKLOAD_TARGET_LOST /* the agent stopped answering */
};

struct workload_ops {
	const char *name;
	const char *summary;
	struct metric metric;
	const char *event; /* what one hit should be per: "packet", "call" */
	/*
	 * Events counted by the workload itself, while the probe fires for other
	 * sockets too: runs in an idle window as long as the sample are subtracted.
	 */
	bool idle_window;
	/* A wall-clock measurement (a latency): CLOCK=instructions is refused. */
	bool real_clock_only;
	/* Further metrics, ending at the first without a name, and what an absent one means. */
	struct also_metric also[WORKLOAD_MAX_ALSO];
	const char *absent;			     /* "too few round trips" */
	struct workload_arg args[WORKLOAD_MAX_ARGS]; /* ends at the first without a name */
	/*
	 * Seconds measured per sample when DURATION is not given: a flood needs
	 * seconds to settle, a per-call loop far less.
	 */
	double default_duration;
	int default_n;		    /* samples per configuration when N is not given */
	int default_n_instructions; /* the same under CLOCK=instructions; 0: default_n */
	int default_vcpus; /* a guest's vCPUs when VCPUS is not given; 0: RS_VCPUS_DEFAULT */
	/*
	 * Optional: the workload's own sign of a disturbed sample. A record
	 * field more than @margin above the median of its row's clean samples
	 * (the same row: a probe that really costs moves its own figure) marks
	 * the sample disturbed, as other work on the host does.
	 */
	struct {
		const char *field;
		double margin;
	} symptom;
	/*
	 * Optional: the server the target starts before any sample (argv[0]
	 * NULL: none); the traffic endpoint then names where it listens.
	 */
	struct server_spec server;
	/*
	 * Drive the path for ctx->duration; add the workload's own fields to
	 * @rec (the metric's field among them) and set *@events to how many
	 * events the target saw in the window. Errors go to @err.
	 */
	/*
	 * Refuse argument values and a duration the workload cannot honour
	 * under @clock ("real", "instructions"), before the run starts: 0, or -1
	 * with @err naming the value. Optional.
	 */
	int (*validate)(const char *const *values, double duration, const char *clock, char *err,
			size_t errlen);
	enum workload_result (*measure)(const struct workload_ctx *ctx, struct cJSON *rec,
					double *events, char *err, size_t errlen);
	/*
	 * Optional: tune the workload to the target once, before any sample,
	 * nothing attached. Puts new values for arguments in @replaced (one slot
	 * per argument, malloc'd, the caller frees) and what it measured into
	 * @out, which the manifest keeps as "calibration"; its "args" object
	 * must hold the replaced values, so a resumed run reuses them. 0, or -1
	 * with @err.
	 */
	int (*calibrate)(const struct workload_ctx *ctx, char **replaced, struct cJSON *out,
			 char *err, size_t errlen);
};

/* Registers @ops: one line at the end of the workload's file. */
#define BPFCOST_WORKLOAD(ops)                                                                      \
	const struct workload_ops *const bpfcost_workload_##ops                                    \
		__attribute__((section("bpfcost_workloads"), used, aligned(sizeof(void *)))) =     \
			&(ops)

/*
 * Host programs (found on PATH at build time) the guest's initramfs must hold
 * for this workload, e.g. BPFCOST_GUEST_BINS(iperf, "iperf3"). The build reads
 * them from the object's "bpfcost_guest_bins" section: nothing else to edit.
 */
#define BPFCOST_GUEST_BINS(tag, ...)                                                               \
	static const char bpfcost_guest_bins_##tag[][64]                                           \
		__attribute__((section("bpfcost_guest_bins"), used)) = { __VA_ARGS__ }

/* The registered workloads in name order, NULL-terminated; exits on a duplicate name. */
const struct workload_ops *const *workload_list(void);
/* The server @w declares, or NULL. */
const struct server_spec *workload_server(const struct workload_ops *w);

const struct workload_ops *workload_find(const char *name);
void workload_names(char *buf, size_t len);
/* Samples per configuration under @clock when N is not given. */
int workload_default_n(const struct workload_ops *w, const char *clock);
/* Index of argument @name, or -1. */
int workload_arg_index(const struct workload_ops *w, const char *name);
/* The metric as a JSON object (name, field, unit, scale, higher_is_better, event, clock). */
struct cJSON *workload_metric_json(const struct workload_ops *w, const char *clock);

#endif /* BPFCOST_WORKLOAD_H */
