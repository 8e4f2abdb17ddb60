// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define BAR_WIDTH 30

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fmt_duration(char *buf, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
}

void progress_start(struct progress *p, int total, int already_done)
{
	p->total = total;
	p->done = already_done;
	p->start = now_s();
	p->tty = isatty(STDERR_FILENO);
	p->done_at_start = already_done;
}

void progress_step(struct progress *p, const char *what, const char *detail)
{
	double elapsed = now_s() - p->start;
	int ran, left, filled, i;
	char eta[32] = "?";

	p->done++;
	ran = p->done - p->done_at_start;
	left = p->total - p->done;
	if (ran > 0)
		fmt_duration(eta, sizeof(eta), elapsed / ran * left);
	if (!p->tty) {
		fprintf(stderr, "[%d/%d] %s: %s (ETA %s)\n", p->done, p->total, what, detail, eta);
		return;
	}
	filled = p->total ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;
	fprintf(stderr, "\r\033[K[");
	for (i = 0; i < BAR_WIDTH; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, "] %d/%d ETA %s  %s: %s", p->done, p->total, eta, what, detail);
	fflush(stderr);
}

void progress_note(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (p->tty)
		fprintf(stderr, "\r\033[K");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void progress_end(struct progress *p)
{
	char took[32];

	fmt_duration(took, sizeof(took), now_s() - p->start);
	if (p->tty)
		fputc('\n', stderr);
	fprintf(stderr, "%d/%d samples, %s\n", p->done, p->total, took);
}
