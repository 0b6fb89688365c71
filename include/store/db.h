#ifndef MENTORCTL_STORE_DB_H
#define MENTORCTL_STORE_DB_H

#include <stdbool.h>
#include <time.h>

#include "util/error.h"

/*
 * The database: one SQLite file.  Only src/store includes sqlite3.h; the rest
 * of the program sees this opaque handle and the per-entity functions in the
 * other store/ headers.  Errors map to the spec's exit codes: busy past the
 * timeout EX_TEMPFAIL (75), I/O and corruption EX_IOERR (74), a constraint
 * EX_DATAERR (65), a newer schema EX_CONFIG (78).
 */
struct db;

enum db_open_mode {
	DB_OPEN_EXISTING,  /* the file must exist (EX_NOINPUT otherwise) */
	DB_OPEN_CREATE,    /* create it 0600 (and its directory 0700) when missing */
};

#define DB_BUSY_TIMEOUT_MS 10000

/*
 * Opens, sets the pragmas, refuses a newer schema, migrates an older one.
 * Refuses a directory (EX_NOINPUT), a symbolic link or a file that is not an
 * SQLite database (EX_IOERR) and another application's SQLite database
 * (EX_DATAERR).  On every open a group- or world-readable file of ours is
 * made private and a database still in rollback-journal mode switches to WAL.
 */
struct db *db_open(const char *path, enum db_open_mode mode, struct error *err);
/*
 * Something the user should know about the file that did not stop the open
 * (e.g. it is readable by others and not ours to fix); NULL when nothing.
 */
const char *db_warning(const struct db *db);
void db_close(struct db *db);
/* Whether db_open created the file or migrated it, and from which version. */
bool db_was_created(const struct db *db);
int db_migrated_from(const struct db *db);
int db_schema_version(const struct db *db);
const char *db_path(const struct db *db);
const char *db_sqlite_version(void);

/* BEGIN IMMEDIATE at the outermost level, SAVEPOINT inside: nestable. */
int db_begin(struct db *db, struct error *err);
int db_commit(struct db *db, struct error *err);
void db_rollback(struct db *db);
bool db_in_transaction(const struct db *db);

/*
 * Who/what/when for every change.  The timestamp is the wall clock (`now`);
 * the command name is set once per process with db_set_command().
 */
void db_set_command(struct db *db, const char *command, const char *actor, time_t now);
int db_audit(struct db *db, const char *entity, long long entity_id,
    const char *action, const char *detail, struct error *err);

/*
 * A consistent copy of the whole database through the SQLite backup API, to
 * a new file (0600) or to standard output ("-").  The copy is written under
 * a temporary name in the same directory, synced, then linked into place:
 * the name never holds a partial copy, whatever kills the process, and an
 * existing file is never replaced (EX_CANTCREAT, "file exists").  A write
 * error (full disk, file size limit) is EX_IOERR and leaves nothing behind.
 */
int db_backup(struct db *db, const char *path, struct error *err);
/* PRAGMA integrity_check, then the rule for attribute names: 0 when ok. */
int db_check(struct db *db, struct error *err);

#endif
