// SPDX-License-Identifier: GPL-2.0
/*
 * The original experiment's workload: an iperf3 UDP flood of 64-byte
 * datagrams into the target; the metric is the receiver's bitrate, an event
 * is a datagram delivered to a socket (the target's UDP InDatagrams).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "experiments/workloads/iperf_run.h"
#include "experiments/workloads/iperf_args.h"
#include "experiments/workloads/iperf_calibration.h"
#include "experiments/targets/target.h"
#include "workload.h"

enum { ARG_IPERF_ARGS, ARG_WARMUP, ARG_CALIBRATE };

/* Seconds measured per ramp step, after one second dropped. */
#define RAMP_STEP_S 2

static double num_at(const cJSON *obj, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);

	return cJSON_GetNumberValue(b ? cJSON_GetObjectItemCaseSensitive(v, b) : v);
}

/* Datagrams delivered to sockets: counted in udp_recvmsg/udpv6_recvmsg. */
static int datagrams(const struct workload_ctx *ctx, double *n, char *err, size_t errlen)
{
	cJSON *req = cJSON_CreateObject(), *snmp;
	double v4, v6;

	cJSON_AddStringToObject(req, "cmd", "snmp");
	snmp = target_call(ctx->target, req, ctx->call_timeout_s, err, errlen);
	cJSON_Delete(req);
	if (!snmp)
		return -1;
	v4 = num_at(snmp, "udp", "InDatagrams");
	v6 = num_at(snmp, "udp6", "InDatagrams");
	*n = (v4 == v4 ? v4 : 0) + (v6 == v6 ? v6 : 0); /* NaN: the family is absent */
	cJSON_Delete(snmp);
	return 0;
}

/* One iperf3 client run towards the target's endpoint, on the client's CPUs. */
static struct iperf_run client_run(const struct workload_ctx *ctx, double duration, int warmup,
				   const char *args)
{
	return (struct iperf_run){
		.host = ctx->ep->host,
		.port = ctx->ep->port,
		.netns_fd = ctx->ep->netns_fd,
		.cpus = ctx->ep->pin_client ? &ctx->ep->client_cpus : NULL,
		.duration = duration,
		.warmup = warmup,
		.args = args,
		.timeout_s = (int)(duration + warmup) + 30,
	};
}

static enum workload_result measure(const struct workload_ctx *ctx, cJSON *rec, double *events,
				    char *err, size_t errlen)
{
	struct iperf_run run = client_run(ctx, ctx->duration, atoi(ctx->values[ARG_WARMUP]),
					  ctx->values[ARG_IPERF_ARGS]);
	struct iperf_result r;
	double before, after;
	int attempt, ret = -1;

	if (datagrams(ctx, &before, err, errlen))
		return WORKLOAD_TARGET_LOST;
	/* An iperf3 failure is retried once, then it is the sample's error. */
	for (attempt = 0; attempt < 2 && ret && !*ctx->stop; attempt++)
		ret = iperf_run(&run, &r, ctx->stop, err, errlen);
	if (ret) {
		char why[256];

		/* A target that no longer answers explains the failure: not a measurement. */
		return datagrams(ctx, &after, why, sizeof(why)) ? WORKLOAD_TARGET_LOST
								: WORKLOAD_ERROR;
	}
	if (datagrams(ctx, &after, err, errlen))
		return WORKLOAD_TARGET_LOST;
	*events = after - before;
	cJSON_AddNumberToObject(rec, "rx_bps", r.rx_bps);
	cJSON_AddNumberToObject(rec, "rx_bytes", r.rx_bytes);
	cJSON_AddNumberToObject(rec, "rx_packets", r.rx_packets);
	cJSON_AddNumberToObject(rec, "sent_packets", r.sent_packets);
	cJSON_AddNumberToObject(rec, "datagram_bytes", r.datagram_bytes);
	cJSON_AddNumberToObject(rec, "rx_pps", r.rx_pps);
	cJSON_AddNumberToObject(rec, "lost_percent", r.lost_percent);
	cJSON_AddNumberToObject(rec, "duration_s", r.seconds);
	/* Optional in iperf3's report: absent rather than made up. */
	if (r.cpu_host_percent == r.cpu_host_percent)
		cJSON_AddNumberToObject(rec, "cpu_host_percent", r.cpu_host_percent);
	if (r.cpu_remote_percent == r.cpu_remote_percent)
		cJSON_AddNumberToObject(rec, "cpu_remote_percent", r.cpu_remote_percent);
	/*
	 * iperf3's received datagrams (measured interval) cannot exceed what the
	 * target's sockets received over the whole window, warm-up included.
	 */
	if (r.rx_packets > *events * 1.01 + 16) {
		snprintf(err, errlen,
			 "iperf3 counted %.0f datagrams received but the target's UDP InDatagrams "
			 "rose by only %.0f",
			 r.rx_packets, *events);
		return WORKLOAD_ERROR;
	}
	return WORKLOAD_OK;
}

