// SPDX-License-Identifier: GPL-2.0
/* The option table and the one check of run settings built on it. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "analysis/run.h"
#include "disturbance.h"
#include "options.h"
#include "run_settings.h"

#define REFUSE(...)                                                                                \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return -1;                                                                         \
	} while (0)

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

static int check_matrix(const struct run_settings *rs, char *err, size_t errlen)
{
	if (!rs->matrix || !rs->matrix[0])
		REFUSE("matrix: missing");
	return 0;
}

/*
 * check_<name>(): @field within [@lo, @hi] (a NaN is outside), or refused with
 * the message @fmt, whose first value is the field's, then the rest.
 */
#define CHECK_RANGE(name, field, lo, hi, fmt, ...)                                                 \
	static int check_##name(const struct run_settings *rs, char *err, size_t errlen)           \
	{                                                                                          \
		if (!(rs->field >= (lo) && rs->field <= (hi)))                                     \
			REFUSE(fmt, rs->field, __VA_ARGS__);                                       \
		return 0;                                                                          \
	}
CHECK_RANGE(n, n, RS_N_MIN, RS_N_MAX, "N %d: %d to %d samples per configuration", RS_N_MIN,
	    RS_N_MAX)
CHECK_RANGE(duration, duration, RS_DURATION_MIN, RS_DURATION_MAX, "duration %g: seconds, %g to %g",
	    RS_DURATION_MIN, RS_DURATION_MAX)
CHECK_RANGE(check_s, check_s, RS_CHECK_MIN, RS_CHECK_MAX, "hit check %g: seconds, %g to %g",
	    RS_CHECK_MIN, RS_CHECK_MAX)
CHECK_RANGE(spin_ns, spin_ns, 0, RS_SPIN_NS_MAX, "spin_ns %ld: 0 to %ld", RS_SPIN_NS_MAX)
CHECK_RANGE(vcpus, vcpus, 1, RS_VCPUS_MAX, "vcpus %d: 1 to %d", RS_VCPUS_MAX)
CHECK_RANGE(mem, mem_mb, RS_MEM_MIN, RS_MEM_MAX, "mem %d: %d to %d (MB)", RS_MEM_MIN, RS_MEM_MAX)
CHECK_RANGE(budget, budget_min, 0, RS_BUDGET_MAX, "budget %g: minutes above 0, at most %g",
	    RS_BUDGET_MAX)
CHECK_RANGE(max_n, max_n, RS_MAX_N_MIN, RS_N_MAX, "max-n %d: %d to %d", RS_MAX_N_MIN, RS_N_MAX)
CHECK_RANGE(redo, redo_limit, 0, RS_REDO_MAX, "redo %d: 0 to %d redos per row", RS_REDO_MAX)

/* @name is one a registry knows (@known), or the refusal lists the ones it does. */
static int check_registered(const char *what, const char *name, bool known,
			    void (*names)(char *buf, size_t len), char *err, size_t errlen)
{
	char valid[256];

	if (name && known)
		return 0;
	names(valid, sizeof(valid));
	REFUSE("%s '%.64s': valid:%s", what, name ?: "(none)", valid);
}

static int check_target(const struct run_settings *rs, char *err, size_t errlen)
{
	return check_registered("target", rs->target, target_find(rs->target), target_names, err,
				errlen);
}

static int check_workload(const struct run_settings *rs, char *err, size_t errlen)
{
	return check_registered("workload", rs->workload, workload_find(rs->workload),
				workload_names, err, errlen);
}

#define CHECK_ONE_OF(field, label, ...)                                                            \
	static int check_##field(const struct run_settings *rs, char *err, size_t errlen)          \
	{                                                                                          \
		static const char *const valid[] = { __VA_ARGS__, NULL };                          \
		char list[128] = "";                                                               \
		int i;                                                                             \
                                                                                                   \
		if (one_of(rs->field, valid))                                                      \
			return 0;                                                                  \
		for (i = 0; valid[i]; i++)                                                         \
			snprintf(list + strlen(list), sizeof(list) - strlen(list), " %s",          \
				 valid[i]);                                                        \
		REFUSE(label " '%.64s': valid:%s", rs->field ?: "(none)", list);                   \
	}
