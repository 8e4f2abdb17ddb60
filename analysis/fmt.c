// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "analysis/columns.h"
#include "analysis/escape.h"
#include "analysis/fmt.h"

/* Past this, fixed notation is a row of digits no reader can take in: "%.3g" instead. */
#define FMT_FIXED_MAX 1e15

char *fmt_spec(char *buf, size_t len, const char *spec, double v)
{
	int n;

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	n = fabs(v) < FMT_FIXED_MAX ? snprintf(buf, len, spec, v) : -1;
	if (n < 0 || (size_t)n >= len)
		snprintf(buf, len, strchr(spec, '+') ? "%+.3g" : "%.3g", v);
	return buf;
}

/* "%.<prec>f" or "%+.<prec>f" for fmt_spec(). */
static const char *fixed(char *spec, size_t len, int prec, bool sign)
{
	snprintf(spec, len, "%%%s.%df", sign ? "+" : "", prec);
	return spec;
}

char *fmt_num(char *buf, size_t len, double v, int prec)
{
	char spec[16];

	return fmt_spec(buf, len, fixed(spec, sizeof(spec), prec, false), v);
}

char *fmt_signed(char *buf, size_t len, double v, int prec, const char *suffix)
{
	char spec[16], n[FMT_SPEC_LEN];

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s%s",
			 fmt_spec(n, sizeof(n), fixed(spec, sizeof(spec), prec, true), v), suffix);
	return buf;
}

char *fmt_pm(char *buf, size_t len, double mean, double sd, int prec, const char *pm)
{
	char spec[16], m[FMT_SPEC_LEN], s[FMT_SPEC_LEN];

	fixed(spec, sizeof(spec), prec, false);
	if (!isfinite(mean))
		snprintf(buf, len, "-");
	else if (!isfinite(sd))
		snprintf(buf, len, "%s", fmt_spec(m, sizeof(m), spec, mean));
	else
		snprintf(buf, len, "%s%s%s", fmt_spec(m, sizeof(m), spec, mean), pm,
			 fmt_spec(s, sizeof(s), spec, sd));
	return buf;
}

char *fmt_ci(char *buf, size_t len, double lo, double hi, int prec)
{
	char spec[16], l[FMT_SPEC_LEN], h[FMT_SPEC_LEN];

	fixed(spec, sizeof(spec), prec, true);
	if (!isfinite(lo) || !isfinite(hi))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "[%s, %s]", fmt_spec(l, sizeof(l), spec, lo),
			 fmt_spec(h, sizeof(h), spec, hi));
	return buf;
}

