/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A copy of the checkout for tests that extend the tree (a new probe, workload
 * or target setting): a killed test must leave nothing that joins the
 * checkout's build. One copy per process.
 */
#ifndef BPFCOST_TREE_COPY_H
#define BPFCOST_TREE_COPY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copy the checkout's files as they are in the work tree (git's tracked and
 * untracked-not-ignored files, edits included) into @dir/tree, committed to a
 * git repository of its own so tree_copy_changes() can tell what a test
 * edited, and the build output folder beside them, timestamps kept, so make
 * rebuilds only what the test changes. Without its tests/; the guest (its
 * downloaded kernel package included) only if @with_guest. @dir gets the
 * temporary folder (/tmp/bpfcost-test-<why>-XXXXXX), where the test may put
 * its own files too. SIGINT and SIGTERM remove it. 0, or -1 with a message printed.
 */
int tree_copy(const char *why, bool with_guest, char *dir, size_t len);
/* The copy's build output folder's name ("build", or BPFCOST_OUT's last part). */
const char *tree_copy_out(void);
/* `git status --porcelain` of the copy: what was added, edited or removed. 0 or -1. */
int tree_copy_changes(char *buf, size_t len);
/* Removes the copy (NULL-safe to call twice); SIGINT and SIGTERM as they were. */
void tree_copy_remove(void);

#endif /* BPFCOST_TREE_COPY_H */
