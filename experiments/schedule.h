/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interleaving: every block runs each configuration once, in an order
 * shuffled from (seed, block), so drift hits every configuration alike and a
 * resumed run recomputes exactly the same schedule.
 */
#ifndef BPFCOST_SCHEDULE_H
#define BPFCOST_SCHEDULE_H

#include <stdint.h>

/* Fill @order[0..n) with a permutation of 0..n-1 for @block. */
void schedule_block(uint64_t seed, int block, int n, int *order);

#endif /* BPFCOST_SCHEDULE_H */
