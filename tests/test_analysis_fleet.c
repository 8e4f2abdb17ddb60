// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-report on a fleet folder (sweep.json "kind":"fleet"): the hosts are
 * labelled by their names, each with its machine (CPU, kernel, mitigations of
 * the kernel measured: the host's own on target host, the guest's in a
 * guest), a failed or pending host is listed with its reason in every file
 * and on the terminal while the others merge; and hostile fleet folders (a
 * folder escaping the fleet, a planted symlink or FIFO) are refused, never
 * followed or waited on.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "analysis/files.h"
#include "testlib.h"

#define FIXTURE_HOST  "tests/fixtures/runs/trigger-instructions-all-tcg-2026-11-30"
#define FIXTURE_GUEST "tests/fixtures/runs/trigger-instructions-all-tcg-6.1-2026-11-30"
#define UNREACHABLE   "ssh: connect to host 10.0.0.9 port 22: No route to host"

static char base[] = "/tmp/bpfcost-test-fleet-XXXXXX";
static char out[1 << 18], err[1 << 16];

static const char fleet_json[] =
	"{\"schema_version\":1,\"kind\":\"fleet\",\"variable\":\"host\",\"runs\":["
	"{\"name\":\"lab1\",\"dir\":\"lab1\",\"host\":\"lab1\",\"status\":\"done\"},"
	"{\"name\":\"lab2\",\"dir\":\"lab2\",\"host\":\"lab2\",\"status\":\"done\"},"
	"{\"name\":\"cloud1\",\"dir\":\"cloud1\",\"host\":\"cloud1\",\"status\":\"failed\","
	"\"error\":\"" UNREACHABLE "\"},"
	"{\"name\":\"lab3\",\"dir\":\"lab3\",\"host\":\"lab3\",\"status\":\"pending\"}]}";

static void put(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *name)
{
	char path[PATH_MAX], *text;
	size_t len;
	int e;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	e = infile_read(AT_FDCWD, path, 1 << 22, &text, &len);
	if (e)
		fail_msg("%s: %s", path, infile_strerror(e));
	return text;
}

static cJSON *object(cJSON *o, const char *key)
{
	cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsObject(it)) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		it = cJSON_AddObjectToObject(o, key);
	}
	return it;
}

static void set_str(cJSON *o, const char *key, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	cJSON_AddStringToObject(o, key, value);
}

/* "name=value;..." as an environment's vulnerabilities. */
static void set_vulnerabilities(cJSON *env, const char *list)
{
	char copy[512], *save = NULL, *item;
	cJSON *v;

	cJSON_DeleteItemFromObjectCaseSensitive(env, "vulnerabilities");
	v = cJSON_AddObjectToObject(env, "vulnerabilities");
	snprintf(copy, sizeof(copy), "%s", list);
	for (item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(item, '=');

		assert_non_null(eq);
		*eq = '\0';
		cJSON_AddStringToObject(v, item, eq + 1);
	}
}

struct machine {
	const char *target, *host_cpu, *cpu, *kernel;
	const char *host_vuln, *host_cmdline, *guest_vuln; /* guest_vuln NULL: none recorded */
};

/* A fixture run copied to <base>/@host, its manifest made to say it ran on machine @m. */
static void make_host(const char *host, const char *fixture, const struct machine *m)
{
	char dst[PATH_MAX], name[PATH_MAX];
	char *cp[] = { "cp", "-r", (char *)test_root_path(fixture), dst, NULL };
	cJSON *man, *info;
	char *text;

	snprintf(dst, sizeof(dst), "%s/%s", base, host);
	assert_int_equal(run_capture(cp, out, sizeof(out), err, sizeof(err), 60000), 0);
	snprintf(name, sizeof(name), "%s/manifest.json", host);
	text = slurp(name);
	man = cJSON_Parse(text);
	free(text);
	assert_non_null(man);
	set_str(man, "target", m->target);
	set_str(object(man, "host"), "cpu_model", m->host_cpu);
	set_vulnerabilities(object(object(man, "host"), "environment"), m->host_vuln);
	set_str(object(object(man, "host"), "environment"), "cmdline", m->host_cmdline);
	info = object(object(man, "target_info"), "info");
	set_str(info, "cpu_model", m->cpu);
	set_str(info, "kernel_release", m->kernel);
	if (m->guest_vuln)
		set_vulnerabilities(object(info, "environment"), m->guest_vuln);
	else
		cJSON_DeleteItemFromObjectCaseSensitive(info, "environment");
	text = cJSON_Print(man);
	put(name, text);
	free(text);
	cJSON_Delete(man);
}

