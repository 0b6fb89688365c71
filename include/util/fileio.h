#ifndef MENTORCTL_UTIL_FILEIO_H
#define MENTORCTL_UTIL_FILEIO_H

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
 * Open path for writing through a temporary file in the same directory that
 * file_commit() renames into place, so a failed command leaves no half-written
 * output.  Errors: EX_CANTCREAT.
 */
struct file_out {
	char *path;
	char *tmp;
	FILE *fp;
};
int file_out_open(struct file_out *fo, const char *path, struct error *err);
int file_out_commit(struct file_out *fo, struct error *err);
void file_out_abort(struct file_out *fo);

#endif
