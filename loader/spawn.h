/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one way bpfcost starts a program: fork and exec an argv, never a shell,
 * so no string from a matrix, a results folder or a setting is ever parsed
 * as a command.
 */
#ifndef BPFCOST_SPAWN_H
#define BPFCOST_SPAWN_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct spawn_opts {
	int stdin_fd;	       /* -1: /dev/null */
	int stdout_fd;	       /* -1: /dev/null; SPAWN_INHERIT: ours */
	int stderr_fd;	       /* as stdout_fd */
	int keep_fd;	       /* one more fd the child keeps open (e.g. a tap device); -1: none */
	int netns_fd;	       /* join this network namespace before exec; -1: stay */
	bool new_netns;	       /* unshare(CLONE_NEWNET) before exec */
	bool own_group;	       /* own process group: our Ctrl-C does not reach it directly */
	bool die_with_us;      /* PR_SET_PDEATHSIG SIGKILL: gone even if we are SIGKILLed */
	const cpu_set_t *cpus; /* sched_setaffinity(0) in the child before exec; NULL: ours */
	int cwd_fd;	       /* fchdir() here before exec; -1: our working folder */
};

#define SPAWN_INHERIT (-2)
/* stderr_fd only: where stdout goes (one stream, as a terminal shows it). */
#define SPAWN_TO_STDOUT (-3)

/* Default options: I/O to /dev/null, dies with us. */
void spawn_opts_init(struct spawn_opts *o);

/* Start @argv; returns the pid, or -1 with errno set. */
pid_t spawn(char *const argv[], const struct spawn_opts *o);

/*
 * Wait for @pid until it exits, @timeout_s passes or *@stop is set (then it is
 * killed with SIGKILL and reaped). Returns 0 when it exited by itself, with
 * the wait status in @status; -1 on timeout or stop.
 */
int spawn_wait(pid_t pid, double timeout_s, volatile sig_atomic_t *stop, int *status);

/* SIGTERM, up to @grace_s to exit, then SIGKILL; always reaps. */
void spawn_kill(pid_t pid, double grace_s);

/* "exit 1", "signal 9": a wait status in words. */
const char *spawn_status_str(int status, char *buf, size_t len);

/*
 * Start @argv and wait for it (spawn + spawn_wait): 0 when it exited by
 * itself, its wait status in @status; -1 when it could not start, overran
 * @timeout_s or *@stop was set (then it is killed and reaped).
 */
int spawn_run(char *const argv[], const struct spawn_opts *o, double timeout_s,
	      volatile sig_atomic_t *stop, int *status);

/*
 * spawn_run() that wants exit 0, and says in @why what else happened: 0, or
 * -ECHILD ("exit 1", "signal 9"), -ETIMEDOUT ("overran 600 s"), -EINTR
 * ("interrupted") or -errno ("cannot start: ...").
 */
int spawn_run_ok(char *const argv[], const struct spawn_opts *o, double timeout_s,
		 volatile sig_atomic_t *stop, char *why, size_t whylen);

/*
 * spawn_run() with the child's stdout read to its end into @out (a
 * struct read_buf from read_eof.h: what does not fit is drained and counted).
 * o->stdout_fd is replaced by the pipe; o->stderr_fd = SPAWN_TO_STDOUT
 * captures stderr too. Returns as spawn_run(); on timeout or stop the output
 * so far is kept.
 */
struct read_buf;
int spawn_capture(char *const argv[], const struct spawn_opts *o, double timeout_s,
		  volatile sig_atomic_t *stop, struct read_buf *out, int *status);

/*
 * Run @argv to completion (at most @timeout_s) and keep the first line it
 * printed on stdout in @line. Returns its exit code, or -1.
 */
int spawn_first_line(char *const argv[], char *line, size_t len, double timeout_s);

#endif /* BPFCOST_SPAWN_H */
