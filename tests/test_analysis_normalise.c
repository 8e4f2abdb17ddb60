// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call normalisation (analysis/normalise.c), by hand arithmetic on a few
 * synthetic records: the run's median reference over every good sample, each
 * value scaled by it over the sample's own, raw values and the raw added cost
 * kept; runs whose samples lack a reference stay raw. And the per-call notes:
 * the detection limit per call, the normalisation line with the raw cost.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/fmt.h"
#include "analysis/run.h"
#include "testlib.h"

#define METRIC                                                                                     \
	"\"metric\":{\"name\":\"time per call\",\"field\":\"%s\",\"unit\":\"ns/call\","            \
	"\"scale\":1,\"higher_is_better\":false,\"event\":\"call\",\"clock\":\"real\"}"

/* One record line: @ref < 0 leaves ref_ns_per_call out. */
static void line(FILE *f, const char *config, int block, const char *field, double v, double ref,
		 bool disturbed)
{
	fprintf(f, "{\"config\":\"%s\",\"block\":%d,\"stats\":false,", config, block);
	if (strcmp(config, "baseline"))
		fprintf(f, "\"attach\":\"tp\",\"probe\":\"null\",");
	fprintf(f, METRIC ",\"%s\":%.17g", field, field, v);
	if (ref >= 0)
		fprintf(f, ",\"ref_ns_per_call\":%.17g", ref);
	fprintf(f, "%s}\n", disturbed ? ",\"disturbed\":true" : "");
}

struct sample {
	const char *config;
	double v, ref;
	bool disturbed;
};

/* The run of @n samples (block = index within its configuration), analysed with @est. */
static void load(struct run *run, const struct sample *s, size_t n, const char *field,
		 enum estimator est)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	int block[2] = { 0, 0 };

	assert_non_null(f);
	for (i = 0; i < n; i++) {
		int k = !strcmp(s[i].config, "baseline");

		line(f, s[i].config, block[k]++, field, s[i].v, s[i].ref, s[i].disturbed);
	}
	fclose(f);
	memset(run, 0, sizeof(*run));
	f = fmemopen(buf, len, "r");
	assert_non_null(f);
	assert_int_equal(records_load_file(f, "synthetic", &run->recs, stderr), 0);
	fclose(f);
	free(buf);
	assert_int_equal(run_group(run), 0);
	run->estimator = est;
	run->precision_pct = NAN;
	assert_int_equal(run_analyse(run), 0);
}

static const struct row_stats *row(const struct run *run, const char *name)
{
	const struct row_stats *c = run_find_row(run, name);

	if (!c)
		fail_msg("no row %s in the run", name);
	return c;
}

/*
 * References 45 45 50 50 50 52.5 55 55 over the good samples: median 50 (the
 * disturbed sample's 10 is left out, or it would be (50 + 50) / 2 all the same
 * but for its own value, 200 x 50 / 10 = 1000, which must not reach a row).
 * Baseline 100 110 90 100 at refs 50 55 45 50: normalised 100 each.
 * tp-null 120 132 108 126 at refs 50 55 45 52.5: normalised 120 each.
 */
static const struct sample drift[] = {
	{ "baseline", 100, 50, false }, { "baseline", 110, 55, false },
	{ "baseline", 90, 45, false },	{ "baseline", 100, 50, false },
	{ "tp-null", 120, 50, false },	{ "tp-null", 132, 55, false },
	{ "tp-null", 108, 45, false },	{ "tp-null", 126, 52.5, false },
	{ "tp-null", 200, 10, true },
};

static void test_normalised_by_median_reference(void **state)
{
	const struct row_stats *b, *tp;
	struct run run;

	(void)state;
	load(&run, drift, sizeof(drift) / sizeof(drift[0]), "ns_per_call", EST_MEAN);
	assert_int_equal(run.normalised, true);
	assert_near(run.ref_median_ns, 50, 1e-12);
	b = row(&run, "baseline");
	tp = row(&run, "tp-null");
	/* normalised: 100 and 120 in every sample, so no spread and an exact difference */
	assert_near(b->value.mean, 100, 1e-9);
	assert_near(b->value.sd, 0, 1e-9);
	assert_near(tp->value.mean, 120, 1e-9);
	assert_near(tp->diff, 20, 1e-9);
	assert_near(tp->diff_lo, 20, 1e-9);
	assert_near(tp->diff_hi, 20, 1e-9);
	/* raw kept: (120 + 132 + 108 + 126) / 4 = 121.5 against 100 */
	assert_near(b->raw.mean, 100, 1e-9);
	assert_near(tp->raw.mean, 121.5, 1e-9);
	assert_near(tp->raw_diff, 21.5, 1e-9);
	/* Welch on raw: a real interval around 21.5, wider than the normalised one */
	assert_cmp_double(tp->raw_diff_lo, <, 21.5);
	assert_cmp_double(tp->raw_diff_hi, >, 21.5);
	for (size_t i = 0; i < run.recs.n; i++)
		if (!run.recs.v[i].disturbed)
			assert_near(run.recs.v[i].raw_value, drift[i].v, 1e-12);
	run_free(&run);
}

