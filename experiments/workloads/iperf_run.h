/* SPDX-License-Identifier: GPL-2.0 */
/* The traffic: one iperf3 client run, read from its JSON report. */
#ifndef BPFCOST_IPERF_H
#define BPFCOST_IPERF_H

#include <sched.h>
#include <signal.h>
#include <stddef.h>

struct iperf_result {
	double rx_bps; /* receiver's bitrate (sum_received) */
	double rx_bytes;
	double rx_packets;   /* received bytes / datagram length, warm-up excluded */
	double sent_packets; /* the client's, same interval */
	double rx_pps;
	double lost_percent;   /* from sent and received datagrams, not iperf3's own */
	double datagram_bytes; /* -l, read back from the report */
	double seconds;	       /* measured interval, warm-up excluded */
	double cpu_host_percent;
	double cpu_remote_percent;
};

/* Client arguments beyond the ones bpfcost sets (-c -p -J -t -O). */
#define IPERF_MAX_USER_ARGS 48

struct iperf_run {
	const char *host;
	int port;
	double duration;  /* -t */
	int warmup;	  /* -O: seconds at the start left out of the report */
	const char *args; /* e.g. "-u -P 8 -b 1G -l 64" */
	int timeout_s;
	int netns_fd;	       /* the client runs in this network namespace; -1: ours */
	const cpu_set_t *cpus; /* the client runs on these host CPUs; NULL: anywhere */
};

/* Parse an iperf3 -J report; -1 with @err when it is an error report or unusable. */
int iperf_parse(const char *json, struct iperf_result *r, char *err, size_t errlen);

/*
 * Run the client; kills it when *@stop becomes non-zero or it overruns.
 * Returns 0, or -1 with @err (iperf3's own error message when it gave one).
 */
int iperf_run(const struct iperf_run *run, struct iperf_result *r, volatile sig_atomic_t *stop,
	      char *err, size_t errlen);

#endif /* BPFCOST_IPERF_H */
