// SPDX-License-Identifier: GPL-2.0
/*
 * The target registry: every file in this folder ends with BPFCOST_TARGET(),
 * which puts a pointer in the "bpfcost_targets" section; the linker brackets
 * the section with __start_/__stop_ symbols, so the registry is whatever was
 * linked, however the definition is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "target.h"

extern const struct target_ops *const __start_bpfcost_targets[];
extern const struct target_ops *const __stop_bpfcost_targets[];

#define MAX_TARGETS 32

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct target_ops *const *)a)->name,
		      (*(const struct target_ops *const *)b)->name);
}

const struct target_ops *const *target_list(void)
{
	static const struct target_ops *list[MAX_TARGETS + 1];
	static size_t n;
	const struct target_ops *const *p;
	size_t i;

	if (n)
		return list;
	for (p = __start_bpfcost_targets; p < __stop_bpfcost_targets; p++) {
		if (n == MAX_TARGETS) {
			fprintf(stderr, "bpfcost: more than %d targets registered\n", MAX_TARGETS);
			exit(2);
		}
		list[n++] = *p;
	}
	qsort(list, n, sizeof(list[0]), by_name);
	for (i = 1; i < n; i++)
		if (!strcmp(list[i - 1]->name, list[i]->name)) {
			fprintf(stderr,
				"bpfcost: two targets are named '%s' (experiments/targets/*.c): "
				"each TARGET name must be unique\n",
				list[i]->name);
			exit(2);
		}
	return list;
}

/* Checked before main: a duplicate name is an error at startup, whatever runs. */
__attribute__((constructor)) static void check_targets(void)
{
	target_list();
}

const struct target_ops *target_find(const char *name)
{
	const struct target_ops *const *t;

	for (t = target_list(); name && *t; t++)
		if (!strcmp((*t)->name, name))
			return *t;
	return NULL;
}

void target_names(char *buf, size_t len)
{
	const struct target_ops *const *t;
	size_t used = 0;

	buf[0] = '\0';
	for (t = target_list(); *t && used < len; t++)
		used += snprintf(buf + used, len - used, " %s", (*t)->name);
}

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
	int i;

	for (i = 0; i < TARGET_MAX_ARGS && t->args[i].name; i++)
		if (!strcmp(t->args[i].name, name))
			return i;
	return -1;
}
