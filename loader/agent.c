// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-agent: the guest end of the control channel. Serves JSON lines on a
 * virtio-serial port so control traffic never crosses the network being
 * measured. If the host goes away, whatever is attached is detached: a dead
 * runner must not leave a probe behind.
 *
 *   bpfcost-agent --port NAME [--ready FILE]   serve /dev/vportXpY named NAME
 *   bpfcost-agent --stdio                      serve stdin/stdout (tests)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"
#include "cli_opts.h"
#include "kprobes.h"

#define LINE_MAX_LEN (64 * 1024)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* /sys/class/virtio-ports/vport2p1/name holds the name given to QEMU's virtserialport. */
static int find_port(const char *name, char *dev, size_t devlen)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while (found && (e = readdir(d))) {
		char path[512], buf[128] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && !strcmp(strtok(buf, "\n") ?: "", name)) {
			snprintf(dev, devlen, "/dev/%s", e->d_name);
			found = 0;
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static void reply(int fd, const char *line)
{
	cJSON *r = agent_handle(line);
	char *s = cJSON_PrintUnformatted(r);

	cJSON_Delete(r);
	if (!s)
		return;
	/* A host that left mid-reply will see nothing; the next request starts clean. */
	if (write_all(fd, s, strlen(s)) == 0)
		write_all(fd, "\n", 1);
	free(s);
}

static void host_gone(void)
{
	if (agent_attached())
		cJSON_Delete(agent_detach(NULL));
}

/*
 * Serve until a signal. On a virtio port, POLLHUP without POLLIN means no host
 * is connected (QEMU's chardev socket has no client): detach and wait.
 */
static int serve(int in, int out, bool is_port)
{
	static char buf[LINE_MAX_LEN];
	size_t len = 0;

	while (!stop) {
		struct pollfd p = { .fd = in, .events = POLLIN };
		ssize_t n = 0;
		char *nl;

		if (poll(&p, 1, 200) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p.revents & POLLIN) {
			n = read(in, buf + len, sizeof(buf) - 1 - len);
			if (n < 0 && errno == EINTR)
				continue;
		} else if (!(p.revents & (POLLHUP | POLLERR))) {
			continue; /* nothing yet */
		}
		if (n <= 0) {
			/* The host hung up: for good on stdio; a virtio port may come back. */
			if (!is_port)
				break;
			host_gone();
			len = 0;
			usleep(100 * 1000);
			continue;
		}
		len += n;
		buf[len] = '\0';
		while ((nl = memchr(buf, '\n', len))) {
			*nl = '\0';
			if (nl > buf)
				reply(out, buf);
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len);
			buf[len] = '\0';
		}
		if (len == sizeof(buf) - 1) {
			fprintf(stderr, "bpfcost-agent: request longer than %d bytes dropped\n",
				LINE_MAX_LEN);
			len = 0;
		}
	}
	host_gone();
	return 0;
}

int main(int argc, char **argv)
{
	const char *port = NULL, *ready = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	bool use_stdio = false;
	char dev[300];
	int fd, c, i, err;

	/* A loader SIGKILLed while holding the kprobe optimizer off: undo that first. */
	kprobes_optimizer_recover();

	while ((c = cli_getopt(argc, argv, "port|p: ready|r: stdio|s")) != -1) {
		switch (c) {
		case 'p':
			port = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		case 's':
			use_stdio = true;
			break;
		default:
			fprintf(stderr,
				"usage: bpfcost-agent --port NAME [--ready FILE] | --stdio\n");
			return BPFCOST_EXIT_USAGE;
		}
	}
	if (!port && !use_stdio) {
		fprintf(stderr, "bpfcost-agent: --port NAME or --stdio required\n");
		return BPFCOST_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (use_stdio)
		return serve(0, 1, false) ? BPFCOST_EXIT_FAILURE : BPFCOST_EXIT_OK;

	/* The port appears when virtio_console probes; give it a few seconds. */
	for (i = 0; find_port(port, dev, sizeof(dev)); i++) {
		if (i == 50 || stop) {
			fprintf(stderr, "bpfcost-agent: no virtio port named '%s'\n", port);
			return BPFCOST_EXIT_FAILURE;
		}
		usleep(100 * 1000);
	}
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "bpfcost-agent: open %s: %s\n", dev, strerror(errno));
		return BPFCOST_EXIT_FAILURE;
	}
	if (ready) {
		int rfd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (rfd >= 0)
			close(rfd);
	}
	err = serve(fd, fd, true);
	close(fd);
	return err ? BPFCOST_EXIT_FAILURE : BPFCOST_EXIT_OK;
}