CHECK_ONE_OF(clock, "clock", "real", "instructions")
CHECK_ONE_OF(topology, "topology", "user", "tap")
CHECK_ONE_OF(accel, "accel", "auto", "kvm", "tcg")
CHECK_ONE_OF(estimator, "estimator", "robust", "mean")

static int check_func(const struct run_settings *rs, char *err, size_t errlen)
{
	if (!symbol_name(rs->func))
		REFUSE("func '%.64s': a kernel function name (letters, digits, _ and .)",
		       rs->func ?: "(none)");
	return 0;
}

bool disturb_cpu_ok(double v)
{
	return isfinite(v) && v > 0 && v <= 1024;
}

static int check_disturb_cpu(const struct run_settings *rs, char *err, size_t errlen)
{
	if (!isnan(rs->disturb_cpu) && !disturb_cpu_ok(rs->disturb_cpu))
		REFUSE("disturb-cpu %g: CPUs above 0, at most 1024, or off", rs->disturb_cpu);
	return 0;
}

#define F(field) offsetof(struct run_options, field)
#define STR_(x)	 #x
#define STR(x)	 STR_(x)

static int add_set(const char **sets, int *n, const char *value)
{
	if (*n == OPT_MAX_SETS || !strchr(value, '='))
		return -1;
	sets[(*n)++] = value;
	return 0;
}

static int parse_arg(struct run_options *o, const char *v)
{
	return add_set(o->arg_sets, &o->n_arg_sets, v);
}

static int parse_target_arg(struct run_options *o, const char *v)
{
	return add_set(o->target_sets, &o->n_target_sets, v);
}

/* "warmup=" + value, kept for the life of the process (at most OPT_MAX_SETS of them). */
static int prefixed(struct run_options *o, const char *prefix, const char *value)
{
	static char store[OPT_MAX_SETS][512];
	static int used;

	if (used == OPT_MAX_SETS)
		return -1;
	snprintf(store[used], sizeof(store[0]), "%s%s", prefix, value);
	return parse_arg(o, store[used++]);
}

static int parse_warmup(struct run_options *o, const char *v)
{
	if (!v[0] || strspn(v, "0123456789") != strlen(v) || strlen(v) > 4)
		return -1;
	return prefixed(o, "warmup=", v);
}

static int parse_iperf_args(struct run_options *o, const char *v)
{
	return prefixed(o, "iperf_args=", v);
}

/* PRECISION=5% (a bare 5 too), 2ns, 1insn: the unit is judged with the metric (check_declared). */
static int parse_precision(struct run_options *o, const char *v)
{
	if (precision_split(v, &o->rs.precision, &o->rs.precision_unit) || !(o->rs.precision > 0))
		return -1;
	return 0;
}

/* 0 is off; a percentage at most RS_PRECISION_MAX, a unit's value at most PRECISION_ABS_MAX. */
static int check_precision(const struct run_settings *rs, char *err, size_t errlen)
{
	const char *unit = rs->precision_unit ?: "%";

	if (rs->precision == 0 || precision_value_ok(rs->precision, unit))
		return 0;
	if (!strcmp(unit, "%"))
		REFUSE("precision %g%%: a percentage above 0, at most %g", rs->precision,
		       RS_PRECISION_MAX);
	REFUSE("precision %g%.32s: above 0, at most %g", rs->precision, unit, PRECISION_ABS_MAX);
}

static int parse_disturb_cpu(struct run_options *o, const char *v)
{
	char *end;

	o->rs.disturb_cpu = strcmp(v, "off") ? strtod(v, &end) : NAN;
	return strcmp(v, "off") && (end == v || *end) ? -1 : 0;
}

