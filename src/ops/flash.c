#include "ops/flash.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/program.h"
#include "ops_int.h"
#include "store/rounds_store.h"
#include "util/xmalloc.h"

struct flash_priv {
	struct ops_cands c;
	struct enrolled_name *names;
	size_t nnames;
};

static int
name_cmp(const void *key, const void *elem)
{
	long long id = *(const long long *)key;
	const struct enrolled_name *e = elem;

	return (id > e->enrollment_id) - (id < e->enrollment_id);
}

static const char *
name_of(const struct flash_priv *fp, long long enrollment_id)
{
	const struct enrolled_name *e = xbsearch(&enrollment_id, fp->names,
	    fp->nnames, sizeof *fp->names, name_cmp);

	return e != NULL ? e->name : NULL;
}

static int
index_of(const struct match_cand *v, int n, long long enrollment_id)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].enrollment_id == enrollment_id)
			return i;
	return -1;
}

static int
meeting_cmp(const void *x, const void *y)
{
	const struct rounds_meeting *a = x, *b = y;

	if (a->round != b->round)
		return a->round < b->round ? -1 : 1;
	if (a->mentor != b->mentor)
		return a->mentor < b->mentor ? -1 : 1;
	return (a->mentee > b->mentee) - (a->mentee < b->mentee);
}

/* The session as the stored seats say (of people still enrolled). */
static void
session_of_seats(const struct program *p, const struct match_pool *pool,
    const struct flash_seat *seats, size_t nseats, struct ops_flash *f)
{
	struct flash_session *s = &f->s;
	struct rounds_meeting *m;
	size_t e, k;
	int i, j;

	s->nrounds = p->flash.rounds;
	s->plan.v = xcalloc(nseats + 1, sizeof *s->plan.v);
	s->plan.meetings_of = xcalloc((size_t)pool->nmentees + 1,
	    sizeof *s->plan.meetings_of);
	s->table = xcalloc((size_t)pool->nmentors + 1, sizeof *s->table);
	for (e = 0; e < nseats; e++) {
		i = index_of(pool->mentees, pool->nmentees,
		    seats[e].mentee_enrollment_id);
		j = index_of(pool->mentors, pool->nmentors,
		    seats[e].mentor_enrollment_id);
		if (i < 0 || j < 0)
			continue;
		m = &s->plan.v[s->plan.n++];
		m->mentee = i;
		m->mentor = j;
		m->round = seats[e].round - 1;
		m->score = seats[e].score;
		m->seat = seats[e].attended + 1;   /* carried to f->attended */
		s->table[j] = seats[e].table;
		s->plan.total += m->score;
		s->plan.meetings_of[i]++;
		if (seats[e].round > s->nrounds)
			s->nrounds = seats[e].round;
	}
	xqsort(s->plan.v, s->plan.n, sizeof *s->plan.v, meeting_cmp);
	f->attended = xcalloc(s->plan.n + 1, sizeof *f->attended);
	for (k = 0; k < s->plan.n; k++) {
		f->attended[k] = s->plan.v[k].seat - 1;
		s->plan.v[k].seat = 0;
	}
	for (i = 0; i < pool->nmentees; i++)
		if (s->plan.meetings_of[i] > 0)
			s->plan.mentees_met++;
}

static void
people_of(const struct flash_priv *fp, struct ops_flash *f)
{
	const struct match_pool *pool = &fp->c.pool;
	int i;

	f->mentor_email = xcalloc((size_t)pool->nmentors + 1,
	    sizeof *f->mentor_email);
	f->mentee_email = xcalloc((size_t)pool->nmentees + 1,
	    sizeof *f->mentee_email);
	f->mentor_name = xcalloc((size_t)pool->nmentors + 1,
	    sizeof *f->mentor_name);
	f->mentee_name = xcalloc((size_t)pool->nmentees + 1,
	    sizeof *f->mentee_name);
	f->mentor_enrollment = xcalloc((size_t)pool->nmentors + 1,
	    sizeof *f->mentor_enrollment);
	f->mentee_enrollment = xcalloc((size_t)pool->nmentees + 1,
	    sizeof *f->mentee_enrollment);
	for (i = 0; i < pool->nmentors; i++) {
		f->mentor_email[i] = pool->mentors[i].email;
		f->mentor_enrollment[i] = pool->mentors[i].enrollment_id;
		f->mentor_name[i] = name_of(fp, f->mentor_enrollment[i]);
	}
	for (i = 0; i < pool->nmentees; i++) {
		f->mentee_email[i] = pool->mentees[i].email;
		f->mentee_enrollment[i] = pool->mentees[i].enrollment_id;
		f->mentee_name[i] = name_of(fp, f->mentee_enrollment[i]);
	}
}

/* The people and (without `fresh`) the stored seats, or a plan. */
static int
session_load(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool fresh, struct ops_flash *f,
    struct error *err)
{
	struct flash_priv *fp;
	struct flash_seat *seats = NULL;
	size_t nseats = 0;
	int rc = -1;

