#ifndef MENTORCTL_STORE_MATCH_STORE_H
#define MENTORCTL_STORE_MATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"
#include "core/status.h"
#include "core/score.h"
#include "util/error.h"

struct db;

/*
 * What matching works on: a programme's candidates (enrollments with their
 * people, the attributes the criteria name and the manager chains above
 * them), the pairs that must never be proposed, and how many places each
 * mentor has left.  Loaded in a fixed number of set queries whatever the
 * number of people, so that `match` over 5,000 mentees and 2,000 mentors
 * spends its time scoring and solving, not loading.
 *
 * An open pairing is an active one, or a proposal not expired on `today`
 * (expires_on >= today): what holds a mentee and a mentor's place.
 */

/* One enrollment.  Strings belong to the pool. */
struct match_cand {
	long long enrollment_id;
	long long person_id;
	int person;                /* index into pool->people */
	const char *email;
	enum enrollment_status status; /* eligible, active (pending with MATCH_LOAD_PENDING) */
	const char *reason;        /* pending: why, else NULL */
	int capacity;              /* mentors: the enrollment's, else the programme's; mentees 1 */
	int used;                  /* open pairings in the programme */
	long long open_pairing;    /* the lowest open pairing's id, 0 when none */
};

/* A mentor's places left (never below 0). */
int match_cand_free_places(const struct match_cand *c);

/* Why a pair is listed as excluded, in the order a rule text names them. */
enum match_excl_kind {
	MATCH_EXCL_PAIRED,         /* an open pairing of this programme */
	MATCH_EXCL_DECLINED,       /* declined in this programme */
	MATCH_EXCL_EXPIRED,        /* a proposal of this programme that expired */
	MATCH_EXCL_PREVIOUS,       /* previous_partners: paired before, active once */
};

/* Positions in pool->mentees / pool->mentors. */
struct match_excl {
	int mentee;
	int mentor;
	enum match_excl_kind kind;
	long long pairing_id;
};

/* Group format: a mentee already in a mentor's open group. */
struct match_member {
	int mentor;                /* position in pool->mentors */
	const char *department;    /* NULL when unknown */
};

struct match_pool_mem;

struct match_pool {
	/* Candidates first, then the people above them in manager chains. */
	struct score_person *people;
	const char **emails;       /* npeople */
	int npeople;
	struct match_cand *mentors;    /* sorted by e-mail */
	int nmentors;
	struct match_cand *mentees;    /* sorted by e-mail */
	int nmentees;
	struct match_excl *excl;       /* sorted by mentee, mentor, kind */
	size_t nexcl;
	struct match_member *members;  /* group format only; by mentor */
	size_t nmembers;
	/* score_build's view of the pool (match_pool_input) */
	int *mentor_people;
	int *mentee_people;
	struct score_pair *pairs;      /* every excl once per (mentee, mentor) */
	size_t npairs;
	struct match_pool_mem *mem;    /* private */
};

#define MATCH_POOL_INIT { 0 }

enum match_load_flags {
	MATCH_LOAD_UNMATCHED = 1 << 0, /* only mentees without an open pairing */
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
void match_pool_free(struct match_pool *pool);

/*
 * Why `email` is not a candidate of the programme in `role`: always -1
 * with EX_DATAERR in err, "unknown person 'x'", "'x' is not enrolled in
 * 'slug' as mentee", "'x' is pending as mentee in 'slug' (reason)" or
 * "'x' withdrew from 'slug' as mentee on DATE".
 */
int store_match_why_not(struct db *db, long long program_id, const char *slug,
    const char *email, enum program_role role, struct error *err);

/* score_build's input over the whole pool; in points into pool and p. */
void match_pool_input(const struct match_pool *pool, const struct program *p,
    int day, struct score_input *in);

/* The first excluded-pair entry of (mentee, mentor), or NULL. */
const struct match_excl *match_pool_excl(const struct match_pool *pool,
    int mentee, int mentor);

/*
 * Group format with department diversity: how many mentees of the
 * department of pool->mentees[mentee] mentor's open group holds already
 * (departments compared trimmed and ignoring case, as scoring does); 0
 * when the rule is off or the department unknown.
 */
int match_group_same_department(const struct match_pool *pool,
    const struct program *p, int mentee, int mentor);

/*
 * Shared by match, scores, suggest and pair: what their listings show.
 * None of these print.
 */

/*
 * One column name per criterion, "<attribute>[:<mentee_attribute>]:<compare>"
 * ("skills:wants:overlap"); a name used twice gets "#2", "#3".  The
 * caller frees with match_labels_free.
 */
char **match_labels(const struct program *p);
void match_labels_free(char **labels, size_t n);

/*
 * Criterion k's weighted points in a pair's score: 100 * w_k * c / sum(w);
 * with c = 1 the factor to multiply contributions by.
 */
double match_points(const struct program *p, size_t k, double contrib);

/*
 * "allowed", or why (mentee, mentor) of the pool is not: "declined before
 * (pairing 7)", "same manager line", "below min_score 20 (score 12.50)",
 * ...  d is score_explain's verdict for the pair.  The caller frees it.
 */
char *match_rule_text(const struct match_pool *pool, const struct program *p,
    const char *const *labels, const struct score_detail *d, int mentee,
    int mentor);

/* Centi-points as points with two decimals into buf ("73.25"). */
#define MATCH_POINTS_BUFSZ 16
char *match_centi_str(int centi, char *buf);
/* Points rounded half up to two decimals, likewise. */
char *match_points_str(double points, char *buf);

#endif
