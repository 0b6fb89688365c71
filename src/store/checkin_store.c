#include "store/checkin_store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

int
store_checkin_days(struct db *db, long long pairing_id, int **days, size_t *n,
    struct error *err)
{
	static const char sql[] =
	    "SELECT held_on FROM checkin WHERE pairing_id = ? ORDER BY held_on";
	sqlite3_stmt *st;
	size_t cap = 0;
	int *v = NULL;
	int rc;

	*days = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(v, *n + 1, cap);
		v[(*n)++] = db_col_date(st, 0);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	*days = v;
	return 0;
}

int
store_circle_days(struct db *db, long long program_id, long long group_id,
    int **days, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT DISTINCT c.held_on FROM checkin c"
	    " JOIN pairing p ON p.id = c.pairing_id"
	    " WHERE c.group_id = ?2 AND p.program_id = ?1 AND p.group_id = ?2"
	    " ORDER BY c.held_on";
	sqlite3_stmt *st;
	size_t cap = 0;
	int *v = NULL;
	int rc;

	*days = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, group_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(v, *n + 1, cap);
		v[(*n)++] = db_col_date(st, 0);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	*days = v;
	return 0;
}

int
store_checkin_on(struct db *db, long long pairing_id, int day, long long *id,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT id FROM checkin WHERE pairing_id = ?"
	    " AND held_on = ? ORDER BY id LIMIT 1", err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	db_bind_date(st, 2, day);
	if ((rc = db_step_row(db, st, err)) == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int
store_checkin_add(struct db *db, const struct checkin_in *in,
    long long replace_id, int meeting, long long *id, struct error *err)
{
	static const char add_sql[] =
	    "INSERT INTO checkin (pairing_id, held_on, minutes, rating, topic,"
	    " notes, recorded_by, recorded_at, group_id) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?10)";
	static const char replace_sql[] =
	    "UPDATE checkin SET held_on = ?2, minutes = ?3, rating = ?4,"
	    " topic = ?5, notes = ?6, recorded_by = ?7, recorded_at = ?8,"
	    " group_id = ?10 WHERE id = ?9 AND pairing_id = ?1";
	char b[DATE_BUFSZ], detail[96];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, replace_id > 0 ? replace_sql : add_sql,
	    err)) == NULL)
		return -1;
	db_bind_int(st, 1, in->pairing_id);
	db_bind_date(st, 2, in->held_on);
	if (in->minutes > 0)
		db_bind_int(st, 3, in->minutes);
	if (in->rating > 0)
		db_bind_int(st, 4, in->rating);
	db_bind_text(st, 5, in->topic);
	db_bind_text(st, 6, in->notes);
	db_bind_text(st, 7, in->recorded_by);
	db_bind_text(st, 8, db_now(db));
	if (replace_id > 0)
		db_bind_int(st, 9, replace_id);
	if (in->group_id > 0)
		db_bind_int(st, 10, in->group_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*id = replace_id > 0 ? replace_id : sqlite3_last_insert_rowid(db->h);
	/* The audit names the meeting, never its notes. */
	snprintf(detail, sizeof detail, "pairing %lld meeting %d on %s%s",
	    in->pairing_id, meeting, date_format(in->held_on, b),
	    in->group_id > 0 ? " (circle)" : "");
	return db_audit(db, "checkin", *id, replace_id > 0 ? "replace" : "add",
	    detail, err);
}

/* ---- the roster ---- */

/* The statement store_checkin_roster_history() runs for pairing after pairing. */
struct checkin_history {
	sqlite3_stmt *st;
};

void
checkin_roster_free(struct checkin_roster *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->history_query != NULL) {
		sqlite3_finalize(r->history_query->st);
		free(r->history_query);
	}
	for (i = 0; i < r->nhistories; i++)
		free(r->histories[i]);
	free(r->histories);
	free(r->v);
	free(r->days);
	free(r->strings);
	memset(r, 0, sizeof *r);
}

/*
 * Dates in the schema are 'YYYY-MM-DD' by its CHECKs (real days, by SQLite's
 * own date()), so the digits can be read without a validating parse: this
 * runs for several columns of every pairing of the programme.
 */
static int
roster_day(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	int y, m, d;

	if (s == NULL || sqlite3_column_bytes(st, col) != DATE_BUFSZ - 1 ||
	    s[4] != '-' || s[7] != '-')
		return DATE_NONE;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid_ymd(y, m, d))
		return DATE_NONE;
	return date_from_ymd(y, m, d);
}

