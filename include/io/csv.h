#ifndef MENTORCTL_IO_CSV_H
#define MENTORCTL_IO_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "io/out.h"
#include "util/error.h"

/*
 * RFC 4180 reader for files as they come out of Excel and HR systems: UTF-8
 * with or without a byte-order mark, CRLF or LF (or a lone CR), quoted fields
 * holding commas, quotes ("") and line breaks, a last line with or without a
 * line end.  Invalid UTF-8, a quote inside an unquoted field and an
 * unterminated quoted field are errors naming the line.  Streams the file:
 * memory is bounded by the longest record.
 */

struct csv_reader;

/*
 * Past these a record is an error: they bound memory when a file is not CSV
 * at all or a quote is never closed.
 */
#define CSV_MAX_RECORD (1024 * 1024)	/* bytes of field data, NULs included */
#define CSV_MAX_FIELDS 10000

struct csv_record {
	char **fields;      /* NUL-terminated copies, valid until the next csv_next() */
	size_t nfields;
	long line;          /* 1-based physical line on which the record starts */
};

/* Opens path ("-" is stdin).  NULL with err set (EX_NOINPUT when missing). */
struct csv_reader *csv_open(const char *path, struct error *err);
/* Reads from memory; name is used in messages.  buf is borrowed. */
struct csv_reader *csv_open_mem(const char *name, const char *buf, size_t len);
/*
 * 1 when a record was read into rec, 0 at end of input, -1 on error with err
 * set to "NAME:LINE: what is wrong" and code EX_DATAERR (EX_IOERR on a read
 * error).  Blank lines (a record with one empty field) are skipped.
 */
int csv_next(struct csv_reader *r, struct csv_record *rec, struct error *err);
const char *csv_name(const struct csv_reader *r);
void csv_close(struct csv_reader *r);

/*
 * The formula guard of exported cells is reversible (csv_guard_needed in
 * io/out.h): remove the guard's apostrophe from s in place, when s is a
 * guarded cell, restoring exactly what the writer guarded.
 */
void csv_unguard(char *s);
/*
 * Unguard every field (header names included) that csv_next() returns:
 * for importers of files that mentorctl exported (people, enrollments,
 * trainings), so that export -> import -> export is byte-identical.
 */
void csv_set_unguard(struct csv_reader *r, bool on);
/*
 * When a header row of one field holds ';', a tab or '|', the file is not
 * comma-separated: the message naming the separator and the fix, else NULL.
 */
const char *csv_wrong_separator(const struct csv_record *header);

#endif
