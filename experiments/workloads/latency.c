// SPDX-License-Identifier: GPL-2.0
/*
 * The latency workload: sockperf ping-pong of 64-byte UDP messages, its
 * server on the target, its client where the flood's client runs. Each
 * sample's round-trip percentiles are ours, from sockperf's per-message log
 * (latency_log.c); the metric is the median round trip, higher is worse. An
 * event is a message received by a socket of the target's kernel: the server's
 * request, and on a target sharing the host's kernel the client's reply too,
 * so hits per event stay 1 and messages_per_round_trip says which.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "latency_log.h"
#include "loader/read_eof.h"
#include "loader/spawn.h"
#include "workload.h"

enum { ARG_SIZE };

/* The per-message log of a sample: 40 bytes a round trip, a few million round trips. */
#define LOG_MAX ((size_t)128 << 20)
/* The oldest sockperf tried: its --full-log and --dontwarmup as read here. */
#define SOCKPERF_MIN_MAJOR 3
#define SOCKPERF_MIN_MINOR 7

static int run_client(const struct workload_ctx *ctx, struct read_buf *out, char *err,
		      size_t errlen)
{
	char port[16], secs[32];
	char *argv[] = { "sockperf",	"ping-pong", "-i",	     (char *)ctx->ep->host,
			 "-p",		port,	     "-m",	     (char *)ctx->values[ARG_SIZE],
			 "-t",		secs,	     "--dontwarmup", "--full-log",
			 "/dev/stdout", NULL };
	struct spawn_opts o;
	int status = -1;
	char how[32];

	snprintf(port, sizeof(port), "%d", ctx->ep->port);
	snprintf(secs, sizeof(secs), "%.0f", ctx->duration);
	spawn_opts_init(&o); /* dies with us: no stray client after a crash of the runner */
	o.stderr_fd = SPAWN_TO_STDOUT;
	o.netns_fd = ctx->ep->netns_fd;
	o.cpus = ctx->ep->pin_client ? &ctx->ep->client_cpus : NULL;
	errno = 0;
	if (spawn_capture(argv, &o, ctx->duration + 60, ctx->stop, out, &status)) {
		snprintf(err, errlen, "sockperf client: %s",
			 status == -1	      ? strerror(errno)
			 : *ctx->stop	      ? "interrupted"
			 : errno == ETIMEDOUT ? "overran its time"
					      : "did not exit");
		return -1;
	}
	if (out->truncated) {
		snprintf(err, errlen, "sockperf: log larger than %zu MiB", LOG_MAX >> 20);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "sockperf client ended with %s%s",
			 spawn_status_str(status, how, sizeof(how)),
			 WIFEXITED(status) && WEXITSTATUS(status) == 127
				 ? ": not found (make deps installs it)"
				 : "");
		return -1;
	}
	return 0;
}

static void add_percentiles(cJSON *rec, const struct latency_log *log)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < LATENCY_NPCT; i++) {
		double v = latency_percentile(log->rtt_us, log->n, latency_pcts[i].p);

		/* Too few round trips for it: absent, and the tables say so. */
		if (!isnan(v))
			cJSON_AddNumberToObject(rec, latency_pcts[i].field, v);
	}
	for (i = 0; i < log->n; i++)
		sum += log->rtt_us[i];
	cJSON_AddNumberToObject(rec, "rtt_max_us", log->rtt_us[log->n - 1]);
	cJSON_AddNumberToObject(rec, "rtt_min_us", log->rtt_us[0]);
	cJSON_AddNumberToObject(rec, "rtt_mean_us", sum / log->n);
	cJSON_AddNumberToObject(rec, "round_trips", log->n);
}

static enum workload_result measure(const struct workload_ctx *ctx, cJSON *rec, double *events,
				    char *err, size_t errlen)
{
	struct read_buf out = { .cap = LOG_MAX };
	/* The server receives each request; the client's replies too when it shares the kernel. */
	int per_rt = ctx->ep->client_same_kernel ? 2 : 1;
	enum workload_result ret = WORKLOAD_ERROR;
	struct latency_log log;

	out.buf = malloc(LOG_MAX); /* kept NUL-terminated by read_to_eof() */
	if (!out.buf) {
		snprintf(err, errlen, "sockperf: out of memory for its log");
		return WORKLOAD_ERROR;
	}
	if (run_client(ctx, &out, err, errlen))
		goto out;
	if (latency_log_parse(out.buf, &log, err, errlen))
		goto out;
	/* The metric itself cannot be absent: the sample fails instead. */
	if (log.n < latency_min_round_trips(50)) {
		snprintf(err, errlen,
			 "sockperf: %zu round trips measured: too few round trips "
			 "for a median (%zu)",
			 log.n, latency_min_round_trips(50));
		latency_log_free(&log);
		goto out;
	}
	/* Every message of the run, sockperf's unmeasured warm-up window included. */
	*events = log.total_sent + (per_rt == 2 ? log.total_received : 0);
	add_percentiles(rec, &log);
	cJSON_AddNumberToObject(rec, "messages_sent", log.total_sent);
	cJSON_AddNumberToObject(rec, "messages_received", log.total_received);
	cJSON_AddNumberToObject(rec, "unmeasured_round_trips", log.total_received - log.n);
	cJSON_AddNumberToObject(rec, "messages_per_round_trip", per_rt);
	latency_log_free(&log);
	ret = WORKLOAD_OK;
out:
	free(out.buf);
	return ret;
}

