// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "testlib.h"
#include "tree_copy.h"

#define COPY_TIMEOUT_MS 300000

static char copy_dir[PATH_MAX];
static char out_name[NAME_MAX + 1];
static bool copy_made;
static struct sigaction old_int, old_term;

/* rm -rf, through fork and exec: safe in a signal handler. */
static void remove_dir(void)
{
	char *const argv[] = { "rm", "-rf", copy_dir, NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv("/bin/rm", argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
}

/* Killed by run-tests.sh's timeout or ^C: the copy goes too. */
static void remove_and_die(int sig)
{
	remove_dir();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * $1 checkout, $2 build output, $3 copy folder, $4 output name, $5 what of the
 * output to leave out besides tests/ (tests/ again: nothing). Deleted but not yet committed files
 * are skipped (tar would refuse them). The copy's own repository ignores the output.
 */
static const char copy_script[] =
	"set -e; mkdir \"$3/tree\"; cd \"$1\"; "
	"git ls-files -z -c -o --exclude-standard | xargs -0 sh -c "
	"'for f; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then printf \"%s\\0\" \"$f\"; fi; done' sh "
	"| tar --null -T - -cf - | tar -xf - -C \"$3/tree\"; "
	"mkdir -p \"$3/tree/$4\"; cd \"$2\"; "
	"tar --exclude=./tests \"--exclude=$5\" -cf - . | tar -xf - -C \"$3/tree/$4\"; "
	"cd \"$3/tree\"; git init -q; mkdir -p .git/info; echo \"/$4/\" >>.git/info/exclude; "
	"git add -A; git -c user.name=bpfcost-test -c user.email=test@invalid commit -qm copy";

int tree_copy(const char *why, bool with_guest, char *dir, size_t len)
{
	static char out[1 << 16], err[1 << 16];
	char root[PATH_MAX], build[PATH_MAX], script[sizeof(copy_script)];
	char *argv[] = { "sh",	   "-c",     script,
			 "sh",	   root,     build,
			 copy_dir, out_name, with_guest ? "./tests" : "./guest",
			 NULL };
	struct sigaction sa = { .sa_handler = remove_and_die };
	int code;

	memcpy(script, copy_script, sizeof(script));
	if (!realpath(test_root_path(""), root) || !realpath(test_out_path(""), build)) {
		print_error("checkout %s or build output %s: %s\n", test_root_path(""),
			    test_out_path(""), strerror(errno));
		return -1;
	}
	snprintf(out_name, sizeof(out_name), "%s", basename(build));
	snprintf(copy_dir, sizeof(copy_dir), "/tmp/bpfcost-test-%s-XXXXXX", why);
	if (!mkdtemp(copy_dir)) {
		print_error("mkdtemp %s: %s\n", copy_dir, strerror(errno));
		return -1;
	}
	copy_made = true;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	code = run_capture(argv, out, sizeof(out), err, sizeof(err), COPY_TIMEOUT_MS);
	if (code) {
		print_error("copying %s (git ls-files) and %s into %s: exit %d: %s\n", root, build,
			    copy_dir, code, err);
		tree_copy_remove();
		return -1;
	}
	snprintf(dir, len, "%s", copy_dir);
	print_message("    working in a copy of the tree: %s/tree\n", copy_dir);
	return 0;
}

const char *tree_copy_out(void)
{
	return out_name;
}

int tree_copy_changes(char *buf, size_t len)
{
	static char err[1 << 14];
	char tree[PATH_MAX + 8];
	char *argv[] = {
		"git", "-C", tree, "status", "--porcelain", "--untracked-files=all", NULL
	};

	snprintf(tree, sizeof(tree), "%s/tree", copy_dir);
	if (!copy_made || run_capture(argv, buf, len, err, sizeof(err), 60000)) {
		print_error("git status in %s: %s\n", tree, copy_made ? err : "no copy");
		return -1;
	}
	return 0;
}

void tree_copy_remove(void)
{
	if (!copy_made)
		return;
	remove_dir();
	copy_made = false;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}
