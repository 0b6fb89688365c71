#ifndef MENTORCTL_CORE_MATCH_PLAN_H
#define MENTORCTL_CORE_MATCH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/match_pool.h"
#include "core/program.h"
#include "core/score.h"
#include "util/error.h"

/*
 * Planning a programme's matching from its pool and score table: the places
 * left on both sides (mentors' capacities, and mentees' when they may have
 * several mentors), the programme's objective, and the pairs the solver
 * must or must not use.  Pure: the caller loads the pool and stores the
 * result.
 */

/* One pair of a plan: positions in pool->mentees / pool->mentors. */
struct match_plan_pair {
	int mentee;
	int mentor;
	int score;             /* centi-points */
};

struct match_plan {
	struct match_plan_pair *v;   /* sorted by mentee, then mentor */
	size_t n;
	int matched;           /* mentees with at least one pair */
	int64_t total;         /* sum of the pairs' scores */
	int *pairs_of;         /* per mentee: its pairs in this plan */
};

#define MATCH_PLAN_INIT { NULL, 0, 0, 0, NULL }

/*
 * Solve: an exactly optimal plan of the pool's free places under t (its
 * MATCH_EXCLUDED pairs never used, its classes capped per mentor) for p's
 * objective.  Mentees with more than one free place get several mentors,
 * never the same one twice.  Returns 0, or -1 with err.
 */
int match_plan_solve(const struct match_pool *pool, const struct program *p,
    const struct score_table *t, struct match_plan *plan, struct error *err);
void match_plan_free(struct match_plan *plan);

#endif
