// SPDX-License-Identifier: GPL-2.0
/*
 * Guest smoke test: boot the QEMU guest, and for every probe x attach type
 * attach with stats on, flood 64-byte UDP datagrams from the host for ~1 s and
 * check the program ran once per datagram the guest's socket received.
 * Also checks that nothing (QEMU, tap device) outlives a guest.
 *
 * Settings (environment): BPFCOST_GUEST_ACCEL=auto|kvm|tcg,
 * BPFCOST_GUEST_TOPOLOGY=user|tap, BPFCOST_GUEST_VCPUS, BPFCOST_GUEST_CONSOLE=path.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/guest/guest.h"
#include "loader/bpfcost.h"
#include "testlib.h"

#define HITS_MIN     0.9
#define HITS_MAX     1.1
#define MIN_PACKETS  500
#define CALL_TIMEOUT 60

static struct guest *guest;
static double t_start;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define IPERF_PORT 5201

static void config_from_env(struct guest_config *c)
{
	guest_config_defaults(c);
	if (getenv("BPFCOST_GUEST_ACCEL"))
		c->accel = getenv("BPFCOST_GUEST_ACCEL");
	if (getenv("BPFCOST_GUEST_TOPOLOGY"))
		c->topology = getenv("BPFCOST_GUEST_TOPOLOGY");
	if (getenv("BPFCOST_GUEST_VCPUS"))
		c->vcpus = atoi(getenv("BPFCOST_GUEST_VCPUS"));
	c->log_path = getenv("BPFCOST_GUEST_CONSOLE");
	c->server_port = IPERF_PORT;
}

static cJSON *call(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static cJSON *call(const char *fmt, ...)
{
	char buf[1024], err[512];
	cJSON *req, *r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	req = cJSON_Parse(buf);
	if (!req)
		fail_msg("request is not JSON: %s", buf);
	r = guest_call(guest, req, CALL_TIMEOUT, err, sizeof(err));
	cJSON_Delete(req);
	if (!r)
		fail_msg("agent call %s: %s", buf, err);
	return r;
}

static double num(const cJSON *o, const char *path)
{
	char buf[128], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save))
		o = cJSON_GetObjectItemCaseSensitive(o, tok);
	return cJSON_IsNumber(o) ? o->valuedouble : -1;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* The reply's "ok" is @want; else the whole reply is the message. */
static void expect_ok(const cJSON *r, bool want, const char *what)
{
	bool ok = cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"));

	if (ok != want)
		fail_msg("%s: ok %d, expected %d; reply %s", what, ok, want,
			 cJSON_PrintUnformatted(r));
}

/* Host iperf3 client, one 1 s flood of 64-byte datagrams; 0 on success. */
static int flood(void)
{
	char port[16], out[256];
	int status = -1, tries, i;

	snprintf(port, sizeof(port), "%d", guest_server_port(guest));
	/* The server may still be closing the previous test: retry once. */
	for (tries = 0; tries < 3; tries++) {
		char *argv[] = { "iperf3", "-c", (char *)guest_server_host(guest),
				 "-p",	   port, "-u",
				 "-b",	   "0",	 "-l",
				 "64",	   "-t", "1",
				 NULL };
		pid_t pid = fork();

		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			dup2(fd, 2);
			execvp(argv[0], argv);
			_exit(127);
		}
		for (i = 0; i < 300 && waitpid(pid, &status, WNOHANG) == 0; i++)
			usleep(100 * 1000);
		if (i == 300) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return 0;
		snprintf(out, sizeof(out), "iperf3 exit status %d", status);
		sleep(1);
	}
	print_message("flood: %s\n", out);
	return -1;
}

