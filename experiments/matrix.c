// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/bpfcost.h"
#include "matrix.h"

const char *const matrix_names[] = {
	"all", "seed", "quick", "full", "spin-ladder", "flood-ladder", "latency-ladder", NULL,
};

/* Attach types of MATRIX=all (design.md); "full" adds every other known type. */
static const char *const all_attach[] = {
	"tp", "kprobe", "kprobe-fprobe", "fentry", "fexit", NULL
};
/* The original experiment's rows (seeds/002). */
static const char *const seed_rows[] = {
	"fentry-map",	      "fentry-map-stat",	 "fentry-null",
	"fentry-null-stat",   "kprobe-fprobe-map",	 "kprobe-fprobe-map-stat",
	"kprobe-fprobe-null", "kprobe-fprobe-null-stat", NULL,
};
/* Small enough for CI under TCG, yet every mechanism family once. */
static const char *const quick_rows[] = {
	"tp-null", "kprobe-map-stat", "kprobe-fprobe-null-stat", "fentry-map-stat", NULL,
};
/* Known costs in ns per run: measured added cost against set cost shows what a run can see. */
static const char *const spin_ladder_rows[] = {
	"tp-spin@spin_ns=0",
	"tp-spin@spin_ns=50",
	"tp-spin@spin_ns=100",
	"tp-spin@spin_ns=200",
	"tp-spin@spin_ns=400",
	"tp-spin@spin_ns=800",
	NULL,
};
/*
 * The same for the flood, where a packet takes microseconds: set costs around
 * the detection limit a TCG guest reaches (about 2 us per packet), tp-null as
 * the ladder's foot.
 */
static const char *const flood_ladder_rows[] = {
	"tp-null",
	"tp-spin@spin_ns=1000",
	"tp-spin@spin_ns=2000",
	"tp-spin@spin_ns=4000",
	"tp-spin@spin_ns=8000",
	"tp-spin@spin_ns=16000",
	NULL,
};

/*
 * The latency workload's known-cost check: a round trip is hundreds of us
 * under TCG and the attach's own cost there is tens, so the spin_ns=0 twin
 * is in: each row minus it is the set cost alone (analysis/spin_twin.c).
 */
static const char *const latency_ladder_rows[] = {
	"tp-spin@spin_ns=0",
	"tp-spin@spin_ns=10000",
	"tp-spin@spin_ns=20000",
	"tp-spin@spin_ns=40000",
	NULL,
};
/* Known-cost control: in "full" only, so "all" stays the paper's matrix. */
#define CONTROL_PROBE "spin"

static void list_into(char *buf, size_t len, const char *const *names)
{
	size_t used = strlen(buf);

	for (; *names && used < len; names++)
		used += snprintf(buf + used, len - used, " %s", *names);
}

static int config_parse_base(const char *name, char *const *probes, struct config *c, char *err,
			     size_t errlen);

/*
 * "spin_ns=400,loops=2" after the '@': names as C identifiers, values as
 * plain decimal (no sign, no leading zero), so a name has one spelling and
 * always parses back to the same row. A value is an exact integer up to
 * CONFIG_SETTING_MAX (config_setting() returns it as a long long); whether
 * the probe's variable holds it is bpfcost_check_setting()'s to say.
 */
