// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf_version.h>
#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "loader/kconfig.h"
#include "loader/spawn.h"
#include "disturbance.h"
#include "manifest.h"

/* Kernel options that decide which attach types exist and how they work. */
static const char *const config_flags[] = {
	"KPROBES",
	"KPROBES_ON_FTRACE",
	"OPTPROBES",
	"FPROBE",
	"X86_KERNEL_IBT",
	"DEBUG_INFO_BTF",
	"BPF_JIT",
	"BPF_JIT_ALWAYS_ON",
	"DYNAMIC_FTRACE_WITH_DIRECT_CALLS",
	"PREEMPT",
	"HZ",
	NULL,
};

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
	int i;

	if (!uname(&u)) {
		cJSON_AddStringToObject(host, "kernel_release", u.release);
		cJSON_AddStringToObject(host, "kernel_version", u.version);
	}
	add_cpu_model(host);
	cJSON_AddNumberToObject(host, "nr_cpus", sysconf(_SC_NPROCESSORS_ONLN));
	cfg = cJSON_AddObjectToObject(host, "config");
	for (i = 0; config_flags[i]; i++) {
		const char *v = kconfig_get(config_flags[i]);

		if (v)
			cJSON_AddStringToObject(cfg, config_flags[i], v);
		else
			cJSON_AddNullToObject(cfg, config_flags[i]);
	}
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
		cJSON_AddItemToObject(obj, "metric", workload_metric_json(w, s->values, s->clock));
	return obj;
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
	if (s->precision > 0 || s->budget_min > 0) {
		cJSON *p = cJSON_AddObjectToObject(man, "precision");

		if (s->precision > 0)
			cJSON_AddNumberToObject(p, "target_pct", s->precision);
		cJSON_AddNumberToObject(p, "budget_min", s->budget_min);
		cJSON_AddNumberToObject(p, "min_n", s->n);
		cJSON_AddNumberToObject(p, "max_n", s->precision > 0 ? s->max_n : s->n);
	}
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

static const char *str(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* @k as an integer below @lim in magnitude, else -1: casting "N":1e300 is undefined. */
static long num_int(const cJSON *o, const char *k, double lim)
{
	double v = num(o, k);

	return v > -lim && v < lim ? (long)v : -1;
}

/* The workload and its argument values back from the manifest (defaults for any missing). */
static int workload_settings(const cJSON *obj, struct run_settings *s)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(obj, "args");
	const struct workload_ops *w;
	int i;

	s->workload = str(obj, "name");
	w = workload_find(s->workload);
	if (!w)
		return -1;
	for (i = 0; i < WORKLOAD_MAX_ARGS && w->args[i].name; i++)
		s->values[i] = str(args, w->args[i].name) ?: w->args[i].dflt;
	return 0;
}

/*
 * --redo, --disturb-cpu, --estimator of a resumed run. Absent in manifests from
 * before them: today's defaults. Present and out of range: refused.
 */
static int disturbance_settings(const cJSON *set, struct run_settings *s)
{
	const cJSON *redo = cJSON_GetObjectItemCaseSensitive(set, "redo");
	const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(set, "disturb_cpu");
	const char *est = str(set, "estimator");

	s->redo_limit = DISTURB_REDO_DEFAULT;
	s->disturb_cpu = DISTURB_CPU_DEFAULT;
	s->estimator = "robust";
	if (redo) {
		if (!cJSON_IsNumber(redo) || !(redo->valuedouble >= 0 && redo->valuedouble <= 100) ||
		    redo->valuedouble != floor(redo->valuedouble))
			return -1;
		s->redo_limit = (int)redo->valuedouble;
	}
	if (cJSON_IsNull(cpu))
		s->disturb_cpu = NAN;
	else if (cpu && (!cJSON_IsNumber(cpu) || !disturb_cpu_ok(cpu->valuedouble)))
		return -1;
	else if (cpu)
		s->disturb_cpu = cpu->valuedouble;
	if (est && strcmp(est, "robust") && strcmp(est, "mean"))
		return -1;
	if (est)
		s->estimator = est;
	return 0;
}

bool disturb_cpu_ok(double v)
{
	return isfinite(v) && v > 0 && v <= 1024;
}

int manifest_settings(const cJSON *man, struct run_settings *s, const char ***names, int *count)
{
	const cJSON *set = cJSON_GetObjectItemCaseSensitive(man, "settings");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(man, "configs"), *c, *prec;
	int i = 0;

	if (!str(man, "matrix") || !str(man, "order_seed") || !cJSON_IsArray(list) || !set)
		return -1;
	s->matrix = str(man, "matrix");
	s->n = (int)num_int(man, "N", 0x1p31);
	s->duration = num(man, "duration");
	s->target = str(man, "target");
	s->clock = str(man, "clock") ?: "real";
	if (workload_settings(cJSON_GetObjectItemCaseSensitive(man, "workload"), s))
		return -1;
	s->seed = strtoull(str(man, "order_seed"), NULL, 10);
	s->topology = str(man, "topology");
	s->accel = str(set, "accel");
	s->vcpus = (int)num_int(set, "vcpus", 0x1p31);
	s->mem_mb = (int)num_int(set, "mem_mb", 0x1p31);
	s->func = str(set, "func");
	s->spin_ns = num_int(set, "spin_ns", 0x1p63);
	s->check_s = num(set, "hit_check_s");
	/* Absent in manifests from before --pin/--bind: those ran unpinned and unbound. */
	s->pin = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(set, "pin"));
	s->bind = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(set, "bind"));
	if (disturbance_settings(set, s))
		return -1;
	prec = cJSON_GetObjectItemCaseSensitive(man, "precision");
	s->precision = fmax(num(prec, "target_pct"), 0);
	s->budget_min = fmax(num(prec, "budget_min"), 0);
	s->max_n = s->precision > 0 ? (int)num_int(prec, "max_n", 0x1p31) : s->n;
	if (s->precision > 1000 || s->budget_min > 525600 ||
	    (s->precision > 0 && !(s->max_n >= s->n && s->max_n <= 100000)))
		return -1;
	*count = cJSON_GetArraySize(list);
	*names = calloc(*count + 1, sizeof(**names));
	if (!*names)
		return -1;
	cJSON_ArrayForEach(c, list)(*names)[i++] = cJSON_IsString(c) ? c->valuestring : "";
	return s->n >= 1 && s->duration > 0 && s->target && s->topology ? 0 : -1;
}
