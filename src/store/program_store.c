#include "store/program_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

void
program_row_free(struct program_row *r)
{
	if (r == NULL)
		return;
	free(r->slug);
	free(r->name);
	free(r->purpose);
	free(r->format);
	free(r->owner);
	free(r->contact);
	free(r->created_at);
	free(r->updated_at);
	memset(r, 0, sizeof *r);
}

void
program_rows_free(struct program_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		program_row_free(&rows[i]);
	free(rows);
}

static int
add_version(struct db *db, long long id, int version, const char *yaml,
    const char *source, int day, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO program_version (program_id, version, yaml, source,"
	    " added_at, added_by, in_force_from)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, substr(?5, 1, 10)))";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	db_bind_text(st, 3, yaml);
	db_bind_text(st, 4, source);
	db_bind_text(st, 5, db_now(db));
	db_bind_text(st, 6, db->actor ? db->actor : "unknown");
	if (day == DATE_NONE)
		db_bind_text(st, 7, NULL);
	else
		db_bind_date(st, 7, day);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	return rc;
}

static int
find_id(struct db *db, const char *slug, long long *id, int *version,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT id, version FROM program WHERE slug = ?",
	    err)) == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	rc = db_step_row(db, st, err);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		if (version)
			*version = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_program_add(struct db *db, const struct program *p, const char *yaml,
    const char *source, long long *id, struct error *err)
{
	return store_program_add_on(db, p, yaml, source, DATE_NONE, id, err);
}

int
store_program_add_on(struct db *db, const struct program *p,
    const char *yaml, const char *source, int day, long long *id,
    struct error *err)
{
	static const char sql[] =
	    "INSERT INTO program (slug, name, purpose, format, owner, contact,"
	    " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)";
	sqlite3_stmt *st;
	int rc;

	rc = find_id(db, p->slug, id, NULL, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(err, EX_DATAERR, "programme '%s' exists already "
		    "(use 'mentorctl program update')", p->slug);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, p->slug);
	db_bind_text(st, 2, p->name);
	db_bind_text(st, 3, program_purpose_name(p->purpose));
	db_bind_text(st, 4, program_format_name(p->format));
	db_bind_text(st, 5, p->owner);
	db_bind_text(st, 6, p->contact);
	db_bind_text(st, 7, db_now(db));
	db_bind_text(st, 8, db_now(db));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	if (add_version(db, *id, 1, yaml, source, day, err) != 0)
		return -1;
	return db_audit(db, "program", *id, "add", p->slug, err);
}

int
store_program_update(struct db *db, const struct program *p, const char *yaml,
    const char *source, int day, long long *id, int *version, int *changed,
    struct error *err)
{
	static const char sql[] =
	    "UPDATE program SET name = ?, purpose = ?, format = ?, owner = ?,"
	    " contact = ?, version = ?, updated_at = ? WHERE id = ?";
	sqlite3_stmt *st;
	char *current = NULL;
	char detail[80];
	int rc;

