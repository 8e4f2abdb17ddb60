// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-trigger: drive the probed path in a tight loop, as the kernel's
 * selftests/bpf trigger bench does. Each recvmsg(MSG_DONTWAIT) on an empty
 * IPv4 UDP socket passes through udp_recvmsg (returning -EAGAIN) and fires
 * sock:sock_recv_length, so every attach type runs once per call, with no
 * network at all. Pinned to one CPU; prints one JSON object.
 *
 * With --ref, getppid() (not probed) is timed in alternating rounds with the
 * same number of calls: the ratio of the two cancels the CPU's own drift.
 *
 * Besides the mean over every call, it prints the median over rounds of the
 * time per call (recvmsg's and getppid's): on a shared machine a round in
 * which the CPU went to another task is an outlier that the median ignores
 * and the mean does not. Short rounds (--round-calls 100: 15 us here, 100 us
 * with an 800 ns probe) fit between the scheduler's switches and ticks, so
 * most rounds are not disturbed; rounds ten times as long had more than half
 * of an 800 ns probe's rounds disturbed on this busy host.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loader/cli_opts.h"

#define ROUND_CALLS  20000L
#define WARMUP_CALLS 10000L

/*
 * Each round's time, in ns, for the median: all of them up to ROUNDS_KEPT,
 * then a uniform sample of them (reservoir sampling), so memory stays bounded
 * however long the loop runs (840 s of 15 us rounds is 56 million).
 */
#define ROUNDS_KEPT (1UL << 22)

struct rounds {
	unsigned int *ns;
	size_t n, cap;
	unsigned long long seen;
	unsigned long long rng;
};

