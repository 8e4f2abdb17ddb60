/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bounds of run settings. The command line and a resumed manifest fill a
 * struct run_settings, then run_settings_check() (options.c, from the option
 * table) refuses anything out of bounds before the target starts. Here: the
 * bounds, rows' own settings, exact numbers read from JSON.
 */
#ifndef BPFCOST_RUN_SETTINGS_H
#define BPFCOST_RUN_SETTINGS_H

#include <stddef.h>

struct cJSON;
struct config;
struct run_settings;

#define RS_N_MIN	 1
#define RS_N_MAX	 100000
#define RS_MAX_N_MIN	 2
#define RS_DURATION_MIN	 1.0
#define RS_DURATION_MAX	 86400.0
#define RS_CHECK_MIN	 1.0
#define RS_CHECK_MAX	 600.0
#define RS_PRECISION_MAX 1000.0
#define RS_BUDGET_MAX	 525600.0
#define RS_SPIN_NS_MAX	 100000000L
#define RS_VCPUS_MAX	 64
/* A guest's vCPUs when neither VCPUS nor the workload says (workload_ops.default_vcpus). */
#define RS_VCPUS_DEFAULT 2
#define RS_MEM_MIN	 128
#define RS_MEM_MAX	 65536
#define RS_FUNC_MAX	 127
#define RS_CONFIGS_MAX	 4096 /* rows in one run */
#define RS_REDO_MAX	 100  /* redos of disturbed samples per row */

/*
 * Both in options.c, from the option table: the command line's defaults (the
 * seed from the clock and pid; workload and target values unset), and the
 * one check of settings, from the command line or a resumed manifest: 0, or
 * -1 with @err naming the setting, its value and what is valid.
 */
struct run_settings run_settings_defaults(void);
int run_settings_check(const struct run_settings *rs, char *err, size_t errlen);
/* A --disturb-cpu value: CPUs of other processes, above 0, at most 1024. */
bool disturb_cpu_ok(double v);

/*
 * A row's settings (tp-spin@spin_ns=400): each exists in its probe, its
 * variable holds the value, and the runner's own bound applies (spin_ns).
 */
int row_settings_check(const struct config *c, char *err, size_t errlen);

/*
 * An integer JSON number in [@min, @max] (no fraction, no 1e300): 0, or -1
 * with @err naming @key. A missing key is -1 too.
 */
int json_exact_int(const struct cJSON *obj, const char *key, long long min, long long max,
		   long long *out, char *err, size_t errlen);

/* A finite JSON number (bounds are run_settings_check's job); missing or not a number: -1. */
int json_finite(const struct cJSON *obj, const char *key, double *out, char *err, size_t errlen);

#endif /* BPFCOST_RUN_SETTINGS_H */