	*changed = 0;
	rc = find_id(db, p->slug, id, version, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown programme '%s' (use "
		    "'mentorctl program add')", p->slug);
	if (store_program_yaml(db, *id, *version, &current, err) != 0)
		return -1;
	rc = strcmp(current, yaml);
	free(current);
	if (rc == 0)
		return 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	(*version)++;
	db_bind_text(st, 1, p->name);
	db_bind_text(st, 2, program_purpose_name(p->purpose));
	db_bind_text(st, 3, program_format_name(p->format));
	db_bind_text(st, 4, p->owner);
	db_bind_text(st, 5, p->contact);
	db_bind_int(st, 6, *version);
	db_bind_text(st, 7, db_now(db));
	db_bind_int(st, 8, *id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0 || add_version(db, *id, *version, yaml, source, day,
	    err) != 0)
		return -1;
	*changed = 1;
	snprintf(detail, sizeof detail, "version %d", *version);
	return db_audit(db, "program", *id, "update", detail, err);
}

#define PROGRAM_COLUMNS \
	"SELECT p.id, p.slug, p.name, p.purpose, p.format, p.owner, p.contact," \
	" p.version, p.created_at, p.updated_at," \
	" (SELECT count(*) FROM enrollment e WHERE e.program_id = p.id" \
	"   AND e.role = 'mentor' AND e.status <> 'withdrawn')," \
	" (SELECT count(*) FROM enrollment e WHERE e.program_id = p.id" \
	"   AND e.role = 'mentee' AND e.status <> 'withdrawn')," \
	" (SELECT count(*) FROM pairing q WHERE q.program_id = p.id" \
	"   AND q.status = 'active')" \
	" FROM program p"

static void
read_row(sqlite3_stmt *st, struct program_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->slug = db_col_strdup(st, 1);
	r->name = db_col_strdup(st, 2);
	r->purpose = db_col_strdup(st, 3);
	r->format = db_col_strdup(st, 4);
	r->owner = db_col_strdup(st, 5);
	r->contact = db_col_strdup(st, 6);
	r->version = sqlite3_column_int(st, 7);
	r->created_at = db_col_strdup(st, 8);
	r->updated_at = db_col_strdup(st, 9);
	r->mentors = sqlite3_column_int64(st, 10);
	r->mentees = sqlite3_column_int64(st, 11);
	r->active_pairings = sqlite3_column_int64(st, 12);
}

int
store_program_list(struct db *db, struct program_row **rows, size_t *n,
    struct error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((st = db_prepare(db, PROGRAM_COLUMNS " ORDER BY p.slug", err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*rows, *n + 1, cap);
		read_row(st, &(*rows)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		program_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
store_program_get(struct db *db, const char *slug, struct program_row *row,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(row, 0, sizeof *row);
	if ((st = db_prepare(db, PROGRAM_COLUMNS " WHERE p.slug = ?", err)) == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	rc = db_step_row(db, st, err);
	if (rc == 1)
		read_row(st, row);
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown programme '%s'", slug);
	return rc < 0 ? -1 : 0;
}

int
store_program_yaml(struct db *db, long long program_id, int version,
    char **yaml, struct error *err)
{
	static const char sql[] =
	    "SELECT yaml FROM program_version WHERE program_id = ?1 AND version ="
	    " CASE WHEN ?2 > 0 THEN ?2 ELSE"
	    " (SELECT version FROM program WHERE id = ?1) END";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, version);
	rc = db_step_row(db, st, err);
	if (rc == 1)
		*yaml = db_col_strdup(st, 0);
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "no version %d of this programme",
		    version);
	return rc < 0 ? -1 : 0;
}

int
store_program_id(struct db *db, const char *slug, long long *id,
    struct error *err)
{
	int rc = find_id(db, slug, id, NULL, err);

	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown programme '%s'", slug);
	return rc < 0 ? -1 : 0;
}

int
store_program_yaml_as_of(struct db *db, long long program_id, int day,
    char **yaml, int *version, struct error *err)
{
	/* The latest version in force on day, else the first one. */
	static const char sql[] =
	    "SELECT yaml, version FROM program_version WHERE program_id = ?1"
	    " ORDER BY coalesce(in_force_from, substr(added_at, 1, 10)) <= ?2"
	    " DESC, CASE WHEN coalesce(in_force_from, substr(added_at, 1, 10))"
	    " <= ?2 THEN -version ELSE version END LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	*yaml = NULL;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, day);
	rc = db_step_row(db, st, err);
	if (rc == 1) {
		*yaml = db_col_strdup(st, 0);
		if (version)
			*version = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "programme %lld has no stored "
		    "version", program_id);
	return rc < 0 ? -1 : 0;
}

int
store_program_open_pairings(struct db *db, long long program_id,
    long long *n, struct error *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM pairing WHERE program_id = ?1"
	    " AND status IN ('proposed', 'active')";
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	if ((rc = db_step_row(db, st, err)) == 1)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}
