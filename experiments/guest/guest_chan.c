// SPDX-License-Identifier: GPL-2.0
/* The control channel: JSON lines over QEMU's virtio-serial chardev socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "guest.h"
#include "guest_priv.h"

int guest_chan_connect(struct guest *g, double deadline, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	memcpy(a.sun_path, g->sock_path, sizeof(a.sun_path) - 1);
	/* QEMU creates the socket early in its start; retry until it is there. */
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			break;
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			g->ctl_fd = fd;
			return 0;
		}
		close(fd);
		if (guest_now() > deadline)
			break;
		usleep(20 * 1000);
	}
	snprintf(err, errlen, "connect %s: %s", g->sock_path, strerror(errno));
	return -1;
}

static int wait_fd(int fd, short events, double deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	double left = deadline - guest_now();
	int n;

	if (left <= 0)
		return 0;
	n = poll(&p, 1, (int)(left * 1000) + 1);
	if (n < 0 && errno == EINTR)
		return wait_fd(fd, events, deadline);
	return n;
}

static int send_line(struct guest *g, const char *s, double deadline, char *err, size_t errlen)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n;

		if (wait_fd(g->ctl_fd, POLLOUT, deadline) <= 0) {
			snprintf(err, errlen, "agent: send timed out");
			return -1;
		}
		n = send(g->ctl_fd, s + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
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
static int recv_line(struct guest *g, char **line, double deadline, char *err, size_t errlen)
{
	for (;;) {
		char *nl = memchr(g->rbuf, '\n', g->rlen);
		ssize_t n;

		if (nl) {
			size_t len = nl - g->rbuf;

			*line = strndup(g->rbuf, len);
			g->rlen -= len + 1;
			memmove(g->rbuf, nl + 1, g->rlen);
			return *line ? 0 : -1;
		}
		if (g->rlen == sizeof(g->rbuf)) {
			snprintf(err, errlen, "agent: reply longer than %zu bytes", sizeof(g->rbuf));
			g->rlen = 0;
			return -1;
		}
		if (wait_fd(g->ctl_fd, POLLIN, deadline) <= 0) {
			snprintf(err, errlen, "agent: no reply in time");
			return -1;
		}
		n = recv(g->ctl_fd, g->rbuf + g->rlen, sizeof(g->rbuf) - g->rlen, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "agent: connection closed%s%s", n ? ": " : "",
				 n ? strerror(errno) : "");
			return -1;
		}
		g->rlen += n;
	}
}

struct cJSON *guest_call(struct guest *g, const struct cJSON *req, int timeout_s, char *err,
			 size_t errlen)
{
	double deadline = guest_now() + (timeout_s > 0 ? timeout_s : 30);
	cJSON *msg, *reply = NULL;
	unsigned int id;
	char *s, *line;

	if (!g || g->ctl_fd < 0) {
		snprintf(err, errlen, "guest is not running");
		return NULL;
	}
	msg = cJSON_Duplicate(req, true);
	id = ++g->seq;
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
	if (send_line(g, s, deadline, err, errlen))
		goto out;
	while (!reply) {
		const cJSON *rid;

		if (recv_line(g, &line, deadline, err, errlen))
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
