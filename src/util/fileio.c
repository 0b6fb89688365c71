#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"

int
file_read_all(const char *path, size_t max, char **buf, size_t *len,
    struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *fp;
	char chunk[65536];
	size_t n;
	int rc = -1;

	if (strcmp(path, "-") == 0) {
		fp = stdin;
	} else if ((fp = fopen(path, "rb")) == NULL) {
		error_set(err, errno == ENOENT || errno == ENOTDIR ? EX_NOINPUT :
		    EX_IOERR, "%s: %s", path, strerror(errno));
		return -1;
	}
	{
		struct stat st;

		/* fopen opens a directory; say so, as csv_open does (66). */
		if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
			error_set(err, EX_NOINPUT, "%s: %s", path,
			    strerror(EISDIR));
			goto out;
		}
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (sb.len + n > max) {
			error_set(err, EX_DATAERR, "%s: file is larger than %zu bytes",
			    path, max);
			goto out;
		}
		strbuf_add(&sb, chunk, n);
	}
	if (ferror(fp)) {
		error_set(err, EX_IOERR, "%s: %s", path, strerror(errno));
		goto out;
	}
	*buf = strbuf_detach(&sb, len);
	rc = 0;
out:
	strbuf_release(&sb);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

/*
 * The names of descriptors we already have: /dev/stdout is a symbolic link
 * (to /proc/self/fd/1), which file_out_open() would refuse, yet it is what
 * a user means by standard output.  -1 when path is not one of them.
 */
static int
std_fd(const char *path)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/" };
	const char *p = NULL;
	size_t i;
	long n;
	char *end;

	if (strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	for (i = 0; i < sizeof dirs / sizeof dirs[0] && p == NULL; i++)
		if (strncmp(path, dirs[i], strlen(dirs[i])) == 0)
			p = path + strlen(dirs[i]);
	if (p == NULL || *p < '0' || *p > '9')
		return -1;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno != 0 || *end != '\0' || n > 1024)
		return -1;
	return (int)n;
}

/* Write straight into a device, a FIFO or a descriptor we hold. */
static int
out_direct(struct file_out *fo, int fd, const char *path, struct error *err)
{
	if ((fo->fp = fdopen(fd, "wb")) == NULL) {
		error_set(err, EX_CANTCREAT, "cannot write to '%s': %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	fo->path = xstrdup(path);
	fo->direct = true;
	return 0;
}

int
file_out_open(struct file_out *fo, const char *path, struct error *err)
{
	struct stat st;
	int fd;

	memset(fo, 0, sizeof *fo);
	if (strcmp(path, "-") == 0 || std_fd(path) == STDOUT_FILENO) {
		fo->fp = stdout;
		return 0;
	}
	if ((fd = std_fd(path)) != -1) {
		if ((fd = dup(fd)) == -1 || fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
			if (fd != -1)
				close(fd);
			return error_set(err, EX_CANTCREAT, "cannot write to "
			    "'%s': %s", path, strerror(errno));
		}
		return out_direct(fo, fd, path, err);
	}
	if (lstat(path, &st) == 0) {
		/*
		 * Never through a symbolic link, never replacing one: in a
		 * shared directory it may point anywhere.
		 */
		if (S_ISLNK(st.st_mode))
			return error_set(err, EX_CANTCREAT, "not writing to '%s': "
			    "it is a symbolic link; give the real path", path);
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
			fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY |
			    O_CLOEXEC);
			if (fd == -1)
				return error_set(err, EX_CANTCREAT, "cannot write "
				    "to '%s': %s", path, strerror(errno));
			return out_direct(fo, fd, path, err);
		}
		if (S_ISDIR(st.st_mode))
			return error_set(err, EX_CANTCREAT, "cannot create '%s': "
			    "%s", path, strerror(EISDIR));
		if (!S_ISREG(st.st_mode))
			return error_set(err, EX_CANTCREAT, "not writing to '%s': "
			    "it is not a regular file", path);
		fo->replace = true;
	} else if (errno != ENOENT) {
		return error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
		    path, strerror(errno));
	}
	fo->path = xstrdup(path);
	fo->tmp = xasprintf("%s.tmpXXXXXX", path);
	/* 0600, whatever the umask: reports name people. */
	if ((fd = mkstemp(fo->tmp)) == -1) {
		error_set(err, EX_CANTCREAT, "cannot create '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if ((fo->fp = fdopen(fd, "wb")) == NULL) {
		error_set(err, EX_CANTCREAT, "cannot create '%s': %s", path,
		    strerror(errno));
		close(fd);
		unlink(fo->tmp);
		goto fail;
	}
	return 0;
fail:
	free(fo->path);
	free(fo->tmp);
	memset(fo, 0, sizeof *fo);
	return -1;
}

