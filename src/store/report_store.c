#include "store/report_store.h"

#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "db_int.h"
#include "util/xmalloc.h"

/* Months are counted in a flat table indexed by year * 12 + month - 1. */
#define REPORT_NMONTHS ((DATE_MAX_YEAR + 1) * 12)

/* Stored words to core/status.h enums; the schema's CHECKs allow no others. */
static enum enrollment_status
report_enr_status(const char *s)
{
	int v = enrollment_status_parse(s);

	/* completed: took part and left at a re-up or close, not withdrawn */
	if (v == ENROLLMENT_COMPLETED)
		return ENROLLMENT_ACTIVE;
	return v < 0 ? ENROLLMENT_PENDING : (enum enrollment_status)v;
}

static enum pairing_status
report_pair_status(const char *s)
{
	int v = pairing_status_parse(s);

	return v < 0 ? PAIRING_PROPOSED : (enum pairing_status)v;
}

static int
report_outcome(const char *s)
{
	if (strcmp(s, "continued") == 0)
		return METRICS_OUT_CONTINUED;
	if (strcmp(s, "exited") == 0)
		return METRICS_OUT_EXITED;
	if (strcmp(s, "ended") == 0)
		return METRICS_OUT_ENDED;
	return METRICS_OUT_NONE;
}

static int
report_cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

/* The department's index in the sorted list, -1 for none or unknown. */
static int
report_dept(const struct metrics_input *in, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	char **hit;

	if (s == NULL || s[0] == '\0')
		return -1;
	hit = xbsearch(s, in->depts, in->ndepts, sizeof *in->depts,
	    report_cmp_str);
	return hit ? (int)(hit - in->depts) : -1;
}

/*
 * Departments seen while the enrollments stream by: an open-addressing table
 * from name to the order of first sight, sorted into in->depts afterwards.
 */
struct report_depts {
	char **names;        /* in order of first sight */
	size_t n;
	size_t cap;
	size_t *slots;       /* index + 1 into names; 0 is empty */
	size_t nslots;
};

static size_t
report_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
report_depts_grow(struct report_depts *d)
{
	size_t n = d->nslots ? d->nslots * 2 : 64, i, k;

	free(d->slots);
	d->slots = xcalloc(n, sizeof *d->slots);
	d->nslots = n;
	for (i = 0; i < d->n; i++) {
		for (k = report_hash(d->names[i]) & (n - 1); d->slots[k];
		    k = (k + 1) & (n - 1))
			;
		d->slots[k] = i + 1;
	}
}

static int
report_depts_intern(struct report_depts *d, const char *s)
{
	size_t k;

	if (s == NULL || s[0] == '\0')
		return -1;
	if (2 * (d->n + 1) > d->nslots)
		report_depts_grow(d);
	for (k = report_hash(s) & (d->nslots - 1); d->slots[k];
	    k = (k + 1) & (d->nslots - 1))
		if (strcmp(d->names[d->slots[k] - 1], s) == 0)
			return (int)(d->slots[k] - 1);
	XGROW(d->names, d->n + 1, d->cap);
	d->names[d->n] = xstrdup(s);
	d->slots[k] = ++d->n;
	return (int)(d->n - 1);
}

static int
report_cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hand the names to in, sorted, and renumber the enrollments' departments. */
static void
report_depts_finish(struct report_depts *d, struct metrics_input *in)
{
	int *order = xcalloc(d->n + 1, sizeof *order);
	size_t i;

	in->depts = xcalloc(d->n + 1, sizeof *in->depts);
	if (d->n > 0)
		memcpy(in->depts, d->names, d->n * sizeof *d->names);
	in->ndepts = d->n;
	xqsort(in->depts, in->ndepts, sizeof *in->depts, report_cmp_name);
	for (i = 0; i < d->n; i++)
		order[i] = (int)((char **)xbsearch(d->names[i], in->depts,
		    in->ndepts, sizeof *in->depts, report_cmp_str) - in->depts);
	for (i = 0; i < in->nenr; i++)
		if (in->enr[i].dept >= 0)
			in->enr[i].dept = order[in->enr[i].dept];
	free(order);
	free(d->names);
	free(d->slots);
	memset(d, 0, sizeof *d);
}

