// SPDX-License-Identifier: GPL-2.0
/*
 * This machine's own kernel as a target. The agent runs here, in a network
 * namespace of its own with the workload's server (which the agent starts
 * and which dies with it); the traffic comes from a
 * second namespace over a veth pair. Both namespaces exist only while
 * processes we started (and that die with us, even on SIGKILL) are in them,
 * and a veth pair goes with its namespaces: nothing outlives a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "loader/bpfcost.h"
#include "loader/clock.h"
#include "loader/jsonl_chan.h"
#include "loader/spawn.h"
#include "target.h"

#define SERVER_IP "10.78.0.2"
#define CLIENT_IP "10.78.0.1"
#define SETUP_S	  10

extern const struct target_ops host_target;

struct host_target {
	struct target base;
	pid_t agent, client_ns_holder;
	int server_port;	  /* 0: the workload has no server */
	int server_ns, client_ns; /* namespace fds; -1 when closed */
	struct jsonl_chan chan;
	char veth[2][16];
};

/* The namespace of @pid once it differs from ours (the child has unshared). */
static int ns_of(pid_t pid, double deadline, char *err, size_t errlen)
{
	char path[64];
	struct stat ours, theirs;
	int status;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (stat("/proc/self/ns/net", &ours))
		goto fail;
	while (bpfcost_now() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			char how[32];

			snprintf(err, errlen, "process %d ended (%s) before its namespace was up",
				 (int)pid, spawn_status_str(status, how, sizeof(how)));
			return -1;
		}
		if (!stat(path, &theirs) && theirs.st_ino != ours.st_ino)
			return open(path, O_RDONLY | O_CLOEXEC);
		usleep(2000);
	}
fail:
	snprintf(err, errlen, "network namespace of process %d: %s", (int)pid,
		 errno ? strerror(errno) : "not created in time");
	return -1;
}

/* Run a setup command (ip ...) inside namespace @ns_fd (-1: ours); 0 on success. */
static int run_in(int ns_fd, char *const argv[], char *err, size_t errlen)
{
	struct spawn_opts o;
	char why[128];

	spawn_opts_init(&o);
	o.netns_fd = ns_fd;
	o.stderr_fd = SPAWN_INHERIT;
	if (spawn_run_ok(argv, &o, SETUP_S, NULL, why, sizeof(why))) {
		snprintf(err, errlen, "%s %s %s failed (%s)", argv[0], argv[1], argv[2], why);
		return -1;
	}
	return 0;
}

static int make_link(struct host_target *t, char *err, size_t errlen)
{
	char spid[16], cpid[16], saddr[32], caddr[32];
	char *add[] = { "ip",	"link", "add",	"name",	    t->veth[0], "netns", spid, "type",
			"veth", "peer", "name", t->veth[1], "netns",	cpid,	 NULL };
	char *s_addr[] = { "ip", "addr", "add", saddr, "dev", t->veth[0], NULL };
	char *c_addr[] = { "ip", "addr", "add", caddr, "dev", t->veth[1], NULL };
	char *s_up[] = { "ip", "link", "set", t->veth[0], "up", NULL };
	char *c_up[] = { "ip", "link", "set", t->veth[1], "up", NULL };
	char *lo_up[] = { "ip", "link", "set", "lo", "up", NULL };

	snprintf(spid, sizeof(spid), "%d", (int)t->agent);
	snprintf(cpid, sizeof(cpid), "%d", (int)t->client_ns_holder);
	snprintf(saddr, sizeof(saddr), "%s/24", SERVER_IP);
	snprintf(caddr, sizeof(caddr), "%s/24", CLIENT_IP);
	/* Both ends are born inside their namespaces: none ever sits in ours. */
	return run_in(-1, add, err, errlen) || run_in(t->server_ns, s_addr, err, errlen) ||
	       run_in(t->client_ns, c_addr, err, errlen) ||
	       run_in(t->server_ns, lo_up, err, errlen) ||
	       run_in(t->server_ns, s_up, err, errlen) || run_in(t->client_ns, c_up, err, errlen);
}

static int start_agent(struct host_target *t, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	char agent[4096];
	char *argv[] = { agent, "--stdio", NULL };
	int to[2], from[2];
	struct spawn_opts o;

	snprintf(agent, sizeof(agent), "%s/bpfcost-agent", bpfcost_exe_dir());
	if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	spawn_opts_init(&o);
	o.stdin_fd = to[0];
	o.stdout_fd = from[1];
	o.stderr_fd = SPAWN_INHERIT;
	o.new_netns = true;
	t->agent = spawn(argv, &o);
	close(to[0]);
	close(from[1]);
	if (t->agent < 0) {
		close(to[1]);
		close(from[0]);
		snprintf(err, errlen, "cannot start %s: %s", agent, strerror(errno));
		return -1;
	}
	jsonl_chan_init(&t->chan, from[0], to[1]);
	t->chan.stop = stop;
	return 0;
}

