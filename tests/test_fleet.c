// SPDX-License-Identifier: GPL-2.0
/*
 * make fleet over real SSH (issue 23's done-when): three namespaced sshd
 * hosts (tests/fleet_hosts.h), one made unreachable; a small trigger matrix
 * on the host target, one host at a time (they share this kernel: programs
 * on one kernel would count each other's events). Checked: the folders
 * fetched, the comparison at the top, sweep.json, the exit; RESUME skips the
 * done hosts; a symlink and a FIFO planted in a host's results never arrive;
 * Ctrl-C leaves the hosts resumable (and CLEAN=1 on that resume removes the
 * working copies); nothing of the hosts is left.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include <cmocka.h>

#include "fleet_hosts.h"
#include "testlib.h"

#define OUT_MAX	    (4 << 20)
#define FLEET_MS    (15 * 60 * 1000)
#define UNREACHABLE 2 /* the host whose sshd is killed */

static struct fleet_hosts hosts;
static char inventory[PATH_MAX + 32], matrix[PATH_MAX + 32], results[PATH_MAX + 32];
static char fleet_dir[PATH_MAX * 2];
static char *out;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int setup(void **state)
{
	char err[2048];
	FILE *f;

	(void)state;
	out = malloc(OUT_MAX);
	if (!out || fleet_hosts_up(&hosts, 3, err, sizeof(err))) {
		fprintf(stderr, "fleet_hosts_up: %s\n", err);
		return -1;
	}
	snprintf(inventory, sizeof(inventory), "%s/hosts.ini", hosts.dir);
	snprintf(matrix, sizeof(matrix), "%s/tiny.matrix", hosts.dir);
	snprintf(results, sizeof(results), "%s/results", hosts.dir);
	/* Per-host settings from the inventory: the target; no make deps (this machine has them).
	 */
	if (fleet_hosts_write_inventory(&hosts, inventory, "bpfcost_target=host bpfcost_deps=skip"))
		return -1;
	f = fopen(matrix, "w");
	if (!f)
		return -1;
	fputs("baseline\ntp-null\n", f);
	fclose(f);
	fleet_host_kill_sshd(&hosts, UNREACHABLE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fleet_hosts_down(&hosts);
	free(out);
	return 0;
}

/* make fleet with @resume (NULL: a new fleet) and @more (one more setting or NULL); make's exit,
 * all its output in out. */
static int make_fleet(const char *resume, const char *more)
{
	char root[PATH_MAX + 16], inv[PATH_MAX + 48], mat[PATH_MAX + 48], res[PATH_MAX + 48];
	char rsm[PATH_MAX * 2 + 16], err[256];
	char *argv[] = { "/bin/sh",
			 "-c",
			 "exec \"$@\" 2>&1",
			 "sh",
			 "make",
			 "-s",
			 "-C",
			 root,
			 "fleet",
			 inv,
			 "FORKS=1",
			 "FLEET_POLL=2",
			 "WORKLOAD=trigger",
			 "N=2",
			 "DURATION=1",
			 mat,
			 res,
			 (char *)(more ? more : "CLEAN="),
			 resume ? rsm : NULL,
			 NULL };
	double t0 = now_s();
	const char *p;
	int code;

	snprintf(root, sizeof(root), "%s", test_root_path("."));
	snprintf(inv, sizeof(inv), "INVENTORY=%s", inventory);
	snprintf(mat, sizeof(mat), "MATRIX=%s", matrix);
	snprintf(res, sizeof(res), "FLEET_RESULTS=%s", results);
	snprintf(rsm, sizeof(rsm), "RESUME=%s", resume ? resume : "");
	out[0] = '\0';
	code = run_capture(argv, out, OUT_MAX, err, sizeof(err), FLEET_MS);
	print_message("    make fleet%s: exit %d in %.0f s\n", resume ? " (resume)" : "", code,
		      now_s() - t0);
	/* bpfcost-fleet's per-host summary, last of what it prints. */
	p = strstr(out, "(tree ");
	while (p && p > out && p[-1] != '\n')
		p--;
	if (p)
		print_message("%s\n", test_excerpt(p));
	return code;
}

/* The fleet folder the run printed ("bpfcost-fleet: <dir>: 3 hosts, ..."). */
static void find_fleet_dir(void)
{
	const char *p = strstr(out, "bpfcost-fleet: "), *end;

	if (!p)
		fail_msg("no 'bpfcost-fleet: <folder>' line in:\n%s", test_excerpt(out));
	p += strlen("bpfcost-fleet: ");
	end = strstr(p, ": 3 hosts");
	if (!end || (size_t)(end - p) >= sizeof(fleet_dir))
		fail_msg("no '<folder>: 3 hosts' line in:\n%s", test_excerpt(out));
	memcpy(fleet_dir, p, (size_t)(end - p));
	fleet_dir[end - p] = '\0';
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, OUT_MAX);

	if (!f || !buf)
		fail_msg("cannot read %s", path);
	fread(buf, 1, OUT_MAX - 1, f);
	fclose(f);
	return buf;
}

