// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "spawn.h"

void spawn_opts_init(struct spawn_opts *o)
{
	*o = (struct spawn_opts){
		.stdin_fd = -1,
		.stdout_fd = -1,
		.stderr_fd = -1,
		.keep_fd = -1,
		.netns_fd = -1,
		.cwd_fd = -1,
		.die_with_us = true,
	};
}

static void child_fd(int fd, int target, int null_fd)
{
	if (fd == SPAWN_INHERIT)
		return;
	dup2(fd >= 0 ? fd : null_fd, target);
}

pid_t spawn(char *const argv[], const struct spawn_opts *o)
{
	pid_t parent = getpid(), pid;
	int null_fd;

	pid = fork();
	if (pid)
		return pid;
	if (o->die_with_us) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* The parent may have died between fork and prctl. */
		if (getppid() != parent)
			_exit(127);
	}
	if (o->own_group)
		setpgid(0, 0);
	if (o->netns_fd >= 0 && setns(o->netns_fd, CLONE_NEWNET))
		_exit(126);
	if (o->new_netns && unshare(CLONE_NEWNET))
		_exit(126);
	if (o->cpus && sched_setaffinity(0, sizeof(*o->cpus), o->cpus))
		_exit(126);
	if (o->cwd_fd >= 0 && fchdir(o->cwd_fd))
		_exit(126);
	null_fd = open("/dev/null", O_RDWR);
	child_fd(o->stdin_fd, STDIN_FILENO, null_fd);
	child_fd(o->stdout_fd, STDOUT_FILENO, null_fd);
	child_fd(o->stderr_fd, STDERR_FILENO, null_fd);
	if (o->keep_fd >= 0)
		fcntl(o->keep_fd, F_SETFD, 0);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int spawn_wait(pid_t pid, double timeout_s, volatile sig_atomic_t *stop, int *status)
{
	double deadline = bpfcost_now() + timeout_s;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if ((stop && *stop) || bpfcost_now() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -1;
		}
		/* Nothing to poll on but the exit itself; 10 ms keeps Ctrl-C prompt. */
		poll(NULL, 0, 10);
	}
}

void spawn_kill(pid_t pid, double grace_s)
{
	int status;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	/* On timeout spawn_wait() kills with SIGKILL; either way the child is reaped. */
	spawn_wait(pid, grace_s, NULL, &status);
}

const char *spawn_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status %d", status);
	return buf;
}

int spawn_first_line(char *const argv[], char *line, size_t len, double timeout_s)
{
	double deadline = bpfcost_now() + timeout_s;
	struct spawn_opts o;
	size_t used = 0;
	int pipefd[2], status;
	char buf[512];
	pid_t pid;

	line[0] = '\0';
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	spawn_opts_init(&o);
	o.stdout_fd = pipefd[1];
	pid = spawn(argv, &o);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -1;
	}
	/* Read to EOF, whatever the size: a child blocked on a full pipe never exits. */
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		double left = deadline - bpfcost_now();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			break;
		n = read(pipefd[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		if (used + 1 < len) {
			size_t take = (size_t)n < len - 1 - used ? (size_t)n : len - 1 - used;

			memcpy(line + used, buf, take);
			used += take;
			line[used] = '\0';
		}
	}
	close(pipefd[0]);
	line[strcspn(line, "\n")] = '\0';
	if (spawn_wait(pid, deadline - bpfcost_now() + 1, NULL, &status))
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
