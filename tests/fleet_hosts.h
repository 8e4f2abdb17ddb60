/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fleet of "hosts" on this machine for the fleet tests: each a network
 * namespace reached over a veth pair, running its own sshd (a child of the
 * test, its own config, host key and authorized key) that lets root in with a
 * key made for the test. The hosts share this machine's filesystem, so each
 * gets its own working folder. Everything lives under one temp folder and is
 * removed by fleet_hosts_down(), also at exit and on SIGINT/SIGTERM/SIGHUP.
 */
#ifndef BPFCOST_FLEET_HOSTS_H
#define BPFCOST_FLEET_HOSTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FLEET_HOSTS_MAX 4

struct fleet_host {
	char name[32];		 /* inventory hostname: "lab1", "lab2"... */
	char ns[64];		 /* network namespace: bpfcost-fleet-<pid>-<i> */
	char addr[32];		 /* the sshd's address (inside the namespace) */
	char workdir[PATH_MAX];	 /* its working folder under the temp folder */
	pid_t sshd;		 /* 0 when not running */
	char veth[16];		 /* the veth's end in our namespace */
	char peer_addr[32];	 /* that end's address */
	char config[PATH_MAX];	 /* its sshd_config */
	char log[PATH_MAX];	 /* sshd's stderr (-e) */
	char host_key[PATH_MAX]; /* its host key (private; .pub beside it) */
	bool ns_made;
	bool veth_made;
};

struct fleet_hosts {
	int n;
	struct fleet_host host[FLEET_HOSTS_MAX];
	char dir[PATH_MAX];	    /* temp folder: keys, configs, known_hosts */
	char key[PATH_MAX];	    /* the client's private key (ed25519) */
	char known_hosts[PATH_MAX]; /* every host's key, so StrictHostKeyChecking stays on */
	char authorized[PATH_MAX];  /* the sshds' AuthorizedKeysFile */
	int net;		    /* the third octet of 10.213.<net>.0/24 we use */
	bool registered;	    /* on the exit/signal clean-up list */
};

/*
 * Make @n hosts (1..FLEET_HOSTS_MAX) and wait until each accepts an SSH login
 * as root. Installs openssh-server first when /usr/sbin/sshd is missing, with
 * its service start blocked. 0, or -1 with @err (and nothing left behind).
 */
int fleet_hosts_up(struct fleet_hosts *h, int n, char *err, size_t errlen);
/*
 * An INI inventory of the hosts in group "fleet": ansible_host, ansible_user=root,
 * the key, SSH arguments (our known_hosts, no ControlMaster or ControlPersist),
 * bpfcost_workdir=<host's folder>, then @extra_vars_per_host (NULL: none) on
 * every host's line. 0, or -1 with errno.
 */
int fleet_hosts_write_inventory(const struct fleet_hosts *h, const char *path,
				const char *extra_vars_per_host);
/* Idempotent: kills the sshds and whatever runs in the namespaces, deletes them, the veths and the
 * temp folder. */
void fleet_hosts_down(struct fleet_hosts *h);
/* 0 if nothing of @h is left, else 1 with what is in @what. */
int fleet_hosts_leftovers(const struct fleet_hosts *h, char *what, size_t len);

/*
 * Run @cmd on host @i over SSH as the tests' Ansible would (BatchMode, our key
 * and known_hosts, no multiplexing); returns ssh's exit code (255: no login).
 */
int fleet_host_ssh(const struct fleet_hosts *h, int i, const char *cmd, char *out, size_t outlen,
		   char *err, size_t errlen);
/* Stop host @i's sshd (and wait for it): the host becomes unreachable. */
void fleet_host_kill_sshd(struct fleet_hosts *h, int i);

#endif /* BPFCOST_FLEET_HOSTS_H */
