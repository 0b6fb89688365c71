#ifndef MENTORCTL_CORE_ROUNDS_H
#define MENTORCTL_CORE_ROUNDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "util/error.h"

/*
 * Multi-round planning for the flash and rotational formats: R rounds (flash
 * rounds of a session, or rotation periods); in each round a mentee meets at
 * most one mentor and mentor j meets at most places[j] mentees (flash:
 * table_size; rotation: the mentor's capacity per period); a mentee never
 * meets the same mentor twice.
 *
 * The plan is exactly optimal, lexicographically:
 *   OBJECTIVE_COVERAGE  (1) most meetings, (2) meetings spread as evenly
 *                       over the mentees as they can be (with balance),
 *                       (3) the highest total score;
 *   OBJECTIVE_SCORE     (1) the highest total score, (2) most meetings,
 *                       (3) the even spread (with balance).
 * "As evenly as they can be" is the least sum of squares of the mentees'
 * meeting counts, which (Frank and Murota, discrete decreasing
 * minimisation) is also the count vector that gives as many mentees as
 * possible their first meeting, then as many as possible their second...
 * so nobody sits out a round that someone else's third meeting takes.
 *
 * Method, and why it is exact.  Forget the rounds: the meetings of any valid
 * plan form a simple bipartite graph in which mentee i has degree <= R and
 * mentor j degree <= R * places[j] (a b-matching).  Every objective above
 * depends on that graph only.  Conversely every such graph is a valid plan:
 * split mentor j into places[j] seats and deal its meetings out over them in
 * turn, so that every seat has degree <= R; the graph of mentees and seats is
 * bipartite with maximum degree <= R, so by König's edge-colouring theorem
 * its edges take R colours with no two edges of one colour at a node (found
 * here by flipping two-coloured alternating paths).  Colour = round: a
 * mentee meets one mentor per round, a seat one mentee per round, hence a
 * mentor places[j] mentees.  So the best plan is the best b-matching, which
 * is a min-cost flow,
 *
 *	source --(tiers)--> mentee i --(1, -score)--> mentor j --(R*places[j], 0)--> sink
 *
 * which is core/match.h's b-matching: mentee i with capacity max_rounds[i]
 * (no mentor twice), mentor j with R * places[j], and `even` for the
 * balance (the k-th meeting of a mentee costs 2k - 1 on a level between
 * the meetings and the score), solved exactly with integer weights (see
 * core/match.c: sparse candidates, a network simplex, an optimality
 * certificate over the whole score matrix).
 *
 * Deterministic: the same input gives the same plan (no clock, no
 * randomness); ties go to lower-numbered mentees and mentors (match.h's
 * tie rule), so callers that sort their people (by e-mail) make the plan
 * independent of the order they were loaded in.  Rounds are numbered by how many meetings they hold,
 * most first (then by colour), so that when places run short it is the last
 * rounds that have gaps.
 */

struct rounds_problem {
	int nmentees;
	int nmentors;
	/* match.h layout: score[i * nmentors + j], 0..10000 or MATCH_EXCLUDED */
	const int16_t *score;
	int nrounds;               /* R >= 1 */
	const int *places;         /* nmentors entries >= 0: per round */
	/* NULL, or nmentees entries 0..R: rounds a mentee may take part in */
	const int *max_rounds;
	enum match_objective objective;
	bool balance;              /* spread meetings evenly (see above) */
};

struct rounds_meeting {
	int mentee;
	int mentor;
	int round;                 /* 0 .. nrounds - 1 */
	int seat;                  /* 0 .. places[mentor] - 1 */
	int score;
};

struct rounds_plan {
	struct rounds_meeting *v;  /* by round, mentor, seat */
	size_t n;
	int64_t total;             /* sum of the meetings' scores */
	int *meetings_of;          /* nmentees entries */
	int mentees_met;           /* mentees with at least one meeting */
	int64_t squares;           /* sum of meetings_of[i]^2 */
};

#define ROUNDS_PLAN_INIT { NULL, 0, 0, NULL, 0, 0 }

/*
 * Plan p into out (start from ROUNDS_PLAN_INIT or after rounds_plan_free).
 * -1 with EX_SOFTWARE when p is malformed (sizes, places, max_rounds or
 * scores out of range) or too large for exact int64 weights.
 */
int rounds_plan(const struct rounds_problem *p, struct rounds_plan *out,
    struct error *err);
void rounds_plan_free(struct rounds_plan *plan);

/*
 * Check every rule of the plan against p (no pair excluded or met twice,
 * one meeting per mentee and per seat per round, places and max_rounds, the
 * totals): 0, or -1 with EX_SOFTWARE naming the first broken rule.  For the
 * tests, and a guard before anything is stored.
 */
int rounds_verify(const struct rounds_problem *p,
    const struct rounds_plan *plan, struct error *err);

/*
 * 1 if plan a is strictly better than b under obj (and balance), -1 if
 * strictly worse, 0 if equal: the order rounds_plan optimises.
 */
int rounds_compare(enum match_objective obj, bool balance, size_t meetings_a,
    int64_t squares_a, int64_t total_a, size_t meetings_b, int64_t squares_b,
    int64_t total_b);

/*
 * Rotation periods: the first day of period k (1-based) when period
 * `known` starts on known_start, each period `every` long and starting on
 * the previous one's end, as cycles do (core/cycle.h; month ends clamp and
 * carry over).  DATE_NONE when k < known or a date leaves the calendar.
 */
int rounds_period_start(struct duration every, int known, int known_start,
    int k);

/*
 * One line for people saying what the programme's format means, for
 * `report` and `program show`: "reverse mentoring: the junior mentors the
 * senior (the mentor's level is below the mentee's)", "flash: 5 rounds of 12
 * minutes, up to 2 mentees per mentor per round, on 2027-03-18 at 14:00
 * Europe/Paris", ...  The caller frees it.
 */
char *rounds_format_text(const struct program *p);

#endif