static int parse_settings(const char *name, const char *s, struct config *c, char *err,
			  size_t errlen)
{
	while (*s) {
		size_t nlen = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
		struct config_setting *set = &c->settings[c->n_settings];
		const char *v = s + nlen + 1;
		size_t vlen;
		int i;

		if (!nlen || nlen >= sizeof(set->name) || (s[0] >= '0' && s[0] <= '9') ||
		    s[nlen] != '=' || !(vlen = strspn(v, "0123456789")) || vlen > 20 ||
		    (v[0] == '0' && vlen > 1) || (v[vlen] && v[vlen] != ',') ||
		    (v[vlen] == ',' && !v[vlen + 1])) {
			snprintf(err, errlen,
				 "configuration '%s': settings are name=value,... with lower-case "
				 "names and plain decimal values",
				 name);
			return -1;
		}
		if (c->n_settings == CONFIG_MAX_SETTINGS) {
			snprintf(err, errlen, "configuration '%s': at most %d settings", name,
				 CONFIG_MAX_SETTINGS);
			return -1;
		}
		memcpy(set->name, s, nlen);
		set->name[nlen] = '\0';
		errno = 0;
		set->value = strtoull(v, NULL, 10);
		if (errno || set->value > CONFIG_SETTING_MAX) {
			snprintf(err, errlen, "configuration '%s': %s=%.*s: at most %llu", name,
				 set->name, (int)vlen, v, (unsigned long long)CONFIG_SETTING_MAX);
			return -1;
		}
		for (i = 0; i < c->n_settings; i++) {
			if (!strcmp(c->settings[i].name, set->name)) {
				snprintf(err, errlen, "configuration '%s': '%s' set twice", name,
					 set->name);
				return -1;
			}
		}
		c->n_settings++;
		s = v + vlen + (v[vlen] == ',');
	}
	return 0;
}

long long config_setting(const struct config *c, const char *name)
{
	int i;

	for (i = 0; i < c->n_settings; i++)
		if (!strcmp(c->settings[i].name, name))
			return (long long)c->settings[i].value;
	return -1;
}

int config_parse(const char *full, char *const *probes, struct config *c, char *err, size_t errlen)
{
	const char *at = strchr(full, '@');
	char name[CONFIG_NAME_MAX];
	int ret;

	if (strlen(full) >= CONFIG_NAME_MAX) {
		memset(c, 0, sizeof(*c));
		snprintf(err, errlen, "configuration name too long: '%.60s...'", full);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", at ? (int)(at - full) : (int)strlen(full), full);
	ret = config_parse_base(name, probes, c, err, errlen);
	if (ret || !at)
		return ret;
	snprintf(c->name, sizeof(c->name), "%s", full);
	if (c->baseline) {
		snprintf(err, errlen, "configuration '%s': baseline has no probe to set", full);
		return -1;
	}
	if (!at[1]) {
		snprintf(err, errlen, "configuration '%s': nothing set after '@'", full);
		return -1;
	}
	return parse_settings(full, at + 1, c, err, errlen);
}

static int config_parse_base(const char *name, char *const *probes, struct config *c, char *err,
			     size_t errlen)
{
	const char *const *types = bpfcost_attach_names();
	const char *best = NULL, *rest;
	size_t len = strlen(name), blen = 0;
	int i;

	memset(c, 0, sizeof(*c));
	if (len >= sizeof(c->name)) {
		snprintf(err, errlen, "configuration name too long: '%s'", name);
		return -1;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	if (!strcmp(name, "baseline")) {
		c->baseline = true;
		return 0;
	}
	/* Attach names contain '-' themselves: take the longest that matches. */
	for (i = 0; types[i]; i++) {
		size_t tl = strlen(types[i]);

		if (tl > blen && !strncmp(name, types[i], tl) && name[tl] == '-') {
			best = types[i];
			blen = tl;
		}
	}
	if (!best) {
		snprintf(err, errlen, "configuration '%s': unknown attach type; valid:", name);
		list_into(err, errlen, types);
		return -1;
	}
	snprintf(c->attach, sizeof(c->attach), "%s", best);
	rest = name + blen + 1;
	len = strlen(rest);
	if (len > 5 && !strcmp(rest + len - 5, "-stat")) {
		c->stats = true;
		len -= 5;
	}
	if (len == 0 || len >= sizeof(c->probe)) {
		snprintf(err, errlen, "configuration '%s': want <attach>-<probe>[-stat]", name);
		return -1;
	}
	memcpy(c->probe, rest, len);
	c->probe[len] = '\0';
	for (i = 0; probes[i]; i++)
		if (!strcmp(probes[i], c->probe))
			return 0;
	snprintf(err, errlen, "configuration '%s': unknown probe '%s'; valid:", name, c->probe);
	list_into(err, errlen, (const char *const *)probes);
	return -1;
}

static int add(struct matrix *m, const struct config *c, char *err, size_t errlen)
{
	struct config *bigger;
	int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->configs[i].name, c->name))
			return 0; /* a matrix is a set */
	bigger = realloc(m->configs, (m->n + 1) * sizeof(*c));
	if (!bigger) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->configs = bigger;
	m->configs[m->n++] = *c;
	return 0;
}

