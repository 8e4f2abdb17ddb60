// SPDX-License-Identifier: GPL-2.0
/*
 * Boot the guest under QEMU and tear it down. QEMU is started with
 * PR_SET_PDEATHSIG so it dies with us even on SIGKILL, and the tap device's
 * only fd is QEMU's, so the device dies with QEMU: nothing outlives a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "loader/clock.h"
#include "loader/spawn.h"
#include "guest_priv.h"

#define READY_MARKER  "BPFCOST-READY"
#define FAILED_MARKER "BPFCOST-FAILED"
#define QEMU_MAX_ARGS 64

/*
 * QEMU's slirp defaults for user; for tap, 10.77.<N>.0/24 where bpfcost<N> is
 * the device, so several tap guests can run side by side without a route clash.
 */
#define USER_GUEST_IP "10.0.2.15"
#define USER_GW	      "10.0.2.2"

void guest_config_defaults(struct guest_config *c)
{
	const char *kernel = "", *initrd = "";
	char err[8];

	/* None found: guest_start() says what is missing; the runner asks guest_files() itself. */
	guest_files(NULL, &kernel, &initrd, NULL, err, sizeof(err));
	*c = (struct guest_config){
		.kernel = kernel,
		.initrd = initrd,
		.accel = "auto",
		.vcpus = 2,
		.mem_mb = 512,
		.topology = "tap", /* as the runner: user networking measures slirp */
		.boot_timeout_s = 120,
		.qemu = "qemu-system-x86_64",
		.kvm_dev = "/dev/kvm",
	};
}

/* Last @n bytes of a file, for error messages that show what the guest said. */
static void file_tail(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t size;
	ssize_t got;
	char *p;

	buf[0] = '\0';
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	lseek(fd, size > (off_t)n - 1 ? size - (off_t)n + 1 : 0, SEEK_SET);
	got = read(fd, buf, n - 1);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	for (p = buf; *p; p++)
		if (*p == '\r')
			*p = ' ';
}

static bool file_has(const char *path, const char *needle)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return false;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	return strstr(buf, needle) != NULL;
}

/*
 * QEMU's first complaint in @path as one line, e.g. "KVM internal error.
 * Suberror: 1" or "error: failed to set MSR 0x10a to 0x...": what a person
 * needs to know, without the register dump or the "qemu-system-x86_64: "
 * prefix. Warnings are skipped unless nothing else was said.
 */
void guest_first_complaint(const char *path, char *buf, size_t n)
{
	static char text[1 << 16];
	char *line, *save, *first = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	buf[0] = '\0';
	if (fd < 0)
		return;
	got = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[got > 0 ? got : 0] = '\0';
	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *colon = strstr(line, ": ");

		if (!strncmp(line, "qemu", 4) && colon && !memchr(line, ' ', colon - line))
			line = colon + 2;
		line += strspn(line, " \t");
		if (!*line)
			continue;
		if (!first)
			first = line;
		if (strncmp(line, "warning:", 8)) {
			first = line;
			break;
		}
	}
	if (first)
		snprintf(buf, n, "%s", first);
}

/* Each attempt logs to its own file, created here: no attempt reads another's text. */
static void spawn_qemu(struct guest *g, char *const argv[])
{
	struct spawn_opts o;
	int log_fd;

	log_fd = open(g->qemu_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log_fd < 0) {
		g->pid = -1;
		return;
	}
	spawn_opts_init(&o); /* dies with us, even if we are SIGKILLed */
	o.stdout_fd = log_fd;
	o.stderr_fd = log_fd;
	o.keep_fd = g->tap_fd;
	/* Own process group: a Ctrl-C reaches us, and guest_stop() tears QEMU down. */
	o.own_group = true;
	g->pid = spawn(argv, &o);
	close(log_fd);
}

static void kill_qemu(struct guest *g)
{
	spawn_kill(g->pid, 3); /* SIGTERM, 3 s to go, then SIGKILL; reaped either way */
	g->pid = 0;
}

