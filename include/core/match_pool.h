#ifndef MENTORCTL_CORE_MATCH_POOL_H
#define MENTORCTL_CORE_MATCH_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"
#include "core/score.h"
#include "core/status.h"

/*
 * What matching works on: a programme's candidates (enrollments with their
 * people, the attributes the criteria name and the manager chains above
 * them), the pairs that must never be proposed, and how many places each
 * side has left.  store/match_store.c fills it from the database; this
 * module is the pure part: the pool's memory, its lookups, scoring's view
 * of it, and the words that listings use for its rules.
 *
 * An open pairing is an active one, or a proposal not expired on `today`
 * (expires_on >= today): what holds a mentee's and a mentor's place.
 */

/* One enrollment.  Strings belong to the pool. */
struct match_cand {
	long long enrollment_id;
	long long person_id;
	int person;                /* index into pool->people */
	const char *email;
	enum enrollment_status status; /* eligible, active (pending with MATCH_LOAD_PENDING) */
	const char *reason;        /* pending: why, else NULL */
	int capacity;              /* the enrollment's, else the programme's role capacity */
	int used;                  /* open pairings in the programme */
	long long open_pairing;    /* the lowest open pairing's id, 0 when none */
	int enrolled_on;           /* DATE_NONE when unknown */
};

/* Places left (never below 0). */
int match_cand_free_places(const struct match_cand *c);

/* Why a pair is listed as excluded, in the order a rule text names them. */
enum match_excl_kind {
	MATCH_EXCL_PAIRED,         /* an open pairing of this programme */
	MATCH_EXCL_DECLINED,       /* declined in this programme */
	MATCH_EXCL_EXPIRED,        /* a proposal of this programme that expired */
	MATCH_EXCL_PREVIOUS,       /* previous_partners: paired before, active once */
	MATCH_EXCL_CONFLICT,       /* a never-pair list names them (`conflicts import`) */
	MATCH_EXCL_MENTOR_AVOIDS,  /* the mentor's preference: avoid (or veto) */
	MATCH_EXCL_MENTEE_AVOIDS,  /* the mentee's preference: avoid (or veto) */
	MATCH_EXCL_VETO,           /* the coordinator's veto (`scores import`) */
};

/* A participant's stated preference about a pair, as stored. */
struct match_pref {
	int mentee;                /* positions */
	int mentor;
	int rank_pos;              /* 1 = the mentee's first choice; 0 none */
	int rank_count;            /* how many mentors the mentee ranked */
	int rating;                /* the mentee's rating 1..5; 0 none */
	bool mentor_prefers;
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
	const char **names;        /* npeople; NULL when unknown */
	int npeople;
	struct match_cand *mentors;    /* sorted by e-mail */
	int nmentors;
	struct match_cand *mentees;    /* sorted by e-mail */
	int nmentees;
	struct match_excl *excl;       /* sorted by mentee, mentor, kind */
	size_t nexcl;
	struct match_member *members;  /* group format only; by mentor */
	size_t nmembers;
	struct match_pref *prefs;      /* participants' preferences */
	size_t nprefs;
	struct score_pair *partners;   /* partners before (any programme, either role) */
	size_t npartners;
	struct score_bonus *bonus;     /* the coordinator's bonuses */
	size_t nbonus;
	struct score_pair *fixed;      /* the coordinator's fixed pairs */
	size_t nfixed;
	int *mentee_since;             /* per mentee: enrolled_on (match_pool_finish) */
	/* score_build's view of the pool (match_pool_finish) */
	int *mentor_people;
	int *mentee_people;
	struct score_pair *pairs;      /* every excl once per (mentee, mentor) */
	size_t npairs;
	struct match_pool_mem *mem;    /* private */
};

#define MATCH_POOL_INIT { 0 }

/* ---- building a pool (store/match_store.c) ---- */

/* A copy of s owned by the pool; NULL for NULL. */
const char *match_pool_strdup(struct match_pool *pool, const char *s);
/* Room for n free attributes owned by the pool (zeroed). */
struct score_attr *match_pool_attrs(struct match_pool *pool, size_t n);
/* Room for one more person, mentor, mentee, member: its index. */
int match_pool_add_person(struct match_pool *pool);
struct match_cand *match_pool_add_cand(struct match_pool *pool, bool mentor);
void match_pool_add_member(struct match_pool *pool, int mentor,
    const char *department);
/* Exclude (mentee, mentor) positions for `kind` (pairing_id, the reason). */
void match_pool_add_excl(struct match_pool *pool, int mentee, int mentor,
    enum match_excl_kind kind, long long pairing_id);
void match_pool_add_pref(struct match_pool *pool, const struct match_pref *p);
void match_pool_add_partner(struct match_pool *pool, int mentee, int mentor);
void match_pool_add_bonus(struct match_pool *pool, int mentee, int mentor,
    int centi);
void match_pool_add_fixed(struct match_pool *pool, int mentee, int mentor);
/* After loading: sort exclusions and members, build scoring's view. */
void match_pool_finish(struct match_pool *pool);
void match_pool_free(struct match_pool *pool);

/* ---- using it ---- */

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
 * Group diversity on a re-run: the solver caps each class per mentor from
 * zero, so a group that holds mentees already must not take more of their
 * departments.  With max_per_department 1 this is exact; above 1 a
 * department already present is closed to the group (the rule is never
 * broken, at the price of optimality in that rare case).  Marks those
 * pairs MATCH_EXCLUDED in t.
 */
void match_pool_close_full_groups(const struct match_pool *pool,
    const struct program *p, struct score_table *t);

/*
 * Shared by match, scores, suggest and pair: what their listings show.
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
 * An allowed pair with the coordinator's bonus says so: "allowed (bonus
 * +10.00)".
 */
char *match_rule_text(const struct match_pool *pool, const struct program *p,
    const char *const *labels, const struct score_detail *d, int mentee,
    int mentor);

/*
 * The group rule as text ("group rule (the group has 1 mentee of
 * department 'Alpha' already)"), or NULL when the pair does not break it.
 * The caller frees it.
 */
char *match_group_rule_text(const struct match_pool *pool,
    const struct program *p, int mentee, int mentor);

/* Centi-points as points with two decimals into buf ("73.25"). */
#define MATCH_POINTS_BUFSZ 16
char *match_centi_str(int centi, char *buf);
/* Points rounded half up to two decimals, likewise. */
char *match_points_str(double points, char *buf);

/*
 * The coordinator's override of (mentee, mentor): bonus in centi-points
 * (0 none), vetoed, fixed.
 */
void match_pool_override(const struct match_pool *pool, int mentee,
    int mentor, int *bonus, bool *veto, bool *fixed);

/* One mentor of a mentee's ranking. */
struct match_ranked {
	int mentor;
	int score;
};

/*
 * The allowed mentors of mentee i (not MATCH_EXCLUDED in t and not breaking
 * the group rule), best first: score descending, then mentor position
 * (e-mail order).  v has room for pool->nmentors; returns how many.
 */
int match_pool_rank(const struct match_pool *pool, const struct program *p,
    const struct score_table *t, int mentee, struct match_ranked *v);

#endif
