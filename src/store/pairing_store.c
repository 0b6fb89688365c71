/*
 * Pairings: proposal, answers, activation, end, expiry, listing.  The
 * commands decide what may happen (consent, who answers, the rules); this
 * file makes it happen in SQL with an audit row for every change.
 */
#include "store/pairing_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

/*
 * An audit statement prepared once for many rows (db_audit prepares one per
 * call): ?4 entity, ?5 id, ?6 action, ?7 detail.
 */
static sqlite3_stmt *
audit_prepare(struct db *db, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO audit (at, actor, command, entity, entity_id, action,"
	    " detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return NULL;
	db_bind_text(st, 1, db_now(db)[0] ? db_now(db) : "1970-01-01T00:00:00Z");
	db_bind_text(st, 2, db->actor ? db->actor : "unknown");
	db_bind_text(st, 3, db->command ? db->command : "");
	return st;
}

static int
audit_row(struct db *db, sqlite3_stmt *st, const char *entity, long long id,
    const char *action, const char *detail, struct error *err)
{
	db_bind_text(st, 4, entity);
	db_bind_int(st, 5, id);
	db_bind_text(st, 6, action);
	db_bind_text(st, 7, detail);
	return db_step_done(db, st, err);
}

/*
 * A stored word the schema's CHECK allows always parses; 0 (the first word)
 * keeps a hand-edited database from reaching the enums as -1.
 */
static int
row_enum(int v)
{
	return v < 0 ? 0 : v;
}

/* ---- one pairing ---- */

void
pairing_rec_free(struct pairing_rec *r)
{
	if (r == NULL)
		return;
	free(r->program);
	free(r->mentor_email);
	free(r->mentee_email);
	free(r->declined_by);
	free(r->decline_reason);
	free(r->end_reason);
	memset(r, 0, sizeof *r);
}

int
store_pairing_get(struct db *db, long long id, struct pairing_rec *r,
    struct error *err)
{
	static const char sql[] =
	    "SELECT x.id, x.program_id, pr.slug, x.mentor_enrollment_id,"
	    " x.mentee_enrollment_id, mp.email, tp.email, x.group_id, x.score,"
	    " x.status, x.origin, x.proposed_on, x.expires_on,"
	    " x.mentor_accepted_on, x.mentee_accepted_on, x.activated_on,"
	    " x.declined_on, x.declined_by, x.decline_reason, x.ended_on,"
	    " x.end_reason, x.slot"
	    " FROM pairing x JOIN program pr ON pr.id = x.program_id"
	    " JOIN enrollment me ON me.id = x.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = x.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " WHERE x.id = ?1";
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof *r);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = db_step_row(db, st, err)) == 1) {
		r->id = sqlite3_column_int64(st, 0);
		r->program_id = sqlite3_column_int64(st, 1);
		r->program = db_col_strdup(st, 2);
		r->mentor_enrollment_id = sqlite3_column_int64(st, 3);
		r->mentee_enrollment_id = sqlite3_column_int64(st, 4);
		r->mentor_email = db_col_strdup(st, 5);
		r->mentee_email = db_col_strdup(st, 6);
		r->group_id = sqlite3_column_int64(st, 7);
		r->score = sqlite3_column_double(st, 8);
		r->status = (enum pairing_status)row_enum(
		    pairing_status_parse(db_col_text(st, 9)));
		r->origin = (enum pairing_origin)row_enum(
		    pairing_origin_parse(db_col_text(st, 10)));
		r->proposed_on = db_col_date(st, 11);
		r->expires_on = db_col_date(st, 12);
		r->mentor_accepted_on = db_col_date(st, 13);
		r->mentee_accepted_on = db_col_date(st, 14);
		r->activated_on = db_col_date(st, 15);
		r->declined_on = db_col_date(st, 16);
		r->declined_by = db_col_strdup(st, 17);
		r->decline_reason = db_col_strdup(st, 18);
		r->ended_on = db_col_date(st, 19);
		r->end_reason = db_col_strdup(st, 20);
		r->slot = sqlite3_column_int(st, 21);
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown pairing %lld", id);
	return rc < 0 ? -1 : 0;
}

