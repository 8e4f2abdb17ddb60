// SPDX-License-Identifier: GPL-2.0
/* The QEMU guest as a target: Debian's kernel (or yours) under KVM or TCG. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/guest/guest.h"
#include "target.h"

extern const struct target_ops guest_target;

struct guest_target {
	struct target base;
	struct guest *g;
};

static int start(const struct target_settings *s, struct target **out, char *err, size_t errlen)
{
	struct guest_target *t = calloc(1, sizeof(*t));
	struct guest_config gc;

	*out = NULL;
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	guest_config_defaults(&gc);
	gc.accel = s->accel ?: gc.accel;
	gc.topology = s->topology ?: gc.topology;
	gc.vcpus = s->vcpus > 0 ? s->vcpus : gc.vcpus;
	gc.mem_mb = s->mem_mb > 0 ? s->mem_mb : gc.mem_mb;
	gc.qemu = s->qemu ?: gc.qemu;
	gc.stop = s->stop;
	/* One ns of guest time per guest instruction: single-threaded TCG only. */
	gc.icount = s->clock && !strcmp(s->clock, "instructions");
	if (gc.icount && strcmp(gc.accel, "tcg")) {
		if (strcmp(gc.accel, "auto")) {
			snprintf(err, errlen, "CLOCK=instructions needs TCG, not ACCEL=%s",
				 gc.accel);
			free(t);
			return -1;
		}
		gc.accel = "tcg";
	}
	fprintf(stderr, "bpfcost-run: booting the guest (accel %s, %d vCPUs, topology %s)\n",
		gc.accel, gc.vcpus, gc.topology);
	if (guest_start(&gc, &t->g, err, errlen)) {
		free(t);
		return -1;
	}
	fprintf(stderr, "bpfcost-run: guest up in %.1f s (%s%s%s)\n", guest_boot_seconds(t->g),
		guest_accel(t->g), *guest_accel_note(t->g) ? ": " : "", guest_accel_note(t->g));
	t->base.ops = &guest_target;
	*out = &t->base;
	return 0;
}

static struct guest *of(struct target *t)
{
	return ((struct guest_target *)t)->g;
}

static cJSON *call(struct target *t, const cJSON *req, int timeout_s, char *err, size_t errlen)
{
	return guest_call(of(t), req, timeout_s, err, errlen);
}

static void endpoint(struct target *t, struct traffic_endpoint *ep)
{
	snprintf(ep->host, sizeof(ep->host), "%s", guest_iperf_host(of(t)));
	ep->port = guest_iperf_port(of(t));
	ep->netns_fd = -1;
}

static void describe(struct target *t, cJSON *obj)
{
	cJSON_AddStringToObject(obj, "accel", guest_accel(of(t)));
	cJSON_AddStringToObject(obj, "accel_note", guest_accel_note(of(t)));
	cJSON_AddNumberToObject(obj, "boot_seconds", guest_boot_seconds(of(t)));
	cJSON_AddStringToObject(obj, "topology", guest_topology(of(t)));
	cJSON_AddBoolToObject(obj, "icount", guest_icount(of(t)));
}

static void stop(struct target *t)
{
	if (!t)
		return;
	guest_free(of(t)); /* QEMU and the tap device go with it */
	free(t);
}

const struct target_ops guest_target = {
	.name = "guest",
	.summary = "a QEMU guest (KVM when it really works, else TCG) booting Debian's kernel",
	.start = start,
	.call = call,
	.endpoint = endpoint,
	.describe = describe,
	.stop = stop,
};
