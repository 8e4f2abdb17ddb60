// SPDX-License-Identifier: GPL-2.0
/* The environment of a measurement: see environment.h. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "environment.h"

#define CPU_SYS "/sys/devices/system/cpu"

/* One setting: its name in the manifest, where it is read. */
struct env_file {
	const char *key;
	const char *path;
};

static const struct env_file env_files[] = {
	{ "bpf_jit_enable", "/proc/sys/net/core/bpf_jit_enable" },
	{ "bpf_jit_harden", "/proc/sys/net/core/bpf_jit_harden" },
	{ "bpf_jit_kallsyms", "/proc/sys/net/core/bpf_jit_kallsyms" },
	{ "bpf_jit_limit", "/proc/sys/net/core/bpf_jit_limit" },
	{ "bpf_stats_enabled", "/proc/sys/kernel/bpf_stats_enabled" },
	{ "unprivileged_bpf_disabled", "/proc/sys/kernel/unprivileged_bpf_disabled" },
	{ "cpu_governor", CPU_SYS "/cpu0/cpufreq/scaling_governor" },
	{ "smt_control", CPU_SYS "/smt/control" },
	{ "smt_active", CPU_SYS "/smt/active" },
	{ "intel_pstate_no_turbo", CPU_SYS "/intel_pstate/no_turbo" },
	{ "cpufreq_boost", CPU_SYS "/cpufreq/boost" },
	{ "clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource" },
	/* How idle CPUs wait: a halted VM CPU takes tens of us to wake (latency rows). */
	{ "cpuidle_driver", CPU_SYS "/cpuidle/current_driver" },
	{ "cpuidle_governor", CPU_SYS "/cpuidle/current_governor_ro" },
	{ "preempt", "/sys/kernel/debug/sched/preempt" },
};

int environment_read_line(const char *root, const char *path, char *buf, size_t max)
{
	char full[1024];
	ssize_t got;
	size_t i;
	int fd;

	buf[0] = '\0';
	snprintf(full, sizeof(full), "%s%s", root ?: "", path);
	/* Never blocks on a FIFO planted in a fake tree, never follows a last link. */
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	got = read(fd, buf, max - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (i = 0; buf[i]; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			buf[i] = '?';
	return 0;
}

static void add_line(cJSON *obj, const char *key, const char *root, const char *path, size_t max)
{
	char buf[ENV_CMDLINE_MAX];

	if (environment_read_line(root, path, buf, max < sizeof(buf) ? max : sizeof(buf)))
		cJSON_AddNullToObject(obj, key);
	else
		cJSON_AddStringToObject(obj, key, buf);
}

/* Plain names only ([a-z0-9_]), in name order, at most ENV_VULNERABILITIES_MAX. */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_vulnerabilities(cJSON *env, const char *root)
{
	char dir[1024], path[1200], *names[ENV_VULNERABILITIES_MAX];
	cJSON *obj;
	struct dirent *e;
	int n = 0, i;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s%s", root ?: "", CPU_SYS "/vulnerabilities");
	d = opendir(dir);
	if (!d) {
		cJSON_AddNullToObject(env, "vulnerabilities");
		return;
	}
	while ((e = readdir(d)) && n < ENV_VULNERABILITIES_MAX) {
		size_t len = strlen(e->d_name);

		if (!len || len > 64 ||
		    strspn(e->d_name, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
			continue;
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	obj = cJSON_AddObjectToObject(env, "vulnerabilities");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", CPU_SYS "/vulnerabilities", names[i]);
		add_line(obj, names[i], root, path, ENV_VALUE_MAX);
		free(names[i]);
	}
}

/* One answer from either file: "on", "off", or null when neither is readable. */
static void add_turbo(cJSON *env, const char *root)
{
	char v[8];

	if (!environment_read_line(root, CPU_SYS "/intel_pstate/no_turbo", v, sizeof(v)) &&
	    (!strcmp(v, "0") || !strcmp(v, "1")))
		cJSON_AddStringToObject(env, "turbo", strcmp(v, "0") ? "off" : "on");
	else if (!environment_read_line(root, CPU_SYS "/cpufreq/boost", v, sizeof(v)) &&
		 (!strcmp(v, "0") || !strcmp(v, "1")))
		cJSON_AddStringToObject(env, "turbo", strcmp(v, "0") ? "on" : "off");
	else
		cJSON_AddNullToObject(env, "turbo");
}

void environment_record(struct cJSON *obj, const char *root)
{
	cJSON *env = cJSON_AddObjectToObject(obj, "environment");
	size_t i;

	if (root && !strcmp(root, "/"))
		root = "";
	add_vulnerabilities(env, root);
	add_line(env, "cmdline", root, "/proc/cmdline", ENV_CMDLINE_MAX);
	for (i = 0; i < sizeof(env_files) / sizeof(env_files[0]); i++)
		add_line(env, env_files[i].key, root, env_files[i].path, ENV_VALUE_MAX);
	add_turbo(env, root);
}
