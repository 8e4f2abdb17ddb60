/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When a run stops: PRECISION (each row until its impact CI is narrow enough),
 * BUDGET (minutes of wall time), and the largest N allowed. The widths come
 * from the report's own analysis of samples.jsonl, so the runner and the table
 * judge "reached" the same way.
 */
#ifndef BPFCOST_STOPPING_H
#define BPFCOST_STOPPING_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"
#include "matrix.h"

/*
 * Marks in @active (one per configuration of @m) the rows that still need
 * samples for @rs's PRECISION (its value and unit, judged by @rs's estimator),
 * the baseline whenever any other row does. Returns how many rows other than
 * the baseline are active; @status gets each one's width ("tp-null ±7.10%",
 * "tp-null ±3.21 ns").
 */
int stopping_active(const char *dir, const struct matrix *m, const struct run_settings *rs,
		    bool *active, char *status, size_t len);

/*
 * Whether @need_s more seconds fit in a budget of @budget_s of which
 * @elapsed_s are spent; a budget of 0 is no budget.
 */
bool stopping_fits(double budget_s, double elapsed_s, double need_s);

#endif /* BPFCOST_STOPPING_H */