static const struct machine lab1 = {
	.target = "host",
	.host_cpu = "AMD EPYC 7763 64-Core Processor",
	.cpu = "AMD EPYC 7763 64-Core Processor",
	.kernel = "6.18.1-lab1",
	.host_vuln = "spectre_v1=Mitigation: usercopy/swapgs barriers;spectre_v2=Vulnerable: no "
		     "microcode;mds=Not affected",
	.host_cmdline = "root=/dev/sda1 mitigations=off",
};

static const struct machine lab2 = {
	.target = "guest",
	.host_cpu = "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
	.cpu = "QEMU TCG CPU version 2.5+",
	.kernel = "6.1.0-57-cloud-amd64",
	/* the host's own: not the kernel measured, so not what lab2 shows */
	.host_vuln = "spectre_v1=Vulnerable;spectre_v2=Vulnerable",
	.host_cmdline = "root=/dev/vda1",
	.guest_vuln = "spectre_v1=Mitigation: usercopy/swapgs barriers;retbleed=Not "
		      "affected;srbds=Not affected",
};

static int report(void)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-report"), "-q", base, NULL };

	return run_capture(argv, out, sizeof(out), err, sizeof(err), 60000);
}

static void make_fleet(void)
{
	make_host("lab1", FIXTURE_HOST, &lab1);
	make_host("lab2", FIXTURE_GUEST, &lab2);
	put("sweep.json", fleet_json);
}

static void test_fleet_compared(void **state)
{
	char *txt, *md, *csv, *tex;
	int code;

	(void)state;
	make_fleet();
	code = report();
	if (code)
		fail_msg("bpfcost-report on a fleet ended with %d, expected 0: %s", code, err);
	/* On the terminal: the hosts without numbers and why */
	assert_contains(err, "host cloud1: failed: " UNREACHABLE);
	assert_contains(err, "host lab3: pending");

	txt = test_unwrap(slurp("compare.txt"));
	assert_contains(txt, "Comparison of 4 hosts");
	assert_contains(txt, "not interleaved");
	assert_contains(txt, "A = lab1: CPU AMD EPYC 7763 64-Core Processor, kernel 6.18.1-lab1, "
			     "target host, mitigations: 1 mitigated, 1 vulnerable (spectre_v2), 1 "
			     "not affected (booted with mitigations=off)");
	assert_contains(txt,
			"B = lab2: CPU Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz, guest CPU "
			"QEMU TCG CPU version 2.5+, kernel 6.1.0-57-cloud-amd64, target guest, "
			"mitigations: 1 mitigated, 0 vulnerable, 2 not affected\n");
	assert_contains(txt, "C = cloud1: failed: " UNREACHABLE "\n");
	assert_contains(txt, "D = lab3: pending\n");
	assert_contains(txt, "  cloud1: failed: " UNREACHABLE "\n");
	/* Hosts are different machines: that their kernels and CPUs differ is shown, not warned */
	assert_not_contains(txt, "differ together");
	assert_not_contains(txt, "kernel differs");
	assert_not_contains(txt, "vulnerabilities");
	assert_contains(txt, "B - A [95% CI]");
	assert_not_contains(txt, "nan");
	free(txt);

	md = slurp("compare.md");
	assert_contains(md, "- A = lab1: CPU AMD EPYC 7763 64-Core Processor, kernel 6.18.1-lab1");
	assert_contains(md, "- C = cloud1: failed: " UNREACHABLE "\n");
	/* the failed host's cells say why, the others have numbers */
	assert_contains(md, " | failed: " UNREACHABLE " | - | pending | - |\n");
	free(md);

	csv = slurp("compare.csv");
	assert_contains(csv, ",C,cloud1,cloud1,failed,");
	assert_contains(csv, ",failed: " UNREACHABLE "\n");
	assert_contains(csv, ",B,lab2,lab2,done,");
	free(csv);
	tex = slurp("compare-paper.tex");
	/* (TeX breaks long words: the start of the facts is enough here) */
	assert_contains(tex, "A: lab1 (CPU AMD EPYC");
	assert_contains(tex, "C: cloud1 (failed: ssh:");
	free(tex);
}

