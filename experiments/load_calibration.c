// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_calibration.h"

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

/* The next word of @s after position *@pos, into @w; false at the end. */
static bool next_word(const char *s, size_t *pos, char *w, size_t len)
{
	size_t n;

	*pos += strspn(s + *pos, " \t");
	n = strcspn(s + *pos, " \t");
	if (!n)
		return false;
	snprintf(w, len, "%.*s", (int)n, s + *pos);
	*pos += n;
	return true;
}

int load_streams(const char *args)
{
	char w[64];
	size_t pos = 0;
	int p = 1;

	while (next_word(args, &pos, w, sizeof(w))) {
		if (!strcmp(w, "-P") || !strcmp(w, "--parallel")) {
			if (!next_word(args, &pos, w, sizeof(w)))
				break;
			p = atoi(w);
		} else if (!strncmp(w, "-P", 2) && w[2]) {
			p = atoi(w + 2);
		} else if (!strncmp(w, "--parallel=", 11)) {
			p = atoi(w + 11);
		}
	}
	return p >= 1 ? p : 1;
}

int load_args_with_rate(const char *args, double total_bps, char *out, size_t len)
{
	size_t pos = 0, used = 0;
	char w[256];
	int n;

	while (next_word(args, &pos, w, sizeof(w))) {
		if (!strcmp(w, "-b") || !strcmp(w, "--bitrate")) {
			next_word(args, &pos, w, sizeof(w)); /* its value goes too */
			continue;
		}
		if ((!strncmp(w, "-b", 2) && w[2]) || !strncmp(w, "--bitrate=", 10))
			continue;
		n = snprintf(out + used, len - used, "%s%s", used ? " " : "", w);
		if (n < 0 || (size_t)n >= len - used)
			return -1;
		used += n;
	}
	n = snprintf(out + used, len - used, "%s-b %.0f", used ? " " : "",
		     total_bps / load_streams(args));
	return n < 0 || (size_t)n >= len - used ? -1 : 0;
}
