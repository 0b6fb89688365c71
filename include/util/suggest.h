#ifndef MENTORCTL_UTIL_SUGGEST_H
#define MENTORCTL_UTIL_SUGGEST_H

#include <stddef.h>

/* "Did you mean": the distance between two words, and the nearest of a list. */

/* Optimal string alignment distance (Levenshtein with adjacent swaps). */
size_t suggest_distance(const char *a, const char *b);

/*
 * The candidate nearest to word when it is close enough to be what was
 * meant (at most about a third of the word differs, as git's autocorrect
 * judges), else NULL; an exact match is not a suggestion.  Borrowed from
 * cands.
 */
const char *suggest_nearest(const char *word, const char *const *cands,
    size_t n);

#endif
