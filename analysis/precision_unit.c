// SPDX-License-Identifier: GPL-2.0
/*
 * PRECISION's units: a target in % of the baseline, or in the run's metric's
 * own unit per event. The unit comes from the workload's metric declaration
 * (struct metric's unit, unit_instructions, as every record carries it), never
 * from a list here: "ns/call" per call is typed "ns", "instructions/call"
 * "insn" (or "instructions"), the flood's "Mbit/s" as it is. Shared by the
 * runner (the option, the manifest, resume) and the report (its --precision,
 * a loaded manifest), so both accept the same spellings.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/fmt.h"
#include "analysis/run.h"

/* Units with a customary short spelling: the short one is what is recorded. */
static const struct {
	const char *full, *abbrev;
} aliases[] = {
	{ "instructions", "insn" },
};

int precision_split(const char *text, double *value, const char **unit)
{
	char *end;

	*unit = "%";
	if (!text || !(isdigit((unsigned char)text[0]) || text[0] == '.'))
		return -1; /* no sign, no space, no "inf": a plain positive number first */
	*value = strtod(text, &end);
	/* Decimal only: strtod would read 0x10 as 16 too. */
	if (end == text || !isfinite(*value) ||
	    strspn(text, "0123456789.eE+-") < (size_t)(end - text))
		return -1;
	while (*end == ' ')
		end++;
	if (*end)
		*unit = end; /* a bare number is a percentage, as before units */
	return 0;
}

bool precision_value_ok(double v, const char *canon_unit)
{
	if (!canon_unit || !strcmp(canon_unit, "%"))
		return precision_target_ok(v);
	return isfinite(v) && v > 0 && v <= PRECISION_ABS_MAX;
}

/* The metric's unit per event ("ns/call" per call: "ns"), and its short spelling. */
static void per_event(const char *metric_unit, const char *event, char *full, char *canon,
		      size_t len)
{
	size_t n = strlen(metric_unit), e = event ? strlen(event) : 0;
	size_t i;

	if (e && n > e + 1 && metric_unit[n - e - 1] == '/' && !strcmp(metric_unit + n - e, event))
		n -= e + 1;
	snprintf(full, len, "%.*s", (int)n, metric_unit);
	snprintf(canon, len, "%s", full);
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(full, aliases[i].full))
			snprintf(canon, len, "%s", aliases[i].abbrev);
}

/* @typed is @base or @base/@event. */
static bool spelled(const char *typed, const char *base, const char *event)
{
	size_t n = strlen(base);

	if (!base[0] || strncmp(typed, base, n))
		return false;
	return !typed[n] || (typed[n] == '/' && event && !strcmp(typed + n + 1, event));
}

int precision_unit_for(const char *typed, const char *metric_unit, const char *event, char *canon,
		       size_t len, char *err, size_t errlen)
{
	char full[PRECISION_UNIT_LEN], abbrev[PRECISION_UNIT_LEN];

	if (!typed || !typed[0] || !strcmp(typed, "%")) {
		snprintf(canon, len, "%%");
		return 0;
	}
	if (!metric_unit || !metric_unit[0]) {
		snprintf(err, errlen, "unit '%.32s': the run's metric has no unit; give it in %%",
			 typed);
		return -1;
	}
	per_event(metric_unit, event, full, abbrev, sizeof(full));
	if (spelled(typed, abbrev, event) || spelled(typed, full, event) ||
	    !strcmp(typed, metric_unit)) {
		snprintf(canon, len, "%s", abbrev);
		return 0;
	}
	snprintf(err, errlen,
		 "unit '%.32s' is not the metric's: it is in %.32s, so give the target in %s "
		 "(e.g. 2%s) or in %% of the baseline (e.g. 5%%)",
		 typed, metric_unit, abbrev, abbrev);
	return -1;
}

const char *precision_text(char *buf, size_t len, const char *spec, double value,
			   const char *canon_unit)
{
	bool pct = !canon_unit || !strcmp(canon_unit, "%");

	snprintf(buf, len, "±%s%s%s", FMT(spec, value), pct ? "" : " ", pct ? "%" : canon_unit);
	return buf;
}