/* The robust estimator's raw shift: the Hodges-Lehmann median of the raw differences. */
static void test_raw_diff_robust(void **state)
{
	const struct row_stats *tp;
	struct run run;

	(void)state;
	load(&run, drift, sizeof(drift) / sizeof(drift[0]), "ns_per_call", EST_ROBUST);
	tp = row(&run, "tp-null");
	/*
	 * tp 108 120 126 132 minus baseline 90 100 100 110: the 16 differences
	 * -2 8 8 18 | 10 20 20 30 | 16 26 26 36 | 22 32 32 42; sorted, the 8th and
	 * 9th are 20 and 22: median 21.
	 */
	assert_near(tp->raw_diff, 21, 1e-9);
	assert_near(tp->diff, 20, 1e-9);
	run_free(&run);
}

/* One good sample without a reference: no run-wide median to scale by, values stay raw. */
static void test_not_normalised_without_every_reference(void **state)
{
	struct sample s[sizeof(drift) / sizeof(drift[0])];
	struct run run;

	(void)state;
	memcpy(s, drift, sizeof(s));
	s[1].ref = -1;
	load(&run, s, sizeof(s) / sizeof(s[0]), "ns_per_call", EST_MEAN);
	assert_int_equal(run.normalised, false);
	if (!isnan(run.ref_median_ns))
		fail_msg("ref_median_ns %g; expected NAN (not normalised)", run.ref_median_ns);
	assert_near(row(&run, "tp-null")->value.mean, 121.5, 1e-9);
	assert_near(row(&run, "tp-null")->diff, 21.5, 1e-9);
	assert_near(row(&run, "tp-null")->raw_diff, 21.5, 1e-9);
	run_free(&run);
	/* a crafted reference that would carry a value past 2^53: not normalised, no inf */
	memcpy(s, drift, sizeof(s));
	s[2].ref = 1e-300;
	load(&run, s, sizeof(s) / sizeof(s[0]), "ns_per_call", EST_MEAN);
	assert_int_equal(run.normalised, false);
	assert_near(row(&run, "baseline")->value.mean, 100, 1e-9);
	run_free(&run);
	/* ref=0: no reference at all */
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		s[i].ref = -1;
	load(&run, s, sizeof(s) / sizeof(s[0]), "ns_per_call", EST_MEAN);
	assert_int_equal(run.normalised, false);
	assert_near(row(&run, "baseline")->value.mean, 100, 1e-9);
	run_free(&run);
	/* a metric scaled by hand already (older records' ns_per_call_norm): left as it is */
	load(&run, drift, sizeof(drift) / sizeof(drift[0]), "ns_per_call_norm", EST_MEAN);
	assert_int_equal(run.normalised, false);
	assert_near(row(&run, "tp-null")->value.mean, 121.5, 1e-9);
	run_free(&run);
}

/* The note line starting with @prefix, or a failure listing the notes. */
static const char *note(const struct notes *n, const char *prefix)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strncmp(n->v[i], prefix, strlen(prefix)))
			return n->v[i];
	for (size_t i = 0; i < n->n; i++)
		fprintf(stderr, "  note: %s\n", n->v[i]);
	fail_msg("no note starting \"%s\"; the notes are above", prefix);
	return NULL;
}

/*
 * The detection limit per call is the MDE in ns per call: baseline 98 100 102
 * 100 (sd 1.633, n=4 against 4, Welch) without references, so raw values.
 */
static void test_detection_limit_note(void **state)
{
	static const struct sample s[] = {
		{ "baseline", 98, -1, false },	{ "baseline", 100, -1, false },
		{ "baseline", 102, -1, false }, { "baseline", 100, -1, false },
		{ "tp-null", 110, -1, false },	{ "tp-null", 111, -1, false },
		{ "tp-null", 109, -1, false },	{ "tp-null", 110, -1, false },
	};
	double mde = stats_mde(sqrt(8.0 / 3), 4, 4, ALPHA, POWER);
	struct notes n;
	struct run run;
	char want[128];

	(void)state;
	load(&run, s, sizeof(s) / sizeof(s[0]), "ns_per_call", EST_MEAN);
	assert_near(run.mde_abs, mde, 1e-9);
	assert_int_equal(notes_build(&run, &n), 0);
	snprintf(want, sizeof(want),
		 "an added cost below about %s ns/call could not have been seen", FMT("%.3g", mde));
	assert_contains(note(&n, "Detection limit per call: "), want);
	assert_contains(note(&n, "Detection limit per call: "), "n=4 per group");
	notes_free(&n);
	run_free(&run);
	/* normalised: the note says so, and gives each row's raw added cost beside it */
	load(&run, drift, sizeof(drift) / sizeof(drift[0]), "ns_per_call", EST_MEAN);
	assert_int_equal(notes_build(&run, &n), 0);
	assert_contains(note(&n, "Normalised: "), "(50.00 ns)");
	assert_contains(note(&n, "  tp-null: raw added cost "), "+21.50 [");
	assert_contains(note(&n, "  tp-null: raw added cost "),
			"normalised +20.00 [+20.00, +20.00]");
	assert_contains(note(&n, "Detection limit per call: "), "normalised times");
	notes_free(&n);
	run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalised_by_median_reference),
		cmocka_unit_test(test_raw_diff_robust),
		cmocka_unit_test(test_not_normalised_without_every_reference),
		cmocka_unit_test(test_detection_limit_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
