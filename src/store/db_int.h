#ifndef MENTORCTL_STORE_DB_INT_H
#define MENTORCTL_STORE_DB_INT_H

/*
 * Private to src/store: the statement wrapper every entity file uses.
 * Always bind values; never format them into SQL.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "store/db.h"

struct db {
	sqlite3 *h;
	char *path;
	int depth;          /* transaction nesting */
	bool created;
	bool stamp_app_id;  /* ours, without the application_id yet */
	int migrated_from;
	char *warning;      /* for the user, from db_open; NULL when none */
	int fd;             /* the file, kept open until after SQLite closes it */
#define DB_SIDE_FILES 3
	int side_fd[DB_SIDE_FILES]; /* -wal, -shm, -journal, or -1 */
	char *command;
	char *actor;
	time_t now;
	char now_ts[21];
	bool sheet_tables;  /* sheet_rows registered */
};

/*
 * Prepare; NULL with err set.  Statements are cached per connection by
 * their SQL (as Fossil's db_static_prepare does): parsing the SQL is a
 * third of the time of a short use case (a reply handled by inbox) when
 * every call prepares afresh.  A statement handed out is the caller's
 * until it is "finalized": sqlite3_finalize below returns a cached one to
 * the cache (reset, bindings cleared), and really finalizes any other.
 */
sqlite3_stmt *db_prepare(struct db *db, const char *sql, struct error *err);
int db_stmt_release(sqlite3_stmt *st);
#define sqlite3_finalize(st) db_stmt_release(st)
/* Map the connection's current error to an exit code and message; returns -1. */
int db_fail(struct db *db, struct error *err, const char *what);
/* Step a statement that returns no rows (or whose rows are ignored); reset it. 0 or -1. */
int db_step_done(struct db *db, sqlite3_stmt *st, struct error *err);
/*
 * Step once: 1 with a row, 0 when done, -1 on error (err set).  The
 * statement is left as it is; reset or finalize it yourself.
 */
int db_step_row(struct db *db, sqlite3_stmt *st, struct error *err);
/* Run SQL without parameters (DDL, pragmas). */
int db_exec(struct db *db, const char *sql, struct error *err);
/* One integer from a query with one text parameter (may be NULL); -1 on error, def when no row. */
int db_query_int(struct db *db, const char *sql, const char *param,
    long long def, long long *out, struct error *err);

/* NULL binds SQL NULL. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* DATE_NONE binds NULL; otherwise 'YYYY-MM-DD'. */
int db_bind_date(sqlite3_stmt *st, int idx, int days);
int db_bind_int(sqlite3_stmt *st, int idx, long long v);
/* The "now" timestamp of this command, 'YYYY-MM-DDTHH:MM:SSZ'. */
const char *db_now(const struct db *db);

/* Copies: NULL for SQL NULL. */
char *db_col_strdup(sqlite3_stmt *st, int col);
/* A borrowed column text, "" for NULL; valid until the next step. */
const char *db_col_text(sqlite3_stmt *st, int col);
/* The same, but NULL for NULL. */
const char *db_col_text_or_null(sqlite3_stmt *st, int col);
/* DATE_NONE for NULL or an unparsable value. */
int db_col_date(sqlite3_stmt *st, int col);

struct strbuf;
/* Append s as a JSON string, quoted and escaped. */
void db_json_str(struct strbuf *sb, const char *s);

#endif
