/*
 * The coordinator's views: the audit trail, one pairing's story and the
 * morning screen's facts.  Reads only, every value bound.
 */
#include "store/view_store.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- log ---- */

/*
 * An audit row belongs to a programme through what it is about: the
 * programme itself, an enrollment, cycle, pairing or feedback of it, a
 * check-in of one of its pairings.  Trainings belong to people only.
 */
#define LOG_PROGRAM_OF \
	"(CASE a.entity" \
	" WHEN 'program' THEN a.entity_id" \
	" WHEN 'enrollment' THEN (SELECT program_id FROM enrollment" \
	"  WHERE id = a.entity_id)" \
	" WHEN 'cycle' THEN (SELECT program_id FROM cycle WHERE id = a.entity_id)" \
	" WHEN 'pairing' THEN (SELECT program_id FROM pairing" \
	"  WHERE id = a.entity_id)" \
	" WHEN 'feedback' THEN (SELECT program_id FROM feedback" \
	"  WHERE id = a.entity_id)" \
	" WHEN 'checkin' THEN (SELECT p.program_id FROM checkin k" \
	"  JOIN pairing p ON p.id = k.pairing_id WHERE k.id = a.entity_id)" \
	" END)"

#define LOG_PAIRING_OF \
	"(CASE a.entity" \
	" WHEN 'pairing' THEN a.entity_id" \
	" WHEN 'checkin' THEN (SELECT pairing_id FROM checkin" \
	"  WHERE id = a.entity_id)" \
	" WHEN 'feedback' THEN (SELECT pairing_id FROM feedback" \
	"  WHERE id = a.entity_id)" \
	" END)"

/* Whether the row is about person ?3 (e-mail), ?5 (id). */
#define LOG_ABOUT_PERSON \
	"(a.actor = ?3 COLLATE NOCASE OR (a.entity = 'person' AND" \
	"  a.entity_id = ?5) OR (a.entity = 'enrollment' AND" \
	"  a.entity_id IN (SELECT id FROM enrollment WHERE person_id = ?5))" \
	" OR (a.entity = 'training' AND a.entity_id IN (SELECT id FROM training" \
	"  WHERE person_id = ?5))" \
	" OR (a.entity = 'feedback' AND a.entity_id IN (SELECT id FROM feedback" \
	"  WHERE person_id = ?5))" \
	" OR " LOG_PAIRING_OF " IN (SELECT p.id FROM pairing p" \
	"  JOIN enrollment e ON e.id IN (p.mentor_enrollment_id," \
	"  p.mentee_enrollment_id) WHERE e.person_id = ?5))"

static const char log_sql[] =
    "SELECT a.id, a.at, a.actor, a.command, a.entity, a.entity_id, a.action,"
    " a.detail FROM audit a"
    " WHERE (?1 = 0 OR " LOG_PROGRAM_OF " = ?1)"
    " AND (?2 = 0 OR " LOG_PAIRING_OF " = ?2)"
    " AND (?3 IS NULL OR " LOG_ABOUT_PERSON ")"
    " AND (?4 IS NULL OR a.at >= ?4)"
    " ORDER BY a.id";

struct log_cursor {
	struct db *db;
	sqlite3_stmt *st;
};

struct log_cursor *
store_log_cursor(struct db *db, const struct log_filter *f, struct error *err)
{
	struct log_cursor *c = xcalloc(1, sizeof *c);
	long long pid = 0;
	sqlite3_stmt *q;
	int rc;

	c->db = db;
	if (f->person != NULL) {
		if ((q = db_prepare(db, "SELECT id FROM person WHERE email = ?1",
		    err)) == NULL)
			goto fail;
		db_bind_text(q, 1, f->person);
		if ((rc = db_step_row(db, q, err)) == 1)
			pid = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		if (rc < 0)
			goto fail;
		if (rc == 0) {
			error_set(err, EX_DATAERR, "unknown person '%s'",
			    f->person);
			goto fail;
		}
	}
	if ((c->st = db_prepare(db, log_sql, err)) == NULL)
		goto fail;
	db_bind_int(c->st, 1, f->program_id);
	db_bind_int(c->st, 2, f->pairing_id);
	if (f->person != NULL)
		db_bind_text(c->st, 3, f->person);
	if (f->since != DATE_NONE) {
		char day[DATE_BUFSZ];

		db_bind_text(c->st, 4, date_format(f->since, day));
	}
	db_bind_int(c->st, 5, pid);
	return c;
fail:
	free(c);
	return NULL;
}