static cJSON *sweep_json(void)
{
	char path[PATH_MAX * 2 + 16], *text;
	cJSON *j;

	snprintf(path, sizeof(path), "%s/sweep.json", fleet_dir);
	text = slurp(path);
	j = cJSON_Parse(text);
	if (!j)
		fail_msg("%s is not JSON:\n%s", path, test_excerpt(text));
	free(text);
	return j;
}

/* sweep.json's status of host @i, and its error into @why. */
static const char *status_of(const cJSON *j, int i, char *why, size_t len)
{
	const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), i);
	const cJSON *st = cJSON_GetObjectItem(r, "status"), *e = cJSON_GetObjectItem(r, "error");
	const cJSON *host = cJSON_GetObjectItem(r, "host");

	if (!cJSON_IsString(host) || strcmp(host->valuestring, hosts.host[i].name))
		fail_msg("run %d: host %s, expected %s", i,
			 cJSON_IsString(host) ? host->valuestring : "?", hosts.host[i].name);
	snprintf(why, len, "%s", cJSON_IsString(e) ? e->valuestring : "");
	return cJSON_IsString(st) ? st->valuestring : "?";
}

static void assert_regular(const char *dir, const char *name)
{
	char path[PATH_MAX * 3];
	const char *kind;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	kind = test_file_kind(path);
	if (strcmp(kind, "a regular file"))
		fail_msg("%s is %s (expected a regular file)", path, kind);
}

/* The statuses the fleet must end with: hosts 0 and 1 done, the unreachable one failed. */
static void assert_statuses(void)
{
	cJSON *j = sweep_json();
	const cJSON *kind = cJSON_GetObjectItem(j, "kind");
	char why[1024];
	int i;

	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "fleet"))
		fail_msg("sweep.json kind is not \"fleet\"");
	for (i = 0; i < 3; i++) {
		const char *st = status_of(j, i, why, sizeof(why));
		const char *want = i == UNREACHABLE ? "failed" : "done";

		if (strcmp(st, want))
			fail_msg("%s: status %s (%s), expected %s; output:\n%s", hosts.host[i].name,
				 st, why, want, test_excerpt(out));
	}
	status_of(j, UNREACHABLE, why, sizeof(why));
	assert_contains(why, "unreachable");
	/* The fleet's own fields on each run: where its folder is on the host, what tree ran. */
	for (i = 0; i < 3; i++) {
		const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), i);
		const cJSON *remote = cJSON_GetObjectItem(r, "remote_folder");
		const cJSON *commit = cJSON_GetObjectItem(r, "commit");

		if (!cJSON_IsString(remote) || strncmp(remote->valuestring, hosts.host[i].workdir,
						       strlen(hosts.host[i].workdir)))
			fail_msg("%s: remote_folder %s, expected one under %s", hosts.host[i].name,
				 cJSON_IsString(remote) ? remote->valuestring : "(none)",
				 hosts.host[i].workdir);
		if (!cJSON_IsString(commit) ||
		    strspn(commit->valuestring, "0123456789abcdef") != 40)
			fail_msg("%s: commit %s, expected 40 hex digits (and -dirty)",
				 hosts.host[i].name,
				 cJSON_IsString(commit) ? commit->valuestring : "(none)");
	}
	cJSON_Delete(j);
}

static void test_fleet_run(void **state)
{
	char dir[PATH_MAX * 3], *cmp;
	int code, i;

	(void)state;
	code = make_fleet(NULL, NULL);
	find_fleet_dir();
	/* bpfcost-fleet exits 1 (a host failed); make says so as "Error 1" and exits 2. */
	if (code != 2 || !strstr(out, "Error 1"))
		fail_msg("make fleet: exit %d, expected 2 with bpfcost-fleet's 'Error 1':\n%s",
			 code, test_excerpt(out));
	assert_statuses();
	for (i = 0; i < 2; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", fleet_dir, hosts.host[i].name);
		assert_regular(dir, "manifest.json");
		assert_regular(dir, "samples.jsonl");
	}
	snprintf(dir, sizeof(dir), "%s/%s", fleet_dir, hosts.host[UNREACHABLE].name);
	if (strcmp(test_file_kind(dir), "nothing"))
		fail_msg("%s is %s: an unreachable host brings nothing back", dir,
			 test_file_kind(dir));
	snprintf(dir, sizeof(dir), "%s/compare.txt", fleet_dir);
	cmp = slurp(dir);
	for (i = 0; i < 3; i++)
		assert_contains(cmp, hosts.host[i].name);
	/* The failed host is listed with its reason (sweep.json's, ssh's words). */
	snprintf(dir, sizeof(dir), "%s: failed: unreachable: ", hosts.host[UNREACHABLE].name);
	assert_contains(cmp, dir);
	print_message("%s\n", test_excerpt(cmp));
	free(cmp);
}

