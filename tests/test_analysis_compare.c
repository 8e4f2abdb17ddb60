// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-report RUN1 RUN2: the comparison table from small runs written here,
 * every difference and CI checked against hand arithmetic (the mean estimator,
 * Welch's t with 6 df), exact counts without a CI, a row one run cannot run,
 * the what-differs labels and warnings, refused mixtures, hostile names, width.
 */
#include <limits.h>
#include <math.h>
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

#include "testlib.h"

#define REPORT_TIMEOUT_MS 60000
/* t(0.975, 6 df), from tables: equal n = 4 and equal sd make Welch's df exactly 6. */
#define T975_6 2.446911851

static char base[] = "/tmp/bpfcost-test-compare-XXXXXX";
static char out[1 << 16], err[1 << 16];

struct spec {
	const char *unit, *clock, *workload, *kernel, *qemu;
	const char *cpu; /* NULL: "QEMU TCG" */
};

static const struct spec ns_61 = {
	"ns/call", "real", "trigger", "6.1.0-57-cloud-amd64", "7.2", NULL
};
static const struct spec ns_612 = { "ns/call", "real", "trigger", "6.12.107+deb12-cloud-amd64",
				    "8.0",     NULL };

static void rec(FILE *f, const struct spec *s, const char *config, int block, double v)
{
	char attach[32] = "null", probe[32] = "null";

	if (strcmp(config, "baseline")) {
		snprintf(attach, sizeof(attach), "\"%.*s\"", (int)strcspn(config, "-"), config);
		snprintf(probe, sizeof(probe), "\"%s\"", strstr(config, "map") ? "map" : "null");
	}
	fprintf(f,
		"{\"config\":\"%s\",\"attach\":%s,\"probe\":%s,\"stats\":false,\"block\":%d,"
		"\"sample\":%d,\"order\":0,\"ns_per_call\":%.17g,\"calls\":1000,"
		"\"metric\":{\"name\":\"time per call\",\"field\":\"ns_per_call\","
		"\"unit\":\"%s\",\"scale\":1,\"higher_is_better\":false,\"event\":\"call\","
		"\"clock\":\"%s\"}}\n",
		config, attach, probe, block, block + 1, v, s->unit, s->clock);
}

static void unsupported(FILE *f, const struct spec *s, const char *config, int block,
			const char *why)
{
	fprintf(f,
		"{\"config\":\"%s\",\"attach\":\"tp\",\"probe\":\"map\",\"stats\":false,"
		"\"block\":%d,\"sample\":%d,\"order\":0,\"unsupported\":true,\"error\":\"%s\","
		"\"metric\":{\"name\":\"time per call\",\"field\":\"ns_per_call\","
		"\"unit\":\"%s\",\"scale\":1,\"higher_is_better\":false,\"event\":\"call\","
		"\"clock\":\"%s\"}}\n",
		config, block, block + 1, why, s->unit, s->clock);
}

static void manifest(const char *dir, const struct spec *s)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"{\"target\":\"guest\",\"clock\":\"%s\",\"workload\":{\"name\":\"%s\"},"
		"\"host\":{\"cpu_model\":\"Xeon\",\"tools\":{\"qemu\":\"%s\"}},"
		"\"settings\":{\"func\":\"udp_recvmsg\"},"
		"\"target_info\":{\"accel\":\"tcg\",\"info\":{\"kernel_release\":\"%s\","
		"\"cpu_model\":\"%s\"}}}\n",
		s->clock, s->workload, s->qemu, s->kernel, s->cpu ? s->cpu : "QEMU TCG");
	assert_int_equal(fclose(f), 0);
}

/* @name under base: a run whose rows are @add ns above a baseline at @level, 4 samples each. */
static const char *make_run(const char *name, const struct spec *s, double level, double add,
			    bool with_map, bool with_kprobe)
{
	static const double jitter[4] = { 0, 2, -2, 0 };
	static char dir[PATH_MAX];
	char path[PATH_MAX + 32];
	FILE *f;
	int i;

	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < 4; i++) {
		rec(f, s, "baseline", i, level + jitter[i]);
		rec(f, s, "tp-null", i, level + add + jitter[i]);
		if (with_map)
			rec(f, s, "tp-map", i, level + 70 + jitter[i]);
		else
			unsupported(f, s, "tp-map", i, "tracepoint sock_recv_length not found");
		if (with_kprobe)
			rec(f, s, "kprobe-null", i, level + 300 + jitter[i]);
	}
	assert_int_equal(fclose(f), 0);
	manifest(dir, s);
	return dir;
}

