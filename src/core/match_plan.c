/*
 * Planning a matching from a pool: the solver (core/match.h) sees one row
 * per free place of a mentee.  A mentee with several places has several
 * rows that share a class of their own with a cap of one per mentor, so
 * that no mentor is given the same mentee twice; the solver's class caps
 * are exact, so the plan stays optimal.
 */
#include "core/match_plan.h"

#include <stdlib.h>
#include <string.h>

#include "core/match.h"
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

/* The plan from the solver's rows (row_mentee[r]: the mentee of row r). */
static void
plan_from(const struct match_pool *pool, const struct score_table *t,
    const int *row_mentee, int nrows, const struct match_result *r,
    struct match_plan *plan)
{
	int k, i, j;

	plan->v = xreallocarray(NULL, nrows ? (size_t)nrows : 1,
	    sizeof *plan->v);
	plan->pairs_of = xcalloc(pool->nmentees ? (size_t)pool->nmentees : 1,
	    sizeof *plan->pairs_of);
	for (k = 0; k < nrows; k++) {
		if ((j = r->mentor_of[k]) < 0)
			continue;
		i = row_mentee[k];
		plan->v[plan->n].mentee = i;
		plan->v[plan->n].mentor = j;
		plan->v[plan->n].score = t->score[(size_t)i * pool->nmentors + j];
		plan->total += plan->v[plan->n].score;
		if (plan->pairs_of[i]++ == 0)
			plan->matched++;
		plan->n++;
	}
	if (plan->n > 1)
		qsort(plan->v, plan->n, sizeof *plan->v, cmp_pair);
}

int
match_plan_solve(const struct match_pool *pool, const struct program *p,
    const struct score_table *t, struct match_plan *plan, struct error *err)
{
	struct match_problem pb;
	struct match_result r = MATCH_RESULT_INIT;
	int16_t *score = NULL;
	int *cap, *row_mentee, *cls = NULL;
	int nrows = 0, i, j, k, rc, nm = pool->nmentors;
	bool several = false;

	memset(plan, 0, sizeof *plan);
	for (i = 0; i < pool->nmentees; i++) {
		k = match_cand_free_places(&pool->mentees[i]);
		nrows += k;
		several = several || k > 1;
	}
	cap = xreallocarray(NULL, nm ? (size_t)nm : 1, sizeof *cap);
	for (j = 0; j < nm; j++)
		cap[j] = match_cand_free_places(&pool->mentors[j]);
	row_mentee = xreallocarray(NULL, nrows ? (size_t)nrows : 1,
	    sizeof *row_mentee);
	memset(&pb, 0, sizeof pb);
	pb.nmentors = nm;
	pb.capacity = cap;
	pb.objective = p->matching.objective;
	if (!several) {
		/* one row per mentee with a place: the table as it is */
		for (i = k = 0; i < pool->nmentees; i++)
			if (match_cand_free_places(&pool->mentees[i]) > 0)
				row_mentee[k++] = i;
		if (k == pool->nmentees) {
			pb.score = t->score;
			pb.mentee_class = t->mentee_class;
			pb.max_per_class = t->max_per_class;
		}
	} else if (t->mentee_class != NULL) {
		free(cap);
		free(row_mentee);
		return error_set(err, EX_DATAERR, "a group programme gives each "
		    "mentee one group: a mentee's capacity must be 1");
	}
	if (pb.score == NULL) {
		score = xreallocarray(NULL, nrows && nm ? (size_t)nrows * nm : 1,
		    sizeof *score);
		if (several)
			cls = xreallocarray(NULL, nrows ? (size_t)nrows : 1,
			    sizeof *cls);
		for (i = k = 0; i < pool->nmentees; i++) {
			int places = match_cand_free_places(&pool->mentees[i]);

			while (places-- > 0) {
				row_mentee[k] = i;
				if (cls)
					cls[k] = i;
				memcpy(score + (size_t)k * nm, t->score +
				    (size_t)i * nm, (size_t)nm * sizeof *score);
				k++;
			}
		}
		pb.score = score;
		pb.mentee_class = cls ? cls : t->mentee_class;
		pb.max_per_class = cls ? 1 : t->max_per_class;
		if (!several && t->mentee_class != NULL) {
			cls = xreallocarray(NULL, nrows ? (size_t)nrows : 1,
			    sizeof *cls);
			for (k = 0; k < nrows; k++)
				cls[k] = t->mentee_class[row_mentee[k]];
			pb.mentee_class = cls;
		}
	}
	pb.nmentees = nrows;
	rc = match_solve(&pb, &r, err);
	if (rc == 0)
		plan_from(pool, t, row_mentee, nrows, &r, plan);
	match_result_free(&r);
	free(score);
	free(cls);
	free(cap);
	free(row_mentee);
	return rc;
}
