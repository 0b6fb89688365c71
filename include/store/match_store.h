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
	const char *const *mentees;    /* only these mentees (nmentees > 0) */
	size_t nmentees;
	/*
	 * A past proposal's view (`pairing show`): enrollments of every
	 * status, withdrawn too, and as history only the pairings proposed
	 * before this one (lower ids); 0: none.
	 */
	long long before_pairing;
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

/*
 * The waitlist: the programme's eligible mentees (not pending, not
 * withdrawn) without an open pairing on today, best first: a higher
 * `priority` (a free person attribute holding a number) first, then the
 * earliest enrollment, then e-mail.  Strings valid until the next row.
 */
struct waitlist_row {
	int position;              /* 1, 2, ... */
	const char *email;
	const char *name;          /* NULL when unknown */
	const char *department;
	int enrolled_on;
	bool has_priority;
	double priority;
	long long ever_paired;     /* pairings of the programme this mentee had */
};

int store_match_waitlist(struct db *db, long long program_id, int today,
    int (*fn)(const struct waitlist_row *, void *), void *arg,
    struct error *err);

/*
 * Mentors who let proposals lapse: in programme program_id (0: every
 * programme), the mentors with at least `min` proposals that expired on or
 * before today without the mentor's answer, most first.  For `diagnose`.
 */
struct mentor_lapse {
	char *program;             /* slug */
	char *email;
	char *name;                /* "" when unknown */
	int lapsed;                /* proposals that expired unanswered */
	int last_expired_on;       /* the latest one's last day */
	char *pairings;            /* their ids, ", "-separated */
};

int store_mentor_lapses(struct db *db, long long program_id, int today,
    int min, struct mentor_lapse **v, size_t *n, struct error *err);
void mentor_lapses_free(struct mentor_lapse *v, size_t n);

#endif
