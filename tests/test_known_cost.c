// SPDX-License-Identifier: GPL-2.0
/*
 * A known-cost control is declared by the probe, not recognised by its name:
 * the loader finds the `const volatile` tagged BPFCOST_KNOWN_COST_NS in the
 * object (spin_ns in progs/spin.bpf.c, nothing in null), and the report
 * treats a row as a control by its records' known cost, whatever the probe
 * is called (a "spin" row without one is not a control).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "analysis/report.h"
#include "loader/known_cost.h"
#include "testlib.h"

static char base[] = "/tmp/bpfcost-test-known-cost-XXXXXX";

static void test_loader_reads_the_tag(void **state)
{
	char err[512] = "";
	struct known_cost kc;
	int found;

	(void)state;
	found = known_cost_of(NULL, "spin", &kc, err, sizeof(err));
	if (found != 1 || strcmp(kc.setting, "spin_ns") || kc.dflt != 1000)
		fail_msg("spin: found %d setting '%s' default %llu (%s); expected 1, 'spin_ns', "
			 "1000",
			 found, found == 1 ? kc.setting : "", (unsigned long long)kc.dflt, err);
	found = known_cost_of(NULL, "null", &kc, err, sizeof(err));
	if (found != 0)
		fail_msg("null: found %d (%s); expected 0: it declares no known cost", found, err);
	found = known_cost_of(NULL, "nosuch", &kc, err, sizeof(err));
	if (found != -1 || !strstr(err, "nosuch.bpf.o"))
		fail_msg("nosuch: found %d, error '%s'; expected -1 naming nosuch.bpf.o", found,
			 err);
}

static char *table_of(const char *name, const char *probe, bool with_cost)
{
	static const int set[] = { 0, 100, 200, 400 };
	char dir[PATH_MAX], path[PATH_MAX + 32], cost[64] = "", *buf = NULL;
	const char *argv[] = { "bpfcost-report", "-q", dir, NULL };
	size_t len = 0;
	int k, i;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (k = 0; k < 4; k++) {
		fprintf(f,
			"{\"config\":\"baseline\",\"block\":%d,\"metric\":{\"name\":\"time per "
			"call\","
			"\"field\":\"ns_per_call\",\"unit\":\"ns/call\",\"scale\":1,"
			"\"higher_is_better\":false,\"event\":\"call\"},\"ns_per_call\":%d}\n",
			k, 200 + k);
		for (i = 0; i < 4; i++) {
			if (with_cost)
				snprintf(cost, sizeof(cost), "\"spin_ns\":%d,", set[i]);
			fprintf(f,
				"{\"config\":\"tp-%s@busy=%d\",\"attach\":\"tp\",\"probe\":\"%s\","
				"\"block\":%d,%s\"metric\":{\"name\":\"time per call\","
				"\"field\":\"ns_per_call\",\"unit\":\"ns/call\",\"scale\":1,"
				"\"higher_is_better\":false,\"event\":\"call\"},\"ns_per_call\":%d}"
				"\n",
				probe, set[i], probe, k, cost, 300 + set[i] + k);
		}
	}
	fclose(f);
	if (report_cli(3, (char **)argv))
		fail_msg("bpfcost-report %s: failed, expected exit 0", dir);
	snprintf(path, sizeof(path), "%s/table.txt", dir);
	f = fopen(path, "r");
	if (!f || getdelim(&buf, &len, '\0', f) < 0)
		fail_msg("%s: not written", path);
	fclose(f);
	return test_unwrap(buf); /* notes as written, not as cut at 120 columns */
}

static void test_control_rows_by_record_field(void **state)
{
	char *t;

	(void)state;
	/* A control named anything: its ladder is fitted, its known cost judged. */
	t = table_of("ladderctl", "busyloop", true);
	if (!strstr(t, "Spin ladder: added = ") || !strstr(t, "known cost"))
		fail_msg("probe 'busyloop' with a known cost in its records: expected the ladder "
			 "fit and the known-cost lines in table.txt, got:\n%s",
			 t);
	free(t);
	/* A probe named spin whose records carry no known cost is no control. */
	t = table_of("notcontrol", "spin", false);
	if (strstr(t, "Spin ladder: added = ") || !strstr(t, "no 'spin' control"))
		fail_msg("probe 'spin' without a known cost: expected no ladder and the "
			 "no-control line, got:\n%s",
			 t);
	free(t);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", base, NULL };
	char out[64], err[256];

	(void)state;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loader_reads_the_tag),
		cmocka_unit_test(test_control_rows_by_record_field),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
