// SPDX-License-Identifier: GPL-2.0
/* Host network plumbing for the two topologies: a forwarded port or a tap device. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guest_priv.h"

static int bind_lo(int type, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &alen)) {
		close(fd);
		return -1;
	}
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* Free for both: a server may take control over TCP and data over UDP on one port. */
int guest_free_port(void)
{
	int i;

	for (i = 0; i < 50; i++) {
		int port = bind_lo(SOCK_STREAM, 0);

		if (port > 0 && bind_lo(SOCK_DGRAM, port) == port)
			return port;
	}
	return -1;
}

int guest_user_netdev(const char *guest_ip, int server_port, char *netdev, size_t len, char *err,
		      size_t errlen)
{
	int port = server_port > 0 ? guest_free_port() : 0;

	if (port < 0) {
		snprintf(err, errlen, "no free localhost port to forward to the guest");
		return -1;
	}
	/* Both protocols: a server may take control over TCP and data over UDP. */
	if (port)
		snprintf(netdev, len,
			 "user,id=n0,hostfwd=tcp:127.0.0.1:%d-%s:%d,hostfwd=udp:127.0.0.1:%d-%s:%d",
			 port, guest_ip, server_port, port, guest_ip, server_port);
	else
		snprintf(netdev, len, "user,id=n0");
	return port;
}

static int set_addr(int s, unsigned long req, const char *name, in_addr_t addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr;
	return ioctl(s, req, &ifr);
}

int guest_tap_open(char name[IFNAMSIZ], char *err, size_t errlen)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "open /dev/net/tun: %s (tap needs root or CAP_NET_ADMIN)",
			 strerror(errno));
		return -1;
	}
	/* The kernel picks a free name; not persistent, so it dies with its last fd. */
	snprintf(ifr.ifr_name, IFNAMSIZ, "bpfcost%%d");
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		snprintf(err, errlen, "TUNSETIFF: %s", strerror(errno));
		goto fail;
	}
	snprintf(name, IFNAMSIZ, "%s", ifr.ifr_name);
	/* The device number picks the subnet 10.77.<N>.0/24: past 255 two would share one. */
	if (atoi(name + strlen("bpfcost")) > 255) {
		snprintf(err, errlen, "%s: more than 256 bpfcost tap devices at once", name);
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int guest_tap_addr(const char *name, const char *host_ip, int prefix, char *err, size_t errlen)
{
	struct ifreq ifr;
	in_addr_t ip;
	int s;

	if (inet_pton(AF_INET, host_ip, &ip) != 1) {
		snprintf(err, errlen, "bad host address %s", host_ip);
		return -1;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || set_addr(s, SIOCSIFADDR, name, ip) ||
	    set_addr(s, SIOCSIFNETMASK, name, htonl(~0u << (32 - prefix)))) {
		snprintf(err, errlen, "address %s/%d on %s: %s", host_ip, prefix, name,
			 strerror(errno));
		goto out;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) == 0) {
			close(s);
			return 0;
		}
	}
	snprintf(err, errlen, "bring %s up: %s", name, strerror(errno));
out:
	if (s >= 0)
		close(s);
	return -1;
}
