/*
 * Rotation pairings (slot = period) and circle members: the queries the
 * flash, rotational and group formats need beyond pairing_store.c.
 */
#include "store/rounds_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

/* The stored word as an enum (the schema's CHECK admits no other). */
static enum pairing_status
status_col(sqlite3_stmt *st, int col)
{
	int s = pairing_status_parse(db_col_text(st, col));

	return s < 0 ? PAIRING_ENDED : (enum pairing_status)s;
}

void
rotation_rows_free(struct rotation_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].mentor_email);
		free(v[i].mentor_name);
		free(v[i].mentee_email);
		free(v[i].mentee_name);
	}
	free(v);
}

int
store_rotation_rows(struct db *db, long long program_id, int today,
    struct rotation_row **out, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT x.id, x.mentor_enrollment_id, x.mentee_enrollment_id,"
	    " mp.email, mp.name, tp.email, tp.name, x.slot,"
	    " CASE WHEN x.status = 'proposed' AND x.expires_on < ?2"
	    "  THEN 'expired' WHEN x.status = 'proposed' AND x.proposed_on > ?2"
	    "  THEN 'planned' ELSE x.status END,"
	    " CAST(round(x.score * 100) AS INTEGER), x.proposed_on,"
	    " x.expires_on, x.activated_on, x.ended_on,"
	    " x.mentor_accepted_on IS NOT NULL, x.mentee_accepted_on IS NOT NULL"
	    " FROM pairing x"
	    " JOIN enrollment me ON me.id = x.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = x.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " WHERE x.program_id = ?1 AND x.slot IS NOT NULL"
	    " ORDER BY x.slot, mp.email COLLATE NOCASE, tp.email COLLATE NOCASE,"
	    " x.id";
	struct rotation_row *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, today);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct rotation_row *r;

		XGROW(v, *n + 1, cap);
		r = &v[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->mentor_enrollment_id = sqlite3_column_int64(st, 1);
		r->mentee_enrollment_id = sqlite3_column_int64(st, 2);
		r->mentor_email = db_col_strdup(st, 3);
		r->mentor_name = db_col_strdup(st, 4);
		r->mentee_email = db_col_strdup(st, 5);
		r->mentee_name = db_col_strdup(st, 6);
		r->slot = sqlite3_column_int(st, 7);
		r->status = status_col(st, 8);
		r->score = sqlite3_column_int(st, 9);
		r->proposed_on = db_col_date(st, 10);
		r->expires_on = db_col_date(st, 11);
		r->activated_on = db_col_date(st, 12);
		r->ended_on = db_col_date(st, 13);
		r->mentor_accepted = sqlite3_column_int(st, 14) != 0;
		r->mentee_accepted = sqlite3_column_int(st, 15) != 0;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		rotation_rows_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int
store_rotation_redate(struct db *db, long long pairing_id, int proposed_on,
    int expires_on, struct error *err)
{
	static const char sql[] =
	    "UPDATE pairing SET proposed_on = ?2, expires_on = ?3"
	    " WHERE id = ?1 AND status = 'proposed'";
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ], detail[80];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	db_bind_date(st, 2, proposed_on);
	db_bind_date(st, 3, expires_on);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	snprintf(detail, sizeof detail, "rotation: proposed on %s, answers "
	    "by %s", date_format(proposed_on, b1), expires_on == DATE_NONE ?
	    "-" : date_format(expires_on, b2));
	return db_audit(db, "pairing", pairing_id, "redate", detail, err);
}

int
store_rotation_expire_slot(struct db *db, long long program_id, int slot,
    size_t *n, struct error *err)
{
	static const char sql[] =
	    "UPDATE pairing SET status = 'expired' WHERE program_id = ?1"
	    " AND slot = ?2 AND status = 'proposed' RETURNING id";
	long long *ids = NULL;
	size_t cap = 0, i;
	sqlite3_stmt *st;
	char detail[64];
	int rc;

	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, slot);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(ids, *n + 1, cap);
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	snprintf(detail, sizeof detail, "unanswered when period %d closed",
	    slot);
	for (i = 0; rc == 0 && i < *n; i++)
		if (db_audit(db, "pairing", ids[i], "expire", detail, err) != 0)
			rc = -1;
	free(ids);
	return rc < 0 ? -1 : 0;
}

int
store_group_active(struct db *db, long long program_id, long long group_id,
    long long **ids, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT id FROM pairing WHERE program_id = ?1 AND group_id = ?2"
	    " AND status = 'active' ORDER BY id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, group_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*ids, *n + 1, cap);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
enrolled_names_free(struct enrolled_name *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].email);
		free(v[i].name);
	}
	free(v);
}

int
store_enrolled_names(struct db *db, long long program_id,
    struct enrolled_name **out, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT e.id, p.email, nullif(p.name, '') FROM enrollment e"
	    " JOIN person p ON p.id = e.person_id WHERE e.program_id = ?1"
	    " ORDER BY e.id";
	struct enrolled_name *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(v, *n + 1, cap);
		v[*n].enrollment_id = sqlite3_column_int64(st, 0);
		v[*n].email = db_col_strdup(st, 1);
		v[*n].name = db_col_strdup(st, 2);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		enrolled_names_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

void
circle_rows_free(struct circle_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].mentee_email);
		free(v[i].mentor_email);
	}
	free(v);
}

