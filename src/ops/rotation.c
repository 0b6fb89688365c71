/*
 * Rotations: the database choreography around core/rotation.h's plan (see
 * ops/rotation.h for the life cycle).
 */
#include "ops/rotation.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/program.h"
#include "core/rotation.h"
#include "ops/pairing.h"
#include "ops_int.h"
#include "store/cycle_store.h"
#include "store/db.h"
#include "store/program_store.h"
#include "store/pairing_store.h"
#include "store/rounds_store.h"
#include "util/xmalloc.h"

/* ---- where the rotation stands ---- */

static int
calendar_load(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct rotation_calendar *c, struct error *err)
{
	struct cycle_row *rows = NULL;
	struct rotation_period *v;
	size_t n = 0, i;

	memset(c, 0, sizeof *c);
	if (store_cycle_list(o->db, program_id, &rows, &n, err) != 0)
		return -1;
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].number = rows[i].d.number;
		v[i].starts_on = rows[i].d.starts_on;
		v[i].ends_on = rows[i].d.ends_on;
		v[i].open = rows[i].open;
	}
	rotation_calendar_init(c, p, v, n, o->today);
	free(v);
	cycle_rows_free(rows);
	return 0;
}

void
ops_rotation_rows_free(struct ops_rotation_rows *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].mentor_email);
		free(r->v[i].mentor_name);
		free(r->v[i].mentee_email);
		free(r->v[i].mentee_name);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