static int group_setup(void **state)
{
	struct guest_config c;
	char err[1024];
	cJSON *info;

	(void)state;
	t_start = now();
	config_from_env(&c);
	if (guest_start(&c, &guest, err, sizeof(err))) {
		print_error("guest_start: %s\n", err);
		return -1;
	}
	print_message("guest: booted in %.2f s, accel %s%s%s, topology %s, iperf3 at %s:%d\n",
		      guest_boot_seconds(guest), guest_accel(guest),
		      guest_accel_note(guest)[0] ? " - " : "", guest_accel_note(guest),
		      guest_topology(guest), guest_server_host(guest), guest_server_port(guest));
	/* The agent starts the server a workload declares (here iperf's). */
	info = call("{\"cmd\":\"serve\",\"argv\":[\"iperf3\",\"-s\",\"-B\",\"%s\",\"-p\",\"%d\"],"
		    "\"port\":%d,\"proto\":\"tcp\"}",
		    guest_addr(guest), IPERF_PORT, IPERF_PORT);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(info, "ok")) || num(info, "pid") <= 0) {
		char *text = cJSON_PrintUnformatted(info);

		print_error("serve iperf3: actual %s, expected ok with a pid\n", text);
		free(text);
		cJSON_Delete(info);
		return -1;
	}
	print_message("guest: agent started iperf3, pid %.0f\n", num(info, "pid"));
	cJSON_Delete(info);
	info = call("{\"cmd\":\"info\"}");
	print_message("guest: kernel %s, %d cpus, CONFIG_FPROBE=%s\n", str(info, "kernel_release"),
		      (int)num(info, "nr_cpus"),
		      str(cJSON_GetObjectItem(info, "config"), "CONFIG_FPROBE"));
	cJSON_Delete(info);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	guest_free(guest);
	guest = NULL;
	print_message("guest smoke: total %.1f s\n", now() - t_start);
	return 0;
}

static void test_info(void **state)
{
	cJSON *info = call("{\"cmd\":\"info\"}");

	(void)state;
	expect_ok(info, true, "info");
	if (!*str(info, "kernel_release"))
		fail_msg("info without a kernel_release: %s", cJSON_PrintUnformatted(info));
	assert_string_equal(str(cJSON_GetObjectItem(info, "config"), "CONFIG_DEBUG_INFO_BTF"), "y");
	if (!cJSON_IsArray(cJSON_GetObjectItem(info, "kprobes_list")))
		fail_msg("info without a kprobes_list array: %s", cJSON_PrintUnformatted(info));
	/* What the kernel is, beyond its release, and the environment it ran in. */
	assert_contains(str(info, "proc_version"), str(info, "kernel_release"));
	if (strcmp(str(cJSON_GetObjectItem(info, "kernel_package"), "source"), "own") &&
	    strcmp(str(cJSON_GetObjectItem(info, "kernel_package"), "source"), "debian"))
		fail_msg("info: kernel_package.source: expected debian or own, got: %s",
			 cJSON_PrintUnformatted(info));
	if (!strcmp(str(cJSON_GetObjectItem(info, "kernel_package"), "source"), "debian")) {
		char pkg[300];

		snprintf(pkg, sizeof(pkg), "linux-image-%.200s-unsigned",
			 str(info, "kernel_release"));
		assert_string_equal(str(cJSON_GetObjectItem(info, "kernel_package"), "package"),
				    pkg);
		if (!*str(cJSON_GetObjectItem(info, "kernel_package"), "version"))
			fail_msg("info: kernel_package without a version: %s",
				 cJSON_PrintUnformatted(
					 cJSON_GetObjectItem(info, "kernel_package")));
	}
	assert_contains(str(cJSON_GetObjectItem(info, "environment"), "cmdline"), "bpfcost.ip=");
	cJSON_Delete(info);
}

