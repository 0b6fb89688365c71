#ifndef MENTORCTL_STORE_SHEET_TABLE_H
#define MENTORCTL_STORE_SHEET_TABLE_H

/*
 * Private to src/store: a batch of a people sheet as a table-valued
 * function, so that an import writes each batch with a handful of set
 * statements (INSERT ... SELECT, UPDATE ... FROM) instead of a statement
 * per row.  Nothing is copied: the function hands SQLite the sheet's own
 * strings.
 *
 *   sheet_rows(?1, view)   row, id, email, name, department, title, level,
 *                          hired_on, location, timezone, manager_email,
 *                          mask, what, attrs
 *
 * ?1 is a struct sheet_arg bound with sheet_bind().  In sheet_rows a field
 * is NULL when the row gives it no value (an empty cell, or a column the
 * file lacks); level is an integer.  mask has bit (1 << field) for every
 * field the row sets (empty cells clear), what is the audit text of an
 * update ("a@x from people.csv: name, level, skills").  attrs is the
 * free attributes the row writes, as JSON: the whole object (names in
 * order) for a new person, a merge patch (null clears) for a stored one,
 * NULL when there is nothing to write.
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
};

/* Register the function on the connection (once); 0 or -1. */
int sheet_tables(struct db *db, struct error *err);
/* Bind the sheet to parameter idx of a statement using the functions. */
int sheet_bind(sqlite3_stmt *st, int idx, const struct sheet_arg *a);

#endif
