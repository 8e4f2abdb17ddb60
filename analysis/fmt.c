// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>

#include "analysis/fmt.h"

char *fmt_num(char *buf, size_t len, double v, int prec)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", prec, v);
	return buf;
}

char *fmt_signed(char *buf, size_t len, double v, int prec, const char *suffix)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.*f%s", prec, v, suffix);
	return buf;
}

char *fmt_pm(char *buf, size_t len, double mean, double sd, int prec, const char *pm)
{
	if (isnan(mean))
		snprintf(buf, len, "-");
	else if (isnan(sd))
		snprintf(buf, len, "%.*f", prec, mean);
	else
		snprintf(buf, len, "%.*f%s%.*f", prec, mean, pm, prec, sd);
	return buf;
}

char *fmt_ci(char *buf, size_t len, double lo, double hi, int prec)
{
	if (isnan(lo) || isnan(hi))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "[%+.*f, %+.*f]", prec, lo, prec, hi);
	return buf;
}

char *fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<0.001");
	else
		snprintf(buf, len, "%.3f", p);
	return buf;
}

/* "!!" makes a probe that did not run once per packet impossible to miss. */
char *fmt_hits(char *buf, size_t len, const struct cfg *c)
{
	if (!c->hits_n)
		snprintf(buf, len, "%s", c->hits_bad ? "!!" : "-");
	else
		snprintf(buf, len, "%.2f%s", c->hits_mean, c->hits_bad ? " !!" : "");
	return buf;
}

/* For rows without a single good sample: say why instead of printing dashes. */
const char *cfg_status(const struct cfg *c)
{
	if (c->n_ok)
		return NULL;
	if (c->n_unsupported)
		return "unsupported";
	return "failed";
}

const char *const fmt_legend[] = {
	"Bitrate: receiver throughput in Mbit/s (1e6 bit/s); Transfer: data received in MB "
	"(1e6 bytes); values are mean +/- sample sd (n-1).",
	"Impact: (mean - baseline mean) / baseline mean; 95% CI: Welch confidence interval of "
	"the difference divided by the baseline mean; negative = slower than baseline.",
	"p (Holm): Welch two-sided t-test on bitrate, Holm-corrected across all "
	"configurations; Sig: *** p<0.001, ** p<0.01, * p<0.05, ns otherwise.",
	"MDE: minimum detectable effect for this row (80% power, 5% level, baseline sd).",
	"ns/pkt: 1e9/pps - 1e9/pps_baseline (time added per received packet); ns/run: "
	"run_time_ns / run_cnt from BPF stats (-stat rows only).",
	"Hits/pkt: program runs per received packet; '!!' marks values outside [0.9, 1.1] "
	"or a failed check.",
	NULL,
};
