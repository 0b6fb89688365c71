#include "store/remind_store.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- ended pairings ---- */

struct ended_row {
	size_t mentor_name, mentor_email, mentee_name, mentee_email;
};

static size_t
ended_intern(struct strbuf *arena, sqlite3_stmt *st, int col)
{
	size_t at = arena->len;

	strbuf_addstr(arena, db_col_text(st, col));
	strbuf_addch(arena, '\0');
	return at;
}

int
store_remind_ended(struct db *db, long long program_id, int since,
    struct remind_ended *out, struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, p.activated_on, p.ended_on, p.end_reason = 'exit',"
	    " p.group_id, p.slot, pm.id, pm.name, pm.email, pe.id, pe.name,"
	    " pe.email FROM pairing p"
	    " JOIN enrollment em ON em.id = p.mentor_enrollment_id"
	    " JOIN person pm ON pm.id = em.person_id"
	    " JOIN enrollment ee ON ee.id = p.mentee_enrollment_id"
	    " JOIN person pe ON pe.id = ee.person_id"
	    " WHERE p.program_id = ? AND p.status = 'ended' AND p.ended_on >= ?"
	    " ORDER BY p.id";
	struct strbuf arena = STRBUF_INIT;
	struct ended_row *rows = NULL;
	sqlite3_stmt *st;
	size_t cap = 0, i;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, since);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct remind_pairing *pr;

		if (out->n + 1 > cap) {
			XGROW(out->v, out->n + 1, cap);
			rows = xreallocarray(rows, cap, sizeof *rows);
		}
		pr = &out->v[out->n];
		memset(pr, 0, sizeof *pr);
		pr->id = sqlite3_column_int64(st, 0);
		pr->status = REMIND_PAIRING_ENDED;
		pr->proposed_on = pr->expires_on = pr->anchor = DATE_NONE;
		pr->cycle_ends_on = pr->reup_opens_on = DATE_NONE;
		pr->reup_closes_on = pr->continued_on = DATE_NONE;
		pr->activated_on = db_col_date(st, 1);
		pr->ended_on = db_col_date(st, 2);
		pr->ended_by_reup = sqlite3_column_int(st, 3) != 0;
		pr->group_id = sqlite3_column_int64(st, 4);
		pr->slot = sqlite3_column_int(st, 5);
		pr->mentor_person = sqlite3_column_int64(st, 6);
		rows[out->n].mentor_name = ended_intern(&arena, st, 7);
		rows[out->n].mentor_email = ended_intern(&arena, st, 8);
		pr->mentee_person = sqlite3_column_int64(st, 9);
		rows[out->n].mentee_name = ended_intern(&arena, st, 10);
		rows[out->n].mentee_email = ended_intern(&arena, st, 11);
		out->n++;
	}
	sqlite3_finalize(st);
	/* The arena stopped moving: point into it. */
	out->strings = strbuf_detach(&arena, NULL);
	for (i = 0; i < out->n; i++) {
		out->v[i].mentor.name = out->strings + rows[i].mentor_name;
		out->v[i].mentor.email = out->strings + rows[i].mentor_email;
		out->v[i].mentee.name = out->strings + rows[i].mentee_name;
		out->v[i].mentee.email = out->strings + rows[i].mentee_email;
	}
	free(rows);
	if (rc < 0) {
		remind_ended_free(out);
		return -1;
	}
	return 0;
}

void
remind_ended_free(struct remind_ended *e)
{
	free(e->v);
	free(e->strings);
	memset(e, 0, sizeof *e);
}

