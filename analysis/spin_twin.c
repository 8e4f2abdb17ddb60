// SPDX-License-Identifier: GPL-2.0
/*
 * A known-cost row against its twin set to 0: tp-spin@spin_ns=20000 minus
 * tp-spin@spin_ns=0. Against the baseline a spin row adds the attach type's
 * own cost too, which under an emulator (TCG) can be as large as the spin; the
 * twin takes it out, so what is left is the cost that was set.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "analysis/run.h"

/* The next "key=value" of a settings list ("a=1,b=2"): its length, or 0 at the end. */
static size_t token(const char *s)
{
	return strcspn(s, ",");
}

/*
 * @a and @b name one probe on one attach type with the same settings but one,
 * whose key is the same: "tp-spin@spin_ns=20000" and "tp-spin@spin_ns=0".
 * Settings are compared in order, as the matrix writes them.
 */
static bool twins(const char *a, const char *b)
{
	const char *sa = strchr(a, '@'), *sb = strchr(b, '@');
	int differ = 0;

	if (!sa || !sb || sa - a != sb - b || strncmp(a, b, (size_t)(sa - a)))
		return false;
	for (sa++, sb++; *sa && *sb;) {
		size_t la = token(sa), lb = token(sb);
		const char *ea = memchr(sa, '=', la), *eb = memchr(sb, '=', lb);

		if (!ea || !eb || ea - sa != eb - sb || strncmp(sa, sb, (size_t)(ea - sa)))
			return false;
		differ += la != lb || strncmp(sa, sb, la);
		sa += la + (sa[la] == ',');
		sb += lb + (sb[lb] == ',');
	}
	return !*sa && !*sb && differ == 1;
}

int run_spin_twins(struct run *run)
{
	size_t i, j;

	for (i = 0; i < run->n_rows; i++) {
		struct row_stats *c = &run->rows[i];
		struct row_shift sh;

		c->spin_zero = NULL;
		c->spin_alone = c->spin_alone_lo = c->spin_alone_hi = c->spin_alone_p = NAN;
		if (!isfinite(c->spin_ns) || c->spin_ns <= 0 || !c->n_ok)
			continue;
		for (j = 0; j < run->n_rows; j++) {
			const struct row_stats *z = &run->rows[j];

			if (z->spin_ns == 0 && z->n_ok && twins(c->name, z->name))
				break;
		}
		if (j == run->n_rows)
			continue;
		if (row_shift(c, &run->rows[j], run->estimator, &sh))
			return -1;
		c->spin_zero = &run->rows[j];
		c->spin_alone = sh.est;
		c->spin_alone_lo = sh.lo;
		c->spin_alone_hi = sh.hi;
		c->spin_alone_p = sh.p;
	}
	return 0;
}
