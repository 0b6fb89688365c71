#include "store/session_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "store/mail_store.h"
#include "util/xmalloc.h"

int
store_session_add(struct db *db, const struct session_in *in, long long *id,
    struct error *err)
{
	static const char sql[] =
	    "INSERT INTO leader_session (program_id, leader_id, held_on,"
	    " starts_at, minutes, seats, title, added_on, added_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char day[DATE_BUFSZ], *detail;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, in->program_id);
	db_bind_int(st, 2, in->leader_id);
	db_bind_date(st, 3, in->held_on);
	if (in->starts_at >= 0)
		db_bind_int(st, 4, in->starts_at);
	db_bind_int(st, 5, in->minutes);
	db_bind_int(st, 6, in->seats);
	db_bind_text(st, 7, in->title);
	db_bind_date(st, 8, in->today);
	db_bind_text(st, 9, db_now(db));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	detail = xasprintf("on %s, %d seats", date_format(in->held_on, day),
	    in->seats);
	rc = db_audit(db, "session", *id, "add", detail, err);
	free(detail);
	return rc;
}

#define SESSION_COLS \
	"SELECT s.id, s.program_id, g.slug, s.leader_id, pe.email," \
	" nullif(pe.name, ''), s.held_on, s.starts_at, s.minutes, s.seats," \
	" s.title, s.seated_on, s.added_on," \
	" (SELECT count(*) FROM session_place x WHERE x.session_id = s.id" \
	"   AND x.status = 'signed_up')," \
	" (SELECT count(*) FROM session_place x WHERE x.session_id = s.id" \
	"   AND x.status = 'seated')," \
	" (SELECT count(*) FROM session_place x WHERE x.session_id = s.id" \
	"   AND x.status = 'waitlisted')," \
	" (SELECT count(*) FROM session_place x WHERE x.session_id = s.id" \
	"   AND x.status = 'cancelled')," \
	" (SELECT count(*) FROM session_place x WHERE x.session_id = s.id" \
	"   AND x.attended = 1)" \
	" FROM leader_session s JOIN program g ON g.id = s.program_id" \
	" JOIN person pe ON pe.id = s.leader_id"

static void
session_row(sqlite3_stmt *st, struct session_rec *s)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->program_id = sqlite3_column_int64(st, 1);
	s->program = db_col_strdup(st, 2);
	s->leader_id = sqlite3_column_int64(st, 3);
	s->leader_email = db_col_strdup(st, 4);
	s->leader_name = db_col_strdup(st, 5);
	s->held_on = db_col_date(st, 6);
	s->starts_at = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(st, 7);
	s->minutes = sqlite3_column_int(st, 8);
	s->seats = sqlite3_column_int(st, 9);
	s->title = db_col_strdup(st, 10);
	s->seated_on = db_col_date(st, 11);
	s->added_on = db_col_date(st, 12);
	s->signed_up = sqlite3_column_int(st, 13);
	s->seated = sqlite3_column_int(st, 14);
	s->waitlisted = sqlite3_column_int(st, 15);
	s->cancelled = sqlite3_column_int(st, 16);
	s->attended = sqlite3_column_int(st, 17);
}

int
store_session_get(struct db *db, long long id, struct session_rec *s,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(s, 0, sizeof *s);
	if ((st = db_prepare(db, SESSION_COLS " WHERE s.id = ?", err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = db_step_row(db, st, err)) == 1)
		session_row(st, s);
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown session %lld (see "
		    "'mentorctl session list PROGRAM')", id);
	return rc < 0 ? -1 : 0;
}

void
session_rec_free(struct session_rec *s)
{
	if (s == NULL)
		return;
	free(s->program);
	free(s->leader_email);
	free(s->leader_name);
	free(s->title);
	memset(s, 0, sizeof *s);
}

int
store_session_list(struct db *db, long long program_id,
    struct session_rec **v, size_t *n, struct error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, SESSION_COLS " WHERE s.program_id = ?"
	    " ORDER BY s.held_on, s.id", err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*v, *n + 1, cap);
		session_row(st, &(*v)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		session_recs_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
session_recs_free(struct session_rec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		session_rec_free(&v[i]);
	free(v);
}

int
store_session_seated(struct db *db, long long id, int day, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "UPDATE leader_session SET seated_on = ?"
	    " WHERE id = ? AND seated_on IS NULL", err)) == NULL)
		return -1;
	db_bind_date(st, 1, day);
	db_bind_int(st, 2, id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc == 0 && sqlite3_changes(db->h) > 0)
		rc = db_audit(db, "session", id, "seat", "seats allocated", err);
	return rc;
}