/* bpfcost-report [opts] args... as a child: its exit code. */
static int report(char *const *args, size_t n)
{
	char *argv[16] = { (char *)test_out_path("bin/bpfcost-report") };
	size_t i;

	for (i = 0; i < n && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	return run_capture(argv, out, sizeof(out), err, sizeof(err), REPORT_TIMEOUT_MS);
}

static char *slurp(const char *dir, const char *name)
{
	static char text[1 << 16];
	char path[PATH_MAX + 64];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s was not written", path);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Field @col (0-based) of compare.csv's line for @row and run @id, as a number (NAN: empty). */
static double csv_field(const char *csv, const char *row, const char *id, int col)
{
	char key[128], line[1024];
	const char *p;
	int i;

	snprintf(key, sizeof(key), "\n1,%s,%s,", row, id);
	p = strstr(csv, key);
	if (!p)
		fail_msg("compare.csv has no line for %s run %s:\n%s", row, id, csv);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
	p = line;
	for (i = 0; i < col; i++) {
		p = strchr(p, ',');
		if (!p)
			fail_msg("compare.csv line '%s' has no field %d", line, col);
		p++;
	}
	return *p == ',' || !*p ? NAN : strtod(p, NULL);
}

enum { ADDED = 7, ADDED_LO, ADDED_HI, EXACT, VS, VS_LO, VS_HI };

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", base, NULL };
	char o[64], e[256];

	(void)state;
	return run_capture(argv, o, sizeof(o), e, sizeof(e), 30000) ? -1 : 0;
}

static void test_differences_by_hand(void **state)
{
	char a[PATH_MAX], b[PATH_MAX], o[PATH_MAX + 8];
	/* sd of {0, 2, -2, 0} is sqrt(8/3); se of a difference of two means of 4: sqrt(4/3) */
	double hw = T975_6 * sqrt(4.0 / 3), hwd = sqrt(2) * hw;
	const char *csv;

	(void)state;
	snprintf(a, sizeof(a), "%s", make_run("a", &ns_61, 100, 50, true, true));
	snprintf(b, sizeof(b), "%s", make_run("b", &ns_612, 200, 60, false, false));
	snprintf(o, sizeof(o), "%s/out1", base);
	assert_cmp_int(report((char *[]){ "-q", "--estimator", "mean", "--out", o, a, b }, 7), ==,
		       0);
	csv = slurp(o, "compare.csv");
	/* A: 150 - 100; B: 260 - 200; each 50 +- t * se, B - A: 10 +- the two in quadrature */
	assert_near(csv_field(csv, "tp-null", "A", ADDED), 50, 1e-9);
	assert_near(csv_field(csv, "tp-null", "A", ADDED_LO), 50 - hw, 1e-6);
	assert_near(csv_field(csv, "tp-null", "A", ADDED_HI), 50 + hw, 1e-6);
	assert_near(csv_field(csv, "tp-null", "B", ADDED), 60, 1e-9);
	assert_near(csv_field(csv, "tp-null", "B", ADDED_LO), 60 - hw, 1e-6);
	assert_near(csv_field(csv, "tp-null", "B", VS), 10, 1e-9);
	assert_near(csv_field(csv, "tp-null", "B", VS_LO), 10 - hwd, 1e-6);
	assert_near(csv_field(csv, "tp-null", "B", VS_HI), 10 + hwd, 1e-6);
	/* A has spread: never called exact */
	assert_contains(csv, "\n1,tp-null,A,");
	assert_nan(csv_field(csv, "tp-null", "A", VS));
	/* tp-map: B cannot run it; kprobe-null: B does not have it. Reasons, never numbers. */
	assert_nan(csv_field(csv, "tp-map", "B", ADDED));
	assert_nan(csv_field(csv, "tp-map", "B", VS));
	assert_contains(csv, "unsupported: tracepoint sock_recv_length not found");
	assert_nan(csv_field(csv, "kprobe-null", "B", ADDED));
	assert_contains(csv, "not in this run");
	assert_contains(csv, "schema_version,");
}

static void test_table_labels_and_reasons(void **state)
{
	char a[PATH_MAX], b[PATH_MAX], o[PATH_MAX + 8];
	const char *txt;

	(void)state;
	snprintf(a, sizeof(a), "%s", make_run("la", &ns_61, 100, 50, true, true));
	snprintf(b, sizeof(b), "%s", make_run("lb", &ns_612, 200, 60, false, false));
	snprintf(o, sizeof(o), "%s/out2", base);
	assert_cmp_int(report((char *[]){ "-q", "--estimator", "mean", "--out", o, a, b }, 7), ==,
		       0);
	txt = slurp(o, "compare.txt");
	/* Labelled by the kernel, the one labelled thing that differs; the rest common. */
	assert_contains(txt, "A = 6.1.0-57-cloud-amd64");
	assert_contains(txt, "B = 6.12.107+deb12-cloud-amd64");
	assert_contains(txt, "Common: target guest, CPU QEMU TCG, accel tcg, host CPU Xeon");
	/* A reason too long for its cell: named there, given whole below the table */
	assert_contains(txt, "unsupported [r1]");
	assert_contains(txt, "[r1] unsupported: tracepoint sock_recv_length not found");
	assert_contains(txt, "not in this run");
	assert_contains(txt, "+10.0 [");
	/* QEMU's version differs too: a warning in the notes and on stderr */
	assert_contains(txt, "warning: host.tools.qemu differs");
	assert_contains(err, "warning: host.tools.qemu differs");
	assert_not_contains(txt, "differ together");
	assert_contains(slurp(o, "compare.md"), "| tp-null | +50.0 \\[47.2, 52.8\\] |");
	assert_contains(slurp(o, "compare-paper.tex"), "\\toprule");
	/* Two labelled things differ: both label the run, and a warning says so */
	static const struct spec epyc = { "ns/call", "real",
					  "trigger", "6.12.107+deb12-cloud-amd64",
					  "7.2",     "AMD EPYC" };
	snprintf(b, sizeof(b), "%s", make_run("lc", &epyc, 200, 60, true, true));
	assert_cmp_int(report((char *[]){ "-q", "--out", o, a, b }, 5), ==, 0);
	txt = slurp(o, "compare.txt");
	assert_contains(txt, "A = 6.1.0-57-cloud-amd64, QEMU TCG");
	assert_contains(txt, "B = 6.12.107+deb12-cloud-amd64, AMD EPYC");
	assert_contains(txt, "warning: kernel, CPU differ together");
	assert_contains(err, "warning: kernel, CPU differ together");
}

static void test_exact_counts_no_ci(void **state)
{
	static const struct spec c1 = {
		"instructions/call", "instructions", "trigger", "6.1", "7.2", NULL
	};
	static const struct spec c2 = {
		"instructions/call", "instructions", "trigger", "6.12", "7.2", NULL
	};
	char a[PATH_MAX], b[PATH_MAX], o[PATH_MAX + 8], path[PATH_MAX + 32];
	const char *csv, *txt;
	FILE *f;
	int i;

	(void)state;
	/* Every sample the same count: no spread anywhere. */
	for (i = 0; i < 2; i++) {
		char *d = i ? b : a;

		snprintf(d, PATH_MAX, "%s/exact%d", base, i);
		assert_int_equal(mkdir(d, 0755), 0);
		snprintf(path, sizeof(path), "%s/samples.jsonl", d);
		f = fopen(path, "w");
		assert_non_null(f);
		for (int k = 0; k < 3; k++) {
			rec(f, i ? &c2 : &c1, "baseline", k, 1000);
			rec(f, i ? &c2 : &c1, "tp-null", k, i ? 1250 : 1300);
		}
		assert_int_equal(fclose(f), 0);
		manifest(d, i ? &c2 : &c1);
	}
	snprintf(o, sizeof(o), "%s/out3", base);
	for (i = 0; i < 2; i++) {
		assert_cmp_int(report((char *[]){ "-q", "--estimator", i ? "mean" : "robust",
						  "--out", o, a, b },
				      7),
			       ==, 0);
		csv = slurp(o, "compare.csv");
		assert_near(csv_field(csv, "tp-null", "B", VS), -50, 1e-9);
		/* exact: no interval at all, not one from 0/0 */
		assert_nan(csv_field(csv, "tp-null", "B", VS_LO));
		assert_nan(csv_field(csv, "tp-null", "B", VS_HI));
		assert_nan(csv_field(csv, "tp-null", "A", ADDED_LO));
		assert_contains(csv, ",true,-50,,,true,");
		txt = slurp(o, "compare.txt");
		assert_contains(txt, "-50.0 (exact)");
		assert_not_contains(txt, "nan");
	}
}

static void test_mixtures_refused(void **state)
{
	static const struct spec insn = {
		"instructions/call", "instructions", "trigger", "6.1", "7.2", NULL
	};
	static const struct spec clk = { "ns/call", "instructions", "trigger", "6.1", "7.2", NULL };
	static const struct spec flood = { "ns/call", "real", "iperf", "6.1", "7.2", NULL };
	static const struct {
		const struct spec *s;
		const char *name, *says;
	} cases[] = {
		{ &insn, "m-unit", "the metric unit differs: 'ns/call'" },
		{ &clk, "m-clock", "the clock differs: 'real'" },
		{ &flood, "m-load", "the workload differs: 'trigger'" },
	};
	char a[PATH_MAX], b[PATH_MAX], o[PATH_MAX + 8];

	(void)state;
	snprintf(a, sizeof(a), "%s", make_run("m-base", &ns_61, 100, 50, true, true));
	snprintf(o, sizeof(o), "%s/out4", base);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(b, sizeof(b), "%s", make_run(cases[i].name, cases[i].s, 100, 50, 1, 1));
		assert_cmp_int(report((char *[]){ "-q", "--out", o, a, b }, 5), ==, 2);
		assert_contains(err, cases[i].says);
	}
	/* A run without its manifest: nothing recorded is no difference; the records agree */
	snprintf(b, sizeof(b), "%s", make_run("m-bare", &ns_61, 100, 50, true, true));
	assert_int_equal(unlink(strcat(b, "/manifest.json")), 0);
	b[strlen(b) - strlen("/manifest.json")] = '\0';
	assert_cmp_int(report((char *[]){ "-q", "--out", o, a, b }, 5), ==, 0);
	/* Without --out there is no place for the table: refused, not the current folder. */
	assert_cmp_int(report((char *[]){ "-q", a, a }, 3), ==, 2);
	assert_contains(err, "needs --out DIR");
}

