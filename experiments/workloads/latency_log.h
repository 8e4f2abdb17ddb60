/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockperf ping-pong's --full-log read by us: one line per measured message
 * ("packet, txTime(sec), rxTime(sec), latency(usec)"), whose full round trip
 * is rxTime - txTime (sockperf's own latency column is half of it), and the
 * "[Total Run]" counts, which include the messages of its warm-up window.
 */
#ifndef BPFCOST_LATENCY_LOG_H
#define BPFCOST_LATENCY_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* The percentiles a latency sample reports, with their record fields. */
struct latency_pct {
	double p;	   /* 50, 90, 99, 99.9 */
	const char *field; /* "rtt_p50_us" */
	const char *label; /* "p50" */
};
#define LATENCY_NPCT 4
extern const struct latency_pct latency_pcts[LATENCY_NPCT];

struct latency_log {
	double *rtt_us; /* measured round trips, sorted ascending; malloc'd */
	size_t n;
	double total_sent, total_received; /* the whole run's, warm-up included */
};

/*
 * Parse sockperf's output with its full log in it (@text, NUL-terminated).
 * 0, or -1 with @err: no "[Total Run]" line, a line that is not a log line,
 * a round trip that is negative or not a number, or no round trip at all.
 */
int latency_log_parse(const char *text, struct latency_log *log, char *err, size_t errlen);
void latency_log_free(struct latency_log *log);

/*
 * The @p-th percentile of @sorted (nearest rank: the smallest value with at
 * least @p% of the values at or below it), or NAN when @n is too short to
 * estimate it: fewer than 10 values above it, 10 / (1 - p/100) round trips
 * (p99 needs 1,000, p99.9 10,000).
 */
double latency_percentile(const double *sorted, size_t n, double p);
/* The round trips @p needs. */
size_t latency_min_round_trips(double p);

#endif /* BPFCOST_LATENCY_LOG_H */