const struct option_def option_table[] = {
	{ "matrix", 'm', "MATRIX", "M", "all",
	  "all, seed, quick, full, or a file with one configuration per line "
	  "(<attach>-<probe>[-stat], baseline)",
	  NULL, "a matrix name or file", OPT_STRING, F(rs.matrix), NULL, check_matrix },
	{ "samples", 'n', "N", "N", NULL,
	  "samples per configuration (default: the workload's, in Workloads below)",
	  "N (samples per configuration)", "an integer >= 1", OPT_INT, F(rs.n), NULL, check_n },
	{ "duration", 't', "DURATION", "S", NULL,
	  "seconds measured per sample (default: the workload's, in Workloads below)", NULL,
	  "seconds, 1 to 86400", OPT_DOUBLE, F(rs.duration), NULL, check_duration },
	{ "warmup", 'w', "WARMUP", "S", NULL,
	  "same as --arg warmup=S: seconds dropped at the start of each sample, iperf3 -O "
	  "(default 1)",
	  "warm-up", "whole seconds >= 0", OPT_CUSTOM, 0, parse_warmup, NULL },
	{ "target", 0, "TARGET", "T", "guest", "where the probed kernel runs (Targets, in --help)",
	  NULL, NULL, OPT_STRING, F(rs.target), NULL, check_target },
	{ "workload", 0, "WORKLOAD", "W", "iperf",
	  "what drives the probed path (Workloads, in --help)", NULL, NULL, OPT_STRING,
	  F(rs.workload), NULL, check_workload },
	{ "arg", 0, "ARGS", "NAME=VALUE", NULL,
	  "an argument the workload declares (Workloads, in --help)", "--arg",
	  "NAME=VALUE, at most 32 of them", OPT_SETS, 0, parse_arg, NULL },
	{ "target-arg", 0, "TARGET_ARGS", "NAME=VALUE", NULL,
	  "an argument the target declares (Targets, in --help)", "--target-arg",
	  "NAME=VALUE, at most 32 of them", OPT_SETS, 0, parse_target_arg, NULL },
	{ "iperf-args", 'i', "IPERF_ARGS", "A", NULL,
	  "same as --arg iperf_args=A (default \"-u -P 8 -b 1G -l 64\")", "--arg",
	  "at most 32 of them", OPT_CUSTOM, 0, parse_iperf_args, NULL },
	{ NULL, 0, "CALIBRATE", "MULTIPLE|off", NULL,
	  "same as --arg calibrate=...: offered load as a multiple of the capacity a ramp finds "
	  "(iperf: 1.2), or off for IPERF_ARGS' own -b",
	  NULL, NULL, OPT_MAKE, 0, NULL, NULL },
	{ "topology", 'T', "TOPOLOGY", "T", "tap",
	  "guest network: user (QEMU user networking) or tap", NULL, "user tap", OPT_STRING,
	  F(rs.topology), NULL, check_topology },
	{ "qemu", 0, NULL, "PATH", NULL, "QEMU binary (default qemu-system-x86_64)", NULL, NULL,
	  OPT_STRING, F(rs.qemu), NULL, NULL },
	{ "pin", 0, "PIN", "on|off", "on",
	  "guest: QEMU's vCPU threads and the iperf3 client on disjoint host CPUs when there "
	  "are enough",
	  NULL, "on off", OPT_ON_OFF, F(rs.pin), NULL, NULL },
	{ "bind", 0, "BIND", "on|off", "on",
	  "guest: NIC interrupts on vCPU 0, the iperf3 server on vCPU 1", NULL, "on off",
	  OPT_ON_OFF, F(rs.bind), NULL, NULL },
	{ "clock", 0, "CLOCK", "C", "real",
	  "real or instructions: the guest under TCG with -icount, one ns of guest time per "
	  "instruction",
	  NULL, "real instructions", OPT_STRING, F(rs.clock), NULL, check_clock },
	{ "seed", 's', "SEED", "N", NULL, "order seed (default: from the clock; recorded)", NULL,
	  "an unsigned integer", OPT_SEED, F(rs.seed), NULL, NULL },
	{ "accel", 'a', "ACCEL", "A", "auto", "auto, kvm or tcg (auto: KVM if it really works)",
	  "accelerator", "auto kvm tcg", OPT_STRING, F(rs.accel), NULL, check_accel },
	{ "vcpus", 0, "VCPUS", "N", NULL,
	  "guest vCPUs (default: the workload's, in Workloads below)", NULL, "1 to 64", OPT_INT,
	  F(rs.vcpus), NULL, check_vcpus },
	{ "mem", 0, NULL, "MB", "512", "guest memory", NULL, "128 to 65536 (MB)", OPT_INT,
	  F(rs.mem_mb), NULL, check_mem },
	{ "func", 'f', NULL, "F", "udp_recvmsg", "kernel function for kprobe/fentry types", NULL,
	  "a kernel function name", OPT_STRING, F(rs.func), NULL, check_func },
	{ "spin-ns", 0, NULL, "NS", "1000", "busy-wait of the spin control probe", NULL,
	  "0 to 100000000", OPT_LONG, F(rs.spin_ns), NULL, check_spin_ns },
	{ "check", 0, NULL, "S", "2", "seconds of the stats-on hit check per configuration", NULL,
	  "seconds, 1 to 600", OPT_DOUBLE, F(rs.check_s), NULL, check_check_s },
	{ "precision", 0, "PRECISION", "P", NULL,
	  "go on past N samples until each row's added cost against baseline has a 95% CI "
	  "within ±P (rows stop one by one; N is then the least per row): P% of the baseline "
	  "(a bare number is a percentage, as before units), or P in the metric's unit per "
	  "event: 2ns (trigger, CLOCK=real), 1insn (CLOCK=instructions), 0.5Mbit/s (iperf)",
	  NULL,
	  "a number above 0 and its unit: 5% (or 5) up to 1000%, or the metric's unit per event "
	  "(up to 1e12): 2ns, 1insn, 0.5Mbit/s",
	  OPT_CUSTOM, 0, parse_precision, check_precision },
	{ "max-n", 0, "MAX_N", "N", "1000", "with --precision: samples per row at most", NULL,
	  "an integer, 2 to 100000", OPT_INT, F(rs.max_n), NULL, check_max_n },
	{ "budget", 0, "BUDGET", "MIN", NULL,
	  "stop starting samples that would end after MIN minutes (counted from this start; "
	  "any run)",
	  NULL, "minutes above 0, at most 525600", OPT_POSITIVE, F(rs.budget_min), NULL,
	  check_budget },
	{ "results", 'o', NULL, "DIR", "results", "where results/<time>-<matrix>/ goes", NULL, NULL,
	  OPT_STRING, F(results_root), NULL, NULL },
	{ NULL, 0, "KERNELS", "LIST", NULL,
	  "the same matrix and seed on each kernel, one after the other (guest only): series "
	  "(6.1), versions (6.12.117+deb12), ranges A..B of one series, own builds "
	  "bzImage:modules; into results/<time>-<matrix>-kernels/<release>/ and a comparison "
	  "(bpfcost-sweep; RESUME= that folder continues it)",
	  NULL, NULL, OPT_MAKE, 0, NULL, NULL },
	{ "folder", 0, "FOLDER", "DIR", NULL,
	  "the results folder itself, created (it must not exist); results/latest stays (a "
	  "sweep names each of its runs so)",
	  NULL, NULL, OPT_STRING, F(folder), NULL, NULL },
	{ "resume", 'r', "RESUME", "DIR", NULL,
	  "continue an interrupted run; settings come from it", NULL, NULL, OPT_STRING, F(resume),
	  NULL, NULL },
	{ "no-report", 0, NULL, NULL, NULL, "do not run bpfcost-report at the end", NULL, NULL,
	  OPT_FLAG, 0, NULL, NULL },
	{ "redo", 0, "REDO", "N", STR(DISTURB_REDO_DEFAULT),
	  "redo a disturbed sample at the end of its block, up to N times per row over the run "
	  "(0: mark only)",
	  NULL, "0 to 100 redos per row (0: mark only)", OPT_INT, F(rs.redo_limit), NULL,
	  check_redo },
	{ "disturb-cpu", 0, "DISTURB_CPU", "C|off", STR(DISTURB_CPU_DEFAULT),
	  "a sample is disturbed when processes not ours used more than C CPUs above the usual "
	  "while it ran",
	  NULL, "CPUs above 0, at most 1024, or off", OPT_CUSTOM, 0, parse_disturb_cpu,
	  check_disturb_cpu },
	{ "estimator", 0, "ESTIMATOR", "E", "robust",
	  "robust (medians, Hodges-Lehmann, Mann-Whitney) or mean (means, Welch): what the "
	  "report's impacts use",
	  NULL, "robust mean", OPT_STRING, F(rs.estimator), NULL, check_estimator },
	{ "percall", 0, "PERCALL", "DIR", NULL,
	  "the report predicts each impact from this per-call (WORKLOAD=trigger) results folder",
	  NULL, NULL, OPT_STRING, F(percall), NULL, NULL },
	{ "make-help", 0, NULL, NULL, NULL, "the make variables, for make help", NULL, NULL,
	  OPT_FLAG, 0, NULL, NULL },
	{ "help", 'h', NULL, NULL, NULL, "this help", NULL, NULL, OPT_FLAG, 0, NULL, NULL },
	{ 0 },
};