static void mtime_of(const char *host, struct timespec *t)
{
	char path[PATH_MAX * 3];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s/manifest.json", fleet_dir, host);
	if (stat(path, &st))
		fail_msg("%s: missing", path);
	*t = st.st_mtim;
}

static void test_fleet_resume_skips_done_hosts(void **state)
{
	struct timespec before[2], after[2];
	char seen[64];
	int code, i;

	(void)state;
	for (i = 0; i < 2; i++)
		mtime_of(hosts.host[i].name, &before[i]);
	code = make_fleet(fleet_dir, NULL);
	if (code != 2 || !strstr(out, "Error 1"))
		fail_msg("make fleet RESUME: exit %d, expected 2 with 'Error 1':\n%s", code,
			 test_excerpt(out));
	assert_statuses();
	for (i = 0; i < 2; i++) {
		mtime_of(hosts.host[i].name, &after[i]);
		if (before[i].tv_sec != after[i].tv_sec || before[i].tv_nsec != after[i].tv_nsec)
			fail_msg("%s's results changed on resume (it was done)",
				 hosts.host[i].name);
		/* Ansible never contacted it: no task result names it. */
		snprintf(seen, sizeof(seen), "[%s]", hosts.host[i].name);
		assert_not_contains(out, seen);
	}
}

/* sweep.json with host @i pending again: the next RESUME runs it (and only it) once more. */
static void set_pending(int i)
{
	char path[PATH_MAX * 2 + 16], *text;
	cJSON *j = sweep_json(), *r;
	FILE *f;

	r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), i);
	cJSON_ReplaceItemInObject(r, "status", cJSON_CreateString("pending"));
	text = cJSON_Print(j);
	snprintf(path, sizeof(path), "%s/sweep.json", fleet_dir);
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
	free(text);
	cJSON_Delete(j);
}

