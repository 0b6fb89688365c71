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
	bool fixed;            /* the coordinator's fixed pair */
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
 * Solve: the coordinator's fixed pairs that can be had (match_plan_fixable,
 * places left), then for the places left an exactly optimal plan under t
 * (its MATCH_EXCLUDED pairs never used, its classes capped per mentor) for
 * p's objective: coverage (most pairs, then the highest total), score (the
 * highest total, then most pairs) or stable (core/stable.h).  Mentees with
 * more than one free place get several mentors, never the same one twice.
 * Returns 0, or -1 with err.
 */
int match_plan_solve(const struct match_pool *pool, const struct program *p,
    const struct score_table *t, struct match_plan *plan, struct error *err);
void match_plan_free(struct match_plan *plan);

/* Whether the coordinator's fixed pair (mentee i, mentor j) may be proposed. */
bool match_plan_fixable(const struct match_pool *pool, int i, int j);

/*
 * The stability audit of a plan (core/stable.h's preferences, the fixed
 * pairs left out): how many pairs outside it would both rather be
 * together.
 */
size_t match_plan_blocking(const struct match_pool *pool,
    const struct score_table *t, const struct match_plan *plan);

#endif