/* ---- expiry ---- */

int
store_pairing_expire(struct db *db, int today, size_t *n, struct error *err)
{
	static const char sql[] =
	    "UPDATE pairing SET status = 'expired' WHERE status = 'proposed'"
	    " AND expires_on IS NOT NULL AND expires_on < ?1"
	    " RETURNING id, expires_on";
	sqlite3_stmt *st, *audit = NULL;
	struct { long long id; char due[DATE_BUFSZ]; } *v = NULL;
	size_t nv = 0, cap = 0, i;
	char detail[64];
	int rc;

	if (n != NULL)
		*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_date(st, 1, today);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(v, nv + 1, cap);
		v[nv].id = sqlite3_column_int64(st, 0);
		snprintf(v[nv].due, sizeof v[nv].due, "%s", db_col_text(st, 1));
		nv++;
	}
	sqlite3_finalize(st);
	if (rc == 0 && nv > 0 && (audit = audit_prepare(db, err)) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < nv; i++) {
		snprintf(detail, sizeof detail, "unanswered on %s", v[i].due);
		if (audit_row(db, audit, "pairing", v[i].id, "expire", detail,
		    err) != 0)
			rc = -1;
	}
	sqlite3_finalize(audit);
	free(v);
	if (rc < 0)
		return -1;
	if (n != NULL)
		*n = nv;
	return 0;
}

/* ---- activation ---- */

struct activate_stmts {
	sqlite3_stmt *pairing;
	sqlite3_stmt *cycle;
	sqlite3_stmt *enroll;
	sqlite3_stmt *audit;
};

static void
activate_stmts_free(struct activate_stmts *q)
{
	sqlite3_finalize(q->pairing);
	sqlite3_finalize(q->cycle);
	sqlite3_finalize(q->enroll);
	sqlite3_finalize(q->audit);
	memset(q, 0, sizeof *q);
}

static int
activate_stmts_prepare(struct db *db, struct activate_stmts *q,
    struct error *err)
{
	/* The open cycle is the highest-numbered one with status open. */
	static const char pairing_sql[] =
	    "UPDATE pairing SET status = 'active', activated_on = ?2,"
	    " cycle_id = (SELECT c.id FROM cycle c WHERE c.program_id ="
	    "  pairing.program_id AND c.status = 'open'"
	    "  ORDER BY c.number DESC LIMIT 1)"
	    " WHERE id = ?1 AND status = 'proposed'"
	    " RETURNING cycle_id, mentor_enrollment_id, mentee_enrollment_id";
	static const char cycle_sql[] =
	    "INSERT OR IGNORE INTO pairing_cycle (pairing_id, cycle_id)"
	    " VALUES (?1, ?2)";
	static const char enroll_sql[] =
	    "UPDATE enrollment SET status = 'active', reason = NULL"
	    " WHERE id IN (?1, ?2) AND status IN ('eligible', 'pending')"
	    " RETURNING id";

	memset(q, 0, sizeof *q);
	if ((q->pairing = db_prepare(db, pairing_sql, err)) == NULL ||
	    (q->cycle = db_prepare(db, cycle_sql, err)) == NULL ||
	    (q->enroll = db_prepare(db, enroll_sql, err)) == NULL ||
	    (q->audit = audit_prepare(db, err)) == NULL) {
		activate_stmts_free(q);
		return -1;
	}
	return 0;
}

static int
activate_one(struct db *db, struct activate_stmts *q, long long id, int today,
    struct error *err)
{
	long long cycle = 0, mentor = 0, mentee = 0, eids[2];
	char detail[64];
	size_t ne = 0, i;
	int rc;