static struct ops_rotation_row *
row_add(struct ops_rotation_rows *r, const struct rotation_calendar *c,
    int period)
{
	struct ops_rotation_row *x;

	XGROW(r->v, r->n + 1, r->cap);
	x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->period = period;
	x->starts_on = period >= 1 && period <= c->periods ? c->start[period] :
	    DATE_NONE;
	x->last_day = rotation_last_day(c, period);
	return x;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/* ---- planning ---- */

/*
 * A plan over the mentees who need a mentor in some period left: the
 * plan's mentee i is pool mentee mentee_of[i], who needed needs[i]
 * periods.
 */
struct rplan {
	struct ops_cands c;
	struct rounds_plan plan;
	int nmentees;
	int *mentee_of;
	int *needs;
};

static void
rplan_free(struct rplan *r)
{
	rounds_plan_free(&r->plan);
	ops_cands_free(&r->c);
	free(r->mentee_of);
	free(r->needs);
	r->mentee_of = r->needs = NULL;
}

static int
mentee_index(const struct match_pool *pool, long long enrollment_id)
{
	int i;

	for (i = 0; i < pool->nmentees; i++)
		if (pool->mentees[i].enrollment_id == enrollment_id)
			return i;
	return -1;
}

static int
mentor_index(const struct match_pool *pool, long long enrollment_id)
{
	int j;

	for (j = 0; j < pool->nmentors; j++)
		if (pool->mentors[j].enrollment_id == enrollment_id)
			return j;
	return -1;
}

static int
excl_cmp(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/*
 * A period a mentee needs but that no mentor could fill (none with a place
 * that the mentee may meet and has not been paired with) is not asked for:
 * a re-run then plans nobody who cannot gain a meeting, and says so.
 */
static void
drop_unfillable(const struct ops_cands *c, const struct rotation_row *rows,
    size_t nrows, const int *left, unsigned char *need, int R)
{
	const struct match_pool *pool = &c->pool;
	long long *met = xcalloc(2 * nrows + 2, sizeof *met), key[2];
	size_t e, nmet = 0;
	int i, j, k, M = pool->nmentors;

	for (e = 0; e < nrows; e++) {
		met[2 * nmet] = rows[e].mentee_enrollment_id;
		met[2 * nmet + 1] = rows[e].mentor_enrollment_id;
		nmet++;
	}
	xqsort(met, nmet, 2 * sizeof *met, excl_cmp);
	for (i = 0; i < pool->nmentees; i++) {
		for (k = 0; k < R; k++) {
			bool ok = false;

			if (!need[(size_t)i * R + k])
				continue;
			for (j = 0; j < M && !ok; j++) {
				if (left[(size_t)j * R + k] <= 0 ||
				    c->t.score[(size_t)i * M + j] == MATCH_EXCLUDED)
					continue;
				key[0] = pool->mentees[i].enrollment_id;
				key[1] = pool->mentors[j].enrollment_id;
				ok = xbsearch(key, met, nmet, 2 * sizeof *met,
				    excl_cmp) == NULL;
			}
			if (!ok)
				need[(size_t)i * R + k] = 0;
		}
	}
	free(met);
}

/*
 * Plan the periods c->first..P that mentees still need a mentor in: a
 * newcomer every one, a mentee whose period was declined, expired or lost
 * its mentor that one; in the places each mentor has left in each period
 * (rows: the stored pairings), never with a mentor the mentee was paired
 * with before (any status: met, planned, declined).  When nobody has
 * stored pairings yet, everyone is planned jointly and exactly
 * (core/rotation.h).
 */
static int
plan(const struct ops_ctx *o, long long program_id, const struct program *p,
    const struct rotation_calendar *c, const struct rotation_row *rows,
    size_t nrows, struct rplan *r, struct error *err)
{
	struct rotation_problem rp;
	unsigned char *need, *pneed = NULL;
	int16_t *score = NULL;
	int *left, R = c->periods - c->first + 1, M, N, i, j, k, rc, n = 0;
	bool full = true;
	size_t e;

	memset(r, 0, sizeof *r);
	if (ops_cands_load(o, program_id, p, 0, &r->c, err) != 0)
		return -1;
	M = r->c.pool.nmentors;
	N = r->c.pool.nmentees;
	left = xcalloc((size_t)(M + 1) * (size_t)R, sizeof *left);
	need = xcalloc((size_t)(N + 1) * (size_t)R, sizeof *need);
	memset(need, 1, (size_t)N * (size_t)R);
	for (j = 0; j < M; j++)
		for (k = 0; k < R; k++)
			left[(size_t)j * R + k] = r->c.pool.mentors[j].capacity;
	for (e = 0; e < nrows; e++) {
		const struct rotation_row *x = &rows[e];

		if (x->slot < c->first || x->slot > c->periods ||
		    !pairing_status_open(x->status))
			continue;
		if ((j = mentor_index(&r->c.pool, x->mentor_enrollment_id)) >= 0)
			left[(size_t)j * R + (x->slot - c->first)]--;
		if ((i = mentee_index(&r->c.pool, x->mentee_enrollment_id)) >= 0)
			need[(size_t)i * R + (x->slot - c->first)] = 0;
	}
	for (e = 0; e < (size_t)M * (size_t)R; e++)
		if (left[e] < 0)
			left[e] = 0;
	if (nrows > 0)
		drop_unfillable(&r->c, rows, nrows, left, need, R);
	/* the mentees with a period to fill */
	r->mentee_of = xcalloc((size_t)N + 1, sizeof *r->mentee_of);
	r->needs = xcalloc((size_t)N + 1, sizeof *r->needs);
	for (i = 0; i < N; i++) {
		int cnt = 0;

		for (k = 0; k < R; k++)
			cnt += need[(size_t)i * R + k];
		if (cnt == 0)
			continue;
		if (cnt < R)
			full = false;
		r->mentee_of[n] = i;
		r->needs[n++] = cnt;
	}
	r->nmentees = n;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = n;
	rp.nmentors = M;
	rp.nperiods = R;
	rp.left = left;
	rp.objective = p->matching.objective;
	if (nrows == 0 && n == N) {
		/* a first plan: the score table as it is, jointly */
		rp.score = r->c.t.score;
	} else {
		score = xcalloc((size_t)n * (size_t)M + 1, sizeof *score);
		for (i = 0; i < n; i++)
			memcpy(score + (size_t)i * M, r->c.t.score +
			    (size_t)r->mentee_of[i] * M, (size_t)M *
			    sizeof *score);
		/* never a mentor twice, whatever became of the first time */
		for (e = 0; e < nrows; e++) {
			int pi = mentee_index(&r->c.pool,
			    rows[e].mentee_enrollment_id);

			j = mentor_index(&r->c.pool, rows[e].mentor_enrollment_id);
			if (pi < 0 || j < 0)
				continue;
			for (i = 0; i < n; i++)
				if (r->mentee_of[i] == pi)
					score[(size_t)i * M + j] = MATCH_EXCLUDED;
		}
		rp.score = score;
		if (!full) {
			pneed = xcalloc((size_t)n * (size_t)R + 1, 1);
			for (i = 0; i < n; i++)
				memcpy(pneed + (size_t)i * R, need +
				    (size_t)r->mentee_of[i] * R, (size_t)R);
			rp.need = pneed;
		}
	}
	rc = rotation_plan(&rp, &r->plan, err);
	free(left);
	free(need);
	free(pneed);
	free(score);
	return rc;
}

/* ---- match ---- */

void
ops_rotation_match_free(struct ops_rotation_match *r)
{
	if (r == NULL)
		return;
	ops_rotation_rows_free(&r->rows);
}

/* Store the plan, one proposal batch per period. */
static int
store_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, const struct rotation_calendar *c,
    struct pairing_new *v, size_t n, const int *proposed, struct error *err)
{
	struct pairing_propose pp;
	size_t from, to;

	for (from = 0; from < n; from = to) {
		for (to = from; to < n && v[to].slot == v[from].slot; to++)
			;
		memset(&pp, 0, sizeof pp);
		pp.program_id = program_id;
		pp.origin = PAIRING_ORIGIN_MATCH;
		pp.today = proposed[from];
		if (v[from].slot == c->open)
			ops_proposal_terms(p, o->today, &pp.expires_on,
			    &pp.activate);
		else
			rotation_proposal_days(p, o->today,
			    c->start[v[from].slot], &pp.today, &pp.expires_on);
		if (store_pairing_propose(o->db, &pp, v + from, to - from,
		    err) != 0)
			return -1;
	}
	return 0;
}

int
ops_rotation_match(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool dry, struct ops_rotation_match *r,
    struct error *err)
{
	struct rotation_calendar c;
	struct rotation_row *rows = NULL;
	struct rplan rp;
	struct pairing_new *v = NULL;
	const struct match_pool *pool;
	size_t nrows = 0, e;
	int *proposed = NULL, i, rc = -1;

	memset(r, 0, sizeof *r);
	memset(&rp, 0, sizeof rp);
	if (!dry && (ops_expire(o, NULL, err) != 0 ||
	    ops_rotation_advance(o, program_id, p, NULL, err) != 0))
		return -1;
	if (calendar_load(o, program_id, p, &c, err) != 0)
		return -1;
	r->periods = c.periods;
	r->first = c.first;
	if (c.first > c.periods) {
		error_set(err, EX_DATAERR, "the rotation of '%s' is complete: "
		    "all %d periods have run", p->slug, c.periods);
		goto out;
	}
	if (store_rotation_rows(o->db, program_id, o->today, &rows, &nrows,
	    err) != 0 || plan(o, program_id, p, &c, rows, nrows, &rp, err) != 0)
		goto out;
	pool = &rp.c.pool;
	v = xcalloc(rp.plan.n + 1, sizeof *v);
	proposed = xcalloc(rp.plan.n + 1, sizeof *proposed);
	for (e = 0; e < rp.plan.n; e++) {
		const struct rounds_meeting *m = &rp.plan.v[e];
		int slot = c.first + m->round, until;

		int ti = rp.mentee_of[m->mentee];

		v[e].mentor_enrollment_id = pool->mentors[m->mentor].enrollment_id;
		v[e].mentee_enrollment_id = pool->mentees[ti].enrollment_id;
		v[e].mentor_email = pool->mentors[m->mentor].email;
		v[e].mentee_email = pool->mentees[ti].email;
		v[e].score = m->score;
		v[e].slot = slot;
		if (slot == c.open)
			proposed[e] = o->today;
		else
			rotation_proposal_days(p, o->today, c.start[slot],
			    &proposed[e], &until);
	}
	if (!dry && store_plan(o, program_id, p, &c, v, rp.plan.n, proposed,
	    err) != 0)
		goto out;
	for (e = 0; e < rp.plan.n; e++) {
		const struct rounds_meeting *m = &rp.plan.v[e];
		struct ops_rotation_row *x = row_add(&r->rows, &c,
		    c.first + m->round);

		x->mentor_enrollment_id = v[e].mentor_enrollment_id;
		x->mentee_enrollment_id = v[e].mentee_enrollment_id;
		x->mentor_email = xstrdup(pool->mentors[m->mentor].email);
		x->mentee_email = xstrdup(
		    pool->mentees[rp.mentee_of[m->mentee]].email);
		x->score = m->score;
		x->id = dry ? 0 : v[e].id;
		x->status = rotation_new_status(p, &c, x->period, proposed[e],
		    o->today);
	}
	r->nmentees = rp.nmentees;
	r->met = rp.plan.mentees_met;
	r->total = rp.plan.total;
	for (i = 0; i < r->nmentees; i++)
		if (rp.plan.meetings_of[i] == rp.needs[i])
			r->full++;
	rc = 0;
out:
	free(v);
	free(proposed);
	rotation_rows_free(rows, nrows);
	rplan_free(&rp);
	rotation_calendar_free(&c);
	return rc;
}

/* ---- schedule ---- */

void
ops_rotation_view_free(struct ops_rotation_view *r)
{
	if (r == NULL)
		return;
	ops_rotation_rows_free(&r->rows);
}

static int
row_cmp(const void *a, const void *b)
{
	const struct ops_rotation_row *x = a, *y = b;
	int c;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if ((c = strcasecmp(x->mentor_email, y->mentor_email)) != 0)
		return c;
	return strcasecmp(x->mentee_email, y->mentee_email);
}

int
ops_rotation_view(const struct ops_ctx *o, long long program_id,
    const struct program *p, int from, int to, struct ops_rotation_view *r,
    struct error *err)
{
	struct rotation_calendar c;
	struct rotation_row *rows = NULL;
	struct rplan rp;
	size_t nrows = 0, i;
	int rc = -1;

	memset(r, 0, sizeof *r);
	memset(&rp, 0, sizeof rp);
	if (calendar_load(o, program_id, p, &c, err) != 0)
		return -1;
	r->periods = c.periods;
	if (store_rotation_rows(o->db, program_id, o->today, &rows, &nrows,
	    err) != 0)
		goto out;
	if (c.first <= c.periods && plan(o, program_id, p, &c, rows, nrows,
	    &rp, err) != 0)
		goto out;
	for (i = 0; i < nrows; i++) {
		const struct rotation_row *x = &rows[i];
		struct ops_rotation_row *y;

		if (x->status == PAIRING_DECLINED ||
		    x->status == PAIRING_EXPIRED ||
		    !rotation_in_range(&c, x->slot, from, to))
			continue;
		y = row_add(&r->rows, &c, x->slot);
		y->mentor_enrollment_id = x->mentor_enrollment_id;
		y->mentee_enrollment_id = x->mentee_enrollment_id;
		y->mentor_email = xstrdup(x->mentor_email);
		y->mentor_name = dup_or_null(x->mentor_name);
		y->mentee_email = xstrdup(x->mentee_email);
		y->mentee_name = dup_or_null(x->mentee_name);
		y->status = x->status;
		y->id = x->id;
		y->score = x->score;
	}
	/* who match would plan now, and how */
	for (i = 0; i < rp.plan.n; i++) {
		const struct rounds_meeting *m = &rp.plan.v[i];
		struct ops_rotation_row *y;

		if (!rotation_in_range(&c, c.first + m->round, from, to))
			continue;
		y = row_add(&r->rows, &c, c.first + m->round);
		y->mentor_enrollment_id =
		    rp.c.pool.mentors[m->mentor].enrollment_id;
		y->mentee_enrollment_id =
		    rp.c.pool.mentees[rp.mentee_of[m->mentee]].enrollment_id;
		y->mentor_email = xstrdup(rp.c.pool.mentors[m->mentor].email);
		y->mentee_email = xstrdup(
		    rp.c.pool.mentees[rp.mentee_of[m->mentee]].email);
		y->status = PAIRING_PROPOSED;
		y->preview = true;
		y->score = m->score;
		r->npreview++;
	}
	r->preview_mentees = rp.plan.mentees_met;
	if (r->rows.n > 1)
		xqsort(r->rows.v, r->rows.n, sizeof *r->rows.v, row_cmp);
	rc = 0;
out:
	rotation_rows_free(rows, nrows);
	rplan_free(&rp);
	rotation_calendar_free(&c);
	return rc;
}

/* ---- the periods as cycles ---- */

/*
 * Open period k on `start` (not after today): the cycle, then its consented
 * pairings turn active, and waiting proposals of later periods follow the
 * real dates.
 */
static int
period_open(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct rotation_calendar *c, int k, int start,
    struct ops_period_open *r, struct error *err)
{
	struct rotation_row *rows = NULL;
	struct cycle_dates cd;
	size_t nrows = 0, i;
	long long id, attached;
	int rc = -1;

	memset(r, 0, sizeof *r);
	memset(&cd, 0, sizeof cd);
	cd.number = k;
	cd.starts_on = start;
	cd.ends_on = date_add_duration(start, p->rotation.every, 1);
	/* no re-up in a rotation: a window that closed before the period */
	cd.reup_opens_on = cd.reup_closes_on = date_add_days(start, -1);
	if (cd.ends_on == DATE_NONE || cd.ends_on <= start)
		return error_set(err, EX_DATAERR, "period %d of '%s' would end "
		    "after year %d", k, p->slug, DATE_MAX_YEAR);
	if (store_cycle_start(o->db, program_id, &cd, &id, &attached,
	    err) != 0)
		return -1;
	rotation_calendar_redate(c, p, k, start);
	r->period = k;
	r->periods = c->periods;
	r->starts_on = start;
	r->last_day = date_add_days(cd.ends_on, -1);
	if (store_rotation_rows(o->db, program_id, o->today, &rows, &nrows,
	    err) != 0)
		return -1;
	for (i = 0; i < nrows; i++) {
		struct rotation_row *x = &rows[i];
		int pon, eon;

		if (x->slot < k || (x->status != PAIRING_PROPOSED &&
		    x->status != PAIRING_PLANNED))
			continue;
		if (x->slot == k && rotation_consented(p, x->mentor_accepted,
		    x->mentee_accepted)) {
			if (store_pairing_activate(o->db, x->id, o->today,
			    err) != 0)
				goto out;
			r->active++;
			continue;
		}
		if (x->slot == k)
			r->waiting++;
		if (x->slot > c->periods || c->start[x->slot] == DATE_NONE)
			continue;
		rotation_proposal_days(p, o->today, c->start[x->slot], &pon,
		    &eon);
		if (pon > x->proposed_on)
			pon = x->proposed_on;
		if (x->expires_on != DATE_NONE && eon != DATE_NONE &&
		    eon < x->expires_on)
			eon = x->expires_on;
		if ((pon != x->proposed_on || eon != x->expires_on) &&
		    store_rotation_redate(o->db, x->id, pon, eon, err) != 0)
			goto out;
	}
	rc = 0;
out:
	rotation_rows_free(rows, nrows);
	return rc;
}

int
ops_rotation_start(const struct ops_ctx *o, long long program_id,
    const struct program *p, int on, struct ops_period_open *r,
    struct error *err)
{
	struct rotation_calendar c;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	int k, start = on, rc = -1;

	memset(r, 0, sizeof *r);
	if (ops_rotation_advance(o, program_id, p, NULL, err) != 0 ||
	    calendar_load(o, program_id, p, &c, err) != 0)
		return -1;
	if (c.open > 0) {
		error_set(err, EX_DATAERR, "period %d of the rotation of '%s' is "
		    "open (%s to %s); close it with 'mentorctl cycle close %s'",
		    c.open, p->slug, date_format(c.open_period.starts_on, b1),
		    date_format(date_add_days(c.open_period.ends_on, -1), b2),
		    p->slug);
		goto out;
	}
	k = c.last + 1;
	if (k > c.periods) {
		error_set(err, EX_DATAERR, "the rotation of '%s' is complete: "
		    "all %d periods have run", p->slug, c.periods);
		goto out;
	}
	if (start == DATE_NONE)
		start = c.start[k];
	else if (c.last > 0 && start < c.last_period.ends_on) {
		error_set(err, EX_DATAERR, "period %d cannot start on %s, before "
		    "period %d ends on %s", k, date_format(start, b1), k - 1,
		    date_format(c.last_period.ends_on, b2));
		goto out;
	}
	if (start > o->today) {
		error_set(err, EX_DATAERR, "period %d of the rotation of '%s' "
		    "starts on %s: open it on that day (its pairings turn "
		    "active when it opens)", k, p->slug, date_format(start, b1));
		goto out;
	}
	if (on == DATE_NONE && date_add_duration(start, p->rotation.every,
	    1) <= o->today) {
		error_set(err, EX_DATAERR, "period %d would run from %s, which "
		    "is over; give the start with --on DATE", k,
		    date_format(start, b1));
		goto out;
	}
	if (ops_expire(o, NULL, err) != 0)
		goto out;
	rc = period_open(o, program_id, p, &c, k, start, r, err);
out:
	rotation_calendar_free(&c);
	return rc;
}

void
ops_rotation_close_free(struct ops_rotation_close *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].mentor_email);
		free(r->v[i].mentee_email);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

