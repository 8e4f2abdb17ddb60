// SPDX-License-Identifier: GPL-2.0
/*
 * The inventory, as Ansible itself reads it (ansible-inventory --list): its
 * hosts become the fleet's runs, their bpfcost_* variables each host's
 * settings. Host names become folder names: plain names only.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "loader/read_eof.h"
#include "loader/spawn.h"
#include "fleet.h"
#include "targets/target.h"
#include "workloads/workload.h"

#define LIST_MAX (4 << 20)

const char *const fleet_setting_names[] = { "TARGET",	   "WORKLOAD",
					    "CLOCK",	   "MATRIX",
					    "N",	   "DURATION",
					    "WARMUP",	   "IPERF_ARGS",
					    "TOPOLOGY",	   "ACCEL",
					    "VCPUS",	   "PRECISION",
					    "BUDGET",	   "MAX_N",
					    "CALIBRATE",   "PIN",
					    "BIND",	   "REDO",
					    "DISTURB_CPU", "ARGS",
					    "TARGET_ARGS", "GUEST_KERNEL_VERSION",
					    NULL };

int fleet_setting_check(const char *name, const char *value, char *err, size_t errlen)
{
	const char *p;

	for (p = value; *p; p++) {
		if (iscntrl((unsigned char)*p) || p - value >= SWEEP_VALUE_MAX - 1) {
			snprintf(err, errlen,
				 "%s: one line of printable text, at most %d characters", name,
				 SWEEP_VALUE_MAX - 1);
			return BPFCOST_EXIT_USAGE;
		}
	}
	/* The playbook gets values through Ansible's variables, which it would template. */
	if (strstr(value, "{{") || strstr(value, "{%") || strstr(value, "{#")) {
		snprintf(err, errlen,
			 "%s '%.64s': no '{{', '{%%' or '{#' (Ansible would read a template)", name,
			 value);
		return BPFCOST_EXIT_USAGE;
	}
	if ((!strcmp(name, "TARGET") && !target_find(value)) ||
	    (!strcmp(name, "WORKLOAD") && !workload_find(value))) {
		char names[256];

		if (name[0] == 'T')
			target_names(names, sizeof(names));
		else
			workload_names(names, sizeof(names));
		snprintf(err, errlen, "%s '%s': one of %s", name, value, names);
		return BPFCOST_EXIT_USAGE;
	}
	return 0;
}

/* A variable's value as text: Ansible's INI reader makes 2 a number. */
static const char *text_of(const cJSON *v, char *buf, size_t len)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		snprintf(buf, len, "%.17g", v->valuedouble);
		return buf;
	}
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	return NULL;
}