/* A path inside a QEMU option string: a comma is written twice (TMPDIR=/tmp/a,b). */
static const char *qemu_opt_escape(const char *path, char out[2 * GUEST_PATH_MAX])
{
	size_t o = 0;

	for (; *path && o + 2 < 2 * GUEST_PATH_MAX; path++) {
		if (*path == ',')
			out[o++] = ',';
		out[o++] = *path;
	}
	out[o] = '\0';
	return out;
}

/* One boot with one accelerator: QEMU running, ready marker seen, agent connected. */
static int boot(struct guest *g, const struct guest_config *c, const char *accel, int timeout_s,
		char *err, size_t errlen)
{
	char smp[16], mem[16], append[256], serial[2 * GUEST_PATH_MAX + 8],
		chardev[2 * GUEST_PATH_MAX + 64];
	char netdev[256], tap_arg[32], tail[600], esc[2 * GUEST_PATH_MAX], how[32];
	const char *argv[QEMU_MAX_ARGS];
	bool tap = !strcmp(g->topology, "tap");
	double t0, deadline;
	int n = 0, status;

	if (tap) {
		char host_ip[32];
		int net;

		g->tap_fd = guest_tap_open(g->tap_name, err, errlen);
		if (g->tap_fd < 0)
			return -1;
		net = atoi(g->tap_name + strlen("bpfcost")) % 256;
		snprintf(host_ip, sizeof(host_ip), "10.77.%d.1", net);
		if (guest_tap_addr(g->tap_name, host_ip, 24, err, errlen)) {
			close(g->tap_fd);
			g->tap_fd = -1;
			return -1;
		}
		snprintf(tap_arg, sizeof(tap_arg), "%d", g->tap_fd);
		snprintf(netdev, sizeof(netdev), "tap,id=n0,fd=%s", tap_arg);
		snprintf(g->addr, sizeof(g->addr), "10.77.%d.2", net);
		snprintf(g->server_host, sizeof(g->server_host), "%s", g->addr);
		g->server_port = c->server_port;
		snprintf(append, sizeof(append), "console=ttyS0 quiet panic=-1 bpfcost.ip=%s/24",
			 g->addr);
	} else {
		snprintf(g->addr, sizeof(g->addr), USER_GUEST_IP);
		snprintf(g->server_host, sizeof(g->server_host), "127.0.0.1");
		g->server_port = guest_user_netdev(USER_GUEST_IP, c->server_port, netdev,
						   sizeof(netdev), err, errlen);
		if (g->server_port < 0)
			return -1;
		snprintf(append, sizeof(append),
			 "console=ttyS0 quiet panic=-1 bpfcost.ip=" USER_GUEST_IP
			 "/24 bpfcost.gw=" USER_GW);
	}
	snprintf(smp, sizeof(smp), "%d", c->vcpus);
	snprintf(mem, sizeof(mem), "%d", c->mem_mb);
	/* -serial file: takes the rest verbatim; -chardev options need commas doubled. */
	snprintf(serial, sizeof(serial), "file:%s", g->console_path);
	snprintf(chardev, sizeof(chardev), "socket,id=ctl,path=%s,server=on,wait=off",
		 qemu_opt_escape(g->sock_path, esc));
	unlink(g->sock_path);
	unlink(g->console_path);
	snprintf(g->qemu_log, sizeof(g->qemu_log), "%s/qemu-%s.log", g->tmp.path, accel);

	argv[n++] = c->qemu;
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-user-config";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	/* Named threads ("CPU 0/TCG"): the guest target pins vCPU threads by name. */
	argv[n++] = "-name";
	argv[n++] = "bpfcost,debug-threads=on";
	argv[n++] = "-accel";
	argv[n++] = !strcmp(accel, "kvm") ? "kvm" : c->icount ? "tcg" : "tcg,thread=multi";
	if (c->icount) {
		argv[n++] = "-icount";
		argv[n++] = "shift=0,sleep=off";
	}
	argv[n++] = "-cpu";
	argv[n++] = !strcmp(accel, "kvm") ? "host" : "max";
	argv[n++] = "-smp";
	argv[n++] = smp;
	argv[n++] = "-m";
	argv[n++] = mem;
	argv[n++] = "-kernel";
	argv[n++] = c->kernel;
	argv[n++] = "-initrd";
	argv[n++] = c->initrd;
	argv[n++] = "-append";
	argv[n++] = append;
	argv[n++] = "-serial";
	argv[n++] = serial;
	argv[n++] = "-device";
	argv[n++] = "virtio-serial-pci,id=vser";
	argv[n++] = "-chardev";
	argv[n++] = chardev;
	argv[n++] = "-device";
	argv[n++] = "virtserialport,bus=vser.0,chardev=ctl,name=bpfcost";
	argv[n++] = "-netdev";
	argv[n++] = netdev;
	argv[n++] = "-device";
	argv[n++] = "virtio-net-pci,netdev=n0";
	argv[n] = NULL;

	t0 = bpfcost_now();
	deadline = t0 + timeout_s;
	spawn_qemu(g, (char *const *)argv);
	/* QEMU holds the tap now; ours would keep the device alive after QEMU died. */
	if (g->tap_fd >= 0) {
		close(g->tap_fd);
		g->tap_fd = -1;
	}
	if (g->pid < 0) {
		g->pid = 0;
		snprintf(err, errlen, "cannot start QEMU (%s): %s", g->qemu_log, strerror(errno));
		return -1;
	}

	for (;;) {
		if (waitpid(g->pid, &status, WNOHANG) == g->pid) {
			g->pid = 0;
			guest_first_complaint(g->qemu_log, tail, sizeof(tail));
			snprintf(err, errlen, "QEMU (%s) exited during boot (%s): %s", accel,
				 spawn_status_str(status, how, sizeof(how)),
				 tail[0] ? tail : "it said nothing");
			return -1;
		}
		if (file_has(g->console_path, READY_MARKER))
			break;
		if (c->stop && *c->stop) {
			snprintf(err, errlen, "interrupted while the guest (%s) was booting",
				 accel);
			kill_qemu(g);
			return -1;
		}
		/* Under KVM, QEMU may report an emulation failure and keep running. */
		if (file_has(g->qemu_log, "KVM internal error")) {
			guest_first_complaint(g->qemu_log, tail, sizeof(tail));
			snprintf(err, errlen, "guest (%s) failed to boot: %s", accel, tail);
			kill_qemu(g);
			return -1;
		}
		if (file_has(g->console_path, FAILED_MARKER) ||
		    file_has(g->console_path, "Kernel panic")) {
			file_tail(g->console_path, tail, sizeof(tail));
			snprintf(err, errlen, "guest (%s) failed to boot: %s", accel, tail);
			kill_qemu(g);
			return -1;
		}
		if (bpfcost_now() > deadline) {
			file_tail(g->console_path, tail, sizeof(tail));
			snprintf(err, errlen, "guest (%s) not ready after %d s; console: %s", accel,
				 timeout_s, tail);
			kill_qemu(g);
			return -1;
		}
		usleep(20 * 1000);
	}
	g->boot_s = bpfcost_now() - t0;
	g->icount = c->icount;
	snprintf(g->accel, sizeof(g->accel), "%s", accel);
	if (guest_chan_connect(g, bpfcost_now() + 10, err, errlen)) {
		kill_qemu(g);
		return -1;
	}
	g->chan.stop = c->stop;
	return 0;
}

