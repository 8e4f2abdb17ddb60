// SPDX-License-Identifier: GPL-2.0
/*
 * {"cmd":"bind","comm":"NAME","server_cpu":1,"irq_cpu":0}: the threads of the
 * one process named NAME (the server the workload declares) on one vCPU, the virtio-net queue
 * interrupts on another, so the softirq that receives the flood and the process that reads it do
 * not share a CPU (on one, the softirq starves the reader: receive livelock). Replies with what it
 * did, read back from the kernel, or an error naming what failed.
 *
 * Every path goes through agent_sysroot() ("" here; the fuzz build points it
 * at a folder that does not exist, so a fuzzer never moves an interrupt).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"

#define COMM_MAX     16 /* TASK_COMM_LEN */
#define MAX_NET_DEVS 8
#define MAX_IRQS     64

struct irq_line {
	int irq;
	char name[64];
};

/* A whole number in [0, max): the value, or -1. */
static int cpu_arg(const cJSON *v, int max)
{
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	if (!(d >= 0 && d < max) || d != (double)(int)d)
		return -1;
	return (int)d;
}

static const char *cpuset_str(const cpu_set_t *set, char *buf, size_t len)
{
	size_t used = 0;
	int i, j;

	buf[0] = '\0';
	for (i = 0; i < CPU_SETSIZE && used < len; i = j + 1) {
		if (!CPU_ISSET(i, set)) {
			j = i;
			continue;
		}
		for (j = i; j + 1 < CPU_SETSIZE && CPU_ISSET(j + 1, set); j++)
			;
		if (j == i)
			used += snprintf(buf + used, len - used, "%s%d", used ? "," : "", i);
		else
			used += snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "", i, j);
	}
	return buf;
}

/* The first line of a small file, without its newline; -1 with errno. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = -1;

	buf[0] = '\0';
	if (!f)
		return -1;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	} else {
		errno = EIO;
	}
	fclose(f);
	return ret;
}

/* virtioN devices virtio_net drives, as "virtioN-" prefixes. */
static int net_devices(char prefixes[][32], int max)
{
	char path[512];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/bus/virtio/drivers/virtio_net", agent_sysroot());
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max)
		if (!strncmp(e->d_name, "virtio", 6) && isdigit((unsigned char)e->d_name[6]))
			snprintf(prefixes[n++], sizeof(prefixes[0]), "%.20s-", e->d_name);
	closedir(d);
	return n;
}

/*
 * /proc/interrupts lines of those devices' queues ("virtio1-input.0",
 * "virtio1-output.0", or "virtio1-virtqueues" with one vector for all): not
 * the config interrupt, which only says the link changed.
 */
static int net_irqs(char prefixes[][32], int ndev, struct irq_line *out, int max)
{
	char path[512], line[4096];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/interrupts", agent_sysroot());
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *p = line + strspn(line, " "), *colon = strchr(p, ':'), *tok, *save;
		bool found = false;
		int k;

		if (!colon || colon == p || !isdigit((unsigned char)*p))
			continue;
		*colon = '\0';
		if (strspn(p, "0123456789") != strlen(p) || strlen(p) > 6)
			continue;
		for (tok = strtok_r(colon + 1, " \t\n,", &save); tok && !found;
		     tok = strtok_r(NULL, " \t\n,", &save)) {
			for (k = 0; k < ndev && !found; k++) {
				size_t plen = strlen(prefixes[k]);

				if (strncmp(tok, prefixes[k], plen) || !tok[plen] ||
				    !strcmp(tok + plen, "config"))
					continue;
				out[n].irq = atoi(p);
				snprintf(out[n].name, sizeof(out[n].name), "%s", tok);
				found = true;
			}
		}
		n += found;
	}
	fclose(f);
	return n;
}

/* The one process named @name: its pid, 0 when none, -N when N of them. */
static int find_server(const char *name, char *pids, size_t len)
{
	char path[512], comm[64];
	struct dirent *e;
	int found = 0, pid = 0;
	size_t used = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/proc", agent_sysroot());
	d = opendir(path);
	if (!d)
		return 0;
	pids[0] = '\0';
	while ((e = readdir(d))) {
		if (strspn(e->d_name, "0123456789") != strlen(e->d_name) || strlen(e->d_name) > 9)
			continue;
		snprintf(path, sizeof(path), "%s/proc/%s/comm", agent_sysroot(), e->d_name);
		if (read_line(path, comm, sizeof(comm)) || strcmp(comm, name))
			continue;
		found++;
		pid = atoi(e->d_name);
		if (used < len)
			used += snprintf(pids + used, len - used, "%s%d", used ? " " : "", pid);
	}
	closedir(d);
	return found > 1 ? -found : pid;
}

