// SPDX-License-Identifier: GPL-2.0
/* --help and make help, generated from option_table[] and the registries. */
#include <stdio.h>
#include <string.h>

#include "experiments/registry_walk.h"
#include "experiments/targets/target.h"
#include "experiments/workloads/workload.h"
#include "options.h"
#include "run_settings.h"

#define HELP_COLUMN 24
#define HELP_WIDTH  79

/* @text from column @col (the cursor is at @at), wrapped at words. */
static void wrapped(FILE *f, int at, int col, const char *text)
{
	const char *word = text;

	if (at >= col) {
		fputc('\n', f);
		at = 0;
	}
	fprintf(f, "%*s", col - at, "");
	at = col;
	while (*word) {
		int len = (int)strcspn(word, " ");

		if (at > col && at + 1 + len > HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", len, word);
		at += len;
		word += len;
		word += strspn(word, " ");
	}
	fputc('\n', f);
}

static void option_line(FILE *f, const struct option_def *d)
{
	char head[64], help[512];
	int at;

	if (d->short_name)
		at = snprintf(head, sizeof(head), "  -%c, --%s", d->short_name, d->name);
	else
		at = snprintf(head, sizeof(head), "      --%s", d->name);
	if (d->metavar)
		at += snprintf(head + at, sizeof(head) - at, " %s", d->metavar);
	snprintf(help, sizeof(help), "%s%s%s%s", d->help, d->dflt ? " (default " : "",
		 d->dflt ?: "", d->dflt ? ")" : "");
	fputs(head, f);
	wrapped(f, at, HELP_COLUMN, help);
}

/* A declared argument: "    name=default   help". */
static void arg_line(FILE *f, const char *name, const char *dflt, const char *help)
{
	char head[96];
	int at = snprintf(head, sizeof(head), "      %s=%s", name, dflt ? dflt : "");

	fputs(head, f);
	wrapped(f, at, HELP_COLUMN + 4, help ? help : "");
}

/* A target or a workload: its name, its summary, then one line per declared argument. */
static void registered(FILE *f, const char *name, const char *summary, const void *args,
		       size_t size, int n)
{
	const struct arg_head *a;
	int i;

	fprintf(f, "  %s", name);
	wrapped(f, 2 + (int)strlen(name), HELP_COLUMN, summary ?: "");
	for (i = 0; (a = registry_arg(args, size, n, i)); i++)
		arg_line(f, a->name, a->dflt, a->help);
}

void options_usage(FILE *f)
{
	const struct target_ops *const *t;
	const struct workload_ops *const *w;
	const struct option_def *d;

	fprintf(f, "Usage: bpfcost-run [options]\n"
		   "       bpfcost-run --resume results/<dir>\n\n");
	for (d = option_table; d->name || d->make_var; d++)
		if (d->name)
			option_line(f, d);
	fprintf(f, "\nTargets (--target; --target-arg NAME=VALUE):\n");
	for (t = target_list(); *t; t++)
		registered(f, (*t)->name, (*t)->summary, (*t)->args, sizeof((*t)->args[0]),
			   TARGET_MAX_ARGS);
	fprintf(f, "\nWorkloads (--workload; --arg NAME=VALUE):\n");
	for (w = workload_list(); *w; w++) {
		char dflt[160];

		registered(f, (*w)->name, (*w)->summary, (*w)->args, sizeof((*w)->args[0]),
			   WORKLOAD_MAX_ARGS);
		snprintf(dflt, sizeof(dflt),
			 "(--duration default: %g s, --samples default: %d, %d under --clock "
			 "instructions; --vcpus default: %d)",
			 (*w)->default_duration, workload_default_n(*w, "real"),
			 workload_default_n(*w, "instructions"),
			 (*w)->default_vcpus ? (*w)->default_vcpus : RS_VCPUS_DEFAULT);
		wrapped(f, 0, 6, dflt);
	}
	fprintf(f, "\nExit: 0 done, 1 failure (records kept; --resume continues), 2 bad input,\n"
		   "130 interrupted (records kept; --resume continues).\n");
}

/* Under TARGET_ARGS: what each target declares, so make help lists every setting. */
static void target_args_make_help(FILE *f)
{
	const struct target_ops *const *t;
	char head[96];
	int i, at;

	for (t = target_list(); *t; t++)
		for (i = 0; i < TARGET_MAX_ARGS && (*t)->args[i].name; i++) {
			at = snprintf(head, sizeof(head), "      TARGET=%s: %s=%s", (*t)->name,
				      (*t)->args[i].name, (*t)->args[i].dflt ?: "");
			fputs(head, f);
			wrapped(f, at, 30, (*t)->args[i].help ?: "");
		}
}

/* Under N, DURATION and VCPUS: each workload's default, what they are when not given. */
static void workload_default_make_help(FILE *f, const char *var)
{
	const struct workload_ops *const *w;
	bool n = !strcmp(var, "N");

	for (w = workload_list(); *w; w++)
		if (!strcmp(var, "VCPUS"))
			fprintf(f, "      WORKLOAD=%s: %d\n", (*w)->name,
				(*w)->default_vcpus ? (*w)->default_vcpus : RS_VCPUS_DEFAULT);
		else if (n)
			fprintf(f, "      WORKLOAD=%s: %d (CLOCK=instructions: %d)\n", (*w)->name,
				workload_default_n(*w, "real"),
				workload_default_n(*w, "instructions"));
		else
			fprintf(f, "      WORKLOAD=%s: %g s\n", (*w)->name, (*w)->default_duration);
}

void options_make_help(FILE *f)
{
	const struct option_def *d;
	char head[96];
	int at;

	fprintf(f, "  experiment settings (make experiment NAME=value ...; bpfcost-run --help):\n");
	for (d = option_table; d->name || d->make_var; d++) {
		if (!d->make_var)
			continue;
		if (d->kind == OPT_SETS)
			at = snprintf(head, sizeof(head), "    %s=\"%s ...\"", d->make_var,
				      d->metavar);
		else
			at = snprintf(head, sizeof(head), "    %s=%s", d->make_var,
				      d->dflt ? d->dflt : d->metavar);
		fputs(head, f);
		wrapped(f, at, 30, d->help);
		if (!strcmp(d->make_var, "TARGET_ARGS"))
			target_args_make_help(f);
		if (!strcmp(d->make_var, "DURATION") || !strcmp(d->make_var, "N") ||
		    !strcmp(d->make_var, "VCPUS"))
			workload_default_make_help(f, d->make_var);
	}
}