static void test_protocol_errors(void **state)
{
	/* Values a double holds but a u64 setting cannot (found by make fuzz). */
	static const char *const bad_set[] = { "1e300", "-1", "1.5", "18446744073709551616" };
	cJSON *r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_set) / sizeof(bad_set[0]); i++) {
		r = call("{\"cmd\":\"attach\",\"probe\":\"spin\",\"attach\":\"tp\","
			 "\"set\":{\"spin_ns\":%s}}",
			 bad_set[i]);
		if (cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")) ||
		    !strstr(str(r, "error"), "whole number"))
			fail_msg("spin_ns=%s: expected a usage error naming a whole number, got "
				 "ok=%d error=\"%s\"",
				 bad_set[i], cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")),
				 str(r, "error"));
		cJSON_Delete(r);
	}
	r = call("{\"cmd\":\"nope\"}");
	expect_ok(r, false, "an unknown command");
	assert_int_equal(num(r, "status"), BPFCOST_ERR_USAGE);
	cJSON_Delete(r);
	r = call("{\"cmd\":\"detach\"}");
	expect_ok(r, false, "detach with nothing attached");
	cJSON_Delete(r);
	r = call("{\"cmd\":\"attach\",\"probe\":\"null\",\"attach\":\"tp\"}");
	expect_ok(r, true, "attach null tp");
	cJSON_Delete(r);
	r = call("{\"cmd\":\"attach\",\"probe\":\"null\",\"attach\":\"tp\"}");
	expect_ok(r, false, "a second attach");
	cJSON_Delete(r);
	r = call("{\"cmd\":\"detach\"}");
	expect_ok(r, true, "detach");
	cJSON_Delete(r);
}

struct outcome {
	double hits;
	double packets;
	char mechanism[32];
	char error[256];
	cJSON *final;
};

/* attach, flood, detach: hits per received datagram for one probe x attach type. */
static void measure(const char *probe, const char *attach, struct outcome *o)
{
	cJSON *r, *before, *after;

	memset(o, 0, sizeof(*o));
	r = call("{\"cmd\":\"attach\",\"probe\":\"%s\",\"attach\":\"%s\",\"stats\":true%s}", probe,
		 attach, strcmp(probe, "spin") ? "" : ",\"set\":{\"spin_ns\":100}");
	if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"))) {
		snprintf(o->error, sizeof(o->error), "attach: %s", str(r, "error"));
		cJSON_Delete(r);
		return;
	}
	cJSON_Delete(r);
	before = call("{\"cmd\":\"snmp\"}");
	if (flood())
		snprintf(o->error, sizeof(o->error), "iperf3 flood failed");
	after = call("{\"cmd\":\"snmp\"}");
	o->final = call("{\"cmd\":\"detach\"}");
	o->packets = num(after, "udp.InDatagrams") - num(before, "udp.InDatagrams");
	o->hits = num(o->final, "run_cnt");
	snprintf(o->mechanism, sizeof(o->mechanism), "%s", str(o->final, "mechanism"));
	cJSON_Delete(before);
	cJSON_Delete(after);
}

static void test_hits_per_packet(void **state)
{
	char err[BPFCOST_ERRLEN], line[512];
	const char *const *attach;
	char **probes;
	int i, failures = 0;

	(void)state;
	probes = bpfcost_list_probes(bpfcost_default_progs_dir(), err, sizeof(err));
	if (!probes)
		fail_msg("list probes: %s", err);
	print_message("%-6s %-14s %8s %8s %6s  %s\n", "probe", "attach", "packets", "run_cnt",
		      "ratio", "mechanism");
	for (i = 0; probes[i]; i++) {
		for (attach = bpfcost_attach_names(); *attach; attach++) {
			struct outcome o;
			double ratio;
			bool ok;

			measure(probes[i], *attach, &o);
			ratio = o.packets > 0 ? o.hits / o.packets : 0;
			ok = !o.error[0] && o.packets >= MIN_PACKETS && ratio >= HITS_MIN &&
			     ratio <= HITS_MAX;
			/* An int3 kprobe that silently became an ftrace one measures the wrong
			 * thing. */
			if (!strcmp(*attach, "kprobe") && !strcmp(o.mechanism, "ftrace")) {
				snprintf(o.error, sizeof(o.error), "kprobe mechanism is ftrace");
				ok = false;
			}
			snprintf(line, sizeof(line), "%-6s %-14s %8.0f %8.0f %6.3f  %s %s%s",
				 probes[i], *attach, o.packets, o.hits, ratio, o.mechanism,
				 ok ? "" : "FAIL ", o.error);
			print_message("%s\n", line);
			failures += !ok;
			cJSON_Delete(o.final);
		}
	}
	bpfcost_free_names(probes);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_protocol_errors),
		cmocka_unit_test(test_hits_per_packet),
	};

	return cmocka_run_group_tests_name("guest_smoke", tests, group_setup, group_teardown);
}
