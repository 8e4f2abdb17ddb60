/* SPDX-License-Identifier: GPL-2.0 */
/* Progress of a long run: a bar with ETA on a terminal, one plain line per sample otherwise. */
#ifndef BPFCOST_PROGRESS_H
#define BPFCOST_PROGRESS_H

struct progress {
	int total;
	int done;
	double start;
	int tty;
	int done_at_start;
};

void progress_start(struct progress *p, int total, int already_done);
/* After each sample: @what names it, @detail is a short result ("18.2 Mbit/s"). */
void progress_step(struct progress *p, const char *what, const char *detail);
/* Print a message without tearing the bar. */
void progress_note(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void progress_end(struct progress *p);

#endif /* BPFCOST_PROGRESS_H */