/* ---- places ---- */

#define PLACE_COLS \
	"SELECT x.person_id, pe.email, nullif(pe.name, ''), x.status, x.seq," \
	" x.rank, x.signed_up_on, x.seated_on, x.cancelled_on, x.attended," \
	" x.source FROM session_place x JOIN person pe ON pe.id = x.person_id"

static void
place_row(sqlite3_stmt *st, struct place_rec *p)
{
	int s;

	memset(p, 0, sizeof *p);
	p->person_id = sqlite3_column_int64(st, 0);
	p->email = db_col_strdup(st, 1);
	p->name = db_col_strdup(st, 2);
	s = session_place_parse(db_col_text(st, 3));
	p->status = s < 0 ? PLACE_CANCELLED : (enum session_place_status)s;
	p->seq = sqlite3_column_int(st, 4);
	p->rank = sqlite3_column_int(st, 5);
	p->signed_up_on = db_col_date(st, 6);
	p->seated_on = db_col_date(st, 7);
	p->cancelled_on = db_col_date(st, 8);
	p->attended = sqlite3_column_int(st, 9) != 0;
	p->source = db_col_strdup(st, 10);
}

int
store_place_get(struct db *db, long long session_id, long long person_id,
    struct place_rec *p, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(p, 0, sizeof *p);
	if ((st = db_prepare(db, PLACE_COLS " WHERE x.session_id = ?"
	    " AND x.person_id = ?", err)) == NULL)
		return -1;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, person_id);
	if ((rc = db_step_row(db, st, err)) == 1)
		place_row(st, p);
	sqlite3_finalize(st);
	return rc;
}

void
place_rec_free(struct place_rec *p)
{
	if (p == NULL)
		return;
	free(p->email);
	free(p->name);
	free(p->source);
	memset(p, 0, sizeof *p);
}

int
store_place_list(struct db *db, long long session_id, struct place_rec **v,
    size_t *n, struct error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, PLACE_COLS " WHERE x.session_id = ?"
	    " ORDER BY CASE x.status WHEN 'seated' THEN 0"
	    " WHEN 'waitlisted' THEN 1 WHEN 'signed_up' THEN 2 ELSE 3 END,"
	    " x.rank, x.seated_on, x.seq", err)) == NULL)
		return -1;
	db_bind_int(st, 1, session_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*v, *n + 1, cap);
		place_row(st, &(*v)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		place_recs_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
place_recs_free(struct place_rec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		place_rec_free(&v[i]);
	free(v);
}

int
store_place_signup(struct db *db, const struct place_in *in,
    struct error *err)
{
	static const char sql[] =
	    "INSERT INTO session_place (session_id, person_id, status, seq,"
	    " rank, signed_up_on, seated_on, source, updated_at)"
	    " VALUES (?1, ?2, ?3, (SELECT coalesce(max(seq), 0) + 1"
	    "   FROM session_place WHERE session_id = ?1), ?4, ?5,"
	    " CASE WHEN ?3 = 'seated' THEN ?5 END, ?6, ?7)"
	    " ON CONFLICT (session_id, person_id) DO UPDATE SET"
	    " status = excluded.status, seq = excluded.seq,"
	    " rank = excluded.rank, signed_up_on = excluded.signed_up_on,"
	    " seated_on = excluded.seated_on, cancelled_on = NULL,"
	    " attended = 0, source = excluded.source,"
	    " updated_at = excluded.updated_at"
	    " WHERE status = 'cancelled'";
	sqlite3_stmt *st;
	char *detail;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, in->session_id);
	db_bind_int(st, 2, in->person_id);
	db_bind_text(st, 3, session_place_name(in->status));
	if (in->status == PLACE_WAITLISTED)
		db_bind_int(st, 4, in->rank);
	db_bind_date(st, 5, in->today);
	db_bind_text(st, 6, in->source);
	db_bind_text(st, 7, db_now(db));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return error_set(err, EX_SOFTWARE, "'%s' has a place in session "
		    "%lld already", in->email, in->session_id);
	detail = xasprintf("%s signed up (%s, by %s)", in->email,
	    session_place_name(in->status), in->source);
	rc = db_audit(db, "session", in->session_id, "signup", detail, err);
	free(detail);
	return rc;
}