	db_bind_int(q->pairing, 1, id);
	db_bind_date(q->pairing, 2, today);
	if ((rc = db_step_row(db, q->pairing, err)) == 1) {
		cycle = sqlite3_column_int64(q->pairing, 0);
		mentor = sqlite3_column_int64(q->pairing, 1);
		mentee = sqlite3_column_int64(q->pairing, 2);
		rc = db_step_row(db, q->pairing, err) < 0 ? -1 : 1;
	}
	sqlite3_reset(q->pairing);
	if (rc <= 0)
		return rc < 0 ? -1 : error_set(err, EX_DATAERR,
		    "pairing %lld is not a proposal", id);
	if (cycle > 0) {
		db_bind_int(q->cycle, 1, id);
		db_bind_int(q->cycle, 2, cycle);
		if (db_step_done(db, q->cycle, err) != 0)
			return -1;
		snprintf(detail, sizeof detail, "in cycle id %lld", cycle);
	} else
		snprintf(detail, sizeof detail, "no open cycle");
	if (audit_row(db, q->audit, "pairing", id, "activate", detail, err) != 0)
		return -1;
	db_bind_int(q->enroll, 1, mentor);
	db_bind_int(q->enroll, 2, mentee);
	while ((rc = db_step_row(db, q->enroll, err)) == 1)
		eids[ne++] = sqlite3_column_int64(q->enroll, 0);
	sqlite3_reset(q->enroll);
	if (rc < 0)
		return -1;
	snprintf(detail, sizeof detail, "pairing %lld", id);
	for (i = 0; i < ne; i++)
		if (audit_row(db, q->audit, "enrollment", eids[i], "active",
		    detail, err) != 0)
			return -1;
	return 0;
}

int
store_pairing_activate(struct db *db, long long id, int today,
    struct error *err)
{
	struct activate_stmts q;
	int rc;

	if (activate_stmts_prepare(db, &q, err) != 0)
		return -1;
	rc = activate_one(db, &q, id, today, err);
	activate_stmts_free(&q);
	return rc;
}

/* ---- proposal ---- */