static void test_fleet_brings_back_only_regular_files(void **state)
{
	char remote[PATH_MAX * 3], local[PATH_MAX * 3], path[PATH_MAX * 4];
	const char *base = strrchr(fleet_dir, '/') + 1, *kind;
	static const char *const planted[] = { "link-to-passwd", "fifo", "linkdir" };
	size_t k;

	(void)state;
	/* The hosts share this filesystem: host 0's results folder is here. */
	snprintf(remote, sizeof(remote), "%s/results/%s", hosts.host[0].workdir, base);
	snprintf(path, sizeof(path), "%s/link-to-passwd", remote);
	if (symlink("/etc/passwd", path))
		fail_msg("cannot plant %s", path);
	snprintf(path, sizeof(path), "%s/fifo", remote);
	if (mkfifo(path, 0600))
		fail_msg("cannot plant %s", path);
	snprintf(path, sizeof(path), "%s/linkdir", remote);
	if (symlink("/etc", path))
		fail_msg("cannot plant %s", path);
	set_pending(0);
	make_fleet(fleet_dir, NULL);
	assert_statuses();
	snprintf(local, sizeof(local), "%s/%s", fleet_dir, hosts.host[0].name);
	assert_regular(local, "manifest.json");
	for (k = 0; k < sizeof(planted) / sizeof(planted[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", local, planted[k]);
		kind = test_file_kind(path);
		if (strcmp(kind, "nothing"))
			fail_msg("%s came back as %s (expected nothing)", path, kind);
	}
}

/* Is a `make -C <host @i's workdir> experiment` running (its async job)? /proc says. */
static bool host_job_running(int i)
{
	char pattern[PATH_MAX + 32], path[300], cmd[PATH_MAX * 2];
	struct dirent *d;
	bool found = false;
	DIR *proc = opendir("/proc");
	size_t n, k;
	FILE *f;

	snprintf(pattern, sizeof(pattern), "make -C %s experiment", hosts.host[i].workdir);
	while (proc && !found && (d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(cmd, 1, sizeof(cmd) - 1, f);
		fclose(f);
		for (k = 0; k < n; k++)
			cmd[k] = cmd[k] ? cmd[k] : ' ';
		cmd[n] = '\0';
		found = strstr(cmd, pattern) != NULL;
	}
	if (proc)
		closedir(proc);
	return found;
}

/* @path exists within @timeout_s (a condition polled, not a sleep). */
static bool appears(const char *path, double timeout_s)
{
	double end = now_s() + timeout_s;

	while (access(path, F_OK)) {
		if (now_s() > end)
			return false;
		usleep(100 * 1000);
	}
	return true;
}

/*
 * Ctrl-C (SIGINT to make's whole process group, as a terminal sends it) once
 * lab1's run has begun: bpfcost-fleet says it was interrupted and leaves the
 * hosts pending; lab1's run goes on under Ansible's async wrapper; once it
 * has ended, RESUME finishes the fleet (lab1 continuing its own folder).
 */
static void test_fleet_ctrl_c_leaves_hosts_resumable(void **state)
{
	char root[PATH_MAX + 16], inv[PATH_MAX + 48], mat[PATH_MAX + 48], res[PATH_MAX + 48];
	char line[PATH_MAX * 2], manifest[PATH_MAX * 4], why[1024];
	char *argv[] = { "/bin/sh",
			 "-c",
			 "exec setsid \"$@\" >/dev/null",
			 "sh",
			 "make",
			 "-s",
			 "-C",
			 root,
			 "fleet",
			 inv,
			 "FORKS=1",
			 "FLEET_POLL=2",
			 "WORKLOAD=trigger",
			 "N=2",
			 "DURATION=1",
			 mat,
			 res,
			 NULL };
	const char *p, *st;
	struct child c;
	double end;
	cJSON *j;
	int i;

	(void)state;
	snprintf(root, sizeof(root), "%s", test_root_path("."));
	snprintf(inv, sizeof(inv), "INVENTORY=%s", inventory);
	snprintf(mat, sizeof(mat), "MATRIX=%s", matrix);
	snprintf(res, sizeof(res), "FLEET_RESULTS=%s", results);
	if (child_start(&c, argv))
		fail_msg("cannot start make fleet");
	if (child_wait_line(&c, "bpfcost-fleet: ", line, sizeof(line), 120000))
		fail_msg("make fleet printed no 'bpfcost-fleet:' line (%s): %s", child_how(&c),
			 c.last_err);
	p = strstr(line, ": 3 hosts");
	if (!p)
		fail_msg("'%s': expected '<folder>: 3 hosts'", line);
	snprintf(fleet_dir, sizeof(fleet_dir), "%.*s", (int)(p - line - 15), line + 15);
	snprintf(manifest, sizeof(manifest), "%s/results/%s/manifest.json", hosts.host[0].workdir,
		 strrchr(fleet_dir, '/') + 1);
	if (!appears(manifest, 180))
		fail_msg("%s did not appear: lab1's run never began", manifest);
	kill(-c.pid, SIGINT);
	if (child_wait_line(&c, "bpfcost-fleet: interrupted", line, sizeof(line), 60000))
		fail_msg("no 'bpfcost-fleet: interrupted' after SIGINT (%s): %s", child_how(&c),
			 c.last_err);
	child_wait(&c, 60000);
	j = sweep_json();
	for (i = 0; i < 3; i++) {
		st = status_of(j, i, why, sizeof(why));
		if (strcmp(st, "pending"))
			fail_msg("%s: %s after Ctrl-C (%s), expected pending", hosts.host[i].name,
				 st, why);
	}
	cJSON_Delete(j);
	/* lab1's run is its own: wait until it has ended, then resume the fleet. */
	end = now_s() + 240;
	while (host_job_running(0)) {
		if (now_s() > end)
			fail_msg("lab1's make experiment still runs 240 s after Ctrl-C");
		usleep(500 * 1000);
	}
	if (make_fleet(fleet_dir, "CLEAN=1") != 2 || !strstr(out, "Error 1"))
		fail_msg("make fleet RESUME after Ctrl-C: expected exit 2 with 'Error 1':\n%s",
			 test_excerpt(out));
	assert_statuses();
	/* CLEAN=1: each host's working copy is gone once its results are back. */
	for (i = 0; i < 2; i++)
		if (strcmp(test_file_kind(hosts.host[i].workdir), "nothing"))
			fail_msg("CLEAN=1 left %s (%s)", hosts.host[i].workdir,
				 test_file_kind(hosts.host[i].workdir));
}

static void test_nothing_left(void **state)
{
	char what[2048];

	(void)state;
	fleet_hosts_down(&hosts);
	if (fleet_hosts_leftovers(&hosts, what, sizeof(what)))
		fail_msg("after the fleet tests, left: %s (expected nothing)", what);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fleet_run),
		cmocka_unit_test(test_fleet_resume_skips_done_hosts),
		cmocka_unit_test(test_fleet_brings_back_only_regular_files),
		cmocka_unit_test(test_fleet_ctrl_c_leaves_hosts_resumable),
		cmocka_unit_test(test_nothing_left),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
