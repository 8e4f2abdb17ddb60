// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a workload is adding one file. In a COPY of the tree (a killed test
 * must not leave a workload that joins the checkout's build), the file
 * tests/fixtures/workload_udpsink.c.in becomes experiments/workloads/udpsink.c:
 * a workload with a server (a perl UDP sink) and a guest binary (perl). Then:
 * the usual `make` builds it and `bpfcost-run --help` lists it; it runs on the
 * host target, whose agent starts its server in the target namespace, and
 * its records carry its metric with datagrams delivered to that server; the
 * report names its metric; the guest initramfs built in the copy holds perl.
 * Nothing but that one file is added or edited.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "testlib.h"
#include "tree_copy.h"

#define BUILD_MS (15 * 60 * 1000)

/* The copy's folder: the tree in its tree/, the run's matrix and results beside it. */
static char copy[256];
static char path_buf[8192];
static char out[1 << 20], err[1 << 20];

static const char *in_copy(const char *rel)
{
	snprintf(path_buf, sizeof(path_buf), "%s/tree/%s", copy, rel);
	return path_buf;
}

static void run_ok(char *const argv[], int timeout_ms)
{
	int code = run_capture(argv, out, sizeof(out), err, sizeof(err), timeout_ms);

	if (code)
		fail_msg("%s %s: exit %d, expected 0; stderr:\n%s", argv[0], argv[1] ? argv[1] : "",
			 code, err);
}

/* The checkout and its build output, the guest's included (the initramfs is rebuilt). */
static int copy_tree(void **state)
{
	(void)state;
	return tree_copy("new-workload", true, copy, sizeof(copy));
}

static int remove_copy(void **state)
{
	(void)state;
	tree_copy_remove();
	return 0;
}

static void add_workload_file(void)
{
	char src[4200], dst[8200];
	char *cp[] = { "cp", src, dst, NULL };

	snprintf(src, sizeof(src), "%s", test_root_path("tests/fixtures/workload_udpsink.c.in"));
	snprintf(dst, sizeof(dst), "%s", in_copy("experiments/workloads/udpsink.c"));
	run_ok(cp, 10000);
}

/* The same name again, defined in another layout (the registry does not parse text). */
static void add_duplicate(void)
{
	FILE *f = fopen(in_copy("experiments/workloads/udpsink_again.c"), "w");

	assert_non_null(f);
	fputs("#include \"workload.h\"\n"
	      "static const struct workload_ops\n"
	      "\tagain = { .name = \"udpsink\", .summary = \"the same name twice\",\n"
	      "\t\t  .metric = { .name = \"x\", .field = \"x\", .unit = \"x\", .scale = 1 },\n"
	      "\t\t  .event = \"x\" };\n"
	      "BPFCOST_WORKLOAD(again);\n",
	      f);
	fclose(f);
}

static const char *str_of(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));

	return s ? s : "(absent)";
}

static double num_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Every record of the run: its metric and, for each ok sample, datagrams the server got. */
static void check_records(const char *dir)
{
	char path[4200], line[1 << 14];
	int ok = 0, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open, expected the run's records", path);
	while (fgets(line, sizeof(line), f)) {
		cJSON *rec = cJSON_Parse(line);
		const cJSON *metric = cJSON_GetObjectItemCaseSensitive(rec, "metric");

		n++;
		if (strcmp(str_of(metric, "field"), "sink_rate") ||
		    strcmp(str_of(metric, "unit"), "datagrams/s"))
			fail_msg("record %d: metric field '%s' unit '%s', expected 'sink_rate' in "
				 "'datagrams/s': %s",
				 n, str_of(metric, "field"), str_of(metric, "unit"), line);
		if (cJSON_GetObjectItemCaseSensitive(rec, "error"))
			fail_msg("record %d: an error, expected a measurement: %s", n, line);
		/*
		 * The client sends 2000 datagrams into the target namespace: the
		 * server there received some (a slow reader drops the rest).
		 */
		if (!(num_of(rec, "sink_datagrams") >= 1) ||
		    num_of(rec, "sink_datagrams") != num_of(rec, "events"))
			fail_msg("record %d: sink_datagrams %g, events %g, expected equal and at "
				 "least 1: %s",
				 n, num_of(rec, "sink_datagrams"), num_of(rec, "events"), line);
		ok++;
		cJSON_Delete(rec);
	}
	fclose(f);
	if (ok != 2)
		fail_msg("%d records, expected 2 (baseline and tp-null, N=1)", ok);
	print_message("    %d records, each with the server's datagrams\n", n);
}