/*
 * The loader's working state.  The pairing query returns enrollment and
 * cycle ids only; the people, cycles and re-up answers of the programme
 * are read once each and joined here, which is several times cheaper
 * than letting SQLite look them up pairing by pairing.
 */
struct roster_person {
	long long enrollment_id;
	long long person_id;
	size_t name;             /* offsets into the arena, which may move */
	size_t email;
};

struct roster_cycle {
	long long id;
	int starts_on;
	bool open;
	int ends_on;
	int reup_opens_on;
	int reup_closes_on;
};

struct roster_answer {
	long long pairing_id;
	long long person_id;
};

struct roster_circle {
	long long group_id;
	int held;
};

struct roster_extra {
	long long mentor;        /* enrollment ids */
	long long mentee;
	int last;                /* latest meeting, DATE_NONE */
	size_t first;            /* ROSTER_ALL_MEETINGS: into r->days */
};

struct roster_load {
	struct checkin_roster *r;
	struct roster_extra *x;
	size_t cap;
	char *arena;
	size_t alen;
	size_t acap;
	struct roster_person *people;
	size_t npeople;
	struct roster_cycle *cycles;
	size_t ncycles;
	struct roster_answer *answers;
	size_t nanswers;
	struct roster_circle *circles;  /* by group id */
	size_t ncircles;
};

static size_t
roster_intern(struct roster_load *L, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t n = s ? (size_t)sqlite3_column_bytes(st, col) : 0;
	size_t at = L->alen;

	XGROW(L->arena, L->alen + n + 1, L->acap);
	if (n > 0)
		memcpy(L->arena + L->alen, s, n);
	L->arena[L->alen + n] = '\0';
	L->alen += n + 1;
	return at;
}

static int
roster_person_cmp(const void *a, const void *b)
{
	const struct roster_person *x = a, *y = b;

	return (x->enrollment_id > y->enrollment_id) -
	    (x->enrollment_id < y->enrollment_id);
}

static int
roster_people(struct db *db, long long program_id, struct roster_load *L,
    struct error *err)
{
	static const char sql[] =
	    "SELECT e.id, e.person_id, pe.name, pe.email FROM enrollment e"
	    " JOIN person pe ON pe.id = e.person_id WHERE e.program_id = ?";
	sqlite3_stmt *st;
	size_t cap = 0;
	bool sorted = true;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct roster_person *pp;

		XGROW(L->people, L->npeople + 1, cap);
		pp = &L->people[L->npeople++];
		pp->enrollment_id = sqlite3_column_int64(st, 0);
		pp->person_id = sqlite3_column_int64(st, 1);
		pp->name = roster_intern(L, st, 2);
		pp->email = roster_intern(L, st, 3);
		if (L->npeople > 1 && pp[-1].enrollment_id > pp->enrollment_id)
			sorted = false;
	}
	sqlite3_finalize(st);
	if (!sorted)
		xqsort(L->people, L->npeople, sizeof *L->people,
		    roster_person_cmp);
	return rc;
}

static const struct roster_person *
roster_find_person(const struct roster_load *L, long long enrollment_id)
{
	size_t lo = 0, hi = L->npeople, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (L->people[mid].enrollment_id < enrollment_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < L->npeople && L->people[lo].enrollment_id == enrollment_id)
		return &L->people[lo];
	return NULL;
}

static int
roster_cycles(struct db *db, long long program_id, struct roster_load *L,
    struct error *err)
{
	static const char sql[] =
	    "SELECT id, starts_on, status = 'open', ends_on, reup_opens_on,"
	    " reup_closes_on FROM cycle WHERE program_id = ?";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct roster_cycle *c;

		XGROW(L->cycles, L->ncycles + 1, cap);
		c = &L->cycles[L->ncycles++];
		c->id = sqlite3_column_int64(st, 0);
		c->starts_on = roster_day(st, 1);
		c->open = sqlite3_column_int(st, 2) != 0;
		c->ends_on = roster_day(st, 3);
		c->reup_opens_on = roster_day(st, 4);
		c->reup_closes_on = roster_day(st, 5);
	}
	sqlite3_finalize(st);
	return rc;
}

static const struct roster_cycle *
roster_find_cycle(const struct roster_load *L, long long id)
{
	size_t i;

	for (i = 0; i < L->ncycles; i++)
		if (L->cycles[i].id == id)
			return &L->cycles[i];
	return NULL;
}

