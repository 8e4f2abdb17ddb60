// SPDX-License-Identifier: GPL-2.0
/*
 * The working tree as it is, packed once for every host: the files git
 * tracks (as they are now, edits included) and untracked probes under
 * progs/, never .git or build output. The commit is recorded, "-dirty" when
 * what was packed differs from it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/read_eof.h"
#include "loader/spawn.h"
#include "fleet.h"
#include "results.h"

#define LIST_MAX (16 << 20)

/* @argv's stdout into @out (NUL-terminated); 0, or -1 with @err. */
static int capture(char *const argv[], struct read_buf *out, char *err, size_t errlen)
{
	struct spawn_opts o;
	char why[128];
	int status = 0;

	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_INHERIT;
	out->len = 0;
	if (spawn_capture(argv, &o, 120, NULL, out, &status) || status || out->truncated) {
		snprintf(err, errlen, "%s %s failed (%s)", argv[0], argv[3],
			 out->truncated ? "too long" : spawn_status_str(status, why, sizeof(why)));
		return -1;
	}
	return 0;
}

/* Append the NUL-separated names in @b that still exist (a deleted tracked file is not sent). */
static size_t keep_present(int rfd, const struct read_buf *b, int out)
{
	const char *p = b->buf, *end = b->buf + b->len;
	size_t n = 0;
	struct stat st;

	for (; p < end; p += strlen(p) + 1) {
		if (!*p || fstatat(rfd, p, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (write(out, p, strlen(p) + 1) < 0)
			return 0;
		n++;
	}
	return n;
}

static int write_list(struct fleet *f, int list, char *err, size_t errlen)
{
	char *tracked[] = { "git", "-C", f->root, "ls-files", "-z", NULL };
	char *probes[] = {
		"git", "-C",	 f->root, "ls-files", "-z", "--others", "--exclude-standard",
		"--",  "progs/", NULL
	};
	struct read_buf b = { .buf = malloc(LIST_MAX), .cap = LIST_MAX };
	int rfd = open(f->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = -1;
	size_t n;

	if (!b.buf || rfd < 0 || capture(tracked, &b, err, errlen))
		goto out;
	n = keep_present(rfd, &b, list);
	if (capture(probes, &b, err, errlen))
		goto out;
	/* Untracked probes make the tree differ from its commit. */
	if (b.len && !strstr(f->commit, "-dirty"))
		strncat(f->commit, "-dirty", sizeof(f->commit) - strlen(f->commit) - 1);
	n += keep_present(rfd, &b, list);
	ret = n ? 0 : -1;
	if (!n)
		snprintf(err, errlen, "%s: git lists no files", f->root);
out:
	if (rfd >= 0)
		close(rfd);
	free(b.buf);
	return ret;
}

static int commit_of(struct fleet *f, char *err, size_t errlen)
{
	char *head[] = { "git", "-C", f->root, "rev-parse", "HEAD", NULL };
	char *diff[] = { "git", "-C", f->root, "diff", "--quiet", "HEAD", "--", NULL };
	char buf[128];
	struct read_buf b = { .buf = buf, .cap = sizeof(buf) };
	struct spawn_opts o;
	int status = 0;

	if (capture(head, &b, err, errlen))
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	spawn_opts_init(&o);
	if (spawn_run(diff, &o, 120, NULL, &status) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) > 1) {
		snprintf(err, errlen, "git diff --quiet HEAD in %s failed", f->root);
		return -1;
	}
	snprintf(f->commit, sizeof(f->commit), "%.40s%s", buf, WEXITSTATUS(status) ? "-dirty" : "");
	return 0;
}

int fleet_pack(struct fleet *f, char *err, size_t errlen)
{
	char meta[PATH_MAX + 16], list_path[PATH_MAX + 32], tree[PATH_MAX + 32], why[256];
	char *tar[] = { "tar", "-C",	  f->root, "--null", "--no-recursion",
			"-T",  list_path, "-czf",  tree,     NULL };
	struct spawn_opts o;
	int dfd, list, ret;

	snprintf(meta, sizeof(meta), "%s/.fleet", f->s.dir);
	snprintf(list_path, sizeof(list_path), "%s/files.list", meta);
	snprintf(tree, sizeof(tree), "%s/tree.tar.gz", meta);
	if (commit_of(f, err, errlen))
		return -1;
	dfd = results_open_dir(meta, err, errlen);
	if (dfd < 0)
		return -1;
	list = results_openat(dfd, meta, "files.list", O_WRONLY | O_CREAT | O_TRUNC, err, errlen);
	close(dfd);
	if (list < 0)
		return -1;
	ret = write_list(f, list, err, errlen);
	close(list);
	if (ret)
		return -1;
	spawn_opts_init(&o);
	o.stderr_fd = SPAWN_INHERIT;
	if (spawn_run_ok(tar, &o, 600, NULL, why, sizeof(why))) {
		snprintf(err, errlen, "packing the tree into %s: tar %s", tree, why);
		return -1;
	}
	return 0;
}
