// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf_version.h>
#include <cjson/cJSON.h>

#include "experiments/registry_walk.h"
#include "experiments/targets/target.h"
#include "loader/attach_types.h"
#include "loader/environment.h"
#include "loader/json_get.h"
#include "loader/kconfig.h"
#include "loader/spawn.h"
#include "disturbance.h"
#include "manifest.h"
#include "run_settings.h"

static void now_iso(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* First line a command prints (null if none): versions of the tools used. */
static void add_command_line(cJSON *obj, const char *key, char *const argv[])
{
	char line[256];

	spawn_first_line(argv, line, sizeof(line), 10);
	if (line[0])
		cJSON_AddStringToObject(obj, key, line);
	else
		cJSON_AddNullToObject(obj, key);
}

/* The commit, with "-dirty" when the work tree differs from it. */
static void add_git_revision(cJSON *obj)
{
	char *rev[] = { "git", "rev-parse", "HEAD", NULL };
	char *diff[] = { "git", "diff", "--quiet", "HEAD", NULL };
	char line[256], scratch[8], buf[300];

	if (spawn_first_line(rev, line, sizeof(line), 10) || !line[0]) {
		cJSON_AddNullToObject(obj, "git_revision");
		return;
	}
	snprintf(buf, sizeof(buf), "%s%s", line,
		 spawn_first_line(diff, scratch, sizeof(scratch), 10) ? "-dirty" : "");
	cJSON_AddStringToObject(obj, "git_revision", buf);
}

static void add_cpu_model(cJSON *obj)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			line[strcspn(line, "\n")] = '\0';
			cJSON_AddStringToObject(obj, "cpu_model", strchr(line, ':') + 2);
			break;
		}
	}
	if (f)
		fclose(f);
}

static cJSON *host_section(void)
{
	cJSON *host = cJSON_CreateObject(), *cfg;
	char libbpf[32];
	struct utsname u;

	if (!uname(&u)) {
		cJSON_AddStringToObject(host, "kernel_release", u.release);
		cJSON_AddStringToObject(host, "kernel_version", u.version);
	}
	add_cpu_model(host);
	cJSON_AddNumberToObject(host, "nr_cpus", sysconf(_SC_NPROCESSORS_ONLN));
	cfg = cJSON_AddObjectToObject(host, "config");
	/* The options the attach-type table names: the guest agent records the same. */
	kconfig_record(cfg, attach_config_options(), "");
	environment_record(host, NULL);
	cJSON *tools = cJSON_AddObjectToObject(host, "tools");

	add_command_line(tools, "iperf3", (char *[]){ "iperf3", "--version", NULL });
	add_command_line(tools, "qemu", (char *[]){ "qemu-system-x86_64", "--version", NULL });
	add_command_line(tools, "gnuplot", (char *[]){ "gnuplot", "--version", NULL });
	add_command_line(tools, "clang", (char *[]){ "clang", "--version", NULL });
	snprintf(libbpf, sizeof(libbpf), "%d.%d", LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
	cJSON_AddStringToObject(tools, "libbpf", libbpf);
	cJSON_AddStringToObject(tools, "cjson", cJSON_Version());
	return host;
}

static cJSON *workload_json(const struct run_settings *s)
{
	const struct workload_ops *w = workload_find(s->workload);
	cJSON *obj = cJSON_CreateObject(), *args;
	int i;

	cJSON_AddStringToObject(obj, "name", s->workload);
	args = cJSON_AddObjectToObject(obj, "args");
	for (i = 0; w && i < WORKLOAD_MAX_ARGS && w->args[i].name; i++)
		cJSON_AddStringToObject(args, w->args[i].name, s->values[i]);
	if (w)
		cJSON_AddItemToObject(obj, "metric", workload_metric_json(w, s->clock));
	return obj;
}

void manifest_target_args(struct cJSON *man, const struct target_ops *t, const char *const *values)
{
	cJSON *args;
	int i;

	cJSON_DeleteItemFromObjectCaseSensitive(man, "target_args");
	args = cJSON_AddObjectToObject(man, "target_args");

	for (i = 0; t && i < TARGET_MAX_ARGS && t->args[i].name; i++)
		cJSON_AddStringToObject(args, t->args[i].name, values[i]);
}

cJSON *manifest_new(const struct run_settings *s, const struct matrix *m)
{
	cJSON *man = cJSON_CreateObject(), *set, *names;
	char t[32], seed[32];
	int i;

	cJSON_AddStringToObject(man, "matrix", s->matrix);
	cJSON_AddNumberToObject(man, "N", s->n);
	cJSON_AddNumberToObject(man, "duration", s->duration);
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)s->seed);
	/* A string: JSON numbers lose 64-bit precision. */
	cJSON_AddStringToObject(man, "order_seed", seed);
	cJSON_AddStringToObject(man, "target", s->target);
	manifest_target_args(man, target_find(s->target), s->target_values);
	cJSON_AddStringToObject(man, "clock", s->clock);
	cJSON_AddStringToObject(man, "topology", s->topology);
	cJSON_AddItemToObject(man, "workload", workload_json(s));
	set = cJSON_AddObjectToObject(man, "settings");
	cJSON_AddStringToObject(set, "accel", s->accel);
	cJSON_AddNumberToObject(set, "vcpus", s->vcpus);
	cJSON_AddNumberToObject(set, "mem_mb", s->mem_mb);
	cJSON_AddStringToObject(set, "func", s->func);
	cJSON_AddNumberToObject(set, "spin_ns", s->spin_ns);
	cJSON_AddNumberToObject(set, "hit_check_s", s->check_s);
	cJSON_AddBoolToObject(set, "pin", s->pin);
	cJSON_AddBoolToObject(set, "bind", s->bind);
	cJSON_AddNumberToObject(set, "redo", s->redo_limit);
	if (isfinite(s->disturb_cpu))
		cJSON_AddNumberToObject(set, "disturb_cpu", s->disturb_cpu);
	else
		cJSON_AddNullToObject(set, "disturb_cpu");
	cJSON_AddStringToObject(set, "estimator", s->estimator);
	manifest_precision(man, s);
	names = cJSON_AddArrayToObject(man, "configs");
	for (i = 0; i < m->n; i++)
		cJSON_AddItemToArray(names, cJSON_CreateString(m->configs[i].name));
	cJSON_AddItemToObject(man, "host", host_section());
	add_git_revision(man);
	now_iso(t, sizeof(t));
	cJSON_AddStringToObject(man, "start_time", t);
	cJSON_AddNullToObject(man, "end_time");
	cJSON_AddStringToObject(man, "state", "running");
	return man;
}

