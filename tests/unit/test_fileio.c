/*
 * util/fileio: file_out_open() and file_out_commit() on every kind of target
 * (issue 18 item 4): standard output by name, character devices and FIFOs
 * written through, symbolic links refused and left alone (also one planted
 * between open and commit), regular files replaced atomically and 0600,
 * and write errors reported (EX_IOERR) with the file's name.  The system's
 * /dev/null and /dev/stdout are only opened: each test checks that nothing
 * would be renamed over them before it writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/xmalloc.h"

struct dir {
	char path[64];
};

static int
setup(void **state)
{
	struct dir *d = xcalloc(1, sizeof *d);
	const char *tmp = getenv("TMPDIR");

	snprintf(d->path, sizeof d->path, "%s/fileio.XXXXXX",
	    tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(d->path) == NULL)
		return -1;
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	struct dir *d = *state;
	char *cmd = xasprintf("rm -rf '%s'", d->path);
	int rc = system(cmd);

	free(cmd);
	free(d);
	return rc == 0 ? 0 : -1;
}

static char *
in(void **state, const char *name)
{
	struct dir *d = *state;

	return xasprintf("%s/%s", d->path, name);
}

/* The names in the test directory, sorted, space-separated. */
static char *
listing(void **state)
{
	struct dir *d = *state;
	char *cmd = xasprintf("ls -A '%s' | tr '\\n' ' '", d->path);
	char buf[1024] = "";
	FILE *p = popen(cmd, "r");
	size_t n;

	assert_non_null(p);
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	pclose(p);
	free(cmd);
	return xstrdup(buf);
}

static char *
slurp(const char *path)
{
	char buf[4096];
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return xstrdup(buf);
}

static void
test_stdout_names(void **state)
{
	static const char *const names[] = {
		"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1",
	};
	struct error err = ERROR_INIT;
	struct file_out fo;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_int_equal(file_out_open(&fo, names[i], &err), 0);
		assert_ptr_equal(fo.fp, stdout);
		assert_null(fo.tmp);
		file_out_abort(&fo);
	}
}

static void
test_null_device(void **state)
{
	struct error err = ERROR_INIT;
	struct file_out fo;
	struct stat st;

	(void)state;
	assert_int_equal(file_out_open(&fo, "/dev/null", &err), 0);
	/* written through, never a temporary file renamed over it */
	assert_true(fo.direct);
	assert_null(fo.tmp);
	fputs("nothing\n", fo.fp);
	assert_int_equal(file_out_commit(&fo, &err), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void
test_full_device(void **state)
{
	struct error err = ERROR_INIT;
	struct file_out fo;
	char big[8192];

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(file_out_open(&fo, "/dev/full", &err), 0);
	assert_true(fo.direct);
	memset(big, 'x', sizeof big);
	fwrite(big, 1, sizeof big, fo.fp);
	assert_int_equal(file_out_commit(&fo, &err), -1);
	assert_int_equal(err.code, EX_IOERR);
	assert_non_null(strstr(err.msg, "/dev/full"));
	error_clear(&err);
}

static void
test_fifo(void **state)
{
	struct error err = ERROR_INIT;
	struct file_out fo;
	char *fifo = in(state, "fifo"), buf[64];
	struct stat st;
	ssize_t n;
	int rfd;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* a reader first, so that opening for writing does not block */
	rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	assert_int_equal(file_out_open(&fo, fifo, &err), 0);
	assert_true(fo.direct);
	fputs("through the pipe\n", fo.fp);
	assert_int_equal(file_out_commit(&fo, &err), 0);
	n = read(rfd, buf, sizeof buf - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "through the pipe\n");
	close(rfd);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	free(fifo);
}

static void
test_symlinks_refused(void **state)
{
	struct error err = ERROR_INIT;
	struct file_out fo;
	char *target = in(state, "target"), *link = in(state, "link");
	char *dangling = in(state, "dangling"), *nowhere = in(state, "nowhere");
	char *got, *ls;
	FILE *fp;

	fp = fopen(target, "w");
	assert_non_null(fp);
	fputs("theirs\n", fp);
	fclose(fp);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(symlink(nowhere, dangling), 0);

	assert_int_equal(file_out_open(&fo, link, &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	assert_non_null(strstr(err.msg, "symbolic link"));
	error_clear(&err);
	assert_int_equal(file_out_open(&fo, dangling, &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	error_clear(&err);

	got = slurp(target);
	assert_string_equal(got, "theirs\n");
	assert_int_equal(access(nowhere, F_OK), -1);
	ls = listing(state);
	assert_string_equal(ls, "dangling link target ");
	free(ls);
	free(got);
	free(target);
	free(link);
	free(dangling);
	free(nowhere);
}

/* A link planted while the output is written is not replaced either. */
static void
test_symlink_planted_meanwhile(void **state)
{
	struct error err = ERROR_INIT;
	struct file_out fo;
	char *out = in(state, "out.csv"), *target = in(state, "target");
	char *ls;
	struct stat st;

	assert_int_equal(file_out_open(&fo, out, &err), 0);
	assert_false(fo.direct);
	fputs("data\n", fo.fp);
	assert_int_equal(symlink(target, out), 0);
	assert_int_equal(file_out_commit(&fo, &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	error_clear(&err);
	assert_int_equal(lstat(out, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(access(target, F_OK), -1);
	ls = listing(state);
	assert_string_equal(ls, "out.csv ");
	free(ls);
	free(out);
	free(target);
}

static void
test_regular_files(void **state)
{
	struct error err = ERROR_INIT;
	struct file_out fo;
	char *out = in(state, "report.csv"), *got, *ls;
	struct stat st;
	FILE *fp;

	/* new: nothing under the name until the commit */
	assert_int_equal(file_out_open(&fo, out, &err), 0);
	assert_false(fo.direct);
	fputs("one\n", fo.fp);
	assert_int_equal(access(out, F_OK), -1);
	assert_int_equal(file_out_commit(&fo, &err), 0);
	got = slurp(out);
	assert_string_equal(got, "one\n");
	free(got);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* an existing 0644 file: replaced whole, private */
	fp = fopen(out, "w");
	fputs("old contents\n", fp);
	fclose(fp);
	chmod(out, 0644);
	assert_int_equal(file_out_open(&fo, out, &err), 0);
	fputs("two\n", fo.fp);
	got = slurp(out);
	assert_string_equal(got, "old contents\n");
	free(got);
	assert_int_equal(file_out_commit(&fo, &err), 0);
	got = slurp(out);
	assert_string_equal(got, "two\n");
	free(got);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* abort: the old file stays, no temporary file is left */
	assert_int_equal(file_out_open(&fo, out, &err), 0);
	fputs("three\n", fo.fp);
	file_out_abort(&fo);
	got = slurp(out);
	assert_string_equal(got, "two\n");
	free(got);
	ls = listing(state);
	assert_string_equal(ls, "report.csv ");
	free(ls);
	free(out);
}

static void
test_directory_refused(void **state)
{
	struct error err = ERROR_INIT;
	struct file_out fo;
	struct dir *d = *state;

	assert_int_equal(file_out_open(&fo, d->path, &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdout_names),
		cmocka_unit_test(test_null_device),
		cmocka_unit_test(test_full_device),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_symlink_planted_meanwhile,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_regular_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_directory_refused, setup,
		    teardown),
	};

	umask(077);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
