// SPDX-License-Identifier: GPL-2.0
/*
 * The column model (analysis/columns.h): one entry per column, in summary.csv's order
 * (its users read it by key and by position, so new keys go last). The tables order
 * their columns by part, then by the entry's place here.
 *
 * Adding a column: compute the statistic into struct row_stats (or struct run), add a
 * getter below and one entry. For example the raw per-call difference of issue 19:
 *
 *	COL("Raw (%U)", ("raw_diff", "raw_diff_ci95_low", "raw_diff_ci95_high"),
 *	    COL_TABLES | COL_CSV, I, 15, when_percall_run_or_full, CF_EST, get_raw_diff,
 *	    .prec = 1),
 *
 * and a precision target in the metric's unit, COL("Target (%U)", ("precision_target"),
 * COL_MD | COL_CSV, I, 25, when_precision, CF_NUM, get_target, .prec = 1).
 *
 * A workload with several metrics (latency percentiles p50, p99) gives each metric's
 * entry the metric's index in .arg; metric_value() returns that metric's statistics
 * and the header names it, so p99 is one more entry beside the first metric's:
 *
 *	COL("p99 (%U)", ("p99_mean", "p99_sd", "p99_ci95"), COL_ALL, V, 1, when_metric,
 *	    CF_PM, get_metric_value, .prec = 1, .arg = 1),
 */
#include <math.h>
#include <string.h>

#include "analysis/columns.h"
#include "analysis/fmt.h"

/* When a column is in the run: @where is the format asking (summary.csv keeps more). */
static bool when_packets(const struct run *run, unsigned where)
{
	return run->has_packets || where == COL_CSV; /* CSV: empty cells, the same keys */
}

static bool when_percall_asked(const struct run *run, unsigned where)
{
	(void)where;
	return run->percall.asked; /* summary.csv too: its columns came only with --percall */
}

/* The flood's headline is its impact in %; a per-call run's its difference in the unit. */
static bool when_flood_or_full(const struct run *run, unsigned where)
{
	return where != COL_TEXT || run->has_packets;
}

static bool when_percall_run_or_full(const struct run *run, unsigned where)
{
	return where != COL_TEXT || !run->has_packets;
}

/* summary.csv always (empty cells); the tables when the run was normalised. */
static bool when_normalised(const struct run *run, unsigned where)
{
	return where == COL_CSV || run->normalised;
}

static bool has_stats_pairs(const struct run *run)
{
	for (size_t i = 0; i < run->n_rows; i++)
		if (run->rows[i].stats_off)
			return true;
	return false;
}

static bool when_stats_pairs(const struct run *run, unsigned where)
{
	return where == COL_CSV || has_stats_pairs(run);
}

/*
 * The narrow files (the terminal, table.tex) show the stats cost once: the flood's
 * in %, a per-call run's in its unit; table.md and summary.csv both.
 */
static bool narrow(unsigned where)
{
	return where == COL_TEXT || where == COL_TEX;
}

static bool when_stats_unit(const struct run *run, unsigned where)
{
	return when_stats_pairs(run, where) && (!narrow(where) || !run->has_packets);
}

static bool when_stats_pct(const struct run *run, unsigned where)
{
	return when_stats_pairs(run, where) && (!narrow(where) || run->has_packets);
}

static bool when_stats_flood(const struct run *run, unsigned where)
{
	return when_stats_pairs(run, where) && when_packets(run, where);
}

/* The run's metric @i: 0 the primary one, 1.. its metric.also (latency percentiles). */
static const struct sample_stats *metric_value(const struct row_stats *c, int i)
{
	return i == 0 ? &c->value : i <= REC_ALSO_MAX ? &c->also[i - 1] : NULL;
}

/* Also-metric @arg (1-based) is in the run; table.txt has only those marked terminal. */
static bool when_also(const struct run *run, unsigned where, int arg)
{
	return (size_t)arg <= run->metric.n_also &&
	       (where != COL_TEXT || run->metric.also[arg - 1].terminal);
}

#define WHEN_ALSO(k)                                                                               \
	static bool when_also##k(const struct run *run, unsigned where)                            \
	{                                                                                          \
		return when_also(run, where, k);                                                   \
	}