static sqlite3_stmt *
report_prepare(struct db *db, const char *sql, long long program_id,
    int as_of, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return NULL;
	db_bind_int(st, 1, program_id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		db_bind_date(st, 2, as_of);
	return st;
}

static int
report_load_enrollments(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	static const char sql[] =
	    "SELECT e.id, e.person_id, pe.email, e.role, pe.department,"
	    " e.status, e.capacity, e.enrolled_on, e.eligible_on,"
	    " e.withdrawn_on, pe.name"
	    " FROM enrollment e JOIN person pe ON pe.id = e.person_id"
	    " WHERE e.program_id = ?1 AND e.enrolled_on <= ?2"
	    " ORDER BY e.id";
	struct report_depts depts = { 0 };
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct metrics_enrollment *e;

		XGROW(in->enr, in->nenr + 1, cap);
		e = &in->enr[in->nenr++];
		e->id = sqlite3_column_int64(st, 0);
		e->person_id = sqlite3_column_int64(st, 1);
		e->email = db_col_strdup(st, 2);
		e->role = strcmp(db_col_text(st, 3), "mentor") == 0 ?
		    ROLE_MENTOR : ROLE_MENTEE;
		e->dept = report_depts_intern(&depts,
		    (const char *)sqlite3_column_text(st, 4));
		e->status = report_enr_status(db_col_text(st, 5));
		e->capacity = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 6);
		e->enrolled_on = db_col_date(st, 7);
		e->eligible_on = db_col_date(st, 8);
		e->withdrawn_on = db_col_date(st, 9);
		e->name = xstrdup(db_col_text(st, 10));
	}
	sqlite3_finalize(st);
	report_depts_finish(&depts, in);
	return rc;
}

