// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "experiments/targets/target.h"
#include "loader/bpfcost.h"
#include "loader/known_cost.h"
#include "experiments/workloads/workload.h"
#include "disturbance.h"
#include "manifest.h"
#include "run_settings.h"

static bool one_of(const char *s, const char *const *valid)
{
	for (; s && *valid; valid++)
		if (!strcmp(s, *valid))
			return true;
	return false;
}

/* A kernel symbol: what kprobe and fentry take, nothing a shell or a path would read. */
static bool symbol_name(const char *s)
{
	size_t n = s ? strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789_.")
		     : 0;

	return n && n <= RS_FUNC_MAX && !s[n] && !(s[0] >= '0' && s[0] <= '9');
}

#define REFUSE(...)                                                                                \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return -1;                                                                         \
	} while (0)

static int check_names(const struct run_settings *rs, char *err, size_t errlen)
{
	static const char *const clocks[] = { "real", "instructions", NULL };
	static const char *const topologies[] = { "user", "tap", NULL };
	static const char *const accels[] = { "auto", "kvm", "tcg", NULL };
	static const char *const estimators[] = { "robust", "mean", NULL };
	char valid[256];

	if (!rs->target || !target_find(rs->target)) {
		target_names(valid, sizeof(valid));
		REFUSE("target '%.64s': valid:%s", rs->target ?: "(none)", valid);
	}
	if (!rs->workload || !workload_find(rs->workload)) {
		workload_names(valid, sizeof(valid));
		REFUSE("workload '%.64s': valid:%s", rs->workload ?: "(none)", valid);
	}
	if (!one_of(rs->clock, clocks))
		REFUSE("clock '%.64s': valid: real instructions", rs->clock ?: "(none)");
	if (!one_of(rs->topology, topologies))
		REFUSE("topology '%.64s': valid: user tap", rs->topology ?: "(none)");
	if (!one_of(rs->accel, accels))
		REFUSE("accel '%.64s': valid: auto kvm tcg", rs->accel ?: "(none)");
	if (!symbol_name(rs->func))
		REFUSE("func '%.64s': a kernel function name (letters, digits, _ and .)",
		       rs->func ?: "(none)");
	if (!rs->matrix || !rs->matrix[0])
		REFUSE("matrix: missing");
	if (!one_of(rs->estimator, estimators))
		REFUSE("estimator '%.64s': valid: robust mean", rs->estimator ?: "(none)");
	/* The clock is chosen, never changed behind the user's back (ACCEL=auto included). */
	if (!strcmp(rs->clock, "instructions") &&
	    (strcmp(rs->target, "guest") || !strcmp(rs->accel, "kvm")))
		REFUSE("CLOCK=instructions needs the guest under TCG (TARGET=guest, ACCEL=tcg or "
		       "auto), not TARGET=%s ACCEL=%s",
		       rs->target, rs->accel);
	return 0;
}

struct run_settings run_settings_defaults(void)
{
	return (struct run_settings){
		.matrix = "all",
		.n = 10,
		.duration = 10,
		.target = "guest",
		.workload = "iperf",
		.clock = "real",
		.topology = "tap",
		.accel = "auto",
		.vcpus = 2,
		.mem_mb = 512,
		.func = "udp_recvmsg",
		.spin_ns = 1000,
		.check_s = 2,
		.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32),
		.max_n = 1000,
		.pin = true,
		.bind = true,
		.redo_limit = DISTURB_REDO_DEFAULT,
		.disturb_cpu = DISTURB_CPU_DEFAULT,
		.estimator = "robust",
	};
}

bool disturb_cpu_ok(double v)
{
	return isfinite(v) && v > 0 && v <= 1024;
}

