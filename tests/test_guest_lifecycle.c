// SPDX-License-Identifier: GPL-2.0
/*
 * Nothing outlives a guest: after a clean stop and after a failed boot, no
 * QEMU child and no tap device remain. Also proves the tap topology end to end
 * with one flood. The tap cases need CAP_NET_ADMIN and are skipped without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "experiments/guest/guest.h"
#include "testlib.h"

static bool tap_usable(void)
{
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		return false;
	close(fd);
	return geteuid() == 0;
}

/* Our tap devices are named bpfcost<N>; other runs may own some, so compare counts. */
static int count_taps(void)
{
	return count_bpfc_devices();
}

static void assert_no_children(void)
{
	/* ECHILD: every QEMU we started has been reaped, none is left running. */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_failed_boot_leaves_nothing(void **state)
{
	struct guest_config c;
	int taps = count_taps();
	struct guest *g;
	char err[1024];

	(void)state;
	guest_config_defaults(&c);
	c.accel = "tcg";
	c.topology = tap_usable() ? "tap" : "user";
	c.boot_timeout_s = 1; /* no TCG guest boots this fast: a forced failure */
	assert_int_not_equal(guest_start(&c, &g, err, sizeof(err)), 0);
	if (g)
		fail_msg("guest_start failed (%s) yet returned a guest", err);
	print_message("expected failure: %.120s\n", err);
	assert_no_children();
	assert_int_equal(count_taps(), taps);
}

static void test_tap_flood_and_stop(void **state)
{
	struct guest_config c;
	struct guest *g;
	char err[1024], port[16];
	cJSON *req, *before, *after;
	double packets;
	int taps;

	(void)state;
	if (!tap_usable())
		skip();
	taps = count_taps();
	guest_config_defaults(&c);
	c.topology = "tap";
	c.server_port = 5201;
	if (guest_start(&c, &g, err, sizeof(err)))
		fail_msg("guest_start: %s", err);
	print_message("tap guest: booted in %.2f s (%s), iperf3 at %s:%d\n", guest_boot_seconds(g),
		      guest_accel(g), guest_server_host(g), guest_server_port(g));
	assert_int_equal(count_taps(), taps + 1);
	{
		char text[512];
		cJSON *r;

		snprintf(text, sizeof(text),
			 "{\"cmd\":\"serve\",\"argv\":[\"iperf3\",\"-s\",\"-B\",\"%s\",\"-p\","
			 "\"5201\"],\"port\":5201,\"proto\":\"tcp\"}",
			 guest_addr(g));
		req = cJSON_Parse(text);
		r = guest_call(g, req, 60, err, sizeof(err));
		cJSON_Delete(req);
		if (!r || !cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
			fail_msg("serve iperf3: actual %s, expected ok",
				 r ? cJSON_PrintUnformatted(r) : err);
		cJSON_Delete(r);
	}

	req = cJSON_Parse("{\"cmd\":\"snmp\"}");
	before = guest_call(g, req, 30, err, sizeof(err));
	if (!before)
		fail_msg("snmp before the flood: %s", err);
	snprintf(port, sizeof(port), "%d", guest_server_port(g));
	{
		char *flood[] = { "iperf3", "-c", (char *)guest_server_host(g),
				  "-p",	    port, "-u",
				  "-b",	    "0",  "-l",
				  "64",	    "-t", "1",
				  NULL };
		static char out[1 << 16], ferr[4096];
		int code = run_capture(flood, out, sizeof(out), ferr, sizeof(ferr), 30000);

		if (code)
			fail_msg("iperf3: exit %d, expected 0: %s", code, ferr);
	}
	after = guest_call(g, req, 30, err, sizeof(err));
	if (!after)
		fail_msg("snmp after the flood: %s", err);
	packets =
		cJSON_GetObjectItem(cJSON_GetObjectItem(after, "udp"), "InDatagrams")->valuedouble -
		cJSON_GetObjectItem(cJSON_GetObjectItem(before, "udp"), "InDatagrams")->valuedouble;
	print_message("tap flood: %.0f datagrams received\n", packets);
	assert_cmp_double(packets, >, 500);
	cJSON_Delete(req);
	cJSON_Delete(before);
	cJSON_Delete(after);

	guest_stop(g);
	guest_stop(g); /* idempotent */
	guest_free(g);
	assert_no_children();
	assert_int_equal(count_taps(), taps);
}

/*
 * ACCEL=auto on a machine whose KVM fails in the way @mode mimics (the stand-in
 * QEMU fails when asked for KVM and runs the real one otherwise): the guest
 * must come up under TCG, and the note must be QEMU's first complaint.
 */
static void kvm_fails_then_tcg_boots(const char *mode, const char *complaint)
{
	char stand_in[4096], err[1024];
	struct guest_config c;
	struct guest *g;
	cJSON *req, *info;

	snprintf(stand_in, sizeof(stand_in), "%s", test_root_path("tests/qemu-kvm-fails.sh"));
	setenv("BPFCOST_FAKE_KVM", mode, 1);
	guest_config_defaults(&c);
	c.qemu = stand_in;
	c.kvm_dev = "/dev/null"; /* openable anywhere, so KVM is tried on any machine */
	c.topology = "user";

	c.accel = "kvm";
	if (!guest_start(&c, &g, err, sizeof(err)))
		fail_msg("ACCEL=kvm booted with a failing KVM (%s)", mode);
	print_message("    %s, ACCEL=kvm: %s\n", mode, err);
	if (!strstr(err, complaint))
		fail_msg("ACCEL=kvm error: expected '%s' in it, got '%s'", complaint, err);
	assert_no_children();

	c.accel = "auto";
	if (guest_start(&c, &g, err, sizeof(err)))
		fail_msg("%s: ACCEL=auto did not fall back to TCG: %s", mode, err);
	print_message("    %s, ACCEL=auto: booted in %.2f s under %s; note: %s\n", mode,
		      guest_boot_seconds(g), guest_accel(g), guest_accel_note(g));
	assert_string_equal(guest_accel(g), "tcg");
	if (!strstr(guest_accel_note(g), complaint) || strchr(guest_accel_note(g), '\n'))
		fail_msg("note: expected one line with '%s', got '%s'", complaint,
			 guest_accel_note(g));
	req = cJSON_Parse("{\"cmd\":\"info\"}");
	info = guest_call(g, req, 60, err, sizeof(err));
	cJSON_Delete(req);
	if (!info)
		fail_msg("agent after fallback: %s", err);
	cJSON_Delete(info);
	guest_free(g);
	assert_no_children();
	unsetenv("BPFCOST_FAKE_KVM");
}

static void test_kvm_exits_msr_then_tcg(void **state)
{
	(void)state;
	kvm_fails_then_tcg_boots("msr", "failed to set MSR 0x10a");
}

static void test_kvm_internal_error_then_tcg(void **state)
{
	(void)state;
	kvm_fails_then_tcg_boots("internal", "KVM internal error. Suberror: 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kvm_exits_msr_then_tcg),
		cmocka_unit_test(test_kvm_internal_error_then_tcg),
		cmocka_unit_test(test_failed_boot_leaves_nothing),
		cmocka_unit_test(test_tap_flood_and_stop),
	};

	return cmocka_run_group_tests_name("guest_lifecycle", tests, NULL, NULL);
}
