// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency_log.h"

const struct latency_pct latency_pcts[LATENCY_NPCT] = {
	{ 50, "rtt_p50_us", "p50" },
	{ 90, "rtt_p90_us", "p90" },
	{ 99, "rtt_p99_us", "p99" },
	{ 99.9, "rtt_p999_us", "p99.9" },
};

size_t latency_min_round_trips(double p)
{
	/* Ten values above the percentile; rounded, as 1 - 0.999 is not exact. */
	return (size_t)llround(10 / (1 - p / 100));
}

double latency_percentile(const double *sorted, size_t n, double p)
{
	unsigned long long milli = (unsigned long long)llround(p * 1000), rank;

	if (!(p > 0 && p < 100) || n == 0 || n < latency_min_round_trips(p))
		return NAN;
	/* ceil(p/100 * n) on integers (p in thousandths): 99.9% of 10,000 is 9,990 exactly. */
	rank = (milli * n + 99999) / 100000;
	return sorted[rank ? rank - 1 : 0];
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A log line: "12, 2.413631347, 2.413635173, 1.913". 1, 0 (not one), -1 (one, broken). */
static int log_line(const char *line, double *rtt_us)
{
	unsigned long pkt;
	double tx, rx, half;
	int used = 0;

	if (line[0] < '0' || line[0] > '9')
		return 0;
	if (sscanf(line, "%lu, %lf, %lf, %lf%n", &pkt, &tx, &rx, &half, &used) != 4 ||
	    (line[used] && line[used] != '\n' && line[used] != '\r'))
		return -1;
	/* The timestamps are whole ns: so is the round trip, with no float residue. */
	*rtt_us = round((rx - tx) * 1e9) / 1e3;
	return isfinite(*rtt_us) && *rtt_us >= 0 ? 1 : -1;
}

static int push(struct latency_log *log, size_t *cap, double v)
{
	if (log->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4096;
		double *p = realloc(log->rtt_us, ncap * sizeof(*p));

		if (!p)
			return -1;
		log->rtt_us = p;
		*cap = ncap;
	}
	log->rtt_us[log->n++] = v;
	return 0;
}

int latency_log_parse(const char *text, struct latency_log *log, char *err, size_t errlen)
{
	const char *line, *total;
	size_t cap = 0, lineno = 0;

	memset(log, 0, sizeof(*log));
	total = strstr(text, "[Total Run]");
	if (!total ||
	    sscanf(strstr(total, "SentMessages=") ?: "", "SentMessages=%lf; ReceivedMessages=%lf",
		   &log->total_sent, &log->total_received) != 2 ||
	    !(log->total_sent >= 0) || !(log->total_received >= 0)) {
		snprintf(err, errlen,
			 "sockperf: no \"[Total Run] ... SentMessages=N; "
			 "ReceivedMessages=M\" line in its output");
		return -1;
	}
	for (line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		double rtt;
		int r = log_line(line, &rtt);

		lineno++;
		if (r < 0) {
			snprintf(err, errlen,
				 "sockperf --full-log: line %zu is not \"packet, txTime, "
				 "rxTime, latency\" with rxTime >= txTime",
				 lineno);
			goto fail;
		}
		if (r > 0 && push(log, &cap, rtt)) {
			snprintf(err, errlen, "sockperf --full-log: out of memory");
			goto fail;
		}
	}
	if (!log->n) {
		snprintf(err, errlen, "sockperf --full-log: no round trip logged");
		goto fail;
	}
	/* Every logged round trip was sent and received within the run's counts. */
	if (log->n > log->total_received || log->total_received > log->total_sent) {
		snprintf(
			err, errlen,
			"sockperf: %zu round trips logged, but the run sent %.0f and received %.0f",
			log->n, log->total_sent, log->total_received);
		goto fail;
	}
	qsort(log->rtt_us, log->n, sizeof(double), cmp_double);
	return 0;
fail:
	latency_log_free(log);
	return -1;
}

void latency_log_free(struct latency_log *log)
{
	free(log->rtt_us);
	log->rtt_us = NULL;
	log->n = 0;
}
