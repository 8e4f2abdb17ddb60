// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "iperf_run.h"
#include "loader/read_eof.h"
#include "loader/spawn.h"

#define MAX_ARGS   64
#define REPORT_MAX (8 << 20)

static double get(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/*
 * Counts for the measured interval only. iperf3 3.12 counts the omitted
 * (warm-up) interval's datagrams as lost in end.sum_received, so packets -
 * lost_packets went negative; bytes / datagram length does not.
 */
static int udp_counts(const cJSON *root, struct iperf_result *r, char *err, size_t errlen)
{
	const cJSON *start = cJSON_GetObjectItemCaseSensitive(root, "start");
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(start, "test_start");
	const cJSON *sent = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "end"), "sum_sent");
	const char *proto = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ts, "protocol"));
	double blksize = get(ts, "blksize"), sent_bytes = get(sent, "bytes"), lost;

	if (!proto || strcmp(proto, "UDP")) {
		snprintf(err, errlen, "iperf3 report is not a UDP test (protocol %s)",
			 proto ? proto : "missing");
		return -1;
	}
	if (!(blksize > 0) || !(r->rx_bytes >= 0) || !(sent_bytes >= 0)) {
		snprintf(err, errlen,
			 "iperf3 report lacks start.test_start.blksize, "
			 "end.sum_received.bytes or end.sum_sent.bytes");
		return -1;
	}
	r->datagram_bytes = blksize;
	r->rx_packets = round(r->rx_bytes / blksize);
	r->sent_packets = round(sent_bytes / blksize);
	r->rx_pps = r->rx_packets / r->seconds;
	lost = r->sent_packets - r->rx_packets;
	/*
	 * The two sides' intervals are not exactly aligned: a few datagrams sent
	 * before the warm-up ended may be counted as received after it.
	 */
	if (lost < 0 && -lost <= 0.01 * r->sent_packets + 1)
		lost = 0;
	r->lost_percent = r->sent_packets > 0 ? 100 * lost / r->sent_packets : 0;
	return 0;
}

int iperf_parse(const char *json, struct iperf_result *r, char *err, size_t errlen)
{
	cJSON *root = cJSON_Parse(json);
	const cJSON *end, *sum, *cpu, *e;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!root) {
		snprintf(err, errlen, "iperf3 report is not JSON");
		return -1;
	}
	e = cJSON_GetObjectItemCaseSensitive(root, "error");
	end = cJSON_GetObjectItemCaseSensitive(root, "end");
	/* The receiver's side: what got through the guest's receive path. */
	sum = cJSON_GetObjectItemCaseSensitive(end, "sum_received");
	if (cJSON_IsString(e)) {
		snprintf(err, errlen, "iperf3: %s", e->valuestring);
		goto out;
	}
	if (!cJSON_IsObject(sum) || !(get(sum, "bits_per_second") >= 0) ||
	    !(get(sum, "seconds") > 0)) {
		snprintf(err, errlen, "iperf3 report has no end.sum_received");
		goto out;
	}
	r->rx_bps = get(sum, "bits_per_second");
	r->rx_bytes = get(sum, "bytes");
	r->seconds = get(sum, "seconds");
	if (udp_counts(root, r, err, errlen))
		goto out;
	cpu = cJSON_GetObjectItemCaseSensitive(end, "cpu_utilization_percent");
	r->cpu_host_percent = get(cpu, "host_total");
	r->cpu_remote_percent = get(cpu, "remote_total");
	ret = 0;
out:
	cJSON_Delete(root);
	return ret;
}

static int build_argv(const struct iperf_run *run, char *words, char **argv, char *num1, char *num2,
		      char *num3)
{
	int n = 0;
	char *tok, *save;

	argv[n++] = "iperf3";
	argv[n++] = "-c";
	argv[n++] = (char *)run->host;
	argv[n++] = "-p";
	snprintf(num1, 16, "%d", run->port);
	argv[n++] = num1;
	argv[n++] = "-J";
	argv[n++] = "-t";
	snprintf(num2, 16, "%g", run->duration);
	argv[n++] = num2;
	if (run->warmup > 0) {
		argv[n++] = "-O";
		snprintf(num3, 16, "%d", run->warmup);
		argv[n++] = num3;
	}
	for (tok = strtok_r(words, " \t", &save); tok && n < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " \t", &save))
		argv[n++] = tok;
	argv[n] = NULL;
	return n;
}

/* Why spawn_capture() failed, in the words a sample's error uses. */
static void capture_failure(const struct iperf_run *run, int status, volatile sig_atomic_t *stop,
			    char *err, size_t errlen)
{
	if (status == -1) /* no wait status: it never started */
		snprintf(err, errlen, "cannot start iperf3: %s", strerror(errno));
	else if (*stop)
		snprintf(err, errlen, "interrupted");
	else if (errno == ETIMEDOUT)
		snprintf(err, errlen, "iperf3 overran %d s", run->timeout_s);
	else
		snprintf(err, errlen, "iperf3 did not exit after its report");
}

int iperf_run(const struct iperf_run *run, struct iperf_result *r, volatile sig_atomic_t *stop,
	      char *err, size_t errlen)
{
	char *argv[MAX_ARGS], *words = strdup(run->args ? run->args : ""), *report;
	char num1[16], num2[16], num3[16], how[32];
	struct read_buf out = { .cap = REPORT_MAX };
	struct spawn_opts o;
	int status = -1, ret = -1;

	out.buf = report = malloc(REPORT_MAX);
	if (!words || !report) {
		snprintf(err, errlen, "cannot start iperf3: %s", strerror(errno));
		goto done;
	}
	build_argv(run, words, argv, num1, num2, num3);
	spawn_opts_init(&o); /* dies with us: no stray flood after a crash of the runner */
	o.stderr_fd = SPAWN_INHERIT;
	o.netns_fd = run->netns_fd;
	o.cpus = run->cpus;
	errno = 0;
	/* Read to EOF whatever the size: a child blocked on a full pipe never exits. */
	if (spawn_capture(argv, &o, run->timeout_s, stop, &out, &status)) {
		capture_failure(run, status, stop, err, errlen);
		goto done;
	}
	if (out.truncated) {
		snprintf(err, errlen, "iperf3 report larger than %d MiB", REPORT_MAX >> 20);
		goto done;
	}
	ret = iperf_parse(report, r, err, errlen);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		snprintf(err, errlen, "iperf3 ended with %s",
			 spawn_status_str(status, how, sizeof(how)));
		ret = -1;
	} else if (ret && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(err, errlen, "iperf3 not found (make deps)");
	} else if (ret && WIFEXITED(status) && WEXITSTATUS(status) == 126) {
		snprintf(err, errlen, "iperf3 could not join the target's network namespace");
	}
done:
	free(words);
	free(report);
	return ret;
}