int
store_place_set(struct db *db, long long session_id, long long person_id,
    enum session_place_status status, int rank, int today, const char *why,
    struct error *err)
{
	static const char sql[] =
	    "UPDATE session_place SET status = ?3,"
	    " rank = CASE WHEN ?3 = 'waitlisted' THEN ?4 END,"
	    " seated_on = CASE WHEN ?3 = 'seated' THEN ?5 ELSE seated_on END,"
	    " cancelled_on = CASE WHEN ?3 = 'cancelled' THEN ?5 END,"
	    " attended = CASE WHEN ?3 = 'seated' THEN attended ELSE 0 END,"
	    " updated_at = ?6"
	    " WHERE session_id = ?1 AND person_id = ?2";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, session_place_name(status));
	if (status == PLACE_WAITLISTED)
		db_bind_int(st, 4, rank);
	db_bind_date(st, 5, today);
	db_bind_text(st, 6, db_now(db));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	/* No audit of a place that is not there. */
	if (sqlite3_changes(db->h) != 1)
		return error_set(err, EX_DATAERR, "person %lld has no place in "
		    "session %lld", person_id, session_id);
	return db_audit(db, "session", session_id, session_place_name(status),
	    why, err);
}

int
store_place_attend(struct db *db, long long session_id, long long person_id,
    const char *email, struct error *err)
{
	sqlite3_stmt *st;
	char *detail;
	int rc, changed;

	if ((st = db_prepare(db, "UPDATE session_place SET attended = 1,"
	    " updated_at = ? WHERE session_id = ? AND person_id = ?"
	    " AND status = 'seated' AND attended = 0", err)) == NULL)
		return -1;
	db_bind_text(st, 1, db_now(db));
	db_bind_int(st, 2, session_id);
	db_bind_int(st, 3, person_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if ((changed = sqlite3_changes(db->h)) == 0)
		return 0;
	detail = xasprintf("%s attended", email);
	rc = db_audit(db, "session", session_id, "attend", detail, err);
	free(detail);
	return rc == 0 ? 1 : -1;
}

int
store_place_max_rank(struct db *db, long long session_id, int *rank,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*rank = 0;
	if ((st = db_prepare(db, "SELECT coalesce(max(rank), 0) FROM"
	    " session_place WHERE session_id = ? AND status = 'waitlisted'",
	    err)) == NULL)
		return -1;
	db_bind_int(st, 1, session_id);
	if ((rc = db_step_row(db, st, err)) == 1)
		*rank = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_place_attended_before(struct db *db, long long program_id, int day,
    const long long *person_ids, size_t n, int *counts, struct error *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM session_place x"
	    " JOIN leader_session s ON s.id = x.session_id"
	    " WHERE s.program_id = ?1 AND s.held_on < ?2 AND x.person_id = ?3"
	    " AND x.attended = 1";
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, day);
	for (i = 0; i < n && rc >= 0; i++) {
		db_bind_int(st, 3, person_ids[i]);
		counts[i] = 0;
		if ((rc = db_step_row(db, st, err)) == 1)
			counts[i] = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* ---- the audience ---- */

static const char *
keep(struct audience_list *l, size_t *cap, sqlite3_stmt *st, int col)
{
	char *s = db_col_strdup(st, col);

	if (s == NULL)
		return NULL;
	XGROW(l->strings, l->nstrings + 1, *cap);
	l->strings[l->nstrings++] = s;
	return s;
}

struct id_index {
	long long id;
	size_t i;
};

static int
id_index_cmp(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Give each person their trainings (sorted by person id, then name). */
static int
audience_trainings(struct db *db, const char *email, struct audience_list *l,
    size_t *scap, struct error *err)
{
	static const char sql[] =
	    "SELECT t.person_id, t.name, t.completed_on FROM training t"
	    " WHERE ?1 IS NULL OR t.person_id ="
	    "   (SELECT id FROM person WHERE email = ?1)"
	    " ORDER BY t.person_id, t.name";
	struct id_index *idx, key, *hit;
	long long *owner = NULL;
	sqlite3_stmt *st;
	size_t cap = 0, i, j;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	while ((rc = db_step_row(db, st, err)) == 1) {
		if (l->ntrainings + 1 > cap) {
			XGROW(l->trainings, l->ntrainings + 1, cap);
			owner = xreallocarray(owner, cap, sizeof *owner);
		}
		owner[l->ntrainings] = sqlite3_column_int64(st, 0);
		l->trainings[l->ntrainings].name = keep(l, scap, st, 1);
		l->trainings[l->ntrainings].completed_on = db_col_date(st, 2);
		l->ntrainings++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(owner);
		return -1;
	}
	idx = xcalloc(l->n + 1, sizeof *idx);
	for (i = 0; i < l->n; i++) {
		idx[i].id = l->ids[i];
		idx[i].i = i;
	}
	xqsort(idx, l->n, sizeof *idx, id_index_cmp);
	for (i = 0; i < l->ntrainings; i = j) {
		for (j = i; j < l->ntrainings && owner[j] == owner[i]; j++)
			;
		key.id = owner[i];
		hit = l->n ? xbsearch(&key, idx, l->n, sizeof *idx,
		    id_index_cmp) : NULL;
		if (hit == NULL)
			continue;
		l->v[hit->i].trainings = &l->trainings[i];
		l->v[hit->i].ntrainings = j - i;
	}
	free(idx);
	free(owner);
	return 0;
}

int
store_audience_load(struct db *db, long long program_id, bool everyone,
    const char *email, struct audience_list *out, struct error *err)
{
	static const char sql[] =
	    "SELECT pe.id, pe.email, nullif(pe.name, ''), pe.department,"
	    " pe.location, pe.level, pe.hired_on, count(e.id),"
	    " coalesce(max(e.role = 'mentor'), 0),"
	    " coalesce(max(e.role = 'mentee'), 0)"
	    " FROM person pe LEFT JOIN enrollment e ON e.person_id = pe.id"
	    "   AND e.program_id = ?1 AND e.status <> 'withdrawn'"
	    " WHERE ?2 IS NULL OR pe.email = ?2"
	    " GROUP BY pe.id HAVING ?3 OR count(e.id) > 0"
	    " ORDER BY pe.email";
	sqlite3_stmt *st;
	size_t cap = 0, scap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, email);
	db_bind_int(st, 3, everyone ? 1 : 0);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct audience_person *a;

		if (out->n + 1 > cap) {
			XGROW(out->v, out->n + 1, cap);
			out->ids = xreallocarray(out->ids, cap,
			    sizeof *out->ids);
			out->names = xreallocarray(out->names, cap,
			    sizeof *out->names);
		}
		a = &out->v[out->n];
		memset(a, 0, sizeof *a);
		out->ids[out->n] = sqlite3_column_int64(st, 0);
		a->email = keep(out, &scap, st, 1);
		out->names[out->n] = (char *)keep(out, &scap, st, 2);
		a->department = keep(out, &scap, st, 3);
		a->location = keep(out, &scap, st, 4);
		a->has_level = sqlite3_column_type(st, 5) != SQLITE_NULL;
		a->level = sqlite3_column_int(st, 5);
		a->hired_on = db_col_date(st, 6);
		a->enrolled = sqlite3_column_int(st, 7) > 0;
		if (sqlite3_column_int(st, 8))
			a->roles |= 1u << ROLE_MENTOR;
		if (sqlite3_column_int(st, 9))
			a->roles |= 1u << ROLE_MENTEE;
		out->n++;
	}
	sqlite3_finalize(st);
	if (rc == 0)
		rc = audience_trainings(db, email, out, &scap, err);
	if (rc != 0) {
		audience_list_free(out);
		return -1;
	}
	return 0;
}

void
audience_list_free(struct audience_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nstrings; i++)
		free(l->strings[i]);
	free(l->strings);
	free(l->v);
	free(l->ids);
	free(l->names);
	free(l->trainings);
	memset(l, 0, sizeof *l);
}

/* ---- the report ---- */

static int
facts_leaders(struct db *db, long long program_id, struct session_facts *f,
    long long **ids, struct error *err)
{
	static const char sql[] =
	    "SELECT DISTINCT pe.id, pe.email, nullif(pe.name, '')"
	    " FROM leader_session s JOIN person pe ON pe.id = s.leader_id"
	    " WHERE s.program_id = ? ORDER BY pe.email";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		if (f->nleaders + 1 > cap) {
			XGROW(f->leaders, f->nleaders + 1, cap);
			*ids = xreallocarray(*ids, cap, sizeof **ids);
		}
		(*ids)[f->nleaders] = sqlite3_column_int64(st, 0);
		f->leaders[f->nleaders].email = db_col_strdup(st, 1);
		f->leaders[f->nleaders].name = db_col_strdup(st, 2);
		f->nleaders++;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
facts_sessions(struct db *db, long long program_id, struct session_facts *f,
    const long long *leader_ids, struct error *err)
{
	static const char sql[] =
	    "SELECT s.id, s.leader_id, s.held_on, s.seats,"
	    " (SELECT count(*) FROM session_place x WHERE x.session_id = s.id"
	    "   AND x.status = 'seated'),"
	    " (SELECT count(*) FROM session_place x WHERE x.session_id = s.id"
	    "   AND x.attended = 1),"
	    " (SELECT count(*) FROM session_place x WHERE x.session_id = s.id"
	    "   AND x.status <> 'cancelled'),"
	    " (SELECT count(*) FROM session_place x WHERE x.session_id = s.id"
	    "   AND x.status = 'waitlisted')"
	    " FROM leader_session s WHERE s.program_id = ?"
	    " ORDER BY s.held_on, s.id";
	sqlite3_stmt *st;
	size_t cap = 0, l;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct session_fact *s;
		long long leader = sqlite3_column_int64(st, 1);

		XGROW(f->sessions, f->nsessions + 1, cap);
		s = &f->sessions[f->nsessions++];
		memset(s, 0, sizeof *s);
		s->id = sqlite3_column_int64(st, 0);
		for (l = 0; l < f->nleaders && leader_ids[l] != leader; l++)
			;
		s->leader = l;
		s->held_on = db_col_date(st, 2);
		s->seats = sqlite3_column_int(st, 3);
		s->seated = sqlite3_column_int(st, 4);
		s->attended = sqlite3_column_int(st, 5);
		s->signed_up = sqlite3_column_int(st, 6);
		s->waitlisted = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
facts_attended(struct db *db, long long program_id, int as_of,
    struct session_facts *f, long long **attended, struct error *err)
{
	static const char sql[] =
	    "SELECT DISTINCT x.person_id, pe.department, pe.level"
	    " FROM session_place x"
	    " JOIN leader_session s ON s.id = x.session_id"
	    " JOIN person pe ON pe.id = x.person_id"
	    " WHERE s.program_id = ?1 AND s.held_on <= ?2 AND x.attended = 1"
	    " ORDER BY x.person_id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, as_of);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct session_reach_fact *r;

		if (f->npeople + 1 > cap) {
			XGROW(f->people, f->npeople + 1, cap);
			*attended = xreallocarray(*attended, cap,
			    sizeof **attended);
		}
		(*attended)[f->npeople] = sqlite3_column_int64(st, 0);
		r = &f->people[f->npeople++];
		memset(r, 0, sizeof *r);
		r->department = db_col_strdup(st, 1);
		r->has_level = sqlite3_column_type(st, 2) != SQLITE_NULL;
		r->level = sqlite3_column_int(st, 2);
		r->attended = true;
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_session_facts(struct db *db, long long program_id, int as_of,
    struct session_facts *f, long long **attended, struct error *err)
{
	long long *leader_ids = NULL;
	int rc;

	memset(f, 0, sizeof *f);
	*attended = NULL;
	f->as_of = as_of;
	rc = facts_leaders(db, program_id, f, &leader_ids, err);
	if (rc == 0)
		rc = facts_sessions(db, program_id, f, leader_ids, err);
	if (rc == 0)
		rc = facts_attended(db, program_id, as_of, f, attended, err);
	free(leader_ids);
	if (rc != 0) {
		session_facts_free(f);
		free(*attended);
		*attended = NULL;
		return -1;
	}
	return 0;
}

/* ---- mails ---- */

/* A 'YYYY-MM-DDTHH:MM:SSZ' column (the schema's CHECK) as a time; 0 for NULL. */
static time_t
col_time(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	int y, mo, d, h, mi, se;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h,
	    &mi, &se) != 6 || !date_valid_ymd(y, mo, d))
		return 0;
	return (time_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    se;
}

static void
mail_bind_key(sqlite3_stmt *st, const struct session_mail_key *k,
    char key[32])
{
	snprintf(key, 32, "session:%lld", k->session_id);
	db_bind_int(st, 1, k->program_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	db_bind_text(st, 3, k->kind);
	db_bind_date(st, 4, k->due_on);
	db_bind_text(st, 5, k->recipient);
}

int
store_session_mail_log(struct db *db, const struct session_mail_key *k,
    struct reminder_log *log, struct error *err)
{
	static const char sql[] =
	    "SELECT state, attempts, failed_on, failed_at FROM reminder"
	    " WHERE program_id = ?1 AND subject_key = ?2 AND kind = ?3"
	    " AND due_on = ?4 AND recipient = ?5";
	sqlite3_stmt *st;
	char key[32];
	int rc, s;

	memset(log, 0, sizeof *log);
	log->failed_on = DATE_NONE;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	mail_bind_key(st, k, key);
	if ((rc = db_step_row(db, st, err)) == 1) {
		log->present = true;
		s = delivery_state_parse(db_col_text(st, 0));
		log->state = s < 0 ? DELIVERY_HANDED : (enum delivery_state)s;
		log->attempts = sqlite3_column_int(st, 1);
		log->failed_on = db_col_date(st, 2);
		log->failed_at = col_time(st, 3);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* One statement in a short write transaction of its own: its changes(). */
static int
write_alone(struct db *db, sqlite3_stmt *st, struct error *err)
{
	int changed;

	if (db_begin(db, err) != 0)
		return -1;
	if (db_step_done(db, st, err) != 0) {
		db_rollback(db);
		return -1;
	}
	changed = sqlite3_changes(db->h);
	if (db_commit(db, err) != 0)
		return -1;
	return changed;
}

int
store_session_mail_claim(struct db *db, const struct session_mail_key *k,
    int attempts, const char *message_id, int today, time_t now,
    const char *by, struct error *err)
{
	/* claimed_on as a reminder's: the digest reports it by that day */
	static const char sql[] =
	    "INSERT INTO reminder (program_id, subject_key, kind, due_on,"
	    " recipient, state, claimed_at, claimed_by, message_id, attempts,"
	    " claimed_on)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'handed', ?6, ?7, ?8, 1, ?10)"
	    " ON CONFLICT (program_id, subject_key, kind, due_on, recipient)"
	    " DO UPDATE SET state = 'handed', claimed_at = excluded.claimed_at,"
	    " claimed_on = excluded.claimed_on,"
	    " claimed_by = excluded.claimed_by,"
	    " message_id = excluded.message_id, attempts = attempts + 1"
	    " WHERE state = 'failed' AND attempts = ?9";
	char key[32], ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	mail_bind_key(st, k, key);
	db_bind_text(st, 6, timestamp_format(now, ts));
	db_bind_text(st, 7, by);
	db_bind_text(st, 8, message_id);
	db_bind_int(st, 9, attempts);
	db_bind_date(st, 10, today);
	rc = write_alone(db, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	return rc > 0 ? 1 : 0;
}

int
store_session_mail_outcome(struct db *db, const struct session_mail_key *k,
    const char *by, const struct reminder_outcome *out, struct error *err)
{
	static const char sql[] =
	    "UPDATE reminder SET state = ?6,"
	    " sent_at = CASE WHEN ?6 = 'sent' THEN ?7 END,"
	    " failed_on = CASE WHEN ?6 IN ('failed','gave_up','bounced')"
	    "   THEN ?8 ELSE failed_on END,"
	    " failed_at = CASE WHEN ?6 IN ('failed','gave_up','bounced')"
	    "   THEN ?7 ELSE failed_at END,"
	    " error = CASE WHEN ?6 = 'sent' THEN NULL ELSE ?9 END"
	    " WHERE program_id = ?1 AND subject_key = ?2 AND kind = ?3"
	    " AND due_on = ?4 AND recipient = ?5 AND state = 'handed'"
	    " AND claimed_by = ?10";
	char key[32], ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc = -1;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	mail_bind_key(st, k, key);
	db_bind_text(st, 6, delivery_state_name(out->state));
	db_bind_text(st, 7, timestamp_format(out->now, ts));
	db_bind_date(st, 8, out->today);
	db_bind_text(st, 9, out->error);
	db_bind_text(st, 10, by);
	if (db_begin(db, err) != 0)
		goto out;
	if (db_step_done(db, st, err) != 0)
		goto fail;
	if (out->state == DELIVERY_BOUNCED && sqlite3_changes(db->h) > 0 &&
	    store_bounce_mark(db, k->recipient, out->error ? out->error :
	    "refused", BOUNCE_SOURCE_REMIND, out->today, out->now, err) != 0)
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	sqlite3_finalize(st);
	return rc;
}