char *fmt_p(char *buf, size_t len, double p)
{
	if (!isfinite(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<0.001");
	else
		snprintf(buf, len, "%.3f", p);
	return buf;
}

/* "!!" makes a probe that did not run once per packet impossible to miss. */
char *fmt_hits(char *buf, size_t len, const struct row_stats *c)
{
	char m[FMT_SPEC_LEN];

	if (!c->hits_n || !isfinite(c->hits_mean))
		snprintf(buf, len, "%s", c->hits_bad ? "!!" : "-");
	else
		snprintf(buf, len, "%s%s", fmt_spec(m, sizeof(m), "%.2f", c->hits_mean),
			 c->hits_bad ? " !!" : "");
	return buf;
}

/* For rows without a single good sample: say why instead of printing dashes. */
const char *row_status(const struct row_stats *c)
{
	if (c->n_ok)
		return NULL;
	if (c->n_unsupported)
		return "unsupported";
	return "failed";
}

/* "Bitrate" from "bitrate": for column heads. */
const char *fmt_title(const char *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s", s);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] += 'A' - 'a';
	return buf;
}

/* Line @i of the legend every table ends with, or NULL past the last. */
const char *fmt_legend(const struct run *run, int i, char *buf, size_t len)
{
	const struct rec_metric *m = &run->metric;
	char t[64];

	switch (i) {
	case 0:
		snprintf(buf, len, "%s: %s, in %s; values are mean +/- sample sd (n-1)%s.",
			 fmt_title(m->name, t, sizeof(t)),
			 m->higher_is_better ? "higher is better" : "lower is better", m->unit,
			 !strcmp(m->clock, "instructions")
				 ? "; guest time under QEMU -icount: one ns per guest instruction, "
				   "so "
				   "the unit counts instructions, not time"
				 : "");
		return buf;
	case 1:
		if (run->estimator == EST_MEAN)
			snprintf(
				buf, len,
				"Impact: (mean - baseline mean) / baseline mean; Difference: mean "
				"- "
				"baseline "
				"mean in %s, with its 95%% Welch confidence interval; %s is worse.",
				m->unit, m->higher_is_better ? "negative" : "positive");
		else
			snprintf(buf, len,
				 "Impact (estimator: robust): Hodges-Lehmann shift (median of all "
				 "row - baseline differences) / baseline median; Difference: the "
				 "shift in %s, with its distribution-free 95%% CI (Mann-Whitney); "
				 "%s is worse. --estimator mean: means and Welch.",
				 m->unit, m->higher_is_better ? "negative" : "positive");
		return buf;
	case 2:
		snprintf(
			buf, len,
			"p (Holm): %s on %s, Holm-corrected across all "
			"configurations; Sig: *** p<0.001, ** p<0.01, * p<0.05, ns otherwise; none "
			"when both groups have no spread (the difference is then exact).",
			run->estimator == EST_MEAN ? "Welch two-sided t-test"
						   : "Mann-Whitney two-sided test",
			m->name);
		return buf;
	case 3:
		snprintf(buf, len,
			 "MDE: minimum detectable effect for this row (80%% power, 5%% level, "
			 "baseline %s), in %% of the baseline %s.",
			 run->estimator == EST_MEAN ? "sd" : "robust sd (1.4826 MAD) over 3/pi",
			 run->estimator == EST_MEAN ? "mean" : "median");
		return buf;
	case 4:
		snprintf(buf, len,
			 "%sns/run: run_time_ns / run_cnt from BPF stats (-stat rows only; the "
			 "program "
			 "body, not the attach mechanism's own cost).",
			 run->has_packets ? "ns/pkt: 1e9/pps - 1e9/pps_baseline (time added per "
					    "received packet); Transfer: MB received; "
					  : "");
		return buf;
	case 5:
		snprintf(
			buf, len,
			"Hits/%s: program runs per %s; '!!' marks values outside [%.1f, %.1f] or a "
			"failed check; '-': not measured.",
			m->event, m->event, HITS_MIN, HITS_MAX);
		return buf;
	case 6:
		snprintf(buf, len,
			 "'-' in any column: not computable for that row (too few samples, "
			 "no baseline, or not recorded by this workload).");
		return buf;
	case 7:
		snprintf(buf, len,
			 "[lo, hi] after a value: its 95%% CI. Stats cost: a -stat row minus the "
			 "same row with stats off (same attach type, probe and @settings; %s is "
			 "worse), %s, then its significance (Holm over the run's stats-on pairs).",
			 m->higher_is_better ? "negative" : "positive",
			 run->estimator == EST_MEAN
				 ? "mean difference and Welch's interval"
				 : "Hodges-Lehmann shift and Mann-Whitney interval");
		return buf;
	default:
		return NULL;
	}
}

/* One line of notes or legend, escaped for the format; wrapped (it ends the line) or not. */
static void put_line(FILE *f, const struct notes_style *st, const char *before, const char *s,
		     const char *after)
{
	char buf[4096];

	fputs(before, f);
	if (!st->wrap) {
		st->esc(f, s);
		fputs(after, f);
		return;
	}
	text_wrap(f, esc_text_str(buf, sizeof(buf), s), st->wrap);
}

int notes_write(const struct run *run, FILE *f, const struct notes_style *st)
{
	struct notes notes;
	char line[1024];
	size_t i;

	if (notes_build(run, &notes))
		return -1;
	/* a note quotes records: escaped for the format */
	for (i = 0; i < notes.n; i++)
		put_line(f, st, st->note_before, notes.v[i], st->note_after);
	fputs(st->between, f);
	for (i = 0; fmt_legend(run, (int)i, line, sizeof(line)); i++)
		put_line(f, st, st->legend_before, line, st->legend_after);
	notes_free(&notes);
	return 0;
}
