// SPDX-License-Identifier: GPL-2.0
/*
 * A results folder someone else made can only be read. bpfcost-report runs as a
 * child with a time limit (a hang fails the test instead of eating CI), on copies
 * of the basic fixture that were made hostile: a folder name that is gnuplot
 * syntax, every output name planted as a symlink to a file outside or as a FIFO,
 * samples.jsonl and manifest.json as a FIFO, a symlink or over the size cap. Also:
 * a read error while loading is an error, and a record repeated verbatim counts once.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/files.h"
#include "analysis/records.h"
#include "testlib.h"

#define REPORT_TIMEOUT_MS 60000

static char base[] = "/tmp/bpfcost-test-hostile-XXXXXX";
static char out[1 << 16], err[1 << 16];

/* The whole of a file of ours, or NULL. */
static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

/* <base>/<name>: the basic fixture's samples.jsonl and manifest.json. */
static const char *fixture_copy(const char *name)
{
	static char dir[PATH_MAX];
	char path[PATH_MAX + 32];
	char *samples = slurp(test_root_path("tests/fixtures/analysis/basic/samples.jsonl"));
	char *manifest = slurp(test_root_path("tests/fixtures/analysis/basic/manifest.json"));

	assert_sys_ok(samples, "tests/fixtures/analysis/basic/samples.jsonl");
	assert_sys_ok(manifest, "tests/fixtures/analysis/basic/manifest.json");
	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	if (mkdir(dir, 0755))
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	put(path, samples);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	put(path, manifest);
	free(samples);
	free(manifest);
	return dir;
}

/* bpfcost-report -q [@opt] @dir as a child: its exit code, or -9 if it had to be killed. */
static int report(const char *dir, const char *opt)
{
	char *argv[] = { (char *)test_out_path("bin/bpfcost-report"), "-q", (char *)dir,
			 (char *)opt, NULL };
	int rc = run_capture(argv, out, sizeof(out), err, sizeof(err), REPORT_TIMEOUT_MS);

	if (rc == -9)
		fail_msg("bpfcost-report on %s did not finish in %d s (it hung)", dir,
			 REPORT_TIMEOUT_MS / 1000);
	return rc;
}

static void expect_png(const char *dir, const char *name)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char head[8] = { 0 };
	char path[PATH_MAX + 64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) || !S_ISREG(st.st_mode))
		fail_msg("%s: expected a regular file, found %s", path, test_file_kind(path));
	fd = open(path, O_RDONLY);
	assert_sys_ok(fd >= 0, path);
	assert_int_equal(read(fd, head, sizeof(head)), sizeof(head));
	close(fd);
	if (memcmp(head, png, sizeof(png)))
		fail_msg("%s starts %02x %02x %02x %02x, expected a PNG file (89 50 4e 47)", path,
			 head[0], head[1], head[2], head[3]);
}

/* /tmp/bpfcost-plot.* now: every private folder must be gone after a report. */
static int private_folders(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	int n = 0;

	assert_sys_ok(d, "/tmp");
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, "bpfcost-plot.", 13);
	closedir(d);
	return n;
}

/*
 * The folder's name reached gnuplot inside a quoted path: a line break ended the
 * string and the next line ran; '|' or '<' first made gnuplot open a pipe. HOME is
 * <base>, so a "cd; touch PWNED" that ran leaves <base>/PWNED.
 */
