/*
 * Planning a matching from a pool.  The coordinator's fixed pairs go first
 * (they take their places); the rest is solved for the programme's
 * objective.  For coverage and score the solver (core/match.h) solves
 * the b-matching exactly: mentor places, and with several mentors per
 * mentee the mentees' places too (never the same pair twice), with
 * roles.mentee.min and matching.balance as levels of its objective.  For
 * stable, deferred acceptance (core/stable.h) runs on the places.
 */
#include "core/match_plan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/match.h"
#include "core/stable.h"
#include "util/xmalloc.h"

void
match_plan_free(struct match_plan *plan)
{
	if (plan == NULL)
		return;
	free(plan->v);
	free(plan->pairs_of);
	memset(plan, 0, sizeof *plan);
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct match_plan_pair *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

static void
plan_add(struct match_plan *plan, int i, int j, int score, bool fixed)
{
	struct match_plan_pair *q = &plan->v[plan->n++];

	q->mentee = i;
	q->mentor = j;
	q->score = score;
	q->fixed = fixed;
	plan->total += score;
	if (plan->pairs_of[i]++ == 0)
		plan->matched++;
}

/* What the plan works on: places left after the fixed pairs, the table. */
struct work {
	const struct match_pool *pool;
	const struct score_table *t;
	int *eplaces;              /* per mentee */
	int *mplaces;              /* per mentor */
	int16_t *score;            /* a copy when fixed pairs are taken out */
	const int16_t *sc;         /* the table the solver sees */
};

/*
 * Whether the coordinator may fix (mentee i, mentor j): never the same
 * person, a pair declined, expired or open, a never-pair entry, anyone's
 * avoid or veto; the programme's other rules (criteria, min_score,
 * previous partners, manager lines, departments, format) give way.
 */
bool
match_plan_fixable(const struct match_pool *pool, int i, int j)
{
	const struct match_excl *x;

	if (pool->mentees[i].person == pool->mentors[j].person)
		return false;
	for (x = match_pool_excl(pool, i, j); x != NULL &&
	    x < pool->excl + pool->nexcl && x->mentee == i && x->mentor == j;
	    x++)
		if (x->kind != MATCH_EXCL_PREVIOUS)
			return false;
	return true;
}

/* The fixed pairs that can be had, first; their places and cells taken. */
static void
take_fixed(struct work *w, struct match_plan *plan)
{
	const struct match_pool *pool = w->pool;
	struct score_detail d;
	size_t k;
	int i, j, nm = pool->nmentors;

	if (pool->nfixed == 0)
		return;
	w->score = xreallocarray(NULL, pool->nmentees && nm ?
	    (size_t)pool->nmentees * nm : 1, sizeof *w->score);
	memcpy(w->score, w->t->score, (size_t)pool->nmentees * nm *
	    sizeof *w->score);
	w->sc = w->score;
	for (k = 0; k < pool->nfixed; k++) {
		i = pool->fixed[k].mentee;
		j = pool->fixed[k].mentor;
		if (i < 0 || j < 0 || i >= pool->nmentees || j >= nm ||
		    w->eplaces[i] == 0 || w->mplaces[j] == 0 ||
		    !match_plan_fixable(pool, i, j))
			continue;
		score_explain(w->t, i, j, NULL, &d);
		plan_add(plan, i, j, d.score, true);
		w->eplaces[i]--;
		w->mplaces[j]--;
		w->score[(size_t)i * nm + j] = MATCH_EXCLUDED;
	}
}

/* Coverage and score: the solver on one row per mentee place. */
/*
 * Several mentors per mentee: the solver's b-matching on both sides (never
 * the same pair twice), with roles.mentee.min as its levels: min 1 is
 * "everyone's first mentor before anyone's second" (covered first), min 2
 * and more also spreads the mentors evenly over the mentees (even) among
 * the largest plans.
 */
static int
solve_several(struct work *w, const struct program *p,
    struct match_plan *plan, struct error *err)
{
	const struct match_pool *pool = w->pool;
	struct match_problem pb;
	struct match_result r = MATCH_RESULT_INIT;
	size_t k;
	int rc, nm = pool->nmentors;

	memset(&pb, 0, sizeof pb);
	pb.nmentees = pool->nmentees;
	pb.nmentors = nm;
	pb.capacity = w->mplaces;
	pb.score = w->sc;
	pb.objective = p->matching.objective == OBJECTIVE_SCORE ?
	    OBJECTIVE_SCORE : OBJECTIVE_COVERAGE;
	pb.mentee_capacity = w->eplaces;
	pb.min_first = p->mentee.min >= 1;
	pb.even = p->mentee.min >= 2;
	pb.spread = p->matching.balance == BALANCE_SPREAD;
	rc = match_solve(&pb, &r, err);
	for (k = 0; rc == 0 && k < r.npairs; k++)
		plan_add(plan, r.pairs[k].mentee, r.pairs[k].mentor,
		    w->sc[(size_t)r.pairs[k].mentee * nm + r.pairs[k].mentor],
		    false);
	match_result_free(&r);
	return rc;
}

static int
solve_optimal(struct work *w, const struct program *p,
    struct match_plan *plan, struct error *err)
{
	const struct match_pool *pool = w->pool;
	const struct score_table *t = w->t;
	struct match_problem pb;
	struct match_result r = MATCH_RESULT_INIT;
	int16_t *score = NULL;
	int *row_mentee, *cls = NULL;
	int nrows = 0, i, k, rc, nm = pool->nmentors, places;
	bool several = false, one_each = true;

	for (i = 0; i < pool->nmentees; i++) {
		nrows += w->eplaces[i];
		several = several || w->eplaces[i] > 1;
		one_each = one_each && w->eplaces[i] == 1;
	}
	if (several && t->mentee_class != NULL)
		return error_set(err, EX_DATAERR, "a group programme gives each "
		    "mentee one group: a mentee's capacity must be 1");
	if (several)
		return solve_several(w, p, plan, err);
	row_mentee = xreallocarray(NULL, nrows ? (size_t)nrows : 1,
	    sizeof *row_mentee);
	memset(&pb, 0, sizeof pb);
	pb.nmentors = nm;
	pb.capacity = w->mplaces;
	pb.objective = p->matching.objective == OBJECTIVE_SCORE ?
	    OBJECTIVE_SCORE : OBJECTIVE_COVERAGE;
	pb.spread = p->matching.balance == BALANCE_SPREAD;
	pb.nmentees = nrows;
	if (one_each) {
		/* one row per mentee: the table as it is */
		for (i = 0; i < nrows; i++)
			row_mentee[i] = i;
		pb.score = w->sc;
		pb.mentee_class = t->mentee_class;
		pb.max_per_class = t->max_per_class;
	} else {
		score = xreallocarray(NULL, nrows && nm ? (size_t)nrows * nm :
		    1, sizeof *score);
		if (t->mentee_class != NULL)
			cls = xreallocarray(NULL, nrows ? (size_t)nrows : 1,
			    sizeof *cls);
		for (i = k = 0; i < pool->nmentees; i++)
			for (places = w->eplaces[i]; places > 0; places--) {
				row_mentee[k] = i;
				if (cls)
					cls[k] = t->mentee_class[i];
				memcpy(score + (size_t)k * nm, w->sc +
				    (size_t)i * nm, (size_t)nm * sizeof *score);
				k++;
			}
		pb.score = score;
		pb.mentee_class = cls;
		pb.max_per_class = t->max_per_class;
	}
	rc = match_solve(&pb, &r, err);
	for (k = 0; rc == 0 && k < nrows; k++)
		if (r.mentor_of[k] >= 0)
			plan_add(plan, row_mentee[k], r.mentor_of[k],
			    w->sc[(size_t)row_mentee[k] * nm + r.mentor_of[k]],
			    false);
	match_result_free(&r);
	free(score);
	free(cls);
	free(row_mentee);
	return rc;
}

/* Stable: deferred acceptance on the places. */
static int
solve_stable(struct work *w, struct match_plan *plan, struct error *err)
{
	const struct match_pool *pool = w->pool;
	struct stable_prefs in;
	struct stable_result r = STABLE_RESULT_INIT;
	size_t k;
	int nm = pool->nmentors;

	if (w->t->mentee_class != NULL)
		return error_set(err, EX_DATAERR, "objective stable does not "
		    "keep a group's departments apart: use coverage or score "
		    "for a group programme");
	memset(&in, 0, sizeof in);
	in.nmentees = pool->nmentees;
	in.nmentors = nm;
	in.mentee_places = w->eplaces;
	in.mentor_places = w->mplaces;
	in.score = w->sc;
	in.prefs = pool->prefs;
	in.nprefs = pool->nprefs;
	if (stable_match(&in, &r, err) != 0)
		return -1;
	for (k = 0; k < r.n; k++)
		plan_add(plan, r.mentee[k], r.mentor[k],
		    w->sc[(size_t)r.mentee[k] * nm + r.mentor[k]], false);
	stable_result_free(&r);
	return 0;
}

int
match_plan_solve(const struct match_pool *pool, const struct program *p,
    const struct score_table *t, struct match_plan *plan, struct error *err)
{
	struct work w;
	size_t room = 0;
	int i, j, rc;

	memset(plan, 0, sizeof *plan);
	memset(&w, 0, sizeof w);
	w.pool = pool;
	w.t = t;
	w.sc = t->score;
	w.eplaces = xreallocarray(NULL, pool->nmentees ?
	    (size_t)pool->nmentees : 1, sizeof *w.eplaces);
	w.mplaces = xreallocarray(NULL, pool->nmentors ?
	    (size_t)pool->nmentors : 1, sizeof *w.mplaces);
	for (i = 0; i < pool->nmentees; i++)
		room += (size_t)(w.eplaces[i] =
		    match_cand_free_places(&pool->mentees[i]));
	for (j = 0; j < pool->nmentors; j++)
		w.mplaces[j] = match_cand_free_places(&pool->mentors[j]);
	plan->v = xreallocarray(NULL, room ? room : 1, sizeof *plan->v);
	plan->pairs_of = xcalloc(pool->nmentees ? (size_t)pool->nmentees : 1,
	    sizeof *plan->pairs_of);
	take_fixed(&w, plan);
	if (p->matching.objective == OBJECTIVE_STABLE)
		rc = solve_stable(&w, plan, err);
	else
		rc = solve_optimal(&w, p, plan, err);
	if (rc == 0 && plan->n > 1)
		xqsort(plan->v, plan->n, sizeof *plan->v, cmp_pair);
	free(w.eplaces);
	free(w.mplaces);
	free(w.score);
	if (rc != 0)
		match_plan_free(plan);
	return rc;
}

size_t
match_plan_blocking(const struct match_pool *pool,
    const struct score_table *t, const struct match_plan *plan)
{
	struct stable_prefs in;
	int *eplaces, *mplaces, *mentee, *mentor, i, j;
	size_t k, n;

	eplaces = xreallocarray(NULL, pool->nmentees ? (size_t)pool->nmentees :
	    1, sizeof *eplaces);
	mplaces = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors :
	    1, sizeof *mplaces);
	for (i = 0; i < pool->nmentees; i++)
		eplaces[i] = match_cand_free_places(&pool->mentees[i]);
	for (j = 0; j < pool->nmentors; j++)
		mplaces[j] = match_cand_free_places(&pool->mentors[j]);
	mentee = xreallocarray(NULL, plan->n ? plan->n : 1, sizeof *mentee);
	mentor = xreallocarray(NULL, plan->n ? plan->n : 1, sizeof *mentor);
	for (k = n = 0; k < plan->n; k++) {
		/* a fixed pair is the coordinator's, outside the preferences */
		if (plan->v[k].fixed) {
			eplaces[plan->v[k].mentee]--;
			mplaces[plan->v[k].mentor]--;
			continue;
		}
		mentee[n] = plan->v[k].mentee;
		mentor[n++] = plan->v[k].mentor;
	}
	memset(&in, 0, sizeof in);
	in.nmentees = pool->nmentees;
	in.nmentors = pool->nmentors;
	in.mentee_places = eplaces;
	in.mentor_places = mplaces;
	in.score = t->score;
	in.prefs = pool->prefs;
	in.nprefs = pool->nprefs;
	k = stable_blocking_pairs(&in, mentee, mentor, n);
	free(eplaces);
	free(mplaces);
	free(mentee);
	free(mentor);
	return k;
}

