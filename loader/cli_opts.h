/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small program's options, declared once in one string instead of a
 * struct option table plus a getopt short-option string that must agree.
 * Each blank-separated word is one option:
 *
 *   "name|k"   --name and -k, cli_getopt() returns 'k'
 *   "name/K"   --name only, returns 'K' (which is not accepted as -K)
 *   "...:"     a trailing ':' when the option takes a value (in optarg)
 *
 * e.g. "calls|n: cpu|c: ref|r help|h no-plots/P".
 */
#ifndef BPFCOST_CLI_OPTS_H
#define BPFCOST_CLI_OPTS_H

#include <stdbool.h>

/*
 * getopt_long() over @spec: the next option's letter (optarg its value), '?'
 * for an unknown option or a missing value, -1 after the last. A malformed
 * @spec is the program's own bug: reported, and the program exits.
 */
int cli_getopt(int argc, char *const argv[], const char *spec);

/* @s as a whole integer within [@min, @max], in *@out; false leaves *@out untouched. */
bool cli_long(const char *s, long min, long max, long *out);

#endif /* BPFCOST_CLI_OPTS_H */
