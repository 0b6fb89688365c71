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
	/* A full disk or a file size limit: say which file and why. */
	if (code == EX_IOERR) {
		int prim = rc & 0xff;
		int sys = prim == SQLITE_IOERR || prim == SQLITE_FULL ||
		    prim == SQLITE_CANTOPEN ? sqlite3_system_errno(db->h) : 0;

		return error_set(err, code, "database '%s': %s%s%s%s", db->path,
		    sqlite3_errmsg(db->h), sys ? " (" : "",
		    sys ? strerror(sys) : "", sys ? ")" : "");
	}
	return error_set(err, code, "%s%s%s", what ? what : "",
	    what ? ": " : "", sqlite3_errmsg(db->h));
}

/*
 * The statement cache: a small table for the whole process (a command has
 * one connection, rarely two), each entry a prepared statement, the SQL it
 * was made from and whether it is handed out.  An entry in use is never
 * handed out twice: the same SQL nested (a cursor open while a lookup runs
 * the same query) gets a statement of its own, finalized for real.
 */
#define DB_STMT_CACHE 96

static struct db_stmt_entry {
	sqlite3 *h;
	sqlite3_stmt *st;
	char *sql;
	bool busy;
} stmt_cache[DB_STMT_CACHE];
static size_t stmt_next;        /* round-robin victim when full */

static struct db_stmt_entry *
stmt_find(sqlite3 *h, const char *sql)
{
	size_t i;

	for (i = 0; i < DB_STMT_CACHE; i++)
		if (stmt_cache[i].st != NULL && !stmt_cache[i].busy &&
		    stmt_cache[i].h == h && strcmp(stmt_cache[i].sql, sql) == 0)
			return &stmt_cache[i];
	return NULL;
}

/* A free slot, evicting an idle entry when the table is full; or NULL. */
static struct db_stmt_entry *
stmt_slot(void)
{
	size_t i, k;

	for (i = 0; i < DB_STMT_CACHE; i++)
		if (stmt_cache[i].st == NULL)
			return &stmt_cache[i];
	for (k = 0; k < DB_STMT_CACHE; k++) {
		i = (stmt_next + k) % DB_STMT_CACHE;
		if (!stmt_cache[i].busy) {
			stmt_next = i + 1;
			(sqlite3_finalize)(stmt_cache[i].st);
			free(stmt_cache[i].sql);
			memset(&stmt_cache[i], 0, sizeof stmt_cache[i]);
			return &stmt_cache[i];
		}
	}
	return NULL;
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql, struct error *err)
{
	struct db_stmt_entry *e;
	sqlite3_stmt *st = NULL;

	if ((e = stmt_find(db->h, sql)) != NULL) {
		e->busy = true;
		return e->st;
	}
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, err, "database");
		(sqlite3_finalize)(st);
		return NULL;
	}
	if ((e = stmt_slot()) != NULL) {
		e->h = db->h;
		e->st = st;
		e->sql = xstrdup(sql);
		e->busy = true;
	}
	return st;
}

int
db_stmt_release(sqlite3_stmt *st)
{
	size_t i;

	if (st == NULL)
		return SQLITE_OK;
	for (i = 0; i < DB_STMT_CACHE; i++)
		if (stmt_cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			stmt_cache[i].busy = false;
			return SQLITE_OK;
		}
	return (sqlite3_finalize)(st);
}

/* Before the connection closes: its cached statements go for good. */
static void
stmt_forget(sqlite3 *h)
{
	size_t i;

	for (i = 0; i < DB_STMT_CACHE; i++)
		if (stmt_cache[i].st != NULL && stmt_cache[i].h == h) {
			(sqlite3_finalize)(stmt_cache[i].st);
			free(stmt_cache[i].sql);
			memset(&stmt_cache[i], 0, sizeof stmt_cache[i]);
		}
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

const char *
db_col_text_or_null(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

void
db_json_str(struct strbuf *sb, const char *s)
{
	const char *run;

	strbuf_addch(sb, '"');
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_add(sb, run, (size_t)(s - run));
		if (c < 0x20)
			strbuf_addf(sb, "\\u%04x", c);
		else {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, c);
		}
		run = s + 1;
	}
	strbuf_add(sb, run, (size_t)(s - run));
	strbuf_addch(sb, '"');
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
stamp_app_id(struct db *db, struct error *err)
{
	char pragma[64];

	snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d",
	    SCHEMA_APPLICATION_ID);
	return db_exec(db, pragma, err);
}

