#ifndef MENTORCTL_CORE_MATCH_H
#define MENTORCTL_CORE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "util/error.h"

/*
 * The matching solver: an exactly optimal b-matching of mentees to mentors
 * under mentor capacities, optional mentee capacities (several mentors per
 * mentee, never the same pair twice), hard exclusions and (group format) a
 * per-mentor cap on mentees of the same class (department).
 *
 * Scores are integer centi-points: 0..MATCH_SCORE_MAX (a pair scoring 73.25
 * is 7325); MATCH_EXCLUDED marks a pair that may never be matched.
 *
 * The objective is a vector of numbers compared lexicographically, exactly
 * (integer arithmetic throughout).  With
 *   covered  the mentees with at least one mentor,
 *   pairs    the pairs (with one mentor per mentee: the mentees matched),
 *   even     the sum over mentees of (number of mentors)^2, smaller first,
 *   spread   the sum over mentors of (number of mentees)^2, smaller first,
 *   total    the sum of the pairs' scores,
 * the solver maximises, in this order (bracketed parts only when asked):
 *   OBJECTIVE_COVERAGE  [covered], pairs, [even], [spread], total;
 *   OBJECTIVE_SCORE     [covered], total, pairs, [even], [spread].
 * So `coverage` is "most mentees matched, then the best total score", and
 * `score` "the best total score, then the most matched".
 *
 * min_first puts `covered` first: every mentee gets one mentor before
 * anyone gets a second, that is, no mentee is given a second (third...)
 * mentor while another who could have had a first one has none.  With one
 * mentor per mentee it changes nothing (covered = pairs).  Under coverage
 * the result has as many pairs as without it (a plan covering the most
 * mentees can always be extended to a largest one); only the scores may
 * give way.
 *
 * spread prefers giving more mentors a mentee over filling the top mentors:
 * among the plans that are best on the levels above it, the one whose
 * mentors' loads have the least sum of squares (the k-th mentee of a mentor
 * costs 2k - 1), so that two mentors with one mentee each beat one mentor
 * with two.  It comes after the number matched and before the total score
 * under coverage (a coordinator who asks for balance accepts a slightly
 * lower total for it, never a mentee left out), and after both under score
 * (where it only breaks ties).  even is the same on the mentee side (the
 * rotation planner's "as evenly as they can be", core/rounds.h).
 *
 * Ties, by a fixed rule.  Among the plans equal on every level above:
 *   (1) the pairs' mentees come as early as possible: the least sum over
 *       the pairs of the mentee's number (with equal scores and too few
 *       places, the mentees left out are the last ones);
 *   (2) then earlier mentees have earlier mentors: the least sum over the
 *       pairs of (nmentees - 1 - mentee) x mentor (with equal scores,
 *       mentors in order take the first mentees, in order).
 * (1) holds exactly at any size: it is the objective's last level.  (2)
 * holds exactly on problems of up to 65,536 pairs; on larger ones what
 * (1) leaves open is settled by the solver's fixed procedure.  Either way
 * the result is a deterministic function of the input, including its
 * order (callers sort people by e-mail first, so numbers are e-mail
 * order): no clock, no randomness, no threads.
 */

#define MATCH_SCORE_MAX 10000
#define MATCH_EXCLUDED (-1)

/* Everything is borrowed: the solver reads it and keeps no pointer. */
struct match_problem {
	int nmentees;
	int nmentors;
	const int *capacity;       /* nmentors entries, >= 0 */
	/*
	 * nmentees * nmentors entries, row-major by mentee: score[i * nmentors
	 * + j] is mentee i with mentor j; 0..MATCH_SCORE_MAX or MATCH_EXCLUDED.
	 */
	const int16_t *score;
	enum match_objective objective;
	/*
	 * NULL, or nmentees class ids (any int >= 0, e.g. a department id; -1
	 * means "no class", never capped).  A mentor takes at most
	 * max_per_class mentees of one class.
	 */
	const int *mentee_class;
	int max_per_class;         /* >= 1 when mentee_class is set */
	/*
	 * The extensions below are off when zero, so that initialisers
	 * written before them keep their meaning.
	 *
	 * NULL (every mentee takes one mentor), or nmentees entries >= 0: how
	 * many mentors mentee i may have at once (each a different one).
	 */
	const int *mentee_capacity;
	bool min_first;            /* covered mentees first (see above) */
	bool spread;               /* even mentor loads (see above) */
	bool even;                 /* even numbers of mentors per mentee */
};

struct match_pair {
	int mentee;
	int mentor;
};

struct match_result {
	/*
	 * nmentees entries: the mentee's mentor, or -1; with several mentors,
	 * the lowest-numbered one (pairs has them all).
	 */
	int *mentor_of;
	int matched;       /* mentees with at least one mentor */
	int64_t total;     /* sum of the pairs' scores, centi-points */
	/* How the answer was reached, for benchmarks and --explain. */
	int rounds;        /* candidate graphs solved until the optimality
			      check passed (small problems: 1, plus 1 for
			      the tie rule's second part) */
	size_t edges;      /* pairs in the final candidate graph */
	struct match_pair *pairs;  /* every pair, by mentee then mentor */
	size_t npairs;
	int64_t squares;   /* sum over mentors of (mentees)^2 */
};

#define MATCH_RESULT_INIT { NULL, 0, 0, 0, 0, NULL, 0, 0 }

/*
 * Solve p into r (whose earlier contents are not freed: start from
 * MATCH_RESULT_INIT or call match_result_free first).  Returns 0, or -1 with
 * EX_SOFTWARE in err when p is malformed (negative sizes or capacities,
 * scores out of range, max_per_class < 1 with classes) or too large for
 * exact 64-bit arithmetic (far beyond any programme); r is then empty.
 */
int match_solve(const struct match_problem *p, struct match_result *r,
    struct error *err);
void match_result_free(struct match_result *r);

/*
 * The objective of an assignment as the solver compares them: returns 1 if
 * (matched_a, total_a) is strictly better than (matched_b, total_b) under
 * obj, -1 if strictly worse, 0 if equal.
 */
int match_compare_objective(enum match_objective obj, int matched_a,
    int64_t total_a, int matched_b, int64_t total_b);

#endif