static void replace(cJSON *obj, const char *key, cJSON *item)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, item);
}

void manifest_add_target(cJSON *man, struct target *t, const cJSON *info)
{
	cJSON *obj = cJSON_CreateObject();

	cJSON_AddStringToObject(obj, "name", t->ops->name);
	t->ops->describe(t, obj);
	if (info)
		cJSON_AddItemToObject(obj, "info", cJSON_Duplicate(info, true));
	replace(man, "target_info", obj);
}

void manifest_finish(cJSON *man, const char *state)
{
	char t[32];

	now_iso(t, sizeof(t));
	replace(man, "end_time", cJSON_CreateString(t));
	replace(man, "state", cJSON_CreateString(state));
}

/*
 * The declared arguments (@n of @size bytes) back from @args, "@label" in
 * messages: one its @owner does not declare was not what the run used, so it
 * is refused; a missing one (a manifest from before the argument) takes its
 * default.
 */
static int args_back(const cJSON *args, const char *label, const char *owner, const void *decl,
		     size_t size, int n, const char **values, char *err, size_t errlen)
{
	const struct arg_head *d;
	const cJSON *a;
	int i;

	cJSON_ArrayForEach(a, args)
	{
		if (!a->string || registry_arg_index(decl, size, n, a->string) < 0 ||
		    !cJSON_IsString(a)) {
			snprintf(err, errlen, "%s: '%.64s' is not a %s argument", label,
				 a->string ?: "", owner);
			return -1;
		}
	}
	for (i = 0; (d = registry_arg(decl, size, n, i)); i++)
		values[i] = json_str(args, d->name) ?: d->dflt;
	return 0;
}

/* The workload and its argument values back from the manifest. */
static int workload_settings(const cJSON *obj, struct run_settings *s, char *err, size_t errlen)
{
	const struct workload_ops *w;

	s->workload = json_str(obj, "name");
	w = s->workload ? workload_find(s->workload) : NULL;
	if (!w) {
		snprintf(err, errlen, "workload.name: missing or not a known workload");
		return -1;
	}
	return args_back(cJSON_GetObjectItemCaseSensitive(obj, "args"), "workload.args", w->name,
			 w->args, sizeof(w->args[0]), WORKLOAD_MAX_ARGS, s->values, err, errlen);
}

int manifest_target_args_back(const cJSON *man, const struct target_ops *t, const char **values,
			      char *err, size_t errlen)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(man, "target_args");

	if (!t)
		return 0; /* run_settings_check names it */
	if (args && !cJSON_IsObject(args)) {
		snprintf(err, errlen, "target_args: not an object");
		return -1;
	}
	return args_back(args, "target_args", t->name, t->args, sizeof(t->args[0]), TARGET_MAX_ARGS,
			 values, err, errlen);
}

/* Numbers read exactly: integers as integers, never a double cast out of range. */
static int numbers(const cJSON *man, const cJSON *set, struct run_settings *s, char *err,
		   size_t errlen)
{
	long long v;

	if (json_exact_int(man, "N", RS_N_MIN, RS_N_MAX, &v, err, errlen))
		return -1;
	s->n = (int)v;
	if (json_finite(man, "duration", &s->duration, err, errlen) ||
	    json_exact_int(set, "vcpus", 1, RS_VCPUS_MAX, &v, err, errlen))
		return -1;
	s->vcpus = (int)v;
	if (json_exact_int(set, "mem_mb", RS_MEM_MIN, RS_MEM_MAX, &v, err, errlen))
		return -1;
	s->mem_mb = (int)v;
	if (json_exact_int(set, "spin_ns", 0, RS_SPIN_NS_MAX, &v, err, errlen))
		return -1;
	s->spin_ns = (long)v;
	if (json_finite(set, "hit_check_s", &s->check_s, err, errlen))
		return -1;
	return manifest_precision_back(man, s, err, errlen);
}