static int
refuse_newer(struct db *db, long long v, struct error *err)
{
	return error_set(err, EX_CONFIG, "database '%s' was written by a newer "
	    "mentorctl (schema %lld, this one knows %d); upgrade mentorctl",
	    db->path, v, SCHEMA_VERSION);
}

static int
migrate(struct db *db, bool create, struct error *err)
{
	long long v;
	int to;

	if (db_query_int(db, "PRAGMA user_version", NULL, 0, &v, err) != 0)
		return -1;
	if (v > SCHEMA_VERSION)
		return refuse_newer(db, v, err);
	/* init stamps a database of an earlier release (see db_begin). */
	if (v == SCHEMA_VERSION && !(create && db->stamp_app_id))
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
	if (db->migrated_from == SCHEMA_VERSION)
		db->migrated_from = -1; /* only stamped: nothing to report */
	if (!db->stamp_app_id && stamp_app_id(db, err) != 0)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}

/*
 * Make a group- or world-accessible file of ours private (0600 or 0400), as
 * if we had created it; a stranger's file is left alone with a warning,
 * which *warning takes when it is still NULL.
 */
static void
tighten_mode(int fd, const char *path, char **warning)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0 || (sb.st_mode & 077) == 0)
		return;
	if (sb.st_uid == geteuid() && fchmod(fd, sb.st_mode & 0700) == 0)
		return;
	if (*warning == NULL)
		*warning = xasprintf("'%s' is readable by others (mode %04o) and "
		    "not yours to change; ask its owner to run chmod 600",
		    path, (unsigned)(sb.st_mode & 07777));
}

/*
 * The same for the -wal, -shm and -journal files an earlier process left
 * beside it.  Their descriptors stay open until db_close: SQLite holds POSIX
 * locks on these files, and closing any descriptor of a file drops them all.
 */