int
ops_rotation_close(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool force, struct ops_rotation_close *r,
    struct error *err)
{
	struct rotation_calendar c;
	struct cycle_member *v = NULL;
	struct cycle_row cur;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ], *reason = NULL;
	size_t n = 0, i;
	int rc = -1, ended_on, k;

	memset(r, 0, sizeof *r);
	r->next_starts_on = DATE_NONE;
	if (calendar_load(o, program_id, p, &c, err) != 0)
		return -1;
	k = c.open;
	r->period = k;
	r->periods = c.periods;
	if (k == 0) {
		error_set(err, EX_DATAERR, "programme '%s' has no open period",
		    p->slug);
		goto out;
	}
	if (o->today < c.open_period.ends_on && !force) {
		error_set(err, EX_DATAERR, "period %d of the rotation of '%s' "
		    "runs until %s; close it from %s, or give --force to close "
		    "it now", k, p->slug, date_format(date_add_days(
		    c.open_period.ends_on, -1), b1),
		    date_format(c.open_period.ends_on, b2));
		goto out;
	}
	if ((rc = store_cycle_open(o->db, program_id, &cur, err)) != 1) {
		if (rc == 0)
			error_set(err, EX_SOFTWARE, "the open period vanished");
		rc = -1;
		goto out;
	}
	rc = -1;
	if (store_cycle_members(o->db, cur.id, &v, &n, err) != 0)
		goto out;
	ended_on = o->today < cur.d.ends_on ? o->today : cur.d.ends_on;
	reason = xstrfmt("rotation period %d over", k);
	r->v = xcalloc(n + 1, sizeof *r->v);
	for (i = 0; i < n; i++) {
		if (store_pairing_end(o->db, v[i].pairing_id, ended_on <
		    v[i].activated_on ? v[i].activated_on : ended_on, reason,
		    NULL, err) != 0)
			goto out;
		r->v[r->n].pairing_id = v[i].pairing_id;
		r->v[r->n].mentor_email = xstrdup(v[i].mentor_email);
		r->v[r->n].mentee_email = xstrdup(v[i].mentee_email);
		r->n++;
	}
	if (store_rotation_expire_slot(o->db, program_id, k, &r->expired,
	    err) != 0 || store_cycle_close(o->db, program_id, &cur, NULL, 0,
	    o->today, NULL, NULL, err) != 0)
		goto out;
	if (k == c.periods) {
		r->complete = true;
		rc = 0;
		goto out;
	}
	r->next_starts_on = cur.d.ends_on;
	/* the next period follows on at once, unless it is still to come */
	if (cur.d.ends_on > o->today) {
		rc = 0;
		goto out;
	}
	c.open = 0;
	c.last = k;
	c.last_period.number = k;
	c.last_period.starts_on = cur.d.starts_on;
	c.last_period.ends_on = cur.d.ends_on;
	c.last_period.open = false;
	if (period_open(o, program_id, p, &c, k + 1, cur.d.ends_on, &r->next,
	    err) != 0)
		goto out;
	r->next_opened = true;
	rc = 0;
