/* SPDX-License-Identifier: GPL-2.0 */
/* The session behind bpfcost.h's opaque handle, shared with the attach types' callbacks. */
#ifndef BPFCOST_SESSION_PRIV_H
#define BPFCOST_SESSION_PRIV_H

#include <limits.h>
#include <stdbool.h>

struct attach_type;
struct bpf_link;
struct bpf_object;
struct bpf_program;

struct bpfcost_session {
	const struct attach_type *type;
	char probe[NAME_MAX];
	char func[128];
	char settings[256];
	char kprobe_line[256];
	unsigned long offset; /* where a kprobe landed: set by its attach call */
	const char *mechanism;
	bool stats;
	int stats_fd;
	bool holds_optimizer; /* released at detach: kprobes_optimizer_release() */
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
};

#endif /* BPFCOST_SESSION_PRIV_H */
