// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iperf_run.h"
#include "iperf_args.h"
#include "iperf_calibration.h"

/* 64-byte datagrams at 2 Mbit/s are ~4,000 per second: any receiver keeps up. */
#define RAMP_FIRST_BPS 2e6
#define RAMP_FACTOR    2

double ramp_start(struct ramp *r)
{
	memset(r, 0, sizeof(*r));
	return RAMP_FIRST_BPS;
}

double ramp_next(struct ramp *r, double offered_bps, double received_bps)
{
	if (r->steps < RAMP_MAX_STEPS) {
		r->offered[r->steps] = offered_bps;
		r->received[r->steps++] = received_bps;
	}
	if (received_bps > r->capacity_bps)
		r->capacity_bps = received_bps;
	/*
	 * Past saturation more load can mean less received (livelock): the
	 * capacity is the best step, not the last.
	 */
	if (received_bps < RAMP_SATURATED * offered_bps) {
		r->saturated = true;
		return 0;
	}
	return r->steps < RAMP_MAX_STEPS ? offered_bps * RAMP_FACTOR : 0;
}

static int last_streams(const struct iperf_arg_use *u, void *arg)
{
	if (u->opt->short_name == 'P')
		*(int *)arg = atoi(u->value);
	return 0;
}

int load_streams(const char *args)
{
	char err[256];
	int p = 1;

	iperf_args_each(args, last_streams, &p, err, sizeof(err));
	return p >= 1 ? p : 1;
}

/* How much of each word stays: all of it, none, or a cluster cut before its -b. */
struct keep {
	int len[IPERF_MAX_USER_ARGS];
};

static int drop_bitrate(const struct iperf_arg_use *u, void *arg)
{
	struct keep *k = arg;

	if (u->opt->short_name != 'b')
		return 0;
	k->len[u->word] = u->pos > 1 ? u->pos : 0; /* -ub1G keeps -u */
	if (u->value_word != u->word)
		k->len[u->value_word] = 0;
	return 0;
}

int load_args_with_rate(const char *args, double total_bps, char *out, size_t len)
{
	struct keep k;
	size_t pos = 0, used = 0;
	char err[256];
	int i, n;

	for (i = 0; i < IPERF_MAX_USER_ARGS; i++)
		k.len[i] = -1;
	/* Words are numbered as iperf_args_each() splits them: at blanks. */
	if (iperf_args_each(args, drop_bitrate, &k, err, sizeof(err)))
		return -1;
	for (i = 0; (pos += strspn(args + pos, " \t"), args[pos]); i++) {
		int w = (int)strcspn(args + pos, " \t");
		int keep = i < IPERF_MAX_USER_ARGS && k.len[i] >= 0 ? k.len[i] : w;

		if (keep) {
			n = snprintf(out + used, len - used, "%s%.*s", used ? " " : "", keep,
				     args + pos);
			if (n < 0 || (size_t)n >= len - used)
				return -1;
			used += n;
		}
		pos += w;
	}
	n = snprintf(out + used, len - used, "%s-b %.0f", used ? " " : "",
		     total_bps / load_streams(args));
	return n < 0 || (size_t)n >= len - used ? -1 : 0;
}
