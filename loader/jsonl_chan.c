// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "jsonl_chan.h"

void jsonl_chan_init(struct jsonl_chan *ch, int rfd, int wfd)
{
	ch->rfd = rfd;
	ch->wfd = wfd;
	ch->seq = 0;
	ch->stop = NULL;
	ch->rlen = 0;
}

void jsonl_chan_close(struct jsonl_chan *ch)
{
	if (ch->rfd >= 0)
		close(ch->rfd);
	if (ch->wfd >= 0 && ch->wfd != ch->rfd)
		close(ch->wfd);
	ch->rfd = ch->wfd = -1;
}

/* 1 ready, 0 timed out, -1 interrupted by *stop. Wakes every 100 ms to look at *stop. */
static int wait_fd(struct jsonl_chan *ch, int fd, short events, double deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		double left = deadline - bpfcost_now();
		int n;

		if (ch->stop && *ch->stop)
			return -1;
		if (left <= 0)
			return 0;
		n = poll(&p, 1, left > 0.1 ? 100 : (int)(left * 1000) + 1);
		if (n > 0)
			return 1;
	}
}

static int send_line(struct jsonl_chan *ch, const char *s, double deadline, char *err,
		     size_t errlen)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n;
		int w = wait_fd(ch, ch->wfd, POLLOUT, deadline);

		if (w <= 0) {
			snprintf(err, errlen, "agent: %s", w ? "interrupted" : "send timed out");
			return -1;
		}
		/* A socket must not raise SIGPIPE when the guest is gone; a pipe cannot be told. */
		n = send(ch->wfd, s + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == ENOTSOCK)
			n = write(ch->wfd, s + off, len - off);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "agent: send: %s", strerror(errno));
			return -1;
		}
		off += n;
	}
	return 0;
}

/* Next complete line into @line (NUL-terminated), keeping the rest buffered. */
static int recv_line(struct jsonl_chan *ch, char **line, double deadline, char *err, size_t errlen)
{
	for (;;) {
		char *nl = memchr(ch->rbuf, '\n', ch->rlen);
		ssize_t n;
		int w;

		if (nl) {
			size_t len = nl - ch->rbuf;

			*line = strndup(ch->rbuf, len);
			ch->rlen -= len + 1;
			memmove(ch->rbuf, nl + 1, ch->rlen);
			return *line ? 0 : -1;
		}
		if (ch->rlen == sizeof(ch->rbuf)) {
			snprintf(err, errlen, "agent: reply longer than %zu bytes",
				 sizeof(ch->rbuf));
			ch->rlen = 0;
			return -1;
		}
		w = wait_fd(ch, ch->rfd, POLLIN, deadline);
		if (w <= 0) {
			snprintf(err, errlen, "agent: %s", w ? "interrupted" : "no reply in time");
			return -1;
		}
		n = read(ch->rfd, ch->rbuf + ch->rlen, sizeof(ch->rbuf) - ch->rlen);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "agent: connection closed%s%s", n ? ": " : "",
				 n ? strerror(errno) : "");
			return -1;
		}
		ch->rlen += n;
	}
}

struct cJSON *jsonl_chan_call(struct jsonl_chan *ch, const struct cJSON *req, int timeout_s,
			      char *err, size_t errlen)
{
	double deadline = bpfcost_now() + (timeout_s > 0 ? timeout_s : 30);
	cJSON *msg, *reply = NULL;
	unsigned int id;
	char *s, *line;

	if (ch->rfd < 0 || ch->wfd < 0) {
		snprintf(err, errlen, "agent is not running");
		return NULL;
	}
	msg = cJSON_Duplicate(req, true);
	id = ++ch->seq;
	cJSON_DeleteItemFromObjectCaseSensitive(msg, "id");
	cJSON_AddNumberToObject(msg, "id", id);
	s = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	if (!s) {
		snprintf(err, errlen, "cannot serialise request");
		return NULL;
	}
	/* The request must be one line: cJSON escapes newlines inside strings. */
	line = realloc(s, strlen(s) + 2);
	if (!line) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	s = line;
	strcat(s, "\n");
	if (send_line(ch, s, deadline, err, errlen))
		goto out;
	while (!reply) {
		const cJSON *rid;

		if (recv_line(ch, &line, deadline, err, errlen))
			goto out;
		reply = cJSON_Parse(line);
		free(line);
		rid = cJSON_GetObjectItemCaseSensitive(reply, "id");
		/* A reply to an earlier request that timed out: drop it. */
		if (!cJSON_IsNumber(rid) || (unsigned int)rid->valuedouble != id) {
			cJSON_Delete(reply);
			reply = NULL;
		}
	}
	cJSON_DeleteItemFromObjectCaseSensitive(reply, "id");
out:
	free(s);
	return reply;
}
