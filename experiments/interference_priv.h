/* SPDX-License-Identifier: GPL-2.0 */
/* Between the parts of the interference module; not for its users. */
#ifndef BPFCOST_INTERFERENCE_PRIV_H
#define BPFCOST_INTERFERENCE_PRIV_H

#include "experiments/interference.h"

/* The tree of @root (own, ntree, kthreads, nprocs) into @s, from the /proc at @procfd. */
void interference_snap_tree(int procfd, struct interference_snap *s, pid_t root);

#endif
