// SPDX-License-Identifier: GPL-2.0
/*
 * The latency CDF (cdf.*): for a run whose metrics are quantiles of one
 * distribution (the latency workload's p50, p90, p99, p99.9 round trip), one
 * line per row through its quantiles' means, the tail 1 - q on a log scale so
 * p99 and p99.9 are as far apart as p50 and p90. The row names reach gnuplot
 * as a data file (cdf.series), never as script.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "analysis/fmt.h"
#include "analysis/plot_data.h"

/* The run's quantile points: metric index (0 the primary, k the also k-1) and quantile. */
static size_t quantiles(const struct run *run, int *idx, double *q)
{
	size_t n = 0;

	if (run->metric.quantile > 0 && run->metric.quantile < 1) {
		idx[n] = 0;
		q[n++] = run->metric.quantile;
	}
	for (size_t k = 0; k < run->metric.n_also; k++) {
		if (run->metric.also[k].quantile > 0 && run->metric.also[k].quantile < 1) {
			idx[n] = (int)k + 1;
			q[n++] = run->metric.also[k].quantile;
		}
	}
	return n;
}

static const struct sample_stats *point(const struct row_stats *c, int i)
{
	return i == 0 ? &c->value : &c->also[i - 1];
}

bool plot_has_cdf(const struct run *run)
{
	int idx[REC_ALSO_MAX + 1];
	double q[REC_ALSO_MAX + 1];

	return quantiles(run, idx, q) >= 2;
}

int plot_write_cdf(const struct run *run, int tfd)
{
	int idx[REC_ALSO_MAX + 1];
	double q[REC_ALSO_MAX + 1], lo = INFINITY, hi = 0;
	size_t nq = quantiles(run, idx, q), rows = 0;
	struct plotfiles pf;
	char t[160];
	int err;

	if (nq < 2)
		return -ENODATA;
	err = plot_files_open(&pf, tfd, "cdf", F_SERIES + 1);
	if (err)
		return plot_files_close(&pf, err);
	/* cdf.labels: the x axis' label, the unit from the records */
	snprintf(t, sizeof(t), "round trip (%s)", run->metric.unit);
	gp_field(pf.f[F_LABELS], t);
	fputc('\n', pf.f[F_LABELS]);
	/* cdf.dat: one block per row (x = the quantile's mean, y = 1 - q); cdf.series: its name */
	for (size_t i = 0; i < run->n_rows; i++) {
		const struct row_stats *c = &run->rows[i];
		size_t shown = 0;

		for (size_t k = 0; k < nq; k++) {
			double x = point(c, idx[k])->mean;

			if (!(isfinite(x) && x > 0))
				continue; /* too few round trips for it: no point */
			fprintf(pf.f[F_DAT], "%.6g\t%.6g\n", x, 1 - q[k]);
			lo = x < lo ? x : lo;
			hi = x > hi ? x : hi;
			shown++;
		}
		if (!shown)
			continue;
		fprintf(pf.f[F_DAT], "\n\n");
		gp_field(pf.f[F_SERIES], c->name);
		fputc('\n', pf.f[F_SERIES]);
		rows++;
	}
	fprintf(pf.f[F_VARS], "outbase = ");
	gp_str(pf.f[F_VARS], "latency-cdf");
	fprintf(pf.f[F_VARS], "\nnrows = %zu\nxlo = %.6g\nxhi = %.6g\nqmin = %.6g\n", rows,
		rows ? lo : 1, rows ? hi : 2, 1 - q[nq - 1]);
	return plot_files_close(&pf, rows ? 0 : -ENODATA);
}