static int
report_load_cycles(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	static const char sql[] =
	    "SELECT id, number, starts_on, ends_on, reup_opens_on,"
	    " reup_closes_on FROM cycle WHERE program_id = ?1 ORDER BY number";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct metrics_cycle *c;

		XGROW(in->cycles, in->ncycles + 1, cap);
		c = &in->cycles[in->ncycles++];
		c->id = sqlite3_column_int64(st, 0);
		c->number = sqlite3_column_int(st, 1);
		c->starts_on = db_col_date(st, 2);
		c->ends_on = db_col_date(st, 3);
		c->reup_opens_on = db_col_date(st, 4);
		c->reup_closes_on = db_col_date(st, 5);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
report_load_pairings(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	static const char sql[] =
	    "SELECT id, mentor_enrollment_id, mentee_enrollment_id, cycle_id,"
	    " status, proposed_on, expires_on, activated_on, declined_on,"
	    " ended_on, end_reason, group_id"
	    " FROM pairing WHERE program_id = ?1 AND proposed_on <= ?2"
	    " ORDER BY id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct metrics_pairing *p;
		long mentor, mentee;

		/* Both enrollments predate the proposal unless the data lies. */
		mentor = metrics_find_enrollment(in, sqlite3_column_int64(st, 1));
		mentee = metrics_find_enrollment(in, sqlite3_column_int64(st, 2));
		if (mentor < 0 || mentee < 0)
			continue;
		XGROW(in->pairs, in->npairs + 1, cap);
		p = &in->pairs[in->npairs++];
		memset(p, 0, sizeof *p);
		p->id = sqlite3_column_int64(st, 0);
		p->mentor = (size_t)mentor;
		p->mentee = (size_t)mentee;
		p->cycle = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		    (int)metrics_find_cycle(in, sqlite3_column_int64(st, 3));
		p->status = report_pair_status(db_col_text(st, 4));
		p->proposed_on = db_col_date(st, 5);
		p->expires_on = db_col_date(st, 6);
		p->activated_on = db_col_date(st, 7);
		p->declined_on = db_col_date(st, 8);
		p->ended_on = db_col_date(st, 9);
		p->end_reason = db_col_strdup(st, 10);
		p->group_id = sqlite3_column_int64(st, 11);
		p->first_cycle_start = p->activated_on == DATE_NONE ? DATE_NONE :
		    metrics_first_cycle_start(in, p->activated_on);
		p->first_held = DATE_NONE;
		p->last_held = DATE_NONE;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * The pairing whose check-ins are streaming by: its window as text, and its
 * first and last meeting so far.  The schema's CHECK keeps held_on a valid
 * 'YYYY-MM-DD', so days compare as strings and only the first and last of
 * each pairing are ever parsed.
 */
/* A pairing's meetings as they stood at one checkpoint day (or the as-of day). */
struct report_tally {
	char to[DATE_BUFSZ];     /* the window's last day at that point */
	char first[DATE_BUFSZ];
	char last[DATE_BUFSZ];
	long long held;
	struct metrics_held *out;
};

struct report_run {
	struct metrics_pairing *p;
	char from[DATE_BUFSZ];
	struct report_tally t[1 + METRICS_MAX_CHECKPOINTS];
	size_t nt;               /* 1 (the as-of day) + checkpoints in force */
};

static void
report_tally_flush(struct report_tally *t)
{
	int d;

	if (t->held == 0)
		return;
	t->out->held += t->held;
	if (date_parse(t->first, &d) == 0 &&
	    (t->out->first == DATE_NONE || d < t->out->first))
		t->out->first = d;
	if (date_parse(t->last, &d) == 0 &&
	    (t->out->last == DATE_NONE || d > t->out->last))
		t->out->last = d;
}

static void
report_run_flush(struct report_run *r)
{
	size_t k;

	if (r->p == NULL)
		return;
	for (k = 0; k < r->nt; k++)
		report_tally_flush(&r->t[k]);
	r->p->held = r->t[0].out->held;
	r->p->first_held = r->t[0].out->first;
	r->p->last_held = r->t[0].out->last;
}

static void
report_run_start(struct report_run *r, struct metrics_input *in, long long id)
{
	long k = metrics_find_pairing(in, id);
	struct metrics_pairing *p;
	int from, to;
	size_t c;

	r->p = NULL;
	r->nt = 0;
	if (k < 0 || !metrics_checkin_window(&in->pairs[k], in->as_of, &from,
	    &to) || to < from)
		return;
	p = &in->pairs[k];
	r->p = p;
	date_format(from, r->from);
	r->t[0].out = &in->held[(size_t)k * (1 + in->ncheckpoints)];
	r->t[0].out->held = p->held;
	r->t[0].out->first = p->first_held;
	r->t[0].out->last = p->last_held;
	date_format(to, r->t[0].to);
	r->t[0].held = 0;
	r->nt = 1;
	for (c = 0; c < in->ncheckpoints; c++) {
		struct report_tally *t = &r->t[r->nt];

		if (!metrics_checkin_window(p, in->checkpoints[c], &from, &to) ||
		    to < from)
			continue;
		t->out = &in->held[(size_t)k * (1 + in->ncheckpoints) + 1 + c];
		date_format(to, t->to);
		t->held = 0;
		r->nt++;
	}
}

/* A check-in day s inside the as-of window: count it where it falls. */
static void
report_run_add(struct report_run *r, const char *s)
{
	size_t k;

	for (k = 0; k < r->nt; k++) {
		struct report_tally *t = &r->t[k];

		if (strcmp(s, t->to) > 0)
			continue;
		if (t->held == 0 || strcmp(s, t->first) < 0)
			memcpy(t->first, s, DATE_BUFSZ);
		if (t->held == 0 || strcmp(s, t->last) > 0)
			memcpy(t->last, s, DATE_BUFSZ);
		t->held++;
	}
}

/* "YYYY-MM-DD" -> year * 12 + month - 1. */
static long
report_month_index(const char *s)
{
	long y, m;

	y = (s[0] - '0') * 1000L + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10L + (s[6] - '0');
	return y * 12 + m - 1;
}

/*
 * One pass over the programme's check-ins held by the as-of day, in index
 * order (pairing, day): each pairing's count, first and last meeting inside
 * its window, and the histogram.  Only ids and days are read: notes and
 * topics stay in the database.
 */
static int
report_stream_checkins(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	static const char sql[] =
	    "SELECT c.pairing_id, c.held_on FROM pairing p"
	    " JOIN checkin c ON c.pairing_id = p.id AND c.held_on <= ?2"
	    " WHERE p.program_id = ?1 AND p.activated_on <= ?2";
	struct report_run run;
	long long *hist = xcalloc(REPORT_NMONTHS, sizeof *hist), last_id = -1;
	sqlite3_stmt *st;
	long m, lo = REPORT_NMONTHS, hi = -1;
	size_t cap = 0;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL) {
		free(hist);
		return -1;
	}
	memset(&run, 0, sizeof run);
	in->held = xcalloc(in->npairs * (1 + in->ncheckpoints) + 1,
	    sizeof *in->held);
	for (m = 0; m < (long)(in->npairs * (1 + in->ncheckpoints)); m++) {
		in->held[m].first = DATE_NONE;
		in->held[m].last = DATE_NONE;
	}
	while ((rc = db_step_row(db, st, err)) == 1) {
		long long id = sqlite3_column_int64(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);

		if (id != last_id) {
			report_run_flush(&run);
			report_run_start(&run, in, id);
			last_id = id;
		}
		if (run.p == NULL || s == NULL || strlen(s) != DATE_BUFSZ - 1 ||
		    strcmp(s, run.from) < 0 || strcmp(s, run.t[0].to) > 0)
			continue;
		report_run_add(&run, s);
		m = report_month_index(s);
		if (m < 0 || m >= REPORT_NMONTHS)
			continue;
		hist[m]++;
		if (m < lo)
			lo = m;
		if (m > hi)
			hi = m;
	}
	report_run_flush(&run);
	sqlite3_finalize(st);
	for (m = lo; rc == 0 && m <= hi; m++) {
		if (hist[m] == 0)
			continue;
		XGROW(in->months, in->nmonths + 1, cap);
		in->months[in->nmonths].year = (int)(m / 12);
		in->months[in->nmonths].month = (int)(m % 12) + 1;
		in->months[in->nmonths].n = hist[m];
		in->nmonths++;
	}
	free(hist);
	return rc;
}

static int
report_load_pcycles(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	static const char sql[] =
	    "SELECT pc.pairing_id, pc.cycle_id, pc.outcome, pc.decided_on"
	    " FROM pairing p JOIN pairing_cycle pc ON pc.pairing_id = p.id"
	    " WHERE p.program_id = ?1 AND p.proposed_on <= ?2"
	    " ORDER BY pc.pairing_id, pc.cycle_id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct metrics_pcycle *pc;
		long p = metrics_find_pairing(in, sqlite3_column_int64(st, 0));
		long c = metrics_find_cycle(in, sqlite3_column_int64(st, 1));

		if (p < 0 || c < 0)
			continue;
		XGROW(in->pcycles, in->npcycles + 1, cap);
		pc = &in->pcycles[in->npcycles++];
		pc->pairing = (size_t)p;
		pc->cycle = (size_t)c;
		pc->outcome = report_outcome(db_col_text(st, 2));
		pc->decided_on = db_col_date(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
report_load_feedback(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	/*
	 * The giver's role: in a pairing, which side they are; about the
	 * programme, their enrollment (mentee when they are both).
	 */
	static const char sql[] =
	    "SELECT f.pairing_id, f.person_id, f.rating, f.comment, f.given_on,"
	    " pe.department,"
	    " (SELECT e.role FROM enrollment e WHERE e.program_id = f.program_id"
	    "   AND e.person_id = f.person_id ORDER BY e.role = 'mentee' DESC"
	    "   LIMIT 1)"
	    " FROM feedback f JOIN person pe ON pe.id = f.person_id"
	    " WHERE f.program_id = ?1 AND f.given_on <= ?2 ORDER BY f.id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct metrics_feedback *f;

		XGROW(in->fb, in->nfb + 1, cap);
		f = &in->fb[in->nfb++];
		f->pairing = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 :
		    metrics_find_pairing(in, sqlite3_column_int64(st, 0));
		f->person_id = sqlite3_column_int64(st, 1);
		f->rating = sqlite3_column_int(st, 2);
		f->comment = db_col_strdup(st, 3);
		f->given_on = db_col_date(st, 4);
		f->dept = report_dept(in, st, 5);
		f->role = strcmp(db_col_text(st, 6), "mentor") == 0 ?
		    ROLE_MENTOR : ROLE_MENTEE;
		if (f->pairing >= 0) {
			struct metrics_pairing *p = &in->pairs[f->pairing];

			p->feedbacks++;
			f->role = in->enr[p->mentor].person_id == f->person_id ?
			    ROLE_MENTOR : ROLE_MENTEE;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* The flash session's seats of mentees enrolled by as_of (format flash). */
static int
report_load_flash(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	static const char sql[] =
	    "SELECT f.round, f.mentee_enrollment_id, coalesce(f.attended, -1)"
	    " FROM flash_seat f JOIN enrollment e"
	    "  ON e.id = f.mentee_enrollment_id"
	    " WHERE f.program_id = ?1 AND e.enrolled_on <= ?2"
	    " ORDER BY f.round, f.mentee_enrollment_id";
	sqlite3_stmt *st;
	size_t cap = 0;
	long e;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct metrics_flash_seat *f;

		if ((e = metrics_find_enrollment(in,
		    sqlite3_column_int64(st, 1))) < 0)
			continue;
		XGROW(in->flash, in->nflash + 1, cap);
		f = &in->flash[in->nflash++];
		f->round = sqlite3_column_int(st, 0);
		f->mentee = (size_t)e;
		f->attended = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

struct metrics_input *
report_store_load(struct db *db, long long program_id, int as_of,
    struct error *err)
{
	return report_store_load_at(db, program_id, as_of, NULL, 0, err);
}

struct metrics_input *
report_store_load_at(struct db *db, long long program_id, int as_of,
    const int *checkpoints, size_t n, struct error *err)
{
	struct metrics_input *in = xcalloc(1, sizeof *in);
	bool own = sqlite3_get_autocommit(db->h) != 0;
	size_t i;
	int rc = -1;

	in->as_of = as_of;
	in->checkpoints = xcalloc(METRICS_MAX_CHECKPOINTS + 1,
	    sizeof *in->checkpoints);
	for (i = 0; i < n && in->ncheckpoints < METRICS_MAX_CHECKPOINTS; i++)
		if (checkpoints[i] != DATE_NONE && checkpoints[i] < as_of)
			in->checkpoints[in->ncheckpoints++] = checkpoints[i];
	/*
	 * One read transaction, so that every table is seen at the same
	 * moment; deferred, so that a report never blocks a writer (WAL).
	 */
	if (own && db_exec(db, "BEGIN DEFERRED", err) != 0)
		goto out;
	if (report_load_enrollments(db, program_id, in, err) != 0 ||
	    report_load_cycles(db, program_id, in, err) != 0 ||
	    report_load_pairings(db, program_id, in, err) != 0 ||
	    report_stream_checkins(db, program_id, in, err) != 0 ||
	    report_load_pcycles(db, program_id, in, err) != 0 ||
	    report_load_feedback(db, program_id, in, err) != 0 ||
	    report_load_flash(db, program_id, in, err) != 0)
		goto out;
	rc = 0;
out:
	if (own && !sqlite3_get_autocommit(db->h)) {
		struct error ignored = ERROR_INIT;

		/* Nothing was written: ending the read cannot lose anything. */
		db_exec(db, "COMMIT", &ignored);
		error_clear(&ignored);
	}
	if (rc != 0) {
		metrics_input_free(in);
		return NULL;
	}
	return in;
}

int
report_store_trainings(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err)
{
	static const char sql[] =
	    "SELECT t.person_id, t.name, t.completed_on FROM training t"
	    " WHERE t.person_id IN"
	    "  (SELECT person_id FROM enrollment WHERE program_id = ?1)"
	    " ORDER BY t.person_id, t.name COLLATE BINARY";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = report_prepare(db, sql, program_id, in->as_of, err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct metrics_training *t;

		XGROW(in->trainings, in->ntrainings + 1, cap);
		t = &in->trainings[in->ntrainings++];
		t->person_id = sqlite3_column_int64(st, 0);
		t->name = db_col_strdup(st, 1);
		t->completed_on = db_col_date(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

int
report_store_program_at(struct db *db, long long program_id, int day,
    char **yaml, int *version, struct error *err)
{
	static const char sql[] =
	    "SELECT version, yaml FROM program_version WHERE program_id = ?1"
	    " ORDER BY substr(added_at, 1, 10) <= ?2 DESC,"
	    " CASE WHEN substr(added_at, 1, 10) <= ?2 THEN version"
	    " ELSE -version END DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	*yaml = NULL;
	if ((st = report_prepare(db, sql, program_id, day, err)) == NULL)
		return -1;
	if ((rc = db_step_row(db, st, err)) == 1) {
		*version = sqlite3_column_int(st, 0);
		*yaml = db_col_strdup(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "programme %lld has no stored "
		    "version", program_id);
	return rc < 0 ? -1 : 0;
}
