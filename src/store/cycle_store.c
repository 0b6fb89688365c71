#include "store/cycle_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

/*
 * The columns cycle_fill() reads, from `cycle c`, at offset 0; with or
 * without the counts of its pairings (through pairing_cycle_cycle).
 */
#define CYCLE_COLS \
	"c.id, c.number, c.starts_on, c.ends_on, c.reup_opens_on," \
	" c.reup_closes_on, c.status, c.closed_on"
#define CYCLE_COUNTS \
	", (SELECT count(*) FROM pairing_cycle pc WHERE pc.cycle_id = c.id)," \
	" (SELECT count(*) FROM pairing_cycle pc WHERE pc.cycle_id = c.id" \
	"   AND pc.outcome = 'continued')," \
	" (SELECT count(*) FROM pairing_cycle pc WHERE pc.cycle_id = c.id" \
	"   AND pc.outcome = 'exited')"
#define CYCLE_NCOLS 8

/* The stored word as an enum (the schema's CHECK admits no other). */
static enum pairing_status
status_col(sqlite3_stmt *st, int col)
{
	int s = pairing_status_parse(db_col_text(st, col));

	return s < 0 ? PAIRING_ENDED : (enum pairing_status)s;
}

static void
cycle_fill(sqlite3_stmt *st, int at, bool counts, struct cycle_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, at);
	r->d.number = sqlite3_column_int(st, at + 1);
	r->d.starts_on = db_col_date(st, at + 2);
	r->d.ends_on = db_col_date(st, at + 3);
	r->d.reup_opens_on = db_col_date(st, at + 4);
	r->d.reup_closes_on = db_col_date(st, at + 5);
	r->open = strcmp(db_col_text(st, at + 6), "open") == 0;
	r->closed_on = db_col_date(st, at + 7);
	if (!counts)
		return;
	r->pairings = sqlite3_column_int64(st, at + CYCLE_NCOLS);
	r->continued = sqlite3_column_int64(st, at + CYCLE_NCOLS + 1);
	r->exited = sqlite3_column_int64(st, at + CYCLE_NCOLS + 2);
}

void
cycle_rows_free(struct cycle_row *rows)
{
	free(rows);
}

