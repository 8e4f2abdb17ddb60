/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the guest library's files. */
#ifndef BPFCOST_GUEST_PRIV_H
#define BPFCOST_GUEST_PRIV_H

#include <net/if.h>
#include <stdbool.h>
#include <sys/types.h>

#include "guest_tmp.h"
#include "loader/jsonl_chan.h"

#define GUEST_PATH_MAX 512

struct guest {
	pid_t pid;  /* QEMU; 0 when gone */
	int tap_fd; /* held only until QEMU has it; -1 after */
	char tap_name[IFNAMSIZ];
	struct guest_tmp tmp; /* control socket, logs; tmp.path short for sun_path */
	char sock_path[108];
	char console_path[GUEST_PATH_MAX];
	char qemu_log[GUEST_PATH_MAX]; /* this boot attempt's QEMU output: qemu-<accel>.log */
	bool own_console;	       /* console log lives in dir and goes with it */
	char topology[8];
	char addr[32];	      /* the guest's own IPv4 address, where its servers bind */
	char server_host[64]; /* where a host client reaches them */
	int server_port;      /* the config's server port, forwarded (user); 0: none */
	char accel[8];
	char accel_note[256];
	double boot_s;
	bool icount;
	struct jsonl_chan chan; /* the agent, over QEMU's chardev socket */
};

/* guest_net.c: a free localhost port for both TCP and UDP; -1 on failure. */
int guest_free_port(void);
/*
 * QEMU's user networking -netdev value, forwarding a free localhost port to
 * @guest_ip:@server_port (0: nothing forwarded); the localhost port, 0, or -1.
 */
int guest_user_netdev(const char *guest_ip, int server_port, char *netdev, size_t len, char *err,
		      size_t errlen);
/*
 * A non-persistent tap device named bpfcost<N>: it lives as long as the
 * returned fd is open anywhere (QEMU holds the last one).
 */
int guest_tap_open(char name[IFNAMSIZ], char *err, size_t errlen);
/* Put @host_ip/@prefix on the device and bring it up. */
int guest_tap_addr(const char *name, const char *host_ip, int prefix, char *err, size_t errlen);

/* guest_chan.c */
int guest_chan_connect(struct guest *g, double deadline, char *err, size_t errlen);

#endif /* BPFCOST_GUEST_PRIV_H */
