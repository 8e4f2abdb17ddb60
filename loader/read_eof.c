// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "read_eof.h"

int read_to_eof(int fd, struct read_buf *b, double deadline, volatile sig_atomic_t *stop)
{
	char sink[4096];

	b->buf[b->len] = '\0';
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double left = deadline - bpfcost_now();
		bool room = b->len + 1 < b->cap;
		ssize_t n;

		if (stop && *stop)
			return -EINTR;
		if (left <= 0)
			return -ETIMEDOUT;
		/* At most 100 ms a wait, so a stop is seen promptly. */
		if (poll(&p, 1, left < 0.1 ? (int)(left * 1000) + 1 : 100) <= 0)
			continue;
		n = read(fd, room ? b->buf + b->len : sink,
			 room ? b->cap - 1 - b->len : sizeof(sink));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (room) {
			b->len += n;
			b->buf[b->len] = '\0';
		} else {
			b->truncated = true;
		}
	}
}
