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