/* Every thread of @pid on @cpu; the thread count, or -1 naming the failure. */
static int move_process(const char *name, int pid, int cpu, char *err, size_t errlen)
{
	char path[256];
	struct dirent *e;
	cpu_set_t set;
	int n = 0;
	DIR *d;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	snprintf(path, sizeof(path), "%s/proc/%d/task", agent_sysroot(), pid);
	d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		int tid = atoi(e->d_name);

		if (tid <= 0)
			continue;
		if (sched_setaffinity(tid, sizeof(set), &set) && errno != ESRCH) {
			snprintf(err, errlen, "sched_setaffinity(thread %d of %s %d, CPU %d): %s",
				 tid, name, pid, cpu, strerror(errno));
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

static int write_irq(int irq, int cpu, char *err, size_t errlen)
{
	char path[256], text[16];
	int fd, len;

	snprintf(path, sizeof(path), "%s/proc/irq/%d/smp_affinity_list", agent_sysroot(), irq);
	len = snprintf(text, sizeof(text), "%d\n", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != len) {
		snprintf(err, errlen, "write %d to %s: %s", cpu, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static bool key_known(const char *k)
{
	return !strcmp(k, "cmd") || !strcmp(k, "id") || !strcmp(k, "comm") ||
	       !strcmp(k, "server_cpu") || !strcmp(k, "irq_cpu");
}

struct cJSON *agent_bind(const struct cJSON *req)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	int max = ncpu > 0 && ncpu < CPU_SETSIZE ? (int)ncpu : CPU_SETSIZE;
	char prefixes[MAX_NET_DEVS][32], pids[128], err[BPFCOST_ERRLEN], path[512], buf[256];
	const cJSON *k, *k2;
	const char *comm;
	struct irq_line irqs[MAX_IRQS];
	int server_cpu, irq_cpu, ndev, nirq, pid, threads, i;
	cJSON *r, *srv, *list;
	cpu_set_t set;

	cJSON_ArrayForEach(k, req)
	{
		if (!k->string || !key_known(k->string))
			return agent_error(BPFCOST_ERR_USAGE,
					   "bind: unknown field '%.40s'; usage: {\"cmd\":\"bind\","
					   "\"comm\":NAME,\"server_cpu\":N,\"irq_cpu\":N}",
					   k->string ?: "");
		for (k2 = k->next; k2; k2 = k2->next)
			if (k2->string && !strcmp(k2->string, k->string))
				return agent_error(BPFCOST_ERR_USAGE, "bind: '%.40s' given twice",
						   k->string);
	}
	server_cpu = cpu_arg(cJSON_GetObjectItemCaseSensitive(req, "server_cpu"), max);
	irq_cpu = cpu_arg(cJSON_GetObjectItemCaseSensitive(req, "irq_cpu"), max);
	if (server_cpu < 0 || irq_cpu < 0)
		return agent_error(BPFCOST_ERR_USAGE,
				   "bind: \"server_cpu\" and \"irq_cpu\" must be whole numbers "
				   "from 0 to %d (this machine's CPUs)",
				   max - 1);

	comm = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "comm"));
	if (!comm || !*comm || strlen(comm) >= COMM_MAX || strchr(comm, '/'))
		return agent_error(BPFCOST_ERR_USAGE,
				   "bind: \"comm\" must name the server process (1 to %d "
				   "characters, as in /proc/PID/comm)",
				   COMM_MAX - 1);

	ndev = net_devices(prefixes, MAX_NET_DEVS);
	if (ndev <= 0)
		return agent_error(
			BPFCOST_ERR_FAILURE,
			"bind: no virtio_net device in %s/sys/bus/virtio/drivers/virtio_net",
			agent_sysroot());
	nirq = net_irqs(prefixes, ndev, irqs, MAX_IRQS);
	if (nirq <= 0)
		return agent_error(BPFCOST_ERR_FAILURE,
				   "bind: no interrupt of %.20s... queues in %s/proc/interrupts",
				   prefixes[0], agent_sysroot());
	pid = find_server(comm, pids, sizeof(pids));
	if (pid == 0)
		return agent_error(BPFCOST_ERR_FAILURE, "bind: no process named %s (the server)",
				   comm);
	if (pid < 0)
		return agent_error(BPFCOST_ERR_FAILURE,
				   "bind: %d processes named %s (pids %s); expected one server",
				   -pid, comm, pids);
	threads = move_process(comm, pid, server_cpu, err, sizeof(err));
	if (threads < 0)
		return agent_error(BPFCOST_ERR_FAILURE, "bind: %s", err);
	for (i = 0; i < nirq; i++)
		if (write_irq(irqs[i].irq, irq_cpu, err, sizeof(err)))
			return agent_error(BPFCOST_ERR_FAILURE,
					   "bind: %s (the server, pid %d, is on CPU %d already)",
					   err, pid, server_cpu);

	r = agent_ok();
	srv = cJSON_AddObjectToObject(r, "server");
	cJSON_AddStringToObject(srv, "comm", comm);
	cJSON_AddNumberToObject(srv, "pid", pid);
	cJSON_AddNumberToObject(srv, "threads", threads);
	cJSON_AddNumberToObject(srv, "cpu", server_cpu);
	if (!sched_getaffinity(pid, sizeof(set), &set))
		cJSON_AddStringToObject(srv, "affinity", cpuset_str(&set, buf, sizeof(buf)));
	cJSON_AddNumberToObject(r, "irq_cpu", irq_cpu);
	list = cJSON_AddArrayToObject(r, "irqs");
	for (i = 0; i < nirq; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "irq", irqs[i].irq);
		cJSON_AddStringToObject(o, "name", irqs[i].name);
		snprintf(path, sizeof(path), "%s/proc/irq/%d/smp_affinity_list", agent_sysroot(),
			 irqs[i].irq);
		if (!read_line(path, buf, sizeof(buf)))
			cJSON_AddStringToObject(o, "affinity", buf);
		snprintf(path, sizeof(path), "%s/proc/irq/%d/effective_affinity_list",
			 agent_sysroot(), irqs[i].irq);
		if (!read_line(path, buf, sizeof(buf))) {
			cJSON_AddStringToObject(o, "effective", buf);
			/*
			 * x86 moves an MSI only when it next fires on its old CPU:
			 * until then the effective CPU is the old one.
			 */
			if (strtol(buf, NULL, 10) != irq_cpu || strchr(buf, ',') ||
			    strchr(buf, '-'))
				cJSON_AddBoolToObject(o, "move_pending", true);
		}
		cJSON_AddItemToArray(list, o);
	}
	return r;
}
