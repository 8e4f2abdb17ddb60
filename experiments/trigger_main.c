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
	fprintf(f, "usage: bpfcost-trigger [--calls N] [--seconds S] [--cpu K] [--ref]\n"
		   "  --calls N    recvmsg calls to time (default 200000)\n"
		   "  --seconds S  instead: call for S seconds\n"
		   "  --cpu K      pin to CPU K (default 0)\n"
		   "  --ref        also time getppid() in alternating rounds\n");
	return code;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	long calls = 200000, cpu = 0, done = 0, odd = 0;
	long long recv_ns = 0, ref_ns = 0, deadline = 0, t;
	double seconds = 0;
	bool ref = false;
	cpu_set_t set;
	char *end;
	int c, fd;

	while ((c = cli_getopt(argc, argv, "calls|n: seconds|s: cpu|c: ref|r help|h")) != -1) {
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
		long n = seconds > 0 || calls - done > ROUND_CALLS ? ROUND_CALLS : calls - done;

		t = now_ns();
		odd += recv_calls(fd, n);
		recv_ns += now_ns() - t;
		if (ref) {
			t = now_ns();
			ref_calls(n);
			ref_ns += now_ns() - t;
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
	       "\"cpu\":%ld",
	       done, WARMUP_CALLS, recv_ns, (double)recv_ns / done, cpu);
	if (ref)
		printf(",\"ref_calls\":%ld,\"ref_elapsed_ns\":%lld,\"ref_ns_per_call\":%.6f", done,
		       ref_ns, (double)ref_ns / done);
	printf("}\n");
	return 0;
}
