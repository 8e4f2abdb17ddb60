/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sweep over kernels (KERNELS=...): each value is prepared by building its
 * guest (make guest, cached) and run by bpfcost-run booting that guest.
 */
#ifndef BPFCOST_SWEEP_KERNELS_H
#define BPFCOST_SWEEP_KERNELS_H

#include <signal.h>

#include "kernels.h"
#include "sweep.h"
#include "sweep_args.h"

struct kernel_sweep {
	struct kernel_registry reg;
	const char *make;	     /* the make program; run in reg.root */
	const char *run;	     /* bpfcost-run */
	struct sweep_args a;	     /* shared settings */
	volatile sig_atomic_t *stop; /* our Ctrl-Cs, passed on to the run one by one */
	int passed;
};

/*
 * Refuse what a kernel sweep cannot do (exit 2 with @err); what it sets
 * itself (--vcpus 1 under CLOCK=instructions) is added to ks->a and said in @note.
 */
int kernel_sweep_check(struct kernel_sweep *ks, char *note, size_t notelen, char *err,
		       size_t errlen);

int kernel_sweep_prepare(void *ks, struct sweep_run *r, char *err, size_t errlen);
enum sweep_status kernel_sweep_run(void *ks, const struct sweep *s, const struct sweep_run *r,
				   bool resume, double budget_min, char *err, size_t errlen);

#endif /* BPFCOST_SWEEP_KERNELS_H */
