// SPDX-License-Identifier: GPL-2.0
/*
 * The analysed run: one struct row_stats per configuration, in table order (baseline first,
 * then attach type, probe, stats off before on). Every table and plot reads only this.
 */
#ifndef BPFCOST_ANALYSIS_RUN_H
#define BPFCOST_ANALYSIS_RUN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis/context.h"
#include "analysis/records.h"
#include "analysis/stats.h"
#include "experiments/record_check.h"

#define ALPHA 0.05
#define POWER 0.80
/* PRECISION in the metric's unit (precision_unit.c) */
#define PRECISION_UNIT_LEN 32
#define PRECISION_ABS_MAX  1e12 /* in the metric's unit: any sane half-width is far below */

/*
 * Which estimator the headline impact, CI, p and significance columns use.
 * robust (default): medians and the Hodges-Lehmann shift with its Mann-Whitney
 * interval, unmoved by a disturbed sample; mean: mean, sd and Welch's t.
 */
enum estimator { EST_ROBUST, EST_MEAN, EST_COUNT };
const char *estimator_name(enum estimator e);
int estimator_parse(const char *s, enum estimator *e);

/* One estimator's answer for a row against the baseline. */
struct estimate {
	double centre;				 /* mean or median, in the unit */
	double diff, diff_lo, diff_hi;		 /* shift against baseline, 95% CI */
	double impact_pct, impact_lo, impact_hi; /* the same in % of the baseline's centre */
	double p, p_holm;
	const char *sig;
	double mde_abs, mde_pct; /* this row's n against the baseline's, this estimator */
	double n_for_sig; /* equal n per row and baseline that would make the shift significant
			     after Holm (Bonferroni bound) at 80% power; NAN: no shift */
};

/* One matrix row (experiments/matrix.h's struct config) after grouping: its samples' statistics. */
struct row_stats {
	char name[REC_NAME_LEN];
	char attach[REC_NAME_LEN];
	char probe[REC_NAME_LEN];
	bool stats;
	bool baseline;
	const struct record **ok; /* successful samples, in file order */
	size_t n_ok;
	size_t n_err, n_unsupported;
	const char *first_error;
	const struct record **disturbed; /* records marked disturbed: kept, never analysed */
	size_t n_disturbed;
	const char *first_disturbed; /* its reason */
	size_t n_unclean;	     /* blocks with a disturbed record and no clean one */
	/* Interference over every measured record of the row, disturbed ones included. */
	double foreign_cpu_max, psi_some_mean, steal_max;

	/* results, filled by run_analyse() */
	struct sample_stats value; /* the run's metric, in its unit (normalised, if the run is) */
	struct sample_stats raw;   /* the metric as recorded, before normalisation */
	double raw_diff, raw_diff_lo, raw_diff_hi; /* added cost on raw values, 95% CI */
	struct sample_stats mb, pps, lost, cpu_host, cpu_remote; /* iperf's, when recorded */
	double impact_pct, impact_lo, impact_hi; /* % of baseline, 95% CI of the difference */
	double diff, diff_lo, diff_hi;		 /* mean - baseline mean, in the unit, 95% CI */
	double transfer_impact_pct;
	struct welch welch;
	double p_holm;
	const char *sig;
	double mde_pct;	   /* for this row's n against the baseline's n and sd */
	double mde_abs;	   /* the same in the metric's unit */
	double ns_per_pkt; /* 1e9/pps - 1e9/pps_baseline */
	double ns_per_run; /* run_time_ns / run_cnt summed over samples; NAN without stats */
	double run_cnt, run_time_ns;
	double hits_mean, hits_min, hits_max;
	size_t hits_n;
	bool hits_bad; /* any sample outside [HITS_MIN, HITS_MAX] or hits_ok false */
	char hits_source[16];
	char mechanism[32]; /* "mixed" if samples disagree */
	double spin_ns;
	struct estimate est[EST_COUNT]; /* both; the fields above hold run->estimator's */
	/*
	 * The metric's further ones (metric.also, latency percentiles), filled by
	 * run_also(): mean ± sd, the difference of means against baseline with
	 * Welch's 95% CI, and the MDE, in the unit. also_absent: good samples that
	 * lack it (then no figure: metric.absent says why).
	 */
	struct sample_stats also[REC_ALSO_MAX];
	struct welch also_welch[REC_ALSO_MAX];
	double also_mde[REC_ALSO_MAX];
	size_t also_absent[REC_ALSO_MAX];
	/* PRECISION, filled by run_precision() */
	double half_width_pct; /* of the impact's 95% CI, in % of the baseline */
	double half_width;     /* of the added cost's 95% CI (diff_lo, diff_hi), in the unit */
	bool reached;	       /* the half-width in the target's unit <= the target */
	double projected_n;    /* equal n per row and baseline to reach it; INFINITY: too many */
	/* --percall, filled by run_percall(): the impact the per-call cost predicts; NAN: none */
	double predicted_pct, predicted_lo, predicted_hi; /* lo, hi from the per-call 95% CI */
	bool predicted_disagrees; /* predicted interval and measured impact CI do not overlap */
	/*
	 * Stats-on rows, filled by run_stats_cost(): what turning BPF stats on
	 * added, this row minus the same row with stats off (stats_off), with the
	 * run's estimator. NAN (sig ""): a stats-off row, or no pair to compare.
	 */
	const struct row_stats *stats_off;
	double stats_cost, stats_cost_lo, stats_cost_hi; /* in the metric's unit, 95% CI */
	double stats_cost_pct;				 /* the same in % of the baseline */
	double stats_cost_pct_lo, stats_cost_pct_hi;
	double stats_cost_ns_per_pkt; /* the flood: 1e9/pps_on - 1e9/pps_off */
	double stats_cost_p, stats_cost_p_holm;
	const char *stats_cost_sig; /* Holm over the run's stats-on pairs */
	/*
	 * Known-cost rows, filled by run_spin_twins(): this row minus its twin
	 * set to 0 (same probe and attach type, every other setting equal), so
	 * the set cost alone, without the attach's own: in the metric's unit.
	 */
	const struct row_stats *spin_zero;
	double spin_alone, spin_alone_lo, spin_alone_hi, spin_alone_p;
};

