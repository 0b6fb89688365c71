#ifndef MENTORCTL_STORE_SHEET_TABLE_H
#define MENTORCTL_STORE_SHEET_TABLE_H

/*
 * Private to src/store: a batch of a people sheet as two table-valued
 * functions, so that an import writes each batch with a handful of
 * set statements (INSERT ... SELECT, UPDATE ... FROM) instead of a
 * statement per row and attribute.  Nothing is copied: the functions
 * hand SQLite the sheet's own strings.
 *
 *   sheet_rows(?1, view)   row, id, email, name, department, title, level,
 *                          hired_on, location, timezone, manager_email,
 *                          mask, what
 *   sheet_attrs(?1, view)  row, id, name, value
 *
 * ?1 is a struct sheet_arg bound with sheet_bind().  In sheet_rows a field
 * is NULL when the row gives it no value (an empty cell, or a column the
 * file lacks); level is an integer.  mask has bit (1 << field) for every
 * field the row sets (empty cells clear), what is the audit text of an
 * update ("a@x from people.csv: name, level, skills").
 */
#include "core/people.h"
#include "db_int.h"

struct sheet_arg {
	const struct people_sheet *s;
	const char *source;        /* the file, as the audit names it */
};

enum sheet_view {
	/* sheet_rows */
	SHEET_NEW,          /* rows to create */
	SHEET_CHANGED,      /* stored people the rows change */
	SHEET_GOOD,         /* every row without a problem */
	SHEET_STORED,       /* rows of people found stored (id set) */
	/* sheet_attrs: the free attributes to write */
	SHEET_ATTR_ADD,     /* a value where none is stored */
	SHEET_ATTR_SET,     /* another value than the stored one */
	SHEET_ATTR_DEL,     /* stored, and the cell clears it */
};

/* Register both functions on the connection (once); 0 or -1. */
int sheet_tables(struct db *db, struct error *err);
/* Bind the sheet to parameter idx of a statement using the functions. */
int sheet_bind(sqlite3_stmt *st, int idx, const struct sheet_arg *a);

#endif