static void test_hostile_names_and_width(void **state)
{
	char a[PATH_MAX], b[PATH_MAX], c[PATH_MAX], o[PATH_MAX + 8], link[PATH_MAX + 8];
	const char *txt, *line;

	(void)state;
	snprintf(a, sizeof(a), "%s", make_run("h\033[31mred", &ns_61, 100, 50, true, true));
	snprintf(b, sizeof(b), "%s", make_run("h-b", &ns_612, 200, 60, false, false));
	snprintf(c, sizeof(c), "%s", make_run("h-c", &ns_612, 300, 65, true, true));
	snprintf(o, sizeof(o), "%s/out5", base);
	assert_cmp_int(report((char *[]){ "--out", o, a, b, c }, 5), ==, 0);
	txt = slurp(o, "compare.txt");
	assert_not_contains(txt, "\033");
	assert_not_contains(out, "\033");
	/* Three runs: five columns do not fit; the cut ones are named */
	assert_contains(txt, "are in compare.md and compare.csv");
	for (line = txt; *line;) {
		size_t n = strcspn(line, "\n");

		if (n > 120)
			fail_msg("compare.txt line of %zu columns (at most 120): %.*s", n, (int)n,
				 line);
		line += n + (line[n] == '\n');
	}
	assert_contains(slurp(o, "compare.md"), "| C - A \\[95% CI\\] |");
	/* A run given as a symlink to elsewhere is not followed */
	snprintf(link, sizeof(link), "%s/sub", base);
	assert_int_equal(mkdir(link, 0755), 0);
	snprintf(link, sizeof(link), "%s/sub/ln", base);
	assert_int_equal(symlink(b, link), 0);
	assert_cmp_int(report((char *[]){ "-q", "--out", o, a, link }, 5), ==, 2);
	assert_contains(err, "symbolic link");
	/* Its files too: a FIFO for samples.jsonl is refused, never waited on */
	snprintf(link, sizeof(link), "%s/fifo-run", base);
	assert_int_equal(mkdir(link, 0755), 0);
	strcat(link, "/samples.jsonl");
	assert_int_equal(mkfifo(link, 0600), 0);
	link[strlen(link) - strlen("/samples.jsonl")] = '\0';
	assert_cmp_int(report((char *[]){ "-q", "--out", o, a, link }, 5), ==, 2);
	assert_contains(err, "cannot read samples.jsonl");
}

