/* SPDX-License-Identifier: GPL-2.0 */
/* Which configurations a run measures: named matrices, matrix files, config names. */
#ifndef BPFCOST_MATRIX_H
#define BPFCOST_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_NAME_MAX 96

#define CONFIG_MAX_SETTINGS 8
/* A row setting's value at most: config_setting() returns it exactly. */
#define CONFIG_SETTING_MAX 9223372036854775807ULL

/* A probe's `const volatile` global set for one row: `@spin_ns=400`. */
struct config_setting {
	char name[48];
	unsigned long long value;
};

/* One row of the results: `<attach>-<probe>[-stat][@name=value,...]` or `baseline`. */
struct config {
	char name[CONFIG_NAME_MAX];
	char probe[48];	 /* "" for baseline */
	char attach[32]; /* "" for baseline */
	bool stats;
	bool baseline;
	int n_settings;
	struct config_setting settings[CONFIG_MAX_SETTINGS];
};

struct matrix {
	struct config *configs;
	int n;
};

/*
 * Parse "fentry-map-stat" against the known attach types and @probes (a
 * NULL-terminated list). Returns 0, or -1 with @err naming the bad part and
 * listing the valid values.
 */
int config_parse(const char *name, char *const *probes, struct config *c, char *err, size_t errlen);

/*
 * Build a matrix: "all", "seed", "quick", "full", or a path to a file with
 * one configuration per line ('#' starts a comment). baseline is always in
 * it, exactly once. Probes found in @probes join "all" (except the spin
 * control) and "full" by themselves.
 */
int matrix_build(const char *spec, char *const *probes, struct matrix *m, char *err, size_t errlen);
void matrix_free(struct matrix *m);

/* Value of setting @name in @c, or -1 when the row does not set it. */
long long config_setting(const struct config *c, const char *name);

/* The named matrices, for help and error messages. */
extern const char *const matrix_names[];

#endif /* BPFCOST_MATRIX_H */