/* One row minus another of the same run, by an estimator: in the unit, 95% CI. */
struct row_shift {
	double est, lo, hi, p;
};

/* Measured added cost against set spin_ns over a spin ladder's rows: least squares. */
struct ladder {
	size_t rows;			  /* spin rows with a measured added cost; < 3: no fit */
	double slope, slope_lo, slope_hi; /* 95% CI, t with rows - 2 df */
	double icept, icept_lo, icept_hi;
};

/* --percall DIR: a per-call (trigger) run of the same kernel predicts the flood's impacts. */
struct percall {
	bool asked;	      /* --percall given: every table shows the predicted column */
	bool used;	      /* the per-call run was accepted: predictions were made */
	bool kernel_unknown;  /* a manifest lacks the target kernel: predictions marked '?' */
	char refused[192];    /* why not, when asked and not used (plain text) */
	char dir[128];	      /* the folder as given, unsafe characters replaced by '?' */
	char kernel[64];      /* the target kernel of both runs when known and equal */
	double pps_baseline;  /* the flood baseline's packets per second */
	size_t rows, matched; /* flood rows with a measured impact; those with a per-call row */
	size_t judged;	      /* matched rows with both intervals: flagged '!' or "ok" */
	size_t disagree;      /* rows flagged '!' */
	size_t hits_assumed;  /* rows without hits per packet, given 1 */
};

struct manifest_field {
	char key[32];
	char value[96];
};

struct run {
	struct record_set recs;
	struct row_stats *rows;
	size_t n_rows;
	struct row_stats *baseline;
	struct rec_metric metric;    /* the workload's, from the records */
	bool has_packets;	     /* iperf's packet counts are there: its columns are shown */
	enum estimator estimator;    /* set before run_analyse(); EST_ROBUST by default */
	double mde_pct;		     /* run-level: baseline n vs equal n, baseline sd */
	double mde_abs;		     /* the same in the metric's unit */
	double mde_by[EST_COUNT][2]; /* run-level MDE per estimator: [pct, abs] */
	size_t n_disturbed;	     /* disturbed records in the run */
	/* Fitted on raw added costs when the run is normalised (a spin busy-waits on wall time). */
	struct ladder ladder;
	struct ladder ladder_normalised; /* on normalised ones; rows 0 when not normalised */
	bool normalised;		 /* values scaled by reference times (run_normalise) */
	double ref_median_ns;		 /* the run's median reference time per call; NAN: none */
	/* PRECISION: the manifest's target as recorded (hostile until run_precision() judges it) */
	double precision_asked;			       /* NAN: none recorded */
	char precision_asked_unit[PRECISION_UNIT_LEN]; /* "%", or a unit per event: "ns" */
	/* The target judged by run_precision(): at most one of the two is not NAN. */
	double precision_pct;			 /* target half-width in % of the baseline */
	double precision_abs;			 /* target half-width in precision_unit */
	char precision_unit[PRECISION_UNIT_LEN]; /* the metric's unit per event: "ns", "insn" */
	char precision_stop[16]; /* the runner's stop code: reached, budget, max_n */
	size_t n_failed;
	struct manifest_field manifest[8];
	size_t n_manifest;
	struct run_context ctx; /* the manifest's kernel, CPU, clock...: a caption */
	struct percall percall;
};

int run_group(struct run *run);
/* A row's metric values over its good samples (NAN values skipped); the caller frees. */
double *row_values(const struct row_stats *c, size_t *n);
/* x / base * 100, or NAN when the base cannot scale anything. */
double percent_of(double x, double base);
/* @a minus @b by @est (Welch on means, or Hodges-Lehmann): 0, or -ENOMEM. NAN: no estimate. */
int row_shift(const struct row_stats *a, const struct row_stats *b, enum estimator est,
	      struct row_shift *out);
