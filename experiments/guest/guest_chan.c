// SPDX-License-Identifier: GPL-2.0
/* The control channel: the agent protocol over QEMU's virtio-serial chardev socket. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "loader/clock.h"
#include "loader/jsonl_chan.h"

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
			jsonl_chan_init(&g->chan, fd, fd);
			return 0;
		}
		close(fd);
		if (bpfcost_now() > deadline)
			break;
		usleep(20 * 1000);
	}
	snprintf(err, errlen, "connect %s: %s", g->sock_path, strerror(errno));
	return -1;
}

struct cJSON *guest_call(struct guest *g, const struct cJSON *req, int timeout_s, char *err,
			 size_t errlen)
{
	if (!g) {
		snprintf(err, errlen, "guest is not running");
		return NULL;
	}
	return jsonl_chan_call(&g->chan, req, timeout_s, err, errlen);
}
