// SPDX-License-Identifier: GPL-2.0
/* What the guest kernel is: recorded in every result manifest. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "attach_types.h"
#include "environment.h"
#include "kconfig.h"

/*
 * What the kernel is, as the guest's build wrote it (/boot/kernel.txt:
 * package=, version=, source=, image_sha256=): for Debian's 6.1 the release
 * (6.1.0-57-cloud-amd64) hides the upstream version the package's names.
 */
static void add_kernel_package(cJSON *r)
{
	static const char *const keys[] = { "package", "version", "source", "image_sha256" };
	cJSON *pkg = cJSON_AddObjectToObject(r, "kernel_package");
	char line[ENV_VALUE_MAX];
	FILE *f = fopen("/boot/kernel.txt", "r");
	size_t i;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		/* Plain text only, as every environment value (environment.h). */
		for (i = 0; line[i]; i++)
			if (line[i] < 0x20 || line[i] > 0x7e)
				line[i] = '?';
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t n = strlen(keys[i]);

			if (!strncmp(line, keys[i], n) && line[n] == '=' &&
			    !cJSON_GetObjectItemCaseSensitive(pkg, keys[i]))
				cJSON_AddStringToObject(pkg, keys[i], line + n + 1);
		}
	}
	if (f)
		fclose(f);
}

static void add_lines(cJSON *r, const char *key, const char *path)
{
	cJSON *arr = cJSON_AddArrayToObject(r, key);
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		cJSON_AddItemToArray(arr, cJSON_CreateString(line));
	}
	fclose(f);
}

static void add_first_line(cJSON *r, const char *key, const char *path, const char *prefix)
{
	char line[512];
	FILE *f = fopen(path, "r");
	size_t plen = prefix ? strlen(prefix) : 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (plen && strncmp(line, prefix, plen))
			continue;
		line[strcspn(line, "\n")] = '\0';
		cJSON_AddStringToObject(r, key, plen ? line + strcspn(line, ":") + 2 : line);
		break;
	}
	fclose(f);
}

struct cJSON *agent_info(const struct cJSON *req)
{
	cJSON *r = agent_ok(), *cfg;
	struct utsname u;

	(void)req;
	if (!uname(&u)) {
		cJSON_AddStringToObject(r, "kernel_release", u.release);
		cJSON_AddStringToObject(r, "kernel_version", u.version);
		cJSON_AddStringToObject(r, "machine", u.machine);
	}
	cJSON_AddNumberToObject(r, "nr_cpus", sysconf(_SC_NPROCESSORS_ONLN));
	add_first_line(r, "cpu_model", "/proc/cpuinfo", "model name");
	add_first_line(r, "cmdline", "/proc/cmdline", NULL);
	add_first_line(r, "kprobes_optimization", "/proc/sys/debug/kprobes-optimization", NULL);
	add_first_line(r, "lockdown", "/sys/kernel/security/lockdown", NULL);
	add_first_line(r, "proc_version", "/proc/version", NULL);
	add_kernel_package(r);
	environment_record(r, NULL);

	cfg = cJSON_AddObjectToObject(r, "config");
	kconfig_record(cfg, attach_config_options(), "CONFIG_");
	if (kconfig_source())
		cJSON_AddStringToObject(r, "config_source", kconfig_source());
	add_lines(r, "kprobes_list", "/sys/kernel/debug/kprobes/list");
	return r;
}
