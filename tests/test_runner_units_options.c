// SPDX-License-Identifier: GPL-2.0
/*
 * Options units: the option table gives the defaults, judges the command line
 * with the checks a resumed manifest gets, and --help and make help name every
 * option, make variable, target, workload and declared argument.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "experiments/options.h"
#include "experiments/run_settings.h"
#include "loader/bpfcost.h"
#include "testlib.h"

/* What @print writes, as a string (the caller frees). */
static char *printed(void (*print)(FILE *f))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		fail_msg("open_memstream failed");
	print(f);
	fclose(f);
	return buf;
}

/* Every variable runner.mk hands bpfcost-run ("$$NAME", $(value NAME)) is in make help. */
static void test_make_help_names_every_make_variable(void **state)
{
	char *help = printed(options_make_help), *mk, *at, name[64], line[80];
	FILE *f = fopen(test_root_path("experiments/runner.mk"), "r");
	size_t len = 0;
	int found = 0;

	(void)state;
	if (!f)
		fail_msg("cannot open %s", test_root_path("experiments/runner.mk"));
	mk = calloc(1, 65536);
	len = fread(mk, 1, 65535, f);
	fclose(f);
	mk[len] = '\0';
	/* Comments name no variable the runner reads: blanked first. */
	for (at = mk; at && *at; at = strchr(at, '\n')) {
		at += *at == '\n';
		if (at[strspn(at, " \t")] == '#')
			memset(at, ' ', strcspn(at, "\n"));
	}
	for (at = mk; (at = strpbrk(at, "$")); at++) {
		const char *start;

		if (!strncmp(at, "$$", 2))
			start = at + 2;
		else if (!strncmp(at, "$(value ", 8))
			start = at + 8;
		else
			continue;
		snprintf(name, sizeof(name), "%.*s",
			 (int)strspn(start, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"), start);
		if (strlen(name) < 1 || !strcmp(name, "Q"))
			continue;
		found++;
		snprintf(line, sizeof(line), "\n    %s=", name);
		if (!strstr(help, line))
			fail_msg("make help does not name %s (read by runner.mk); it says:\n%s",
				 name, help);
	}
	free(mk);
	free(help);
	if (found < 20)
		fail_msg("found %d variables in runner.mk; expected 20 or more (test bug?)", found);
}

/* --help names every option of the table, every target and workload, and their arguments. */
static void test_help_names_everything(void **state)
{
	char *help = printed(options_usage), want[96];
	const struct option_def *d;
	const struct target_ops *const *t;
	const struct workload_ops *const *w;
	int i;

	(void)state;
	for (d = option_table; d->name || d->make_var; d++) {
		snprintf(want, sizeof(want), "--%s", d->name ?: "");
		if (d->name && !strstr(help, want))
			fail_msg("--help does not name %s", want);
	}
	for (t = target_list(); *t; t++) {
		snprintf(want, sizeof(want), "\n  %s ", (*t)->name);
		if (!strstr(help, want))
			fail_msg("--help does not list the target %s", (*t)->name);
		for (i = 0; i < TARGET_MAX_ARGS && (*t)->args[i].name; i++)
			if (!strstr(help, (*t)->args[i].name))
				fail_msg("--help does not list %s's argument %s", (*t)->name,
					 (*t)->args[i].name);
	}
	for (w = workload_list(); *w; w++) {
		snprintf(want, sizeof(want), "\n  %s ", (*w)->name);
		if (!strstr(help, want))
			fail_msg("--help does not list the workload %s", (*w)->name);
		for (i = 0; i < WORKLOAD_MAX_ARGS && (*w)->args[i].name; i++) {
			snprintf(want, sizeof(want), "      %s=", (*w)->args[i].name);
			if (!strstr(help, want))
				fail_msg("--help does not list %s's argument %s", (*w)->name,
					 (*w)->args[i].name);
		}
	}
	free(help);
}

/* The defaults, as the table declares them (and as the README documents them). */
static void test_defaults_from_the_table(void **state)
{
	struct run_settings rs = run_settings_defaults();

	(void)state;
	/* N, duration, vcpus 0: not given; options_apply_sets() gives the workload's own. */
	if (rs.n != 0 || rs.duration != 0 || rs.vcpus != 0 || rs.mem_mb != 512 ||
	    rs.spin_ns != 1000 || rs.check_s != 2 || rs.max_n != 1000 || rs.redo_limit != 3 ||
	    rs.disturb_cpu != 0.25 || !rs.pin || !rs.bind || rs.precision != 0 ||
	    rs.budget_min != 0)
		fail_msg("defaults: N=%d duration=%g vcpus=%d mem=%d spin_ns=%ld check=%g "
			 "max_n=%d redo=%d disturb_cpu=%g pin=%d bind=%d precision=%g budget=%g; "
			 "expected 0 0 0 512 1000 2 1000 3 0.25 1 1 0 0",
			 rs.n, rs.duration, rs.vcpus, rs.mem_mb, rs.spin_ns, rs.check_s, rs.max_n,
			 rs.redo_limit, rs.disturb_cpu, rs.pin, rs.bind, rs.precision,
			 rs.budget_min);
	if (strcmp(rs.matrix, "all") || strcmp(rs.target, "guest") ||
	    strcmp(rs.workload, "iperf") || strcmp(rs.clock, "real") ||
	    strcmp(rs.topology, "tap") || strcmp(rs.accel, "auto") ||
	    strcmp(rs.func, "udp_recvmsg") || strcmp(rs.estimator, "robust") || rs.qemu)
		fail_msg("defaults: matrix=%s target=%s workload=%s clock=%s topology=%s accel=%s "
			 "func=%s estimator=%s qemu=%s; expected all guest iperf real tap auto "
			 "udp_recvmsg robust (null)",
			 rs.matrix, rs.target, rs.workload, rs.clock, rs.topology, rs.accel,
			 rs.func, rs.estimator, rs.qemu ?: "(null)");
}

static int parse(struct run_options *o, const char *const *args)
{
	char *argv[16] = { "bpfcost-run" };
	int argc = 1;

	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	return options_parse(o, argc, argv);
}

/* The command line goes through the checks a manifest gets: each bound refused, good ones taken. */
static void test_command_line_checked(void **state)
{
	static const char *const refused[][3] = {
		{ "-n", "0" },		{ "-t", "ten" },	  { "--redo", "101" },
		{ "--max-n", "1" },	{ "--disturb-cpu", "0" }, { "--precision", "0" },
		{ "-T", "bridge" },	{ "--target", "nosuch" }, { "--func", "a b" },
		{ "--arg", "novalue" }, { "--pin", "maybe" },	  { "--vcpus", "65" },
	};
	static const char *const good[] = {
		"-n",	"4",  "--precision", "5",	 "--disturb-cpu", "off", "-s",
		"0x10", "-w", "2",	     "--target", "host",	  NULL
	};
	struct run_options o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		int ret = parse(&o, refused[i]);

		if (ret != BPFCOST_EXIT_USAGE)
			fail_msg("%s %s: returned %d; expected %d (refused)", refused[i][0],
				 refused[i][1], ret, BPFCOST_EXIT_USAGE);
	}
	if (parse(&o, good))
		fail_msg("good options refused");
	if (o.rs.n != 4 || o.rs.precision != 5 || !isnan(o.rs.disturb_cpu) || o.rs.seed != 16 ||
	    strcmp(o.rs.target, "host") || o.n_arg_sets != 1 || strcmp(o.arg_sets[0], "warmup=2"))
		fail_msg("parsed: N=%d precision=%g disturb_cpu=%g seed=%llu target=%s args=%d; "
			 "expected 4 5 nan 16 host 1 (warmup=2)",
			 o.rs.n, o.rs.precision, o.rs.disturb_cpu, (unsigned long long)o.rs.seed,
			 o.rs.target, o.n_arg_sets);
}

/* Declared arguments: a name the target or workload does not declare is refused, naming the valid.
 */
static void test_undeclared_arguments_refused(void **state)
{
	static const char *const target_arg[] = { "--target", "host", "--target-arg", "x=1", NULL };
	static const char *const workload_arg[] = { "--workload", "trigger", "--arg", "nosuch=1",
						    NULL };
	struct run_options o;
	char err[512] = "";

	(void)state;
	if (parse(&o, target_arg) || !options_apply_sets(&o, err, sizeof(err)) ||
	    !strstr(err, "target host has no argument 'x'"))
		fail_msg("--target-arg x=1 on host: '%s'; expected refused naming x", err);
	err[0] = '\0';
	if (parse(&o, workload_arg) || !options_apply_sets(&o, err, sizeof(err)) ||
	    !strstr(err, "workload trigger has no argument 'nosuch'; valid: calls"))
		fail_msg("--arg nosuch=1 on trigger: '%s'; expected refused listing calls", err);
}

/*
 * DURATION and N not given: each workload's own defaults (declared, above 0;
 * N per clock), and --help and make help say them; given, they stay as given.
 */
static void test_default_duration_per_workload(void **state)
{
	char *help = printed(options_usage), *make_help = printed(options_make_help), want[96];
	const struct workload_ops *const *w;
	char err[512] = "";

	(void)state;
	for (w = workload_list(); *w; w++) {
		const char *args[] = { "--workload", (*w)->name, NULL };
		const char *icount[] = { "--workload", (*w)->name, "--clock", "instructions",
					 NULL };
		const char *given[] = { "--workload", (*w)->name, "-t", "7", "-n",
					"3",	      "--vcpus",  "3",	NULL };
		int vcpus = (*w)->default_vcpus ? (*w)->default_vcpus : RS_VCPUS_DEFAULT;
		int n_real = workload_default_n(*w, "real");
		int n_icount = workload_default_n(*w, "instructions");
		struct run_options o;

		if ((*w)->default_duration <= 0 || (*w)->default_n <= 0)
			fail_msg("workload %s declares default_duration %g, default_n %d; expected "
				 "both above 0",
				 (*w)->name, (*w)->default_duration, (*w)->default_n);
		if (parse(&o, args) || options_apply_sets(&o, err, sizeof(err)))
			fail_msg("--workload %s refused: %s", (*w)->name, err);
		assert_cmp_double(o.rs.duration, ==, (*w)->default_duration);
		assert_cmp_int(o.rs.n, ==, (*w)->default_n);
		assert_cmp_int(o.rs.vcpus, ==, vcpus);
		if (parse(&o, icount) || options_apply_sets(&o, err, sizeof(err)))
			fail_msg("--workload %s --clock instructions refused: %s", (*w)->name, err);
		assert_cmp_int(o.rs.n, ==, n_icount);
		if (parse(&o, given) || options_apply_sets(&o, err, sizeof(err)))
			fail_msg("--workload %s -t 7 -n 3 refused: %s", (*w)->name, err);
		assert_cmp_double(o.rs.duration, ==, 7);
		assert_cmp_int(o.rs.n, ==, 3);
		assert_cmp_int(o.rs.vcpus, ==, 3);
		snprintf(want, sizeof(want), "(--duration default: %g s, --samples default: %d, %d",
			 (*w)->default_duration, n_real, n_icount);
		assert_contains(help, want);
		snprintf(want, sizeof(want), "WORKLOAD=%s: %g s", (*w)->name,
			 (*w)->default_duration);
		assert_contains(make_help, want);
		snprintf(want, sizeof(want), "WORKLOAD=%s: %d (CLOCK=instructions: %d)", (*w)->name,
			 n_real, n_icount);
		assert_contains(make_help, want);
		snprintf(want, sizeof(want), "--vcpus default: %d)", vcpus);
		assert_contains(help, want);
	}
	/* A ping-pong has one message in flight: one vCPU, so the client can be pinned beside it.
	 */
	assert_int_equal(workload_find("latency")->default_vcpus, 1);
	free(help);
	free(make_help);
}

/* The bpfcost-run command `make experiment` would run, with @var (NAME=value) or none. */
static void experiment_command(const char *var, char *line, size_t len)
{
	char cmd[512];
	FILE *p;

	/* A parent make's command-line variables (MAKEFLAGS) must not reach this one. */
	snprintf(cmd, sizeof(cmd),
		 "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u DURATION -u N -u VCPUS make -n -s "
		 "--no-print-directory experiment WORKLOAD=trigger TARGET=host %s 2>/dev/null",
		 var);
	p = popen(cmd, "r");
	if (!p)
		fail_msg("%s: cannot start", cmd);
	line[0] = '\0';
	while (fgets(line, (int)len, p) && !strstr(line, "bpfcost-run --"))
		line[0] = '\0';
	pclose(p);
	if (!line[0])
		fail_msg("%s: no bpfcost-run command printed; expected one", cmd);
}

/* The Makefile passes DURATION and N only when set: otherwise the workload's defaults hold. */
static void test_makefile_passes_duration_only_when_set(void **state)
{
	char line[4096];

	(void)state;
	experiment_command("", line, sizeof(line));
	if (strstr(line, " -t ") || strstr(line, " -n ") || strstr(line, "--vcpus"))
		fail_msg("without DURATION, N and VCPUS, make experiment ran \"%s\"; expected no "
			 "-t, -n, --vcpus",
			 line);
	experiment_command("DURATION=3 N=4 VCPUS=1", line, sizeof(line));
	assert_contains(line, "-t \"$DURATION\"");
	assert_contains(line, "-n \"$N\"");
	assert_contains(line, "--vcpus \"$VCPUS\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_help_names_every_make_variable),
		cmocka_unit_test(test_help_names_everything),
		cmocka_unit_test(test_defaults_from_the_table),
		cmocka_unit_test(test_command_line_checked),
		cmocka_unit_test(test_undeclared_arguments_refused),
		cmocka_unit_test(test_default_duration_per_workload),
		cmocka_unit_test(test_makefile_passes_duration_only_when_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
