// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-loader on this host: tracepoint-family hits per packet over
 * loopback, "unsupported" answers, settings, bad input, and cleanup on signals.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "loader/attach_types.h"
#include "loader/bpfcost.h"
#include "loader/kconfig.h"
#include "testlib.h"

#define FLOOD_PACKETS	  20000
#define ATTACH_TIMEOUT_MS 20000

static char *loader(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s", test_out_path("bin/bpfcost-loader"));
	return path;
}

/* Start the loader and wait for its "attached" line; returns its attach JSON. */
static cJSON *start_attached(struct child *c, char *const argv[])
{
	char line[4096];
	cJSON *j;
	int ret;

	assert_int_equal(child_start(c, argv), 0);
	ret = read_line_prefix(c->err, "bpfcost-loader: attached ", line, sizeof(line),
			       ATTACH_TIMEOUT_MS);
	if (ret) {
		print_error("loader did not attach (%s); stderr line: %s\n", strerror(-ret), line);
		child_wait(c, 1000);
		fail();
	}
	j = cJSON_Parse(line + strlen("bpfcost-loader: attached "));
	if (!j) {
		child_wait(c, 1000);
		fail_msg("the attached line is not JSON: %s", line);
	}
	return j;
}

/* Close stdin, which tells the loader to detach; returns its result JSON. */
static cJSON *stop_by_eof(struct child *c, int *exit_code)
{
	char out[8192];
	cJSON *j;

	close(c->in);
	c->in = -1;
	read_all(c->out, out, sizeof(out), 10000);
	*exit_code = child_wait(c, 10000);
	j = cJSON_Parse(out);
	if (!j)
		fail_msg("loader (%s) printed no result JSON on stdout: \"%s\"", child_how(c),
			 test_excerpt(out));
	return j;
}

static double num(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	if (!cJSON_IsNumber(v))
		fail_msg("field %s missing or not a number", key);
	return v->valuedouble;
}

static uint64_t run_cnt_of(int prog_fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	assert_int_equal(bpf_obj_get_info_by_fd(prog_fd, &info, &len), 0);
	return info.run_cnt;
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A tracepoint on sock_recvmsg fires for every socket on the machine, so the
 * count over the flood is corrected by the count over an idle window of the
 * same length, read from the same program.
 */
static void hits_per_packet_for(const char *attach)
{
	char *argv[] = { loader(), "-p", "null", "-a", (char *)attach, "-s", NULL };
	uint64_t c0, c1, c2;
	double t0, flood_s, hits, background;
	struct child c;
	cJSON *attached = start_attached(&c, argv), *result;
	long received;
	int code, fd;

	fd = bpf_prog_get_fd_by_id((int)num(attached, "prog_id"));
	assert_sys_ok(fd >= 0, "bpf_prog_get_fd_by_id");
	c0 = run_cnt_of(fd);
	t0 = seconds_now();
	received = udp_loopback_flood(FLOOD_PACKETS, 64);
	c1 = run_cnt_of(fd);
	flood_s = seconds_now() - t0;
	/* The idle window is the measurement itself, not a wait for a condition. */
	usleep(flood_s * 1e6);
	c2 = run_cnt_of(fd);
	close(fd);
	result = stop_by_eof(&c, &code);
	assert_int_equal(code, BPFCOST_EXIT_OK);
	assert_cmp_int(received, >, FLOOD_PACKETS * 9 / 10);
	background = (double)(c2 - c1);
	hits = ((double)(c1 - c0) - background) / received;
	print_message("    %-7s %llu runs for %ld packets in %.2f s, %.0f in an idle window: "
		      "%.3f hits/packet, %.0f ns/run\n",
		      attach, (unsigned long long)(c1 - c0), received, flood_s, background, hits,
		      num(result, "run_time_ns") / num(result, "run_cnt"));
	if (hits < 0.9 || hits > 1.1)
		fail_msg("%s: %.3f hits per packet, want [0.9, 1.1]", attach, hits);
	assert_cmp_double(num(result, "run_cnt"), >=, (double)(c1 - c0));
	assert_string_equal(cJSON_GetObjectItem(result, "attach")->valuestring, attach);
	cJSON_Delete(attached);
	cJSON_Delete(result);
}

static void test_tp_hits_per_packet(void **state)
{
	(void)state;
	hits_per_packet_for("tp");
}

static void test_raw_tp_hits_per_packet(void **state)
{
	(void)state;
	hits_per_packet_for("raw_tp");
}

static void test_tp_btf_hits_per_packet(void **state)
{
	(void)state;
	hits_per_packet_for("tp_btf");
}

/* The first option of the row the kernel config sets to "n", or NULL. */
static const char *config_lacks(const struct attach_type *t)
{
	const char *const *opt;
	const char *v;

	for (opt = t->config; opt && *opt; opt++) {
		v = kconfig_get(*opt);
		if (v && !strcmp(v, "n"))
			return *opt;
	}
	return NULL;
}

/* Types the kernel config rules out must answer "unsupported" with exit 3. */
static void test_unsupported_is_an_answer(void **state)
{
	char out[4096], err[4096], want[128];
	const struct attach_type *t;
	int i, checked = 0;

	(void)state;
	for (i = 0; (t = attach_type_at(i)); i++) {
		char *argv[] = { loader(), "-p", "map", "-a", (char *)t->name, "-d", "0.1", NULL };
		const char *lacks = config_lacks(t);
		int code;

		/* The hits tests above attach these. */
		if (!strcmp(t->family, "tracepoint"))
			continue;
		code = run_capture(argv, out, sizeof(out), err, sizeof(err), 30000);
		print_message("    %-16s exit %d %s", t->name, code, err);
		if (lacks) {
			assert_int_equal(code, BPFCOST_EXIT_UNSUPPORTED);
			snprintf(want, sizeof(want), "; CONFIG_%s is not set in ", lacks);
			if (!strstr(err, want))
				fail_msg("%s: stderr lacks '%s': %s", t->name, want, err);
		}
		if (code == BPFCOST_EXIT_UNSUPPORTED) {
			snprintf(want, sizeof(want), "bpfcost-loader: unsupported: %s: ", t->name);
			assert_memory_equal(err, want, strlen(want));
			assert_contains(err, "errno");
			/* one line, not a libbpf dump */
			assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1);
			checked++;
		} else {
			assert_int_equal(code, BPFCOST_EXIT_OK);
			cJSON *j = cJSON_Parse(out);

			if (!j)
				fail_msg("%s: exit 0 but stdout is not JSON: \"%s\"", t->name,
					 test_excerpt(out));
			cJSON_Delete(j);
		}
	}
	print_message("    %d attach types unsupported here\n", checked);
}

