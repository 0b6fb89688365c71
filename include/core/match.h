#ifndef MENTORCTL_CORE_MATCH_H
#define MENTORCTL_CORE_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "util/error.h"

/*
 * The matching solver: an exactly optimal many-to-one assignment of mentees
 * to mentors under mentor capacities, hard exclusions and (group format) a
 * per-mentor cap on mentees of the same class (department).
 *
 * Scores are integer centi-points: 0..MATCH_SCORE_MAX (a pair scoring 73.25
 * is 7325); MATCH_EXCLUDED marks a pair that may never be matched.
 *
 * Objectives, compared exactly (integer arithmetic throughout):
 *   OBJECTIVE_COVERAGE  most mentees matched, then the highest total score;
 *   OBJECTIVE_SCORE     the highest total score, then the most mentees matched.
 *
 * Ties: the result is a deterministic function of the input, including its
 * order (callers sort people by e-mail first): no clock, no randomness, no
 * threads.  Among equally good assignments the solver returns the one its
 * fixed procedure reaches: mentors' places are filled in mentor order, each
 * along a shortest augmenting path, and among equally short paths the one
 * that ends first wins, then the one reaching lower-numbered mentees first.
 * So with identical scores a mentor takes the lowest-numbered free mentees,
 * and an earlier mentor keeps a mentee that a later one likes as much.  On
 * large problems (over 65,536 pairs) the paths run over a candidate graph
 * that is itself a fixed function of the scores (ties among candidates are
 * spread by a fixed hash of the pair), so the rule holds within that graph.
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
};

struct match_result {
	int *mentor_of;    /* nmentees entries: the mentor index, or -1 */
	int matched;       /* mentees with a mentor */
	int64_t total;     /* sum of the matched pairs' scores, centi-points */
	/* How the answer was reached, for benchmarks and --explain. */
	int rounds;        /* candidate-graph rounds until the optimality check passed */
	size_t edges;      /* pairs in the final candidate graph */
};

#define MATCH_RESULT_INIT { NULL, 0, 0, 0, 0 }

/*
 * Solve p into r (whose earlier contents are not freed: start from
 * MATCH_RESULT_INIT or call match_result_free first).  Returns 0, or -1 with
 * EX_SOFTWARE in err when p is malformed (negative sizes or capacities,
 * scores out of range, max_per_class < 1 with classes); r is then empty.
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