out:
	free(reason);
	cycle_members_free(v, n);
	rotation_calendar_free(&c);
	return rc;
}

/* ---- the calendar moves on ---- */

/*
 * No period open, one closed before and the next one's first day come:
 * open it on that day.  1 when it did, 0 when there is nothing to open.
 */
static int
open_due(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct error *err)
{
	struct rotation_calendar c;
	struct ops_period_open po;
	struct ops_ctx at = *o;
	int k, rc = 0;

	if (calendar_load(o, program_id, p, &c, err) != 0)
		return -1;
	k = c.last + 1;
	if (c.open == 0 && c.last > 0 && k <= c.periods &&
	    c.last_period.ends_on <= o->today) {
		at.today = c.last_period.ends_on;
		rc = period_open(&at, program_id, p, &c, k,
		    c.last_period.ends_on, &po, err) != 0 ? -1 : 1;
	}
	rotation_calendar_free(&c);
	return rc;
}

int
ops_rotation_overdue(const struct ops_ctx *o, long long program_id,
    const struct program *p, int *period, int *last_day, struct error *err)
{
	struct rotation_calendar c;

	*period = 0;
	*last_day = DATE_NONE;
	if (p->format != FORMAT_ROTATIONAL)
		return 0;
	if (calendar_load(o, program_id, p, &c, err) != 0)
		return -1;
	if ((*period = rotation_overdue_period(&c, o->today)) > 0)
		*last_day = date_add_days(c.open_period.ends_on, -1);
	rotation_calendar_free(&c);
	return 0;
}

