#include "db_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "store/schema.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static int
code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return EX_TEMPFAIL;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
		return EX_DATAERR;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_NOLFS:
	case SQLITE_PROTOCOL:
		return EX_IOERR;
	default:
		return EX_SOFTWARE;
	}
}

int
db_fail(struct db *db, struct error *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db->h);
	int code = code_of(rc);

	if (code == EX_TEMPFAIL)
		return error_set(err, code,
		    "database '%s' is busy (another mentorctl is writing); try again",
		    db->path);
	return error_set(err, code, "%s%s%s", what ? what : "",
	    what ? ": " : "", sqlite3_errmsg(db->h));
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql, struct error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, err, "database");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int
db_step_row(struct db *db, sqlite3_stmt *st, struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(db, err, "database");
}

int
db_step_done(struct db *db, sqlite3_stmt *st, struct error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		db_fail(db, err, "database");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int
db_exec(struct db *db, const char *sql, struct error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		return db_fail(db, err, "database");
	}
	return 0;
}

int
db_query_int(struct db *db, const char *sql, const char *param, long long def,
    long long *out, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	if (param)
		db_bind_text(st, 1, param);
	rc = db_step_row(db, st, err);
	if (rc == 1)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == 0)
		*out = def;
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int
db_bind_date(sqlite3_stmt *st, int idx, int days)
{
	char buf[DATE_BUFSZ];

	if (days == DATE_NONE)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, date_format(days, buf), -1,
	    SQLITE_TRANSIENT);
}

int
db_bind_int(sqlite3_stmt *st, int idx, long long v)
{
	return sqlite3_bind_int64(st, idx, v);
}

char *
db_col_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? xstrdup((const char *)s) : NULL;
}

const char *
db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

int
db_col_date(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	int d;

	if (s == NULL || date_parse((const char *)s, &d) != 0)
		return DATE_NONE;
	return d;
}

const char *
db_now(const struct db *db)
{
	return db->now_ts;
}

/*
 * Create the directory of a new database (0700: it holds people's data) and
 * the file itself 0600 before SQLite opens it, so that no umask can widen it.
 * Only the last path component's parent is created, with its own parents, as
 * for the XDG default.
 */
static int
make_parent_dirs(const char *path, struct error *err)
{
	char *dir = xstrdup(path);
	char *p;
	int rc = 0;

	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		goto out;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
			    dir, strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		rc = error_set(err, EX_CANTCREAT, "cannot create '%s': %s", dir,
		    strerror(errno));
out:
	free(dir);
	return rc;
}

static int
create_file(const char *path, struct error *err)
{
	int fd;

	if (make_parent_dirs(path, err) != 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EEXIST)
			return 0;
		return error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
		    path, strerror(errno));
	}
	close(fd);
	return 1;
}

static int
migrate(struct db *db, bool create, struct error *err)
{
	long long v;
	int to;

	if (db_query_int(db, "PRAGMA user_version", NULL, 0, &v, err) != 0)
		return -1;
	if (v > SCHEMA_VERSION)
		return error_set(err, EX_CONFIG,
		    "database '%s' was written by a newer mentorctl (schema %lld, "
		    "this one knows %d); upgrade mentorctl", db->path, v,
		    SCHEMA_VERSION);
	if (v == SCHEMA_VERSION)
		return 0;
	/*
	 * An empty file is a database only once `init` made it one: a read by
	 * another command must not write a schema into it.
	 */
	if (v == 0 && !create)
		return error_set(err, EX_NOINPUT, "database '%s' is empty (run "
		    "'mentorctl init')", db->path);
	if (db_begin(db, err) != 0)
		return -1;
	/* Re-read inside the write lock: another process may have migrated. */
	if (db_query_int(db, "PRAGMA user_version", NULL, 0, &v, err) != 0)
		goto fail;
	db->migrated_from = (int)v;
	for (to = (int)v + 1; to <= SCHEMA_VERSION; to++) {
		char pragma[64];

		if (db_exec(db, schema_migration(to), err) != 0)
			goto fail;
		if (snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
		    to) >= (int)sizeof pragma)
			goto fail;
		if (db_exec(db, pragma, err) != 0)
			goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}

/* The first bytes of an SQLite 3 file; anything else is not our database. */
static int
looks_like_sqlite(const char *path, struct error *err)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL)
		return error_set(err, EX_IOERR, "%s: %s", path, strerror(errno));
	n = fread(head, 1, sizeof head, fp);
	fclose(fp);
	if (n == 0)
		return 0; /* created empty, e.g. by an interrupted init */
	if (n < sizeof head || memcmp(head, magic, sizeof head) != 0)
		return error_set(err, EX_IOERR,
		    "'%s' is not a mentorctl database", path);
	return 0;
}

