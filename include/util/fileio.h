#ifndef MENTORCTL_UTIL_FILEIO_H
#define MENTORCTL_UTIL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

/*
 * Read a whole file ("-" is stdin) of at most max bytes into a NUL-terminated
 * buffer the caller frees.  Missing file: EX_NOINPUT; unreadable or too large:
 * EX_IOERR / EX_DATAERR, message "PATH: reason".
 */
int file_read_all(const char *path, size_t max, char **buf, size_t *len,
    struct error *err);

/*
 * Open path for writing.  A regular file (new, or one to replace) is
 * written under a temporary name in the same directory (0600) that
 * file_out_commit() syncs and renames into place, so a failed command leaves
 * no half-written output.  "-", /dev/stdout and /dev/fd/1 are standard
 * output; a character device, a FIFO or another /dev/fd/N is written
 * straight through.  A symbolic link is refused, never followed or
 * replaced (EX_CANTCREAT), as are directories and other special files.
 * commit: a write error (full disk, file size limit) is EX_IOERR naming
 * the file; nothing is left under the temporary name.
 */
struct file_out {
	char *path;
	char *tmp;
	FILE *fp;
	bool direct;   /* a device, FIFO or descriptor: no temporary file */
	bool replace;  /* path was a regular file: rename over it */
};
int file_out_open(struct file_out *fo, const char *path, struct error *err);
int file_out_commit(struct file_out *fo, struct error *err);
void file_out_abort(struct file_out *fo);

#endif
