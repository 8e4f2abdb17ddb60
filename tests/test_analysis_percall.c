// SPDX-License-Identifier: GPL-2.0
/*
 * --percall: a per-call (trigger) run of the same kernel predicts each flood
 * row's impact. The prediction matches the model computed by hand, a row whose
 * measured CI is far from it is flagged and an agreeing one is not, a per-call
 * run that cannot predict the flood (instruction clock, another kernel, not a
 * trigger run, unreadable) is refused with a note and exit 0, and no output
 * file prints nan or inf. Every fixture folder is written here, in a mkdtemp
 * folder removed afterwards.
 */
#include <ctype.h>
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

#include "analysis/report.h"
#include "testlib.h"

#define KERNEL "6.12.107+deb12-cloud-amd64"

static char base[] = "/tmp/bpfcost-test-percall-XXXXXX";
static char flood[PATH_MAX];

/* <base>/<name> with @manifest (NULL: none) and samples.jsonl from @lines; path into @dir. */
static void folder(char *dir, size_t len, const char *name, const char *manifest,
		   char *const *lines, size_t n)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(dir, len, "%s/%s", base, name);
	if (mkdir(dir, 0755))
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	if (manifest) {
		snprintf(path, sizeof(path), "%s/manifest.json", dir);
		f = fopen(path, "w");
		assert_sys_ok(f, path);
		fputs(manifest, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	fclose(f);
}

struct rows {
	char *v[64];
	size_t n;
};

static void push(struct rows *r, const char *fmt, ...)
{
	va_list ap;

	assert_cmp_int(r->n, <, 64);
	va_start(ap, fmt);
	assert_cmp_int(vasprintf(&r->v[r->n++], fmt, ap), >, 0);
	va_end(ap);
}

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	r->n = 0;
}

/* Four samples: mean m, spread -d, +d, 0, 0 (sd = d sqrt(2/3)). */
static double sample(double m, double d, int k)
{
	return m + (k == 0 ? -d : k == 1 ? d : 0);
}

/* A flood (iperf) record: 64-byte datagrams, bitrate = pps x 512 bit/s. */
static void flood_rows(struct rows *r, const char *cfg, double pps, double d)
{
	for (int k = 0; k < 4; k++) {
		double p = sample(pps, d, k);

		push(r,
		     "{\"config\":\"%s\",\"block\":%d,\"metric\":{\"name\":\"bitrate\","
		     "\"field\":\"rx_bps\",\"unit\":\"Mbit/s\",\"scale\":1e-06,"
		     "\"higher_is_better\":true,\"event\":\"packet\",\"clock\":\"real\"},"
		     "\"rx_bps\":%.1f,\"rx_pps\":%.1f,\"hits_per_event\":%s}",
		     cfg, k, p * 512, p, strcmp(cfg, "baseline") ? "1.0" : "null");
	}
}

/* A per-call (trigger) record in @unit under @clock. */
static void call_rows(struct rows *r, const char *cfg, double ns, double d, const char *unit,
		      const char *clock)
{
	for (int k = 0; k < 4; k++)
		push(r,
		     "{\"config\":\"%s\",\"block\":%d,\"metric\":{\"name\":\"time per call\","
		     "\"field\":\"ns_per_call\",\"unit\":\"%s\",\"scale\":1,"
		     "\"higher_is_better\":false,\"event\":\"call\",\"clock\":\"%s\"},"
		     "\"ns_per_call\":%.3f,\"hits_per_event\":%s}",
		     cfg, k, unit, clock, sample(ns, d, k),
		     strcmp(cfg, "baseline") ? "1.0" : "null");
}

static char *manifest(const char *workload, const char *clock, const char *kernel)
{
	static char buf[512];
	char ti[160] = "";

	if (kernel)
		snprintf(ti, sizeof(ti),
			 ",\"target_info\":{\"name\":\"guest\",\"info\":{\"kernel_release\":\"%s\"}"
			 "}",
			 kernel);
	snprintf(buf, sizeof(buf),
		 "{\"matrix\":\"test\",\"target\":\"guest\",\"clock\":\"%s\","
		 "\"workload\":{\"name\":\"%s\"}%s}",
		 clock, workload, ti);
	return buf;
}

