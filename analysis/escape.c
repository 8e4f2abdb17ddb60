// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "analysis/escape.h"

/*
 * Length of the valid UTF-8 sequence at @s that is a printable character, or
 * 0: C0/C1 controls, DEL, overlong forms, surrogates and stray bytes are not.
 */
static size_t utf8_printable(const unsigned char *s)
{
	unsigned int cp;
	size_t n, i;

	if (s[0] < 0x20 || s[0] == 0x7f)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

/* Each printable character of @s to @put, each byte of anything else as '?'. */
static void esc_each(FILE *f, const char *s, void (*put)(FILE *f, const unsigned char *c, size_t n))
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = utf8_printable(p);

		if (n)
			put(f, p, n);
		else
			fputc('?', f);
		p += n ? n : 1;
	}
}

static void put_plain(FILE *f, const unsigned char *c, size_t n)
{
	fwrite(c, 1, n, f);
}

void esc_text(FILE *f, const char *s)
{
	esc_each(f, s, put_plain);
}

char *esc_text_str(char *buf, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t o = 0;

	if (!len)
		return buf;
	while (*p) {
		size_t n = utf8_printable(p);

		if (o + (n ? n : 1) >= len)
			break;
		if (n)
			memcpy(buf + o, p, n);
		else
			buf[o] = '?';
		o += n ? n : 1;
		p += n ? n : 1;
	}
	buf[o] = '\0';
	return buf;
}

/* Markdown: links and images need brackets; code spans could swallow an escape. */
static const char *const md_escape[128] = {
	['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;", ['\\'] = "\\\\",
	['`'] = "\\`",	['['] = "\\[",	[']'] = "\\]",	 ['|'] = "\\|",
};

static void put_md(FILE *f, const unsigned char *c, size_t n)
{
	if (*c < 128 && md_escape[*c])
		fputs(md_escape[*c], f);
	else
		fwrite(c, 1, n, f);
}

void esc_md(FILE *f, const char *s)
{
	esc_each(f, s, put_md);
}

static void put_csv(FILE *f, const unsigned char *c, size_t n)
{
	if (*c == '"')
		fputc('"', f);
	fwrite(c, 1, n, f);
}

void esc_csv(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	/* OWASP: a cell a spreadsheet would read as a formula is made text. */
	bool formula = *p && strchr("=+-@\t\r", *p);

	if (!formula && !strpbrk((const char *)p, ",\"\n\r")) {
		esc_text(f, (const char *)p);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	esc_each(f, (const char *)p, put_csv);
	fputc('"', f);
}

void csv_next_str(FILE *f, const char *s)
{
	fputc(',', f);
	esc_csv(f, s);
}

void csv_next_num(FILE *f, double v)
{
	fputc(',', f);
	if (isfinite(v))
		fprintf(f, "%.10g", v);
}

void csv_next_nums(FILE *f, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_next_num(f, v[i]);
}

/* Special to LaTeX: these six by name, and "&%$#_{}" after a backslash. */
static const char *const tex_escape[128] = {
	['\\'] = "\\textbackslash{}", ['~'] = "\\textasciitilde{}", ['^'] = "\\textasciicircum{}",
	['<'] = "\\textless{}",	      ['>'] = "\\textgreater{}",    ['|'] = "\\textbar{}",
};

void esc_tex(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		if (*p < 128 && tex_escape[*p])
			fputs(tex_escape[*p], f);
		else if (strchr("&%$#_{}", *p))
			fprintf(f, "\\%c", *p);
		else /* pdflatex stops on bytes its input encoding does not map. */
			fputc(*p >= 0x20 && *p < 0x7f ? *p : '?', f);
	}
}

static ssize_t term_write(void *cookie, const char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)buf;
	FILE *under = cookie;
	size_t i = 0;

	/*
	 * Unbuffered, so one write is one message: a line break inside it came
	 * from a quoted name and would forge a line; only the last one is kept.
	 */
	while (i < size) {
		size_t n = p[i] == '\n' && i + 1 == size ? 1 : 0;

		if (!n) {
			char c[5] = { 0 };
			size_t k = size - i < 4 ? size - i : 4;

			memcpy(c, p + i, k);
			n = utf8_printable((const unsigned char *)c);
		}
		if (!n) {
			fputc('?', under);
			i++;
			continue;
		}
		fwrite(p + i, 1, n, under);
		i += n;
	}
	fflush(under);
	return (ssize_t)size;
}

FILE *esc_term_stream(FILE *under)
{
	cookie_io_functions_t io = { .write = term_write };
	FILE *f = fopencookie(under, "w", io);

	if (f)
		setvbuf(f, NULL, _IONBF, 0);
	return f;
}
