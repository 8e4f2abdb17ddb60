// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

const char *test_out_path(const char *rel)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", env_or("BPFCOST_OUT", "build"), rel);
	return path;
}

const char *test_root_path(const char *rel)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", env_or("BPFCOST_ROOT", "."), rel);
	return path;
}

/* Failure messages may name two texts: a few buffers in turn. */
static char *excerpt_buf(void)
{
	static char bufs[4][4096];
	static unsigned int next;

	return bufs[next++ % 4];
}

const char *test_excerpt(const char *s)
{
	/* Of the head and of the tail: cmocka cuts a whole message at 1024 bytes. */
	const size_t keep = 300;
	char *buf = excerpt_buf();
	size_t len;

	if (!s)
		return "(NULL)";
	len = strlen(s);
	if (len <= 2 * keep)
		return s;
	snprintf(buf, 4096, "%.*s\n[... %zu bytes left out ...]\n%s", (int)keep, s, len - 2 * keep,
		 s + len - keep);
	return buf;
}

const char *test_excerpt_at(const char *s, size_t at)
{
	const size_t around = 150;
	size_t from = at > around ? at - around : 0;
	char *buf = excerpt_buf();

	snprintf(buf, 4096, "%s%.*s%s", from ? "..." : "", (int)(2 * around), s + from,
		 strlen(s + from) > 2 * around ? "..." : "");
	return buf;
}

const char *test_file_kind(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? "nothing" : "something lstat cannot read";
	if (S_ISREG(st.st_mode))
		return "a regular file";
	if (S_ISLNK(st.st_mode))
		return "a symbolic link";
	if (S_ISFIFO(st.st_mode))
		return "a FIFO";
	if (S_ISDIR(st.st_mode))
		return "a directory";
	return "a special file";
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

int child_start(struct child *c, char *const argv[])
{
	int in[2], out[2], err[2];

	memset(c, 0, sizeof(*c));
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	c->in = in[1];
	c->out = out[0];
	c->err = err[0];
	return 0;
}

int read_line_prefix(int fd, const char *prefix, char *line, size_t len, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t used = 0;
	char ch;

	while (now_ms() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		if (read(fd, &ch, 1) != 1)
			return -EPIPE;
		if (ch != '\n') {
			if (used + 1 < len)
				line[used++] = ch;
			continue;
		}
		line[used] = '\0';
		if (!strncmp(line, prefix, strlen(prefix)))
			return 0;
		used = 0;
	}
	return -ETIMEDOUT;
}

ssize_t read_all(int fd, char *buf, size_t len, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t used = 0;
	ssize_t n;

	while (used + 1 < len && now_ms() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		n = read(fd, buf + used, len - used - 1);
		if (n <= 0)
			break;
		used += n;
	}
	buf[used] = '\0';
	return used;
}

bool child_exited(struct child *c)
{
	if (!c->reaped && waitpid(c->pid, &c->status, WNOHANG) == c->pid)
		c->reaped = true;
	return c->reaped;
}

const char *child_how(struct child *c)
{
	static char buf[48];

	if (!child_exited(c))
		return "running";
	if (WIFEXITED(c->status))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(c->status));
	else
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(c->status));
	return buf;
}

int child_wait_line(struct child *c, const char *prefix, char *line, size_t len, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t used = 0;
	char ch;

	while (now_ms() < deadline) {
		struct pollfd p = { .fd = c->err, .events = POLLIN };
		long left = deadline - now_ms();

		/* Wake at least every 200 ms: a child's own children may hold the pipe open. */
		if (poll(&p, 1, left > 200 ? 200 : (int)left) <= 0) {
			if (child_exited(c))
				return -ECHILD;
			continue;
		}
		if (read(c->err, &ch, 1) != 1)
			return -ECHILD;
		if (ch != '\n') {
			if (used + 1 < len)
				line[used++] = ch;
			continue;
		}
		line[used] = '\0';
		used = 0;
		snprintf(c->last_err, sizeof(c->last_err), "%s", line);
		if (!strncmp(line, prefix, strlen(prefix)))
			return 0;
	}
	return -ETIMEDOUT;
}

int child_wait(struct child *c, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int status;

	while (!child_exited(c)) {
		if (now_ms() >= deadline) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &c->status, 0);
			c->reaped = true;
			break;
		}
		/* Nothing to wait on but the exit itself; a short poll is the wait. */
		poll(NULL, 0, 10);
	}
	status = c->status;
	if (c->in >= 0)
		close(c->in);
	close(c->out);
	close(c->err);
	c->in = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