/* xorshift64*: reproducible, and enough to pick which kept round a new one replaces. */
static unsigned long long next_random(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static int rounds_add(struct rounds *r, long long ns)
{
	unsigned int v = ns > UINT_MAX ? UINT_MAX : (unsigned int)ns;

	r->seen++;
	if (r->n == ROUNDS_KEPT) {
		unsigned long long j = next_random(&r->rng) % r->seen;

		if (j < ROUNDS_KEPT)
			r->ns[j] = v;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4096;
		unsigned int *p = realloc(r->ns, cap * sizeof(*p));

		if (!p)
			return -1;
		r->ns = p;
		r->cap = cap;
	}
	r->ns[r->n++] = v;
	return 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* The median round's time per call (the rounds are reordered). */
static double rounds_median(struct rounds *r, long round_calls)
{
	double m;

	qsort(r->ns, r->n, sizeof(*r->ns), cmp_uint);
	m = r->n % 2 ? r->ns[r->n / 2] : (r->ns[r->n / 2 - 1] + (double)r->ns[r->n / 2]) / 2;
	return m / round_calls;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* @n calls; the number that did not fail with EAGAIN (0 when the path is as expected). */
static long recv_calls(int fd, long n)
{
	char buf[64];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	long odd = 0, i;

	for (i = 0; i < n; i++)
		if (recvmsg(fd, &msg, MSG_DONTWAIT) >= 0 || errno != EAGAIN)
			odd++;
	return odd;
}

static void ref_calls(long n)
{
	long i;

	for (i = 0; i < n; i++)
		getppid();
}

static int usage(FILE *f, int code)
{
	fprintf(f,
		"usage: bpfcost-trigger [--calls N] [--seconds S] [--cpu K] [--ref] "
		"[--round-calls R]\n"
		"  --calls N        recvmsg calls to time (default 200000)\n"
		"  --seconds S      instead: call for S seconds\n"
		"  --cpu K          pin to CPU K (default 0)\n"
		"  --ref            also time getppid() in alternating rounds\n"
		"  --round-calls R  calls per round, the unit of the medians (default %ld)\n",
		ROUND_CALLS);
	return code;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	long calls = 200000, cpu = 0, done = 0, odd = 0, round_calls = ROUND_CALLS;
	struct rounds recv_rounds = { .rng = 1 }, ref_rounds = { .rng = 2 };
	long long recv_ns = 0, ref_ns = 0, deadline = 0, t;
	double seconds = 0;
	bool ref = false;
	cpu_set_t set;
	char *end;
	int c, fd;

	while ((c = cli_getopt(argc, argv,
			       "calls|n: seconds|s: cpu|c: ref|r round-calls|R: help|h")) != -1) {
		switch (c) {
		case 'n':
			if (!cli_long(optarg, 1, LONG_MAX, &calls))
				return usage(stderr, 2);
			break;
		case 's':
			seconds = strtod(optarg, &end);
			if (*end || !(seconds > 0 && seconds <= 3600))
				return usage(stderr, 2);
			break;
		case 'c':
			if (!cli_long(optarg, 0, CPU_SETSIZE - 1, &cpu))
				return usage(stderr, 2);
			break;
		case 'r':
			ref = true;
			break;
		case 'R':
			if (!cli_long(optarg, 1, 100000000, &round_calls))
				return usage(stderr, 2);
			break;
		case 'h':
			return usage(stdout, 0);
		default:
			return usage(stderr, 2);
		}
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "bpfcost-trigger: cannot pin to CPU %ld: %s\n", cpu,
			strerror(errno));
		return 1;
	}
	/* Bound to an IPv4 address: its receives go through udp_recvmsg, not udpv6_recvmsg. */
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		fprintf(stderr, "bpfcost-trigger: IPv4 UDP socket: %s\n", strerror(errno));
		return 1;
	}
	if (recv_calls(fd, WARMUP_CALLS)) {
		fprintf(stderr, "bpfcost-trigger: recvmsg on an empty socket did not fail with "
				"EAGAIN\n");
		return 1;
	}
	if (seconds > 0)
		deadline = now_ns() + (long long)(seconds * 1e9);
	while (seconds > 0 ? now_ns() < deadline : done < calls) {
		long n = seconds > 0 || calls - done > round_calls ? round_calls : calls - done;
		long long d;

		t = now_ns();
		odd += recv_calls(fd, n);
		d = now_ns() - t;
		recv_ns += d;
		/* A short last round is left out of the median, never of the mean. */
		if (n == round_calls && rounds_add(&recv_rounds, d))
			goto nomem;
		if (ref) {
			t = now_ns();
			ref_calls(n);
			d = now_ns() - t;
			ref_ns += d;
			if (n == round_calls && rounds_add(&ref_rounds, d))
				goto nomem;
		}
		done += n;
	}
	close(fd);
	if (odd) {
		fprintf(stderr,
			"bpfcost-trigger: %ld of %ld recvmsg calls did not fail with EAGAIN: "
			"the socket was not empty\n",
			odd, done);
		return 1;
	}
	/* Warm-up calls ran the probe too: the hits check counts them. */
	printf("{\"calls\":%ld,\"warmup_calls\":%ld,\"elapsed_ns\":%lld,\"ns_per_call\":%.6f,"
	       "\"cpu\":%ld,\"round_calls\":%ld,\"rounds\":%zu",
	       done, WARMUP_CALLS, recv_ns, (double)recv_ns / done, cpu, round_calls,
	       (size_t)recv_rounds.seen);
	if (recv_rounds.n)
		printf(",\"ns_per_call_median\":%.6f", rounds_median(&recv_rounds, round_calls));
	if (ref)
		printf(",\"ref_calls\":%ld,\"ref_elapsed_ns\":%lld,\"ref_ns_per_call\":%.6f", done,
		       ref_ns, (double)ref_ns / done);
	if (ref && ref_rounds.n)
		printf(",\"ref_ns_per_call_median\":%.6f", rounds_median(&ref_rounds, round_calls));
	printf("}\n");
	free(recv_rounds.ns);
	free(ref_rounds.ns);
	return 0;
nomem:
	fprintf(stderr, "bpfcost-trigger: out of memory for %zu rounds\n", recv_rounds.n);
	return 1;
}
