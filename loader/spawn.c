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
#include "read_eof.h"
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
	if (fd == SPAWN_TO_STDOUT)
		fd = STDOUT_FILENO;
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

int spawn_run(char *const argv[], const struct spawn_opts *o, double timeout_s,
	      volatile sig_atomic_t *stop, int *status)
{
	pid_t pid;

	fflush(NULL); /* the child must not print our buffered output again */
	pid = spawn(argv, o);
	if (pid < 0)
		return -1;
	return spawn_wait(pid, timeout_s, stop, status);
}

int spawn_run_ok(char *const argv[], const struct spawn_opts *o, double timeout_s,
		 volatile sig_atomic_t *stop, char *why, size_t whylen)
{
	double t0 = bpfcost_now();
	char how[32];
	int status, err;

	if (!spawn_run(argv, o, timeout_s, stop, &status)) {
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			return 0;
		snprintf(why, whylen, "%s", spawn_status_str(status, how, sizeof(how)));
		return -ECHILD;
	}
	err = errno;
	if (stop && *stop) {
		snprintf(why, whylen, "interrupted");
		return -EINTR;
	}
	if (bpfcost_now() - t0 >= timeout_s) {
		snprintf(why, whylen, "overran %.0f s", timeout_s);
		return -ETIMEDOUT;
	}
	snprintf(why, whylen, "cannot start: %s", strerror(err));
	return -err;
}

int spawn_capture(char *const argv[], const struct spawn_opts *o, double timeout_s,
		  volatile sig_atomic_t *stop, struct read_buf *out, int *status)
{
	double deadline = bpfcost_now() + timeout_s;
	struct spawn_opts with = *o;
	int pipefd[2], err;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	with.stdout_fd = pipefd[1];
	fflush(NULL);
	pid = spawn(argv, &with);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -1;
	}
	err = read_to_eof(pipefd[0], out, deadline, stop);
	close(pipefd[0]);
	if (err) {
		/* Overran or stopped: killed and reaped here, as spawn_wait() does. */
		kill(pid, SIGKILL);
		waitpid(pid, status, 0);
		errno = -err;
		return -1;
	}
	/* EOF: it closed its output; a second to exit after that. */
	return spawn_wait(pid, deadline - bpfcost_now() + 1, stop, status);
}

int spawn_first_line(char *const argv[], char *line, size_t len, double timeout_s)
{
	struct read_buf out = { .buf = line, .cap = len };
	struct spawn_opts o;
	int status;

	spawn_opts_init(&o);
	/* A timeout still leaves what it printed: the first line may be all we need. */
	if (spawn_capture(argv, &o, timeout_s, NULL, &out, &status) < 0) {
		line[strcspn(line, "\n")] = '\0';
		return -1;
	}
	line[strcspn(line, "\n")] = '\0';
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
