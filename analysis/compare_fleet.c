// SPDX-License-Identifier: GPL-2.0
/*
 * A fleet's comparison (sweep.json "kind":"fleet", "variable":"host"): a column
 * group per host, labelled by its inventory name, with the machine it is
 * (CPU model, kernel release, mitigations) said for every host, the same or
 * not: a reader of a fleet table must see which machine each column is.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/compare.h"

bool compare_is_fleet(const struct compare *c)
{
	return !strcmp(c->variable, "host");
}

/* Is @key one a fleet shows per host (so not a warning when hosts differ in it)? */
bool compare_fleet_shown(const char *key)
{
	return !strcmp(key, "kernel") || !strcmp(key, "cpu") || !strcmp(key, "host_cpu") ||
	       strstr(key, "environment.vulnerabilities.") != NULL;
}

struct tally {
	int mitigated, vulnerable, unaffected, other;
	char vulnerable_names[96];
};

static void count(struct tally *t, const char *name, const char *value)
{
	if (!strncmp(value, "Not affected", 12)) {
		t->unaffected++;
	} else if (!strncmp(value, "Vulnerable", 10)) {
		size_t n = strlen(t->vulnerable_names);

		t->vulnerable++;
		/* The first few by name; the count says how many. */
		if (n + strlen(name) + 3 < sizeof(t->vulnerable_names))
			snprintf(t->vulnerable_names + n, sizeof(t->vulnerable_names) - n, "%s%s",
				 n ? ", " : "", name);
	} else if (strstr(value, "Mitigation")) {
		t->mitigated++;
	} else {
		t->other++;
	}
}

/* "mitigations: 9 mitigated, 1 vulnerable (spectre_v1), 4 not affected" from one environment. */
static bool summarise(const struct cmp_run *r, const char *env, char *buf, size_t len)
{
	char prefix[64], cmdline_key[64];
	struct tally t = { 0 };
	const char *cmdline;
	size_t i;

	snprintf(prefix, sizeof(prefix), "%s.vulnerabilities.", env);
	for (i = 0; i < r->n_facets; i++)
		if (!strncmp(r->facets[i].key, prefix, strlen(prefix)))
			count(&t, r->facets[i].key + strlen(prefix), r->facets[i].value);
	if (!t.mitigated && !t.vulnerable && !t.unaffected && !t.other)
		return false;
	snprintf(buf, len, "mitigations: %d mitigated, %d vulnerable%s%s%s, %d not affected",
		 t.mitigated, t.vulnerable, t.vulnerable ? " (" : "", t.vulnerable_names,
		 t.vulnerable ? ")" : "", t.unaffected);
	if (t.other)
		snprintf(buf + strlen(buf), len - strlen(buf), ", %d other", t.other);
	snprintf(cmdline_key, sizeof(cmdline_key), "%s.cmdline", env);
	cmdline = compare_facet(r, cmdline_key);
	if (strstr(cmdline, "mitigations=off"))
		snprintf(buf + strlen(buf), len - strlen(buf), " (booted with mitigations=off)");
	return true;
}

/*
 * The measured kernel's mitigations: the host's own on target host, the
 * guest's in a guest (the host's when the guest recorded none, said so).
 */
static void mitigations(const struct cmp_run *r, char *buf, size_t len)
{
	bool guest = !strcmp(compare_facet(r, "target"), "guest");

	if (guest && summarise(r, "target.environment", buf, len))
		return;
	if (summarise(r, "host.environment", buf, len)) {
		if (guest)
			snprintf(buf + strlen(buf), len - strlen(buf), " (the host's)");
		return;
	}
	snprintf(buf, len, "mitigations unrecorded");
}

static const char *or_unrecorded(const char *s)
{
	return s[0] ? s : "(unrecorded)";
}

void compare_fleet_label(struct compare *c)
{
	char mit[224];
	size_t i;

	for (i = 0; i < c->n_runs; i++) {
		struct cmp_run *r = &c->runs[i];
		const char *cpu = compare_facet(r, "cpu"), *host_cpu = compare_facet(r, "host_cpu");

		snprintf(r->label, sizeof(r->label), "%s", r->name);
		if (!r->loaded) {
			/* No manifest to read: what happened to the host instead. */
			snprintf(r->facts, sizeof(r->facts), "%s%s%s", r->status,
				 r->error[0] ? ": " : "", r->error);
			continue;
		}
		mitigations(r, mit, sizeof(mit));
		snprintf(r->facts, sizeof(r->facts), "CPU %s%s%s, kernel %s, target %s, %s",
			 or_unrecorded(host_cpu[0] ? host_cpu : cpu),
			 strcmp(compare_facet(r, "target"), "guest") || !cpu[0] ? ""
										: ", guest CPU ",
			 strcmp(compare_facet(r, "target"), "guest") || !cpu[0] ? "" : cpu,
			 or_unrecorded(compare_facet(r, "kernel")),
			 or_unrecorded(compare_facet(r, "target")), mit);
	}
}