WHEN_ALSO(1)
WHEN_ALSO(2)
WHEN_ALSO(3)
WHEN_ALSO(4)
_Static_assert(REC_ALSO_MAX == 4, "one when_also and three entries per also-metric");

/* Too short a sample for an also-metric: the workload's word for it instead of a figure. */
static const char *also_status(const struct col_ctx *k)
{
	if (k->arg < 1 || !k->row->also_absent[k->arg - 1])
		return NULL;
	return k->run->metric.absent[0] ? k->run->metric.absent : "not recorded";
}

#define X3(o, a, b, c) ((o)->x[0] = (a), (o)->x[1] = (b), (o)->x[2] = (c))
/* A getter of up to three fields of the row. */
#define GET(fn, a, b, c)                                                                           \
	static void fn(const struct col_ctx *k, struct col_cell *o)                                \
	{                                                                                          \
		const struct row_stats *r = k->row;                                                \
		(void)r;                                                                           \
		X3(o, a, b, c);                                                                    \
	}
#define GET_S(fn, s_)                                                                              \
	static void fn(const struct col_ctx *k, struct col_cell *o)                                \
	{                                                                                          \
		const struct row_stats *r = k->row;                                                \
		(void)r;                                                                           \
		o->s = (s_);                                                                       \
	}

GET_S(get_name, r->name)
GET_S(get_attach, r->attach)
GET_S(get_probe, r->probe)
GET_S(get_error, r->first_error)
GET_S(get_metric, k->run->metric.name)
GET_S(get_unit, k->run->metric.unit)
GET_S(get_sig, r->sig)
GET_S(get_event, k->run->metric.event)
GET_S(get_hits_source, r->hits_source)
GET_S(get_mechanism, r->mechanism)
GET_S(get_clock, k->run->metric.clock)
GET_S(get_estimator, estimator_name(k->run->estimator))
GET_S(get_est_sig, r->est[k->arg].sig)
GET_S(get_stats_sig, r->stats_cost_sig)
GET(get_stats, (double)r->stats, NAN, NAN)
GET(get_n_unsupported, (double)r->n_unsupported, NAN, NAN)
GET(get_n_ok, (double)r->n_ok, NAN, NAN)
GET(get_n_err, (double)r->n_err, NAN, NAN)
GET(get_mb, r->mb.mean, r->mb.sd, r->mb.ci95)
GET(get_pps, r->pps.mean, r->pps.sd, NAN)
GET(get_lost, r->lost.mean, NAN, NAN)
GET(get_cpu, r->cpu_host.mean, r->cpu_remote.mean, NAN)
GET(get_impact, r->impact_pct, r->impact_lo, r->impact_hi)
GET(get_transfer_impact, r->transfer_impact_pct, NAN, NAN)
GET(get_diff, r->diff, r->diff_lo, r->diff_hi)
GET(get_welch, r->welch.df, r->welch.t, r->welch.p)
GET(get_p_holm, r->p_holm, NAN, NAN)
GET(get_mde, r->mde_pct, r->mde_abs, NAN)
GET(get_ns_per_pkt, r->ns_per_pkt, NAN, NAN)
GET(get_ns_per_run, r->ns_per_run, r->run_cnt > 0 ? r->run_cnt : NAN,
    r->run_cnt > 0 ? r->run_time_ns : NAN)
