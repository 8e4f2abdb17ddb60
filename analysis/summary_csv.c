// SPDX-License-Identifier: GPL-2.0
/* summary.csv: every computed field, one row per configuration, for other tools. */
#include <math.h>
#include <string.h>

#include "analysis/escape.h"
#include "analysis/report.h"

/* Text cells from the folder: quoted as needed, never a formula (escape.c). */
static void put_str(FILE *f, const char *s)
{
	esc_csv(f, s);
}

/* Empty field for "no value", so spreadsheets and R read NA rather than the string "nan". */
static void put_num(FILE *f, double v)
{
	fputc(',', f);
	if (isfinite(v))
		fprintf(f, "%.10g", v);
}

static void put_next_str(FILE *f, const char *s)
{
	fputc(',', f);
	put_str(f, s);
}

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

int summary_csv_write(const struct run *run, FILE *f)
{
	fputs(header, f);
	if (run->percall.asked)
		fputs(percall_header, f);
	fputc('\n', f);
	for (size_t i = 0; i < run->n_cfgs; i++) {
		const struct cfg *c = &run->cfgs[i];

		put_str(f, c->name);
		put_next_str(f, c->attach);
		put_next_str(f, c->probe);
		fprintf(f, ",%d,%zu,%zu,%zu", c->stats, c->n_ok, c->n_err, c->n_unsupported);
		put_next_str(f, c->first_error);
		put_next_str(f, run->metric.name);
		put_next_str(f, run->metric.unit);
		put_num(f, c->value.mean);
		put_num(f, c->value.sd);
		put_num(f, c->value.ci95);
		put_num(f, c->mb.mean);
		put_num(f, c->mb.sd);
		put_num(f, c->mb.ci95);
		put_num(f, c->pps.mean);
		put_num(f, c->pps.sd);
		put_num(f, c->lost.mean);
		put_num(f, c->cpu_host.mean);
		put_num(f, c->cpu_remote.mean);
		put_num(f, c->impact_pct);
		put_num(f, c->impact_lo);
		put_num(f, c->impact_hi);
		put_num(f, c->transfer_impact_pct);
		put_num(f, c->diff);
		put_num(f, c->diff_lo);
		put_num(f, c->diff_hi);
		put_num(f, c->welch.df);
		put_num(f, c->welch.t);
		put_num(f, c->welch.p);
		put_num(f, c->p_holm);
		put_next_str(f, c->sig);
		put_num(f, c->mde_pct);
		put_num(f, c->mde_abs);
		put_num(f, c->ns_per_pkt);
		put_num(f, c->ns_per_run);
		put_num(f, c->run_cnt > 0 ? c->run_cnt : NAN);
		put_num(f, c->run_cnt > 0 ? c->run_time_ns : NAN);
		put_num(f, c->hits_mean);
		put_num(f, c->hits_min);
		put_num(f, c->hits_max);
		put_next_str(f, run->metric.event);
		fprintf(f, ",%d", c->hits_bad);
		put_next_str(f, c->hits_source);
		put_next_str(f, c->mechanism);
		put_num(f, c->spin_ns);
		put_num(f, run->mde_pct);
		put_num(f, run->mde_abs);
		put_next_str(f, run->metric.clock);
		put_num(f, c->half_width_pct);
		put_num(f, run->precision_pct);
		/* Empty without a target, and for rows that have no impact. */
		put_num(f, !isnan(run->precision_pct) && isfinite(c->half_width_pct) ? c->reached
										     : NAN);
		put_num(f, c->projected_n);
		put_next_str(f, estimator_name(run->estimator));
		put_num(f, c->value.median);
		put_num(f, c->value.robust_sd);
		for (int e = EST_MEAN;; e = EST_ROBUST) {
			const struct estimate *x = &c->est[e];

			if (e == EST_ROBUST) {
				put_num(f, x->diff);
				put_num(f, x->diff_lo);
				put_num(f, x->diff_hi);
			}
			put_num(f, x->impact_pct);
			put_num(f, x->impact_lo);
			put_num(f, x->impact_hi);
			if (e == EST_ROBUST)
				put_num(f, x->p);
			put_num(f, x->p_holm);
			put_next_str(f, x->sig);
			put_num(f, x->mde_pct);
			put_num(f, x->n_for_sig);
			if (e == EST_ROBUST)
				break;
		}
		fprintf(f, ",%zu,%zu", c->n_disturbed, c->n_unclean);
		put_num(f, c->foreign_cpu_max);
		put_num(f, c->psi_some_mean);
		put_num(f, c->steal_max);
		if (run->percall.asked) {
			put_num(f, c->predicted_pct);
			put_num(f, c->predicted_lo);
			put_num(f, c->predicted_hi);
			/* Empty where no flag was judged ("-" in the tables). */
			put_num(f,
				strcmp(percall_flag(run, c), "-") ? c->predicted_disagrees : NAN);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
