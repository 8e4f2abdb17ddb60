// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "sweep_args.h"

/* Options whose value the sweep needs to see: the long name, the short one. */
struct noted {
	const char *name;
	char short_name;
	size_t field;
	bool taken; /* out of run_args: the sweep sets it per run */
};

#define F(x) offsetof(struct sweep_args, x)
static const struct noted noted[] = {
	{ "budget", 0, F(budget), true },      { "results", 'o', F(results), true },
	{ "seed", 's', F(seed), true },	       { "target", 0, F(target), false },
	{ "clock", 0, F(clock), false },       { "matrix", 0, F(matrix), false },
	{ "workload", 0, F(workload), false }, { "vcpus", 0, F(vcpus), false },
};

/* What only the sweep decides: a user's value would be silently wrong. */
static const char *const refused[] = { "--resume", "-r", "--folder", NULL };

static const struct noted *find(const char *arg, const char **inline_value)
{
	size_t i, len;

	*inline_value = NULL;
	for (i = 0; i < sizeof(noted) / sizeof(noted[0]); i++) {
		if (arg[0] == '-' && arg[1] == noted[i].short_name && noted[i].short_name &&
		    !arg[2])
			return &noted[i];
		if (strncmp(arg, "--", 2))
			continue;
		len = strlen(noted[i].name);
		if (!strncmp(arg + 2, noted[i].name, len) &&
		    (!arg[2 + len] || arg[2 + len] == '=')) {
			if (arg[2 + len] == '=')
				*inline_value = arg + 3 + len;
			return &noted[i];
		}
	}
	return NULL;
}

static bool refused_arg(const char *arg)
{
	int i;

	for (i = 0; refused[i]; i++)
		if (!strcmp(arg, refused[i]) || (!strncmp(arg, refused[i], strlen(refused[i])) &&
						 arg[strlen(refused[i])] == '='))
			return true;
	return false;
}

int sweep_args_split(int argc, const char *const *argv, struct sweep_args *a, char *err,
		     size_t errlen)
{
	const struct noted *d;
	const char *value;
	int i;

	*a = (struct sweep_args){ 0 };
	for (i = 0; i < argc; i++) {
		if (strlen(argv[i]) >= SWEEP_ARG_LEN_MAX || a->n == SWEEP_ARGS_MAX) {
			snprintf(err, errlen, "more than %d settings, or one over %d characters",
				 SWEEP_ARGS_MAX, SWEEP_ARG_LEN_MAX);
			return -1;
		}
		if (refused_arg(argv[i]) || (i > 0 && !strcmp(argv[i - 1], "--target-arg") &&
					     !strncmp(argv[i], "kernel=", 7))) {
			snprintf(err, errlen,
				 "'%s': the sweep sets it for each run (its folder, its kernel)",
				 argv[i]);
			return -1;
		}
		d = find(argv[i], &value);
		if (d && !value && i + 1 == argc) {
			snprintf(err, errlen, "'%s' without its value", argv[i]);
			return -1;
		}
		if (!d) {
			a->run_args[a->n++] = argv[i];
			continue;
		}
		*(const char **)((char *)a + d->field) = value ?: argv[i + 1];
		if (!d->taken) {
			a->run_args[a->n++] = argv[i];
			if (!value)
				a->run_args[a->n++] = argv[i + 1];
		}
		i += !value;
		if (a->n >= SWEEP_ARGS_MAX) {
			snprintf(err, errlen, "more than %d settings", SWEEP_ARGS_MAX);
			return -1;
		}
	}
	return 0;
}

struct cJSON *sweep_args_json(const struct sweep_args *a)
{
	cJSON *j = cJSON_CreateObject(), *args = cJSON_AddArrayToObject(j, "run_args");
	size_t i;
	int k;

	for (i = 0; i < sizeof(noted) / sizeof(noted[0]); i++) {
		const char *v = *(const char *const *)((const char *)a + noted[i].field);

		if (v && !noted[i].taken)
			cJSON_AddStringToObject(j, noted[i].name, v);
	}
	for (k = 0; k < a->n; k++)
		cJSON_AddItemToArray(args, cJSON_CreateString(a->run_args[k]));
	return j;
}

int sweep_args_from_json(const struct cJSON *settings, struct sweep_args *a, char *err,
			 size_t errlen)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(settings, "run_args"), *v;
	const char *argv[SWEEP_ARGS_MAX];
	int n = 0;

	if (!cJSON_IsArray(args) || cJSON_GetArraySize(args) > SWEEP_ARGS_MAX) {
		snprintf(err, errlen, "settings.run_args is not a list of at most %d strings",
			 SWEEP_ARGS_MAX);
		return -1;
	}
	cJSON_ArrayForEach(v, args)
	{
		if (!cJSON_IsString(v)) {
			snprintf(err, errlen,
				 "settings.run_args holds a value that is not a string");
			return -1;
		}
		argv[n++] = v->valuestring;
	}
	if (sweep_args_split(n, argv, a, err, errlen))
		return -1;
	if (a->budget || a->results || a->seed) {
		snprintf(err, errlen, "settings.run_args sets the budget, folder or seed");
		return -1;
	}
	return 0;
}