/* BPF program types each family's wrappers may have; UNSPEC ends a list. */
static const struct {
	const char *family;
	enum bpf_prog_type types[4];
} families[] = {
	{ "tracepoint",
	  { BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_TRACING } },
	{ "kprobe", { BPF_PROG_TYPE_KPROBE } },
	{ "fprobe", { BPF_PROG_TYPE_KPROBE } },
	{ "trampoline", { BPF_PROG_TYPE_TRACING } },
};

static void check_prog_fits_row(const struct attach_type *t, const struct bpf_program *prog)
{
	enum bpf_prog_type type = bpf_program__type(prog);
	const char *sec = bpf_program__section_name(prog);
	bool ret_sec = strstr(sec, "ret") || strstr(sec, "fexit");
	size_t f, k;

	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		if (!strcmp(families[f].family, t->family))
			break;
	if (f == sizeof(families) / sizeof(families[0]))
		fail_msg("%s: family '%s', want tracepoint, kprobe, fprobe or trampoline", t->name,
			 t->family);
	for (k = 0; families[f].types[k] && families[f].types[k] != type; k++)
		;
	if (!families[f].types[k])
		fail_msg("%s: program %s has type %d (section %s), not a %s program", t->name,
			 t->prog, type, sec, t->family);
	if (ret_sec != t->on_return)
		fail_msg("%s: on_return %d but program %s is in section %s", t->name, t->on_return,
			 t->prog, sec);
}

/*
 * Everything about an attach type is its row: check each row is complete and
 * that every built probe has the wrapper program the row names.
 */
static void test_every_attach_type_is_a_complete_row(void **state)
{
	const char *dir = test_out_path("progs");
	const char *const *names = bpfcost_attach_names();
	char err[BPFCOST_ERRLEN], path[4096];
	char **probes = bpfcost_list_probes(dir, err, sizeof(err));
	const struct attach_type *t;
	int i, p = 0;

	(void)state;
	if (!probes)
		fail_msg("%s", err);
	for (i = 0; (t = attach_type_at(i)); i++) {
		if (!names[i])
			fail_msg("bpfcost_attach_names() ends at %d, expected %s there", i,
				 t->name);
		assert_string_equal(names[i], t->name);
		assert_ptr_equal(attach_type_find(t->name), t);
		if (!t->attach || !t->prog || !t->family || !t->needs || !*t->needs)
			fail_msg("%s: row lacks attach, prog, family or needs", t->name);
		if (!t->on_function && strcmp(t->family, "tracepoint"))
			fail_msg("%s: only tracepoints attach elsewhere than a function", t->name);
		/* The kprobes/list line is what tells us where a kprobe landed. */
		if (!t->mechanism && strcmp(t->family, "kprobe"))
			fail_msg("%s: no mechanism, but only kprobes are looked up", t->name);
		if (t->want_mechanism && (t->mechanism || !t->config || !t->config[0]))
			fail_msg("%s: want_mechanism needs a looked-up mechanism and a config "
				 "option",
				 t->name);
		for (p = 0; probes[p]; p++) {
			struct bpf_object *obj;
			struct bpf_program *prog;

			snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, probes[p]);
			obj = bpf_object__open_file(path, NULL);
			assert_sys_ok(obj, path);
			prog = bpf_object__find_program_by_name(obj, t->prog);
			if (!prog)
				fail_msg("%s: no program %s in %s", t->name, t->prog, path);
			check_prog_fits_row(t, prog);
			bpf_object__close(obj);
		}
	}
	if (names[i])
		fail_msg("bpfcost_attach_names() has %s beyond the %d attach types", names[i], i);
	print_message("    %d attach types, each in all %d probes\n", i, p);
	bpfcost_free_names(probes);
}