static int ramp_step(const struct workload_ctx *ctx, double rate, struct iperf_result *r, char *err,
		     size_t errlen)
{
	char args[1024];
	struct iperf_run run = client_run(ctx, RAMP_STEP_S, 1, args);
	int attempt, ret = -1;

	if (load_args_with_rate(ctx->values[ARG_IPERF_ARGS], rate, args, sizeof(args))) {
		snprintf(err, errlen, "iperf: IPERF_ARGS too long to add a rate to");
		return -1;
	}
	/*
	 * Back to back, a TCG guest's iperf3 server may not be listening again
	 * yet ("Connection refused"): it has no readiness signal to wait on.
	 */
	for (attempt = 0; attempt < 4 && ret && !*ctx->stop; attempt++) {
		if (attempt)
			sleep(1);
		ret = iperf_run(&run, r, ctx->stop, err, errlen);
	}
	return ret;
}

/*
 * The receive capacity, by doubling the offered load until the target falls
 * behind; then IPERF_ARGS' -b becomes multiple x capacity over the streams.
 */
static int calibrate(const struct workload_ctx *ctx, char **replaced, cJSON *out, char *err,
		     size_t errlen)
{
	const char *setting = ctx->values[ARG_CALIBRATE];
	double multiple = strtod(setting, NULL), rate, offered;
	cJSON *steps, *args;
	double last_lost = 0;
	struct ramp ramp;
	char eff[1024];

	if (!strcmp(setting, "off")) {
		cJSON_AddBoolToObject(out, "done", false);
		cJSON_AddStringToObject(out, "reason", "calibrate=off: IPERF_ARGS as given");
		return 0;
	}
	steps = cJSON_AddArrayToObject(out, "steps");
	for (rate = ramp_start(&ramp); rate > 0;) {
		struct iperf_result r;
		cJSON *step;

		if (ramp_step(ctx, rate, &r, err, errlen))
			return -1;
		step = cJSON_CreateObject();
		cJSON_AddNumberToObject(step, "offered_mbps", rate / 1e6);
		cJSON_AddNumberToObject(step, "received_mbps", r.rx_bps / 1e6);
		cJSON_AddNumberToObject(step, "received_pps", r.rx_pps);
		cJSON_AddNumberToObject(step, "lost_percent", r.lost_percent);
		cJSON_AddItemToArray(steps, step);
		fprintf(stderr, "bpfcost-run: calibration: offered %.1f Mbit/s, received %.1f\n",
			rate / 1e6, r.rx_bps / 1e6);
		last_lost = r.lost_percent;
		rate = ramp_next(&ramp, rate, r.rx_bps);
	}
	if (!(ramp.capacity_bps > 0)) {
		snprintf(err, errlen, "iperf: calibration: the target received nothing");
		return -1;
	}
	offered = multiple * ramp.capacity_bps;
	if (load_args_with_rate(ctx->values[ARG_IPERF_ARGS], offered, eff, sizeof(eff))) {
		snprintf(err, errlen, "iperf: IPERF_ARGS too long to add a rate to");
		return -1;
	}
	replaced[ARG_IPERF_ARGS] = strdup(eff);
	if (!replaced[ARG_IPERF_ARGS]) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	cJSON_AddBoolToObject(out, "done", true);
	cJSON_AddNumberToObject(out, "capacity_mbps", ramp.capacity_bps / 1e6);
	cJSON_AddBoolToObject(out, "saturated", ramp.saturated);
	/*
	 * Received short of offered with little loss: the client could not send
	 * more, and the capacity found is the sender's, not the target's.
	 */
	cJSON_AddStringToObject(out, "limited_by",
				!ramp.saturated	   ? "neither (the ramp's last step kept up)"
				: last_lost >= 5.0 ? "receiver (datagrams lost)"
						   : "sender (the client could not send faster)");
	cJSON_AddNumberToObject(out, "multiple", multiple);
	cJSON_AddNumberToObject(out, "offered_mbps", offered / 1e6);
	cJSON_AddNumberToObject(out, "streams", load_streams(eff));
	args = cJSON_AddObjectToObject(out, "args");
	cJSON_AddStringToObject(args, "iperf_args", eff);
	fprintf(stderr,
		"bpfcost-run: calibration: capacity %.1f Mbit/s%s; offering %g x = %.1f Mbit/s "
		"(%s)\n",
		ramp.capacity_bps / 1e6, ramp.saturated ? "" : " (never saturated)", multiple,
		offered / 1e6, eff);
	return 0;
}

