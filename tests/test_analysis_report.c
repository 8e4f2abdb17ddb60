// SPDX-License-Identifier: GPL-2.0
/*
 * End to end: report_cli on the fixture writes every derived file, the plots are real
 * PNG/PDF/SVG files, the LaTeX table compiles (skipped without pdflatex), and bad input
 * gives the documented exit codes.
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
#include <unistd.h>

#include <cmocka.h>

#include "analysis/report.h"
#include "testlib.h"

static char fixture[PATH_MAX], outdir[PATH_MAX], root[PATH_MAX];

static int cli(int argc, const char **argv)
{
	return report_cli(argc, (char **)argv);
}

static int setup(void **state)
{
	const char *r = getenv("BPFCOST_ROOT"), *o = getenv("BPFCOST_OUT");
	/* Welch arithmetic by hand: the mean estimator (robust: test_analysis_robust*). */
	const char *argv[] = {
		"bpfcost-report", "-q", "--estimator", "mean", "-o", outdir, fixture
	};

	(void)state;
	snprintf(root, sizeof(root), "%s", r ? r : ".");
	snprintf(fixture, sizeof(fixture), "%.4000s/tests/fixtures/analysis/basic", root);
	snprintf(outdir, sizeof(outdir), "%.4000s/analysis-test-XXXXXX", o ? o : "/tmp");
	if (o)
		mkdir(o, 0755);
	if (!mkdtemp(outdir))
		return -1;
	/* Every test below inspects the output of one full run. */
	return cli(7, argv) == 0 ? 0 : -1;
}

static long file_size(const char *name, char *head, size_t n)
{
	char p[PATH_MAX + 64];
	struct stat st;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", outdir, name);
	if (stat(p, &st))
		fail_msg("%s was not written", p);
	f = fopen(p, "rb");
	assert_sys_ok(f, p);
	memset(head, 0, n);
	assert_cmp_int(fread(head, 1, n, f), >, 0);
	fclose(f);
	return (long)st.st_size;
}

/* @name is over @min bytes; its first @n bytes into @head. */
static void assert_size_over(const char *name, char *head, size_t n, long min)
{
	long size = file_size(name, head, n);

	if (size <= min)
		fail_msg("%s/%s is %ld bytes, expected over %ld", outdir, name, size, min);
}

static void test_tables_exist(void **state)
{
	static const char *const names[] = { "table.txt", "table.md", "table.tex", "summary.csv" };
	char head[64];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_size_over(names[i], head, sizeof(head), 200);
}

