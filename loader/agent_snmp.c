// SPDX-License-Identifier: GPL-2.0
/*
 * UDP counters, so the host can count the datagrams the guest's sockets really
 * received between two calls (InDatagrams is counted in udp_recvmsg itself).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"

/* /proc/net/snmp: a header line "Udp: A B C" followed by a value line "Udp: 1 2 3". */
static int read_snmp(cJSON *out, const char *prefix)
{
	char hdr[1024], val[1024];
	size_t plen = strlen(prefix);
	FILE *f = fopen("/proc/net/snmp", "r");
	int err = -1;

	if (!f)
		return -1;
	while (fgets(hdr, sizeof(hdr), f)) {
		char *hs, *vs, *h, *v;

		if (strncmp(hdr, prefix, plen) || !fgets(val, sizeof(val), f))
			continue;
		h = strtok_r(hdr + plen, " \n", &hs);
		v = strtok_r(val + plen, " \n", &vs);
		for (; h && v; h = strtok_r(NULL, " \n", &hs), v = strtok_r(NULL, " \n", &vs))
			cJSON_AddNumberToObject(out, h, strtod(v, NULL));
		err = 0;
		break;
	}
	fclose(f);
	return err;
}

/* /proc/net/snmp6: "Udp6InDatagrams   42", one counter per line. */
static void read_snmp6(cJSON *out)
{
	char line[256], name[128];
	unsigned long long v;
	FILE *f = fopen("/proc/net/snmp6", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Udp6%127s %llu", name, &v) == 2)
			cJSON_AddNumberToObject(out, name, (double)v);
	fclose(f);
}

struct cJSON *agent_snmp(const struct cJSON *req)
{
	cJSON *r = agent_ok();
	cJSON *udp = cJSON_AddObjectToObject(r, "udp");

	(void)req;
	if (read_snmp(udp, "Udp: ")) {
		cJSON_Delete(r);
		return agent_error(BPFCOST_ERR_FAILURE, "no Udp: lines in /proc/net/snmp");
	}
	read_snmp6(cJSON_AddObjectToObject(r, "udp6"));
	return r;
}
