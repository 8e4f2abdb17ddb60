/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read a pipe to its end within a deadline: the one loop for a child's
 * output. Whatever the size, the pipe is drained, since a child blocked on a
 * full pipe never exits; what does not fit is counted, not kept.
 */
#ifndef BPFCOST_READ_EOF_H
#define BPFCOST_READ_EOF_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct read_buf {
	char *buf;	/* @cap bytes, kept NUL-terminated */
	size_t cap;	/* > 0 */
	size_t len;	/* bytes kept, at most cap - 1 */
	bool truncated; /* more came than fit */
};

/*
 * Append what @fd gives to @b until EOF, until bpfcost_now() passes @deadline
 * or until *@stop is set (NULL: never). 0 at EOF; -ETIMEDOUT, -EINTR (stop)
 * or -errno of a failed read.
 */
int read_to_eof(int fd, struct read_buf *b, double deadline, volatile sig_atomic_t *stop);

#endif /* BPFCOST_READ_EOF_H */
