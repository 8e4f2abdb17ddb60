/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A known-cost control is a probe that says so: one of its `const volatile`
 * globals carries BPFCOST_KNOWN_COST_NS (progs/include/bpfcost_probe.h), a
 * BTF decl tag naming it as the nanoseconds each run adds. Nothing keys on a
 * probe's name.
 */
#ifndef BPFCOST_KNOWN_COST_H
#define BPFCOST_KNOWN_COST_H

#include <stddef.h>
#include <stdint.h>

/* The decl tag's text, as the probe header writes it. */
#define KNOWN_COST_TAG "bpfcost_known_cost_ns"

struct known_cost {
	char setting[64]; /* the variable: "spin_ns" */
	uint64_t dflt;	  /* its value in the object */
};

/*
 * Whether @probe in @progs_dir (NULL: the default) declares a known cost:
 * 1 with @kc filled, 0 when it does not, -1 with @err when the object cannot
 * be read. Results are cached per probe name.
 */
int known_cost_of(const char *progs_dir, const char *probe, struct known_cost *kc, char *err,
		  size_t errlen);

#endif /* BPFCOST_KNOWN_COST_H */
