/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPERF_ARGS read the way iperf3 reads them (getopt_long): short options
 * clustered (-uR) or with attached values (-t100), long ones abbreviated
 * (--ti) with '=' or a separate value. Only options that shape the offered
 * load are allowed; anything else iperf3 would take is refused by name.
 */
#ifndef BPFCOST_IPERF_ARGS_H
#define BPFCOST_IPERF_ARGS_H

#include <stdbool.h>
#include <stddef.h>

enum iperf_arg_kind { IPERF_NO_ARG, IPERF_REQUIRED_ARG, IPERF_OPTIONAL_ARG };

struct iperf_opt {
	const char *name; /* long name */
	char short_name;  /* 0: long only */
	enum iperf_arg_kind arg;
	bool allowed; /* ours to pass through: shapes the load, reads or writes no file */
	/* The value's shape, for allowed options with one: 0 or -1. */
	int (*check)(const char *value);
};

/* Where one option was found: word @word (and its value in @value_word when separate). */
struct iperf_arg_use {
	const struct iperf_opt *opt;
	const char *value; /* NULL if none */
	int word, value_word;
	int pos; /* short options: offset of the letter in its word (clusters) */
};

/*
 * Calls @fn for each option of @args (words split at blanks) in order; stops at
 * the first refusal: not an option, unknown, ambiguous, a missing or unwanted
 * value, or an option not allowed. 0, or -1 with @err naming the word.
 */
int iperf_args_each(const char *args, int (*fn)(const struct iperf_arg_use *u, void *arg),
		    void *arg, char *err, size_t errlen);

/* @args as IPERF_ARGS: every option allowed and its value well-formed. */
int iperf_args_check(const char *args, char *err, size_t errlen);

#endif /* BPFCOST_IPERF_ARGS_H */
