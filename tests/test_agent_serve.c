// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's "serve" request, which starts a workload's declared server on
 * the target: it replies once the server's socket is ready, names a server
 * that ended before that, refuses a port already taken and malformed
 * requests, and the server dies with the agent. Runs on this machine with
 * `bpfcost-agent --stdio`; no root, no guest.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "testlib.h"

#define REPLY_MS 30000

static struct child agent;

static int start_agent(void **state)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-agent"), "--stdio", NULL };

	(void)state;
	return child_start(&agent, argv);
}

static int stop_agent(void **state)
{
	(void)state;
	if (agent.in >= 0)
		close(agent.in);
	agent.in = -1;
	child_wait(&agent, REPLY_MS);
	return 0;
}

/* One request, its reply parsed (the caller frees). */
static cJSON *ask(const char *req)
{
	char line[8192] = "";
	cJSON *r;

	if (write(agent.in, req, strlen(req)) < 0 || write(agent.in, "\n", 1) != 1)
		fail_msg("cannot write to the agent: %s", strerror(errno));
	if (read_line_prefix(agent.out, "{", line, sizeof(line), REPLY_MS))
		fail_msg("%s: no reply in %d ms (agent %s)", req, REPLY_MS, child_how(&agent));
	r = cJSON_Parse(line);
	if (!r)
		fail_msg("%s: reply '%s' is not JSON", req, line);
	return r;
}

static const char *error_of(const cJSON *r)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "error"));

	return s ? s : "(none)";
}

static void expect_error(const char *req, int status, const char *text)
{
	cJSON *r = ask(req);
	double got = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "status"));

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")) || got != status ||
	    !strstr(error_of(r), text))
		fail_msg("%s: replied ok=%d status %g '%s'; expected status %d with '%s'", req,
			 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")), got, error_of(r),
			 status, text);
	cJSON_Delete(r);
}

/* A UDP port on 127.0.0.1 nobody holds right now. */
static int free_udp_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_cmp_int(fd, >=, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* Running, not a zombie waiting for whoever inherited it to reap it. */
static bool process_alive(int pid)
{
	char path[64], state = 'X';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 'X';
	fclose(f);
	return state != 'Z' && state != 'X';
}

static void test_refusals(void **state)
{
	(void)state;
	expect_error("{\"cmd\":\"serve\",\"argv\":[\"true\"],\"port\":0,\"proto\":\"udp\"}", 2,
		     "\"port\" must be a whole number");
	expect_error("{\"cmd\":\"serve\",\"argv\":[\"true\"],\"port\":9,\"proto\":\"sctp\"}", 2,
		     "\"proto\" must be");
	expect_error("{\"cmd\":\"serve\",\"argv\":[],\"port\":9,\"proto\":\"udp\"}", 2,
		     "serve needs \"argv\"");
	expect_error("{\"cmd\":\"serve\",\"argv\":[\"true\"],\"port\":9,\"proto\":\"udp\",\"x\":1}",
		     2, "unknown field 'x'");
	/* A server that ends before its socket is ready is named, with how it ended. */
	expect_error("{\"cmd\":\"serve\",\"argv\":[\"sh\",\"-c\",\"exit 3\"],\"port\":9,"
		     "\"proto\":\"udp\"}",
		     1, "sh ended (exit 3) before udp port 9 was ready");
}

static void test_serves_until_the_agent_ends(void **state)
{
	char req[1024];
	int port = free_udp_port(), pid, i;
	char comm[64] = "", path[64];
	cJSON *r;
	FILE *f;

	(void)state;
	snprintf(req, sizeof(req),
		 "{\"cmd\":\"serve\",\"argv\":[\"perl\",\"-MIO::Socket::INET\",\"-e\","
		 "\"my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1:%d', Proto => 'udp') or "
		 "die; "
		 "sleep 1 while 1\"],\"port\":%d,\"proto\":\"udp\"}",
		 port, port);
	r = ask(req);
	pid = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "pid"));
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")) || pid <= 0)
		fail_msg("serve perl on udp %d: replied '%s' pid %d; expected ok with a pid", port,
			 error_of(r), pid);
	cJSON_Delete(r);
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f || !fgets(comm, sizeof(comm), f))
		fail_msg("%s: unreadable; expected the server running", path);
	fclose(f);
	assert_string_equal(comm, "perl\n");

	/* The same port again: taken, said so, nothing started. */
	expect_error(req, 1, "in use already");

	/* EOF on the agent's stdin ends it, and the server with it. */
	stop_agent(NULL);
	for (i = 0; i < 500 && process_alive(pid); i++) {
		struct timespec t = { 0, 10 * 1000 * 1000 };

		nanosleep(&t, NULL);
	}
	if (process_alive(pid))
		fail_msg("server %d still runs 5 s after its agent ended; expected it gone", pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refusals, start_agent, stop_agent),
		cmocka_unit_test_setup_teardown(test_serves_until_the_agent_ends, start_agent,
						stop_agent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