/* Equal department names, trimmed, any case; false when one is unknown. */
static bool
same_dept(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return false;
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la > 0 && a[la - 1] == ' ')
		la--;
	while (lb > 0 && b[lb - 1] == ' ')
		lb--;
	return la == lb && la > 0 && strncasecmp(a, b, la) == 0;
}

void
match_plan_summarize(const struct match_pool *pool, const struct program *p,
    const struct score_table *t, const struct match_plan *plan,
    struct match_plan_summary *s)
{
	const struct score_person *e, *m;
	struct score_detail d;
	double *contrib, gap = 0;
	size_t k, c;

	memset(s, 0, sizeof *s);
	s->matched = plan->matched;
	s->pairs = plan->n;
	s->total = plan->total;
	s->ncriteria = p->matching.ncriteria;
	s->points = xcalloc(s->ncriteria ? s->ncriteria : 1, sizeof *s->points);
	contrib = xcalloc(s->ncriteria ? s->ncriteria : 1, sizeof *contrib);
	for (k = 0; k < plan->n; k++) {
		score_explain(t, plan->v[k].mentee, plan->v[k].mentor, contrib,
		    &d);
		for (c = 0; c < s->ncriteria; c++)
			s->points[c] += match_points(p, c, contrib[c]);
		e = &pool->people[pool->mentees[plan->v[k].mentee].person];
		m = &pool->people[pool->mentors[plan->v[k].mentor].person];
		if (e->department != NULL && m->department != NULL) {
			if (same_dept(e->department, m->department))
				s->same_department++;
			else
				s->cross_department++;
		}
		if (e->has_level && m->has_level) {
			gap += m->level - e->level;
			s->level_pairs++;
		}
	}
	for (c = 0; plan->n > 0 && c < s->ncriteria; c++)
		s->points[c] /= (double)plan->n;
	s->level_gap = s->level_pairs > 0 ? gap / (double)s->level_pairs : 0;
	free(contrib);
}

void
match_plan_summary_free(struct match_plan_summary *s)
{
	if (s == NULL)
		return;
	free(s->points);
	s->points = NULL;
}