/* One sample a side: a number, never an interval; the runner's own "unsupported:" once. */
static void test_single_samples_no_ci(void **state)
{
	char d[2][PATH_MAX], o[PATH_MAX + 8], path[PATH_MAX + 32];
	const char *csv, *txt;
	FILE *f;

	(void)state;
	for (int i = 0; i < 2; i++) {
		snprintf(d[i], PATH_MAX, "%s/one%d", base, i);
		assert_int_equal(mkdir(d[i], 0755), 0);
		snprintf(path, sizeof(path), "%s/samples.jsonl", d[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		rec(f, &ns_61, "baseline", 0, 100);
		rec(f, &ns_61, "tp-null", 0, 130 + 10 * i);
		unsupported(f, &ns_61, "tp-map", 0, "unsupported: tp: no tracepoint");
		assert_int_equal(fclose(f), 0);
		manifest(d[i], i ? &ns_612 : &ns_61);
	}
	snprintf(o, sizeof(o), "%s/out7", base);
	assert_cmp_int(report((char *[]){ "-q", "--out", o, d[0], d[1] }, 5), ==, 0);
	csv = slurp(o, "compare.csv");
	assert_near(csv_field(csv, "tp-null", "B", VS), 10, 1e-9);
	assert_nan(csv_field(csv, "tp-null", "A", ADDED_LO));
	assert_nan(csv_field(csv, "tp-null", "B", VS_LO));
	txt = slurp(o, "compare.txt");
	assert_contains(txt, "+10.0 [no CI]");
	assert_contains(txt, "unsupported: tp: no tracepoint");
	assert_not_contains(txt, "unsupported: unsupported");
}

/* @name under base: a copy of a fixture run whose target kernel reads @kernel. */
static const char *fixture_as(const char *name, const char *kernel)
{
	static const char fix[] = "tests/fixtures/runs/trigger-instructions-all-tcg-2026-11-30";
	static const char key[] = "\"kernel_release\":\t\"6.12.107+deb12-cloud-amd64\"";
	static char dir[PATH_MAX];
	char src[PATH_MAX], path[PATH_MAX + 32], *text, *at;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	assert_int_equal(mkdir(dir, 0755), 0);
	for (int i = 0; i < 2; i++) {
		const char *file = i ? "manifest.json" : "samples.jsonl";
		char *argv[] = { "cp", src, path, NULL }, o[64], e[256];

		snprintf(src, sizeof(src), "%s/%s", test_root_path(fix), file);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		assert_cmp_int(run_capture(argv, o, sizeof(o), e, sizeof(e), 30000), ==, 0);
	}
	text = strdup(slurp(dir, "manifest.json"));
	assert_non_null(text);
	at = strstr(text, key);
	if (!at)
		fail_msg("the fixture's manifest has no %s", key);
	*at = '\0';
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\"kernel_release\":\"%s\"%s", text, kernel, at + strlen(key));
	assert_int_equal(fclose(f), 0);
	free(text);
	return dir;
}

/* Smoke: the real per-call fixture against itself relabelled: every row, no difference. */
static void test_real_fixture_smoke(void **state)
{
	char a[PATH_MAX], b[PATH_MAX], o[PATH_MAX + 8];
	const char *txt, *csv;

	(void)state;
	snprintf(a, sizeof(a), "%s", fixture_as("real-612", "6.12.107+deb12-cloud-amd64"));
	snprintf(b, sizeof(b), "%s", fixture_as("real-61", "6.1.0-57-cloud-amd64"));
	snprintf(o, sizeof(o), "%s/out6", base);
	assert_cmp_int(report((char *[]){ "-q", "--out", o, a, b }, 5), ==, 0);
	txt = slurp(o, "compare.txt");
	assert_contains(txt, "A = 6.12.107+deb12-cloud-amd64");
	assert_contains(txt, "B = 6.1.0-57-cloud-amd64");
	assert_contains(txt, "added cost in instructions/call");
	assert_contains(txt, "kprobe-fprobe-null-stat");
	csv = slurp(o, "compare.csv");
	/* same samples: each run's added cost the same, the difference 0 */
	assert_near(csv_field(csv, "fentry-null", "B", ADDED),
		    csv_field(csv, "fentry-null", "A", ADDED), 1e-9);
	assert_near(csv_field(csv, "fentry-null", "B", VS), 0, 1e-9);
	assert_near(csv_field(csv, "tp-map-stat", "B", VS), 0, 1e-9);
}

/* compare-paper.tex in an article with booktabs and siunitx: pdflatex accepts it. */
static void compile_tex(const char *dir)
{
	char path[PATH_MAX + 16], o[1 << 14], e[4096];
	char *argv[] = { "sh",
			 "-c",
			 "cd \"$1\" && pdflatex -no-shell-escape -interaction=nonstopmode t.tex",
			 "sh",
			 (char *)dir,
			 NULL };
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/t.tex", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("\\documentclass{article}\\usepackage{booktabs}\\usepackage{siunitx}\n"
	      "\\begin{document}\\input{compare-paper}\\end{document}\n",
	      f);
	assert_int_equal(fclose(f), 0);
	rc = run_capture(argv, o, sizeof(o), e, sizeof(e), 120000);
	if (rc)
		fail_msg("pdflatex on compare-paper.tex: exit %d\n%s", rc, test_excerpt(o));
}

