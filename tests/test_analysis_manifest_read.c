// SPDX-License-Identifier: GPL-2.0
/*
 * manifest_read_at(), the one reader of a results folder's manifest.json:
 * a JSON object is read; a link, a FIFO, an oversized file or JSON that is
 * not an object is refused with its reason, and nothing is followed or blocks.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "testlib.h"
#include <cjson/cJSON.h>

#include "analysis/files.h"
#include "loader/json_get.h"

static char dir[] = "/tmp/bpfcost-test-manifest.XXXXXX";
static int dfd = -1;

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	unlinkat(dfd, "manifest.json", 0);
	unlinkat(dfd, "target.json", 0);
	close(dfd);
	rmdir(dir);
	return 0;
}

static void put(const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_cmp_int(fd, >=, 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void expect(int want, const char *what)
{
	cJSON *man = (cJSON *)1;
	int err = manifest_read_at(dfd, &man);

	if (err != want || (want && man))
		fail_msg("%s: manifest_read_at %d (%s), manifest %p; want %d (%s) and NULL", what,
			 err, err ? infile_strerror(err) : "ok", (void *)man, want,
			 want ? infile_strerror(want) : "ok");
	cJSON_Delete(man);
	unlinkat(dfd, "manifest.json", 0);
}

static void test_object_is_read(void **state)
{
	cJSON *man = NULL;
	const char *target;
	int err;

	(void)state;
	put("manifest.json", "{\"target\":\"host\",\"N\":3}");
	err = manifest_read_at(dfd, &man);
	target = json_str(man, "target");
	if (err || !target || strcmp(target, "host"))
		fail_msg("manifest_read_at %d, target '%s'; want 0 and 'host'", err,
			 target ? target : "(none)");
	cJSON_Delete(man);
	unlinkat(dfd, "manifest.json", 0);
}

static void test_hostile_manifests_are_refused(void **state)
{
	char *big = malloc(MANIFEST_MAX + 2);

	(void)state;
	expect(-ENOENT, "missing");
	put("manifest.json", "[1, 2, 3]");
	expect(-EINVAL, "an array");
	put("manifest.json", "{\"truncated\":");
	expect(-EINVAL, "truncated JSON");
	put("target.json", "{\"target\":\"elsewhere\"}");
	assert_int_equal(symlinkat("target.json", dfd, "manifest.json"), 0);
	expect(-ELOOP, "a symbolic link");
	assert_int_equal(mkfifoat(dfd, "manifest.json", 0600), 0);
	expect(-EBADFD, "a FIFO");
	assert_non_null(big);
	memset(big, ' ', MANIFEST_MAX + 1);
	big[0] = '{';
	big[MANIFEST_MAX] = '}';
	big[MANIFEST_MAX + 1] = '\0';
	put("manifest.json", big);
	free(big);
	expect(-EFBIG, "larger than MANIFEST_MAX");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_is_read),
		cmocka_unit_test(test_hostile_manifests_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
