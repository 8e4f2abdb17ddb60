// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iperf_run.h"
#include "iperf_args.h"

/* A count: 0 or more, decimal, octal or hex as iperf3's strtol(…, 0) reads it. */
static int integer(const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 0);
	return !errno && end != v && !*end && n >= 0 && n <= 0xfffff ? 0 : -1;
}

static int streams(const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	return !errno && end != v && !*end && n >= 1 && n <= 128 ? 0
								 : -1; /* iperf3's MAX_STREAMS */
}

/* #[KMGT] as iperf3's unit_atof reads it, with @slash: an optional /# (burst, interval). */
static int amount(const char *v, bool slash)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || !isfinite(d) || d < 0 || *v == '+' || *v == '-' || *v == ' ')
		return -1;
	if (*end && strchr("kKmMgGtT", *end))
		end++;
	if (slash && *end == '/')
		return integer(end + 1);
	return *end ? -1 : 0;
}

static int rate(const char *v)
{
	return amount(v, true);
}

static int size(const char *v)
{
	return amount(v, false);
}

static int algorithm(const char *v)
{
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	return n && n < 16 && !v[n] ? 0 : -1;
}

/* iperf3 3.12's options (iperf_api.c); an option missing here is refused as unknown. */
static const struct iperf_opt opts[] = {
	/* The offered load: ours to pass through. */
	{ "udp", 'u', IPERF_NO_ARG, true, NULL },
	{ "bitrate", 'b', IPERF_REQUIRED_ARG, true, rate },
	{ "bandwidth", 'b', IPERF_REQUIRED_ARG, true, rate },
	{ "length", 'l', IPERF_REQUIRED_ARG, true, size },
	{ "parallel", 'P', IPERF_REQUIRED_ARG, true, streams },
	{ "window", 'w', IPERF_REQUIRED_ARG, true, size },
	{ "set-mss", 'M', IPERF_REQUIRED_ARG, true, integer },
	{ "no-delay", 'N', IPERF_NO_ARG, true, NULL },
	{ "version4", '4', IPERF_NO_ARG, true, NULL },
	{ "version6", '6', IPERF_NO_ARG, true, NULL },
	{ "tos", 'S', IPERF_REQUIRED_ARG, true, integer },
	{ "dscp", 0, IPERF_REQUIRED_ARG, true, integer },
	{ "flowlabel", 'L', IPERF_REQUIRED_ARG, true, integer },
	{ "zerocopy", 'Z', IPERF_NO_ARG, true, NULL },
	{ "congestion", 'C', IPERF_REQUIRED_ARG, true, algorithm },
	{ "linux-congestion", 0, IPERF_REQUIRED_ARG, true, algorithm },
	{ "pacing-timer", 0, IPERF_REQUIRED_ARG, true, size },
	{ "fq-rate", 0, IPERF_REQUIRED_ARG, true, rate },
	{ "repeating-payload", 0, IPERF_NO_ARG, true, NULL },
	{ "udp-counters-64bit", 0, IPERF_NO_ARG, true, NULL },
	{ "dont-fragment", 0, IPERF_NO_ARG, true, NULL },
	/* Set by bpfcost, or change what is measured, or read or write files: refused. */
	{ "port", 'p', IPERF_REQUIRED_ARG, false, NULL },
	{ "format", 'f', IPERF_REQUIRED_ARG, false, NULL },
	{ "interval", 'i', IPERF_REQUIRED_ARG, false, NULL },
	{ "daemon", 'D', IPERF_NO_ARG, false, NULL },
	{ "one-off", '1', IPERF_NO_ARG, false, NULL },
	{ "verbose", 'V', IPERF_NO_ARG, false, NULL },
	{ "json", 'J', IPERF_NO_ARG, false, NULL },
	{ "version", 'v', IPERF_NO_ARG, false, NULL },
	{ "server", 's', IPERF_NO_ARG, false, NULL },
	{ "client", 'c', IPERF_REQUIRED_ARG, false, NULL },
	{ "time", 't', IPERF_REQUIRED_ARG, false, NULL },
	{ "bytes", 'n', IPERF_REQUIRED_ARG, false, NULL },
	{ "blockcount", 'k', IPERF_REQUIRED_ARG, false, NULL },
	{ "reverse", 'R', IPERF_NO_ARG, false, NULL },
	{ "bidir", 0, IPERF_NO_ARG, false, NULL },
	{ "bind", 'B', IPERF_REQUIRED_ARG, false, NULL },
	{ "bind-dev", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "cport", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "omit", 'O', IPERF_REQUIRED_ARG, false, NULL },
	{ "file", 'F', IPERF_REQUIRED_ARG, false, NULL },
	{ "affinity", 'A', IPERF_REQUIRED_ARG, false, NULL },
	{ "title", 'T', IPERF_REQUIRED_ARG, false, NULL },
	{ "extra-data", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "get-server-output", 0, IPERF_NO_ARG, false, NULL },
	{ "server-bitrate-limit", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "no-fq-socket-pacing", 0, IPERF_NO_ARG, false, NULL },
	{ "username", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "rsa-public-key-path", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "rsa-private-key-path", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "authorized-users-path", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "time-skew-threshold", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "use-pkcs1-padding", 0, IPERF_NO_ARG, false, NULL },
	{ "connect-timeout", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "idle-timeout", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "rcv-timeout", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "snd-timeout", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "logfile", 0, IPERF_REQUIRED_ARG, false, NULL },
	{ "forceflush", 0, IPERF_NO_ARG, false, NULL },
	{ "timestamps", 0, IPERF_OPTIONAL_ARG, false, NULL },
	{ "pidfile", 'I', IPERF_REQUIRED_ARG, false, NULL },
	{ "debug", 'd', IPERF_OPTIONAL_ARG, false, NULL },
	{ "help", 'h', IPERF_NO_ARG, false, NULL },
	{ "sctp", 0, IPERF_NO_ARG, false, NULL },
	{ "xbind", 'X', IPERF_REQUIRED_ARG, false, NULL },
	{ "nstreams", 0, IPERF_REQUIRED_ARG, false, NULL },
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static const struct iperf_opt *by_short(char c)
{
	size_t i;

	for (i = 0; c && i < N_OPTS; i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

/*
 * getopt_long's match: the exact name, else the one option @len characters
 * abbreviate (aliases of one option count once), else NULL.
 */
static const struct iperf_opt *by_long(const char *name, size_t len, bool *ambiguous)
{
	const struct iperf_opt *found = NULL;
	size_t i;

	*ambiguous = false;
	for (i = 0; i < N_OPTS; i++) {
		if (strncmp(opts[i].name, name, len))
			continue;
		if (strlen(opts[i].name) == len)
			return &opts[i];
		if (found && (found->short_name != opts[i].short_name || !found->short_name ||
			      found->arg != opts[i].arg))
			*ambiguous = true;
		found = found ?: &opts[i];
	}
	return *ambiguous ? NULL : found;
}

struct words {
	char buf[1024];
	char *w[IPERF_MAX_USER_ARGS + 2];
	int n;
};

static int split(const char *args, struct words *ws, char *err, size_t errlen)
{
	char *tok, *save;

	if (snprintf(ws->buf, sizeof(ws->buf), "%s", args) >= (int)sizeof(ws->buf)) {
		snprintf(err, errlen, "IPERF_ARGS longer than %zu characters", sizeof(ws->buf) - 1);
		return -1;
	}
	ws->n = 0;
	for (tok = strtok_r(ws->buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (ws->n == IPERF_MAX_USER_ARGS) {
			snprintf(err, errlen, "IPERF_ARGS has more than %d words",
				 IPERF_MAX_USER_ARGS);
			return -1;
		}
		ws->w[ws->n++] = tok;
	}
	return 0;
}

static int use(const struct iperf_arg_use *u, int (*fn)(const struct iperf_arg_use *, void *),
	       void *arg, const char *word, char *err, size_t errlen)
{
	if (!u->opt->allowed) {
		snprintf(err, errlen,
			 "IPERF_ARGS: '%.40s' is --%s, which bpfcost sets or does not allow", word,
			 u->opt->name);
		return -1;
	}
	return fn ? fn(u, arg) : 0;
}

static int long_option(struct words *ws, int *i, int (*fn)(const struct iperf_arg_use *, void *),
		       void *arg, char *err, size_t errlen)
{
	const char *word = ws->w[*i], *name = word + 2, *eq = strchr(name, '=');
	struct iperf_arg_use u = { .word = *i, .value_word = *i };
	bool ambiguous;

	u.opt = by_long(name, eq ? (size_t)(eq - name) : strlen(name), &ambiguous);
	if (!u.opt || !name[0] || name == eq) {
		snprintf(err, errlen, "IPERF_ARGS: '%.40s': %s option", word,
			 ambiguous ? "an ambiguous" : "not an iperf3");
		return -1;
	}
	if (eq && u.opt->arg == IPERF_NO_ARG) {
		snprintf(err, errlen, "IPERF_ARGS: '%.40s': --%s takes no value", word,
			 u.opt->name);
		return -1;
	}
	if (eq)
		u.value = eq + 1;
	else if (u.opt->arg == IPERF_REQUIRED_ARG && *i + 1 < ws->n)
		u.value = ws->w[u.value_word = ++*i];
	if (u.opt->arg == IPERF_REQUIRED_ARG && !u.value) {
		snprintf(err, errlen, "IPERF_ARGS: '%.40s' needs a value", word);
		return -1;
	}
	return use(&u, fn, arg, word, err, errlen);
}

static int short_options(struct words *ws, int *i, int (*fn)(const struct iperf_arg_use *, void *),
			 void *arg, char *err, size_t errlen)
{
	const char *word = ws->w[*i];
	int pos;

	for (pos = 1; word[pos]; pos++) {
		struct iperf_arg_use u = { .word = *i, .value_word = *i, .pos = pos };

		u.opt = by_short(word[pos]);
		if (!u.opt) {
			snprintf(err, errlen, "IPERF_ARGS: '%.40s': -%c is not an iperf3 option",
				 word, word[pos]);
			return -1;
		}
		if (u.opt->arg != IPERF_NO_ARG && word[pos + 1])
			u.value = word + pos + 1; /* -t100, -ub1G */
		else if (u.opt->arg == IPERF_REQUIRED_ARG && *i + 1 < ws->n)
			u.value = ws->w[u.value_word = ++*i];
		if (u.opt->arg == IPERF_REQUIRED_ARG && !u.value) {
			snprintf(err, errlen, "IPERF_ARGS: '%.40s' needs a value", word);
			return -1;
		}
		if (use(&u, fn, arg, word, err, errlen))
			return -1;
		if (u.opt->arg != IPERF_NO_ARG)
			break; /* the rest of the word, if any, was the value */
	}
	return 0;
}

int iperf_args_each(const char *args, int (*fn)(const struct iperf_arg_use *u, void *arg),
		    void *arg, char *err, size_t errlen)
{
	struct words ws;
	int i;

	if (split(args, &ws, err, errlen))
		return -1;
	for (i = 0; i < ws.n; i++) {
		const char *word = ws.w[i];
		int ret;

		/* "--" would end the options: whatever follows is not ours to pass either. */
		if (word[0] != '-' || !word[1] || !strcmp(word, "--")) {
			snprintf(err, errlen, "IPERF_ARGS: '%.40s' is not an option", word);
			return -1;
		}
		ret = word[1] == '-' ? long_option(&ws, &i, fn, arg, err, errlen)
				     : short_options(&ws, &i, fn, arg, err, errlen);
		if (ret)
			return -1;
	}
	return 0;
}

struct check_ctx {
	char *err;
	size_t errlen;
};

static int check_value(const struct iperf_arg_use *u, void *arg)
{
	struct check_ctx *c = arg;

	if (u->opt->check && u->value && u->opt->check(u->value)) {
		snprintf(c->err, c->errlen,
			 "IPERF_ARGS: --%s '%.40s': not a value iperf3 reads as one", u->opt->name,
			 u->value);
		return -1;
	}
	return 0;
}

int iperf_args_check(const char *args, char *err, size_t errlen)
{
	struct check_ctx c = { err, errlen };

	return iperf_args_each(args, check_value, &c, err, errlen);
}