static int add_name(struct matrix *m, const char *name, char *const *probes, char *err,
		    size_t errlen)
{
	struct config c;

	if (config_parse(name, probes, &c, err, errlen))
		return -1;
	return add(m, &c, err, errlen);
}

static int add_product(struct matrix *m, const char *const *attach, char *const *probes,
		       bool with_control, char *err, size_t errlen)
{
	char name[CONFIG_NAME_MAX];
	int a, p, s;

	for (a = 0; attach[a]; a++)
		for (p = 0; probes[p]; p++)
			for (s = 0; s < 2; s++) {
				if (!with_control && !strcmp(probes[p], CONTROL_PROBE))
					continue;
				snprintf(name, sizeof(name), "%s-%s%s", attach[a], probes[p],
					 s ? "-stat" : "");
				if (add_name(m, name, probes, err, errlen))
					return -1;
			}
	return 0;
}

static int add_list(struct matrix *m, const char *const *names, char *const *probes, char *err,
		    size_t errlen)
{
	for (; *names; names++)
		if (add_name(m, *names, probes, err, errlen))
			return -1;
	return 0;
}

static int add_file(struct matrix *m, const char *path, char *const *probes, char *err,
		    size_t errlen)
{
	char *line = NULL, msg[BPFCOST_ERRLEN];
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	int lineno = 0;

	if (!f) {
		snprintf(err, errlen, "matrix '%s': not a named matrix (", path);
		list_into(err, errlen, matrix_names);
		snprintf(err + strlen(err), errlen - strlen(err), " ) nor a readable file: %s",
			 strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		char *p = line, *end;

		lineno++;
		line[strcspn(line, "#\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*p)
			continue;
		if (add_name(m, p, probes, msg, sizeof(msg))) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			free(line);
			fclose(f);
			return -1;
		}
	}
	free(line);
	fclose(f);
	if (m->n <= 1) {
		snprintf(err, errlen, "matrix file %s has no configurations", path);
		return -1;
	}
	return 0;
}

int matrix_build(const char *spec, char *const *probes, struct matrix *m, char *err, size_t errlen)
{
	struct config baseline = { .name = "baseline", .baseline = true };
	const char *const *types = bpfcost_attach_names();
	int ret;

	memset(m, 0, sizeof(*m));
	err[0] = '\0';
	if (add(m, &baseline, err, errlen))
		return -1;
	if (!strcmp(spec, "all"))
		ret = add_product(m, all_attach, probes, false, err, errlen);
	else if (!strcmp(spec, "full"))
		ret = add_product(m, types, probes, true, err, errlen);
	else if (!strcmp(spec, "seed"))
		ret = add_list(m, seed_rows, probes, err, errlen);
	else if (!strcmp(spec, "quick"))
		ret = add_list(m, quick_rows, probes, err, errlen);
	else if (!strcmp(spec, "spin-ladder"))
		ret = add_list(m, spin_ladder_rows, probes, err, errlen);
	else if (!strcmp(spec, "flood-ladder"))
		ret = add_list(m, flood_ladder_rows, probes, err, errlen);
	else if (!strcmp(spec, "latency-ladder"))
		ret = add_list(m, latency_ladder_rows, probes, err, errlen);
	else
		ret = add_file(m, spec, probes, err, errlen);
	if (ret)
		matrix_free(m);
	return ret;
}

void matrix_free(struct matrix *m)
{
	free(m->configs);
	m->configs = NULL;
	m->n = 0;
}
