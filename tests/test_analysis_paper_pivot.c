// SPDX-License-Identifier: GPL-2.0
/*
 * The paper table's pivot on a per-call run written here: attach types cheapest
 * first with an unsupported one last, null and map as the narrow groups, a
 * dash and a note for an unsupported and a hits-flagged row, other bodies and
 * @settings rows named in notes and present in the wide table, the figure's
 * data without a bar series that has no value.
 */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/fmt.h"
#include "analysis/paper.h"
#include "analysis/plot_data.h"
#include "analysis/report.h"
#include "testlib.h"

static char dir[] = "/tmp/bpfcost-test-paper-pivot-XXXXXX";
static struct run run;

static void rec(FILE *f, const char *config, int block, double ns, const char *extra)
{
	char attach[64] = "", probe[64] = "";
	const char *dash = strchr(config, '-');
	bool base = !strcmp(config, "baseline");

	if (!base) {
		const char *p = dash;

		/* kprobe-fprobe-null: the attach type is all but the probe (and -stat). */
		if (!strncmp(config, "kprobe-fprobe", 13))
			p = config + 13;
		snprintf(attach, sizeof(attach), "\"%.*s\"", (int)(p - config), config);
		snprintf(probe, sizeof(probe), "\"%.*s\"", (int)strcspn(p + 1, "-@"), p + 1);
	}
	fprintf(f,
		"{\"config\":\"%s\",\"attach\":%s,\"probe\":%s,\"stats\":%s,\"block\":%d,"
		"\"sample\":%d,\"order\":0,\"ns_per_call\":%g,\"calls\":1000,\"mechanism\":\"%s\","
		"\"metric\":{\"name\":\"time per call\",\"field\":\"ns_per_call\","
		"\"unit\":\"ns/call\",\"scale\":1,\"higher_is_better\":false,\"event\":\"call\","
		"\"clock\":\"real\"}%s}\n",
		config, base ? "null" : attach, base ? "null" : probe,
		strstr(config, "-stat") ? "true" : "false", block, block + 1, ns,
		!strncmp(config, "kprobe-", 7) ? "int3" : "tracepoint", extra);
}

