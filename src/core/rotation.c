#include "core/rotation.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "util/xmalloc.h"

void
rotation_calendar_init(struct rotation_calendar *c, const struct program *p,
    const struct rotation_period *v, size_t n, int today)
{
	size_t i;
	int k, P = p->rotation.periods > 0 ? p->rotation.periods : 0;

	memset(c, 0, sizeof *c);
	c->periods = P;
	c->start = xcalloc((size_t)P + 2, sizeof *c->start);
	for (k = 0; k <= P + 1; k++)
		c->start[k] = DATE_NONE;
	for (i = 0; i < n; i++) {
		k = v[i].number;
		if (k >= 1 && k <= P + 1)
			c->start[k] = v[i].starts_on;
		if (k >= 0 && k + 1 <= P + 1 && c->start[k + 1] == DATE_NONE)
			c->start[k + 1] = v[i].ends_on;
		if (v[i].open && k > c->open) {
			c->open = k;
			c->open_period = v[i];
		}
		if (k > c->last) {
			c->last = k;
			c->last_period = v[i];
		}
	}
	if (P >= 1 && c->start[1] == DATE_NONE)
		c->start[1] = p->cycle.present && p->cycle.start != DATE_NONE ?
		    p->cycle.start : today;
	for (k = 2; k <= P + 1; k++)
		if (c->start[k] == DATE_NONE && c->start[k - 1] != DATE_NONE)
			c->start[k] = rounds_period_start(p->rotation.every,
			    k - 1, c->start[k - 1], k);
	if (c->open > 0)
		c->first = c->open;
	else
		c->first = c->last + 1;
}

void
rotation_calendar_free(struct rotation_calendar *c)
{
	if (c == NULL)
		return;
	free(c->start);
	c->start = NULL;
}

void
rotation_calendar_redate(struct rotation_calendar *c, const struct program *p,
    int k, int start)
{
	int j;

	if (k < 1 || k > c->periods + 1)
		return;
	c->start[k] = start;
	for (j = k + 1; j <= c->periods + 1; j++)
		c->start[j] = rounds_period_start(p->rotation.every, k, start, j);
}

int
rotation_overdue_period(const struct rotation_calendar *c, int today)
{
	if (c->open == 0 || c->open_period.ends_on == DATE_NONE)
		return 0;
	return c->open_period.ends_on <= today ? c->open : 0;
}

int
rotation_last_day(const struct rotation_calendar *c, int k)
{
	if (k < 1 || k > c->periods || c->start[k + 1] == DATE_NONE)
		return DATE_NONE;
	return date_add_days(c->start[k + 1], -1);
}

bool
rotation_in_range(const struct rotation_calendar *c, int k, int from, int to)
{
	int s, e;

	if (k < 1 || k > c->periods)
		return false;
	s = c->start[k];
	e = c->start[k + 1];
	if (from != DATE_NONE && e != DATE_NONE && e <= from)
		return false;
	if (to != DATE_NONE && s != DATE_NONE && s > to)
		return false;
	return true;
}

void
rotation_proposal_days(const struct program *p, int today, int period_start,
    int *proposed_on, int *expires_on)
{
	int from = date_add_duration(period_start, p->matching.respond_within,
	    -1);
	int until;

	*proposed_on = from != DATE_NONE && from > today ? from : today;
	if (p->matching.consent == CONSENT_NONE) {
		*expires_on = DATE_NONE;
		return;
	}
	until = date_add_duration(*proposed_on, p->matching.respond_within, 1);
	*expires_on = until > period_start ? until : period_start;
}

enum pairing_status
rotation_new_status(const struct program *p, const struct rotation_calendar *c,
    int slot, int proposed_on, int today)
{
	if (slot == c->open && p->matching.consent == CONSENT_NONE)
		return PAIRING_ACTIVE;
	return proposed_on > today ? PAIRING_PLANNED : PAIRING_PROPOSED;
}

bool
rotation_consented(const struct program *p, bool mentor_accepted,
    bool mentee_accepted)
{
	switch (p->matching.consent) {
	case CONSENT_BOTH:
		return mentor_accepted && mentee_accepted;
	case CONSENT_MENTEE:
		return mentee_accepted;
	case CONSENT_NONE:
		break;
	}
	return true;
}

/* ---- planning ---- */

static int
meeting_by_round(const void *a, const void *b)
{
	const struct rounds_meeting *x = a, *y = b;

	if (x->round != y->round)
		return x->round < y->round ? -1 : 1;
	if (x->mentor != y->mentor)
		return x->mentor < y->mentor ? -1 : 1;
	return (x->mentee > y->mentee) - (x->mentee < y->mentee);
}

static bool
uniform(const struct rotation_problem *rp)
{
	int j, k, R = rp->nperiods;

	if (rp->need != NULL)
		return false;
	for (j = 0; j < rp->nmentors; j++)
		for (k = 1; k < R; k++)
			if (rp->left[(size_t)j * R + k] != rp->left[(size_t)j * R])
				return false;
	return true;
}

static int
validate(const struct rotation_problem *rp, struct error *err)
{
	size_t i;

	if (rp->nmentees < 0 || rp->nmentors < 0 || rp->nperiods < 1 ||
	    (rp->nmentees > 0 && rp->nmentors > 0 && rp->score == NULL) ||
	    (rp->nmentors > 0 && rp->left == NULL))
		return error_set(err, EX_SOFTWARE, "rotation problem: bad sizes");
	for (i = 0; i < (size_t)rp->nmentors * (size_t)rp->nperiods; i++)
		if (rp->left[i] < 0)
			return error_set(err, EX_SOFTWARE, "rotation problem: "
			    "negative places");
	return 0;
}