int
store_remind_continued(struct db *db, long long program_id, int since,
    long long **ids, int **days, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT pc.pairing_id, pc.decided_on FROM pairing_cycle pc"
	    " JOIN cycle c ON c.id = pc.cycle_id"
	    " WHERE c.program_id = ? AND pc.outcome = 'continued'"
	    " AND pc.decided_on >= ? ORDER BY pc.pairing_id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*days = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, since);
	while ((rc = db_step_row(db, st, err)) == 1) {
		if (*n + 1 > cap) {
			XGROW(*ids, *n + 1, cap);
			*days = xreallocarray(*days, cap, sizeof **days);
		}
		(*ids)[*n] = sqlite3_column_int64(st, 0);
		(*days)[*n] = db_col_date(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(*ids);
		free(*days);
		*ids = NULL;
		*days = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
store_remind_goals(struct db *db, long long pairing_id, char **mentor,
    char **mentee, struct error *err)
{
	static const char sql[] =
	    "SELECT em.goal, ee.goal FROM pairing p"
	    " JOIN enrollment em ON em.id = p.mentor_enrollment_id"
	    " JOIN enrollment ee ON ee.id = p.mentee_enrollment_id"
	    " WHERE p.id = ?";
	sqlite3_stmt *st;
	int rc;

	*mentor = *mentee = NULL;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	rc = db_step_row(db, st, err);
	if (rc == 1) {
		*mentor = db_col_strdup(st, 0);
		*mentee = db_col_strdup(st, 1);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* ---- the digest ---- */

int
store_digest_last(struct db *db, long long program_id, int *day,
    struct error *err)
{
	static const char sql[] =
	    "SELECT max(due_on) FROM reminder WHERE program_id = ?"
	    " AND subject_key = 'program' AND kind = 'digest'"
	    " AND state IN ('sent', 'handed')";
	sqlite3_stmt *st;
	int rc;

	*day = DATE_NONE;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	if ((rc = db_step_row(db, st, err)) == 1)
		*day = db_col_date(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static char *
digest_who(sqlite3_stmt *st, int name, int email)
{
	const char *n = db_col_text(st, name);

	if (*n == '\0')
		return xstrdup(db_col_text(st, email));
	return xasprintf("%s <%s>", n, db_col_text(st, email));
}

static int
digest_lines(struct db *db, sqlite3_stmt *st, struct digest_line **v,
    size_t *n, struct error *err)
{
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct digest_line *l;

		XGROW(*v, *n + 1, cap);
		l = &(*v)[(*n)++];
		memset(l, 0, sizeof *l);
		l->who = digest_who(st, 0, 1);
		l->what = db_col_strdup(st, 2);
		l->why = db_col_strdup(st, 3);
		l->day = db_col_date(st, 4);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_digest_pending(struct db *db, long long program_id,
    struct digest_line **v, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT p.name, p.email, e.role, e.reason, e.enrolled_on"
	    " FROM enrollment e JOIN person p ON p.id = e.person_id"
	    " WHERE e.program_id = ? AND e.status = 'pending' ORDER BY e.id";
	sqlite3_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	return digest_lines(db, st, v, n, err);
}

int
store_digest_undelivered(struct db *db, long long program_id, int after,
    int today, time_t now, struct digest_line **v, size_t *n,
    struct error *err)
{
	static const char sql[] =
	    "SELECT '', recipient, CASE state WHEN 'handed' THEN 'outcome unknown'"
	    " WHEN 'gave_up' THEN 'given up' WHEN 'failed' THEN"
	    " 'failed, to be retried' ELSE state END || ' (' || kind || ', due '"
	    " || due_on || ')', error, coalesce(failed_on, claimed_on)"
	    " FROM reminder WHERE program_id = ?1 AND state <> 'sent'"
	    " AND kind <> 'digest'"
	    " AND (?2 IS NULL OR coalesce(failed_on, claimed_on) > ?2)"
	    /* a run may be waiting on it still */
	    " AND NOT (state = 'handed' AND error IS NULL"
	    "  AND coalesce(claimed_on, ?3) >= ?3 AND claimed_at >= ?4)"
	    " ORDER BY id";
	char cutoff[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, after);
	db_bind_date(st, 3, today);
	db_bind_text(st, 4, timestamp_format(now - STORE_DIGEST_IN_FLIGHT,
	    cutoff));
	return digest_lines(db, st, v, n, err);
}