int
store_pairing_propose(struct db *db, const struct pairing_propose *pp,
    struct pairing_new *v, size_t n, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO pairing (program_id, mentor_enrollment_id,"
	    " mentee_enrollment_id, group_id, score, status, origin,"
	    " proposed_on, expires_on, slot)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'proposed', ?6, ?7, ?8, ?9)";
	struct activate_stmts q = { 0 };
	sqlite3_stmt *st = NULL, *audit = NULL;
	char *detail;
	size_t i;
	int rc = -1;

	if (n == 0)
		return 0;
	if ((st = db_prepare(db, sql, err)) == NULL ||
	    (audit = audit_prepare(db, err)) == NULL)
		goto out;
	if (pp->activate && activate_stmts_prepare(db, &q, err) != 0)
		goto out;
	db_bind_int(st, 1, pp->program_id);
	db_bind_text(st, 6, pairing_origin_name(pp->origin));
	db_bind_date(st, 7, pp->today);
	db_bind_date(st, 8, pp->expires_on);
	for (i = 0; i < n; i++) {
		db_bind_int(st, 2, v[i].mentor_enrollment_id);
		db_bind_int(st, 3, v[i].mentee_enrollment_id);
		if (v[i].group_id > 0)
			db_bind_int(st, 4, v[i].group_id);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_double(st, 5, v[i].score / 100.0);
		if (v[i].slot > 0)
			db_bind_int(st, 9, v[i].slot);
		else
			sqlite3_bind_null(st, 9);
		if (db_step_done(db, st, err) != 0)
			goto out;
		v[i].id = sqlite3_last_insert_rowid(db->h);
		detail = xasprintf("mentor %s, mentee %s, score %d.%02d, %s%s%s",
		    v[i].mentor_email ? v[i].mentor_email : "?",
		    v[i].mentee_email ? v[i].mentee_email : "?",
		    v[i].score / 100, v[i].score % 100, pairing_origin_name(pp->origin),
		    pp->note ? "; " : "", pp->note ? pp->note : "");
		rc = audit_row(db, audit, "pairing", v[i].id, "propose", detail,
		    err);
		free(detail);
		if (rc != 0 || (pp->activate &&
		    activate_one(db, &q, v[i].id, pp->today, err) != 0)) {
			rc = -1;
			goto out;
		}
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(audit);
	activate_stmts_free(&q);
	return rc;
}

/* ---- answers ---- */

int
store_pairing_accept(struct db *db, long long id, unsigned sides, int today,
    const char *who, struct error *err)
{
	static const char sql[] =
	    "UPDATE pairing SET"
	    " mentor_accepted_on = CASE WHEN ?2 THEN"
	    "  coalesce(mentor_accepted_on, ?4) ELSE mentor_accepted_on END,"
	    " mentee_accepted_on = CASE WHEN ?3 THEN"
	    "  coalesce(mentee_accepted_on, ?4) ELSE mentee_accepted_on END"
	    " WHERE id = ?1 AND status = 'proposed'";
	sqlite3_stmt *st;
	char *detail;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, (sides & PAIRING_SIDE_MENTOR) != 0);
	db_bind_int(st, 3, (sides & PAIRING_SIDE_MENTEE) != 0);
	db_bind_date(st, 4, today);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	/* No audit of an answer that changed nothing (as for a decline). */
	if (sqlite3_changes(db->h) != 1)
		return error_set(err, EX_DATAERR, "pairing %lld is not a "
		    "proposal", id);
	detail = xasprintf("%s%s%s by %s",
	    sides & PAIRING_SIDE_MENTOR ? "mentor" : "",
	    sides == (PAIRING_SIDE_MENTOR | PAIRING_SIDE_MENTEE) ? " and " : "",
	    sides & PAIRING_SIDE_MENTEE ? "mentee" : "", who ? who : "?");
	rc = db_audit(db, "pairing", id, "accept", detail, err);
	free(detail);
	return rc;
}

int
store_pairing_decline(struct db *db, long long id, int today, const char *by,
    const char *reason, struct error *err)
{
	static const char sql[] =
	    "UPDATE pairing SET status = 'declined', declined_on = ?2,"
	    " declined_by = ?3, decline_reason = ?4"
	    " WHERE id = ?1 AND status = 'proposed'";
	sqlite3_stmt *st;
	char *detail;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_date(st, 2, today);
	db_bind_text(st, 3, by);
	db_bind_text(st, 4, reason && *reason ? reason : NULL);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) != 1)
		return error_set(err, EX_DATAERR, "pairing %lld is not a "
		    "proposal", id);
	detail = xasprintf("by %s%s%s", by ? by : "?",
	    reason && *reason ? ": " : "", reason && *reason ? reason : "");
	rc = db_audit(db, "pairing", id, "decline", detail, err);
	free(detail);
	return rc;
}

/* An enrollment with no active pairing left goes back to eligible. */
static int
release(struct db *db, long long enrollment_id, long long pairing_id,
    size_t *released, struct error *err)
{
	static const char sql[] =
	    "UPDATE enrollment SET status = 'eligible' WHERE id = ?1"
	    " AND status = 'active'"
	    " AND NOT EXISTS (SELECT 1 FROM pairing x WHERE"
	    "  x.mentor_enrollment_id = ?1 AND x.status = 'active')"
	    " AND NOT EXISTS (SELECT 1 FROM pairing x WHERE"
	    "  x.mentee_enrollment_id = ?1 AND x.status = 'active')";
	sqlite3_stmt *st;
	char detail[64];
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, enrollment_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	(*released)++;
	snprintf(detail, sizeof detail, "pairing %lld ended", pairing_id);
	return db_audit(db, "enrollment", enrollment_id, "eligible", detail,
	    err);
}