/* The joint exact plan: every mentee, every period, the same places. */
static int
plan_jointly(const struct rotation_problem *rp, struct rounds_plan *out,
    struct error *err)
{
	struct rounds_problem p;
	int *places, j;
	int rc;

	places = xcalloc((size_t)rp->nmentors + 1, sizeof *places);
	for (j = 0; j < rp->nmentors; j++)
		places[j] = rp->left[(size_t)j * rp->nperiods];
	memset(&p, 0, sizeof p);
	p.nmentees = rp->nmentees;
	p.nmentors = rp->nmentors;
	p.score = rp->score;
	p.nrounds = rp->nperiods;
	p.places = places;
	p.objective = rp->objective;
	p.balance = true;
	rc = rounds_plan(&p, out, err);
	if (rc == 0 && (rc = rounds_verify(&p, out, err)) != 0)
		rounds_plan_free(out);
	free(places);
	return rc;
}

/* One mentee's best periods-to-mentors assignment; appends to out. */
static int
plan_one(const struct rotation_problem *rp, int i, int *left, int16_t *score,
    int *cap, size_t *cap_v, struct rounds_plan *out, struct error *err)
{
	struct match_problem mp;
	struct match_result res = MATCH_RESULT_INIT;
	int j, k, R = rp->nperiods, M = rp->nmentors;

	for (j = 0; j < M; j++) {
		cap[j] = 1;
		for (k = 0; k < R; k++) {
			bool ok = left[(size_t)j * R + k] > 0 &&
			    (rp->need == NULL || rp->need[(size_t)i * R + k]);

			score[(size_t)k * M + j] = ok ?
			    rp->score[(size_t)i * M + j] : MATCH_EXCLUDED;
		}
	}
	memset(&mp, 0, sizeof mp);
	mp.nmentees = R;
	mp.nmentors = M;
	mp.capacity = cap;
	mp.score = score;
	mp.objective = rp->objective;
	if (match_solve(&mp, &res, err) != 0)
		return -1;
	for (k = 0; k < R; k++) {
		struct rounds_meeting *m;

		if ((j = res.mentor_of[k]) < 0)
			continue;
		left[(size_t)j * R + k]--;
		XGROW(out->v, out->n + 1, *cap_v);
		m = &out->v[out->n++];
		m->mentee = i;
		m->mentor = j;
		m->round = k;
		m->seat = 0;
		m->score = rp->score[(size_t)i * M + j];
		out->total += m->score;
		out->meetings_of[i]++;
	}
	if (out->meetings_of[i] > 0)
		out->mentees_met++;
	out->squares += (int64_t)out->meetings_of[i] * out->meetings_of[i];
	match_result_free(&res);
	return 0;
}

/* The rules of a one-by-one plan: places, needs, exclusions, no repeat. */
static int
check_each(const struct rotation_problem *rp, const struct rounds_plan *plan,
    struct error *err)
{
	int *used, R = rp->nperiods, M = rp->nmentors;
	size_t e, f;
	int rc = 0;

	used = xcalloc((size_t)M * R + 1, sizeof *used);
	for (e = 0; e < plan->n && rc == 0; e++) {
		const struct rounds_meeting *m = &plan->v[e];

		if (rp->score[(size_t)m->mentee * M + m->mentor] ==
		    MATCH_EXCLUDED)
			rc = error_set(err, EX_SOFTWARE, "rotation plan: an "
			    "excluded pair meets");
		else if (rp->need && !rp->need[(size_t)m->mentee * R + m->round])
			rc = error_set(err, EX_SOFTWARE, "rotation plan: a "
			    "mentee planned in a period it does not need");
		else if (++used[(size_t)m->mentor * R + m->round] >
		    rp->left[(size_t)m->mentor * R + m->round])
			rc = error_set(err, EX_SOFTWARE, "rotation plan: a "
			    "mentor over its places");
		for (f = e + 1; f < plan->n && rc == 0; f++)
			if (plan->v[f].mentee == m->mentee &&
			    (plan->v[f].mentor == m->mentor ||
			    plan->v[f].round == m->round))
				rc = error_set(err, EX_SOFTWARE, "rotation plan: "
				    "a mentee meets a mentor twice or two "
				    "mentors in a period");
	}
	free(used);
	return rc;
}

static int
plan_each(const struct rotation_problem *rp, struct rounds_plan *out,
    struct error *err)
{
	int16_t *score;
	int *cap, *left, i, R = rp->nperiods, M = rp->nmentors;
	size_t cap_v = 0;
	int rc = 0;

	score = xcalloc((size_t)R * (M + 1), sizeof *score);
	cap = xcalloc((size_t)M + 1, sizeof *cap);
	left = xcalloc((size_t)M * R + 1, sizeof *left);
	if (M > 0)
		memcpy(left, rp->left, (size_t)M * R * sizeof *left);
	out->meetings_of = xcalloc((size_t)rp->nmentees + 1,
	    sizeof *out->meetings_of);
	for (i = 0; i < rp->nmentees && rc == 0 && M > 0; i++)
		rc = plan_one(rp, i, left, score, cap, &cap_v, out, err);
	free(score);
	free(cap);
	free(left);
	if (rc == 0 && out->n > 1)
		xqsort(out->v, out->n, sizeof *out->v, meeting_by_round);
	if (rc == 0)
		rc = check_each(rp, out, err);
	if (rc != 0)
		rounds_plan_free(out);
	return rc;
}

int
rotation_plan(const struct rotation_problem *rp, struct rounds_plan *out,
    struct error *err)
{
	memset(out, 0, sizeof *out);
	if (validate(rp, err) != 0)
		return -1;
	if (uniform(rp))
		return plan_jointly(rp, out, err);
	return plan_each(rp, out, err);
}