static void
tighten_side_files(struct db *db)
{
	static const char *const sides[DB_SIDE_FILES] = {
		"-wal", "-shm", "-journal"
	};
	struct stat sb;
	int i;

	for (i = 0; i < DB_SIDE_FILES; i++) {
		char *side = xasprintf("%s%s", db->path, sides[i]);
		int fd = open(side, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);

		if (fd != -1 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
			tighten_mode(fd, side, &db->warning);
		db->side_fd[i] = fd;
		free(side);
	}
}

/*
 * Before SQLite sees the file: it must be a regular file (a directory is a
 * missing input, 66) that is empty or starts like an SQLite 3 file.  *fdp
 * gets a descriptor of it, to make it private once we know it is ours; like
 * those of tighten_side_files(), it is closed after SQLite's.
 */
static int
check_file(const char *path, int *fdp, struct error *err)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat sb;
	ssize_t n;
	int fd, rc = 0;

	if (lstat(path, &sb) != 0)
		return error_set(err, EX_IOERR, "%s: %s", path, strerror(errno));
	if (S_ISLNK(sb.st_mode))
		return error_set(err, EX_IOERR, "database '%s' is a symbolic "
		    "link; give the path of the file itself", path);
	if (S_ISDIR(sb.st_mode))
		return error_set(err, EX_NOINPUT, "database '%s' is a directory, "
		    "not a file", path);
	if (!S_ISREG(sb.st_mode))
		return error_set(err, EX_IOERR, "'%s' is not a regular file",
		    path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return error_set(err, EX_IOERR, "%s: %s", path, strerror(errno));
	n = pread(fd, head, sizeof head, 0);
	if (n < 0)
		rc = error_set(err, EX_IOERR, "%s: %s", path, strerror(errno));
	/* n == 0: created empty, e.g. by an interrupted init */
	else if (n > 0 && ((size_t)n < sizeof head ||
	    memcmp(head, magic, sizeof head) != 0))
		rc = error_set(err, EX_IOERR,
		    "'%s' is not a mentorctl database", path);
	if (rc != 0)
		close(fd);
	else
		*fdp = fd;
	return rc;
}

enum db_kind {
	DB_EMPTY,     /* no schema yet: init makes it ours */
	DB_OURS,
	DB_LEGACY,    /* ours, from a release without the application_id */
	DB_FOREIGN,
};

static int
table_exists(struct db *db, const char *name, bool *yes, struct error *err)
{
	long long n;

	if (db_query_int(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = ?", name, 0, &n, err) != 0)
		return -1;
	*yes = n > 0;
	return 0;
}

/*
 * Whose database is it?  application_id says so when set; without it, a
 * file that holds anything (or a user_version) but lacks our core tables
 * belongs to another application, and must not get our tables added.
 */
static int
classify(struct db *db, enum db_kind *kind, long long *app_id,
    long long *uv, struct error *err)
{
	long long nobj;
	const char *const *t;
	bool yes;

	if (db_query_int(db, "PRAGMA application_id", NULL, 0, app_id,
	    err) != 0 ||
	    db_query_int(db, "PRAGMA user_version", NULL, 0, uv, err) != 0 ||
	    db_query_int(db, "SELECT count(*) FROM sqlite_master", NULL, 0,
	    &nobj, err) != 0)
		return -1;
	if (*app_id != 0 && *app_id != SCHEMA_APPLICATION_ID) {
		*kind = DB_FOREIGN;
		return 0;
	}
	if (nobj == 0 && *uv == 0) {
		*kind = DB_EMPTY;
		return 0;
	}
	if (*app_id == SCHEMA_APPLICATION_ID) {
		*kind = DB_OURS;
		return 0;
	}
	*kind = *uv > 0 ? DB_LEGACY : DB_FOREIGN;
	for (t = schema_core_tables; *t && *kind == DB_LEGACY; t++) {
		if (table_exists(db, *t, &yes, err) != 0)
			return -1;
		if (!yes)
			*kind = DB_FOREIGN;
	}
	return 0;
}

/*
 * WAL lets `remind` and reports read while a coordinator writes.  It is
 * persistent, but an init killed before its first commit, or a file made
 * by someone else, leaves the rollback journal: switch on every open where
 * the file is writable.  Failing to switch (busy, read-only) is no error;
 * only init waits for other processes to let go (patient), the others try
 * once and leave it to the next open.
 */
static void
ensure_wal(struct db *db, bool patient)
{
	sqlite3_stmt *st;
	bool wal = false;

	if (sqlite3_db_readonly(db->h, "main") == 1)
		return;
	if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &st,
	    NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		wal = strcmp(db_col_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	if (wal)
		return;
	if (!patient)
		sqlite3_busy_timeout(db->h, 0);
	sqlite3_exec(db->h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
}

/*
 * The page size of a database init creates (it is fixed once a WAL
 * database has content: older files keep theirs).  Larger pages than
 * SQLite's 4 KiB make a fourth of the page writes, reads and WAL frames
 * for the same data; measured on the 2-core machine, CPU: people import
 * of 100,000 rows -17% (of 1,000,000 shuffled rows -56%), report -10%,
 * diagnose -9%, remind --dry-run the same, and inbox, whose many small
 * commits each write whole pages, +30% (0.06 ms a message).
 */
#define DB_PAGE_SIZE "16384"

/*
 * A statement that writes many rows keeps the pages it changes in a
 * statement journal, to undo itself alone on an error.  Held in memory up
 * to this size (SQLite's default: 64 KiB, then a temporary file, written
 * and never read in the usual case).
 */
#define DB_STMT_JOURNAL_MEMORY (16 * 1024 * 1024)

/*
 * Process-wide SQLite settings, made before SQLite initialises (so once,
 * before the first open; later calls would fail harmlessly).  mentorctl
 * runs one thread: SQLite's mutexes and its allocation counters (taken on
 * every malloc) are pure cost: 8% of the instructions of a large import.
 */
static void
db_configure(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, DB_STMT_JOURNAL_MEMORY);
}

struct db *
db_open(const char *path, enum db_open_mode mode, struct error *err)
{
	struct db *db;
	struct stat sb;
	enum db_kind kind;
	long long app_id, uv;
	int created = 0, fd = -1;
	int i, rc;

	if (lstat(path, &sb) != 0) {
		if (mode != DB_OPEN_CREATE) {
			error_set(err, EX_NOINPUT,
			    "no database at '%s' (run 'mentorctl init' or give --db)",
			    path);
			return NULL;
		}
		if ((created = create_file(path, err)) < 0)
			return NULL;
	}
	if (check_file(path, &fd, err) != 0)
		return NULL;

	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->created = created > 0;
	db->migrated_from = -1;
	db->fd = fd;
	for (i = 0; i < DB_SIDE_FILES; i++)
		db->side_fd[i] = -1;
	/* One connection, one thread: SQLite's own mutexes are pure cost. */
	db_configure();
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
	if (classify(db, &kind, &app_id, &uv, err) != 0)
		goto fail;
	if (kind == DB_FOREIGN) {
		char why[64];

		if (app_id != 0)
			snprintf(why, sizeof why, "application_id %#llx",
			    (unsigned long long)app_id);
		else
			snprintf(why, sizeof why, "without mentorctl's tables");
		error_set(err, EX_DATAERR, "'%s' is another application's SQLite "
		    "database (%s); give another --db", path, why);
		goto fail;
	}
	/* Refused files are left exactly as they were. */
	if (uv > SCHEMA_VERSION) {
		refuse_newer(db, uv, err);
		goto fail;
	}
	db->stamp_app_id = kind == DB_LEGACY;
	/* Ours: private, as if we had created it. */
	tighten_mode(db->fd, path, &db->warning);
	tighten_side_files(db);
	if (db_exec(db, "PRAGMA foreign_keys = ON", err) != 0)
		goto fail;
	/*
	 * An empty file is left alone by reads; init sets WAL before its first
	 * commit, which makes it persistent.  synchronous=NORMAL is durable
	 * enough in WAL mode (a power cut may lose the last commit, never
	 * corrupt).
	 */
	if (kind == DB_EMPTY && mode == DB_OPEN_CREATE &&
	    db_exec(db, "PRAGMA page_size = " DB_PAGE_SIZE, err) != 0)
		goto fail;
	if (kind != DB_EMPTY || mode == DB_OPEN_CREATE)
		ensure_wal(db, mode == DB_OPEN_CREATE);
	if (db_exec(db, "PRAGMA synchronous = NORMAL", err) != 0)
		goto fail;
	if (migrate(db, mode == DB_OPEN_CREATE, err) != 0)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

const char *
db_warning(const struct db *db)
{
	return db->warning;
}

void
db_close(struct db *db)
{
	int i;

	if (db == NULL)
		return;
	if (db->depth > 0)
		db_rollback(db);
	stmt_forget(db->h);
	sqlite3_close_v2(db->h);
	/* Only now: closing them earlier would drop SQLite's locks. */
	if (db->fd != -1)
		close(db->fd);
	for (i = 0; i < DB_SIDE_FILES; i++)
		if (db->side_fd[i] != -1)
			close(db->side_fd[i]);
	free(db->path);
	free(db->warning);
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
		/* A database of an earlier release gets our id with its next write. */
		if (db->stamp_app_id && stamp_app_id(db, err) != 0) {
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
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
		db->stamp_app_id = false;
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

/* Remove a half-made copy and whatever SQLite may have left beside it. */
static void
backup_cleanup(const char *tmp)
{
	static const char *const sides[] = { "-journal", "-wal", "-shm" };
	size_t i;

	unlink(tmp);
	for (i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		char *side = xasprintf("%s%s", tmp, sides[i]);

		unlink(side);
		free(side);
	}
}

static int
backup_fail(sqlite3 *dst, int rc, const char *shown, struct error *err)
{
	int sys = dst ? sqlite3_system_errno(dst) : 0;

	return error_set(err, code_of(rc) == EX_IOERR ? EX_IOERR :
	    EX_CANTCREAT, "backup to '%s' failed: %s%s%s%s", shown,
	    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc), sys ? " (" : "",
	    sys ? strerror(sys) : "", sys ? ")" : "");
}

/*
 * Copy the database into tmp (an existing empty file) as a standalone
 * database in rollback-journal mode, and sync it.  No journal while
 * copying: a failed copy is thrown away, never rolled back.
 */
static int
backup_into(struct db *db, const char *tmp, const char *shown,
    struct error *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	int rc, fd;

	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode = OFF", NULL, NULL,
		    NULL);
	if (rc != SQLITE_OK)
		goto fail;
	if ((bk = sqlite3_backup_init(dst, "main", db->h, "main")) == NULL) {
		rc = sqlite3_errcode(dst);
		goto fail;
	}
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE)
		goto fail;
	/* The copy has our WAL header: a standalone file wants no -wal. */
	rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_close(dst)) != SQLITE_OK) {
		sqlite3_close_v2(dst);
		return backup_fail(NULL, rc, shown, err);
	}
	if ((fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fsync(fd) != 0) {
		rc = errno;
		if (fd != -1)
			close(fd);
		return error_set(err, EX_IOERR, "backup to '%s' failed: %s",
		    shown, strerror(rc));
	}
	close(fd);
	return 0;
fail:
	backup_fail(dst, rc, shown, err);
	sqlite3_close_v2(dst);
	return -1;
}

/* Make a rename or link in dir durable; a filesystem without that is no error. */
static int
sync_dir(const char *dir, struct error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd == -1)
		return 0;
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		rc = error_set(err, EX_IOERR, "%s: %s", dir, strerror(errno));
	close(fd);
	return rc;
}

/*
 * Give the finished copy its name, never replacing a file that appeared
 * meanwhile: link() fails when the name exists.  A filesystem without hard
 * links gets a rename after one more look.
 */
static int
backup_publish(const char *tmp, const char *path, struct error *err)
{
	struct stat sb;

	if (link(tmp, path) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno == EEXIST)
		goto exists;
	if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP &&
	    errno != ENOSYS && errno != EMLINK)
		return error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
		    path, strerror(errno));
	if (lstat(path, &sb) == 0)
		goto exists;
	if (rename(tmp, path) != 0)
		return error_set(err, EX_CANTCREAT, "cannot create '%s': %s",
		    path, strerror(errno));
	return 0;
exists:
	return error_set(err, EX_CANTCREAT, "cannot create '%s': file exists",
	    path);
}

