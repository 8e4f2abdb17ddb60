/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFCOST_KALLSYMS_H
#define BPFCOST_KALLSYMS_H

#include <stdbool.h>

/* Whether @name is a text symbol of the running kernel (names are listed even under kptr_restrict).
 */
bool kallsyms_has_function(const char *name);

#endif /* BPFCOST_KALLSYMS_H */