static int setup(void **state)
{
	static const double jitter[6] = { 0, 0.5, -0.5, 0.25, -0.25, 0.1 };
	static const struct {
		const char *config;
		double ns;
		const char *extra;
	} rows[] = {
		{ "baseline", 100, "" },
		{ "tp-null", 150, "" },
		{ "tp-null-stat", 170, "" },
		{ "fentry-null", 110, "" },
		{ "fentry-null-stat", 130, "" },
		{ "kprobe-null", 300, "" },
		{ "tp-map", 160, ",\"hits_per_event\":2" },
		{ "tp-spin", 400, "" },
		{ "tp-spin@spin_ns=100", 500, "" },
		{ "kprobe-fprobe-null", 0,
		  ",\"error\":\"attach: EOPNOTSUPP (CONFIG_FPROBE?)\",\"unsupported\":true" },
	};
	char path[PATH_MAX];
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	for (int b = 0; b < 6; b++)
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			rec(f, rows[i].config, b, rows[i].ns + jitter[(b + i) % 6], rows[i].extra);
	if (fclose(f) || run_load(&run, dir, stderr))
		return -1;
	return run_analyse(&run);
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", dir, NULL };
	char out[64], err[256];

	(void)state;
	run_free(&run);
	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

static char *written(int (*fn)(const struct run *, FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_sys_ok(f, "open_memstream");
	assert_int_equal(fn(&run, f), 0);
	assert_int_equal(fclose(f), 0);
	/* Break points in names are for LaTeX; the test reads the names. */
	for (char *at; (at = strstr(text, "\\allowbreak{}"));)
		memmove(at, at + 13, strlen(at + 13) + 1);
	return text;
}

static const struct row_stats *row(const char *name)
{
	const struct row_stats *c = run_find_row(&run, name);

	if (!c)
		fail_msg("no row %s in the run", name);
	return c;
}

static void test_pivot_order(void **state)
{
	static const char *const order[] = { "fentry", "tp", "kprobe", "kprobe-fprobe" };
	struct paper_pivot pv;

	(void)state;
	paper_pivot(&run, &pv);
	assert_cmp_int(pv.n_attach, ==, 4);
	for (size_t i = 0; i < 4; i++)
		if (strcmp(pv.attach[i], order[i]))
			fail_msg("attach type %zu is %s, expected %s (cheapest first, unsupported "
				 "last)",
				 i, pv.attach[i], order[i]);
	assert_cmp_int(pv.n_probe, ==, 3);
	assert_string_equal(pv.probe[0], "null");
	assert_string_equal(pv.probe[1], "map");
	assert_string_equal(pv.probe[2], "spin");
	assert_cmp_int(pv.n_narrow, ==, 2);
	assert_int_equal(pv.percent, false);
}

static void test_narrow_table(void **state)
{
	char *tex = written(paper_table_write), num[64], *absent;
	const char *fentry, *tp, *kprobe;

	(void)state;
	assert_contains(tex, "loads\n% booktabs and siunitx");
	assert_contains(tex, "\\label{tab:bpfcost-run}");
	/* Labelled by the mechanism; in cost order. */
	fentry = strstr(tex, "\nfentry &");
	tp = strstr(tex, "\ntracepoint &");
	kprobe = strstr(tex, "\nkprobe &");
	if (!fentry || !tp || !kprobe || !(fentry < tp && tp < kprobe))
		fail_msg("rows fentry, tracepoint, kprobe not in cost order:\n%s",
			 test_excerpt(tex));
	assert_contains(tex, "\\scriptsize (int3)");
	/* Figures as the tables round them: the added cost and the cost of stats. */
	assert_contains(tex, paper_num(num, sizeof(num), row("fentry-null")->diff, true));
	assert_contains(tex, paper_num(num, sizeof(num), row("tp-null-stat")->stats_cost, true));
	/* Dashes, each with its reason. */
	assert_contains(tex, "kprobe.multi & {--} & {--} & {--} & {--}");
	assert_contains(tex, "--: kprobe-fprobe-null: unsupported by the target kernel (attach: "
			     "EOPNOTSUPP (CONFIG\\_FPROBE?))");
	assert_contains(tex, "--: tp-map: the probe did not run once per event");
	/* Rows the matrix did not have: one line naming them all. */
	absent = strstr(tex, "--: not in this run: ");
	assert_contains(tex, "--: not in this run: ");
	absent = strndup(absent, strcspn(absent, "\n"));
	assert_contains(absent, " kprobe-null-stat");
	assert_contains(absent, " fentry-map");
	assert_not_contains(absent, "tp-null");
	free(absent);
	assert_contains(tex, "Probe bodies not shown here: spin");
	assert_contains(tex, "1 configuration with probe settings (@) is in the wide table");
	free(tex);
}

static void test_wide_table(void **state)
{
	char *tex = written(paper_table_wide_write);

	(void)state;
	assert_contains(tex, "\\begin{table*}");
	assert_contains(tex, "\\label{tab:bpfcost-run-wide}");
	assert_contains(tex, "\ntp-spin & ");
	assert_contains(tex, "\ntp-spin@spin\\_ns=100 & ");
	assert_contains(tex, "\ntp-null-stat & ");
	assert_contains(tex, "--: kprobe-fprobe-null: unsupported");
	free(tex);
}

static void test_figure_data(void **state)
{
	int tfd = open(dir, O_RDONLY | O_DIRECTORY);
	char path[PATH_MAX], *series, *dat;
	size_t lines = 0;

	(void)state;
	assert_sys_ok(tfd >= 0, dir);
	assert_int_equal(plot_write_paper(&run, tfd), 0);
	close(tfd);
	snprintf(path, sizeof(path), "%s/paper.series", dir);
	assert_int_equal(infile_read(AT_FDCWD, path, 1 << 20, &series, &lines), 0);
	/* The map body has no value (tp-map is flagged, no other map row): no map bars. */
	assert_string_equal(series, "null, stats off\nnull, stats on\n");
	snprintf(path, sizeof(path), "%s/paper.dat", dir);
	assert_int_equal(infile_read(AT_FDCWD, path, 1 << 20, &dat, &lines), 0);
	lines = 0;
	for (const char *p = dat; (p = strchr(p, '\n')); p++)
		lines++;
	assert_cmp_int(lines, ==, 4);
	assert_contains(dat, "kprobe.multi\t\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\n");
	free(series);
	free(dat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pivot_order),
		cmocka_unit_test(test_narrow_table),
		cmocka_unit_test(test_wide_table),
		cmocka_unit_test(test_figure_data),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
