// SPDX-License-Identifier: GPL-2.0
/*
 * The data of paper-figure.pdf (analysis/paper.gp): grouped bars, a group per
 * attach type in the paper table's order, a bar per narrow probe body and
 * stats setting (the row's whole added cost), with the 95% CI as whiskers.
 * Strings from the records are data fields, never script (plot.c).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "analysis/paper.h"
#include "analysis/plot_data.h"

static void num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "\t%.6g", v);
	else
		fputs("\tNaN", f);
}

/* Bar (attach @a, series @k: probe k / 2, stats k % 2), or false for a gap. */
static bool bar(const struct run *run, const struct paper_pivot *pv, size_t a, size_t k,
		struct paper_value *v)
{
	return paper_added(run, paper_row(run, pv->attach[a], pv->probe[k / 2], k % 2), v);
}

int plot_write_paper(const struct run *run, int tfd)
{
	size_t keep[2 * PAPER_NARROW_PROBES], nkeep = 0;
	struct paper_pivot pv;
	struct plotfiles pf;
	struct paper_value v;
	FILE *d;
	int err;

	paper_pivot(run, &pv);
	/* gnuplot refuses a bar series without a single value: such a series is left out. */
	for (size_t k = 0; k < 2 * pv.n_narrow; k++)
		for (size_t a = 0; a < pv.n_attach; a++)
			if (bar(run, &pv, a, k, &v)) {
				keep[nkeep++] = k;
				break;
			}
	if (!nkeep)
		return -ENODATA;
	err = plot_files_open(&pf, tfd, "paper", F_SERIES + 1);
	if (err)
		return plot_files_close(&pf, err);
	d = pf.f[F_DAT];
	fprintf(pf.f[F_VARS], "ngroups = %zu\nnseries = %zu\n", pv.n_attach, nkeep);
	/* Which bar each kept series is (probe 2k / 2, stats k % 2): its fill follows it. */
	fprintf(pf.f[F_VARS], "array SK[%zu]\n", nkeep);
	for (size_t i = 0; i < nkeep; i++)
		fprintf(pf.f[F_VARS], "SK[%zu] = %zu\n", i + 1, keep[i]);
	/* paper.labels: the y axis */
	gp_field(pf.f[F_LABELS], run->has_packets ? "Bitrate impact (%), 95% CI" : "Added cost (");
	if (!run->has_packets) {
		gp_field(pf.f[F_LABELS], run->metric.unit);
		gp_field(pf.f[F_LABELS], "), 95% CI");
	}
	fputc('\n', pf.f[F_LABELS]);
	for (size_t i = 0; i < nkeep; i++) {
		gp_field(pf.f[F_SERIES], pv.probe[keep[i] / 2]);
		fprintf(pf.f[F_SERIES], ", stats %s\n", keep[i] % 2 ? "on" : "off");
	}
	/* paper.dat: attach type, mechanism, then y, low, high per series */
	for (size_t a = 0; a < pv.n_attach; a++) {
		const char *name = paper_attach_name(pv.attach[a]);
		const char *mech = paper_mechanism(run, pv.attach[a]);

		gp_tic_field(d, name);
		fputc('\t', d);
		gp_tic_field(d, strcmp(mech, name) ? mech : "");
		for (size_t i = 0; i < nkeep; i++) {
			bool ok = bar(run, &pv, a, keep[i], &v);

			num(d, ok ? v.v : NAN);
			num(d, ok && isfinite(v.lo) ? v.lo : ok ? v.v : NAN);
			num(d, ok && isfinite(v.hi) ? v.hi : ok ? v.v : NAN);
		}
		fputc('\n', d);
	}
	return plot_files_close(&pf, 0);
}