int
ops_rotation_advance(const struct ops_ctx *o, long long program_id,
    const struct program *p, int *closed, struct error *err)
{
	struct ops_rotation_close r;
	struct ops_ctx at = *o;
	struct cycle_row c;
	int rc, n = 0;

	if (closed != NULL)
		*closed = 0;
	if (p->format != FORMAT_ROTATIONAL)
		return 0;
	for (;;) {
		if ((rc = store_cycle_open(o->db, program_id, &c, err)) < 0)
			return -1;
		if (rc == 0) {
			/* closed early: the next period opens on its day */
			if ((rc = open_due(o, program_id, p, err)) < 0)
				return -1;
			if (rc == 0)
				break;
			continue;
		}
		if (c.d.ends_on > o->today)
			break;
		/* closed on its end day, the next opened that day */
		at.today = c.d.ends_on;
		rc = ops_rotation_close(&at, program_id, p, false, &r, err);
		ops_rotation_close_free(&r);
		if (rc != 0)
			return -1;
		n++;
	}
	if (closed != NULL)
		*closed = n;
	return 0;
}

static int
advance_one(const struct ops_ctx *o, long long id, const char *slug,
    int *closed, struct error *err)
{
	struct program *p = NULL;
	long long pid;
	int n = 0, rc;

	if (ops_program_load(o, slug, &pid, &p, err) != 0)
		return -1;
	(void)id;
	rc = ops_rotation_advance(o, pid, p, &n, err);
	*closed += n;
	program_free(p);
	return rc;
}