/* "DIR/.NAME.XXXXXX" beside path, made 0600 by mkstemp. */
static char *
backup_tmp(const char *dir, const char *name, const char *shown,
    struct error *err)
{
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	int fd;

	if ((fd = mkstemp(tmp)) == -1) {
		error_set(err, EX_CANTCREAT, "cannot create '%s': %s", shown,
		    strerror(errno));
		free(tmp);
		return NULL;
	}
	close(fd);
	return tmp;
}

static int
backup_to_file(struct db *db, const char *path, struct error *err)
{
	char *dir = xstrdup(path), *slash, *tmp = NULL;
	const char *name = path;
	struct stat sb;
	int rc = -1;

	if ((slash = strrchr(dir, '/')) != NULL) {
		name = path + (slash - dir) + 1;
		if (slash == dir)
			slash[1] = '\0';
		else
			slash[0] = '\0';
	} else {
		strcpy(dir, ".");
	}
	/* Fail before the work; backup_publish() checks again. */
	if (lstat(path, &sb) == 0) {
		error_set(err, EX_CANTCREAT, "cannot create '%s': file exists",
		    path);
		goto out;
	}
	if (*name == '\0') {
		error_set(err, EX_CANTCREAT, "cannot create '%s': %s", path,
		    strerror(EISDIR));
		goto out;
	}
	if ((tmp = backup_tmp(dir, name, path, err)) == NULL)
		goto out;
	if (backup_into(db, tmp, path, err) != 0 ||
	    backup_publish(tmp, path, err) != 0) {
		backup_cleanup(tmp);
		goto out;
	}
	rc = sync_dir(dir, err);
out:
	free(tmp);
	free(dir);
	return rc;
}