int
store_pairing_end(struct db *db, long long id, int today, const char *reason,
    size_t *released, struct error *err)
{
	static const char sql[] =
	    "UPDATE pairing SET status = 'ended', ended_on = ?2,"
	    " end_reason = ?3 WHERE id = ?1 AND status = 'active'"
	    " RETURNING mentor_enrollment_id, mentee_enrollment_id";
	long long mentor = 0, mentee = 0;
	size_t local = 0;
	sqlite3_stmt *st;
	int rc;

	if (released == NULL)
		released = &local;
	*released = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_date(st, 2, today);
	db_bind_text(st, 3, reason);
	if ((rc = db_step_row(db, st, err)) == 1) {
		mentor = sqlite3_column_int64(st, 0);
		mentee = sqlite3_column_int64(st, 1);
		rc = db_step_row(db, st, err) < 0 ? -1 : 1;
	}
	sqlite3_finalize(st);
	if (rc <= 0)
		return rc < 0 ? -1 : error_set(err, EX_DATAERR,
		    "pairing %lld is not active", id);
	if (db_audit(db, "pairing", id, "end", reason, err) != 0)
		return -1;
	if (release(db, mentor, id, released, err) != 0 ||
	    release(db, mentee, id, released, err) != 0)
		return -1;
	return 0;
}

/* ---- corrections ---- */

int
store_pairing_amend_reason(struct db *db, long long id,
    enum pairing_status status, const char *old, const char *reason,
    struct error *err)
{
	static const char end_sql[] =
	    "UPDATE pairing SET end_reason = ?2 WHERE id = ?1"
	    " AND status = 'ended'";
	static const char decline_sql[] =
	    "UPDATE pairing SET decline_reason = ?2 WHERE id = ?1"
	    " AND status = 'declined'";
	const bool ended = status == PAIRING_ENDED;
	sqlite3_stmt *st;
	char *detail;
	int rc;

	if (status != PAIRING_ENDED && status != PAIRING_DECLINED)
		return error_set(err, EX_SOFTWARE, "only the reason of an ended "
		    "or declined pairing can be corrected");
	if ((st = db_prepare(db, ended ? end_sql : decline_sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, reason);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) != 1)
		return error_set(err, EX_DATAERR, "pairing %lld is not %s", id,
		    pairing_status_name(status));
	if (old != NULL && *old != '\0')
		detail = xasprintf("%s reason: '%s' (was '%s')", ended ? "end" :
		    "decline", reason, old);
	else
		detail = xasprintf("%s reason: '%s' (was none)", ended ? "end" :
		    "decline", reason);
	rc = db_audit(db, "pairing", id, "amend", detail, err);
	free(detail);
	return rc;
}

/* ---- revival ---- */

int
store_pairing_find(struct db *db, long long program_id,
    const char *mentor_email, const char *mentee_email, long long *id,
    struct error *err)
{
	static const char sql[] =
	    "SELECT x.id FROM pairing x"
	    " JOIN enrollment me ON me.id = x.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = x.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " WHERE x.program_id = ?1 AND mp.email = ?2 AND tp.email = ?3"
	    " ORDER BY x.status = 'expired' DESC, x.id DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, mentor_email);
	db_bind_text(st, 3, mentee_email);
	if ((rc = db_step_row(db, st, err)) == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_pairing_revive(struct db *db, long long id, int expired_on,
    int expires_on, struct error *err)
{
	static const char sql[] =
	    "UPDATE pairing SET status = 'proposed', expires_on = ?2"
	    " WHERE id = ?1 AND status = 'expired'";
	char was[DATE_BUFSZ], due[DATE_BUFSZ], *detail;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_date(st, 2, expires_on);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) != 1)
		return error_set(err, EX_DATAERR, "pairing %lld is not an expired "
		    "proposal", id);
	detail = xasprintf("expired on %s; answers due by %s",
	    expired_on == DATE_NONE ? "?" : date_format(expired_on, was),
	    expires_on == DATE_NONE ? "never" : date_format(expires_on, due));
	rc = db_audit(db, "pairing", id, "revive", detail, err);
	free(detail);
	return rc;
}

/* ---- listing ---- */

struct pairing_cursor {
	struct db *db;
	sqlite3_stmt *st;
	struct pairing_row row;
};