static void test_folder_name_runs_nothing(void **state)
{
	static const char *const names[] = {
		"r\nsystem(\"cd; touch PWNED\")\n#",
		"|cd; touch PWNED",
		"<cd; touch PWNED",
		"r'\n!cd; touch PWNED\n'",
		"r`cd; touch PWNED`",
		"r\"\nsystem(\"cd; touch PWNED\")\n\"",
	};
	char pwned[PATH_MAX + 16], cwd[PATH_MAX];
	int before = private_folders(), rc;

	(void)state;
	snprintf(pwned, sizeof(pwned), "%s/PWNED", base);
	assert_sys_ok(getcwd(cwd, sizeof(cwd)), "the working directory");
	/* Relative names, as a user would type them: "|..." is what gnuplot sees first. */
	assert_int_equal(chdir(base), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fixture_copy(names[i]);
		rc = report(names[i], NULL);
		if (!access(pwned, F_OK))
			fail_msg("folder name #%zu ran a command: %s exists, expected nothing", i,
				 pwned);
		if (rc != 0)
			fail_msg("report on folder #%zu: exit %d, expected 0; stderr: %s", i, rc,
				 err);
		expect_png(names[i], "bitrate.png");
		expect_png(names[i], "samples.png");
	}
	assert_int_equal(chdir(cwd), 0);
	if (private_folders() > before)
		fail_msg("%d private gnuplot folders left in /tmp, expected %d", private_folders(),
			 before);
}

/* gnuplot reads a tic label as a format: a '%' in an attach or mechanism name stays text. */
static void test_percent_in_names_still_plots(void **state)
{
	static const char text[] =
		"{\"config\":\"baseline\",\"block\":0,\"rx_bps\":1e7}\n"
		"{\"config\":\"baseline\",\"block\":1,\"rx_bps\":1.1e7}\n"
		"{\"config\":\"x-y\",\"attach\":\"a %s %n\",\"probe\":\"p%d\",\"block\":0,"
		"\"rx_bps\":1e7,\"mechanism\":\"m %s\"}\n"
		"{\"config\":\"x-y\",\"attach\":\"a %s %n\",\"probe\":\"p%d\",\"block\":1,"
		"\"rx_bps\":1.2e7,\"mechanism\":\"m %s\"}\n";
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/percent", base);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	put(path, text);
	rc = report(dir, NULL);
	if (rc != 0)
		fail_msg("exit %d, expected 0; stderr: %s", rc, err);
	expect_png(dir, "bitrate.png");
	expect_png(dir, "samples.png");
}

/* gnuplot failing (a broken script) still leaves no private folder behind. */
static void test_private_folder_removed_on_failure(void **state)
{
	const char *dir = fixture_copy("broken-script");
	char scripts[PATH_MAX], path[PATH_MAX + 32];
	int before = private_folders(), rc, after;

	(void)state;
	snprintf(scripts, sizeof(scripts), "%s/scripts", base);
	assert_int_equal(mkdir(scripts, 0755), 0);
	snprintf(path, sizeof(path), "%s/impact.gp", scripts);
	put(path, "this is not gnuplot\n");
	snprintf(path, sizeof(path), "%s/samples.gp", scripts);
	put(path, "this is not gnuplot\n");
	setenv("BPFCOST_ANALYSIS_DIR", scripts, 1);
	rc = report(dir, NULL);
	unsetenv("BPFCOST_ANALYSIS_DIR");
	after = private_folders();
	if (rc != 1 || !strstr(err, "gnuplot"))
		fail_msg("exit %d, expected 1 with gnuplot's failure on stderr; stderr: %s", rc,
			 err);
	if (after > before)
		fail_msg("%d private gnuplot folders in /tmp after a failed plot, expected %d",
			 after, before);
}

/*
 * SIGTERM while gnuplot draws 80,000 samples: the report stops gnuplot, removes
 * its private folder, then dies of the signal.
 */
