// SPDX-License-Identifier: GPL-2.0
/*
 * samples.csv: one row per record as loaded, in file order, with what else the
 * host did while it ran and the runner's verdict: the evidence behind every
 * "disturbed" and behind each row's clean samples, for a spreadsheet or R.
 */
#include <math.h>

#include "analysis/escape.h"
#include "analysis/report.h"

int samples_csv_write(const struct run *run, FILE *f)
{
	size_t i;

	/*
	 * schema_version: the record's own (1: written before records carried one);
	 * value: normalised when the run is (normalise.c); raw_value as recorded.
	 */
	fputs("line,config,block,sample,order,value,unit,status,disturbed_why,foreign_cpu,"
	      "psi_some_percent,steal_percent,raw_value,ref_ns_per_call,schema_version\n",
	      f);
	for (i = 0; i < run->recs.n; i++) {
		const struct record *r = &run->recs.v[i];

		fprintf(f, "%d", r->line);
		csv_next_str(f, r->config);
		fprintf(f, ",%d,%d,%d", r->block, r->sample, r->order);
		csv_next_num(f, r->failed ? NAN : r->value);
		csv_next_str(f, r->metric.unit);
		csv_next_str(f, r->unsupported ? "unsupported"
				: r->failed    ? "error"
				: r->disturbed ? "disturbed"
					       : "ok");
		csv_next_str(f, r->disturbed ? r->disturbed_why : "");
		csv_next_num(f, r->foreign_cpu);
		csv_next_num(f, r->psi_some_pct);
		csv_next_num(f, r->steal_pct);
		csv_next_num(f, r->failed ? NAN : r->raw_value);
		csv_next_num(f, r->failed ? NAN : r->ref_ns);
		fprintf(f, ",%d\n", r->schema_version);
	}
	return ferror(f) ? -1 : 0;
}
