/* SPDX-License-Identifier: GPL-2.0 */
/* Shared helpers for the integration tests: child processes and UDP floods. */
#ifndef BPFCOST_TESTLIB_H
#define BPFCOST_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct child {
	pid_t pid;
	int in;	 /* write end of the child's stdin, -1 once closed */
	int out; /* read end of its stdout */
	int err; /* read end of its stderr */
	bool reaped;
	int status;	    /* wait status, once reaped */
	char last_err[512]; /* last stderr line child_wait_line() read, for messages */
};

/* Path of a built program: $BPFCOST_OUT/<rel> (build/ by default). */
const char *test_out_path(const char *rel);
/* Path inside the source tree: $BPFCOST_ROOT/<rel>. */
const char *test_root_path(const char *rel);

/* Start argv[0] with piped stdin/stdout/stderr. */
int child_start(struct child *c, char *const argv[]);
/*
 * Read from @fd until a line starting with @prefix arrives (copied to @line)
 * or @timeout_ms passes. Returns 0 when found.
 */
int read_line_prefix(int fd, const char *prefix, char *line, size_t len, int timeout_ms);
/* Read everything until EOF (or timeout) into @buf. */
ssize_t read_all(int fd, char *buf, size_t len, int timeout_ms);
/* Wait for exit up to @timeout_ms (then SIGKILL); returns the exit code or -signal. */
int child_wait(struct child *c, int timeout_ms);
/* Has the child exited? Reaps it if so (child_wait() then returns at once). */
bool child_exited(struct child *c);
/* "exit 1", "killed by signal 9" or "running": how the child ended, for messages. */
const char *child_how(struct child *c);
/*
 * Read the child's stderr until a line starting with @prefix (0, copied to
 * @line), the child exits or closes stderr (-ECHILD), or @timeout_ms (-ETIMEDOUT).
 * The last line read is kept in c->last_err. An empty @prefix matches any line.
 */
int child_wait_line(struct child *c, const char *prefix, char *line, size_t len, int timeout_ms);
/* Run a command to completion, capturing stdout and stderr; returns its exit code. */
int run_capture(char *const argv[], char *out, size_t outlen, char *err, size_t errlen,
		int timeout_ms);

/* Loaded BPF programs whose name starts with "bpfcost_" (ours), system-wide. */
int count_bpfcost_programs(void);
/* Distinct network namespaces any process is in, and network devices named bpfc* in ours. */
int count_net_namespaces(void);
int count_bpfc_devices(void);
/*
 * QEMU processes whose environment holds BPFCOST_TEST_MARK=<our pid> (set it
 * before starting runs): this test's guests, not others on the machine.
 */
int count_marked_qemu(void);

/*
 * Send @count UDP datagrams of @size bytes over loopback to a socket bound to
 * 127.0.0.1 and receive them; returns how many were received.
 */
long udp_loopback_flood(long count, size_t size);

#endif /* BPFCOST_TESTLIB_H */
