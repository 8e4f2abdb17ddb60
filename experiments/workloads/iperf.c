// SPDX-License-Identifier: GPL-2.0
/*
 * The original experiment's workload: an iperf3 UDP flood of 64-byte
 * datagrams into the target; the metric is the receiver's bitrate, an event
 * is a datagram delivered to a socket (the target's UDP InDatagrams).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/iperf.h"
#include "experiments/targets/target.h"
#include "workload.h"

enum { ARG_IPERF_ARGS, ARG_WARMUP };

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

static enum workload_result measure(const struct workload_ctx *ctx, cJSON *rec, double *events,
				    char *err, size_t errlen)
{
	int warmup = atoi(ctx->values[ARG_WARMUP]);
	struct iperf_run run = {
		.host = ctx->ep->host,
		.port = ctx->ep->port,
		.netns_fd = ctx->ep->netns_fd,
		.duration = ctx->duration,
		.warmup = warmup,
		.args = ctx->values[ARG_IPERF_ARGS],
		.timeout_s = (int)(ctx->duration + warmup) + 30,
	};
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

static bool whole(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	return end != s && !*end && v >= min && v <= max;
}

static int validate(const char *const *values, double duration, char *err, size_t errlen)
{
	char *copy, *tok, *save;
	int n = 0;

	/* iperf3 reads -t with atoi(): 2.5 would silently become 2. */
	if (duration != (long)duration) {
		snprintf(err, errlen, "iperf: DURATION %g: iperf3 takes whole seconds", duration);
		return -1;
	}
	if (!whole(values[ARG_WARMUP], 0, 3600)) {
		snprintf(err, errlen, "iperf: warmup '%s': whole seconds, 0 to 3600",
			 values[ARG_WARMUP]);
		return -1;
	}
	copy = strdup(values[ARG_IPERF_ARGS]);
	for (tok = copy ? strtok_r(copy, " \t", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		/* The runner sets these itself; a second value would change what is measured. */
		if (!strcmp(tok, "-c") || !strcmp(tok, "-p") || !strcmp(tok, "-J") ||
		    !strcmp(tok, "-t") || !strcmp(tok, "-O") || !strcmp(tok, "-s")) {
			snprintf(err, errlen, "iperf: IPERF_ARGS: '%s' is set by bpfcost itself",
				 tok);
			free(copy);
			return -1;
		}
		n++;
	}
	free(copy);
	if (n > IPERF_MAX_USER_ARGS) {
		snprintf(err, errlen, "iperf: IPERF_ARGS has %d words; at most %d", n,
			 IPERF_MAX_USER_ARGS);
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
	.args =
		{
			[ARG_IPERF_ARGS] = {"iperf_args", "-u -P 8 -b 1G -l 64",
					    "iperf3 client arguments (the original's flood)"},
			[ARG_WARMUP] = {"warmup", "1", "seconds dropped at the start, iperf3 -O"},
		},
	.validate = validate,
	.measure = measure,
};