GET(get_hits, r->hits_mean, r->hits_min, r->hits_max)
GET(get_hits_flag, (double)r->hits_bad, NAN, NAN)
GET(get_spin, r->spin_ns, k->run->mde_pct, k->run->mde_abs)
GET(get_robust, r->value.median, r->value.robust_sd, NAN)
GET(get_est_impact, r->est[k->arg].impact_pct, r->est[k->arg].impact_lo, r->est[k->arg].impact_hi)
GET(get_est_diff, r->est[k->arg].diff, r->est[k->arg].diff_lo, r->est[k->arg].diff_hi)
GET(get_est_p, r->est[k->arg].p, r->est[k->arg].p_holm, NAN)
GET(get_est_p_holm, r->est[k->arg].p_holm, NAN, NAN)
GET(get_est_mde, r->est[k->arg].mde_pct, r->est[k->arg].n_for_sig, NAN)
GET(get_disturbed, (double)r->n_disturbed, (double)r->n_unclean, NAN)
GET(get_interference, r->foreign_cpu_max, r->psi_some_mean, r->steal_max)
GET(get_predicted_values, r->predicted_pct, r->predicted_lo, r->predicted_hi)
GET(get_stats_cost, r->stats_cost, r->stats_cost_lo, r->stats_cost_hi)
GET(get_stats_cost_pct, r->stats_cost_pct, r->stats_cost_pct_lo, r->stats_cost_pct_hi)
GET(get_stats_cost_ns, r->stats_cost_ns_per_pkt, NAN, NAN)
GET(get_stats_cost_p, r->stats_cost_p, r->stats_cost_p_holm, NAN)
GET(get_schema, SUMMARY_SCHEMA_VERSION, NAN, NAN)

/* The metric's mean ± sd; a row without a good sample says why instead. */
static void get_metric_value(const struct col_ctx *k, struct col_cell *o)
{
	const struct sample_stats *v = metric_value(k->row, k->arg);

	X3(o, v ? v->mean : NAN, v ? v->sd : NAN, v ? v->ci95 : NAN);
	o->status = row_status(k->row) ?: also_status(k);
}

/* An also-metric's added cost: the difference of means, Welch's 95% CI. */
static void get_also_diff(const struct col_ctx *k, struct col_cell *o)
{
	const struct welch *w = &k->row->also_welch[k->arg - 1];

	X3(o, w->diff, w->ci_lo, w->ci_hi);
	o->x[3] = k->row->also_mde[k->arg - 1]; /* summary.csv only */
	o->status = also_status(k);
}

/* An also-metric's name, in summary.csv. */
static void get_also_name(const struct col_ctx *k, struct col_cell *o)
{
	o->s = k->run->metric.also[k->arg - 1].name;
}

/* Empty without a target, and for rows that have no impact. */
static void get_precision(const struct col_ctx *k, struct col_cell *o)
{
	const struct row_stats *r = k->row;
	bool judged = !isnan(k->run->precision_pct) && isfinite(r->half_width_pct);

	X3(o, r->half_width_pct, k->run->precision_pct, judged ? r->reached : NAN);
	o->x[3] = r->projected_n;
}

static void get_precision_abs(const struct col_ctx *k, struct col_cell *o)
{
	const struct run *run = k->run;

	X3(o, isnan(run->precision_pct) ? run->precision_abs : run->precision_pct, NAN, NAN);
}

GET(get_half_width, r->half_width, NAN, NAN)
GET(get_raw_mean, r->raw.n ? r->raw.mean : NAN, NAN, NAN)
GET(get_raw_diff, r->raw_diff, r->raw_diff_lo, r->raw_diff_hi)
GET(get_ref_median, k->run->ref_median_ns, NAN, NAN)

GET_S(get_precision_unit, k->run->precision_unit)

/* "!", "ok", "-" in the tables; in summary.csv 1, 0 or empty where not judged. */
static void get_vs_pred(const struct col_ctx *k, struct col_cell *o)
{
	o->s = percall_flag(k->run, k->row);
	o->x[0] = strcmp(o->s, "-") ? k->row->predicted_disagrees : NAN;
}

/* The prediction and its flag: table.txt shows both in one cell, the others apart. */
static void get_predicted(const struct col_ctx *k, struct col_cell *o)
{
	get_predicted_values(k, o);
	o->s = percall_flag(k->run, k->row);
}

/* The estimate with its significance mark after it. */
static void get_stats_cost_sig(const struct col_ctx *k, struct col_cell *o, bool pct)
{
	if (pct)
		get_stats_cost_pct(k, o);
	else
		get_stats_cost(k, o);
	o->s = k->row->stats_cost_sig;
}

static void get_stats_cost_unit(const struct col_ctx *k, struct col_cell *o)
{
	get_stats_cost_sig(k, o, false);
}

static void get_stats_cost_percent(const struct col_ctx *k, struct col_cell *o)
{
	get_stats_cost_sig(k, o, true);
}