static void stop(struct target *base)
{
	struct host_target *t = (struct host_target *)base;

	if (!t)
		return;
	/* EOF on its stdin makes the agent detach whatever is attached, then exit. */
	jsonl_chan_close(&t->chan);
	spawn_kill(t->agent, 5);
	spawn_kill(t->client_ns_holder, 2);
	if (t->server_ns >= 0)
		close(t->server_ns);
	if (t->client_ns >= 0)
		close(t->client_ns);
	free(t);
}

static int start(const struct target_options *s, struct target **out, char *err, size_t errlen)
{
	double deadline = bpfcost_now() + SETUP_S;
	char *holder_argv[] = { "sleep", "infinity", NULL };
	struct host_target *t = calloc(1, sizeof(*t));
	struct spawn_opts o;

	*out = NULL;
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->base.ops = &host_target;
	t->server_ns = t->client_ns = -1;
	jsonl_chan_init(&t->chan, -1, -1);
	snprintf(t->veth[0], sizeof(t->veth[0]), "bpfcs%d", (int)getpid() % 1000000);
	snprintf(t->veth[1], sizeof(t->veth[1]), "bpfcc%d", (int)getpid() % 1000000);
	if (start_agent(t, s->stop, err, errlen))
		goto fail;
	spawn_opts_init(&o);
	o.new_netns = true;
	t->client_ns_holder = spawn(holder_argv, &o);
	if (t->client_ns_holder < 0) {
		snprintf(err, errlen, "cannot start the client namespace: %s", strerror(errno));
		goto fail;
	}
	t->server_ns = ns_of(t->agent, deadline, err, errlen);
	if (t->server_ns < 0)
		goto fail;
	t->client_ns = ns_of(t->client_ns_holder, deadline, err, errlen);
	if (t->client_ns < 0 || make_link(t, err, errlen))
		goto fail;
	if (s->server) {
		pid_t pid;

		if (target_serve(&t->base, s->server, SERVER_IP, &pid, err, errlen))
			goto fail;
		t->server_port = s->server->port;
	}
	fprintf(stderr, "bpfcost-run: host target: this kernel, traffic %s -> %s over veth\n",
		CLIENT_IP, SERVER_IP);
	*out = &t->base;
	return 0;
fail:
	stop(&t->base);
	return -1;
}

static cJSON *call(struct target *base, const cJSON *req, int timeout_s, char *err, size_t errlen)
{
	return jsonl_chan_call(&((struct host_target *)base)->chan, req, timeout_s, err, errlen);
}

static void endpoint(struct target *base, struct traffic_endpoint *ep)
{
	snprintf(ep->host, sizeof(ep->host), "%s", SERVER_IP);
	ep->port = ((struct host_target *)base)->server_port;
	ep->netns_fd = ((struct host_target *)base)->client_ns;
	ep->pin_client = false;
	ep->client_same_kernel = true; /* both namespaces are this kernel's */
}

static void describe(struct target *base, cJSON *obj)
{
	cJSON *pin = cJSON_AddObjectToObject(obj, "pinning");
	cJSON *bind = cJSON_AddObjectToObject(obj, "binding");

	(void)base;
	cJSON_AddStringToObject(obj, "network",
				"veth pair between two network namespaces, " CLIENT_IP
				" -> " SERVER_IP);
	/*
	 * Over veth the receive path runs in the sender's softirq on the
	 * sender's CPU: pinning client and server apart would not separate the
	 * measured kernel from the traffic generator as it does for a guest.
	 */
	cJSON_AddBoolToObject(pin, "done", false);
	cJSON_AddStringToObject(pin, "reason",
				"host target: client and receiving kernel share this machine's "
				"CPUs; nothing pinned");
	cJSON_AddBoolToObject(bind, "done", false);
	cJSON_AddStringToObject(bind, "reason", "host target: no guest to bind");
}

const struct target_ops host_target = {
	.name = "host",
	.summary = "this machine's kernel; traffic between two network namespaces over veth",
	.start = start,
	.call = call,
	.endpoint = endpoint,
	.describe = describe,
	.stop = stop,
};
BPFCOST_TARGET(host_target);