static int check_numbers(const struct run_settings *rs, char *err, size_t errlen)
{
	if (rs->n < RS_N_MIN || rs->n > RS_N_MAX)
		REFUSE("N %d: %d to %d samples per configuration", rs->n, RS_N_MIN, RS_N_MAX);
	if (!(rs->duration >= RS_DURATION_MIN && rs->duration <= RS_DURATION_MAX))
		REFUSE("duration %g: seconds, %g to %g", rs->duration, RS_DURATION_MIN,
		       RS_DURATION_MAX);
	if (!(rs->check_s >= RS_CHECK_MIN && rs->check_s <= RS_CHECK_MAX))
		REFUSE("hit check %g: seconds, %g to %g", rs->check_s, RS_CHECK_MIN, RS_CHECK_MAX);
	if (rs->spin_ns < 0 || rs->spin_ns > RS_SPIN_NS_MAX)
		REFUSE("spin_ns %ld: 0 to %ld", rs->spin_ns, RS_SPIN_NS_MAX);
	if (rs->vcpus < 1 || rs->vcpus > RS_VCPUS_MAX)
		REFUSE("vcpus %d: 1 to %d", rs->vcpus, RS_VCPUS_MAX);
	if (rs->mem_mb < RS_MEM_MIN || rs->mem_mb > RS_MEM_MAX)
		REFUSE("mem %d: %d to %d (MB)", rs->mem_mb, RS_MEM_MIN, RS_MEM_MAX);
	if (!(rs->precision >= 0 && rs->precision <= RS_PRECISION_MAX))
		REFUSE("precision %g: a percentage above 0, at most %g", rs->precision,
		       RS_PRECISION_MAX);
	if (!(rs->budget_min >= 0 && rs->budget_min <= RS_BUDGET_MAX))
		REFUSE("budget %g: minutes above 0, at most %g", rs->budget_min, RS_BUDGET_MAX);
	/* Mann-Whitney gives no 95% interval below 4 against 4 (3 vs 4: P(U = 0) = 1/35). */
	if (rs->precision > 0 &&
	    (rs->n < (strcmp(rs->estimator, "mean") ? 4 : 2) || rs->max_n < rs->n ||
	     rs->max_n < RS_MAX_N_MIN || rs->max_n > RS_N_MAX))
		REFUSE("precision needs N >= 4 with the robust estimator (its 95%% CI needs 4 "
		       "samples a side), N >= 2 with --estimator mean, and N <= max-n <= %d; got "
		       "N=%d, max-n=%d",
		       RS_N_MAX, rs->n, rs->max_n);
	if (rs->redo_limit < 0 || rs->redo_limit > RS_REDO_MAX)
		REFUSE("redo %d: 0 to %d redos per row", rs->redo_limit, RS_REDO_MAX);
	if (!isnan(rs->disturb_cpu) && !disturb_cpu_ok(rs->disturb_cpu))
		REFUSE("disturb-cpu %g: CPUs above 0, at most 1024, or off", rs->disturb_cpu);
	return 0;
}

int run_settings_check(const struct run_settings *rs, char *err, size_t errlen)
{
	const struct workload_ops *w;
	int i;

	if (check_names(rs, err, errlen) || check_numbers(rs, err, errlen))
		return -1;
	w = workload_find(rs->workload);
	for (i = 0; i < WORKLOAD_MAX_ARGS && w->args[i].name; i++)
		if (!rs->values[i])
			REFUSE("workload %s: argument %s missing", w->name, w->args[i].name);
	/* The workload knows its own timeouts: it refuses a duration that would overrun them. */
	return w->validate ? w->validate(rs->values, rs->duration, err, errlen) : 0;
}

static bool is_known_cost(const struct config *c, const char *name)
{
	struct known_cost kc;
	char err[BPFCOST_ERRLEN];

	return known_cost_of(NULL, c->probe, &kc, err, sizeof(err)) == 1 &&
	       !strcmp(kc.setting, name);
}

int row_settings_check(const struct config *c, char *err, size_t errlen)
{
	int k;

	for (k = 0; k < c->n_settings; k++) {
		const struct config_setting *set = &c->settings[k];

		/* A known-cost control's cost has the bound --spin-ns has. */
		if (set->value > (unsigned long long)RS_SPIN_NS_MAX && is_known_cost(c, set->name))
			REFUSE("configuration '%s': spin_ns %llu: 0 to %ld", c->name, set->value,
			       RS_SPIN_NS_MAX);
		if (bpfcost_check_setting(NULL, c->probe, set->name, set->value, err, errlen)) {
			char why[256];

			snprintf(why, sizeof(why), "%s", err);
			REFUSE("configuration '%s': %s", c->name, why);
		}
	}
	return 0;
}

int json_exact_int(const cJSON *obj, const char *key, long long min, long long max, long long *out,
		   char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;

	/* Compared as doubles first: converting 1e300 to an integer is undefined. */
	if (!cJSON_IsNumber(v))
		REFUSE("%s: missing or not a number", key);
	if (!(d >= (double)min && d <= (double)max) || d != floor(d))
		REFUSE("%s: %.17g is not an integer from %lld to %lld", key, d, min, max);
	*out = (long long)d;
	if (*out < min || *out > max)
		REFUSE("%s: %lld is not from %lld to %lld", key, *out, min, max);
	return 0;
}

int json_finite(const cJSON *obj, const char *key, double *out, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		REFUSE("%s: missing or not a finite number", key);
	*out = v->valuedouble;
	return 0;
}
