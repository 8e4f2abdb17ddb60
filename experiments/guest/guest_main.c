// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-guest: boot the guest and relay agent requests, one JSON line per
 * stdin line, replies on stdout. For looking at a guest by hand:
 *   echo '{"cmd":"info"}' | build/bin/bpfcost-guest [-a tcg] [-t user|tap] [-c console.log]
 * The guest is torn down at stdin EOF, SIGINT or SIGTERM.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "experiments/guest/guest.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct guest_config c;
	static char line[65536];
	char err[1024];
	struct guest *g;
	int opt, rc = 0;

	guest_config_defaults(&c);
	/* Which guest ($BPFCOST_GUEST_KERNEL, else the only one built), or why none. */
	if (guest_files(NULL, &c.kernel, &c.initrd, NULL, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-guest: %s\n", err);
		return 2;
	}
	while ((opt = getopt(argc, argv, "a:t:c:m:n:")) != -1) {
		switch (opt) {
		case 'a':
			c.accel = optarg;
			break;
		case 't':
			c.topology = optarg;
			break;
		case 'c':
			c.log_path = optarg;
			break;
		case 'm':
			c.mem_mb = atoi(optarg);
			break;
		case 'n':
			c.vcpus = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: bpfcost-guest [-a auto|kvm|tcg] [-t user|tap] "
					"[-c console] [-m MB] [-n vcpus]\n");
			return 2;
		}
	}
	/* No SA_RESTART: a signal interrupts the blocking read of stdin. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (guest_start(&c, &g, err, sizeof(err))) {
		fprintf(stderr, "bpfcost-guest: %s\n", err);
		return 1;
	}
	fprintf(stderr, "bpfcost-guest: booted in %.2f s, accel %s%s%s, guest address %s\n",
		guest_boot_seconds(g), guest_accel(g), guest_accel_note(g)[0] ? " - " : "",
		guest_accel_note(g), guest_addr(g));
	while (!stop && fgets(line, sizeof(line), stdin)) {
		cJSON *req = cJSON_Parse(line), *r;
		char *s;

		if (!req) {
			fprintf(stderr, "bpfcost-guest: not JSON: %s", line);
			continue;
		}
		r = guest_call(g, req, 120, err, sizeof(err));
		cJSON_Delete(req);
		if (!r) {
			fprintf(stderr, "bpfcost-guest: %s\n", err);
			rc = 1;
			break;
		}
		s = cJSON_PrintUnformatted(r);
		printf("%s\n", s);
		fflush(stdout);
		free(s);
		cJSON_Delete(r);
	}
	guest_free(g);
	return rc;
}
