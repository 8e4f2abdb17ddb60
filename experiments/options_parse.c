// SPDX-License-Identifier: GPL-2.0
/* The command line read through option_table[]: defaults, values, declared arguments. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loader/bpfcost.h"
#include "options.h"
#include "run_settings.h"

static int parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

static int parse_double(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return end == s || *end ? -1 : 0;
}

/* @value into its field, by kind: the syntax only (the bounds are the option's check). */
static int set_value(const struct option_def *d, struct run_options *o, const char *value)
{
	char *field = (char *)o + d->offset, *end;
	long l;
	double v;

	switch (d->kind) {
	case OPT_STRING:
		*(const char **)field = value;
		return 0;
	case OPT_INT:
		if (parse_long(value, &l) || l < INT_MIN || l > INT_MAX)
			return -1;
		*(int *)field = (int)l;
		return 0;
	case OPT_LONG:
		return parse_long(value, (long *)field);
	case OPT_DOUBLE:
		return parse_double(value, (double *)field);
	case OPT_POSITIVE:
		if (parse_double(value, &v) || !(v > 0))
			return -1;
		*(double *)field = v;
		return 0;
	case OPT_ON_OFF:
		if (strcmp(value, "on") && strcmp(value, "off"))
			return -1;
		*(bool *)field = !strcmp(value, "on");
		return 0;
	case OPT_SEED:
		errno = 0;
		*(uint64_t *)field = strtoull(value, &end, 0);
		return errno || *end || end == value ? -1 : 0;
	case OPT_CUSTOM:
	case OPT_SETS:
		return d->parse(o, value);
	case OPT_FLAG:
	case OPT_MAKE:
		break;
	}
	return -1;
}

static struct run_options defaults(void)
{
	struct run_options o = { .report = true };
	const struct option_def *d;

	for (d = option_table; d->name || d->make_var; d++)
		if (d->dflt)
			set_value(d, &o, d->dflt);
	o.rs.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return o;
}

struct run_settings run_settings_defaults(void)
{
	return defaults().rs;
}

static int refuse(const struct option_def *d, const char *value, const char *why)
{
	if (why[0] && !d->valid) /* the check's own words name what is valid */
		fprintf(stderr, "bpfcost-run: bad %s\n", why);
	else
		fprintf(stderr, "bpfcost-run: bad %s '%s'; valid: %s\n", d->what ?: d->name, value,
			d->valid ?: "");
	return BPFCOST_EXIT_USAGE;
}

static int one_option(const struct option_def *d, struct run_options *o, const char *value)
{
	char err[BPFCOST_ERRLEN] = "";

	if (d->kind == OPT_FLAG) {
		if (!strcmp(d->name, "help"))
			o->help = true;
		else if (!strcmp(d->name, "make-help"))
			o->make_help = true;
		else if (!strcmp(d->name, "no-report"))
			o->report = false;
		return 0;
	}
	if (set_value(d, o, value))
		return refuse(d, value, "");
	if (d->check && d->check(&o->rs, err, sizeof(err)))
		return refuse(d, value, err);
	return 0;
}

int options_parse(struct run_options *o, int argc, char **argv)
{
	struct option longs[64];
	char shorts[64] = "";
	const struct option_def *d;
	int n = 0, c, idx;

	*o = defaults();
	for (d = option_table; d->name || d->make_var; d++) {
		if (!d->name)
			continue;
		longs[n++] = (struct option){ d->name,
					      d->kind == OPT_FLAG ? no_argument : required_argument,
					      NULL, 256 + (int)(d - option_table) };
		if (d->short_name)
			snprintf(shorts + strlen(shorts), sizeof(shorts) - strlen(shorts), "%c%s",
				 d->short_name, d->kind == OPT_FLAG ? "" : ":");
	}
	longs[n] = (struct option){ 0 };
	optind = 0; /* glibc: start over (tests parse more than once) */
	while ((c = getopt_long(argc, argv, shorts, longs, &idx)) != -1) {
		if (c == '?' || c == ':') {
			options_usage(stderr);
			return BPFCOST_EXIT_USAGE;
		}
		if (c < 256) /* a short name: its entry */
			for (d = option_table; d->short_name != c; d++)
				;
		else
			d = &option_table[c - 256];
		if (one_option(d, o, optarg))
			return BPFCOST_EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "bpfcost-run: unexpected argument '%s'\n", argv[optind]);
		return BPFCOST_EXIT_USAGE;
	}
	return 0;
}

/* NAME=VALUE pairs over the declared defaults; -1 with @err naming a stranger and @valid. */
static int apply(const char *what, const char *owner, const char *valid, const char *const *sets,
		 int n, int (*index)(const void *ops, const char *name), const void *ops,
		 const char **values, char *err, size_t errlen)
{
	char name[64];
	int i, k;

	for (k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(sets[k], "="), sets[k]);
		i = index(ops, name);
		if (i < 0) {
			snprintf(err, errlen, "%s %s has no argument '%s'; valid:%s", what, owner,
				 name, valid[0] ? valid : " none");
			return -1;
		}
		values[i] = strchr(sets[k], '=') + 1;
	}
	return 0;
}

static int workload_index(const void *w, const char *name)
{
	return workload_arg_index(w, name);
}

static int target_index(const void *t, const char *name)
{
	return target_arg_index(t, name);
}

int options_apply_sets(struct run_options *o, char *err, size_t errlen)
{
	const struct workload_ops *w = workload_find(o->rs.workload);
	const struct target_ops *t = target_find(o->rs.target);
	char wvalid[256] = "", tvalid[256] = "";
	int i;

	if (!w || !t)
		return 0; /* run_settings_check names them */
	/* DURATION and N not given (0 is refused as a value): the workload's own. */
	if (!o->rs.duration)
		o->rs.duration = w->default_duration;
	if (!o->rs.n)
		o->rs.n = workload_default_n(w, o->rs.clock);
	if (!o->rs.vcpus)
		o->rs.vcpus = w->default_vcpus ? w->default_vcpus : RS_VCPUS_DEFAULT;
	for (i = 0; i < WORKLOAD_MAX_ARGS && w->args[i].name; i++) {
		o->rs.values[i] = w->args[i].dflt;
		snprintf(wvalid + strlen(wvalid), sizeof(wvalid) - strlen(wvalid), " %s",
			 w->args[i].name);
	}
	for (i = 0; i < TARGET_MAX_ARGS && t->args[i].name; i++) {
		o->rs.target_values[i] = t->args[i].dflt;
		snprintf(tvalid + strlen(tvalid), sizeof(tvalid) - strlen(tvalid), " %s",
			 t->args[i].name);
	}
	if (apply("workload", w->name, wvalid, o->arg_sets, o->n_arg_sets, workload_index, w,
		  o->rs.values, err, errlen))
		return -1;
	return apply("target", t->name, tvalid, o->target_sets, o->n_target_sets, target_index, t,
		     o->rs.target_values, err, errlen);
}
