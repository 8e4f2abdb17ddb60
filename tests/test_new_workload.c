// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a workload is adding one file: a throw-away
 * experiments/workloads/<name>.c that naps and records a made-up metric is
 * built by the usual `make`, runs on the host target, and the report names its
 * metric and unit, with nothing in analysis/ (or anywhere else) edited.
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

#include "testlib.h"

static char src[4096], name[64], results[] = "/tmp/bpfcost-test-workload-XXXXXX";

static int rebuild(void)
{
	char *make[] = { "make", "-s", "-C", (char *)test_root_path(""), "all", NULL };
	static char out[1 << 16], err[1 << 16];
	int code = run_capture(make, out, sizeof(out), err, sizeof(err), 300000);

	if (code)
		print_error("make: exit %d: %s\n", code, err);
	return code;
}

static int remove_workload(void **state)
{
	char *rm[] = { "rm", "-rf", results, NULL };
	char out[64], err[256];

	(void)state;
	unlink(src);
	run_capture(rm, out, sizeof(out), err, sizeof(err), 30000);
	return rebuild(); /* the registry forgets it again */
}

static void write_workload(void)
{
	FILE *f = fopen(src, "w");

	assert_non_null(f);
	fprintf(f,
		"// SPDX-License-Identifier: GPL-2.0\n"
		"#include <time.h>\n"
		"#include <cjson/cJSON.h>\n"
		"#include \"workload.h\"\n"
		"static enum workload_result measure(const struct workload_ctx *ctx, cJSON *rec,\n"
		"\t\t\t\t    double *events, char *err, size_t errlen)\n"
		"{\n"
		"\tstruct timespec nap = { 0, 10 * 1000 * 1000 };\n"
		"\t(void)ctx; (void)err; (void)errlen;\n"
		"\tnanosleep(&nap, NULL);\n"
		"\tcJSON_AddNumberToObject(rec, \"naps_per_s\", 100);\n"
		"\t*events = 0;\n"
		"\treturn WORKLOAD_OK;\n"
		"}\n"
		"const struct workload_ops %s_workload = {\n"
		"\t.name = \"%s\",\n"
		"\t.summary = \"naps, for a test\",\n"
		"\t.metric = { .name = \"nap rate\", .field = \"naps_per_s\", .unit = \"naps/s\",\n"
		"\t\t    .scale = 1, .higher_is_better = true },\n"
		"\t.event = \"nap\",\n"
		"\t.measure = measure,\n"
		"};\n",
		name, name);
	fclose(f);
}

static void test_dropped_in_workload_reports_its_metric(void **state)
{
	char *run[] = { strdup(test_out_path("bin/bpfcost-run")),
			"--target",
			"host",
			"--workload",
			name,
			"-m",
			"quick",
			"-n",
			"2",
			"-t",
			"1",
			"-o",
			results,
			NULL };
	static char out[1 << 16], err[1 << 16], table[1 << 16];
	char path[4200], dir[4096];
	const char *line;
	FILE *f;
	size_t n;
	int code;

	(void)state;
	write_workload();
	assert_int_equal(rebuild(), 0);
	code = run_capture(run, out, sizeof(out), err, sizeof(err), 300000);
	if (code)
		fail_msg("bpfcost-run --workload %s: exit %d, expected 0: %s", name, code, err);
	line = strstr(err, "bpfcost-run: results in ");
	assert_non_null(line);
	snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(line + 24, "\n"), line + 24);
	snprintf(path, sizeof(path), "%s/table.txt", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(table, 1, sizeof(table) - 1, f);
	table[n] = '\0';
	fclose(f);
	if (!strstr(table, "nap rate") || !strstr(table, "naps/s"))
		fail_msg("table.txt lacks the metric 'nap rate' in 'naps/s':\n%s", table);
	free(run[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_dropped_in_workload_reports_its_metric,
					  remove_workload),
	};

	snprintf(name, sizeof(name), "zz_nap_%d", (int)getpid());
	snprintf(src, sizeof(src), "%s/%s.c", test_root_path("experiments/workloads"), name);
	if (!mkdtemp(results))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
