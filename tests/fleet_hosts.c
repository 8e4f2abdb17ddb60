// SPDX-License-Identifier: GPL-2.0
/* Namespaced sshd hosts for the fleet tests; see fleet_hosts.h. */
#include "fleet_hosts.h"
#include "fleet_hosts_sys.h"
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CMD_MS	    30000
#define LOGIN_MS    30000
#define KILL_MS	    10000
#define NS_PREFIX   "bpfcost-fleet-"
#define VETH_PREFIX "bfl"

/* Live fleets, for the exit and signal clean-up. */
static struct fleet_hosts *live[4];

static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* @dir/@name@suffix into @dst; "" when it does not fit (our folder's names are short). */
static void path_in(char *dst, size_t len, const char *dir, const char *name, const char *suffix)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s/%s%s", dir, name, suffix);

	/* Built apart: @dst and the parts may be fields of one struct. */
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(tmp))
		n = 0;
	memcpy(dst, tmp, n);
	dst[n] = '\0';
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Run @argv; 0, or -1 with its stderr in @err. */
static int run(char *const argv[], char *err, size_t errlen)
{
	char out[4096], why[2048];
	int code = run_capture(argv, out, sizeof(out), why, sizeof(why), CMD_MS);

	if (!code)
		return 0;
	return say(err, errlen, "%s %s ended with %d: %s", argv[0], argv[1], code, why);
}

static int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	size_t len = strlen(text);
	bool ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len;
	return close(fd) || !ok ? -1 : 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int keygen(const char *path, char *err, size_t errlen)
{
	char *argv[] = { "ssh-keygen",	       "-q", "-t",	   "ed25519", "-N", "", "-C",
			 "bpfcost-fleet-test", "-f", (char *)path, NULL };

	return run(argv, err, errlen);
}

/* A third octet for 10.213.<net>.0/24 that no address of ours is in (another fleet's, say). */
static int pick_net(struct fleet_hosts *h, char *err, size_t errlen)
{
	char *argv[] = { "ip", "-o", "-4", "addr", "show", NULL };
	char out[65536], why[512], prefix[32];
	int start = getpid() % 200 + 20;

	if (run_capture(argv, out, sizeof(out), why, sizeof(why), CMD_MS))
		return say(err, errlen, "ip addr show: %s", why);
	for (int k = 0; k < 200; k++) {
		h->net = (start + k) % 254 + 1;
		snprintf(prefix, sizeof(prefix), " 10.213.%d.", h->net);
		if (!strstr(out, prefix))
			return 0;
	}
	return say(err, errlen, "every 10.213.x.0/24 has an address here");
}

static int make_net(struct fleet_hosts *h, struct fleet_host *x, int i, char *err, size_t errlen)
{
	char peer_cidr[40], cidr[40];
	char *add_ns[] = { "ip", "netns", "add", x->ns, NULL };
	char *add_veth[] = { "ip",   "link", "add",  x->veth, "type", "veth",
			     "peer", "name", "eth0", "netns", x->ns,  NULL };
	char *addr_root[] = { "ip", "addr", "add", peer_cidr, "dev", x->veth, NULL };
	char *up_root[] = { "ip", "link", "set", x->veth, "up", NULL };
	char *addr_ns[] = { "ip", "-n", x->ns, "addr", "add", cidr, "dev", "eth0", NULL };
	char *up_ns[] = { "ip", "-n", x->ns, "link", "set", "eth0", "up", NULL };
	char *up_lo[] = { "ip", "-n", x->ns, "link", "set", "lo", "up", NULL };

	/* A /30 a host: ours .1, the host's .2. */
	snprintf(x->peer_addr, sizeof(x->peer_addr), "10.213.%d.%d", h->net, 4 * i + 1);
	snprintf(x->addr, sizeof(x->addr), "10.213.%d.%d", h->net, 4 * i + 2);
	snprintf(peer_cidr, sizeof(peer_cidr), "%s/30", x->peer_addr);
	snprintf(cidr, sizeof(cidr), "%s/30", x->addr);
	if (run(add_ns, err, errlen))
		return -1;
	x->ns_made = true;
	if (run(add_veth, err, errlen))
		return -1;
	x->veth_made = true;
	if (run(addr_root, err, errlen) || run(up_root, err, errlen) || run(addr_ns, err, errlen) ||
	    run(up_ns, err, errlen) || run(up_lo, err, errlen))
		return -1;
	return 0;
}

