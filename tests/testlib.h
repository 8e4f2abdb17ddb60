/* SPDX-License-Identifier: GPL-2.0 */
/* Shared helpers for the integration tests: child processes and UDP floods. */
#ifndef BPFCOST_TESTLIB_H
#define BPFCOST_TESTLIB_H

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
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
 * Network namespaces, other than ours, that processes marked as above are in:
 * namespaces our runs left behind, not those of other runs on the machine.
 */
int count_marked_net_namespaces(void);

/*
 * Send @count UDP datagrams of @size bytes over loopback to a socket bound to
 * 127.0.0.1 and receive them; returns how many were received.
 */
long udp_loopback_flood(long count, size_t size);

/*
 * Assertions that print actual and expected when they fail (cmocka's
 * assert_true/assert_non_null print only the expression). They expand to
 * cmocka's fail_msg(), so include <cmocka.h> before using them; a failure is
 * reported at the caller's line.
 */

/* @s cut to its head and tail, 600 bytes: cmocka prints at most 1024 of a message. */
const char *test_excerpt(const char *s);
/* "nothing", "a regular file", "a symbolic link", "a FIFO"...: what is at @path (lstat). */
const char *test_file_kind(const char *path);
/*
 * table.txt's lines as they were before text_wrap() cut them at 120 columns: each
 * "\n" + four blanks joined back into one blank, in place. Returns @s.
 */
char *test_unwrap(char *s);
/* The text around offset @at of @s, for "found it here" messages. */
const char *test_excerpt_at(const char *s, size_t at);

#define assert_contains(haystack, needle)                                                          \
	do {                                                                                       \
		const char *h_ = (haystack), *n_ = (needle);                                       \
		if (!h_ || !strstr(h_, n_))                                                        \
			fail_msg("%s lacks \"%s\"; it holds:\n%s", #haystack, n_,                  \
				 test_excerpt(h_));                                                \
	} while (0)

#define assert_not_contains(haystack, needle)                                                      \
	do {                                                                                       \
		const char *h_ = (haystack), *n_ = (needle), *at_;                                 \
		if (!h_)                                                                           \
			fail_msg("%s is NULL, expected a text without \"%s\"", #haystack, n_);     \
		at_ = strstr(h_, n_);                                                              \
		if (at_)                                                                           \
			fail_msg("%s holds \"%s\" (expected not) at offset %zu:\n%s", #haystack,   \
				 n_, (size_t)(at_ - h_), test_excerpt_at(h_, (size_t)(at_ - h_))); \
	} while (0)

/* assert_cmp_int(n, >=, 2): both sides as integers, with the expression. */
#define assert_cmp_int(a, op, b)                                                                   \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (!(a_ op b_))                                                                   \
			fail_msg("expected %s %s %s, got %lld %s %lld", #a, #op, #b, a_, #op, b_); \
	} while (0)

#define assert_cmp_double(a, op, b)                                                                \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(a_ op b_))                                                                   \
			fail_msg("expected %s %s %s, got %.10g %s %.10g", #a, #op, #b, a_, #op,    \
				 b_);                                                              \
	} while (0)

/* |actual - expected| <= tol, for doubles; NaN fails. */
#define assert_near(actual, expected, tol)                                                         \
	do {                                                                                       \
		double a_ = (actual), e_ = (expected);                                             \
		if (!(fabs(a_ - e_) <= (tol)))                                                     \
			fail_msg("%s = %.10g, expected %.10g (within %g)", #actual, a_, e_,        \
				 (double)(tol));                                                   \
	} while (0)

/* lo <= x <= hi for doubles (cmocka's assert_in_range is for integers); NaN fails. */
#define assert_double_in_range(x, lo, hi)                                                          \
	do {                                                                                       \
		double x_ = (x), lo_ = (lo), hi_ = (hi);                                           \
		if (!(x_ >= lo_ && x_ <= hi_))                                                     \
			fail_msg("%s = %.10g, expected within [%.10g, %.10g]", #x, x_, lo_, hi_);  \
	} while (0)

#define assert_nan(x)                                                                              \
	do {                                                                                       \
		double x_ = (x);                                                                   \
		if (!isnan(x_))                                                                    \
			fail_msg("%s = %.10g, expected NaN", #x, x_);                              \
	} while (0)

/* A system call's result was usable; else print what it was about and errno. */
#define assert_sys_ok(ok, what)                                                                    \
	do {                                                                                       \
		if (!(ok))                                                                         \
			fail_msg("%s failed for %s: %s", #ok, (what), strerror(errno));            \
	} while (0)

#endif /* BPFCOST_TESTLIB_H */