static void test_spin_setting_costs_what_it_says(void **state)
{
	char *argv[] = { loader(), "-p",    "spin",	     "-a", "raw_tp",
			 "-s",	   "--set", "spin_ns=20000", NULL };
	struct child c;
	cJSON *attached, *result;
	double per_run;
	int code;

	(void)state;
	attached = start_attached(&c, argv);
	assert_cmp_int(udp_loopback_flood(500, 64), >, 450);
	result = stop_by_eof(&c, &code);
	assert_int_equal(code, 0);
	per_run = num(result, "run_time_ns") / num(result, "run_cnt");
	print_message("    spin_ns=20000: %.0f ns per run\n", per_run);
	assert_cmp_double(per_run, >=, 20000);
	assert_string_equal(cJSON_GetObjectItem(result, "settings")->valuestring, "spin_ns=20000");
	cJSON_Delete(attached);
	cJSON_Delete(result);
}

static void expect_usage_error(char *const argv[], const char *needle)
{
	char out[4096], err[4096];
	int code = run_capture(argv, out, sizeof(out), err, sizeof(err), 10000);

	assert_int_equal(code, BPFCOST_EXIT_USAGE);
	if (!strstr(err, needle))
		fail_msg("stderr lacks '%s': %s", needle, err);
}

static void test_bad_input_names_valid_values(void **state)
{
	char *bad_probe[] = { loader(), "-p", "nosuch", "-a", "tp", NULL };
	char *bad_attach[] = { loader(), "-p", "null", "-a", "uprobe", NULL };
	char *bad_setting[] = { loader(), "-p", "null", "-a", "tp", "--set", "spin_ns=5", NULL };
	char *bad_value[] = { loader(), "-p", "spin", "-a", "tp", "--set", "spin_ns=abc", NULL };
	char *bad_func[] = { loader(), "-p", "null", "-a", "fentry", "-f", "no_such_fn_xyz", NULL };

	(void)state;
	expect_usage_error(bad_probe, "valid probes: map null spin");
	expect_usage_error(bad_attach, "valid types: tp raw_tp tp_btf kprobe");
	expect_usage_error(bad_setting, "no settings");
	expect_usage_error(bad_value, "not an integer");
	expect_usage_error(bad_func, "no_such_fn_xyz");
}

/* Names of loaded programs that are ours, as bpftool sees them. */
static int count_our_programs(void)
{
	char *argv[] = { "bpftool", "-j", "prog", "show", NULL };
	static char out[1 << 20];
	char err[4096];
	const cJSON *p;
	cJSON *list;
	int n = 0;

	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err), 20000), 0);
	list = cJSON_Parse(out);
	if (!list)
		fail_msg("bpftool -j prog show printed no JSON: \"%s\"", test_excerpt(out));
	cJSON_ArrayForEach(p, list)
	{
		const cJSON *name = cJSON_GetObjectItem(p, "name");

		n += cJSON_IsString(name) && !strncmp(name->valuestring, "bpfcost_", 8);
	}
	cJSON_Delete(list);
	return n;
}

static void signal_leaves_nothing_loaded(int sig)
{
	char *argv[] = { loader(), "-p", "map", "-a", "tp", "-s", NULL };
	int before = count_our_programs(), during, code;
	struct child c;
	cJSON *attached = start_attached(&c, argv);

	during = count_our_programs();
	kill(c.pid, sig);
	code = child_wait(&c, 10000);
	print_message("    %s: ours loaded before %d, attached %d, after %d; exit %d\n",
		      strsignal(sig), before, during, count_our_programs(), code);
	assert_int_equal(during, before + 1);
	assert_int_equal(code, 0);
	assert_int_equal(count_our_programs(), before);
	cJSON_Delete(attached);
}

static void test_sigint_cleans_up(void **state)
{
	(void)state;
	signal_leaves_nothing_loaded(SIGINT);
}

static void test_sigterm_cleans_up(void **state)
{
	(void)state;
	signal_leaves_nothing_loaded(SIGTERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tp_hits_per_packet),
		cmocka_unit_test(test_raw_tp_hits_per_packet),
		cmocka_unit_test(test_tp_btf_hits_per_packet),
		cmocka_unit_test(test_unsupported_is_an_answer),
		cmocka_unit_test(test_every_attach_type_is_a_complete_row),
		cmocka_unit_test(test_spin_setting_costs_what_it_says),
		cmocka_unit_test(test_bad_input_names_valid_values),
		cmocka_unit_test(test_sigint_cleans_up),
		cmocka_unit_test(test_sigterm_cleans_up),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_loader needs root (BPF)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