/*
 * --redo, --disturb-cpu, --estimator of a resumed run. Absent in manifests from
 * before them: today's defaults. Their bounds are run_settings_check()'s.
 */
static int disturbance_settings(const cJSON *set, struct run_settings *s, char *err, size_t errlen)
{
	const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(set, "disturb_cpu");
	const cJSON *est = cJSON_GetObjectItemCaseSensitive(set, "estimator");
	long long v;

	s->redo_limit = DISTURB_REDO_DEFAULT;
	s->disturb_cpu = DISTURB_CPU_DEFAULT;
	/* A run from before --estimator judged its rows by means, and goes on doing so. */
	s->estimator = "mean";
	if (cJSON_GetObjectItemCaseSensitive(set, "redo")) {
		if (json_exact_int(set, "redo", 0, RS_REDO_MAX, &v, err, errlen))
			return -1;
		s->redo_limit = (int)v;
	}
	if (cJSON_IsNull(cpu))
		s->disturb_cpu = NAN;
	else if (cpu && json_finite(set, "disturb_cpu", &s->disturb_cpu, err, errlen))
		return -1;
	if (est && !cJSON_IsString(est)) {
		snprintf(err, errlen, "settings.estimator: not a string");
		return -1;
	}
	if (est)
		s->estimator = est->valuestring;
	return 0;
}

static int seed(const char *text, uint64_t *out)
{
	char *end;

	/* Plain decimal only: strtoull would take "-1" or " 7" as well. */
	if (!text || !text[0] || strspn(text, "0123456789") != strlen(text))
		return -1;
	errno = 0;
	*out = strtoull(text, &end, 10);
	return errno || *end ? -1 : 0;
}

/*
 * The calibration a resume reuses replaces some workload arguments: checked
 * now with them in place, not after the target has started.
 */
static int calibrated_check(const cJSON *man, const struct run_settings *s, char *err,
			    size_t errlen)
{
	const cJSON *cal = cJSON_GetObjectItemCaseSensitive(man, "calibration"), *a;
	const struct workload_ops *w = workload_find(s->workload);
	struct run_settings with = *s;
	int i;

	if (!cal)
		return 0;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(cal, "args"))
	{
		i = a->string ? workload_arg_index(w, a->string) : -1;
		if (i < 0 || !cJSON_IsString(a)) {
			snprintf(err, errlen, "calibration.args: '%.64s' is not a %s argument",
				 a->string ?: "", w->name);
			return -1;
		}
		with.values[i] = a->valuestring;
	}
	if (run_settings_check(&with, err, errlen)) {
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "calibration.args: %s", why);
		return -1;
	}
	return 0;
}

int manifest_settings(const cJSON *man, struct run_settings *s, const char ***names, int *count,
		      char *err, size_t errlen)
{
	const cJSON *set = cJSON_GetObjectItemCaseSensitive(man, "settings");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(man, "configs"), *c;
	int i = 0;

	*names = NULL;
	if (!cJSON_IsObject(man) || !cJSON_IsObject(set) || !cJSON_IsArray(list)) {
		snprintf(err, errlen, "no settings object or configs array");
		return -1;
	}
	s->matrix = json_str(man, "matrix");
	s->target = json_str(man, "target");
	s->clock = json_str(man, "clock") ?: "real"; /* absent before --clock: real time */
	s->topology = json_str(man, "topology");
	s->accel = json_str(set, "accel");
	s->func = json_str(set, "func");
	if (seed(json_str(man, "order_seed"), &s->seed)) {
		snprintf(err, errlen, "order_seed: missing or not a decimal 64-bit integer");
		return -1;
	}
	if (workload_settings(cJSON_GetObjectItemCaseSensitive(man, "workload"), s, err, errlen) ||
	    numbers(man, set, s, err, errlen) || disturbance_settings(set, s, err, errlen) ||
	    manifest_target_args_back(man, s->target ? target_find(s->target) : NULL,
				      s->target_values, err, errlen))
		return -1;
	/* Absent in manifests from before --pin/--bind: those ran unpinned and unbound. */
	s->pin = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(set, "pin"));
	s->bind = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(set, "bind"));
	if (run_settings_check(s, err, errlen) || calibrated_check(man, s, err, errlen))
		return -1;
	*count = cJSON_GetArraySize(list);
	if (*count < 1 || *count > RS_CONFIGS_MAX) {
		snprintf(err, errlen, "configs: %d names; 1 to %d", *count, RS_CONFIGS_MAX);
		return -1;
	}
	*names = calloc(*count + 1, sizeof(**names));
	if (!*names) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	cJSON_ArrayForEach(c, list)
	{
		if (!cJSON_IsString(c)) {
			snprintf(err, errlen, "configs: entry %d is not a name", i + 1);
			free(*names);
			*names = NULL;
			return -1;
		}
		(*names)[i++] = c->valuestring;
	}
	return 0;
}
