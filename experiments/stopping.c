// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/run.h"
#include "stopping.h"

int stopping_active(const char *dir, const struct matrix *m, double target_pct,
		    const char *estimator, bool *active, char *status, size_t len)
{
	struct run run;
	int i, baseline = -1, count = 0;
	size_t used = 0;
	bool analysed;

	/* No baseline sample yet (or none readable): every row needs more. */
	analysed = !run_load(&run, dir, NULL);
	/* The report's estimator judges "reached", so the two never disagree. */
	if (analysed && estimator_parse(estimator, &run.estimator))
		run.estimator = EST_ROBUST;
	analysed = analysed && !run_analyse(&run);
	if (analysed)
		run_precision(&run, target_pct);
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
		if (c && used < len && isfinite(c->half_width_pct))
			used += snprintf(status + used, len - used, "%s%s ±%.1f%%",
					 used ? ", " : "", c->name, c->half_width_pct);
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