int
ops_rotation_advance_all(const struct ops_ctx *o, const char *slug,
    int *closed, struct error *err)
{
	struct program_row *rows = NULL;
	size_t n = 0, i;
	bool own = !db_in_transaction(o->db);
	int total = 0, rc = -1, f;

	if (closed != NULL)
		*closed = 0;
	if (store_program_list(o->db, &rows, &n, err) != 0)
		return -1;
	if (own && db_begin(o->db, err) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		f = program_format_parse(rows[i].format);
		if (f != FORMAT_ROTATIONAL || (slug != NULL &&
		    strcmp(slug, rows[i].slug) != 0))
			continue;
		if (advance_one(o, rows[i].id, rows[i].slug, &total, err) != 0) {
			if (own)
				db_rollback(o->db);
			goto out;
		}
	}
	if (own && db_commit(o->db, err) != 0)
		goto out;
	if (closed != NULL)
		*closed = total;
	rc = 0;
out:
	program_rows_free(rows, n);
	return rc;
}

/* ---- a period set by hand ---- */

void
ops_rotation_pair_free(struct ops_rotation_pair *r)
{
	if (r == NULL)
		return;
	free(r->mentor);
	free(r->mentee);
	r->mentor = r->mentee = NULL;
}

/* The rules a hand-set period must keep: 0, or -1 with why. */
static int
pair_rules(const struct rotation_row *rows, size_t nrows,
    const struct match_cand *m, const struct match_cand *e, int k,
    struct error *err)
{
	size_t i;
	int used = 0;