/* Each known-cost row against its twin set to 0 (spin_twin.c). 0, or -ENOMEM. */
int run_spin_twins(struct run *run);
/* Each stats-on row's cost of stats against its stats-off twin. After the estimates. */
int run_stats_cost(struct run *run);
int run_analyse(struct run *run);
/* The rows' metric.also statistics (see struct row_stats); called by run_analyse(). */
void run_also(struct run *run);
/* The flood's detection limit in ns per packet; NAN: none (not a flood, not saturated...). */
double run_detection_limit_ns(const struct run *run);
/*
 * Each record's value scaled by the run's median reference time over its own
 * (normalise.c), when every good sample has one; else values stay raw. Before
 * the rows are summarised. 0 or -ENOMEM.
 */
int run_normalise(struct run *run);
/* Each row's raw_diff* against baseline, by run->estimator. After summaries. */
int run_raw_diffs(struct run *run);
/* Measured added cost against set spin_ns over the spin rows; @raw: on raw_diff. */
void ladder_fit(const struct run *run, bool raw, struct ladder *l);
/* What a spin row added per event, in the unit of the spin lines (NAN if unknown). */
/* ns per unit of the run's metric: 1000 for us, 1 for ns and for what is not a time. */
double run_unit_ns(const struct run *run);
double run_spin_added(const struct run *run, const struct row_stats *c);
void run_free(struct run *run);
/* The configuration named @name (the whole name, settings included), or NULL. */
const struct row_stats *run_find_row(const struct run *run, const char *name);
/* samples.jsonl and manifest.json of the folder @dir (see analysis/files.h), or of @dfd. */
int run_load(struct run *run, const char *dir, FILE *diag);
int run_load_at(struct run *run, int dfd, FILE *diag);
int manifest_load_at(struct run *run, int dfd);

/*
 * Each row's added-cost CI half-width (in % of the baseline and in the unit)
 * against @target in @unit ("%" or NULL: percent; else the metric's unit per
 * event, as precision_unit_for() accepts it), and the n that would reach it.
 * @target NAN: no target (widths are still filled). After run_analyse(). 0, or
 * -1 with @err when the unit is not the run's metric's (then no target).
 */
int run_precision(struct run *run, double target, const char *unit, char *err, size_t errlen);
bool precision_target_ok(double pct);

/* precision_unit.c: PRECISION=5%, 5 (percent), 2ns, 1insn: units from the metric. */
/* "2ns" into 2 and "ns", "5" into 5 and "%": 0, or -1 when no plain number comes first. */
int precision_split(const char *text, double *value, const char **unit);
/* @v is a target in @canon_unit: % above 0 and at most 1000, a unit above 0. */
bool precision_value_ok(double v, const char *canon_unit);
/*
 * @typed ("%", "", "ns", "ns/call", "insn", "instructions") as a unit for a
 * metric in @metric_unit counted per @event: its recorded spelling ("%", "ns",
 * "insn", "Mbit/s") into @canon, or -1 with @err naming the metric's unit.
 */
int precision_unit_for(const char *typed, const char *metric_unit, const char *event, char *canon,
		       size_t len, char *err, size_t errlen);
/* "±5%", "±2.13 ns" (@spec formats the number, as fmt_spec()): @buf. */
const char *precision_text(char *buf, size_t len, const char *spec, double value,
			   const char *canon_unit);
/* Whether the runner should give this row more samples. */
bool precision_needs_more(const struct row_stats *c);

/*
 * --percall: load and analyse the per-call run in @dir (untrusted, validated as any
 * run), refuse it in run->percall.refused when it cannot predict this flood, else fill
 * each row's predicted_*. After run_analyse() on the flood from @flood_dir. Only
 * -ENOMEM is an error.
 */
int run_percall(struct run *run, const char *flood_dir, const char *dir);
/* Line @i of the predicted-vs-measured notes, or NULL past the last. */
const char *percall_note(const struct run *run, size_t i, char *buf, size_t len);
/* A row's flag: "!" disagrees, "ok" overlaps, "-" not judged; "?" added: kernel unknown. */
const char *percall_flag(const struct run *run, const struct row_stats *c);

/* Human notes shared by all table formats: sensitivity, hits flags, errors. */
struct notes {
	char **v;
	size_t n;
};
int notes_build(const struct run *run, struct notes *notes);
/* One more line, printf-style: 0 or -ENOMEM. */
int notes_vadd(struct notes *notes, const char *fmt, va_list ap);
int notes_add(struct notes *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The flood's load check and detection limit (notes_load.c). */
double notes_packet_limit_ns(const struct run *run);
int notes_saturation_line(const struct run *run, struct notes *notes);
int notes_limit_line(const struct run *run, struct notes *notes);
/* Per-call notes (notes_percall.c): normalisation, detection limit, normalised ladder. */
int notes_normalised(const struct run *run, struct notes *notes);
int notes_percall_limit(const struct run *run, struct notes *notes);
int notes_ladder_normalised(const struct run *run, struct notes *notes);
void notes_free(struct notes *notes);

#endif
