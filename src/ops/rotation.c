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
#include "store/pairing_store.h"
#include "store/rounds_store.h"
#include "util/xmalloc.h"

int
ops_rotation_accept_gate(const struct ops_ctx *o, const struct program *p,
    long long program_id, int slot, bool *activate, struct error *err)
{
	struct cycle_row c;
	int rc;

	if (p->format != FORMAT_ROTATIONAL || slot <= 0 || !*activate)
		return 0;
	if ((rc = store_cycle_open(o->db, program_id, &c, err)) < 0)
		return -1;
	*activate = rc == 1 && c.d.number == slot;
	return 0;
}

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

struct rplan {
	struct ops_cands c;
	struct rounds_plan plan;
};

static void
rplan_free(struct rplan *r)
{
	rounds_plan_free(&r->plan);
	ops_cands_free(&r->c);
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

/*
 * Plan the mentees without a rotation over periods c->first..P, in the
 * places each mentor has left in each period (rows: the stored ones).
 */
static int
plan(const struct ops_ctx *o, long long program_id, const struct program *p,
    const struct rotation_calendar *c, const struct rotation_row *rows,
    size_t nrows, struct rplan *r, struct error *err)
{
	struct rotation_problem rp;
	int *left, R = c->periods - c->first + 1, j, k, rc;
	size_t i;

	memset(r, 0, sizeof *r);
	if (ops_cands_load(o, program_id, p, MATCH_LOAD_UNMATCHED, &r->c,
	    err) != 0)
		return -1;
	left = xcalloc((size_t)(r->c.pool.nmentors + 1) * (size_t)R,
	    sizeof *left);
	for (j = 0; j < r->c.pool.nmentors; j++)
		for (k = 0; k < R; k++)
			left[(size_t)j * R + k] = r->c.pool.mentors[j].capacity;
	for (i = 0; i < nrows; i++) {
		const struct rotation_row *x = &rows[i];

		if (x->slot < c->first || x->slot > c->periods ||
		    !pairing_status_open(x->status))
			continue;
		if ((j = mentor_index(&r->c.pool, x->mentor_enrollment_id)) < 0)
			continue;
		left[(size_t)j * R + (x->slot - c->first)]--;
	}
	for (i = 0; i < (size_t)r->c.pool.nmentors * (size_t)R; i++)
		if (left[i] < 0)
			left[i] = 0;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = r->c.pool.nmentees;
	rp.nmentors = r->c.pool.nmentors;
	rp.score = r->c.t.score;
	rp.nperiods = R;
	rp.left = left;
	rp.objective = p->matching.objective;
	rc = rotation_plan(&rp, &r->plan, err);
	free(left);
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
	if (!dry && ops_expire(o, NULL, err) != 0)
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

		v[e].mentor_enrollment_id = pool->mentors[m->mentor].enrollment_id;
		v[e].mentee_enrollment_id = pool->mentees[m->mentee].enrollment_id;
		v[e].mentor_email = pool->mentors[m->mentor].email;
		v[e].mentee_email = pool->mentees[m->mentee].email;
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

		x->mentor_email = xstrdup(pool->mentors[m->mentor].email);
		x->mentee_email = xstrdup(pool->mentees[m->mentee].email);
		x->score = m->score;
		x->id = dry ? 0 : v[e].id;
		x->status = rotation_new_status(p, &c, x->period, proposed[e],
		    o->today);
	}
	r->nmentees = rp.c.pool.nmentees;
	r->met = rp.plan.mentees_met;
	r->total = rp.plan.total;
	for (i = 0; i < r->nmentees; i++)
		if (rp.plan.meetings_of[i] == c.periods - c.first + 1)
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
		y->mentor_email = xstrdup(rp.c.pool.mentors[m->mentor].email);
		y->mentee_email = xstrdup(rp.c.pool.mentees[m->mentee].email);
		y->status = PAIRING_PROPOSED;
		y->preview = true;
		y->score = m->score;
		r->npreview++;
	}
	r->preview_mentees = rp.plan.mentees_met;
	if (r->rows.n > 1)
		qsort(r->rows.v, r->rows.n, sizeof *r->rows.v, row_cmp);
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
	if (calendar_load(o, program_id, p, &c, err) != 0)
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
	reason = xasprintf("rotation period %d over", k);
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