	for (i = 0; i < nrows; i++) {
		const struct rotation_row *x = &rows[i];

		if (x->mentee_enrollment_id == e->enrollment_id &&
		    x->slot == k && pairing_status_open(x->status))
			return error_set(err, EX_DATAERR, "mentee '%s' has "
			    "pairing %lld in period %d already (with '%s'); "
			    "decline or end it first", e->email, x->id, k,
			    x->mentor_email);
		if (x->mentee_enrollment_id == e->enrollment_id &&
		    x->mentor_enrollment_id == m->enrollment_id)
			return error_set(err, EX_DATAERR, "'%s' and '%s' were "
			    "paired before (pairing %lld, period %d, %s): a "
			    "rotation never pairs them twice", m->email, e->email,
			    x->id, x->slot, pairing_status_name(x->status));
		if (x->mentor_enrollment_id == m->enrollment_id &&
		    x->slot == k && pairing_status_open(x->status))
			used++;
	}
	if (used >= m->capacity)
		return error_set(err, EX_DATAERR, "mentor '%s' has no place left "
		    "in period %d (capacity %d); capacity is never exceeded",
		    m->email, k, m->capacity);
	return 0;
}

int
ops_rotation_pair(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentor_email,
    const char *mentee_email, int period, bool force,
    struct ops_rotation_pair *r, struct error *err)
{
	struct rotation_calendar c;
	struct rotation_row *rows = NULL;
	struct ops_cands cands;
	struct match_load ld;
	struct score_input in;
	struct pairing_propose pp;
	size_t nrows = 0;
	int rc = -1;