static int write_config(const struct fleet_hosts *h, const struct fleet_host *x)
{
	char text[6 * PATH_MAX];

	snprintf(text, sizeof(text),
		 "# bpfcost fleet test host %s: its own sshd, nothing of the system's\n"
		 "ListenAddress %s\nPort 22\nHostKey %s\nPidFile %s/%s.pid\n"
		 "PermitRootLogin prohibit-password\nAuthorizedKeysFile %s\n"
		 "PubkeyAuthentication yes\nPasswordAuthentication no\n"
		 "KbdInteractiveAuthentication no\nUsePAM no\n"
		 "# the temp folder is under /tmp, which StrictModes would refuse\n"
		 "StrictModes no\nUseDNS no\nPrintMotd no\nMaxStartups 32\n"
		 "Subsystem sftp internal-sftp\n",
		 x->name, x->addr, x->host_key, h->dir, x->name, h->authorized);
	return write_file(x->config, text, 0600);
}

/* sshd in the host's namespace, in the foreground, a child we own, logging to x->log. */
static int start_sshd(struct fleet_host *x, char *err, size_t errlen)
{
	char ns_path[128];
	char *argv[] = { "/usr/sbin/sshd", "-D", "-e", "-f", x->config, NULL };
	int ns = -1, log;
	pid_t pid;

	snprintf(ns_path, sizeof(ns_path), "/run/netns/%s", x->ns);
	ns = open(ns_path, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return say(err, errlen, "%s: %s", ns_path, strerror(errno));
	log = open(x->log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (log < 0) {
		close(ns);
		return say(err, errlen, "%s: %s", x->log, strerror(errno));
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (setns(ns, CLONE_NEWNET))
			_exit(126);
		dup2(null, STDIN_FILENO);
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
		/* sshd re-executes itself, which needs its absolute path. */
		execv(argv[0], argv);
		_exit(127);
	}
	close(ns);
	close(log);
	if (pid < 0)
		return say(err, errlen, "fork: %s", strerror(errno));
	x->sshd = pid;
	return 0;
}

int fleet_host_ssh(const struct fleet_hosts *h, int i, const char *cmd, char *out, size_t outlen,
		   char *err, size_t errlen)
{
	char known[PATH_MAX + 32], dest[64];
	char *argv[] = { "ssh",
			 "-F",
			 "/dev/null",
			 "-i",
			 (char *)h->key,
			 "-o",
			 "IdentitiesOnly=yes",
			 "-o",
			 known,
			 "-o",
			 "GlobalKnownHostsFile=/dev/null",
			 "-o",
			 "StrictHostKeyChecking=yes",
			 "-o",
			 "BatchMode=yes",
			 "-o",
			 "ControlMaster=no",
			 "-o",
			 "ControlPath=none",
			 "-o",
			 "ConnectTimeout=5",
			 dest,
			 (char *)cmd,
			 NULL };

	snprintf(known, sizeof(known), "UserKnownHostsFile=%s", h->known_hosts);
	snprintf(dest, sizeof(dest), "root@%s", h->host[i].addr);
	return run_capture(argv, out, outlen, err, errlen, CMD_MS);
}

/* Until the host lets us in: its sshd may still be reading its keys. */
static int wait_login(struct fleet_hosts *h, int i, char *err, size_t errlen)
{
	struct fleet_host *x = &h->host[i];
	long deadline = now_ms() + LOGIN_MS;
	char out[256], why[1024], log[2048];
	int code;

	for (;;) {
		code = fleet_host_ssh(h, i, "true", out, sizeof(out), why, sizeof(why));
		if (!code)
			return 0;
		if (waitpid(x->sshd, NULL, WNOHANG) == x->sshd) {
			x->sshd = 0;
			if (read_file(x->log, log, sizeof(log)))
				log[0] = '\0';
			return say(err, errlen, "%s's sshd exited: %s", x->name, log);
		}
		if (now_ms() >= deadline)
			return say(err, errlen,
				   "%s (%s) refused logins for %d s: ssh ended with %d: %s",
				   x->name, x->addr, LOGIN_MS / 1000, code, why);
		/* Between two login attempts: the condition is checked again, not assumed. */
		poll(NULL, 0, 100);
	}
}

static void down_all(void)
{
	for (int i = 0; i < 4; i++)
		if (live[i])
			fleet_hosts_down(live[i]);
}

/* A test killed by its time limit must not leave hosts: clean up, then die of the signal. */
static void on_signal(int sig)
{
	down_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void register_fleet(struct fleet_hosts *h)
{
	static bool hooked;

	if (!hooked) {
		atexit(down_all);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		hooked = true;
	}
	for (int i = 0; i < 4; i++)
		if (!live[i]) {
			live[i] = h;
			h->registered = true;
			return;
		}
}

static int make_host(struct fleet_hosts *h, int i, char *err, size_t errlen)
{
	struct fleet_host *x = &h->host[i];
	char pub[PATH_MAX + 8], key[1024], line[1200];
	FILE *f;

	snprintf(x->name, sizeof(x->name), "lab%d", i + 1);
	snprintf(x->ns, sizeof(x->ns), NS_PREFIX "%d-%d", (int)getpid(), i);
	/* An interface name has at most 15 characters. */
	snprintf(x->veth, sizeof(x->veth), VETH_PREFIX "%uh%u", (unsigned)getpid() % 1000000u,
		 (unsigned)i % 10u);
	path_in(x->workdir, sizeof(x->workdir), h->dir, "work/", x->name);
	path_in(x->config, sizeof(x->config), h->dir, x->name, ".sshd_config");
	path_in(x->log, sizeof(x->log), h->dir, x->name, ".sshd.log");
	path_in(x->host_key, sizeof(x->host_key), h->dir, x->name, ".host_key");
	if (mkdir(x->workdir, 0755))
		return say(err, errlen, "%s: %s", x->workdir, strerror(errno));
	if (keygen(x->host_key, err, errlen))
		return -1;
	snprintf(pub, sizeof(pub), "%s.pub", x->host_key);
	if (read_file(pub, key, sizeof(key)))
		return say(err, errlen, "%s: %s", pub, strerror(errno));
	if (make_net(h, x, i, err, errlen))
		return -1;
	snprintf(line, sizeof(line), "%s %s", x->addr, key);
	f = fopen(h->known_hosts, "ae");
	if (!f || fputs(line, f) < 0 || fclose(f))
		return say(err, errlen, "%s: %s", h->known_hosts, strerror(errno));
	if (write_config(h, x))
		return say(err, errlen, "%s: %s", x->config, strerror(errno));
	return start_sshd(x, err, errlen);
}

/* The pid in "<prefix><pid>-..." if that process is gone, else 0. */
static pid_t dead_owner(const char *name, const char *prefix)
{
	long pid;
	char *end;

	if (strncmp(name, prefix, strlen(prefix)))
		return 0;
	pid = strtol(name + strlen(prefix), &end, 10);
	if (pid <= 0 || *end != '-' || !kill((pid_t)pid, 0) || errno != ESRCH)
		return 0;
	return (pid_t)pid;
}

/*
 * What a test killed outright (SIGKILL after its time limit) left: namespaces,
 * their processes and veths, and temp folders named after a pid that is gone.
 * Another test's live hosts are not touched.
 */
static void reap_stale(void)
{
	struct dirent *e;
	char err[512];
	DIR *d;

	d = opendir("/run/netns");
	while (d && (e = readdir(d))) {
		pid_t pid = dead_owner(e->d_name, NS_PREFIX);
		struct fleet_match m = { .n_ns = 1 };
		char path[300], veth[32], ns[256];
		struct stat st;
		int i;

		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		if (!pid || stat(path, &st) ||
		    sscanf(e->d_name + strlen(NS_PREFIX), "%*d-%d", &i) != 1)
			continue;
		m.ns[0] = st.st_ino;
		fleet_procs_kill(&m, KILL_MS);
		snprintf(veth, sizeof(veth), VETH_PREFIX "%uh%u", (unsigned)pid % 1000000u,
			 (unsigned)i % 10u);
		snprintf(ns, sizeof(ns), "%s", e->d_name);
		{
			char *del_veth[] = { "ip", "link", "delete", veth, NULL };
			char *del_ns[] = { "ip", "netns", "delete", ns, NULL };

			run(del_veth, err, sizeof(err));
			run(del_ns, err, sizeof(err));
		}
	}
	if (d)
		closedir(d);
	d = opendir("/tmp");
	while (d && (e = readdir(d))) {
		char path[300];
		struct fleet_match m = { .text = path };

		if (!dead_owner(e->d_name, NS_PREFIX))
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", e->d_name);
		fleet_procs_kill(&m, KILL_MS);
		fleet_remove_tree(path);
	}
	if (d)
		closedir(d);
}

int fleet_hosts_up(struct fleet_hosts *h, int n, char *err, size_t errlen)
{
	char path[PATH_MAX + 16], pub[2048];

	memset(h, 0, sizeof(*h));
	if (n < 1 || n > FLEET_HOSTS_MAX)
		return say(err, errlen, "%d hosts: 1 to %d can be made", n, FLEET_HOSTS_MAX);
	if (fleet_sshd_install(err, errlen))
		return -1;
	reap_stale();
	/* Our pid in the name: a later test can tell a dead test's folder (reap_stale()). */
	snprintf(h->dir, sizeof(h->dir), "/tmp/" NS_PREFIX "%d-XXXXXX", (int)getpid());
	if (!mkdtemp(h->dir))
		return say(err, errlen, "mkdtemp: %s", strerror(errno));
	register_fleet(h);
	path_in(h->key, sizeof(h->key), h->dir, "client_key", "");
	path_in(h->known_hosts, sizeof(h->known_hosts), h->dir, "known_hosts", "");
	path_in(h->authorized, sizeof(h->authorized), h->dir, "authorized_keys", "");
	snprintf(path, sizeof(path), "%s/work", h->dir);
	if (mkdir(path, 0755) || write_file(h->known_hosts, "", 0600)) {
		say(err, errlen, "%s: %s", h->dir, strerror(errno));
		goto fail;
	}
	snprintf(path, sizeof(path), "%s.pub", h->key);
	if (keygen(h->key, err, errlen) || read_file(path, pub, sizeof(pub)) ||
	    write_file(h->authorized, pub, 0600))
		goto fail;
	/* sshd's privilege separation directory; the system's service would have made it. */
	if (mkdir("/run/sshd", 0755) && errno != EEXIST) {
		say(err, errlen, "/run/sshd: %s", strerror(errno));
		goto fail;
	}
	if (pick_net(h, err, errlen))
		goto fail;
	for (h->n = 0; h->n < n; h->n++)
		if (make_host(h, h->n, err, errlen)) {
			h->n++;
			goto fail;
		}
	for (int i = 0; i < n; i++)
		if (wait_login(h, i, err, errlen))
			goto fail;
	return 0;
fail:
	fleet_hosts_down(h);
	return -1;
}

int fleet_hosts_write_inventory(const struct fleet_hosts *h, const char *path,
				const char *extra_vars_per_host)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -1;
	fprintf(f, "# bpfcost fleet test: %d namespaced hosts on this machine\n[fleet]\n", h->n);
	for (int i = 0; i < h->n; i++) {
		const struct fleet_host *x = &h->host[i];

		/*
		 * ansible_ssh_args replaces Ansible's default "-o ControlMaster=auto
		 * -o ControlPersist=60s" (ssh takes an option's first value, so adding
		 * ControlMaster=no after them would not do): no master outlives a run.
		 */
		fprintf(f,
			"%s ansible_host=%s ansible_user=root ansible_ssh_private_key_file=%s "
			"ansible_ssh_args='-o ControlMaster=no -o ControlPath=none' "
			"ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes "
			"-o UserKnownHostsFile=%s -o GlobalKnownHostsFile=/dev/null "
			"-o StrictHostKeyChecking=yes' bpfcost_workdir=%s%s%s\n",
			x->name, x->addr, h->key, h->known_hosts, x->workdir,
			extra_vars_per_host ? " " : "",
			extra_vars_per_host ? extra_vars_per_host : "");
	}
	return fclose(f) ? -1 : 0;
}

void fleet_host_kill_sshd(struct fleet_hosts *h, int i)
{
	struct fleet_host *x = &h->host[i];

	if (x->sshd <= 0)
		return;
	kill(x->sshd, SIGKILL);
	waitpid(x->sshd, NULL, 0);
	x->sshd = 0;
}

/* What names our fleet's processes: namespaces, the temp folder, TCP connections to the hosts. */
static void fleet_match_of(const struct fleet_hosts *h, struct fleet_match *m)
{
	const char *addrs[FLEET_HOSTS_MAX];
	char path[128];
	struct stat st;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < h->n; i++) {
		snprintf(path, sizeof(path), "/run/netns/%s", h->host[i].ns);
		if (h->host[i].ns[0] && !stat(path, &st) && m->n_ns < 8)
			m->ns[m->n_ns++] = st.st_ino;
		addrs[i] = h->host[i].addr;
	}
	m->text = h->dir[0] ? h->dir : NULL;
	m->n_sockets = fleet_tcp_to(addrs, h->n, m->sockets, 64);
}

void fleet_hosts_down(struct fleet_hosts *h)
{
	struct fleet_match m;
	char err[512];

	for (int i = 0; i < h->n; i++)
		fleet_host_kill_sshd(h, i);
	/* Sessions, Ansible's async jobs and any SSH client of ours or master holding a connection.
	 */
	fleet_match_of(h, &m);
	fleet_procs_kill(&m, KILL_MS);
	for (int i = 0; i < h->n; i++) {
		struct fleet_host *x = &h->host[i];
		char *del_veth[] = { "ip", "link", "delete", x->veth, NULL };
		char *del_ns[] = { "ip", "netns", "delete", x->ns, NULL };

		if (x->veth_made && !run(del_veth, err, sizeof(err)))
			x->veth_made = false;
		if (x->ns_made && !run(del_ns, err, sizeof(err)))
			x->ns_made = false;
	}
	/* h->dir stays set: fleet_hosts_leftovers() looks for it. */
	if (h->dir[0])
		fleet_remove_tree(h->dir);
	for (int i = 0; i < 4 && h->registered; i++)
		if (live[i] == h) {
			live[i] = NULL;
			h->registered = false;
		}
}

static void add_what(char *what, size_t len, const char *fmt, ...)
{
	size_t used = strlen(what);
	va_list ap;

	if (used + 3 >= len)
		return;
	if (used)
		used += snprintf(what + used, len - used, "; ");
	va_start(ap, fmt);
	vsnprintf(what + used, len - used, fmt, ap);
	va_end(ap);
}

int fleet_hosts_leftovers(const struct fleet_hosts *h, char *what, size_t len)
{
	char path[PATH_MAX + 32], cmd[256];
	struct fleet_match m;
	pid_t pids[64];
	int n;

	what[0] = '\0';
	for (int i = 0; i < h->n; i++) {
		const struct fleet_host *x = &h->host[i];

		snprintf(path, sizeof(path), "/run/netns/%s", x->ns);
		if (!access(path, F_OK))
			add_what(what, len, "namespace %s", x->ns);
		snprintf(path, sizeof(path), "/sys/class/net/%s", x->veth);
		if (x->veth[0] && !access(path, F_OK))
			add_what(what, len, "veth %s", x->veth);
		if (x->sshd > 0)
			add_what(what, len, "sshd %d of %s", (int)x->sshd, x->name);
	}
	fleet_match_of(h, &m);
	n = fleet_procs_find(&m, pids, 64);
	for (int i = 0; i < n; i++) {
		if (fleet_proc_cmdline(pids[i], cmd, sizeof(cmd)))
			cmd[0] = '\0';
		add_what(what, len, "process %d (%s)", (int)pids[i], cmd);
	}
	if (m.n_sockets)
		add_what(what, len, "%d TCP connections to the hosts' port 22", m.n_sockets);
	if (h->dir[0] && !access(h->dir, F_OK))
		add_what(what, len, "temp folder %s", h->dir);
	return what[0] ? 1 : 0;
}