/*
 * One entry: header, summary.csv keys, formats, table.txt's table (values or impact),
 * place in the tables, when the run has it, cell format, getter; then what else it sets
 * (decimals, a suffix, how summary.csv prints it, table.txt's width).
 */
#define COL(head_, keys_, where_, part_, rank_, when_, fmt_, get_, ...)                            \
	{                                                                                          \
		.head = head_, .csv = { UNPAREN keys_ }, .where = where_, .part = part_,           \
		.rank = rank_, .when = when_, .fmt = fmt_, .get = get_, __VA_ARGS__                \
	}
#define UNPAREN(...) __VA_ARGS__
/* summary.csv only: no header, no table. */
#define CSV(keys_, get_, ...)                                                                      \
	COL("", keys_, COL_CSV, PART_IMPACT, 0, NULL, CF_CSV_ONLY, get_, __VA_ARGS__)
/* The seed's table.tex had no flood counts: a paper's table has no room for them. */
#define NOT_TEX (COL_TEXT | COL_MD | COL_CSV)
#define V	PART_VALUES
#define I	PART_IMPACT
#define TEXT	.csv_text = true
#define INT	.csv_int = true
/*
 * An also-metric's three entries (only in runs that have it, so other runs'
 * summary.csv is unchanged): its value, its added cost, its name and MDE.
 */