/* Through a private temporary file, since SQLite writes only to files. */
static int
backup_to_stdout(struct db *db, struct error *err)
{
	const char *dir = getenv("TMPDIR");
	char buf[65536], *tmp;
	ssize_t n;
	int fd, rc = 0;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((tmp = backup_tmp(dir, "mentorctl-backup", "standard output",
	    err)) == NULL)
		return -1;
	if (backup_into(db, tmp, "standard output", err) != 0) {
		backup_cleanup(tmp);
		free(tmp);
		return -1;
	}
	fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	backup_cleanup(tmp);
	free(tmp);
	if (fd == -1)
		return error_set(err, EX_IOERR, "backup to standard output "
		    "failed: %s", strerror(errno));
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	if (n < 0)
		rc = error_set(err, EX_IOERR, "backup to standard output "
		    "failed: %s", strerror(errno));
	else if (n > 0 || fflush(stdout) != 0 || ferror(stdout))
		rc = error_set(err, EX_IOERR, "cannot write the backup to "
		    "standard output: %s", strerror(errno));
	close(fd);
	return rc;
}

int
db_backup(struct db *db, const char *path, struct error *err)
{
	if (strcmp(path, "-") == 0)
		return backup_to_stdout(db, err);
	return backup_to_file(db, path, err);
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
	if (rc != 0)
		return rc;
	/* What person_attr's CHECK was before its rows moved into person. */
	if ((st = db_prepare(db, "SELECT p.email, j.key FROM person p,"
	    " json_each(p.attrs) j WHERE j.key = '' OR j.key <> lower(j.key)"
	    " OR j.type <> 'text' LIMIT 1", err)) == NULL)
		return -1;
	rc = db_step_row(db, st, err);
	if (rc == 1)
		rc = error_set(err, EX_DATAERR, "database '%s': %s has an "
		    "attribute named '%s' (names are lower case, values text)",
		    db->path, db_col_text(st, 0), db_col_text(st, 1));
	sqlite3_finalize(st);
	return rc < 0 ? -1 : rc;
}
