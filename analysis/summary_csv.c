// SPDX-License-Identifier: GPL-2.0
/* summary.csv: every computed field, one row per configuration, for other tools. */
#include <math.h>
#include <string.h>

#include "analysis/escape.h"
#include "analysis/report.h"

static const char header[] =
	"config,attach,probe,stats,n,n_errors,n_unsupported,error,"
	"metric,unit,mean,sd,ci95,"
	"transfer_mb_mean,transfer_mb_sd,transfer_mb_ci95,"
	"pps_mean,pps_sd,lost_percent_mean,cpu_host_percent_mean,cpu_remote_percent_mean,"
	"impact_percent,impact_ci95_low,impact_ci95_high,transfer_impact_percent,"
	"diff,diff_ci95_low,diff_ci95_high,welch_df,welch_t,p_value,p_holm,significance,"
	"mde_percent,mde,"
	"ns_per_packet_added,ns_per_run,run_cnt_total,run_time_ns_total,"
	"hits_mean,hits_min,hits_max,hits_per,hits_flag,hits_source,"
	"mechanism,spin_ns,run_mde_percent,run_mde,clock,"
	"impact_ci95_half_width,precision_target_percent,precision_reached,projected_n,"
	"estimator,median,robust_sd,"
	"mean_impact_percent,mean_impact_ci95_low,mean_impact_ci95_high,mean_p_holm,"
	"mean_significance,mean_mde_percent,mean_n_for_significance,"
	"hl_shift,hl_ci95_low,hl_ci95_high,hl_impact_percent,hl_impact_ci95_low,"
	"hl_impact_ci95_high,mw_p_value,mw_p_holm,mw_significance,hl_mde_percent,"
	"hl_n_for_significance,"
	"n_disturbed,blocks_without_clean_sample,foreign_cpu_max,psi_some_percent_mean,"
	"steal_percent_max";

/* --percall only, after every other column so readers by position keep working. */
static const char percall_header[] = ",predicted_pct,predicted_lo,predicted_hi,predicted_disagrees";
/* Per-call normalisation (normalise.c): raw values and the reference, before --percall's. */
static const char raw_header[] = ",raw_mean,raw_diff,raw_diff_ci95_low,raw_diff_ci95_high,"
				 "ref_ns_median";

int summary_csv_write(const struct run *run, FILE *f)
{
	fputs(header, f);
	fputs(raw_header, f);
	if (run->percall.asked)
		fputs(percall_header, f);
	fputc('\n', f);
	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];

		esc_csv(f, c->name);
		csv_next_str(f, c->attach);
		csv_next_str(f, c->probe);
		fprintf(f, ",%d,%zu,%zu,%zu", c->stats, c->n_ok, c->n_err, c->n_unsupported);
		csv_next_str(f, c->first_error);
		csv_next_str(f, run->metric.name);
		csv_next_str(f, run->metric.unit);
		CSV_NUMS(f, c->value.mean, c->value.sd, c->value.ci95, c->mb.mean, c->mb.sd,
			 c->mb.ci95, c->pps.mean, c->pps.sd, c->lost.mean, c->cpu_host.mean,
			 c->cpu_remote.mean, c->impact_pct, c->impact_lo, c->impact_hi,
			 c->transfer_impact_pct, c->diff, c->diff_lo, c->diff_hi, c->welch.df,
			 c->welch.t, c->welch.p, c->p_holm);
		csv_next_str(f, c->sig);
		CSV_NUMS(f, c->mde_pct, c->mde_abs, c->ns_per_pkt, c->ns_per_run,
			 c->run_cnt > 0 ? c->run_cnt : NAN, c->run_cnt > 0 ? c->run_time_ns : NAN,
			 c->hits_mean, c->hits_min, c->hits_max);
		csv_next_str(f, run->metric.event);
		fprintf(f, ",%d", c->hits_bad);
		csv_next_str(f, c->hits_source);
		csv_next_str(f, c->mechanism);
		CSV_NUMS(f, c->spin_ns, run->mde_pct, run->mde_abs);
		csv_next_str(f, run->metric.clock);
		CSV_NUMS(f, c->half_width_pct, run->precision_pct);
		/* Empty without a target, and for rows that have no impact. */
		csv_next_num(f, !isnan(run->precision_pct) && isfinite(c->half_width_pct)
					? c->reached
					: NAN);
		csv_next_num(f, c->projected_n);
		csv_next_str(f, estimator_name(run->estimator));
		CSV_NUMS(f, c->value.median, c->value.robust_sd);
		for (int e = EST_MEAN;; e = EST_ROBUST) {
			const struct estimate *x = &c->est[e];

			if (e == EST_ROBUST) {
				CSV_NUMS(f, x->diff, x->diff_lo, x->diff_hi);
			}
			CSV_NUMS(f, x->impact_pct, x->impact_lo, x->impact_hi);
			if (e == EST_ROBUST)
				csv_next_num(f, x->p);
			csv_next_num(f, x->p_holm);
			csv_next_str(f, x->sig);
			CSV_NUMS(f, x->mde_pct, x->n_for_sig);
			if (e == EST_ROBUST)
				break;
		}
		fprintf(f, ",%zu,%zu", c->n_disturbed, c->n_unclean);
		CSV_NUMS(f, c->foreign_cpu_max, c->psi_some_mean, c->steal_max);
		CSV_NUMS(f, c->raw.mean, c->raw_diff, c->raw_diff_lo, c->raw_diff_hi,
			 run->ref_median_ns);
		if (run->percall.asked) {
			CSV_NUMS(f, c->predicted_pct, c->predicted_lo, c->predicted_hi);
			/* Empty where no flag was judged ("-" in the tables). */
			csv_next_num(f, strcmp(percall_flag(run, c), "-") ? c->predicted_disagrees
									  : NAN);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