/* Real runs: Debian 6.1 against 6.12, where 6.1 lacks the tracepoint and fprobe. */
static void test_real_kernels(void **state)
{
	char a[PATH_MAX], b[PATH_MAX], o[PATH_MAX + 8];
	const char *md, *csv, *tex;

	(void)state;
	snprintf(a, sizeof(a), "%s",
		 test_root_path("tests/fixtures/runs/trigger-instructions-all-tcg-6.1-2026-11-30"));
	snprintf(b, sizeof(b), "%s",
		 test_root_path("tests/fixtures/runs/trigger-instructions-all-tcg-2026-11-30"));
	snprintf(o, sizeof(o), "%s/out8", base);
	assert_cmp_int(report((char *[]){ "-q", "--estimator", "mean", "--out", o, a, b }, 7), ==,
		       0);
	md = slurp(o, "compare.md");
	assert_contains(md, "- A = 6.1.0-57-cloud-amd64");
	assert_contains(md, "- B = 6.12.107+deb12-cloud-amd64");
	assert_contains(md, "| tp-null | unsupported: tp: attach failed: No such file or "
			    "directory (errno 2); no tracepoint sock:sock_recv_length");
	assert_contains(md, "CONFIG_FPROBE is not set");
	/* the older 6.12 fixture records no environment: said once, not per field */
	assert_contains(md, "6.12.107+deb12-cloud-amd64 records no host.environment.*");
	assert_contains(md, "warning: settings.vcpus differs beyond the labelled variable: '1' in "
			    "6.1.0-57-cloud-amd64, '2' in 6.12.107+deb12-cloud-amd64");
	csv = slurp(o, "compare.csv");
	/* each side's own added cost, and B - A their difference */
	assert_near(csv_field(csv, "fentry-null", "B", VS),
		    csv_field(csv, "fentry-null", "B", ADDED) -
			    csv_field(csv, "fentry-null", "A", ADDED),
		    1e-6);
	assert_nan(csv_field(csv, "tp-null", "B", VS));
	/* The paper table: the reason's word in the cell, the whole reason once below */
	tex = slurp(o, "compare-paper.tex");
	assert_contains(tex, "\\scriptsize unsupported\\textsuperscript{b}}");
	assert_contains(tex, "\\textsuperscript{b}~unsupported: tp: attach failed");
	compile_tex(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differences_by_hand),
		cmocka_unit_test(test_table_labels_and_reasons),
		cmocka_unit_test(test_exact_counts_no_ci),
		cmocka_unit_test(test_mixtures_refused),
		cmocka_unit_test(test_hostile_names_and_width),
		cmocka_unit_test(test_single_samples_no_ci),
		cmocka_unit_test(test_real_fixture_smoke),
		cmocka_unit_test(test_real_kernels),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
