#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
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

int
file_out_open(struct file_out *fo, const char *path, struct error *err)
{
	int fd;

	memset(fo, 0, sizeof *fo);
	if (strcmp(path, "-") == 0) {
		fo->fp = stdout;
		return 0;
	}
	fo->path = xstrdup(path);
	fo->tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(fo->tmp)) == -1) {
		error_set(err, EX_CANTCREAT, "cannot create '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	/* mkstemp makes 0600; an output file is the user's, so honour the umask. */
	{
		mode_t um = umask(0);

		umask(um);
		(void)fchmod(fd, 0666 & ~um);
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

int
file_out_commit(struct file_out *fo, struct error *err)
{
	int rc = 0;

	if (fo->fp == stdout) {
		if (fflush(stdout) != 0)
			rc = error_set(err, EX_IOERR, "stdout: %s", strerror(errno));
		memset(fo, 0, sizeof *fo);
		return rc;
	}
	if (fflush(fo->fp) != 0 || fsync(fileno(fo->fp)) != 0) {
		rc = error_set(err, EX_IOERR, "%s: %s", fo->path, strerror(errno));
		fclose(fo->fp);
		unlink(fo->tmp);
	} else if (fclose(fo->fp) != 0) {
		rc = error_set(err, EX_IOERR, "%s: %s", fo->path, strerror(errno));
		unlink(fo->tmp);
	} else if (rename(fo->tmp, fo->path) != 0) {
		rc = error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
		    fo->path, strerror(errno));
		unlink(fo->tmp);
	}
	free(fo->path);
	free(fo->tmp);
	memset(fo, 0, sizeof *fo);
	return rc;
}

void
file_out_abort(struct file_out *fo)
{
	if (fo->fp && fo->fp != stdout) {
		fclose(fo->fp);
		unlink(fo->tmp);
	}
	free(fo->path);
	free(fo->tmp);
	memset(fo, 0, sizeof *fo);
}