static void test_private_folder_removed_on_signal(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	char *argv[] = { (char *)test_out_path("bin/bpfcost-report"), "-q", dir, NULL };
	int before = private_folders(), rc, seen = 0;
	struct child c;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/big", base);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	f = fopen(path, "w");
	assert_sys_ok(f, path);
	for (int i = 0; i < 80000; i++)
		fprintf(f, "{\"config\":\"%s\",\"block\":%d,\"rx_bps\":%d}\n",
			i % 2 ? "tp-null" : "baseline", i / 2, 10000000 + i % 1000);
	fclose(f);
	assert_int_equal(child_start(&c, argv), 0);
	/* Wait for the private folder to exist (the plotting has begun), then signal. */
	for (int ms = 0; ms < 60000 && !seen && !child_exited(&c); ms += 5) {
		seen = private_folders() > before;
		if (!seen)
			poll(NULL, 0, 5);
	}
	if (!seen) {
		child_wait(&c, 1000);
		fail_msg("no private folder appeared while the report ran (%s)", child_how(&c));
	}
	kill(c.pid, SIGTERM);
	rc = child_wait(&c, 60000);
	if (rc != -SIGTERM)
		fail_msg("the report ended with %d, expected to die of SIGTERM (-%d)", rc, SIGTERM);
	if (private_folders() > before)
		fail_msg("%d private gnuplot folders in /tmp after SIGTERM, expected %d",
			 private_folders(), before);
}

/* Every name the report writes, relative to the output folder. */
static const char *const outputs[] = {
	"table.txt",
	"table.md",
	"table.tex",
	"summary.csv",
	"bitrate.png",
	"bitrate.svg",
	"bitrate.pdf",
	"samples.png",
	"samples.svg",
	"samples.pdf",
	"table.txt.tmp",
	"summary.csv.tmp",
	"plot/impact.dat",
	"plot/impact.vars.gp",
	"plot/impact.labels",
	"plot/impact.series",
	"plot/impact.groups",
	"plot/samples.dat",
	"plot/samples.vars.gp",
	"plot/samples.labels",
};

static void expect_victim_unchanged(const char *victim)
{
	char *t = slurp(victim);

	if (!t || strcmp(t, "untouched\n"))
		fail_msg("%s was written through a planted link: now \"%.60s\", expected "
			 "\"untouched\\n\"",
			 victim, t ? t : "(gone)");
	free(t);
}

/* A planted link is replaced, never followed: the file outside stays as it was. */
static void test_planted_links_not_written_through(void **state)
{
	const char *dir = fixture_copy("links");
	char victim[PATH_MAX], path[PATH_MAX + 64];
	struct stat st;
	int rc;

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", base);
	put(victim, "untouched\n");
	snprintf(path, sizeof(path), "%s/plot", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i]);
		assert_int_equal(symlink(victim, path), 0);
	}
	rc = report(dir, NULL);
	expect_victim_unchanged(victim);
	if (rc != 0)
		fail_msg("exit %d, expected 0; stderr: %s", rc, err);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i]);
		if (strstr(outputs[i], ".tmp"))
			continue; /* not ours: left as it is */
		if (lstat(path, &st) || !S_ISREG(st.st_mode))
			fail_msg("%s: %s, expected the report's regular file in place of the link",
				 outputs[i], test_file_kind(path));
	}
}

/* plot/ itself a link to a folder outside: refused (exit 1), nothing written there. */
static void test_planted_plot_folder_link(void **state)
{
	const char *dir = fixture_copy("plotlink");
	char outside[PATH_MAX], path[PATH_MAX + 64];
	int rc, entries = 0;
	char *argv[] = { "ls", "-A", outside, NULL };

	(void)state;
	snprintf(outside, sizeof(outside), "%s/outside", base);
	assert_int_equal(mkdir(outside, 0755), 0);
	snprintf(path, sizeof(path), "%s/plot", dir);
	assert_int_equal(symlink(outside, path), 0);
	rc = report(dir, NULL);
	if (rc != 1 || !strstr(err, "plot/"))
		fail_msg("exit %d, expected 1 with a message about plot/; stderr: %s", rc, err);
	assert_int_equal(run_capture(argv, out, sizeof(out), err, sizeof(err), 30000), 0);
	for (char *p = out; (p = strchr(p, '\n')); p++)
		entries++;
	if (entries)
		fail_msg("%d files written through plot/ into %s, expected none:\n%s", entries,
			 outside, out);
	snprintf(path, sizeof(path), "%s/table.txt", dir);
	if (access(path, R_OK))
		fail_msg("%s: %s, expected table.txt written beside the refused plot/", path,
			 strerror(errno));
}