/* sockperf on PATH, at least the version tried: "sockperf, version 3.7-no.git". */
static int sockperf_check(char *err, size_t errlen)
{
	char *argv[] = { "sockperf", "--version", NULL }, line[128] = "";
	int major = 0, minor = 0;

	if (spawn_first_line(argv, line, sizeof(line), 30) != 0 ||
	    sscanf(line, "sockperf, version %d.%d", &major, &minor) != 2) {
		snprintf(err, errlen,
			 "latency: sockperf not found or not answering --version (make deps "
			 "installs it)");
		return -1;
	}
	if (major < SOCKPERF_MIN_MAJOR ||
	    (major == SOCKPERF_MIN_MAJOR && minor < SOCKPERF_MIN_MINOR)) {
		snprintf(err, errlen, "latency: sockperf %d.%d is too old: %d.%d or later", major,
			 minor, SOCKPERF_MIN_MAJOR, SOCKPERF_MIN_MINOR);
		return -1;
	}
	return 0;
}

static int validate(const char *const *values, double duration, const char *clock, char *err,
		    size_t errlen)
{
	(void)clock; /* .real_clock_only refuses CLOCK=instructions before this */
	char *end;
	long size = strtol(values[ARG_SIZE], &end, 10);

	if (end == values[ARG_SIZE] || *end || size < 16 || size > 65000) {
		snprintf(err, errlen, "latency: size '%s': message bytes, 16 to 65000",
			 values[ARG_SIZE]);
		return -1;
	}
	/* sockperf -t takes whole seconds. */
	if (duration != (long)duration || duration < 1 || duration > 3600) {
		snprintf(err, errlen, "latency: DURATION %g: whole seconds, 1 to 3600", duration);
		return -1;
	}
	return sockperf_check(err, errlen);
}

const struct workload_ops latency_workload = {
	.name = "latency",
	.summary = "sockperf UDP ping-pong into the target: the round trip's percentiles",
	.metric = { .name = "p50 round trip", .field = "rtt_p50_us", .unit = "us", .scale = 1,
		    .higher_is_better = false, .quantile = 0.5 },
	.event = "message",
	/* A round trip's time is the wall clock's: an instruction count is not a latency. */
	.real_clock_only = true,
	/*
	 * 10 s, as the flood: a TCG guest here gave 100 to 900 round trips a second,
	 * so p99 gets its 1,000; p99.9's 10,000 needs KVM or a longer DURATION.
	 */
	.default_duration = 10,
	.default_n = 10,
	/*
	 * One message is in flight: a second vCPU only adds an IPI to each wake-up,
	 * and one vCPU leaves a host CPU for the client, so a 2-CPU host can pin.
	 * On this machine's TCG guest the baseline's p50 sd went from 22.5 us (2
	 * vCPUs, unpinned) to 7.1 us (1, pinned), side by side.
	 */
	.default_vcpus = 1,
	/* The host target's probe sees every socket of the machine: the idle rate is taken off. */
	.idle_window = true,
	.also = {
		{ "p90 round trip", "rtt_p90_us", false, 0.9 },
		{ "p99 round trip", "rtt_p99_us", true, 0.99 },
		{ "p99.9 round trip", "rtt_p999_us", false, 0.999 },
		{ "max round trip", "rtt_max_us", false, 0 },
	},
	.absent = "too few round trips",
	.args = {
		[ARG_SIZE] = { "size", "64", "message bytes (sockperf -m)" },
	},
	/* Bound to the target's IPv4 address, as iperf3's server: udp_recvmsg, not udpv6. */
	.server = { .argv = { "sockperf", "server", "-i", "{addr}", "-p", "{port}", NULL },
		    .port = 11111,
		    .proto = "udp" },
	.validate = validate,
	.measure = measure,
};
BPFCOST_WORKLOAD(latency_workload);
BPFCOST_GUEST_BINS(latency, "sockperf");
