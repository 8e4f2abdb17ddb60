// SPDX-License-Identifier: GPL-2.0
/*
 * A target that answers the agent's requests from memory: info, attach,
 * read (the probe's runs: the events fired while attached), detach, and the
 * fake workload's "fire". Lost after fake_target.lose_after calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "fake.h"

struct fake_target_script fake_target;

struct fake {
	struct target base;
	int calls;
	int attached; /* its share of fake_target.attached: gone with it */
	double runs;  /* events fired while a probe was attached */
};

static int mode_ok(const char *value, char *err, size_t errlen)
{
	if (value && (!strcmp(value, "quiet") || !strcmp(value, "loud")))
		return 0;
	snprintf(err, errlen, "mode '%.64s': valid: quiet loud", value ?: "(none)");
	return -1;
}

static int start(const struct target_options *s, struct target **out, char *err, size_t errlen)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f->base.ops = &fake_target_ops;
	fake_target.starts++;
	snprintf(fake_target.started_with, sizeof(fake_target.started_with), "%s",
		 s->values && s->values[0] ? s->values[0] : "");
	*out = &f->base;
	return 0;
}

static cJSON *call(struct target *t, const cJSON *req, int timeout_s, char *err, size_t errlen)
{
	struct fake *f = (struct fake *)t;
	const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "cmd"));
	const cJSON *events = cJSON_GetObjectItemCaseSensitive(req, "events");
	cJSON *reply;

	(void)timeout_s;
	fake_target.calls++;
	if (fake_target.lose_after && (fake_target.starts == 1 || fake_target.lose_always) &&
	    ++f->calls > fake_target.lose_after) {
		snprintf(err, errlen, "the fake agent is gone");
		return NULL;
	}
	reply = cJSON_CreateObject();
	cJSON_AddBoolToObject(reply, "ok", true);
	if (!strcmp(cmd, "info")) {
		cJSON_AddStringToObject(reply, "kernel_release",
					fake_target.kernel ?: "6.1.0-fake");
	} else if (!strcmp(cmd, "attach")) {
		fake_target.attached++;
		f->attached++;
		cJSON_AddStringToObject(reply, "mechanism", "fake");
	} else if (!strcmp(cmd, "detach")) {
		fake_target.attached--;
		f->attached--;
	} else if (!strcmp(cmd, "read")) {
		cJSON_AddNumberToObject(reply, "run_cnt", f->runs);
		cJSON_AddNumberToObject(reply, "run_time_ns", f->runs * 10);
	} else if (!strcmp(cmd, "fire")) {
		if (f->attached > 0 && cJSON_IsNumber(events))
			f->runs += events->valuedouble;
	}
	return reply;
}

static void endpoint(struct target *t, struct traffic_endpoint *ep)
{
	(void)t;
	snprintf(ep->host, sizeof(ep->host), "127.0.0.1");
	ep->port = 9;
	ep->netns_fd = -1;
}

static void describe(struct target *t, cJSON *obj)
{
	(void)t;
	cJSON_AddStringToObject(obj, "fake", "yes");
}

static void stop(struct target *t)
{
	if (!t)
		return;
	fake_target.stops++;
	fake_target.attached -= ((struct fake *)t)->attached;
	free(t);
}

const struct target_ops fake_target_ops = {
	.name = "fake",
	.summary = "answers from memory (tests)",
	.args = { { "mode", "quiet", "quiet or loud (tests)", mode_ok } },
	.start = start,
	.call = call,
	.endpoint = endpoint,
	.describe = describe,
	.stop = stop,
};