/* The checks no single option owns: how settings combine, and the declared arguments. */
static int check_together(const struct run_settings *rs, char *err, size_t errlen)
{
	/* The clock is chosen, never changed behind the user's back (ACCEL=auto included). */
	if (!strcmp(rs->clock, "instructions") &&
	    (strcmp(rs->target, "guest") || !strcmp(rs->accel, "kvm")))
		REFUSE("CLOCK=instructions needs the guest under TCG (TARGET=guest, ACCEL=tcg or "
		       "auto), not TARGET=%s ACCEL=%s",
		       rs->target, rs->accel);
	/* Mann-Whitney gives no 95% interval below 4 against 4 (3 vs 4: P(U = 0) = 1/35). */
	if (rs->precision > 0 &&
	    (rs->n < (strcmp(rs->estimator, "mean") ? 4 : 2) || rs->max_n < rs->n ||
	     rs->max_n < RS_MAX_N_MIN || rs->max_n > RS_N_MAX))
		REFUSE("precision needs N >= 4 with the robust estimator (its 95%% CI needs 4 "
		       "samples a side), N >= 2 with --estimator mean, and N <= max-n <= %d; got "
		       "N=%d, max-n=%d",
		       RS_N_MAX, rs->n, rs->max_n);
	return 0;
}