int
store_cycle_list(struct db *db, long long program_id, struct cycle_row **rows,
    size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT " CYCLE_COLS CYCLE_COUNTS " FROM cycle c"
	    " WHERE c.program_id = ? ORDER BY c.number";
	struct cycle_row *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(v, *n + 1, cap);
		cycle_fill(st, 0, true, &v[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	*rows = v;
	return 0;
}

static int
cycle_one(struct db *db, const char *sql, long long program_id,
    struct cycle_row *row, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	if ((rc = db_step_row(db, st, err)) == 1)
		cycle_fill(st, 0, true, row);
	sqlite3_finalize(st);
	return rc;
}

int
store_cycle_open(struct db *db, long long program_id, struct cycle_row *row,
    struct error *err)
{
	static const char sql[] =
	    "SELECT " CYCLE_COLS CYCLE_COUNTS " FROM cycle c"
	    " WHERE c.program_id = ? AND c.status = 'open'"
	    " ORDER BY c.number DESC LIMIT 1";

	return cycle_one(db, sql, program_id, row, err);
}

int
store_cycle_last(struct db *db, long long program_id, struct cycle_row *row,
    struct error *err)
{
	static const char sql[] =
	    "SELECT " CYCLE_COLS CYCLE_COUNTS " FROM cycle c"
	    " WHERE c.program_id = ? ORDER BY c.number DESC LIMIT 1";

	return cycle_one(db, sql, program_id, row, err);
}

static int
cycle_insert(struct db *db, long long program_id, const struct cycle_dates *cd,
    long long *id, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO cycle (program_id, number, starts_on, ends_on,"
	    " reup_opens_on, reup_closes_on, status) VALUES (?, ?, ?, ?, ?, ?,"
	    " 'open')";
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ], detail[96];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, cd->number);
	db_bind_date(st, 3, cd->starts_on);
	db_bind_date(st, 4, cd->ends_on);
	db_bind_date(st, 5, cd->reup_opens_on);
	db_bind_date(st, 6, cd->reup_closes_on);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	snprintf(detail, sizeof detail, "cycle %d: %s to %s", cd->number,
	    date_format(cd->starts_on, b1), date_format(cd->ends_on, b2));
	return db_audit(db, "cycle", *id, "start", detail, err);
}

/* Active pairings of the programme in no open cycle join cycle_id. */
static int
cycle_attach(struct db *db, long long program_id, long long cycle_id,
    long long *attached, struct error *err)
{
	static const char move[] =
	    "UPDATE pairing SET cycle_id = ?2 WHERE program_id = ?1"
	    " AND status = 'active' AND (cycle_id IS NULL OR cycle_id IN"
	    " (SELECT id FROM cycle WHERE program_id = ?1 AND status = 'closed'))";
	static const char join[] =
	    "INSERT OR IGNORE INTO pairing_cycle (pairing_id, cycle_id)"
	    " SELECT id, ?2 FROM pairing WHERE program_id = ?1 AND cycle_id = ?2"
	    " AND status = 'active'";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, move, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, cycle_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if ((st = db_prepare(db, join, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, cycle_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*attached = sqlite3_changes(db->h);
	return 0;
}

int
store_cycle_start(struct db *db, long long program_id,
    const struct cycle_dates *cd, long long *id, long long *attached,
    struct error *err)
{
	if (cycle_insert(db, program_id, cd, id, err) != 0)
		return -1;
	return cycle_attach(db, program_id, *id, attached, err);
}

void
cycle_pairing_free(struct cycle_pairing *p)
{
	if (p == NULL)
		return;
	free(p->program);
	free(p->mentor_email);
	free(p->mentor_name);
	free(p->mentee_email);
	free(p->mentee_name);
	memset(p, 0, sizeof *p);
}

int
store_cycle_pairing(struct db *db, long long pairing_id,
    struct cycle_pairing *out, struct error *err)
{
	static const char sql[] =
	    "SELECT p.program_id, g.slug, p.status, p.activated_on,"
	    " mp.id, mp.email, mp.name, tp.id, tp.email, tp.name,"
	    " p.cycle_id IS NOT NULL, coalesce(p.group_id, 0),"
	    " coalesce(p.slot, 0), " CYCLE_COLS
	    " FROM pairing p JOIN program g ON g.id = p.program_id"
	    " JOIN enrollment me ON me.id = p.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = p.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " LEFT JOIN cycle c ON c.id = p.cycle_id"
	    " WHERE p.id = ?";
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	rc = db_step_row(db, st, err);
	if (rc == 1) {
		out->id = pairing_id;
		out->program_id = sqlite3_column_int64(st, 0);
		out->program = db_col_strdup(st, 1);
		out->status = status_col(st, 2);
		out->activated_on = db_col_date(st, 3);
		out->mentor_person_id = sqlite3_column_int64(st, 4);
		out->mentor_email = db_col_strdup(st, 5);
		out->mentor_name = db_col_strdup(st, 6);
		out->mentee_person_id = sqlite3_column_int64(st, 7);
		out->mentee_email = db_col_strdup(st, 8);
		out->mentee_name = db_col_strdup(st, 9);
		out->in_cycle = sqlite3_column_int(st, 10) != 0;
		out->group_id = sqlite3_column_int64(st, 11);
		out->slot = sqlite3_column_int(st, 12);
		if (out->in_cycle)
			cycle_fill(st, 13, false, &out->cycle);
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown pairing %lld",
		    pairing_id);
	return rc < 0 ? -1 : 0;
}

int
cycle_pairing_anchor(const struct cycle_pairing *p)
{
	if (p->in_cycle && p->activated_on != DATE_NONE &&
	    p->cycle.d.starts_on > p->activated_on)
		return p->cycle.d.starts_on;
	return p->activated_on;
}

static enum cycle_answer
cycle_answer_col(sqlite3_stmt *st, int col)
{
	int a;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return CYCLE_ANSWER_NONE;
	a = cycle_answer_parse(db_col_text(st, col));
	return a < 0 ? CYCLE_ANSWER_NONE : (enum cycle_answer)a;
}

int
store_reup_answer(struct db *db, long long pairing_id, long long cycle_id,
    long long person_id, const char *email, enum cycle_answer answer,
    int today, enum cycle_answer *before, struct error *err)
{
	static const char get[] =
	    "SELECT answer FROM reup WHERE pairing_id = ? AND cycle_id = ?"
	    " AND person_id = ?";
	static const char put[] =
	    "INSERT INTO reup (pairing_id, cycle_id, person_id, answer,"
	    " answered_on) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (pairing_id, cycle_id, person_id) DO UPDATE"
	    " SET answer = excluded.answer, answered_on = excluded.answered_on";
	char detail[320];
	sqlite3_stmt *st;
	int rc;

	*before = CYCLE_ANSWER_NONE;
	if ((st = db_prepare(db, get, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	db_bind_int(st, 2, cycle_id);
	db_bind_int(st, 3, person_id);
	if ((rc = db_step_row(db, st, err)) == 1)
		*before = cycle_answer_col(st, 0);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if ((st = db_prepare(db, put, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	db_bind_int(st, 2, cycle_id);
	db_bind_int(st, 3, person_id);
	db_bind_text(st, 4, cycle_answer_name(answer));
	db_bind_date(st, 5, today);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	snprintf(detail, sizeof detail, "%s: %s (was %s)", email,
	    cycle_answer_name(answer), cycle_answer_name(*before));
	return db_audit(db, "pairing", pairing_id, "reup", detail, err);
}

void
cycle_members_free(struct cycle_member *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].mentor_email);
		free(v[i].mentee_email);
	}
	free(v);
}

int
store_cycle_members(struct db *db, long long cycle_id, struct cycle_member **v,
    size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, mp.email, tp.email, p.activated_on,"
	    " (SELECT answer FROM reup r WHERE r.pairing_id = p.id"
	    "   AND r.cycle_id = ?1 AND r.person_id = mp.id),"
	    " (SELECT answer FROM reup r WHERE r.pairing_id = p.id"
	    "   AND r.cycle_id = ?1 AND r.person_id = tp.id)"
	    " FROM pairing p"
	    " JOIN enrollment me ON me.id = p.mentor_enrollment_id"
	    " JOIN person mp ON mp.id = me.person_id"
	    " JOIN enrollment te ON te.id = p.mentee_enrollment_id"
	    " JOIN person tp ON tp.id = te.person_id"
	    " WHERE p.cycle_id = ?1 AND p.status = 'active' ORDER BY p.id";
	struct cycle_member *m = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, cycle_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct cycle_member *x;

		XGROW(m, *n + 1, cap);
		x = &m[(*n)++];
		x->pairing_id = sqlite3_column_int64(st, 0);
		x->mentor_email = db_col_strdup(st, 1);
		x->mentee_email = db_col_strdup(st, 2);
		x->activated_on = db_col_date(st, 3);
		x->mentor = cycle_answer_col(st, 4);
		x->mentee = cycle_answer_col(st, 5);
		x->outcome = CYCLE_OUTCOME_EXIT;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		cycle_members_free(m, *n);
		*n = 0;
		return -1;
	}
	*v = m;
	return 0;
}

static int
cycle_decide(struct db *db, sqlite3_stmt *outcome, sqlite3_stmt *end,
    const struct cycle_row *c, const struct cycle_member *m, int today,
    struct error *err)
{
	char detail[96];
	int ended_on;

	db_bind_text(outcome, 1, cycle_outcome_name(m->outcome));
	db_bind_date(outcome, 2, today);
	db_bind_int(outcome, 3, m->pairing_id);
	db_bind_int(outcome, 4, c->id);
	if (db_step_done(db, outcome, err) != 0)
		return -1;
	if (m->outcome == CYCLE_OUTCOME_EXIT) {
		/* A forced early close ends the pairing today, not in the future. */
		ended_on = today < c->d.ends_on ? today : c->d.ends_on;
		if (m->activated_on != DATE_NONE && ended_on < m->activated_on)
			ended_on = m->activated_on;
		db_bind_date(end, 1, ended_on);
		db_bind_int(end, 2, m->pairing_id);
		if (db_step_done(db, end, err) != 0)
			return -1;
	}
	snprintf(detail, sizeof detail, "cycle %d: %s (mentor %s, mentee %s)",
	    c->d.number, cycle_outcome_name(m->outcome),
	    cycle_answer_name(m->mentor), cycle_answer_name(m->mentee));
	return db_audit(db, "pairing", m->pairing_id, "reup-outcome", detail,
	    err);
}

int
store_cycle_close(struct db *db, long long program_id,
    const struct cycle_row *c, const struct cycle_member *v, size_t n,
    int today, const struct cycle_dates *next, long long *next_id,
    struct error *err)
{
	static const char outcome_sql[] =
	    "UPDATE pairing_cycle SET outcome = ?1, decided_on = ?2"
	    " WHERE pairing_id = ?3 AND cycle_id = ?4";
	static const char end_sql[] =
	    "UPDATE pairing SET status = 'ended', ended_on = ?1,"
	    " end_reason = 'exit' WHERE id = ?2 AND status = 'active'";
	/* Pairings that left the cycle early (end, withdraw) keep their day. */
	static const char gone_sql[] =
	    "UPDATE pairing_cycle SET outcome = 'ended', decided_on ="
	    " (SELECT coalesce(p.ended_on, p.declined_on, ?2) FROM pairing p"
	    "   WHERE p.id = pairing_cycle.pairing_id)"
	    " WHERE cycle_id = ?1 AND outcome IS NULL";
	static const char close_sql[] =
	    "UPDATE cycle SET status = 'closed', closed_on = ?1 WHERE id = ?2";
	sqlite3_stmt *outcome = NULL, *end = NULL, *st;
	long long attached;
	char detail[64];
	size_t i;
	int rc = -1;

	/* Rows for members that joined without one (older data): add them. */
	if ((st = db_prepare(db, "INSERT OR IGNORE INTO pairing_cycle"
	    " (pairing_id, cycle_id) SELECT id, ?1 FROM pairing"
	    " WHERE cycle_id = ?1 AND status = 'active'", err)) == NULL)
		return -1;
	db_bind_int(st, 1, c->id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	rc = -1;
	if ((outcome = db_prepare(db, outcome_sql, err)) == NULL ||
	    (end = db_prepare(db, end_sql, err)) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (cycle_decide(db, outcome, end, c, &v[i], today, err) != 0)
			goto out;
	if ((st = db_prepare(db, gone_sql, err)) == NULL)
		goto out;
	db_bind_int(st, 1, c->id);
	db_bind_date(st, 2, today);
	if (db_step_done(db, st, err) != 0) {
		sqlite3_finalize(st);
		goto out;
	}
	sqlite3_finalize(st);
	if ((st = db_prepare(db, close_sql, err)) == NULL)
		goto out;
	db_bind_date(st, 1, today);
	db_bind_int(st, 2, c->id);
	if (db_step_done(db, st, err) != 0) {
		sqlite3_finalize(st);
		goto out;
	}
	sqlite3_finalize(st);
	snprintf(detail, sizeof detail, "cycle %d", c->d.number);
	if (db_audit(db, "cycle", c->id, "close", detail, err) != 0)
		goto out;
	if (next != NULL &&
	    store_cycle_start(db, program_id, next, next_id, &attached, err) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(outcome);
	sqlite3_finalize(end);
	return rc;
}