/* A FIFO at any output name: nothing blocks on it, and the report's file replaces it. */
static void test_planted_fifos_do_not_hang(void **state)
{
	const char *dir = fixture_copy("fifos");
	char path[PATH_MAX + 64];
	struct stat st;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/plot", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i]);
		assert_int_equal(mkfifo(path, 0644), 0);
	}
	rc = report(dir, NULL);
	if (rc != 0)
		fail_msg("exit %d, expected 0; stderr: %s", rc, err);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i]);
		if (strstr(outputs[i], ".tmp"))
			continue;
		if (lstat(path, &st) || !S_ISREG(st.st_mode))
			fail_msg("%s: %s, expected the report's regular file in place of the FIFO",
				 outputs[i], test_file_kind(path));
	}
}

/* @name in a fixture copy replaced by a FIFO or a link: exit @rc with @msg on stderr. */
static void expect_input_refused(const char *dir, const char *name, bool fifo, int want,
				 const char *msg)
{
	char path[PATH_MAX + 64], target[PATH_MAX + 64];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(target, sizeof(target), "%s/%s.real", dir, name);
	assert_int_equal(rename(path, target), 0);
	if (fifo)
		assert_int_equal(mkfifo(path, 0644), 0);
	else
		assert_int_equal(symlink(target, path), 0);
	rc = report(dir, "--no-plots");
	if (rc != want || !strstr(err, msg))
		fail_msg("%s as a %s: exit %d, expected %d with \"%s\" on stderr; stderr: %s", name,
			 fifo ? "FIFO" : "symlink", rc, want, msg, err);
}

static void test_inputs_fifo_or_link(void **state)
{
	(void)state;
	expect_input_refused(fixture_copy("in-fifo"), "samples.jsonl", true, 2,
			     "not a regular file");
	expect_input_refused(fixture_copy("in-link"), "samples.jsonl", false, 2, "symbolic link");
	/* The manifest is decoration: said, and the tables made without it. */
	expect_input_refused(fixture_copy("man-fifo"), "manifest.json", true, 0,
			     "manifest.json: not used: not a regular file");
	expect_input_refused(fixture_copy("man-link"), "manifest.json", false, 0,
			     "manifest.json: not used: a symbolic link");
}

/* A samples.jsonl past the cap is refused before a byte is read (sparse: costs nothing). */
static void test_samples_over_cap(void **state)
{
	const char *dir = fixture_copy("huge");
	char path[PATH_MAX + 64];
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	assert_int_equal(truncate(path, (off_t)SAMPLES_MAX + 1), 0);
	rc = report(dir, "--no-plots");
	if (rc != 2 || !strstr(err, "larger than"))
		fail_msg("exit %d, expected 2 with \"larger than\" on stderr; stderr: %s", rc, err);
}

/* The results folder as a link: to a plain name beside it (results/latest) it is used. */
static void test_results_folder_link(void **state)
{
	char link[PATH_MAX], path[PATH_MAX + 64];
	int rc;

	(void)state;
	fixture_copy("dated");
	snprintf(link, sizeof(link), "%s/latest", base);
	assert_int_equal(symlink("dated", link), 0);
	rc = report(link, "--no-plots");
	if (rc != 0)
		fail_msg("results/latest-style link: exit %d, expected 0; stderr: %s", rc, err);
	snprintf(path, sizeof(path), "%s/dated/table.txt", base);
	if (access(path, R_OK))
		fail_msg("%s was not written through the latest link", path);
	/* Anywhere else (an absolute target): not followed. */
	snprintf(link, sizeof(link), "%s/elsewhere", base);
	snprintf(path, sizeof(path), "%s/dated", base);
	assert_int_equal(symlink(path, link), 0);
	rc = report(link, "--no-plots");
	if (rc != 2 || !strstr(err, "symbolic link"))
		fail_msg("link to an absolute path: exit %d, expected 2 with \"symbolic link\"; "
			 "stderr: %s",
			 rc, err);
}