int target_args_check(const struct target_ops *t, const char *const *values, char *err,
		      size_t errlen)
{
	char why[256];
	int i;

	for (i = 0; i < TARGET_MAX_ARGS && t->args[i].name; i++) {
		if (!values[i])
			REFUSE("target %s: argument %s missing", t->name, t->args[i].name);
		if (t->args[i].validate && t->args[i].validate(values[i], why, sizeof(why)))
			REFUSE("target %s: %s", t->name, why);
	}
	return 0;
}

/* PRECISION's unit is "%" or the metric's, as the manifest will record it (one place). */
static int check_precision_unit(const struct run_settings *rs, char *err, size_t errlen)
{
	char canon[PRECISION_UNIT_LEN], why[256];

	if (!(rs->precision > 0) ||
	    !precision_setting_unit(rs, canon, sizeof(canon), why, sizeof(why)))
		return 0;
	REFUSE("precision %g%.32s: %s", rs->precision, rs->precision_unit ?: "", why);
}

static int check_declared(const struct run_settings *rs, char *err, size_t errlen)
{
	const struct workload_ops *w = workload_find(rs->workload);
	int i;

	if (target_args_check(target_find(rs->target), rs->target_values, err, errlen))
		return -1;
	for (i = 0; i < WORKLOAD_MAX_ARGS && w->args[i].name; i++)
		if (!rs->values[i])
			REFUSE("workload %s: argument %s missing", w->name, w->args[i].name);
	if (w->real_clock_only && !strcmp(rs->clock, "instructions"))
		REFUSE("workload %s measures wall-clock time: CLOCK=instructions is refused "
		       "(CLOCK=real)",
		       w->name);
	/* The workload knows its own timeouts: it refuses a duration that would overrun them. */
	if (w->validate && w->validate(rs->values, rs->duration, rs->clock, err, errlen))
		return -1;
	return check_precision_unit(rs, err, errlen);
}

int run_settings_check(const struct run_settings *rs, char *err, size_t errlen)
{
	const struct option_def *d;

	/* Names before numbers: the checks of numbers may read names (the estimator). */
	for (d = option_table; d->name || d->make_var; d++)
		if (d->check && d->kind == OPT_STRING && d->check(rs, err, errlen))
			return -1;
	for (d = option_table; d->name || d->make_var; d++)
		if (d->check && d->kind != OPT_STRING && d->check != check_max_n &&
		    d->check(rs, err, errlen))
			return -1;
	return check_together(rs, err, errlen) || check_declared(rs, err, errlen) ? -1 : 0;
}