int
store_log_next(struct log_cursor *c, struct log_row *row, struct error *err)
{
	int rc;

	if ((rc = db_step_row(c->db, c->st, err)) <= 0)
		return rc;
	row->id = sqlite3_column_int64(c->st, 0);
	row->at = db_col_text(c->st, 1);
	row->actor = db_col_text(c->st, 2);
	row->command = db_col_text(c->st, 3);
	row->entity = db_col_text(c->st, 4);
	row->entity_id = sqlite3_column_int64(c->st, 5);
	row->action = db_col_text(c->st, 6);
	row->detail = (const char *)sqlite3_column_text(c->st, 7);
	return 1;
}

void
store_log_cursor_free(struct log_cursor *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c);
}

/* ---- pairing show ---- */

/*
 * Every event of a pairing as (day, order, event, who, detail): order
 * keeps the events of one day as they happen (proposed before accepted
 * before active...).  ?2 = 1 includes the check-ins' topics, ratings and
 * notes (what the pair said in confidence).
 */
static const char story_sql[] =
    "WITH p AS (SELECT * FROM pairing WHERE id = ?1),"
    " mp AS (SELECT pe.email FROM p JOIN enrollment e"
    "  ON e.id = p.mentor_enrollment_id JOIN person pe ON pe.id = e.person_id),"
    " tp AS (SELECT pe.email FROM p JOIN enrollment e"
    "  ON e.id = p.mentee_enrollment_id JOIN person pe ON pe.id = e.person_id)"
    " SELECT proposed_on, 0, 'proposed', NULL,"
    "  'by ' || origin || ', score ' || printf('%.2f', score) ||"
    "  CASE WHEN expires_on IS NULL THEN '' ELSE"
    "  ', answers due by ' || expires_on END FROM p"
    " UNION ALL SELECT mentor_accepted_on, 1, 'accepted', (SELECT email FROM mp),"
    "  'the mentor' FROM p WHERE mentor_accepted_on IS NOT NULL"
    " UNION ALL SELECT mentee_accepted_on, 1, 'accepted', (SELECT email FROM tp),"
    "  'the mentee' FROM p WHERE mentee_accepted_on IS NOT NULL"
    " UNION ALL SELECT declined_on, 2, 'declined', declined_by,"
    "  decline_reason FROM p WHERE declined_on IS NOT NULL"
    " UNION ALL SELECT expires_on, 2, 'expired', NULL, 'nobody answered in time'"
    "  FROM p WHERE status = 'expired'"
    " UNION ALL SELECT activated_on, 3, 'active', NULL, NULL FROM p"
    "  WHERE activated_on IS NOT NULL"
    " UNION ALL SELECT k.held_on, 4, 'check-in', k.recorded_by,"
    "  trim(coalesce(k.minutes || ' min', '') ||"
    "  CASE WHEN ?2 THEN coalesce(', topic: ' || k.topic, '') ||"
    "  coalesce(', rating ' || k.rating, '') ||"
    "  coalesce(', notes: ' || k.notes, '') ELSE '' END, ', ')"
    "  FROM checkin k WHERE k.pairing_id = ?1"
    " UNION ALL SELECT r.due_on, 5, 'reminder', r.recipient,"
    "  r.kind || CASE WHEN r.state = 'sent' THEN ' sent' ELSE"
    "  ' claimed, not confirmed sent' END"
    "  FROM reminder r WHERE r.pairing_id = ?1"
    " UNION ALL SELECT u.answered_on, 6, 're-up answer', pe.email,"
    "  u.answer || ' (cycle ' || c.number || ')'"
    "  FROM reup u JOIN person pe ON pe.id = u.person_id"
    "  JOIN cycle c ON c.id = u.cycle_id WHERE u.pairing_id = ?1"
    " UNION ALL SELECT pc.decided_on, 7, 're-up outcome', NULL,"
    "  pc.outcome || ' at the end of cycle ' || c.number"
    "  FROM pairing_cycle pc JOIN cycle c ON c.id = pc.cycle_id"
    "  WHERE pc.pairing_id = ?1 AND pc.outcome IS NOT NULL"
    "  AND pc.decided_on IS NOT NULL"
    " UNION ALL SELECT ended_on, 8, 'ended', NULL, end_reason FROM p"
    "  WHERE ended_on IS NOT NULL"
    " ORDER BY 1, 2";

