// SPDX-License-Identifier: GPL-2.0
/*
 * Attach support asked before loading (loader/support.c): on this host the
 * tracepoint family is supported, so a probe the verifier refuses is an error
 * of the probe with the verifier's words, never an "unsupported" row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "loader/attach_types.h"
#include "loader/bpfcost.h"
#include "loader/support.h"
#include "testlib.h"

static const char *verdict_str(enum support v)
{
	return v == SUPPORT_YES ? "yes" : v == SUPPORT_NO ? "no" : "unknown";
}

/* The types the loader tests attach here: the kernel must say yes before any load. */
static void test_tracepoint_family_is_supported_here(void **state)
{
	static const struct {
		const char *name;
		enum bpf_prog_type type;
	} rows[] = {
		{ "tp", BPF_PROG_TYPE_TRACEPOINT },
		{ "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT },
		{ "tp_btf", BPF_PROG_TYPE_TRACING },
	};
	char why[160];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct attach_type *t = attach_type_find(rows[i].name);
		enum support v;

		assert_non_null(t);
		v = support_probe(t, rows[i].type, BPFCOST_DEFAULT_FUNC, why, sizeof(why));
		if (v != SUPPORT_YES)
			fail_msg("%s: support %s (%s), want yes", t->name, verdict_str(v), why);
	}
}

/* A row whose option the config sets to "n" is "no", and says which option. */
static void test_missing_option_is_no(void **state)
{
	const struct attach_type *t;
	char why[160], want[96];
	int checked = 0;

	(void)state;
	for (int i = 0; (t = attach_type_at(i)); i++) {
		const char *opt = support_missing_option(t);
		enum support v;

		if (!opt)
			continue;
		v = support_probe(t, BPF_PROG_TYPE_KPROBE, BPFCOST_DEFAULT_FUNC, why, sizeof(why));
		snprintf(want, sizeof(want), "CONFIG_%s is not set", opt);
		if (v != SUPPORT_NO || !strstr(why, want))
			fail_msg("%s: support %s (%s), want no (%s)", t->name, verdict_str(v), why,
				 want);
		checked++;
	}
	print_message("    %d attach types ruled out by the config here\n", checked);
}

/* Every option an attach type's row names is recorded, each once (the guest's list lacked one). */
static void test_config_list_comes_from_the_rows(void **state)
{
	const char *const *opts = attach_config_options();
	const struct attach_type *t;
	size_t n = 0;

	(void)state;
	for (; opts[n]; n++)
		for (size_t k = 0; k < n; k++)
			if (!strcmp(opts[k], opts[n]))
				fail_msg("%s listed twice (at %zu and %zu)", opts[n], k, n);
	for (int i = 0; (t = attach_type_at(i)); i++) {
		for (const char *const *c = t->config; c && *c; c++) {
			size_t k = 0;

			while (opts[k] && strcmp(opts[k], *c))
				k++;
			if (!opts[k])
				fail_msg("%s: CONFIG_%s missing from attach_config_options() (%zu "
					 "names)",
					 t->name, *c, n);
		}
	}
}

/*
 * Calls a helper no kernel has: the verifier refuses it with EINVAL, which
 * used to read as "unsupported" for any attach type.
 */
static const char bad_probe[] = "#define SEC(n) __attribute__((section(n), used))\n"
				"SEC(\"?tp/sock/sock_recv_length\")\n"
				"int bpfcost_tp(void *ctx)\n"
				"{\n"
				"	return ((long (*)(void))99999)();\n"
				"}\n"
				"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

static char dir[] = "/tmp/bpfcost-test-support.XXXXXX";
static char src[128], obj[128];

static int make_bad_probe(void **state)
{
	char out[4096], err[4096];
	char *cc[] = { "clang", "-O2", "-target", "bpf", "-c", src, "-o", obj, NULL };
	FILE *f;
	int code;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(src, sizeof(src), "%s/bad.bpf.c", dir);
	snprintf(obj, sizeof(obj), "%s/bad.bpf.o", dir);
	f = fopen(src, "w");
	if (!f || fputs(bad_probe, f) < 0 || fclose(f))
		return -1;
	code = run_capture(cc, out, sizeof(out), err, sizeof(err), 60000);
	if (code) {
		fprintf(stderr, "clang: exit %d: %s\n", code, err);
		return -1;
	}
	return 0;
}

static int remove_bad_probe(void **state)
{
	(void)state;
	unlink(obj);
	unlink(src);
	rmdir(dir);
	return 0;
}

static void test_refused_probe_is_an_error_not_unsupported(void **state)
{
	char loader[4096], out[4096], err[4096];
	char *argv[] = { loader, "-p", "bad", "-a", "tp", "--progs-dir", dir, "-d", "0.1", NULL };
	const char *want_start = "bpfcost-loader: tp: load failed: ";
	int code;

	(void)state;
	snprintf(loader, sizeof(loader), "%s", test_out_path("bin/bpfcost-loader"));
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
	if (code != BPFCOST_EXIT_FAILURE)
		fail_msg("exit %d, want %d (failure); stderr: %s", code, BPFCOST_EXIT_FAILURE, err);
	if (strncmp(err, want_start, strlen(want_start)))
		fail_msg("stderr starts '%.60s', want '%s'", err, want_start);
	if (!strstr(err, "so the probe is at fault: verifier: ") ||
	    !strstr(err, "invalid func unknown#99999"))
		fail_msg("stderr lacks the verifier's words (invalid func unknown#99999): %s", err);
	if (strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("stderr is not one line: %s", err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracepoint_family_is_supported_here),
		cmocka_unit_test(test_missing_option_is_no),
		cmocka_unit_test(test_config_list_comes_from_the_rows),
		cmocka_unit_test_setup_teardown(test_refused_probe_is_an_error_not_unsupported,
						make_bad_probe, remove_bad_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