/* A stream that gives two good lines, then fails the way a failed read does. */
static ssize_t failing_read(void *cookie, char *buf, size_t size)
{
	static const char text[] = "{\"config\":\"baseline\",\"block\":0,\"rx_bps\":1e7}\n"
				   "{\"config\":\"baseline\",\"block\":1,\"rx_bps\":1.1e7}\n";
	size_t *pos = cookie, n = sizeof(text) - 1 - *pos;

	if (!n) {
		errno = EIO;
		return -1;
	}
	n = n < size ? n : size;
	memcpy(buf, text + *pos, n);
	*pos += n;
	return n;
}

static void test_read_error_is_an_error(void **state)
{
	cookie_io_functions_t io = { .read = failing_read };
	struct record_set set;
	size_t pos = 0;
	FILE *f = fopencookie(&pos, "r", io);
	int rc;

	(void)state;
	assert_sys_ok(f, "fopencookie");
	rc = records_load_file(f, "samples.jsonl", &set, NULL);
	fclose(f);
	if (rc != -EIO)
		fail_msg("records_load_file after a read error: %d with %zu records, expected "
			 "%d (EIO), not a short file",
			 rc, set.n, -EIO);
	assert_int_equal(set.n, 0);
}

/* Verbatim copies of a record without a block count once; equal values on other lines do not. */
static void test_verbatim_copies_count_once(void **state)
{
	static const char text[] = "{\"config\":\"baseline\",\"rx_bps\":1e7}\n"
				   "{\"config\":\"baseline\",\"rx_bps\":1.1e7}\n"
				   "{\"config\":\"baseline\",\"rx_bps\":1e7}\n"
				   "{\"config\":\"baseline\",\"rx_bps\":1e7}  \n"
				   "{\"config\":\"baseline\",\"rx_bps\":1e7, \"sample\":4}\n"
				   "{\"config\":\"tp-null\",\"error\":\"boom\"}\n"
				   "{\"config\":\"tp-null\",\"error\":\"boom\"}\n";
	struct record_set set;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	(void)state;
	assert_sys_ok(f, "fmemopen");
	assert_int_equal(records_load_file(f, "samples.jsonl", &set, NULL), 0);
	fclose(f);
	/* lines 1, 2, 5, 6 stay; 3 and 4 repeat 1, 7 repeats 6 */
	if (set.n != 4 || set.n_duplicates != 3)
		fail_msg("%zu records, %zu duplicates; expected 4 records, 3 duplicates", set.n,
			 set.n_duplicates);
	assert_int_equal(set.v[2].line, 5);
	assert_int_equal(set.v[3].line, 6);
	records_free(&set);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(base))
		return -1;
	/* gnuplot's "cd" with no folder goes $HOME: a command that ran leaves its mark here. */
	return setenv("HOME", base, 1);
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", base, NULL };

	(void)state;
	if (getenv("BPFCOST_KEEP_TEST_OUTPUT"))
		return 0;
	return run_capture(rm, out, sizeof(out), err, sizeof(err), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folder_name_runs_nothing),
		cmocka_unit_test(test_percent_in_names_still_plots),
		cmocka_unit_test(test_private_folder_removed_on_failure),
		cmocka_unit_test(test_private_folder_removed_on_signal),
		cmocka_unit_test(test_planted_links_not_written_through),
		cmocka_unit_test(test_planted_plot_folder_link),
		cmocka_unit_test(test_planted_fifos_do_not_hang),
		cmocka_unit_test(test_inputs_fifo_or_link),
		cmocka_unit_test(test_samples_over_cap),
		cmocka_unit_test(test_results_folder_link),
		cmocka_unit_test(test_read_error_is_an_error),
		cmocka_unit_test(test_verbatim_copies_count_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