static void test_one_file_workload(void **state)
{
	char make[] = "make", dir_arg[8192], results[4200], matrix[4200], dir[4096];
	char out_arg[NAME_MAX + 8], rel[NAME_MAX + 64];
	char *build[] = { make, "-s", "-C", dir_arg, out_arg, "all", NULL };
	char *help[] = { NULL, "--help", NULL };
	/* --redo 0: a sample disturbed by other work on the machine is marked, not redone. */
	char *run[] = { NULL, "--target", "host", "--workload", "udpsink", "-m", matrix,  "-n",
			"1",  "-t",	  "1",	  "--redo",	"0",	   "-o", results, NULL };
	char guest[] = "guest", guest_path[] = "guest-path";
	char *initrd[] = { make, "-s", "-C", dir_arg, out_arg, guest, NULL };
	char *where[] = { make,	      "-s", "--no-print-directory", "-C", dir_arg, out_arg,
			  guest_path, NULL };
	char list[8600];
	char *cpio[] = { "sh", "-c", list, NULL };
	const char *line;
	int code;
	FILE *f;

	(void)state;
	if (geteuid())
		skip();
	add_workload_file();
	snprintf(dir_arg, sizeof(dir_arg), "%s", in_copy(""));
	snprintf(out_arg, sizeof(out_arg), "OUT=%s", tree_copy_out());
	run_ok(build, BUILD_MS);

	snprintf(rel, sizeof(rel), "%s/bin/bpfcost-run", tree_copy_out());
	help[0] = strdup(in_copy(rel));
	run_ok(help, 30000);
	if (!strstr(out, "udpsink") || !strstr(out, "perl UDP sink"))
		fail_msg("bpfcost-run --help: expected 'udpsink' and its summary, got:\n%s", out);

	snprintf(results, sizeof(results), "%s/results", copy);
	snprintf(matrix, sizeof(matrix), "%s/matrix", copy);
	f = fopen(matrix, "w");
	assert_non_null(f);
	fputs("tp-null\n", f);
	fclose(f);
	run[0] = help[0];
	run_ok(run, BUILD_MS);
	line = strstr(err, "bpfcost-run: results in ");
	if (!line)
		fail_msg("expected 'bpfcost-run: results in' on stderr, got:\n%s", err);
	snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(line + 24, "\n"), line + 24);
	check_records(dir);

	/* The guest image gets the declared binary; nothing boots. */
	run_ok(initrd, BUILD_MS);
	run_ok(where, 60000);
	snprintf(rel, sizeof(rel), "%.*s/initramfs.cpio.gz", (int)strcspn(out, "\n"), out);
	snprintf(list, sizeof(list), "gzip -dc '%s' | cpio -t --quiet", in_copy(rel));
	run_ok(cpio, 60000);
	if (!strstr(out, "bin/perl\n"))
		fail_msg("initramfs: expected bin/perl among its files, got:\n%.4000s", out);

	/* The workload's file is all that was added or edited. */
	assert_int_equal(tree_copy_changes(out, sizeof(out)), 0);
	if (strcmp(out, "?? experiments/workloads/udpsink.c\n"))
		fail_msg("files changed in the copy:\n%s\nexpected only '?? "
			 "experiments/workloads/udpsink.c'",
			 test_excerpt(out));

	/* A second definition of the same name, however written, stops every binary at start. */
	add_duplicate();
	run_ok(build, BUILD_MS);
	code = run_capture(help, out, sizeof(out), err, sizeof(err), 30000);
	if (code != 2 || !strstr(err, "two workloads are named 'udpsink'"))
		fail_msg("bpfcost-run --help with two 'udpsink' workloads: exit %d, stderr '%s'; "
			 "expected exit 2 naming the duplicate",
			 code, err);
	free(help[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_file_workload, copy_tree, remove_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
