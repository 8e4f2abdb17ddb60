/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent protocol's client side: one JSON request per line, one reply per
 * line, matched by "id". The same over QEMU's virtio-serial socket (the guest)
 * and over pipes to a local agent (the host).
 */
#ifndef BPFCOST_JSONL_CHAN_H
#define BPFCOST_JSONL_CHAN_H

#include <signal.h>
#include <stddef.h>

struct cJSON;

struct jsonl_chan {
	int rfd, wfd;		     /* -1 when closed; may be the same fd (a socket) */
	unsigned int seq;	     /* request ids, to skip replies that arrived too late */
	volatile sig_atomic_t *stop; /* when set, a call gives up within 100 ms; may be NULL */
	char rbuf[256 * 1024];	     /* bytes read past the last reply line */
	size_t rlen;
};

void jsonl_chan_init(struct jsonl_chan *ch, int rfd, int wfd);

/*
 * One request, one reply (caller frees with cJSON_Delete), or NULL with @err
 * set on timeout, interruption or I/O error.
 */
struct cJSON *jsonl_chan_call(struct jsonl_chan *ch, const struct cJSON *req, int timeout_s,
			      char *err, size_t errlen);

/* Close both ends (once). */
void jsonl_chan_close(struct jsonl_chan *ch);

#endif /* BPFCOST_JSONL_CHAN_H */
