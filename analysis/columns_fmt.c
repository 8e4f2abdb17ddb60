// SPDX-License-Identifier: GPL-2.0
/* A column's cell as table text, and the line wrapping that keeps table.txt in a terminal. */
#include <math.h>
#include <string.h>

#include "analysis/columns.h"
#include "analysis/fmt.h"

/* "+316.0 [+315.8, +316.2] ***": the value, its 95% CI when there is one, a mark. */
static char *fmt_est(char *buf, size_t len, const struct col_cell *o, const struct column *c)
{
	char d[48], ci[96];

	if (!isfinite(o->x[0]))
		return fmt_num(buf, len, NAN, 0);
	fmt_signed(d, sizeof(d), o->x[0], c->prec, c->suffix ? c->suffix : "");
	if (isfinite(o->x[1]) && isfinite(o->x[2]))
		snprintf(buf, len, "%s %s", d, fmt_ci(ci, sizeof(ci), o->x[1], o->x[2], c->prec));
	else
		snprintf(buf, len, "%s", d);
	if (c->mark && o->s && *o->s)
		snprintf(buf + strlen(buf), len - strlen(buf), " %s", o->s);
	return buf;
}

/* "-4.8% ok": a value and its flag in one narrow cell; "-" when neither says anything. */
static char *fmt_signed_mark(char *buf, size_t len, const struct col_cell *o,
			     const struct column *c)
{
	bool flag = o->s && *o->s && strcmp(o->s, "-");

	fmt_signed(buf, len, o->x[0], c->prec, c->suffix ? c->suffix : "");
	if (flag)
		snprintf(buf + strlen(buf), len - strlen(buf), " %s", o->s);
	return buf;
}

const char *col_text(const struct column *c, const struct run *run, const struct row_stats *row,
		     unsigned where, const char *pm, char *buf, size_t len, bool *number)
{
	enum col_fmt fmt = where == COL_TEXT && c->text_fmt != CF_SAME ? c->text_fmt : c->fmt;
	const char *suffix = c->suffix ? c->suffix : "";
	struct col_cell o;

	col_get(c, run, row, &o);
	*number = false;
	if (o.status)
		return o.status;
	if (fmt == CF_TEXT || fmt == CF_CSV_ONLY)
		return o.s && *o.s ? o.s : c->dash ? "-" : "";
	*number = true;
	switch (fmt) {
	case CF_SIGNED:
		return fmt_signed(buf, len, o.x[0], c->prec, suffix);
	case CF_PM:
		return fmt_pm(buf, len, o.x[0], o.x[1], c->prec, pm);
	case CF_CI:
		return fmt_ci(buf, len, o.x[1], o.x[2], c->prec);
	case CF_EST:
		return fmt_est(buf, len, &o, c);
	case CF_SIGNED_MARK:
		return fmt_signed_mark(buf, len, &o, c);
	case CF_P:
		return fmt_p(buf, len, o.x[0]);
	case CF_HITS:
		return fmt_hits(buf, len, row);
	default:
		return fmt_num(buf, len, o.x[0], c->prec);
	}
}

/* printf pads bytes; "±" is two bytes but one column, so count code points. */
int utf8_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

#define WRAP_INDENT "    "

/*
 * Cut at the first blank of the last run of blanks that fits; a continuation line
 * starts with WRAP_INDENT in place of the one blank taken, so joining each "\n" +
 * WRAP_INDENT back into " " gives the line as it was. A word longer than a line
 * is cut where the line ends.
 */
void text_wrap(FILE *f, const char *s, int width)
{
	int avail = width;

	for (;;) {
		const char *p, *brk = NULL;
		int w = 0;

		for (p = s; *p; p++) {
			if (((unsigned char)*p & 0xc0) == 0x80)
				continue;
			if (w == avail)
				break;
			if (*p == ' ' && p > s)
				brk = p;
			w++;
		}
		if (!*p) {
			fputs(s, f);
			break;
		}
		if (*p == ' ')
			brk = p;
		while (brk && brk > s + 1 && brk[-1] == ' ')
			brk--;
		if (!brk || brk == s) {
			fwrite(s, 1, (size_t)(p - s), f);
			s = p;
		} else {
			fwrite(s, 1, (size_t)(brk - s), f);
			s = brk + 1;
		}
		fputs("\n" WRAP_INDENT, f);
		avail = width - (int)strlen(WRAP_INDENT);
	}
	fputc('\n', f);
}
