#ifndef MENTORCTL_CORE_CAPACITY_H
#define MENTORCTL_CORE_CAPACITY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/match_pool.h"
#include "core/program.h"
#include "core/score.h"

/*
 * Capacity planning from the matching itself: which mentees an optimal
 * plan leaves without a mentor, how many more mentor places would match
 * them, and what those mentors must be like.
 *
 * The count is exact.  Under coverage the plan matches the most mentees
 * the places allow, so matching k more needs k more places; and k places
 * suffice when each of the k has a mentor the rules allow (one more place
 * there each).  A mentee no mentor of the programme is allowed with needs
 * a new mentor: the place is counted the same, and the requirement says
 * who would do.
 *
 * The requirement is the mentee's hard rules in words, from the
 * programme: same_department ("outside Eng"), the format (peer: "level
 * 2..4"; reverse: "level below 5"), each required criterion ("languages
 * one of de, en", "level at least 4", "timezone within 3 hours of
 * Europe/Berlin", ...), not_in lists and min_score.  Mentees with the same
 * requirement are counted together.
 */

struct match_need {
	char *requirement;         /* "" when any mentor with a place would do */
	int places;                /* more places needed (= the mentees) */
	bool impossible;           /* no mentor can ever fit (data missing): places 0 */
	int mentors_fit;           /* mentors of the programme who fit (full now) */
	int new_mentor;            /* of the mentees, those no mentor fits */
	const char *example;       /* one mentee's e-mail, borrowed from the pool */
};

struct match_needs {
	struct match_need *v;      /* the most places first, then by requirement */
	size_t n;
	int unmatched;             /* mentees the plan leaves without a mentor */
	int places;                /* the sum of v[].places */
	int impossible;            /* unmatched mentees no mentor can fit */
	/* group formats: why circles cannot be filled, NULL when they can */
	char *group_limit;
	/*
	 * group formats with department diversity: new circles (mentors of
	 * the programme's capacity) that would take every unmatched mentee:
	 * max(ceil(U / size), max over departments ceil(U_d / per_department)),
	 * the least that both limits allow.  A place in an existing circle
	 * does not help a mentee whose department it holds already.
	 */
	int new_circles;
};

/*
 * The needs of the mentees unmatched[n] (positions in pool, which holds
 * every mentor of the programme whatever their places; t scores it under
 * p on day).  Free with match_needs_free.
 */
void match_capacity_needs(const struct match_pool *pool,
    const struct program *p, int day, const struct score_table *t,
    const int *unmatched, int n, struct match_needs *out);
void match_needs_free(struct match_needs *needs);

/*
 * Mentee i's requirement in words (see above), "" when every mentor would
 * do; *impossible when a rule needs a value the mentee lacks ("nobody
 * (the mentee's level is unknown)").  The caller frees it.
 */
char *match_requirement(const struct match_pool *pool,
    const struct program *p, int day, int mentee, bool *impossible);

#endif
