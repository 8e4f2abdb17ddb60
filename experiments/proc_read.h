/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFCOST_PROC_READ_H
#define BPFCOST_PROC_READ_H

#include <stdbool.h>
#include <sys/types.h>

/* Read at most @len - 1 bytes of a small file below @dirfd; NUL-terminated. -1 if unreadable. */
ssize_t proc_read_small(int dirfd, const char *path, char *buf, size_t len);
/* Next unsigned decimal at *p (after blanks), ending at a blank or end of line. */
bool proc_next_ull(const char **p, unsigned long long *v);
/* The same, signed: some /proc/<pid>/stat fields are -1 (tpgid). */
bool proc_next_ll(const char **p, long long *v);

#endif