struct db *
db_open(const char *path, enum db_open_mode mode, struct error *err)
{
	struct db *db;
	struct stat sb;
	int created = 0;
	int rc;

	if (stat(path, &sb) != 0) {
		if (mode != DB_OPEN_CREATE) {
			error_set(err, EX_NOINPUT,
			    "no database at '%s' (run 'mentorctl init' or give --db)",
			    path);
			return NULL;
		}
		if ((created = create_file(path, err)) < 0)
			return NULL;
	} else if (!S_ISREG(sb.st_mode)) {
		error_set(err, EX_IOERR, "'%s' is not a regular file", path);
		return NULL;
	} else if (looks_like_sqlite(path, err) != 0) {
		return NULL;
	}

	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->created = created > 0;
	db->migrated_from = -1;
	/* One connection, one thread: SQLite's own mutexes are pure cost. */
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (db->h)
			db_fail(db, err, path);
		else
			error_set(err, EX_IOERR, "%s: cannot open database", path);
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	if (db_exec(db, "PRAGMA foreign_keys = ON", err) != 0)
		goto fail;
	/*
	 * WAL lets `remind` and reports read while a coordinator writes; it is
	 * persistent, so set it once, when the file is new.  synchronous=NORMAL
	 * is durable enough in WAL mode (a power cut may lose the last commit,
	 * never corrupt).
	 */
	if (db->created && db_exec(db, "PRAGMA journal_mode = WAL", err) != 0)
		goto fail;
	if (db_exec(db, "PRAGMA synchronous = NORMAL", err) != 0)
		goto fail;
	if (migrate(db, mode == DB_OPEN_CREATE, err) != 0)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->depth > 0)
		db_rollback(db);
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db->command);
	free(db->actor);
	free(db);
}

bool
db_was_created(const struct db *db)
{
	return db->created;
}

int
db_migrated_from(const struct db *db)
{
	return db->migrated_from;
}

int
db_schema_version(const struct db *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

const char *
db_sqlite_version(void)
{
	return sqlite3_libversion();
}

int
db_begin(struct db *db, struct error *err)
{
	char sql[48];

	if (db->depth == 0) {
		if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
			return -1;
	} else {
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", db->depth);
		if (db_exec(db, sql, err) != 0)
			return -1;
	}
	db->depth++;
	return 0;
}

int
db_commit(struct db *db, struct error *err)
{
	char sql[48];

	if (db->depth <= 0)
		return error_set(err, EX_SOFTWARE, "commit without a transaction");
	if (db->depth == 1) {
		if (db_exec(db, "COMMIT", err) != 0) {
			db_rollback(db);
			return -1;
		}
	} else {
		snprintf(sql, sizeof sql, "RELEASE sp%d", db->depth - 1);
		if (db_exec(db, sql, err) != 0)
			return -1;
	}
	db->depth--;
	return 0;
}

void
db_rollback(struct db *db)
{
	char sql[80];

	if (db->depth <= 0)
		return;
	if (db->depth == 1) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	} else {
		snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d",
		    db->depth - 1, db->depth - 1);
		sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	}
	db->depth--;
}

bool
db_in_transaction(const struct db *db)
{
	return db->depth > 0;
}

void
db_set_command(struct db *db, const char *command, const char *actor, time_t now)
{
	free(db->command);
	free(db->actor);
	db->command = xstrdup(command);
	db->actor = xstrdup(actor);
	db->now = now;
	timestamp_format(now, db->now_ts);
}

int
db_audit(struct db *db, const char *entity, long long entity_id,
    const char *action, const char *detail, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO audit (at, actor, command, entity, entity_id, action, detail)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, db->now_ts[0] ? db->now_ts : "1970-01-01T00:00:00Z");
	db_bind_text(st, 2, db->actor ? db->actor : "unknown");
	db_bind_text(st, 3, db->command ? db->command : "");
	db_bind_text(st, 4, entity);
	if (entity_id > 0)
		db_bind_int(st, 5, entity_id);
	db_bind_text(st, 6, action);
	db_bind_text(st, 7, detail);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	return rc;
}

int
db_backup(struct db *db, const char *path, struct error *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	int rc, fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1)
		return error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
		    path, errno == EEXIST ? "file exists" : strerror(errno));
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		goto fail;
	if ((bk = sqlite3_backup_init(dst, "main", db->h, "main")) == NULL)
		goto fail;
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE)
		goto fail;
	/* A backup is a standalone file: no -wal beside it. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_close(dst);
	return 0;
fail:
	error_set(err, EX_CANTCREAT, "backup to '%s' failed: %s", path,
	    dst ? sqlite3_errmsg(dst) : "cannot open");
	sqlite3_close(dst);
	unlink(path);
	return -1;
}

int
db_check(struct db *db, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "PRAGMA integrity_check", err)) == NULL)
		return -1;
	rc = db_step_row(db, st, err);
	if (rc == 1 && strcmp(db_col_text(st, 0), "ok") != 0)
		rc = error_set(err, EX_IOERR, "database '%s' is damaged: %s",
		    db->path, db_col_text(st, 0));
	else if (rc == 1)
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}