	memset(r, 0, sizeof *r);
	memset(&cands, 0, sizeof cands);
	memset(&c, 0, sizeof c);
	r->period = period;
	if (p->format != FORMAT_ROTATIONAL)
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "--period is for rotational programmes", p->slug,
		    program_format_name(p->format));
	if (ops_expire(o, NULL, err) != 0 ||
	    ops_rotation_advance(o, program_id, p, NULL, err) != 0 ||
	    calendar_load(o, program_id, p, &c, err) != 0)
		return -1;
	if (period < c.first || period > c.periods) {
		error_set(err, EX_DATAERR, "period %d of the rotation of '%s' "
		    "cannot be set: %s", period, p->slug, c.first > c.periods ?
		    "every period has run" : period < 1 || period > c.periods ?
		    "there is no such period" : "it is over");
		goto out;
	}
	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = o->today;
	ld.mentor_email = mentor_email;
	ld.mentee_email = mentee_email;
	if (store_match_load(o->db, &ld, &cands.pool, err) != 0)
		goto out;
	if (cands.pool.nmentors == 0 || cands.pool.nmentees == 0) {
		store_match_why_not(o->db, program_id, p->slug,
		    cands.pool.nmentors ? mentee_email : mentor_email,
		    cands.pool.nmentors ? ROLE_MENTEE : ROLE_MENTOR, err);
		goto out;
	}
	if (store_rotation_rows(o->db, program_id, o->today, &rows, &nrows,
	    err) != 0 || pair_rules(rows, nrows, &cands.pool.mentors[0],
	    &cands.pool.mentees[0], period, err) != 0)
		goto out;
	match_pool_input(&cands.pool, p, o->today, &in);
	if (score_build(&in, &cands.t, err) != 0)
		goto out;
	if (cands.t.score[0] == MATCH_EXCLUDED && !force) {
		error_set(err, EX_DATAERR, "cannot pair mentor '%s' with mentee "
		    "'%s': the programme's rules exclude the pair (--force pairs "
		    "them anyway)", cands.pool.mentors[0].email,
		    cands.pool.mentees[0].email);
		goto out;
	}
	r->mentor = xstrdup(cands.pool.mentors[0].email);
	r->mentee = xstrdup(cands.pool.mentees[0].email);
	r->made.mentor_enrollment_id = cands.pool.mentors[0].enrollment_id;
	r->made.mentee_enrollment_id = cands.pool.mentees[0].enrollment_id;
	r->made.mentor_email = r->mentor;
	r->made.mentee_email = r->mentee;
	r->made.score = cands.t.score[0] == MATCH_EXCLUDED ? 0 :
	    cands.t.score[0];
	r->made.slot = period;
	memset(&pp, 0, sizeof pp);
	pp.program_id = program_id;
	pp.origin = PAIRING_ORIGIN_MANUAL;
	pp.note = force ? "rotation period set by hand, forced" :
	    "rotation period set by hand";
	if (period == c.open) {
		pp.today = o->today;
		ops_proposal_terms(p, o->today, &pp.expires_on, &pp.activate);
	} else {
		rotation_proposal_days(p, o->today, c.start[period], &pp.today,
		    &pp.expires_on);
	}
	if (store_pairing_propose(o->db, &pp, &r->made, 1, err) != 0)
		goto out;
	r->proposed_on = pp.today;
	r->expires_on = pp.expires_on;
	r->status = rotation_new_status(p, &c, period, pp.today, o->today);
	rc = 0;
out:
	rotation_rows_free(rows, nrows);
	ops_cands_free(&cands);
	rotation_calendar_free(&c);
	return rc;
}
