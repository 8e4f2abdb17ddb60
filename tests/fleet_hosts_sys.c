// SPDX-License-Identifier: GPL-2.0
/*
 * The system side of the fleet hosts: sshd installed without its service
 * started, processes found by namespace, by command line or by their TCP
 * connections to our hosts, and a folder removed without following links.
 */
#include "fleet_hosts_sys.h"
#include "testlib.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLICY	     "/usr/sbin/policy-rc.d"
#define POLICY_SAVED "/usr/sbin/policy-rc.d.bpfcost-saved"
#define INSTALL_MS   (15 * 60 * 1000)

/* Does an existing policy-rc.d refuse a service start (exit 101)? */
static bool policy_blocks(void)
{
	char *argv[] = { "sh", POLICY, "ssh", "start", NULL };
	char out[256], err[256];

	return run_capture(argv, out, sizeof(out), err, sizeof(err), 10000) == 101;
}

static int write_policy(void)
{
	static const char text[] = "#!/bin/sh\n# bpfcost fleet test: no service starts while it "
				   "installs openssh-server\nexit 101\n";
	int fd = open(POLICY, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
	bool ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1);
	return close(fd) || !ok ? -1 : 0;
}

int fleet_sshd_install(char *err, size_t errlen)
{
	char *update[] = { "apt-get", "-qq", "-o", "DPkg::Lock::Timeout=300", "update", NULL };
	char *install[] = { "apt-get",
			    "install",
			    "-y",
			    "-qq",
			    "--no-install-recommends",
			    "-o",
			    "DPkg::Lock::Timeout=300",
			    "openssh-server",
			    NULL };
	static char out[65536], why[4096];
	bool ours = false, saved = false;
	int code;

	if (!access(FLEET_SSHD, X_OK))
		return 0;
	if (geteuid()) {
		snprintf(err, errlen, "%s is missing and only root may install openssh-server",
			 FLEET_SSHD);
		return -1;
	}
	/* The package's postinst would start sshd as a service: a daemon we do not own. */
	if (!access(POLICY, F_OK) && !policy_blocks()) {
		if (rename(POLICY, POLICY_SAVED)) {
			snprintf(err, errlen, "moving aside %s, which allows starts: %s", POLICY,
				 strerror(errno));
			return -1;
		}
		saved = true;
	}
	if (access(POLICY, F_OK)) {
		if (write_policy()) {
			snprintf(err, errlen, "writing %s: %s", POLICY, strerror(errno));
			goto restore;
		}
		ours = true;
	}
	setenv("DEBIAN_FRONTEND", "noninteractive", 1);
	code = run_capture(update, out, sizeof(out), why, sizeof(why), INSTALL_MS);
	if (!code)
		code = run_capture(install, out, sizeof(out), why, sizeof(why), INSTALL_MS);
	if (code)
		snprintf(err, errlen, "apt-get install openssh-server ended with %d: %s", code,
			 test_excerpt(why));
	else if (access(FLEET_SSHD, X_OK))
		snprintf(err, errlen, "openssh-server installed but %s is missing", FLEET_SSHD);
	else
		err[0] = '\0';
restore:
	if (ours)
		unlink(POLICY);
	if (saved)
		rename(POLICY_SAVED, POLICY);
	return err[0] ? -1 : 0;
}

int fleet_proc_cmdline(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
	return 0;
}

/* A zombie is gone for our purposes: only its parent's wait is left. */
bool fleet_proc_alive(pid_t pid)
{
	char path[64], stat[512], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return false;
	stat[n] = '\0';
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

static bool in_net_ns(pid_t pid, ino_t ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return !stat(path, &st) && st.st_ino == ns;
}

static bool mentions(pid_t pid, const char *needle)
{
	char cmd[8192];

	return !fleet_proc_cmdline(pid, cmd, sizeof(cmd)) && strstr(cmd, needle);
}

/* Does @pid hold one of the socket inodes in @inodes? */
static bool holds_socket(pid_t pid, const unsigned long *inodes, int n)
{
	char path[64], link[64];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		char fd_path[320];
		unsigned long ino;
		ssize_t k;

		snprintf(fd_path, sizeof(fd_path), "%s/%s", path, e->d_name);
		k = readlink(fd_path, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		for (int i = 0; i < n && !found; i++)
			found = inodes[i] == ino;
	}
	closedir(d);
	return found;
}

int fleet_tcp_to(const char *const *addrs, int n_addrs, unsigned long *inodes, int max)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/net/tcp", "re");

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		unsigned int rem, port, st;
		unsigned long ino;

		if (sscanf(line, " %*d: %*x:%*x %x:%x %x %*x:%*x %*x:%*x %*x %*u %*d %lu", &rem,
			   &port, &st, &ino) != 4 ||
		    port != 22 || !ino)
			continue;
		/* The kernel prints the address's bytes as one native-endian word. */
		for (int i = 0; i < n_addrs; i++)
			if (rem == (unsigned int)inet_addr(addrs[i]))
				inodes[n++] = ino;
	}
	fclose(f);
	return n;
}

int fleet_procs_find(const struct fleet_match *m, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while (n < max && (e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name);
		bool hit = false;

		if (pid <= 0 || pid == getpid() || !fleet_proc_alive(pid))
			continue;
		for (int i = 0; i < m->n_ns && !hit; i++)
			hit = in_net_ns(pid, m->ns[i]);
		if (!hit && m->text)
			hit = mentions(pid, m->text);
		if (!hit && m->n_sockets)
			hit = holds_socket(pid, m->sockets, m->n_sockets);
		if (hit)
			pids[n++] = pid;
	}
	closedir(d);
	return n;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

int fleet_procs_kill(const struct fleet_match *m, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	pid_t pids[256];
	int n;

	/* Killed processes may have forked meanwhile: kill until none is found. */
	while ((n = fleet_procs_find(m, pids, 256)) > 0) {
		if (now_ms() >= deadline)
			return n;
		for (int i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		/* Not our children: init reaps them; the next scan sees whether they are gone. */
		poll(NULL, 0, 20);
	}
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) && errno != ENOENT ? -1 : 0;
	return unlink(path) && errno != ENOENT ? -1 : 0;
}

int fleet_remove_tree(const char *dir)
{
	if (access(dir, F_OK))
		return 0;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