/* /dev/kvm existing is not enough (PVM hosts): only a real boot proves KVM works. */
static bool kvm_openable(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int check_config(const struct guest_config *c, char *err, size_t errlen)
{
	if (strcmp(c->accel, "auto") && strcmp(c->accel, "kvm") && strcmp(c->accel, "tcg")) {
		snprintf(err, errlen, "accel '%s': use auto, kvm or tcg", c->accel);
		return -1;
	}
	if (strcmp(c->topology, "user") && strcmp(c->topology, "tap")) {
		snprintf(err, errlen, "topology '%s': use user or tap", c->topology);
		return -1;
	}
	if (access(c->kernel, R_OK) || access(c->initrd, R_OK)) {
		snprintf(err, errlen,
			 "guest kernel '%s' or initramfs '%s' missing: run 'make guest'", c->kernel,
			 c->initrd);
		return -1;
	}
	if (c->icount && !strcmp(c->accel, "kvm")) {
		snprintf(err, errlen, "icount (instruction clock) needs TCG, not KVM");
		return -1;
	}
	if (c->vcpus < 1 || c->mem_mb < 128 || c->boot_timeout_s < 1) {
		snprintf(err, errlen, "vcpus >= 1, mem_mb >= 128, boot_timeout_s >= 1 required");
		return -1;
	}
	return 0;
}

int guest_start(const struct guest_config *c, struct guest **out, char *err, size_t errlen)
{
	struct guest *g;
	char kvm_err[512] = "";
	const char *tmp;
	int ret;

	*out = NULL;
	if (check_config(c, err, errlen))
		return -1;
	g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	jsonl_chan_init(&g->chan, -1, -1);
	g->tap_fd = -1;
	snprintf(g->topology, sizeof(g->topology), "%s", c->topology);
	/* A unix socket path must fit in 108 bytes, so TMPDIR is used only if short. */
	tmp = getenv("TMPDIR");
	if (!tmp || strlen(tmp) > 64)
		tmp = "/tmp";
	/* Folders a SIGKILLed run left (their lock is free) go first. */
	guest_tmp_reclaim(tmp);
	if (guest_tmp_create(&g->tmp, tmp, err, errlen)) {
		free(g);
		return -1;
	}
	snprintf(g->sock_path, sizeof(g->sock_path), "%s/ctl.sock", g->tmp.path);
	g->own_console = !c->log_path;
	if (g->own_console)
		snprintf(g->console_path, sizeof(g->console_path), "%s/console.log", g->tmp.path);
	else
		snprintf(g->console_path, sizeof(g->console_path), "%s", c->log_path);

	if (!strcmp(c->accel, "tcg")) {
		ret = boot(g, c, "tcg", c->boot_timeout_s, err, errlen);
	} else if (!strcmp(c->accel, "kvm")) {
		ret = boot(g, c, "kvm", c->boot_timeout_s, err, errlen);
	} else {
		/* A working KVM boots in seconds; do not let a hung one eat the budget. */
		if (!kvm_openable(c->kvm_dev))
			snprintf(kvm_err, sizeof(kvm_err), "%s: %s", c->kvm_dev, strerror(errno));
		else if (!boot(g, c, "kvm", 30, kvm_err, sizeof(kvm_err)))
			kvm_err[0] = '\0';
		if (kvm_err[0] && c->stop && *c->stop) {
			snprintf(err, errlen, "%s", kvm_err);
			ret = -1;
		} else if (kvm_err[0]) {
			/* One line for the manifest; QEMU's first complaint is already in it. */
			kvm_err[strcspn(kvm_err, "\n")] = '\0';
			snprintf(g->accel_note, sizeof(g->accel_note), "kvm unusable: %.200s",
				 kvm_err);
			ret = boot(g, c, "tcg", c->boot_timeout_s, err, errlen);
		} else {
			ret = 0;
		}
	}
	if (ret) {
		guest_free(g);
		return -1;
	}
	*out = g;
	return 0;
}

const char *guest_server_host(const struct guest *g)
{
	return g->server_host;
}

int guest_server_port(const struct guest *g)
{
	return g->server_port;
}

const char *guest_addr(const struct guest *g)
{
	return g->addr;
}

double guest_boot_seconds(const struct guest *g)
{
	return g->boot_s;
}

const char *guest_accel(const struct guest *g)
{
	return g->accel;
}

const char *guest_accel_note(const struct guest *g)
{
	return g->accel_note;
}

const char *guest_topology(const struct guest *g)
{
	return g->topology;
}

bool guest_icount(const struct guest *g)
{
	return g->icount;
}

int guest_qemu_pid(const struct guest *g)
{
	return g->pid;
}

void guest_stop(struct guest *g)
{
	if (!g)
		return;
	/* Closing the channel first makes the agent detach even if QEMU lingers. */
	jsonl_chan_close(&g->chan);
	kill_qemu(g);
	if (g->tap_fd >= 0) {
		close(g->tap_fd);
		g->tap_fd = -1;
	}
	/* The socket and logs go with the folder (a console log elsewhere stays). */
	if (g->tmp.path[0])
		guest_tmp_remove(&g->tmp);
}

void guest_free(struct guest *g)
{
	guest_stop(g);
	free(g);
}