static bool whole(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	return end != s && !*end && v >= min && v <= max;
}

static int validate(const char *const *values, double duration, const char *clock, char *err,
		    size_t errlen)
{
	(void)clock;
	/* iperf3 reads -t with atoi(): 2.5 would silently become 2. */
	if (duration != (long)duration) {
		snprintf(err, errlen, "iperf: DURATION %g: iperf3 takes whole seconds", duration);
		return -1;
	}
	if (strcmp(values[ARG_CALIBRATE], "off")) {
		char *end;
		double m = strtod(values[ARG_CALIBRATE], &end);

		if (end == values[ARG_CALIBRATE] || *end || !(m > 0 && m <= 100)) {
			snprintf(err, errlen,
				 "iperf: calibrate '%s': off, or a multiple of the capacity "
				 "found (above 0, at most 100)",
				 values[ARG_CALIBRATE]);
			return -1;
		}
	}
	if (!whole(values[ARG_WARMUP], 0, 3600)) {
		snprintf(err, errlen, "iperf: warmup '%s': whole seconds, 0 to 3600",
			 values[ARG_WARMUP]);
		return -1;
	}
	/* Read as iperf3 reads it: -t100, --time=100 and --ti 100 are all -t. */
	if (iperf_args_check(values[ARG_IPERF_ARGS], err, errlen)) {
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "iperf: %s", why);
		return -1;
	}
	return 0;
}

const struct workload_ops iperf_workload = {
	.name = "iperf",
	.summary = "iperf3 UDP flood into the target (the original experiment)",
	.metric = {.name = "bitrate",
		   .field = "rx_bps",
		   .unit = "Mbit/s",
		   .scale = 1e-6,
		   .higher_is_better = true},
	.event = "packet",
	/*
	 * A host task taking the receiver's CPU shows as loss: the disturbed
	 * samples of the MATRIX=all run lost 32-55% against 15-20% for the rest.
	 */
	.symptom = {.field = "lost_percent", .margin = 15},
	.args =
		{
			[ARG_IPERF_ARGS] = {"iperf_args", "-u -P 8 -b 1G -l 64",
					    "iperf3 client arguments (the original's flood)"},
			[ARG_WARMUP] = {"warmup", "1", "seconds dropped at the start, iperf3 -O"},
			[ARG_CALIBRATE] = {"calibrate", "1.2",
					   "offer this multiple of the receive capacity a short "
					   "ramp finds (replaces -b); off: IPERF_ARGS as given"},
		},
	/*
	 * Bound to the target's IPv4 address: a dual-stack server receives IPv4
	 * through udpv6_recvmsg and a probe on udp_recvmsg would never fire.
	 * Ready once its TCP control socket listens.
	 */
	.server = {.argv = {"iperf3", "-s", "-B", "{addr}", "-p", "{port}", NULL},
		   .port = 5201,
		   .proto = "tcp"},
	/* The flood settles over seconds; the original measured 10. */
	.default_duration = 10,
	.default_n = 10,
	.validate = validate,
	.measure = measure,
	.calibrate = calibrate,
};
BPFCOST_WORKLOAD(iperf_workload);
BPFCOST_GUEST_BINS(iperf, "iperf3");
