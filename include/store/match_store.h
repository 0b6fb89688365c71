#ifndef MENTORCTL_STORE_MATCH_STORE_H
#define MENTORCTL_STORE_MATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/match_pool.h"
#include "core/program.h"
#include "core/status.h"
#include "util/error.h"

struct db;

/*
 * Loading what matching works on (core/match_pool.h) with a fixed number of
 * set queries whatever the number of people, so that `match` over 5,000
 * mentees and 2,000 mentors spends its time scoring and solving, not
 * loading.
 */

enum match_load_flags {
	MATCH_LOAD_UNMATCHED = 1 << 0, /* only mentees with a place left */
	MATCH_LOAD_FREE = 1 << 1,      /* only mentors with a place left */
	MATCH_LOAD_PENDING = 1 << 2,   /* pending enrollments too (manual pairs) */
};

struct match_load {
	long long program_id;
	const struct program *program; /* default capacity, exclusions, criteria, format */
	int today;
	unsigned flags;                /* enum match_load_flags */
	const char *mentor_email;      /* only this mentor; NULL: all */
	const char *mentee_email;      /* only this mentee; NULL: all */
};

/*
 * Load the candidates of l->program_id into pool (start from
 * MATCH_POOL_INIT): enrollments with status eligible or active (and pending
 * with MATCH_LOAD_PENDING, never withdrawn), sorted by e-mail; with
 * `same_manager_line` everyone on their manager chains (one recursive
 * query); the excluded pairs among them: declined and expired proposals of
 * the programme, its open pairings, and with `previous_partners` any
 * earlier pairing of the two people, in either role and any programme, that
 * turned active.
 */
int store_match_load(struct db *db, const struct match_load *l,
    struct match_pool *pool, struct error *err);

/*
 * Why `email` is not a candidate of the programme in `role`: always -1
 * with EX_DATAERR in err, "unknown person 'x'", "'x' is not enrolled in
 * 'slug' as mentee", "'x' is pending as mentee in 'slug' (reason)" or
 * "'x' withdrew from 'slug' as mentee on DATE".
 */
int store_match_why_not(struct db *db, long long program_id, const char *slug,
    const char *email, enum program_role role, struct error *err);

#endif