static char *slurp(const char *name)
{
	char p[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", outdir, name);
	f = fopen(p, "r");
	assert_sys_ok(f, p);
	assert_cmp_int(getdelim(&buf, &len, '\0', f), >, 0);
	fclose(f);
	return buf;
}

static void test_text_layout(void **state)
{
	char *t = test_unwrap(slurp("table.txt")), *md = slurp("table.md");

	(void)state;
	/* The seed's two tables, with their headers, and baseline as the first row. */
	assert_contains(t, "Configuration             Bitrate (Mbit/s)    Transfer (MB)     "
			   "Samples");
	assert_contains(t, "\nbaseline                  19.0±0.8            23.8±1.0");
	assert_contains(t, "PERFORMANCE IMPACT vs BASELINE");
	/* the flood's terminal: impact with its CI, Sig, the cost per packet (the model) */
	assert_contains(t, "Impact (%)  Sig  ns/pkt");
	assert_contains(t, "+10.5% [");
	assert_contains(t, "Minimum detectable effect of this run: 8.4% of the baseline "
			   "bitrate, 1.6 Mbit/s");
	/* MDE 8.41% at 1e9/37109.4 = 26947 ns per packet: 0.0841 x 26947 / 0.9159 = 2474 ns */
	assert_contains(t, "Detection limit: a cost below about 2474 ns per packet");
	assert_contains(t, "spin_ns=5000 set (1.01x); above twice the limit, as expected");
	assert_contains(t, "Detection limit check: 1 of 1 spin rows set at or above twice "
			   "the limit (4947 ns/packet) were detected\n");
	/* the absolute difference beside the impact, in the metric's unit: the full tables */
	assert_contains(md, "| +10.5% [");
	assert_contains(md, "| +2.0 [+0.8, +3.2] |");
	assert_contains(t, "kretprobe-fprobe-null     unsupported");
	assert_contains(t, "0.90 !!");
	free(t);
	free(md);
}

static void test_csv_rows(void **state)
{
	char *t = slurp("summary.csv"), *line;
	int rows = 0;

	(void)state;
	assert_int_equal(strncmp(t, "config,attach,probe,stats,n,", 28), 0);
	for (line = strchr(t, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		rows++;
	assert_int_equal(rows, 6); /* one per configuration, baseline and unsupported included */
	assert_contains(t, "\nbaseline,,,0,5,0,0,,bitrate,Mbit/s,19,");
	free(t);
}

static void test_plots_valid(void **state)
{
	static const char *const bases[] = { "bitrate", "samples" };
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	char name[64], head[256];

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%s.png", bases[i]);
		assert_size_over(name, head, sizeof(head), 10000);
		assert_memory_equal(head, png, sizeof(png));
		snprintf(name, sizeof(name), "%s.pdf", bases[i]);
		assert_size_over(name, head, sizeof(head), 5000);
		assert_memory_equal(head, "%PDF-", 5);
		snprintf(name, sizeof(name), "%s.svg", bases[i]);
		assert_size_over(name, head, sizeof(head) - 1, 5000);
		assert_contains(head, "<svg");
	}
}

/* Debian puts pdflatex in /usr/bin; a user's TeX may be elsewhere on PATH. */
static bool have(const char *prog)
{
	char *argv[] = { (char *)prog, "--version", NULL };
	static char out[1 << 16], err[1 << 12];

	return run_capture(argv, out, sizeof(out), err, sizeof(err), 30000) == 0;
}

static void test_latex_compiles(void **state)
{
	char p[PATH_MAX + 64], outopt[PATH_MAX + 32], texinputs[PATH_MAX + 2];
	char *argv[] = {
		"pdflatex", "-interaction=nonstopmode", "-halt-on-error", outopt, p, NULL
	};
	static char out[1 << 18], err[1 << 12];
	FILE *f;

	(void)state;
	if (!have("pdflatex"))
		skip();
	snprintf(p, sizeof(p), "%s/doc.tex", outdir);
	f = fopen(p, "w");
	assert_sys_ok(f, p);
	fputs("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n"
	      "\\usepackage[utf8]{inputenc}\n\\usepackage{booktabs}\n"
	      "\\usepackage[landscape,margin=1cm]{geometry}\n"
	      "\\begin{document}\n\\begin{table}\\centering\\small\n\\input{table.tex}\n"
	      "\\end{table}\n\\end{document}\n",
	      f);
	fclose(f);
	/* \input{table.tex} is found through TEXINPUTS, the output goes beside it. */
	snprintf(outopt, sizeof(outopt), "-output-directory=%s", outdir);
	snprintf(texinputs, sizeof(texinputs), "%s:", outdir);
	setenv("TEXINPUTS", texinputs, 1);
	if (run_capture(argv, out, sizeof(out), err, sizeof(err), 120000) != 0) {
		size_t n = strlen(out);

		fail_msg("pdflatex failed on table.tex: ...%s", n > 1500 ? out + n - 1500 : out);
	}
	snprintf(p, sizeof(p), "%s/doc.pdf", outdir);
	assert_int_equal(access(p, R_OK), 0);
}

static void test_exit_codes(void **state)
{
	char dir[PATH_MAX];
	const char *help[] = { "bpfcost-report", "--help" };
	const char *missing[] = { "bpfcost-report", "-q", "/nonexistent/bpfcost" };
	const char *nosamples[] = { "bpfcost-report", "-q", outdir };
	const char *nobase[] = { "bpfcost-report", "-q", "--no-plots", "-o", outdir, dir };
	const char *bad[] = { "bpfcost-report", "--bogus" };

	(void)state;
	snprintf(dir, sizeof(dir), "%.4000s/tests/fixtures/analysis/no_baseline", root);
	assert_int_equal(cli(2, help), 0);
	assert_int_equal(cli(3, missing), 2);
	assert_int_equal(cli(3, nosamples), 2); /* the output dir has no samples.jsonl */
	assert_int_equal(cli(6, nobase), 1);
	assert_int_equal(cli(2, bad), 2);
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", outdir, NULL };
	char out[64], err[256];

	(void)state;
	if (getenv("BPFCOST_KEEP_TEST_OUTPUT"))
		return 0;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_exist),   cmocka_unit_test(test_text_layout),
		cmocka_unit_test(test_csv_rows),       cmocka_unit_test(test_plots_valid),
		cmocka_unit_test(test_latex_compiles), cmocka_unit_test(test_exit_codes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