int
store_circle_rows(struct db *db, long long program_id, long long group_id,
    struct circle_row **out, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT x.id, x.status, x.mentor_enrollment_id,"
	    " x.mentee_enrollment_id, tp.email, mp.email,"
	    " me.status <> 'withdrawn',"
	    " te.status IN ('eligible', 'active'),"
	    " EXISTS (SELECT 1 FROM pairing o WHERE o.program_id = x.program_id"
	    "  AND o.mentee_enrollment_id = x.mentee_enrollment_id"
	    "  AND o.id <> x.id AND o.status IN ('proposed', 'active'))"
	    " FROM pairing x"
	    " JOIN enrollment me ON me.id = x.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = x.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " WHERE x.program_id = ?1 AND x.group_id = ?2"
	    " AND x.id = (SELECT max(y.id) FROM pairing y"
	    "  WHERE y.program_id = ?1 AND y.group_id = ?2"
	    "  AND y.mentee_enrollment_id = x.mentee_enrollment_id)"
	    " ORDER BY x.id";
	struct circle_row *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, group_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct circle_row *r;

		XGROW(v, *n + 1, cap);
		r = &v[(*n)++];
		memset(r, 0, sizeof *r);
		r->pairing_id = sqlite3_column_int64(st, 0);
		r->status = status_col(st, 1);
		r->mentor_enrollment_id = sqlite3_column_int64(st, 2);
		r->mentee_enrollment_id = sqlite3_column_int64(st, 3);
		r->mentee_email = db_col_strdup(st, 4);
		r->mentor_email = db_col_strdup(st, 5);
		r->mentor_enrolled = sqlite3_column_int(st, 6) != 0;
		r->mentee_enrolled = sqlite3_column_int(st, 7) != 0;
		r->mentee_open_elsewhere = sqlite3_column_int(st, 8) != 0;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		circle_rows_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

/* ---- flash seats ---- */

int
store_flash_seats(struct db *db, long long program_id, struct flash_seat **out,
    size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT round, mentee_enrollment_id, mentor_enrollment_id, table_no,"
	    " CAST(round(score * 100) AS INTEGER), coalesce(attended, -1)"
	    " FROM flash_seat WHERE program_id = ?1"
	    " ORDER BY round, table_no, mentee_enrollment_id";
	struct flash_seat *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(v, *n + 1, cap);
		v[*n].round = sqlite3_column_int(st, 0);
		v[*n].mentee_enrollment_id = sqlite3_column_int64(st, 1);
		v[*n].mentor_enrollment_id = sqlite3_column_int64(st, 2);
		v[*n].table = sqlite3_column_int(st, 3);
		v[*n].score = sqlite3_column_int(st, 4);
		v[*n].attended = sqlite3_column_int(st, 5);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int
store_flash_seats_put(struct db *db, long long program_id,
    const struct flash_seat *v, size_t n, struct error *err)
{
	static const char del_sql[] = "DELETE FROM flash_seat WHERE program_id = ?1";
	static const char add_sql[] =
	    "INSERT INTO flash_seat (program_id, round, mentee_enrollment_id,"
	    " mentor_enrollment_id, table_no, score) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6)";
	char detail[64];
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if ((st = db_prepare(db, del_sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0 || (st = db_prepare(db, add_sql, err)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		db_bind_int(st, 1, program_id);
		db_bind_int(st, 2, v[i].round);
		db_bind_int(st, 3, v[i].mentee_enrollment_id);
		db_bind_int(st, 4, v[i].mentor_enrollment_id);
		db_bind_int(st, 5, v[i].table);
		sqlite3_bind_double(st, 6, v[i].score / 100.0);
		rc = db_step_done(db, st, err);
	}
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	snprintf(detail, sizeof detail, "flash session seated: %zu seat%s", n,
	    n == 1 ? "" : "s");
	return db_audit(db, "program", program_id, "seat", detail, err);
}

int
store_flash_attend(struct db *db, long long program_id,
    long long enrollment_id, int round, int attended, size_t *changed,
    struct error *err)
{
	static const char sql[] =
	    "UPDATE flash_seat SET attended = ?4 WHERE program_id = ?1"
	    " AND mentee_enrollment_id = ?2 AND (?3 = 0 OR round = ?3)"
	    " AND attended IS NOT ?4";
	char detail[64];
	sqlite3_stmt *st;
	int rc;

	*changed = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, enrollment_id);
	db_bind_int(st, 3, round);
	db_bind_int(st, 4, attended);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*changed = (size_t)sqlite3_changes(db->h);
	if (*changed == 0)
		return 0;
	if (round > 0)
		snprintf(detail, sizeof detail, "flash round %d: %s", round,
		    attended ? "came" : "absent");
	else
		snprintf(detail, sizeof detail, "flash session: %s",
		    attended ? "came" : "absent");
	return db_audit(db, "enrollment", enrollment_id, "attend", detail, err);
}

int
store_flash_counts(struct db *db, long long program_id, struct flash_counts *c,
    struct error *err)
{
	static const char sql[] =
	    "SELECT count(*), coalesce(sum(came > 0), 0),"
	    " coalesce(sum(came = 0 AND absent > 0 AND unknown = 0), 0),"
	    " coalesce(sum(came = 0 AND absent = 0), 0) FROM"
	    " (SELECT sum(coalesce(attended, -1) = 1) AS came,"
	    "  sum(coalesce(attended, -1) = 0) AS absent,"
	    "  sum(attended IS NULL) AS unknown FROM flash_seat"
	    "  WHERE program_id = ?1 GROUP BY mentee_enrollment_id)";
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	if ((rc = db_step_row(db, st, err)) == 1) {
		c->seated = sqlite3_column_int64(st, 0);
		c->attended = sqlite3_column_int64(st, 1);
		c->absent = sqlite3_column_int64(st, 2);
		c->unrecorded = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}