/* A per-call folder: baseline 1000 ns, tp-null and tp-map +500 ns, kprobe-null -2000 ns. */
static void percall_folder(char *dir, size_t len, const char *name, const char *man,
			   const char *unit, const char *clock)
{
	struct rows r = { 0 };

	call_rows(&r, "baseline", 1000, 10, unit, clock);
	call_rows(&r, "tp-null", 1500, 10, unit, clock);
	call_rows(&r, "tp-map", 1500, 10, unit, clock);
	folder(dir, len, name, man, r.v, r.n);
	rows_free(&r);
}

static int report(const char *percall, const char *out, const char *dir)
{
	/* Welch arithmetic by hand: the mean estimator (robust: test_analysis_robust*). */
	const char *argv[] = { "bpfcost-report", "-q",	  "--no-plots", "--estimator", "mean",
			       "--percall",	 percall, "-o",		out,	       dir };

	mkdir(out, 0755);
	return report_cli(10, (char **)argv);
}

static char *slurp(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s was not written", path);
	if (getdelim(&buf, &len, '\0', f) < 0)
		buf = strdup("");
	fclose(f);
	/* table.txt cuts long lines at 120 columns: notes are compared as written */
	return strcmp(name, "table.txt") ? buf : test_unwrap(buf);
}

static void expect_in(const char *dir, const char *file, const char *needle)
{
	char *t = slurp(dir, file);

	if (!strstr(t, needle))
		fail_msg("%s/%s lacks \"%s\"; it holds:\n%s", dir, file, needle, t);
	free(t);
}

static void expect_not_in(const char *dir, const char *file, const char *needle)
{
	char *t = slurp(dir, file);

	if (strstr(t, needle))
		fail_msg("%s/%s holds \"%s\", expected not to:\n%s", dir, file, needle, t);
	free(t);
}

