#ifndef MENTORCTL_IO_OUT_H
#define MENTORCTL_IO_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/utf8.h"

/*
 * Every listing goes through this writer, row by row, so that large exports
 * stream in constant memory (csv, json) and tables for people line up (table
 * buffers its rows to measure the columns).
 *
 *   csv:   RFC 4180, header row, CRLF, quoted when needed, cells that begin with
 *          = + - @ TAB CR are prefixed with ' against formula injection
 *          (OUT_STR columns and header names: a negative number in an
 *          OUT_INT/OUT_REAL column is data, not a formula; people's free
 *          attribute names become header names); OUT_BOM writes a UTF-8
 *          BOM first.
 *   json:  an array of objects keyed by the header names; OUT_INT/OUT_REAL
 *          cells are JSON numbers, a NULL cell is null; strings escaped
 *          (control characters as \uXXXX, UTF-8 passed through, invalid
 *          UTF-8 replaced with U+FFFD).
 *   table: aligned columns for a terminal, header in upper case, NULL as "-".
 */

enum out_format {
	OUT_TABLE,
	OUT_CSV,
	OUT_JSON,
};

enum out_type {
	OUT_STR,
	OUT_INT,    /* JSON number; right-aligned in tables */
	OUT_REAL,   /* JSON number; right-aligned in tables */
	OUT_DATE,   /* YYYY-MM-DD (a JSON string), never formula-guarded */
	OUT_BOOL,   /* JSON true/false; "yes"/"no" in tables and CSV */
	OUT_NESTED, /* structured: a listing (out_nested: JSON an array of
	             * objects, table and CSV the number of its rows), a
	             * record (out_nested_record) or a list (out_strv) */
};

struct out_col {
	const char *name;
	enum out_type type;
};

enum out_flags {
	OUT_BOM = 1 << 0,        /* csv: UTF-8 byte-order mark for Excel */
	OUT_NO_HEADER = 1 << 1,  /* table: leave out the header line */
	OUT_RECORD = 1 << 2,     /* table: each row as "field  value" lines */
};

struct out;

/* "table", "csv", "json" -> format; -1 when unknown. */
int out_format_parse(const char *s);

/* cols is borrowed and must outlive the writer. */
struct out *out_new(FILE *fp, enum out_format fmt, const struct out_col *cols,
    size_t ncols, unsigned flags);
/* cells[ncols]; a NULL cell is empty (csv), null (json), "-" (table). Copied as needed. */
void out_row(struct out *o, const char *const *cells);

/*
 * Typed cells by column name (tmux's format_add): set the cells of the
 * current row in any order, then out_end_row().  A cell not set is empty
 * (null in JSON).  Naming a column the writer does not have is a programming
 * error and aborts.  Strings are copied.
 */
void out_str(struct out *o, const char *col, const char *s);
void out_int(struct out *o, const char *col, long long v);
/* DATE_NONE (core/date.h) leaves the cell empty. */
void out_date(struct out *o, const char *col, int day);
/* Centi-points as a decimal with two places: 7325 -> 73.25. */
void out_centi(struct out *o, const char *col, long long centi);
/* A real with `decimals` places; NaN leaves the cell empty. */
void out_real(struct out *o, const char *col, double v, int decimals);
void out_bool(struct out *o, const char *col, bool v);
void out_end_row(struct out *o);
/*
 * A listing inside column col (an OUT_NESTED column) of the current row:
 * fill the returned writer's rows with out_*() and out_end_row(), then
 * out_nested_end() sets the cell.  cols is borrowed until then.
 */
struct out *out_nested(struct out *o, const char *col,
    const struct out_col *cols, size_t ncols);
void out_nested_end(struct out *o, struct out *sub);
/*
 * One record inside column col (an OUT_NESTED column): set the returned
 * writer's cells with out_*() and no out_end_row(), then out_nested_end().
 * JSON an object ({"count":6,"unit":"months"}), null when no cell was set;
 * table and CSV "name value" pairs joined by ", ", empty cells left out.
 */
struct out *out_nested_record(struct out *o, const char *col,
    const struct out_col *cols, size_t ncols);
/*
 * A list of strings in column col (an OUT_NESTED column): JSON an array of
 * strings ([] when n is 0); table and CSV the items joined by "; ".
 */
void out_strv(struct out *o, const char *col, const char *const *items,
    size_t n);
/* The stream the writer writes to. */
FILE *out_stream(const struct out *o);
/* Whether the writer has a column of that name (for optional columns). */
bool out_has_col(const struct out *o, const char *col);
/* Write what is buffered and the closing bytes; 0, or -1 with errno on a write error. */
int out_finish(struct out *o);
void out_free(struct out *o);

/* Building blocks, also used by reports and mail. */
/*
 * The formula guard (SPEC: cells that begin with = + - @ TAB or CR are
 * neutralised with a leading apostrophe), made reversible: a value is
 * guarded when, after any apostrophes it begins with, it begins with one
 * of those characters ("=x" -> "'=x", "'=x" -> "''=x"), so that the
 * importers' csv_unguard (io/csv.h) restores exactly what was guarded.
 */
bool csv_guard_needed(const char *s);
void csv_write_field(FILE *fp, const char *s, bool guard_formula);
/* s NULL writes null. */
void json_write_string(FILE *fp, const char *s);

/*
 * Terminal columns of s: wide (CJK, emoji) code points take 2, combining
 * marks 0, others 1; invalid subparts count one each, as U+FFFD.
 */
size_t utf8_width(const char *s);

#endif
