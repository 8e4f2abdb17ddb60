// SPDX-License-Identifier: GPL-2.0
/*
 * The target registry: every file in this folder ends with BPFCOST_TARGET(),
 * which puts a pointer in the "bpfcost_targets" section; the linker brackets
 * the section with __start_/__stop_ symbols, so the registry is whatever was
 * linked, however the definition is written.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/registry_walk.h"
#include "target.h"

REGISTRY_DEFINE(target, targets, "experiments/targets/*.c", "TARGET", 32)

REGISTRY_ARG_LAYOUT(struct target_arg);

const char *server_comm(const struct server_spec *s)
{
	const char *base = s->argv[0] ? strrchr(s->argv[0], '/') : NULL;

	if (s->comm)
		return s->comm;
	return base ? base + 1 : s->argv[0];
}

/* @in with every "{addr}" and "{port}" replaced; -1 when it does not fit. */
static int expand(const char *in, const char *addr, const char *port, char *out, size_t len)
{
	size_t used = 0;

	while (*in) {
		const char *with = !strncmp(in, "{addr}", 6)   ? addr
				   : !strncmp(in, "{port}", 6) ? port
							       : NULL;
		size_t n = with ? strlen(with) : 1;

		if (used + n >= len)
			return -1;
		memcpy(out + used, with ? with : in, n);
		used += n;
		in += with ? 6 : 1;
	}
	out[used] = '\0';
	return 0;
}

int target_serve(struct target *t, const struct server_spec *s, const char *addr, pid_t *pid,
		 char *err, size_t errlen)
{
	cJSON *req = cJSON_CreateObject(), *argv = cJSON_AddArrayToObject(req, "argv"), *r;
	char port[16], arg[1024];
	int i;

	snprintf(port, sizeof(port), "%d", s->port);
	for (i = 0; i < SERVER_MAX_ARGV && s->argv[i]; i++) {
		if (expand(s->argv[i], addr, port, arg, sizeof(arg))) {
			snprintf(err, errlen, "server argument %d too long", i);
			cJSON_Delete(req);
			return -1;
		}
		cJSON_AddItemToArray(argv, cJSON_CreateString(arg));
	}
	cJSON_AddStringToObject(req, "cmd", "serve");
	cJSON_AddNumberToObject(req, "port", s->port);
	cJSON_AddStringToObject(req, "proto", s->proto ? s->proto : "tcp");
	r = target_call(t, req, 60, err, errlen);
	cJSON_Delete(req);
	if (!r)
		return -1;
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok"))) {
		snprintf(err, errlen, "%s",
			 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "error"))
				 ?: "serve: no reason given");
		cJSON_Delete(r);
		return -1;
	}
	*pid = (pid_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "pid"));
	cJSON_Delete(r);
	return 0;
}

int target_arg_index(const struct target_ops *t, const char *name)
{
	return registry_arg_index(t->args, sizeof(t->args[0]), TARGET_MAX_ARGS, name);
}
