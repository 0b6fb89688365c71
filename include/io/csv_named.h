#ifndef MENTORCTL_IO_CSV_NAMED_H
#define MENTORCTL_IO_CSV_NAMED_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/*
 * A CSV file read by column name (io/csv.h underneath, so any RFC 4180
 * file as spreadsheets write it): the first record is the header, whose
 * names are compared trimmed and ignoring ASCII case; rows stream.  Cells
 * come back trimmed, with the apostrophe that guards a formula cell
 * ('=..., '-5) taken off again, so that a file this program wrote reads
 * back as it was.
 */

struct csv_named;

/* Open path ("-" is stdin) and read its header.  NULL with err set. */
struct csv_named *csv_named_open(const char *path, struct error *err);
/* The header's columns, and the name of column i (trimmed, as written). */
size_t csv_named_ncols(const struct csv_named *r);
const char *csv_named_header(const struct csv_named *r, size_t i);
/* The header row's line (for messages about it). */
long csv_named_header_line(const struct csv_named *r);
/* The column of name, or -1. */
int csv_named_col(const struct csv_named *r, const char *name);
/* 1 with the next row, 0 at the end, -1 with err ("FILE:LINE: ..."). */
int csv_named_next(struct csv_named *r, struct error *err);
/*
 * The current row's cell in column col, trimmed; NULL when col is -1 or
 * the row is short, "" when empty.  Valid until the next csv_named_next.
 */
const char *csv_named_get(struct csv_named *r, int col);
long csv_named_line(const struct csv_named *r);
const char *csv_named_name(const struct csv_named *r);
void csv_named_close(struct csv_named *r);

/*
 * The same with a void * reader and column names, for a row source of
 * function pointers (ops/preferences.h's struct ops_rows).
 */
int csv_named_next_v(void *r, struct error *err);
const char *csv_named_cell_v(void *r, const char *col);
bool csv_named_has_v(void *r, const char *col);
long csv_named_line_v(void *r);

#endif
