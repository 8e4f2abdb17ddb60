// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include <cjson/cJSON.h>

#include "kconfig.h"

static char *config_text;
static char config_path[300];
static int config_loaded;

static char *read_gz(const char *path)
{
	gzFile f = gzopen(path, "rb");
	size_t len = 0, cap = 1 << 16;
	char *buf;
	int n;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = gzread(f, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	gzclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

static void load_config(void)
{
	struct utsname u;

	config_loaded = 1;
	/* gzread reads plain files too, so one reader serves both places. */
	snprintf(config_path, sizeof(config_path), "/proc/config.gz");
	config_text = read_gz(config_path);
	if (config_text && config_text[0])
		return;
	free(config_text);
	config_text = NULL;
	if (uname(&u))
		return;
	snprintf(config_path, sizeof(config_path), "/boot/config-%s", u.release);
	config_text = read_gz(config_path);
}

const char *kconfig_source(void)
{
	if (!config_loaded)
		load_config();
	return config_text ? config_path : NULL;
}

const char *kconfig_get(const char *name)
{
	static char value[256];
	char key[128], unset[160];
	const char *line;
	size_t klen;

	if (!kconfig_source())
		return NULL;
	snprintf(key, sizeof(key), "CONFIG_%s=", name);
	snprintf(unset, sizeof(unset), "# CONFIG_%s is not set", name);
	klen = strlen(key);
	for (line = config_text; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, key, klen)) {
			size_t n = strcspn(line + klen, "\n");

			if (n >= sizeof(value))
				n = sizeof(value) - 1;
			memcpy(value, line + klen, n);
			value[n] = '\0';
			return value;
		}
		if (!strncmp(line, unset, strlen(unset)))
			return "n";
	}
	return "n";
}

void kconfig_record(struct cJSON *obj, const char *const *names, const char *prefix)
{
	char key[96];

	for (; names && *names; names++) {
		const char *v = kconfig_get(*names);

		snprintf(key, sizeof(key), "%s%s", prefix, *names);
		if (v)
			cJSON_AddStringToObject(obj, key, v);
		else
			cJSON_AddNullToObject(obj, key);
	}
}
