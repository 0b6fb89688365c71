#ifndef MENTORCTL_CORE_STABLE_H
#define MENTORCTL_CORE_STABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/match_pool.h"
#include "util/error.h"

/*
 * Stable matching (objective: stable): a matching in which no mentee and
 * mentor outside it would both rather be together, with places on both
 * sides (a mentor takes up to her places, a mentee up to his, never the
 * same pair twice).  Pairs that the score table excludes are unacceptable
 * to both.
 *
 * Preferences.  A mentee orders the mentors by (1) the rank he gave them
 * (`preferences import`; ranked before unranked, first choice first),
 * (2) his rating 1..5, higher first, (3) the pair's score, higher first,
 * (4) the mentor's position (e-mail order).  A mentor orders the mentees
 * by (1) whether she said `prefer`, (2) the score, (3) the mentee's
 * position.  So every order is strict and the result a function of the
 * data: ties are broken by e-mail order, deterministically.
 *
 * The result is the mentee-optimal stable matching: mentee-proposing
 * deferred acceptance (Gale and Shapley; with places on both sides and
 * responsive preferences, Roth 1984), which gives every mentee the best
 * partners he can have in any stable matching.
 */

/* One side's view of a pair, higher is better; 0 for an unacceptable pair. */
struct stable_prefs {
	int nmentees;
	int nmentors;
	const int *mentee_places;  /* nmentees */
	const int *mentor_places;  /* nmentors */
	const int16_t *score;      /* nmentees * nmentors, MATCH_EXCLUDED: never */
	const struct match_pref *prefs;  /* sparse, any order (positions) */
	size_t nprefs;
};

/* The pairs, as mentor_of lists: pair k is (mentee[k], mentor[k]). */
struct stable_result {
	int *mentee;
	int *mentor;
	size_t n;
	int proposals_made;        /* how many proposals deferred acceptance made */
};

#define STABLE_RESULT_INIT { NULL, NULL, 0, 0 }

/* The mentee-optimal stable matching.  0, or -1 with err (bad sizes). */
int stable_match(const struct stable_prefs *in, struct stable_result *r,
    struct error *err);
void stable_result_free(struct stable_result *r);

/*
 * A stability audit of any matching of the same problem: the number of
 * blocking pairs, acceptable pairs not in it whose mentee and mentor would
 * both rather be together (each has a free place or prefers the other to
 * their worst partner).
 */
size_t stable_blocking_pairs(const struct stable_prefs *in,
    const int *mentee, const int *mentor, size_t n);

/* The preference keys (exposed for tests): higher is better. */
int64_t stable_mentee_key(int16_t score, int mentor, const struct match_pref *q);
int64_t stable_mentor_key(int16_t score, int mentee, const struct match_pref *q);

#endif