/* A host's folder planted as a symlink, or its samples as a FIFO: that host unreadable, the rest
 * merged. */
static void test_planted_host_folder(void **state)
{
	char path[PATH_MAX], target[PATH_MAX], *txt;
	int code;

	(void)state;
	make_fleet();
	snprintf(path, sizeof(path), "%s/lab2", base);
	assert_int_equal(rename(path, strcat(strcpy(target, path), "-real")), 0);
	assert_int_equal(symlink(target, path), 0);
	code = report();
	if (code)
		fail_msg("bpfcost-report with a planted lab2 ended with %d, expected 0: %s", code,
			 err);
	txt = test_unwrap(slurp("compare.txt"));
	assert_contains(txt, "B = lab2: unreadable: folder lab2: not a folder (a symbolic link is "
			     "not followed)");
	assert_contains(txt, "A = lab1: CPU AMD EPYC");
	free(txt);
	assert_contains(err, "host lab2: unreadable: folder lab2: not a folder");

	/* its samples a FIFO in a real folder: refused at once, not waited on */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rename(target, path), 0);
	snprintf(path, sizeof(path), "%s/lab2/samples.jsonl", base);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	code = report();
	if (code)
		fail_msg("bpfcost-report with a FIFO in lab2 ended with %d, expected 0: %s", code,
			 err);
	assert_contains(err, "host lab2: unreadable: cannot read samples.jsonl");
}

static void test_hostile_fleet_refused(void **state)
{
	static const struct {
		const char *json, *why;
	} bad[] = {
		{ "{\"schema_version\":1,\"kind\":\"fleet\",\"variable\":\"host\",\"runs\":["
		  "{\"name\":\"x\",\"dir\":\"../x\",\"host\":\"x\",\"status\":\"done\"}]}",
		  "runs[0].dir is not a plain folder name" },
		{ "{\"schema_version\":1,\"kind\":\"fleet\",\"variable\":\"host\",\"runs\":["
		  "{\"name\":\"x\",\"dir\":\"/etc\",\"host\":\"x\",\"status\":\"done\"}]}",
		  "runs[0].dir is not a plain folder name" },
		{ "{\"schema_version\":1,\"kind\":\"fleet\",\"variable\":\"kernel\",\"runs\":["
		  "{\"name\":\"x\",\"dir\":\"x\",\"host\":\"x\",\"status\":\"done\"}]}",
		  "a fleet's variable is \"host\"" },
	};
	char path[PATH_MAX];
	int code;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("sweep.json", bad[i].json);
		code = report();
		if (code != 2)
			fail_msg(
				"sweep.json %s: bpfcost-report ended with %d, expected 2 (refused)",
				bad[i].json, code);
		assert_contains(err, bad[i].why);
	}
	/* sweep.json a FIFO: refused, never opened for a read that would wait */
	snprintf(path, sizeof(path), "%s/sweep.json", base);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	code = report();
	if (code != 2)
		fail_msg("sweep.json a FIFO: bpfcost-report ended with %d (%s), expected 2", code,
			 err);
	assert_contains(err, "sweep.json");
}

static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/bpfcost-test-fleet-XXXXXX");
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", base, NULL };
	char o[64], e[256];

	(void)state;
	return run_capture(argv, o, sizeof(o), e, sizeof(e), 30000) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fleet_compared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_host_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_fleet_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