#define ALSO(k)                                                                                    \
	COL("%A (%U)", ("metric" #k "_mean", "metric" #k "_sd", "metric" #k "_ci95"), COL_ALL, V,  \
	    1, when_also##k, CF_PM, get_metric_value, .prec = 1, .width = 18, .arg = k),           \
		COL("%A added (%U)",                                                               \
		    ("metric" #k "_diff", "metric" #k "_diff_ci95_low",                            \
		     "metric" #k "_diff_ci95_high", "metric" #k "_mde"),                           \
		    COL_ALL, I, 14, when_also##k, CF_EST, get_also_diff, .prec = 1, .arg = k),     \
		COL("", ("metric" #k), COL_CSV, I, 0, when_also##k, CF_CSV_ONLY, get_also_name,    \
		    TEXT, .arg = k)

const struct column col_model[] = {
	COL("Configuration", ("config"), COL_ALL, PART_BOTH, 0, NULL, CF_TEXT, get_name, TEXT,
	    .width = 26),
	CSV(("attach"), get_attach, TEXT),
	CSV(("probe"), get_probe, TEXT),
	CSV(("stats"), get_stats, INT),
	COL("Samples", ("n"), COL_ALL, V, 3, NULL, CF_NUM, get_n_ok, INT, .width = 10),
	COL("Errors", ("n_errors"), NOT_TEX, V, 6, NULL, CF_NUM, get_n_err, INT, .width = 8),
	CSV(("n_unsupported"), get_n_unsupported, INT),
	CSV(("error"), get_error, TEXT),
	CSV(("metric"), get_metric, TEXT),
	CSV(("unit"), get_unit, TEXT),
	COL("%M (%U)", ("mean", "sd", "ci95"), COL_ALL, V, 1, NULL, CF_PM, get_metric_value,
	    .prec = 1, .width = 18, .gap = 4),
	COL("Transfer (MB)", ("transfer_mb_mean", "transfer_mb_sd", "transfer_mb_ci95"), NOT_TEX, V,
	    2, when_packets, CF_PM, get_mb, .prec = 1, .width = 18),
	COL("Packets/s", ("pps_mean", "pps_sd"), NOT_TEX, V, 4, when_packets, CF_NUM, get_pps,
	    .width = 14),
	COL("Loss (%)", ("lost_percent_mean"), NOT_TEX, V, 5, when_packets, CF_NUM, get_lost,
	    .prec = 2, .width = 10),
	CSV(("cpu_host_percent_mean", "cpu_remote_percent_mean"), get_cpu),
	COL("Impact (%)", ("impact_percent", "impact_ci95_low", "impact_ci95_high"), COL_ALL, I, 10,
	    when_flood_or_full, CF_EST, get_impact, .prec = 1, .suffix = "%"),
	COL("Transfer impact (%)", ("transfer_impact_percent"), COL_MD | COL_CSV, I, 13,
	    when_packets, CF_SIGNED, get_transfer_impact, .prec = 1, .suffix = "%"),
	COL("Difference (%U)", ("diff", "diff_ci95_low", "diff_ci95_high"), COL_ALL, I, 14,
	    when_percall_run_or_full, CF_EST, get_diff, .prec = 1),
	CSV(("welch_df", "welch_t", "p_value"), get_welch),
	COL("p (Holm)", ("p_holm"), COL_TABLES | COL_CSV, I, 15, NULL, CF_P, get_p_holm),
	COL("Sig", ("significance"), COL_ALL, I, 16, NULL, CF_TEXT, get_sig, TEXT),
	COL("MDE (%)", ("mde_percent", "mde"), COL_MD | COL_CSV, I, 17, NULL, CF_NUM, get_mde,
	    .prec = 1),
	COL("ns/pkt", ("ns_per_packet_added"), COL_ALL, I, 18, when_packets, CF_SIGNED,
	    get_ns_per_pkt),
	COL("ns/run", ("ns_per_run", "run_cnt_total", "run_time_ns_total"), COL_TABLES | COL_CSV, I,
	    22, NULL, CF_NUM, get_ns_per_run, .prec = 1),
	COL("Hits", ("hits_mean", "hits_min", "hits_max"), COL_ALL, I, 23, NULL, CF_HITS, get_hits),
	CSV(("hits_per"), get_event, TEXT),
	CSV(("hits_flag"), get_hits_flag, INT),
	CSV(("hits_source"), get_hits_source, TEXT),
	COL("Mechanism", ("mechanism"), COL_ALL, I, 24, NULL, CF_TEXT, get_mechanism, TEXT,
	    .dash = true),
	CSV(("spin_ns", "run_mde_percent", "run_mde"), get_spin),
	CSV(("clock"), get_clock, TEXT),
	CSV(("impact_ci95_half_width", "precision_target_percent", "precision_reached",
	     "projected_n"),
	    get_precision),
	CSV(("estimator"), get_estimator, TEXT),
	CSV(("median", "robust_sd"), get_robust),
	CSV(("mean_impact_percent", "mean_impact_ci95_low", "mean_impact_ci95_high"),
	    get_est_impact, .arg = EST_MEAN),
	CSV(("mean_p_holm"), get_est_p_holm, .arg = EST_MEAN),
	CSV(("mean_significance"), get_est_sig, TEXT, .arg = EST_MEAN),
	CSV(("mean_mde_percent", "mean_n_for_significance"), get_est_mde, .arg = EST_MEAN),
	CSV(("hl_shift", "hl_ci95_low", "hl_ci95_high"), get_est_diff, .arg = EST_ROBUST),
	CSV(("hl_impact_percent", "hl_impact_ci95_low", "hl_impact_ci95_high"), get_est_impact,
	    .arg = EST_ROBUST),
	CSV(("mw_p_value", "mw_p_holm"), get_est_p, .arg = EST_ROBUST),
	CSV(("mw_significance"), get_est_sig, TEXT, .arg = EST_ROBUST),
	CSV(("hl_mde_percent", "hl_n_for_significance"), get_est_mde, .arg = EST_ROBUST),
	CSV(("n_disturbed", "blocks_without_clean_sample"), get_disturbed, INT),
	CSV(("foreign_cpu_max", "psi_some_percent_mean", "steal_percent_max"), get_interference),
	/* Schema 2: what turning BPF stats on costs, with its significance (stats_cost.c). */
	COL("Stats cost (%U)", ("stats_cost", "stats_cost_ci95_low", "stats_cost_ci95_high"),
	    COL_ALL, I, 19, when_stats_unit, CF_EST, get_stats_cost_unit, .prec = 1, .mark = true),
	COL("Stats cost (%)",
	    ("stats_cost_percent", "stats_cost_percent_ci95_low", "stats_cost_percent_ci95_high"),
	    COL_ALL, I, 20, when_stats_pct, CF_EST, get_stats_cost_percent, .prec = 1,
	    .suffix = "%", .mark = true),
	COL("Stats ns/pkt", ("stats_cost_ns_per_packet"), COL_MD | COL_CSV, I, 21, when_stats_flood,
	    CF_SIGNED, get_stats_cost_ns),
	CSV(("stats_cost_p_value", "stats_cost_p_holm"), get_stats_cost_p),
	CSV(("stats_cost_significance"), get_stats_sig, TEXT),
	CSV(("schema_version"), get_schema, INT),
	/* PRECISION in % or in the metric's unit: the target as judged, the width in the unit. */
	CSV(("precision_target"), get_precision_abs),
	CSV(("precision_unit"), get_precision_unit, TEXT),
	CSV(("diff_ci95_half_width"), get_half_width),
	/* A normalised per-call run (normalise.c): the raw times beside the headline. */
	CSV(("raw_mean"), get_raw_mean),
	COL("Raw diff (%U)", ("raw_diff", "raw_diff_ci95_low", "raw_diff_ci95_high"), COL_ALL, I,
	    14, when_normalised, CF_EST, get_raw_diff, .prec = 1),
	CSV(("ref_ns_median"), get_ref_median),
	/* --percall: beside the measured impact in the tables, last in summary.csv as before. */
	COL("Predicted (%)", ("predicted_pct", "predicted_lo", "predicted_hi"), COL_ALL, I, 11,
	    when_percall_asked, CF_EST, get_predicted, .prec = 1, .suffix = "%",
	    .text_fmt = CF_SIGNED_MARK),
	COL("vs pred", ("predicted_disagrees"), COL_TABLES | COL_CSV, I, 12, when_percall_asked,
	    CF_TEXT, get_vs_pred),
	/* A workload's further metrics (latency percentiles): last, and only in its runs. */
	ALSO(1),
	ALSO(2),
	ALSO(3),
	ALSO(4),
};

const size_t col_model_n = sizeof(col_model) / sizeof(col_model[0]);
_Static_assert(sizeof(col_model) / sizeof(col_model[0]) <= COL_MAX,
	       "the writers' column arrays hold COL_MAX columns: raise it");

bool col_shown(const struct column *c, const struct run *run, unsigned where)
{
	return (c->where & where) && (!c->when || c->when(run, where));
}

size_t col_list(const struct run *run, unsigned where, unsigned part, const struct column **out)
{
	size_t i, j, n = 0;

	for (i = 0; i < col_model_n; i++) {
		const struct column *c = &col_model[i];

		if (!col_shown(c, run, where) || (part && !(c->part & part)))
			continue;
		/* insertion by rank, stable: the model's order among equals */
		for (j = n; where != COL_CSV && j > 0 && out[j - 1]->rank > c->rank; j--)
			out[j] = out[j - 1];
		out[j] = c;
		n++;
	}
	return n;
}

void col_get(const struct column *c, const struct run *run, const struct row_stats *row,
	     struct col_cell *cell)
{
	const struct col_ctx k = { run, row, c->arg };

	*cell = (struct col_cell){ { NAN, NAN, NAN, NAN }, NULL, NULL };
	c->get(&k, cell);
}

const char *col_head(const struct column *c, const struct run *run, char *buf, size_t len)
{
	const char *h = c->head;
	char t[64];
	size_t n = 0;

	for (; *h && n + 1 < len; h++) {
		const char *sub = NULL;

		if (h[0] == '%' && h[1] == 'M')
			sub = fmt_title(run->metric.name, t, sizeof(t));
		else if (h[0] == '%' && h[1] == 'U')
			sub = run->metric.unit;
		else if (h[0] == '%' && h[1] == 'E')
			sub = run->metric.event;
		else if (h[0] == '%' && h[1] == 'A' && c->arg >= 1 &&
			 (size_t)c->arg <= run->metric.n_also)
			sub = fmt_title(run->metric.also[c->arg - 1].name, t, sizeof(t));
		if (!sub) {
			buf[n++] = *h;
			continue;
		}
		n += (size_t)snprintf(buf + n, len - n, "%s", sub);
		n = n < len ? n : len - 1;
		h++;
	}
	buf[n] = '\0';
	return buf;
}
