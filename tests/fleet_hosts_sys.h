/* SPDX-License-Identifier: GPL-2.0 */
/* System helpers of tests/fleet_hosts.c: sshd's install, finding and killing processes. */
#ifndef BPFCOST_FLEET_HOSTS_SYS_H
#define BPFCOST_FLEET_HOSTS_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FLEET_SSHD "/usr/sbin/sshd"

/*
 * Install openssh-server when FLEET_SSHD is missing, as root, with service
 * starts refused by a policy-rc.d (ours for the install, unless one that
 * refuses is there already). 0, or -1 with @err.
 */
int fleet_sshd_install(char *err, size_t errlen);

/* Which processes: in one of the network namespaces (by inode), with @text in their command line,
 * or holding one of the sockets. */
struct fleet_match {
	ino_t ns[8];
	int n_ns;
	const char *text; /* NULL: none */
	unsigned long sockets[64];
	int n_sockets;
};

/* Up to @max matching processes (not ourselves, not zombies) into @pids; returns how many. */
int fleet_procs_find(const struct fleet_match *m, pid_t *pids, int max);
/* SIGKILL matching processes until none is left or @timeout_ms passes; returns how many remain. */
int fleet_procs_kill(const struct fleet_match *m, int timeout_ms);
/* Inodes of our namespace's TCP sockets connected to port 22 of one of @addrs; returns how many. */
int fleet_tcp_to(const char *const *addrs, int n_addrs, unsigned long *inodes, int max);
/* /proc/<pid>/cmdline with blanks for NULs; 0, or -1. */
int fleet_proc_cmdline(pid_t pid, char *buf, size_t len);
/* Running (not gone, not a zombie)? */
bool fleet_proc_alive(pid_t pid);
/* Remove @dir and everything in it, following no link; 0, or -1. */
int fleet_remove_tree(const char *dir);

#endif /* BPFCOST_FLEET_HOSTS_SYS_H */
