#include "store/feedback_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

/* The person's id by e-mail (compared without case, as the column is). */
static int
feedback_person(struct db *db, const char *email, long long *id,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT id FROM person WHERE email = ?",
	    err)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	rc = db_step_row(db, st, err);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown person '%s'", email);
	return rc < 0 ? -1 : 0;
}

int
feedback_store_pairing_giver(struct db *db, long long pairing_id,
    const char *email, struct feedback_giver *g, struct error *err)
{
	static const char sql[] =
	    "SELECT p.program_id, p.status, p.activated_on,"
	    " mp.id, mp.email, tp.id, tp.email"
	    " FROM pairing p"
	    " JOIN enrollment me ON me.id = p.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = p.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " WHERE p.id = ?";
	sqlite3_stmt *st;
	long long person;
	int rc;

	memset(g, 0, sizeof *g);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	if ((rc = db_step_row(db, st, err)) <= 0) {
		sqlite3_finalize(st);
		if (rc == 0)
			return error_set(err, EX_DATAERR, "unknown pairing %lld",
			    pairing_id);
		return -1;
	}
	g->program_id = sqlite3_column_int64(st, 0);
	g->pairing_id = pairing_id;
	if (feedback_person(db, email, &person, err) != 0) {
		sqlite3_finalize(st);
		return -1;
	}
	if (person != sqlite3_column_int64(st, 3) &&
	    person != sqlite3_column_int64(st, 5)) {
		error_set(err, EX_DATAERR, "'%s' is not a partner in pairing "
		    "%lld (mentor %s, mentee %s)", email, pairing_id,
		    db_col_text(st, 4), db_col_text(st, 6));
		sqlite3_finalize(st);
		return -1;
	}
	if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
		error_set(err, EX_DATAERR, "pairing %lld never turned active "
		    "(it is %s): there is no mentoring to rate yet", pairing_id,
		    db_col_text(st, 1));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	g->person_id = person;
	return 0;
}

int
feedback_store_program_giver(struct db *db, long long program_id,
    const char *slug, const char *email, struct feedback_giver *g,
    struct error *err)
{
	sqlite3_stmt *st;
	long long person;
	int rc;

	memset(g, 0, sizeof *g);
	if (feedback_person(db, email, &person, err) != 0)
		return -1;
	if ((st = db_prepare(db, "SELECT 1 FROM enrollment WHERE program_id = ?"
	    " AND person_id = ? LIMIT 1", err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, person);
	rc = db_step_row(db, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, EX_DATAERR, "'%s' is not enrolled in "
		    "programme '%s'", email, slug);
	g->program_id = program_id;
	g->person_id = person;
	return 0;
}

int
feedback_store_cycle(struct db *db, struct feedback_giver *g, int day,
    struct error *err)
{
	static const char sql[] =
	    "SELECT c.id, c.number FROM cycle c WHERE c.program_id = ?1"
	    " AND c.starts_on <= ?3 AND (?2 = 0 OR EXISTS (SELECT 1"
	    "  FROM pairing_cycle pc WHERE pc.pairing_id = ?2"
	    "  AND pc.cycle_id = c.id))"
	    " ORDER BY c.number DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	g->cycle_id = 0;
	g->cycle = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, g->program_id);
	db_bind_int(st, 2, g->pairing_id);
	db_bind_date(st, 3, day);
	if ((rc = db_step_row(db, st, err)) == 1) {
		g->cycle_id = sqlite3_column_int64(st, 0);
		g->cycle = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
feedback_store_earlier(struct db *db, const struct feedback_giver *g, long long *id,
    int *given_on, struct error *err)
{
	/* The expressions match feedback_once, so the lookup uses it. */
	static const char sql[] =
	    "SELECT id, given_on FROM feedback WHERE program_id = ?"
	    " AND coalesce(pairing_id, 0) = ? AND person_id = ?"
	    " AND coalesce(cycle_id, 0) = ?";
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	*given_on = DATE_NONE;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, g->program_id);
	db_bind_int(st, 2, g->pairing_id);
	db_bind_int(st, 3, g->person_id);
	db_bind_int(st, 4, g->cycle_id);
	rc = db_step_row(db, st, err);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		*given_on = db_col_date(st, 1);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
feedback_store_put(struct db *db, const struct feedback_giver *g, int rating,
    const char *comment, int given_on, long long *id, int *replaced_on,
    struct error *err)
{
	static const char insert[] =
	    "INSERT INTO feedback (program_id, pairing_id, person_id, rating,"
	    " comment, given_on, recorded_at, cycle_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	static const char update[] =
	    "UPDATE feedback SET rating = ?4, comment = ?5, given_on = ?6,"
	    " recorded_at = ?7 WHERE id = ?8";
	sqlite3_stmt *st;
	char detail[96];
	long long old;
	int rc;

	if (feedback_store_earlier(db, g, &old, replaced_on, err) != 0)
		return -1;
	if ((st = db_prepare(db, old ? update : insert, err)) == NULL)
		return -1;
	if (!old) {
		db_bind_int(st, 1, g->program_id);
		if (g->pairing_id)
			db_bind_int(st, 2, g->pairing_id);
		else
			sqlite3_bind_null(st, 2);
		db_bind_int(st, 3, g->person_id);
		if (g->cycle_id)
			db_bind_int(st, 8, g->cycle_id);
		else
			sqlite3_bind_null(st, 8);
	} else {
		db_bind_int(st, 8, old);
	}
	db_bind_int(st, 4, rating);
	db_bind_text(st, 5, comment);
	db_bind_date(st, 6, given_on);
	db_bind_text(st, 7, db_now(db));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*id = old ? old : sqlite3_last_insert_rowid(db->h);
	if (g->pairing_id)
		snprintf(detail, sizeof detail, "pairing %lld, person %lld, "
		    "cycle %d", g->pairing_id, g->person_id, g->cycle);
	else
		snprintf(detail, sizeof detail, "programme %lld, person %lld, "
		    "cycle %d", g->program_id, g->person_id, g->cycle);
	return db_audit(db, "feedback", *id, old ? "replace" : "add", detail,
	    err);
}

void
feedback_rows_free(struct feedback_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].comment);
	free(v);
}

int
feedback_store_by_cycle(struct db *db, long long program_id, int until,
    struct feedback_row **out, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT coalesce(c.number, 0), coalesce(f.pairing_id, 0), f.rating,"
	    " f.comment, f.given_on FROM feedback f"
	    " LEFT JOIN cycle c ON c.id = f.cycle_id"
	    " WHERE f.program_id = ?1 AND (?2 IS NULL OR f.given_on <= ?2)"
	    " ORDER BY 1, f.given_on, f.id";
	struct feedback_row *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	if (until != DATE_NONE)
		db_bind_date(st, 2, until);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct feedback_row *r;

		XGROW(v, *n + 1, cap);
		r = &v[(*n)++];
		r->cycle = sqlite3_column_int(st, 0);
		r->pairing_id = sqlite3_column_int64(st, 1);
		r->rating = sqlite3_column_int(st, 2);
		r->comment = db_col_strdup(st, 3);
		r->given_on = db_col_date(st, 4);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		feedback_rows_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}
