// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/run.h"
#include "stopping.h"

int stopping_active(const char *dir, const struct matrix *m, const struct run_settings *rs,
		    bool *active, char *status, size_t len)
{
	struct run run;
	int i, baseline = -1, count = 0;
	size_t used = 0;
	char err[256], width[64];
	bool analysed, pct;

	/* No baseline sample yet (or none readable): every row needs more. */
	analysed = !run_load(&run, dir, NULL);
	/* The report's estimator judges "reached", so the two never disagree. */
	if (analysed && estimator_parse(rs->estimator, &run.estimator))
		run.estimator = EST_ROBUST;
	analysed = analysed && !run_analyse(&run);
	/* Records of another metric than the target's unit: no row can reach it (MAX_N stops). */
	if (analysed)
		run_precision(&run, rs->precision, rs->precision_unit, err, sizeof(err));
	pct = !isnan(run.precision_pct);
	status[0] = '\0';
	for (i = 0; i < m->n; i++) {
		const struct row_stats *c =
			analysed ? run_find_row(&run, m->configs[i].name) : NULL;

		if (m->configs[i].baseline) {
			baseline = i;
			continue;
		}
		/* A row without records yet needs them; one that only fails cannot narrow. */
		active[i] = c ? precision_needs_more(c) : !analysed;
		if (!active[i])
			continue;
		count++;
		if (c && used < len && isfinite(pct ? c->half_width_pct : c->half_width))
			used += snprintf(status + used, len - used, "%s%s %s", used ? ", " : "",
					 c->name,
					 precision_text(width, sizeof(width), "%.2f",
							pct ? c->half_width_pct : c->half_width,
							run.precision_unit));
		else if (c && used < len)
			used += snprintf(status + used, len - used, "%s%s (n=%zu)",
					 used ? ", " : "", c->name, c->value.n);
	}
	if (baseline >= 0)
		active[baseline] = count > 0;
	run_free(&run);
	return count;
}

bool stopping_fits(double budget_s, double elapsed_s, double need_s)
{
	return budget_s <= 0 || elapsed_s + need_s <= budget_s;
}