static void
file_out_release(struct file_out *fo)
{
	free(fo->path);
	free(fo->tmp);
	memset(fo, 0, sizeof *fo);
}

/* A directory's entry made durable; a filesystem without that is no error. */
static int
sync_parent(const char *path, struct error *err)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, rc = 0;

	if (slash == NULL)
		strcpy(dir, ".");
	else
		slash[slash == dir] = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
			rc = error_set(err, EX_IOERR, "%s: %s", dir,
			    strerror(errno));
		close(fd);
	}
	free(dir);
	return rc;
}

/*
 * Put the finished file in place: over a regular file that was there (it
 * must still be one), else only where nothing appeared meanwhile (link()
 * refuses an existing name, even a symbolic link planted since the open).
 */
static int
file_out_publish(struct file_out *fo, struct error *err)
{
	struct stat st;
	int rc;

	if (fo->replace) {
		if (lstat(fo->path, &st) == 0 && !S_ISREG(st.st_mode))
			return error_set(err, EX_CANTCREAT, "not writing to "
			    "'%s': it is no longer a regular file", fo->path);
		rc = rename(fo->tmp, fo->path);
	} else if ((rc = link(fo->tmp, fo->path)) == 0) {
		unlink(fo->tmp);
	} else if (errno == EEXIST) {
		return error_set(err, EX_CANTCREAT, "not writing to '%s': it "
		    "appeared while the output was being written", fo->path);
	} else if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS ||
	    errno == EMLINK) {
		/* no hard links here (e.g. FAT): one more look, then rename */
		if (lstat(fo->path, &st) == 0)
			return error_set(err, EX_CANTCREAT, "not writing to "
			    "'%s': it appeared while the output was being "
			    "written", fo->path);
		rc = rename(fo->tmp, fo->path);
	}
	if (rc != 0)
		return error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
		    fo->path, strerror(errno));
	return sync_parent(fo->path, err);
}

int
file_out_commit(struct file_out *fo, struct error *err)
{
	int rc = 0;

	if (fo->fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = error_set(err, EX_IOERR, "cannot write to standard "
			    "output: %s", strerror(errno));
		file_out_release(fo);
		return rc;
	}
	if (fo->direct) {
		/* A device or FIFO: nothing to sync, nothing to rename. */
		if (fflush(fo->fp) != 0 || ferror(fo->fp)) {
			rc = error_set(err, EX_IOERR, "cannot write to '%s': %s",
			    fo->path, strerror(errno));
			fclose(fo->fp);
		} else if (fclose(fo->fp) != 0) {
			rc = error_set(err, EX_IOERR, "cannot write to '%s': %s",
			    fo->path, strerror(errno));
		}
		file_out_release(fo);
		return rc;
	}
	if (fflush(fo->fp) != 0 || ferror(fo->fp) || fsync(fileno(fo->fp)) != 0) {
		rc = error_set(err, EX_IOERR, "cannot write to '%s': %s",
		    fo->path, strerror(errno));
		fclose(fo->fp);
		unlink(fo->tmp);
	} else if (fclose(fo->fp) != 0) {
		rc = error_set(err, EX_IOERR, "cannot write to '%s': %s",
		    fo->path, strerror(errno));
		unlink(fo->tmp);
	} else if (file_out_publish(fo, err) != 0) {
		rc = -1;
		unlink(fo->tmp);
	}
	file_out_release(fo);
	return rc;
}

void
file_out_abort(struct file_out *fo)
{
	if (fo->fp && fo->fp != stdout) {
		fclose(fo->fp);
		if (!fo->direct)
			unlink(fo->tmp);
	}
	file_out_release(fo);
}