struct pairing_cursor *
store_pairing_cursor(struct db *db, long long program_id, int today,
    int status, struct error *err)
{
	static const char sql[] =
	    "SELECT * FROM (SELECT x.id, mp.email, tp.email,"
	    " CASE WHEN x.status = 'proposed' AND x.expires_on < ?2"
	    "  THEN 'expired' WHEN x.status = 'proposed' AND x.proposed_on > ?2"
	    "  THEN 'planned' ELSE x.status END AS st,"
	    " x.score, x.group_id, x.proposed_on, x.expires_on,"
	    " x.activated_on, x.ended_on, x.end_reason, x.origin,"
	    " x.mentor_accepted_on, x.mentee_accepted_on, x.declined_on,"
	    " x.declined_by, x.decline_reason, x.slot,"
	    " mp.name, mp.department, tp.name, tp.department,"
	    " c.id IS NOT NULL,"
	    " (SELECT r.answer FROM reup r WHERE r.pairing_id = x.id"
	    "   AND r.cycle_id = c.id AND r.person_id = mp.id),"
	    " (SELECT r.answer FROM reup r WHERE r.pairing_id = x.id"
	    "   AND r.cycle_id = c.id AND r.person_id = tp.id)"
	    " FROM pairing x"
	    " JOIN enrollment me ON me.id = x.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = x.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    /* the open cycle whose re-up window has opened, for active ones */
	    " LEFT JOIN cycle c ON c.id = x.cycle_id AND c.status = 'open'"
	    "  AND x.status = 'active' AND c.reup_opens_on <= ?2"
	    " WHERE x.program_id = ?1)"
	    " WHERE ?3 IS NULL OR st = ?3 ORDER BY 1";
	struct pairing_cursor *c = xcalloc(1, sizeof *c);

	c->db = db;
	if ((c->st = db_prepare(db, sql, err)) == NULL) {
		free(c);
		return NULL;
	}
	db_bind_int(c->st, 1, program_id);
	db_bind_date(c->st, 2, today);
	db_bind_text(c->st, 3, status < 0 ? NULL :
	    pairing_status_name((enum pairing_status)status));
	return c;
}

static const char *
col_or_null(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* A re-up answer at the row boundary; NULL or unknown: none. */
static enum cycle_answer
reup_col(sqlite3_stmt *st, int col)
{
	const char *s = col_or_null(st, col);
	int a = s == NULL ? -1 : cycle_answer_parse(s);

	return a < 0 ? CYCLE_ANSWER_NONE : (enum cycle_answer)a;
}

int
store_pairing_next(struct pairing_cursor *c, const struct pairing_row **row,
    struct error *err)
{
	struct pairing_row *r = &c->row;
	sqlite3_stmt *st = c->st;
	int rc;

	if ((rc = db_step_row(c->db, st, err)) != 1)
		return rc;
	r->id = sqlite3_column_int64(st, 0);
	r->mentor_email = col_or_null(st, 1);
	r->mentee_email = col_or_null(st, 2);
	r->status = (enum pairing_status)row_enum(
	    pairing_status_parse(col_or_null(st, 3)));
	r->score = sqlite3_column_double(st, 4);
	r->group_id = sqlite3_column_int64(st, 5);
	r->proposed_on = db_col_date(st, 6);
	r->expires_on = db_col_date(st, 7);
	r->activated_on = db_col_date(st, 8);
	r->ended_on = db_col_date(st, 9);
	r->end_reason = col_or_null(st, 10);
	r->origin = (enum pairing_origin)row_enum(
	    pairing_origin_parse(col_or_null(st, 11)));
	r->mentor_accepted_on = db_col_date(st, 12);
	r->mentee_accepted_on = db_col_date(st, 13);
	r->declined_on = db_col_date(st, 14);
	r->declined_by = col_or_null(st, 15);
	r->decline_reason = col_or_null(st, 16);
	r->slot = sqlite3_column_int(st, 17);
	r->mentor_name = col_or_null(st, 18);
	r->mentor_department = col_or_null(st, 19);
	r->mentee_name = col_or_null(st, 20);
	r->mentee_department = col_or_null(st, 21);
	r->reup_window = sqlite3_column_int(st, 22) != 0;
	r->mentor_reup = reup_col(st, 23);
	r->mentee_reup = reup_col(st, 24);
	*row = r;
	return 1;
}

void
store_pairing_cursor_free(struct pairing_cursor *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c);
}
