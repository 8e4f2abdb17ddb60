/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfcost-run's options, each declared once in option_table[]: its long and
 * short name, the make variable it comes from, its default, its help, and the
 * check of its value. The same checks judge the command line and a resumed
 * manifest (run_settings_check); --help and `make help` are generated from
 * the table and the registered targets' and workloads' declared arguments.
 */
#ifndef BPFCOST_OPTIONS_H
#define BPFCOST_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "manifest.h"

#define OPT_MAX_SETS 32 /* --arg and --target-arg given, each */

/* Everything the command line says: the run's settings and what to do with them. */
struct run_options {
	struct run_settings rs;
	const char *results_root; /* --results */
	const char *folder;	  /* --folder DIR: this results folder, not results/<time>-... */
	const char *resume;	  /* --resume DIR */
	const char *percall;	  /* --percall DIR */
	bool report;		  /* run bpfcost-report at the end */
	bool help, make_help;
	const char *arg_sets[OPT_MAX_SETS]; /* NAME=VALUE for the workload, in order */
	int n_arg_sets;
	const char *target_sets[OPT_MAX_SETS]; /* NAME=VALUE for the target, in order */
	int n_target_sets;
};

enum option_kind {
	OPT_STRING, /* the value as given */
	OPT_INT,
	OPT_LONG,
	OPT_DOUBLE,
	OPT_POSITIVE, /* a number above 0 (0 in a manifest: off) */
	OPT_ON_OFF,
	OPT_SEED,
	OPT_FLAG,   /* no value */
	OPT_CUSTOM, /* ->parse */
	OPT_SETS,   /* ->parse, NAME=VALUE given again and again; make: VAR="NAME=VALUE ..." */
	OPT_MAKE,   /* a make variable only: no option of its own */
};

struct option_def {
	const char *name;     /* --name; NULL for OPT_MAKE */
	int short_name;	      /* -x, or 0 */
	const char *make_var; /* make experiment NAME=...; NULL: none */
	const char *metavar;  /* what the value is, in --help */
	const char *dflt;     /* the default, parsed like a given value; NULL: none */
	const char *help;
	const char *what;  /* in "bad <what> '<value>'": defaults to the name */
	const char *valid; /* what is valid, for a refused value */
	enum option_kind kind;
	size_t offset; /* of the field in struct run_options (not OPT_CUSTOM, OPT_MAKE) */
	int (*parse)(struct run_options *o, const char *value);
	/* The bound on the field, for the command line and a resumed manifest alike. */
	int (*check)(const struct run_settings *rs, char *err, size_t errlen);
};

/* Ends with an entry without name and make variable. */
extern const struct option_def option_table[];

/* The defaults of every option, then @argv. 0, or BPFCOST_EXIT_USAGE said on stderr. */
int options_parse(struct run_options *o, int argc, char **argv);
/* The workload's and target's declared arguments: defaults, then each NAME=VALUE given. */
int options_apply_sets(struct run_options *o, char *err, size_t errlen);

/* The target's declared arguments: each given, each accepted by its validate(). */
int target_args_check(const struct target_ops *t, const char *const *values, char *err,
		      size_t errlen);

void options_usage(FILE *f);
/* The make variables, for `make help`. */
void options_make_help(FILE *f);

#endif /* BPFCOST_OPTIONS_H */