static const char story_head_sql[] =
    "SELECT p.id, g.slug, mp.email, mp.name, tp.email, tp.name, p.status,"
    " p.score, (SELECT count(*) FROM feedback f WHERE f.pairing_id = p.id)"
    " FROM pairing p JOIN program g ON g.id = p.program_id"
    " JOIN enrollment me ON me.id = p.mentor_enrollment_id"
    " JOIN person mp ON mp.id = me.person_id"
    " JOIN enrollment te ON te.id = p.mentee_enrollment_id"
    " JOIN person tp ON tp.id = te.person_id WHERE p.id = ?1";

int
store_pairing_story(struct db *db, long long id, bool include_notes,
    struct story *s, struct error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, v;

	memset(s, 0, sizeof *s);
	if ((st = db_prepare(db, story_head_sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = db_step_row(db, st, err)) == 1) {
		s->id = sqlite3_column_int64(st, 0);
		s->program = db_col_strdup(st, 1);
		s->mentor_email = db_col_strdup(st, 2);
		s->mentor_name = db_col_strdup(st, 3);
		s->mentee_email = db_col_strdup(st, 4);
		s->mentee_name = db_col_strdup(st, 5);
		v = pairing_status_parse(db_col_text(st, 6));
		s->status = v < 0 ? PAIRING_PROPOSED : (enum pairing_status)v;
		s->score = sqlite3_column_double(st, 7);
		s->feedbacks = sqlite3_column_int64(st, 8);
	}
	sqlite3_finalize(st);
	if (rc <= 0)
		return rc < 0 ? -1 : error_set(err, EX_DATAERR, "unknown "
		    "pairing %lld (see 'mentorctl pairings PROGRAM')", id);
	if ((st = db_prepare(db, story_sql, err)) == NULL)
		goto fail;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, include_notes ? 1 : 0);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct story_event *e;
		const unsigned char *d;

		XGROW(s->v, s->n + 1, cap);
		e = &s->v[s->n++];
		e->day = db_col_date(st, 0);
		e->proposal = sqlite3_column_int(st, 1) == 0;
		e->event = db_col_strdup(st, 2);
		e->who = db_col_strdup(st, 3);
		d = sqlite3_column_text(st, 4);
		e->detail = d == NULL || d[0] == '\0' ? NULL :
		    xstrdup((const char *)d);
	}
	sqlite3_finalize(st);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	story_free(s);
	return -1;
}

void
story_free(struct story *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].event);
		free(s->v[i].who);
		free(s->v[i].detail);
	}
	free(s->v);
	free(s->program);
	free(s->mentor_email);
	free(s->mentor_name);
	free(s->mentee_email);
	free(s->mentee_name);
	memset(s, 0, sizeof *s);
}

/* ---- today ---- */