/* Host @i's settings: the defaults, then bpfcost_<lowercase name> from its variables. */
static int host_settings(struct fleet *f, int i, const cJSON *vars, char *err, size_t errlen)
{
	struct fleet_host_cfg *c = &f->cfg[i];
	const char *host = f->s.runs[i].value, *v;
	char key[64], num[64], why[256];
	int k, j;

	cJSON_Delete(c->settings);
	c->settings = cJSON_Duplicate(f->s.settings, 1);
	for (k = 0; fleet_setting_names[k]; k++) {
		snprintf(key, sizeof(key), "bpfcost_%s", fleet_setting_names[k]);
		for (j = 8; key[j]; j++)
			key[j] = (char)tolower((unsigned char)key[j]);
		if (!cJSON_GetObjectItemCaseSensitive(vars, key))
			continue;
		v = text_of(cJSON_GetObjectItemCaseSensitive(vars, key), num, sizeof(num));
		if (!v || fleet_setting_check(fleet_setting_names[k], v, why, sizeof(why))) {
			snprintf(err, errlen, "host %s: %s: %s", host, key, v ? why : "not text");
			return BPFCOST_EXIT_USAGE;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(c->settings, fleet_setting_names[k]);
		cJSON_AddStringToObject(c->settings, fleet_setting_names[k], v);
	}
	v = text_of(cJSON_GetObjectItemCaseSensitive(vars, "bpfcost_workdir"), num, sizeof(num));
	snprintf(c->workdir, sizeof(c->workdir), "%s", v ?: "/var/tmp/bpfcost");
	if (c->workdir[0] != '/' || strstr(c->workdir, "/..") || strlen(c->workdir) < 2 ||
	    fleet_setting_check("bpfcost_workdir", c->workdir, why, sizeof(why))) {
		snprintf(err, errlen, "host %s: bpfcost_workdir '%s': an absolute folder", host,
			 c->workdir);
		return BPFCOST_EXIT_USAGE;
	}
	v = text_of(cJSON_GetObjectItemCaseSensitive(vars, "bpfcost_deps"), num, sizeof(num));
	c->skip_deps = v && !strcmp(v, "skip");
	return 0;
}

/* Every group's "hosts", once each, in the order ansible-inventory lists them. */
static int list_hosts(struct fleet *f, const cJSON *inv, char *names[], char *err, size_t errlen)
{
	const cJSON *g, *h;
	int n = 0, j;

	cJSON_ArrayForEach(g, inv)
	{
		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(g, "hosts"))
		{
			if (!cJSON_IsString(h))
				continue;
			for (j = 0; j < n && strcmp(names[j], h->valuestring); j++)
				;
			if (j < n)
				continue;
			if (!sweep_name_ok(h->valuestring)) {
				snprintf(err, errlen,
					 "%s: host '%.64s' is not a plain name ([A-Za-z0-9._+-], "
					 "not starting with '.')",
					 f->inventory, h->valuestring);
				return -1;
			}
			if (n == SWEEP_MAX) {
				snprintf(err, errlen, "%s: more than %d hosts", f->inventory,
					 SWEEP_MAX);
				return -1;
			}
			names[n++] = h->valuestring;
		}
	}
	if (!n)
		snprintf(err, errlen, "%s: no hosts", f->inventory);
	return n ? n : -1;
}

static cJSON *read_inventory(const char *path, char *err, size_t errlen)
{
	char *argv[] = { "ansible-inventory", "-i", (char *)path, "--list", NULL }, why[128];
	struct read_buf out = { .buf = malloc(LIST_MAX), .cap = LIST_MAX };
	struct spawn_opts o;
	cJSON *j = NULL;
	int status = 0;

	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_INHERIT;
	if (out.buf && !spawn_capture(argv, &o, 120, NULL, &out, &status) && !status &&
	    !out.truncated)
		j = cJSON_Parse(out.buf);
	if (!j)
		snprintf(err, errlen, "ansible-inventory -i %s --list failed (%s)", path,
			 out.truncated ? "too long" : spawn_status_str(status, why, sizeof(why)));
	free(out.buf);
	return j;
}

int fleet_inventory(struct fleet *f, bool resume, char *err, size_t errlen)
{
	char *names[SWEEP_MAX];
	const cJSON *hostvars;
	struct stat st;
	cJSON *inv;
	int n, i, ret = BPFCOST_EXIT_USAGE;

	if (stat(f->inventory, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "INVENTORY=%s: not a file", f->inventory);
		return ret;
	}
	inv = read_inventory(f->inventory, err, errlen);
	if (!inv)
		return ret;
	hostvars = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(inv, "_meta"),
						    "hostvars");
	n = list_hosts(f, inv, names, err, errlen);
	if (n < 0)
		goto out;
	if (resume && n != f->s.n) {
		snprintf(err, errlen, "%s: %d hosts, the fleet folder has %d", f->inventory, n,
			 f->s.n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct sweep_run *r = &f->s.runs[i];

		if (resume && strcmp(r->value, names[i])) {
			snprintf(err, errlen, "%s: host %d is '%s', the fleet folder's is '%s'",
				 f->inventory, i + 1, names[i], r->value);
			goto out;
		}
		if (!resume) {
			snprintf(r->value, sizeof(r->value), "%s", names[i]);
			snprintf(r->name, sizeof(r->name), "%s", names[i]);
			snprintf(r->dir, sizeof(r->dir), "%s", names[i]);
		}
		if (host_settings(f, i, cJSON_GetObjectItemCaseSensitive(hostvars, names[i]), err,
				  errlen))
			goto out;
	}
	f->s.n = n;
	ret = 0;
out:
	cJSON_Delete(inv);
	return ret;
}