int run_capture(char *const argv[], char *out, size_t outlen, char *err, size_t errlen,
		int timeout_ms)
{
	struct child c;
	int ret = child_start(&c, argv);

	if (ret)
		return ret;
	close(c.in);
	c.in = -1;
	/* stderr is small (one line); read stdout fully first, then stderr. */
	read_all(c.out, out, outlen, timeout_ms);
	read_all(c.err, err, errlen, timeout_ms);
	return child_wait(&c, timeout_ms);
}

long udp_loopback_flood(long count, size_t size)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	struct timeval tv = { .tv_sec = 1 };
	char buf[2048] = { 0 };
	long received = 0, i;
	int rx, tx;

	if (size > sizeof(buf))
		return -EINVAL;
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* An IPv4-bound receiver: its datagrams go through udp_recvmsg. */
	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(rx, (struct sockaddr *)&addr, &alen) ||
	    setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		received = -errno;
		goto out;
	}
	/* One in flight at a time: loopback delivers synchronously, nothing is dropped. */
	for (i = 0; i < count; i++) {
		if (sendto(tx, buf, size, 0, (struct sockaddr *)&addr, sizeof(addr)) < 0)
			continue;
		if (recv(rx, buf, sizeof(buf), 0) >= 0)
			received++;
	}
out:
	if (rx >= 0)
		close(rx);
	if (tx >= 0)
		close(tx);
	return received;
}

int count_bpfcost_programs(void)
{
	__u32 id = 0;
	int n = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strncmp(info.name, "bpfcost_", 8))
			n++;
		close(fd);
	}
	return n;
}

int count_net_namespaces(void)
{
	unsigned long inodes[4096];
	struct dirent *de;
	DIR *d = opendir("/proc");
	int n = 0, i;

	while (d && (de = readdir(d))) {
		char path[300];
		struct stat st;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (stat(path, &st))
			continue;
		for (i = 0; i < n && inodes[i] != st.st_ino; i++)
			;
		if (i == n && n < 4096)
			inodes[n++] = st.st_ino;
	}
	if (d)
		closedir(d);
	return n;
}

int count_bpfc_devices(void)
{
	struct dirent *de;
	DIR *d = opendir("/sys/class/net");
	int n = 0;

	while (d && (de = readdir(d)))
		n += !strncmp(de->d_name, "bpfc", 4);
	if (d)
		closedir(d);
	return n;
}

/* Does /proc/<pid>/environ hold BPFCOST_TEST_MARK=<our pid>? */
static bool has_mark(const char *pid)
{
	char path[300], env[1 << 15], mark[64];
	size_t len, i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	len = fread(env, 1, sizeof(env) - 1, f);
	fclose(f);
	env[len] = '\0';
	snprintf(mark, sizeof(mark), "BPFCOST_TEST_MARK=%d", (int)getpid());
	for (i = 0; i < len; i += strlen(env + i) + 1)
		if (!strcmp(env + i, mark))
			return true;
	return false;
}

/*
 * QEMU processes started by this test's runs: they inherit BPFCOST_TEST_MARK
 * from us, so other guests on the machine do not count. None may outlive a run.
 */
int count_marked_qemu(void)
{
	char path[300], comm[64];
	struct dirent *de;
	DIR *d = opendir("/proc");
	int n = 0;
	FILE *f;

	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		comm[0] = '\0';
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
		if (!strncmp(comm, "qemu-system", 11) && has_mark(de->d_name))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

int count_marked_net_namespaces(void)
{
	unsigned long inodes[4096];
	struct stat ours, st;
	struct dirent *de;
	DIR *d = opendir("/proc");
	char path[300];
	int n = 0, i;

	if (stat("/proc/self/ns/net", &ours))
		return -errno;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (stat(path, &st) || st.st_ino == ours.st_ino || !has_mark(de->d_name))
			continue;
		for (i = 0; i < n && inodes[i] != st.st_ino; i++)
			;
		if (i == n && n < 4096)
			inodes[n++] = st.st_ino;
	}
	if (d)
		closedir(d);
	return n;
}

char *test_unwrap(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (!strncmp(r, "\n    ", 5)) {
			*w++ = ' ';
			r += 5;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}