static int
today_proposals(struct db *db, long long pid, int today, struct today_facts *f,
    struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, mp.email, tp.email, p.proposed_on, p.expires_on,"
	    " p.mentor_accepted_on IS NOT NULL, p.mentee_accepted_on IS NOT NULL"
	    " FROM pairing p"
	    " JOIN enrollment me ON me.id = p.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = p.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " WHERE p.program_id = ?1 AND p.status = 'proposed'"
	    " AND p.proposed_on <= ?2 ORDER BY p.proposed_on, p.id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pid);
	db_bind_date(st, 2, today);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct today_proposal *p;

		XGROW(f->proposals, f->nproposals + 1, cap);
		p = &f->proposals[f->nproposals++];
		p->id = sqlite3_column_int64(st, 0);
		p->mentor = db_col_strdup(st, 1);
		p->mentee = db_col_strdup(st, 2);
		p->proposed_on = db_col_date(st, 3);
		p->expires_on = db_col_date(st, 4);
		p->mentor_accepted = sqlite3_column_int(st, 5) != 0;
		p->mentee_accepted = sqlite3_column_int(st, 6) != 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * pending: every pending enrollment, since its enrollment; else eligible
 * mentees with nothing proposed or active, since they became eligible or
 * their last pairing or proposal ended, whichever is later.
 */
static int
today_people(struct db *db, long long pid, bool pending,
    struct today_person **v, size_t *n, struct error *err)
{
	static const char pending_sql[] =
	    "SELECT pe.email, pe.name, e.role, e.enrolled_on, e.reason"
	    " FROM enrollment e JOIN person pe ON pe.id = e.person_id"
	    " WHERE e.program_id = ?1 AND e.status = 'pending'"
	    " ORDER BY e.enrolled_on, pe.email";
	static const char unmatched_sql[] =
	    "SELECT pe.email, pe.name, e.role,"
	    " max(coalesce(e.eligible_on, e.enrolled_on),"
	    "  coalesce((SELECT max(coalesce(p.ended_on, p.declined_on,"
	    "  p.expires_on)) FROM pairing p WHERE p.mentee_enrollment_id = e.id),"
	    "  '')), NULL"
	    " FROM enrollment e JOIN person pe ON pe.id = e.person_id"
	    " WHERE e.program_id = ?1 AND e.role = 'mentee'"
	    " AND e.status IN ('eligible', 'active')"
	    " AND NOT EXISTS (SELECT 1 FROM pairing p"
	    "  WHERE p.mentee_enrollment_id = e.id"
	    "  AND p.status IN ('proposed', 'active'))"
	    " ORDER BY 4, pe.email";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, pending ? pending_sql : unmatched_sql,
	    err)) == NULL)
		return -1;
	db_bind_int(st, 1, pid);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct today_person *p;

		XGROW(*v, *n + 1, cap);
		p = &(*v)[(*n)++];
		p->email = db_col_strdup(st, 0);
		p->name = db_col_strdup(st, 1);
		p->role = strcmp(db_col_text(st, 2), "mentor") == 0 ?
		    ROLE_MENTOR : ROLE_MENTEE;
		p->since = db_col_date(st, 3);
		p->reason = db_col_strdup(st, 4);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Partners of active pairings in an open re-up window who have not answered. */
static int
today_reups(struct db *db, long long pid, int today, struct today_facts *f,
    struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, pe.email, c.reup_closes_on FROM pairing p"
	    " JOIN cycle c ON c.id = p.cycle_id AND c.status = 'open'"
	    "  AND c.reup_opens_on <= ?2 AND ?2 <= c.reup_closes_on"
	    " JOIN enrollment e ON e.id IN (p.mentor_enrollment_id,"
	    "  p.mentee_enrollment_id)"
	    " JOIN person pe ON pe.id = e.person_id"
	    " WHERE p.program_id = ?1 AND p.status = 'active'"
	    " AND NOT EXISTS (SELECT 1 FROM reup u WHERE u.pairing_id = p.id"
	    "  AND u.cycle_id = c.id AND u.person_id = pe.id)"
	    " ORDER BY p.id, e.role = 'mentee', pe.email";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pid);
	db_bind_date(st, 2, today);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct today_reup *r;

		XGROW(f->reups, f->nreups + 1, cap);
		r = &f->reups[f->nreups++];
		r->pairing = sqlite3_column_int64(st, 0);
		r->email = db_col_strdup(st, 1);
		r->closes_on = db_col_date(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_today_facts(struct db *db, long long program_id, int today,
    struct today_facts *f, struct error *err)
{
	memset(f, 0, sizeof *f);
	if (today_proposals(db, program_id, today, f, err) != 0 ||
	    today_people(db, program_id, true, &f->pending, &f->npending,
	    err) != 0 ||
	    today_people(db, program_id, false, &f->unmatched, &f->nunmatched,
	    err) != 0 ||
	    today_reups(db, program_id, today, f, err) != 0) {
		today_facts_free(f);
		return -1;
	}
	return 0;
}

static void
people_free(struct today_person *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].email);
		free(v[i].name);
		free(v[i].reason);
	}
	free(v);
}

void
today_facts_free(struct today_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nproposals; i++) {
		free(f->proposals[i].mentor);
		free(f->proposals[i].mentee);
	}
	free(f->proposals);
	people_free(f->pending, f->npending);
	people_free(f->unmatched, f->nunmatched);
	for (i = 0; i < f->nreups; i++)
		free(f->reups[i].email);
	free(f->reups);
	memset(f, 0, sizeof *f);
}