/* How many times each circle of the programme met as one, by group id. */
static int
roster_circles(struct db *db, long long program_id, struct roster_load *L,
    struct error *err)
{
	static const char sql[] =
	    "SELECT p.group_id, count(DISTINCT c.held_on) FROM checkin c"
	    " JOIN pairing p ON p.id = c.pairing_id"
	    " WHERE p.program_id = ? AND c.group_id IS NOT NULL"
	    " AND c.group_id = p.group_id GROUP BY p.group_id ORDER BY 1";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(L->circles, L->ncircles + 1, cap);
		L->circles[L->ncircles].group_id = sqlite3_column_int64(st, 0);
		L->circles[L->ncircles].held = sqlite3_column_int(st, 1);
		L->ncircles++;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
roster_circle_held(const struct roster_load *L, long long group_id)
{
	size_t lo = 0, hi = L->ncircles, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (L->circles[mid].group_id < group_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < L->ncircles && L->circles[lo].group_id == group_id ?
	    L->circles[lo].held : 0;
}

/* Who answered in the open cycles whose re-up window contains today. */
static int
roster_answers(struct db *db, int today, struct roster_load *L,
    struct error *err)
{
	/* reup is keyed (pairing_id, ...): rows come in pairing order. */
	static const char sql[] =
	    "SELECT pairing_id, person_id FROM reup WHERE cycle_id = ?";
	sqlite3_stmt *st;
	size_t cap = 0, i;
	int rc = 0;

	for (i = 0; i < L->ncycles && rc == 0; i++) {
		const struct roster_cycle *c = &L->cycles[i];

		if (!c->open || today < c->reup_opens_on ||
		    today > c->reup_closes_on)
			continue;
		if ((st = db_prepare(db, sql, err)) == NULL)
			return -1;
		db_bind_int(st, 1, c->id);
		while ((rc = db_step_row(db, st, err)) == 1) {
			XGROW(L->answers, L->nanswers + 1, cap);
			L->answers[L->nanswers].pairing_id =
			    sqlite3_column_int64(st, 0);
			L->answers[L->nanswers].person_id =
			    sqlite3_column_int64(st, 1);
			L->nanswers++;
		}
		sqlite3_finalize(st);
	}
	return rc;
}

static int
roster_answer_cmp(const void *a, const void *b)
{
	const struct roster_answer *x = a, *y = b;

	if (x->pairing_id != y->pairing_id)
		return x->pairing_id < y->pairing_id ? -1 : 1;
	return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

static bool
roster_answered(const struct roster_load *L, long long pairing_id,
    long long person_id)
{
	struct roster_answer key = { pairing_id, person_id };

	return L->nanswers > 0 && xbsearch(&key, L->answers, L->nanswers,
	    sizeof *L->answers, roster_answer_cmp) != NULL;
}

/*
 * One status per query: the (program_id, status) index then yields the
 * pairings in id order, with no sort.  The latest meeting comes from the
 * check-in index (one seek, SQLite's min/max optimisation).
 */
static const char roster_sql[] =
    "SELECT p.id, p.status, p.mentor_enrollment_id, p.mentee_enrollment_id,"
    " p.cycle_id, p.activated_on, p.proposed_on, p.expires_on,"
    " p.mentor_accepted_on IS NOT NULL, p.mentee_accepted_on IS NOT NULL,"
    " CASE WHEN ?3 = 'active' THEN"
    "   (SELECT max(k.held_on) FROM checkin k WHERE k.pairing_id = p.id) END,"
    " coalesce(p.group_id, 0), p.slot"
    " FROM pairing p"
    " WHERE p.program_id = ?1 AND p.status = ?3"
    "   AND (?3 = 'active' OR p.expires_on >= ?2)"
    " ORDER BY p.id";

static void
roster_row(struct roster_load *L, sqlite3_stmt *st)
{
	const struct roster_cycle *c = NULL;
	struct remind_pairing *pr;
	struct roster_extra *x;
	bool active;

	if (L->r->n + 1 > L->cap) {
		XGROW(L->r->v, L->r->n + 1, L->cap);
		L->x = xreallocarray(L->x, L->cap, sizeof *L->x);
	}
	pr = &L->r->v[L->r->n];
	x = &L->x[L->r->n];
	L->r->n++;
	memset(pr, 0, sizeof *pr);
	memset(x, 0, sizeof *x);
	pr->id = sqlite3_column_int64(st, 0);
	active = strcmp(db_col_text(st, 1), "active") == 0;
	pr->status = active ? REMIND_PAIRING_ACTIVE : REMIND_PAIRING_PROPOSED;
	x->mentor = sqlite3_column_int64(st, 2);
	x->mentee = sqlite3_column_int64(st, 3);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		c = roster_find_cycle(L, sqlite3_column_int64(st, 4));
	pr->proposed_on = roster_day(st, 6);
	pr->expires_on = roster_day(st, 7);
	pr->mentor_accepted = sqlite3_column_int(st, 8) != 0;
	pr->mentee_accepted = sqlite3_column_int(st, 9) != 0;
	pr->group_id = sqlite3_column_int64(st, 11);
	if (pr->group_id > 0)
		pr->circle_held = roster_circle_held(L, pr->group_id);
	pr->anchor = DATE_NONE;
	pr->cycle_ends_on = DATE_NONE;
	pr->reup_opens_on = DATE_NONE;
	pr->reup_closes_on = DATE_NONE;
	pr->activated_on = roster_day(st, 5);
	pr->slot = sqlite3_column_int(st, 12);
	pr->continued_on = DATE_NONE;
	pr->ended_on = DATE_NONE;
	x->last = DATE_NONE;
	if (!active)
		return;
	/* The clock starts at activation, or at the cycle's start if later. */
	pr->anchor = roster_day(st, 5);
	if (c != NULL && c->starts_on != DATE_NONE && pr->anchor != DATE_NONE &&
	    c->starts_on > pr->anchor)
		pr->anchor = c->starts_on;
	if (c != NULL && c->open) {
		pr->cycle_ends_on = c->ends_on;
		pr->reup_opens_on = c->reup_opens_on;
		pr->reup_closes_on = c->reup_closes_on;
	}
	x->last = roster_day(st, 10);
}

static int
roster_query(struct db *db, long long program_id, int today,
    const char *status, struct roster_load *L, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, roster_sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, today);
	db_bind_text(st, 3, status);
	while ((rc = db_step_row(db, st, err)) == 1)
		roster_row(L, st);
	sqlite3_finalize(st);
	return rc;
}

/*
 * ROSTER_ALL_MEETINGS: one pass over the meeting days of the programme's
 * active pairings, in pairing order (the status index yields pairings by
 * id, the check-in index their days), merged with the roster's first
 * nactive pairings, which are the active ones in id order.
 */
static int
roster_days(struct db *db, long long program_id, struct roster_load *L,
    size_t nactive, struct error *err)
{
	static const char sql[] =
	    "SELECT c.pairing_id, c.held_on FROM pairing p"
	    " JOIN checkin c ON c.pairing_id = p.id"
	    " WHERE p.program_id = ? AND p.status = 'active'"
	    " ORDER BY p.id, c.held_on";
	struct checkin_roster *r = L->r;
	sqlite3_stmt *st;
	size_t cap = 0, k = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		long long id = sqlite3_column_int64(st, 0);

		while (k < nactive && r->v[k].id < id)
			k++;
		if (k == nactive || r->v[k].id != id)
			continue;
		if (r->v[k].nmeetings == 0)
			L->x[k].first = r->ndays;
		XGROW(r->days, r->ndays + 1, cap);
		r->days[r->ndays++] = roster_day(st, 1);
		r->v[k].nmeetings++;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
roster_cmp(const void *a, const void *b)
{
	const struct remind_pairing *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The arrays stopped moving: point into them. */
static void
roster_finish(struct roster_load *L, bool all_meetings)
{
	struct checkin_roster *r = L->r;
	const struct roster_person *m, *t;
	size_t i, nlast = 0;

	if (!all_meetings) {
		for (i = 0; i < r->n; i++)
			if (L->x[i].last != DATE_NONE)
				nlast++;
		r->days = nlast > 0 ? xreallocarray(NULL, nlast,
		    sizeof *r->days) : NULL;
	}
	for (i = 0; i < r->n; i++) {
		struct remind_pairing *pr = &r->v[i];
		const struct roster_extra *x = &L->x[i];

		m = roster_find_person(L, x->mentor);
		t = roster_find_person(L, x->mentee);
		pr->mentor.name = m ? L->arena + m->name : "";
		pr->mentor.email = m ? L->arena + m->email : "";
		pr->mentee.name = t ? L->arena + t->name : "";
		pr->mentee.email = t ? L->arena + t->email : "";
		pr->mentor_person = m ? m->person_id : 0;
		pr->mentee_person = t ? t->person_id : 0;
		if (pr->reup_opens_on != DATE_NONE) {
			pr->mentor_answered = m != NULL &&
			    roster_answered(L, pr->id, m->person_id);
			pr->mentee_answered = t != NULL &&
			    roster_answered(L, pr->id, t->person_id);
		}
		if (all_meetings) {
			pr->meetings = pr->nmeetings > 0 ?
			    r->days + x->first : NULL;
		} else if (x->last != DATE_NONE) {
			r->days[r->ndays] = x->last;
			pr->meetings = &r->days[r->ndays++];
			pr->nmeetings = 1;
		}
	}
	r->strings = L->arena;
	r->nstrings = L->alen;
	L->arena = NULL;
}

static int
roster_load(struct db *db, long long program_id, int today, unsigned what,
    struct roster_load *L, struct error *err)
{
	struct checkin_roster *r = L->r;
	size_t nactive;

	if (roster_people(db, program_id, L, err) != 0 ||
	    roster_circles(db, program_id, L, err) != 0 ||
	    roster_cycles(db, program_id, L, err) != 0 ||
	    roster_answers(db, today, L, err) != 0)
		return -1;
	if (L->nanswers > 1)
		xqsort(L->answers, L->nanswers, sizeof *L->answers,
		    roster_answer_cmp);
	if ((what & ROSTER_ACTIVE) &&
	    roster_query(db, program_id, today, "active", L, err) != 0)
		return -1;
	nactive = r->n;
	if ((what & ROSTER_ALL_MEETINGS) && nactive > 0 &&
	    roster_days(db, program_id, L, nactive, err) != 0)
		return -1;
	if ((what & ROSTER_PROPOSED) &&
	    roster_query(db, program_id, today, "proposed", L, err) != 0)
		return -1;
	roster_finish(L, (what & ROSTER_ALL_MEETINGS) != 0);
	r->all_meetings = (what & ROSTER_ALL_MEETINGS) != 0;
	/* Actives, then proposals: back into one id order. */
	if (nactive > 0 && nactive < r->n)
		xqsort(r->v, r->n, sizeof r->v[0], roster_cmp);
	return 0;
}

int
store_checkin_roster(struct db *db, long long program_id, int today,
    unsigned what, struct checkin_roster *r, struct error *err)
{
	struct roster_load L;
	bool own;
	int rc;

	memset(r, 0, sizeof *r);
	memset(&L, 0, sizeof L);
	L.r = r;
	/*
	 * One read transaction: one snapshot for all the queries, and one
	 * shared lock instead of one per step.  Deferred: it writes nothing.
	 */
	own = !db_in_transaction(db);
	if (own && db_exec(db, "BEGIN DEFERRED", err) != 0)
		return -1;
	rc = roster_load(db, program_id, today, what, &L, err);
	if (own)
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	free(L.x);
	free(L.arena);
	free(L.people);
	free(L.cycles);
	free(L.answers);
	free(L.circles);
	if (rc != 0)
		checkin_roster_free(r);
	return rc;
}

int
store_checkin_roster_history(struct db *db, struct checkin_roster *r,
    struct remind_pairing *pr, struct error *err)
{
	static const char sql[] =
	    "SELECT held_on FROM checkin WHERE pairing_id = ?";
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	int *days = NULL;
	int rc;

	if (r->all_meetings || pr->status != REMIND_PAIRING_ACTIVE)
		return 0;
	if (r->history_query == NULL) {
		if ((st = db_prepare(db, sql, err)) == NULL)
			return -1;
		r->history_query = xcalloc(1, sizeof *r->history_query);
		r->history_query->st = st;
	}
	st = r->history_query->st;
	db_bind_int(st, 1, pr->id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(days, n + 1, cap);
		days[n++] = roster_day(st, 0);
	}
	sqlite3_reset(st);
	if (rc < 0) {
		free(days);
		return -1;
	}
	r->histories = xreallocarray(r->histories, r->nhistories + 1,
	    sizeof *r->histories);
	r->histories[r->nhistories++] = days;
	pr->meetings = days;
	pr->nmeetings = n;
	return 0;
}
