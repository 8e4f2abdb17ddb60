// SPDX-License-Identifier: GPL-2.0
/* Options declared in one string (see cli_opts.h), read with getopt_long(). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

#define CLI_MAX_OPTS 32
#define CLI_MAX_NAME 32

/* The tables @spec stands for; built once per spec (a program has one). */
struct cli_tables {
	const char *spec;
	struct option longopts[CLI_MAX_OPTS + 1];
	char names[CLI_MAX_OPTS][CLI_MAX_NAME];
	char shorts[2 * CLI_MAX_OPTS + 1];
};

static void bad_spec(const char *spec, const char *why)
{
	fprintf(stderr, "cli_getopt: bad option spec \"%s\": %s\n", spec, why);
	exit(2);
}

static void build(struct cli_tables *t, const char *spec)
{
	const char *w = spec;
	size_t n = 0, s = 0;

	memset(t, 0, sizeof(*t));
	while (*(w += strspn(w, " "))) {
		size_t len = strcspn(w, " "), name = strcspn(w, "|/");
		bool arg = w[len - 1] == ':';

		if (n == CLI_MAX_OPTS || name >= CLI_MAX_NAME || name + 2 != len - arg || !name)
			bad_spec(spec, "each word is name|k or name/K, then ':' for a value");
		memcpy(t->names[n], w, name);
		t->longopts[n] =
			(struct option){ t->names[n], arg ? required_argument : no_argument, NULL,
					 (unsigned char)w[name + 1] };
		if (w[name] == '|') {
			t->shorts[s++] = w[name + 1];
			if (arg)
				t->shorts[s++] = ':';
		}
		n++;
		w += len;
	}
	t->spec = spec;
}

int cli_getopt(int argc, char *const argv[], const char *spec)
{
	static struct cli_tables t;

	if (t.spec != spec)
		build(&t, spec);
	return getopt_long(argc, argv, t.shorts, t.longopts, NULL);
}

bool cli_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}
