/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest's temporary folder (control socket, logs) in a world-writable
 * parent: 0700, ours, and locked while its run lives, so the next run can
 * reclaim the folders of a SIGKILLed one without ever taking a live one or
 * following anything planted in the parent.
 */
#ifndef BPFCOST_GUEST_TMP_H
#define BPFCOST_GUEST_TMP_H

#include <stddef.h>

#define GUEST_TMP_PREFIX "bpfcost-guest."
/* Inside the folder; its owner holds flock(LOCK_EX) on it until it exits. */
#define GUEST_TMP_LOCK ".owner"

struct guest_tmp {
	char path[96]; /* short: a unix socket path inside must fit in 108 bytes */
	int dfd;       /* the folder, O_DIRECTORY|O_NOFOLLOW; -1 when none */
	int lock_fd;
};

/* <@parent>/bpfcost-guest.XXXXXX, 0700, with its lock held. 0, or -1 with @err. */
int guest_tmp_create(struct guest_tmp *t, const char *parent, char *err, size_t errlen);
/* Everything in the folder, then the folder; the lock goes last. */
void guest_tmp_remove(struct guest_tmp *t);
/*
 * Folders in @parent named GUEST_TMP_PREFIX*, owned by us (root), mode 0700,
 * whose lock nobody holds: emptied with unlinkat from their own descriptor,
 * then removed. Links, other owners or modes, and held locks are left alone.
 * Returns how many were removed, or -1 if @parent cannot be opened.
 */
int guest_tmp_reclaim(const char *parent);

#endif /* BPFCOST_GUEST_TMP_H */