	memset(f, 0, sizeof *f);
	fp = xcalloc(1, sizeof *fp);
	f->priv = fp;
	/* every eligible enrollment, matched elsewhere or not */
	if (ops_cands_load(o, program_id, p, 0, &fp->c, err) != 0 ||
	    store_enrolled_names(o->db, program_id, &fp->names, &fp->nnames,
	    err) != 0)
		return -1;
	if (!fresh && store_flash_seats(o->db, program_id, &seats, &nseats,
	    err) != 0)
		return -1;
	f->s.nmentees = fp->c.pool.nmentees;
	f->s.nmentors = fp->c.pool.nmentors;
	if (nseats > 0) {
		f->stored = true;
		session_of_seats(p, &fp->c.pool, seats, nseats, f);
	} else if (flash_plan(p, fp->c.pool.nmentees, fp->c.pool.nmentors,
	    fp->c.t.score, &f->s, err) != 0) {
		goto out;
	}
	people_of(fp, f);
	rc = 0;
out:
	free(seats);
	return rc;
}

int
ops_flash_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_flash *f, struct error *err)
{
	return session_load(o, program_id, p, false, f, err);
}

void
ops_flash_free(struct ops_flash *f)
{
	if (f == NULL)
		return;
	flash_session_free(&f->s);
	free(f->attended);
	free(f->mentor_email);
	free(f->mentee_email);
	free(f->mentor_name);
	free(f->mentee_name);
	free(f->mentor_enrollment);
	free(f->mentee_enrollment);
	if (f->priv != NULL) {
		struct flash_priv *fp = f->priv;

		ops_cands_free(&fp->c);
		enrolled_names_free(fp->names, fp->nnames);
		free(fp);
	}
	memset(f, 0, sizeof *f);
}

int
ops_flash_seat(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool force, struct ops_flash_seat *r,
    struct error *err)
{
	struct flash_counts counts;
	struct flash_seat *v;
	struct ops_flash f;
	size_t e;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (store_flash_counts(o->db, program_id, &counts, err) != 0)
		return -1;
	if (counts.seated > 0 && counts.unrecorded < counts.seated && !force)
		return error_set(err, EX_DATAERR, "the session of '%s' has "
		    "attendance recorded already (%lld came, %lld absent); "
		    "--force seats it again and drops it", p->slug,
		    counts.attended, counts.absent);
	r->replaced = counts.seated > 0;
	if (session_load(o, program_id, p, true, &f, err) != 0)
		goto out;
	v = xcalloc(f.s.plan.n + 1, sizeof *v);
	for (e = 0; e < f.s.plan.n; e++) {
		const struct rounds_meeting *m = &f.s.plan.v[e];

		v[e].round = m->round + 1;
		v[e].mentee_enrollment_id = f.mentee_enrollment[m->mentee];
		v[e].mentor_enrollment_id = f.mentor_enrollment[m->mentor];
		v[e].table = f.s.table[m->mentor];
		v[e].score = m->score;
		v[e].attended = -1;
	}
	rc = store_flash_seats_put(o->db, program_id, v, f.s.plan.n, err);
	free(v);
	r->seats = f.s.plan.n;
	r->mentees = f.s.plan.mentees_met;
out:
	ops_flash_free(&f);
	return rc;
}

int
ops_flash_attend(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *const *emails, size_t n, int round,
    bool absent, struct ops_flash_attend *r, struct error *err)
{
	struct ops_flash f;
	size_t k, e, changed;
	int i, rc = -1;
	bool seated;

	memset(r, 0, sizeof *r);
	if (ops_flash_plan(o, program_id, p, &f, err) != 0)
		goto out;
	if (!f.stored) {
		error_set(err, EX_DATAERR, "the session of '%s' is not seated "
		    "yet: confirm the seating with 'mentorctl flash seat %s' "
		    "first", p->slug, p->slug);
		goto out;
	}
	if (p->flash.date != DATE_NONE && o->today < p->flash.date) {
		char day[DATE_BUFSZ], today[DATE_BUFSZ];

		error_set(err, EX_DATAERR, "the session of '%s' is on %s: "
		    "attendance is recorded from that day (today is %s)",
		    p->slug, date_format(p->flash.date, day),
		    date_format(o->today, today));
		goto out;
	}
	if (round > f.s.nrounds) {
		error_set(err, EX_DATAERR, "the session of '%s' has %d round%s, "
		    "not %d", p->slug, f.s.nrounds, f.s.nrounds == 1 ? "" : "s",
		    round);
		goto out;
	}
	for (k = 0; k < n; k++) {
		for (i = 0; i < f.s.nmentees; i++)
			if (strcasecmp(emails[k], f.mentee_email[i]) == 0)
				break;
		seated = false;
		for (e = 0; i < f.s.nmentees && e < f.s.plan.n; e++)
			if (f.s.plan.v[e].mentee == i && (round == 0 ||
			    f.s.plan.v[e].round == round - 1))
				seated = true;
		if (!seated) {
			error_set(err, EX_DATAERR, "'%s' has no seat in %s of the "
			    "session of '%s'", emails[k], round ? "that round" :
			    "any round", p->slug);
			goto out;
		}
		if (store_flash_attend(o->db, program_id,
		    f.mentee_enrollment[i], round, absent ? 0 : 1, &changed,
		    err) != 0)
			goto out;
		r->people++;
		r->seats += changed;
	}
	rc = 0;
out:
	ops_flash_free(&f);
	return rc;
}
