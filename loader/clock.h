/* SPDX-License-Identifier: GPL-2.0 */
/* The one clock every bpfcost program uses for deadlines and durations. */
#ifndef BPFCOST_CLOCK_H
#define BPFCOST_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: never jumps with the wall clock. */
double bpfcost_now(void);

#endif /* BPFCOST_CLOCK_H */