/* The table.txt line of @cfg's impact row (the second line starting with its name). */
static void impact_line(const char *dir, const char *cfg, char *line, size_t len)
{
	char *t = slurp(dir, "table.txt"), *p = t, needle[128];
	int seen = 0;

	snprintf(needle, sizeof(needle), "\n%s ", cfg);
	while ((p = strstr(p, needle)) && ++seen < 2)
		p++;
	if (!p)
		fail_msg("no impact row for %s in %s/table.txt:\n%s", cfg, dir, t);
	snprintf(line, len, "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
	free(t);
}

/* "nan" or "inf" as a word of its own, in every derived file of @dir. */
static void expect_no_impossible_token(const char *dir)
{
	static const char *const files[] = { "table.txt", "table.md", "table.tex", "summary.csv" };
	static const char *const bad[] = { "nan", "inf" };

	for (size_t f = 0; f < 4; f++) {
		char *t = slurp(dir, files[f]), *p;

		for (size_t k = 0; k < 2; k++)
			for (p = t; (p = strcasestr(p, bad[k])); p++)
				if (!(p > t && isalpha((unsigned char)p[-1])) &&
				    !isalpha((unsigned char)p[3]))
					fail_msg("%s/%s prints \"%.40s\", expected no %s", dir,
						 files[f], p > t + 20 ? p - 20 : t, bad[k]);
		free(t);
	}
}

/*
 * Hand computation. Flood baseline: 99000, 101000, 100000, 100000 packets/s,
 * mean p = 100000. Per-call baseline 990, 1010, 1000, 1000 ns, tp-null 1490,
 * 1510, 1500, 1500 ns: c = 500 ns per call, h = 1 hit per packet.
 *   x = c h p = 500e-9 x 1 x 100000 = 0.05
 *   predicted = -100 x / (1 + x) = -5 / 1.05 = -4.7619048 %
 * The per-call CI: both sds sqrt(200/3) = 8.165, se = sqrt(2 x (200/3) / 4) =
 * 5.7735, Welch df = 6, t(0.975, 6) = 2.446912, half-width 14.1274 ns:
 * c in [485.8726, 514.1274] ns, x in [0.04858726, 0.05141274],
 * predicted in [-4.889871, -4.633594] % (the larger cost gives the lower bound).
 */
static void test_predicted_value(void **state)
{
	double t = 2.446912, se = sqrt(2 * (200.0 / 3) / 4), x_lo, x_hi;
	char pc[PATH_MAX], out[PATH_MAX + 8], line[1024];
	size_t found = 0;
	struct run run;

	(void)state;
	percall_folder(pc, sizeof(pc), "pc-good", manifest("trigger", "real", KERNEL), "ns/call",
		       "real");
	assert_int_equal(run_load(&run, flood, NULL), 0);
	run.estimator = EST_MEAN;
	assert_int_equal(run_analyse(&run), 0);
	assert_int_equal(run_percall(&run, flood, pc), 0);
	assert_string_equal(run.percall.refused, "");
	assert_int_equal(run.percall.used, 1);
	assert_int_equal(run.percall.kernel_unknown, 0);
	assert_near(run.percall.pps_baseline, 100000, 1e-6);
	for (size_t i = 0; i < run.n_rows; i++) {
		const struct row_stats *c = &run.rows[i];

		if (strcmp(c->name, "tp-null"))
			continue;
		found++;
		x_lo = (500 - t * se) * 1e-9 * 100000;
		x_hi = (500 + t * se) * 1e-9 * 100000;
		assert_near(c->predicted_pct, -100 * 0.05 / 1.05, 1e-9);
		assert_near(c->predicted_pct, -4.7619048, 1e-6);
		assert_near(c->predicted_lo, -100 * x_hi / (1 + x_hi), 1e-4);
		assert_near(c->predicted_lo, -4.889871, 1e-5);
		assert_near(c->predicted_hi, -100 * x_lo / (1 + x_lo), 1e-4);
		assert_near(c->predicted_hi, -4.633594, 1e-5);
	}
	assert_int_equal(found, 1);
	run_free(&run);

	snprintf(out, sizeof(out), "%s/out-good", base);
	assert_int_equal(report(pc, out, flood), 0);
	/* the terminal has the predicted value and flag, the full tables its CI too */
	impact_line(out, "tp-null", line, sizeof(line));
	if (!strstr(line, "  -4.8% ok  "))
		fail_msg("tp-null row \"%s\", expected \"  -4.8%% ok  \" in it", line);
	expect_in(out, "table.txt", "Predicted (%)  Sig");
	expect_in(out, "table.txt", "p = 100000 baseline packets/s");
	expect_in(out, "table.txt", "the receiving CPU is saturated");
	expect_in(out, "table.md", "| -4.8% [-4.9, -4.6] | ok |");
	expect_in(out, "table.tex", "$-4.8\\%$ $[-4.9, -4.6]$ & ok");
	expect_in(out, "summary.csv",
		  ",predicted_pct,predicted_lo,predicted_hi,"
		  "predicted_disagrees\n");
	expect_in(out, "summary.csv", ",-4.761904762,-4.8898709");
	expect_no_impossible_token(out);
}

/*
 * tp-null measures -4.76% [-6.2, -3.4]: it overlaps the prediction [-4.9, -4.6]: "ok".
 * tp-map measures -30% [-31.4, -28.6] against the same prediction: "!".
 * fentry-null has no per-call row: "-" and no flag.
 */
static void test_disagreement_flag(void **state)
{
	char pc[PATH_MAX], out[PATH_MAX + 8], line[1024];
	size_t found = 0;
	struct run run;

	(void)state;
	percall_folder(pc, sizeof(pc), "pc-flag", manifest("trigger", "real", KERNEL), "ns/call",
		       "real");
	assert_int_equal(run_load(&run, flood, NULL), 0);
	run.estimator = EST_MEAN;
	assert_int_equal(run_analyse(&run), 0);
	assert_int_equal(run_percall(&run, flood, pc), 0);
	for (size_t i = 0; i < run.n_rows; i++) {
		const struct row_stats *c = &run.rows[i];

		found += !strcmp(c->name, "tp-null") || !strcmp(c->name, "tp-map") ||
			 !strcmp(c->name, "fentry-null");
		if (!strcmp(c->name, "tp-null")) {
			assert_int_equal(c->predicted_disagrees, 0);
			assert_string_equal(percall_flag(&run, c), "ok");
		} else if (!strcmp(c->name, "tp-map")) {
			assert_near(c->impact_pct, -30, 1e-6);
			assert_int_equal(c->predicted_disagrees, 1);
			assert_string_equal(percall_flag(&run, c), "!");
		} else if (!strcmp(c->name, "fentry-null")) {
			assert_int_equal(isnan(c->predicted_pct), 1);
			assert_int_equal(c->predicted_disagrees, 0);
			assert_string_equal(percall_flag(&run, c), "-");
		}
	}
	assert_int_equal(found, 3);
	assert_int_equal(run.percall.matched, 2);
	assert_int_equal(run.percall.rows, 3);
	assert_int_equal(run.percall.disagree, 1);
	run_free(&run);

	snprintf(out, sizeof(out), "%s/out-flag", base);
	assert_int_equal(report(pc, out, flood), 0);
	impact_line(out, "tp-map", line, sizeof(line));
	if (!strstr(line, "  -4.8% !  "))
		fail_msg("tp-map row \"%s\", expected the '!' flag", line);
	impact_line(out, "tp-null", line, sizeof(line));
	if (!strstr(line, "  -4.8% ok  ") || strchr(line, '!'))
		fail_msg("tp-null row \"%s\", expected \"ok\" and no '!'", line);
	impact_line(out, "fentry-null", line, sizeof(line));
	if (!strstr(line, "]              -  ***"))
		fail_msg("fentry-null row \"%s\", expected a dash prediction", line);
	expect_in(out, "table.md", "| fentry-null | 46.1 ± 0.4 |");
	expect_in(out, "table.md", "| -10.0% [-11.4, -8.6] | - | - |");
	expect_in(out, "table.txt", "'!' marks 1 row(s) whose measured impact's 95% CI");
	expect_in(out, "table.txt", "  tp-map: measured -30.0% [");
	expect_in(out, "table.txt", "2 of 3 rows matched by configuration name");
	expect_in(out, "table.md", "| -4.8% [-4.9, -4.6] | ! |");
	expect_in(out, "summary.csv", ",1\n");
	expect_no_impossible_token(out);
}

/* A refusal is a note in every table, the column all dashes, and exit status 0. */
static void expect_refused(const char *pc, const char *name, const char *why)
{
	char out[PATH_MAX + 8];

	snprintf(out, sizeof(out), "%s/out-%s", base, name);
	assert_int_equal(report(pc, out, flood), 0);
	expect_in(out, "table.txt", "not shown: ");
	expect_in(out, "table.txt", why);
	expect_in(out, "table.md", why);
	expect_in(out, "table.txt", "Predicted (%)  Sig");
	expect_not_in(out, "table.txt", "-4.8% ok");
	expect_not_in(out, "table.txt", "-4.8% !");
	expect_not_in(out, "table.md", "-4.8% [-4.9");
	expect_not_in(out, "table.txt", "'!' marks");
	expect_in(out, "summary.csv", ",predicted_disagrees\n");
	expect_no_impossible_token(out);
}

static void test_refusals(void **state)
{
	char pc[PATH_MAX], out[PATH_MAX + 8];

	(void)state;
	percall_folder(pc, sizeof(pc), "pc-icount", manifest("trigger", "instructions", KERNEL),
		       "instructions/call", "instructions");
	expect_refused(pc, "icount",
		       "its clock is 'instructions': its per-call figures count guest "
		       "instructions (instructions/call), not nanoseconds");

	percall_folder(pc, sizeof(pc), "pc-kernel", manifest("trigger", "real", "6.18.44-fc-v595"),
		       "ns/call", "real");
	expect_refused(pc, "kernel",
		       "its target kernel (6.18.44-fc-v595) differs from the flood's (" KERNEL ")");

	/* the flood folder itself is an iperf run */
	expect_refused(flood, "iperf", "its workload is 'iperf', not trigger");

	/* no manifest, no per-call metric: still not a trigger run */
	{
		struct rows r = { 0 };

		flood_rows(&r, "baseline", 1000, 10);
		flood_rows(&r, "tp-null", 1000, 10);
		folder(pc, sizeof(pc), "pc-nomanifest", NULL, r.v, r.n);
		rows_free(&r);
	}
	expect_refused(pc, "nomanifest", "it is not a per-call (WORKLOAD=trigger) run");

	/* a folder that cannot be loaded; its name is never markup in a table */
	snprintf(pc, sizeof(pc), "%s/no\\input{such}$dir", base);
	expect_refused(pc, "missing", "cannot read its samples.jsonl");
	snprintf(out, sizeof(out), "%s/out-missing", base);
	expect_in(out, "table.tex", "no?input?such??dir");
	expect_not_in(out, "table.tex", "\\input{such}");

	/* a manifest without the kernel: still predicted, but marked */
	percall_folder(pc, sizeof(pc), "pc-nokernel", manifest("trigger", "real", NULL), "ns/call",
		       "real");
	snprintf(out, sizeof(out), "%s/out-nokernel", base);
	assert_int_equal(report(pc, out, flood), 0);
	expect_in(out, "table.txt", "kernel unknown");
	expect_in(out, "table.txt", "-4.8% ok?");
	expect_in(out, "table.txt", "-4.8% !?");
	expect_in(out, "table.md", "| -4.8% [-4.9, -4.6] | ok? |");
	expect_in(out, "table.md", "| -4.8% [-4.9, -4.6] | !? |");
	expect_no_impossible_token(out);
}

/*
 * A per-call cost the model cannot turn into a rate (x = c h p <= -1: the probe
 * would save more than a packet's whole time) prints a dash, never nan or inf.
 */
static void test_no_nan_inf(void **state)
{
	char pc[PATH_MAX], out[PATH_MAX + 8], line[1024];
	struct rows r = { 0 };

	(void)state;
	/* c = 5000 - 30000 = -25000 ns: x = -25000e-9 x 1 x 100000 = -2.5 */
	call_rows(&r, "baseline", 30000, 10, "ns/call", "real");
	call_rows(&r, "tp-null", 5000, 10, "ns/call", "real");
	/* c = 0: predicted +0.0%, never "-0.0%" */
	call_rows(&r, "tp-map", 30000, 10, "ns/call", "real");
	folder(pc, sizeof(pc), "pc-fast", manifest("trigger", "real", KERNEL), r.v, r.n);
	rows_free(&r);
	snprintf(out, sizeof(out), "%s/out-fast", base);
	assert_int_equal(report(pc, out, flood), 0);
	impact_line(out, "tp-null", line, sizeof(line));
	if (!strstr(line, "]              -  "))
		fail_msg("tp-null row \"%s\", expected a dash prediction", line);
	expect_in(out, "table.md", "| -4.8% [-6.2, -3.3] | - | - |");
	impact_line(out, "tp-map", line, sizeof(line));
	if (!strstr(line, "  +0.0% !  "))
		fail_msg("tp-map row \"%s\", expected \"  +0.0%% !  \"", line);
	expect_in(out, "table.md", "| +0.0% [");
	expect_no_impossible_token(out);

	/* without --percall the tables do not change: no column, no note, no csv columns */
	{
		const char *argv[] = { "bpfcost-report", "-q", "--no-plots", "-o", out, flood };

		assert_int_equal(report_cli(6, (char **)argv), 0);
	}
	expect_not_in(out, "table.txt", "Predicted");
	expect_not_in(out, "table.md", "Predicted");
	expect_not_in(out, "table.tex", "Predicted");
	expect_in(out, "summary.csv",
		  ",schema_version,precision_target,precision_unit,"
		  "diff_ci95_half_width,raw_mean,raw_diff,raw_diff_ci95_low,raw_diff_ci95_high,"
		  "ref_ns_median\n");
	expect_not_in(out, "summary.csv", "predicted");
	expect_no_impossible_token(out);
}

static int setup(void **state)
{
	struct rows r = { 0 };

	(void)state;
	if (!mkdtemp(base))
		return -1;
	snprintf(flood, sizeof(flood), "%s/flood", base);
	if (mkdir(flood, 0755))
		return -1;
	flood_rows(&r, "baseline", 100000, 1000);
	flood_rows(&r, "tp-null", 95238.0952381, 1000); /* -4.76%: as predicted */
	flood_rows(&r, "tp-map", 70000, 1000);		/* -30%: far from it */
	flood_rows(&r, "fentry-null", 90000, 1000);	/* no per-call row */
	{
		char path[PATH_MAX + 32];
		FILE *f;

		snprintf(path, sizeof(path), "%s/samples.jsonl", flood);
		f = fopen(path, "w");
		for (size_t i = 0; f && i < r.n; i++)
			fprintf(f, "%s\n", r.v[i]);
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "%s/manifest.json", flood);
		f = fopen(path, "w");
		if (f) {
			fputs(manifest("iperf", "real", KERNEL), f);
			fclose(f);
		}
	}
	rows_free(&r);
	return 0;
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", base, NULL };
	char out[64], err[256];

	(void)state;
	if (getenv("BPFCOST_KEEP_TEST_OUTPUT"))
		return 0;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_predicted_value),
		cmocka_unit_test(test_disagreement_flag),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_no_nan_inf),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
