#ifndef MENTORCTL_OPS_MATCH_H
#define MENTORCTL_OPS_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/capacity.h"
#include "core/match_plan.h"
#include "core/match_pool.h"
#include "core/score.h"
#include "ops/ops.h"
#include "store/match_store.h"
#include "store/pairing_store.h"

/*
 * Matching as the coordinator uses it: `match` plans the optimal proposals
 * for the mentees with places left and stores them (through ops_propose,
 * so their expiry and activation follow the programme's consent), `scores`
 * and `suggest` show the pool as scored.  The results keep the pool and
 * its score table so that the caller can print any pair's breakdown.
 */

struct program;

/* A programme's candidates, scored. */
struct ops_scoring {
	struct match_pool pool;
	struct score_table t;
	char **labels;             /* one column name per criterion */
	size_t nlabels;
};

void ops_scoring_free(struct ops_scoring *s);

/*
 * Load and score the candidates of programme p (flags: enum
 * match_load_flags); with mentee, only that mentee (an error naming why
 * when it is not a candidate).  Flash and rotational programmes are
 * refused (EX_DATAERR), their sessions are planned elsewhere.
 */
int ops_scores(const struct ops_ctx *o, long long program_id,
    const struct program *p, unsigned flags, const char *mentee,
    struct ops_scoring *s, struct error *err);

/* suggest: a mentee's best mentors with a place left. */
struct ops_suggest {
	struct ops_scoring s;      /* one mentee (position 0) */
	struct match_ranked *v;    /* best first */
	int n;
	long long open_pairing;    /* the mentee's open pairing, 0 when none */
};

int ops_suggest(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentee, struct ops_suggest *r,
    struct error *err);
void ops_suggest_free(struct ops_suggest *r);

/* match */
struct ops_match {
	/* in */
	bool dry_run;              /* plan, store nothing */
	bool audit;                /* --explain: the stability audit below */
	/* out */
	struct ops_scoring s;
	struct match_plan plan;    /* the pairs, by mentee */
	struct pairing_new *made;  /* plan.n proposals, as plan.v; ids unless dry */
	bool active;               /* consent none: active at once */
	int expires_on;            /* DATE_NONE: never */
	size_t fixed_wanted;       /* the coordinator's fixed pairs in the pool */
	size_t fixed_taken;        /* ... of them in the plan */
	/* audit: pairs outside the plan that would both rather be together */
	size_t blocking;
	/* audit of a stable plan: the optimum under coverage, for its cost */
	bool have_optimum;
	size_t optimum_pairs;
	int64_t optimum_total;
	size_t optimum_blocking;
};

/*
 * Propose the optimal pairings of programme p (one-to-one, group, peer,
 * reverse) for the mentees with a place left and the mentors' places
 * left.  Free with ops_match_free.
 */
int ops_match(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_match *m, struct error *err);
void ops_match_free(struct ops_match *m);

/*
 * Capacity planning (core/capacity.h) for the plan m made: its unmatched
 * mentees against every mentor of the programme, full or not.  For `match`
 * and `diagnose`.  Free with ops_needs_free.
 */
struct ops_needs {
	struct ops_scoring s;      /* the unmatched mentees, every mentor */
	struct match_needs needs;
};

int ops_capacity_needs(const struct ops_ctx *o, long long program_id,
    const struct program *p, const struct ops_match *m, struct ops_needs *r,
    struct error *err);
/* The same after planning (dry) programme p's matching now. */
int ops_capacity(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_needs *r, struct error *err);
void ops_needs_free(struct ops_needs *r);

/* match --compare: the same data under two definitions, nothing stored. */
struct ops_compare_diff {
	const char *mentee;        /* e-mail, borrowed from a or b */
	char *a;                   /* its mentors under a, ";"-joined, NULL: none */
	char *b;
};

struct ops_compare {
	struct ops_match a;        /* the stored definition */
	struct ops_match b;        /* the other one */
	struct match_plan_summary sa;
	struct match_plan_summary sb;
	struct ops_compare_diff *diff;   /* mentees whose mentors differ, by e-mail */
	size_t ndiff;
};

/*
 * Plan programme program_id's current candidates under p and under other
 * (its rules, criteria and objective; the candidates and their history
 * are the programme's), as dry runs.  Free with ops_compare_free.
 */
int ops_match_compare(const struct ops_ctx *o, long long program_id,
    const struct program *p, const struct program *other,
    struct ops_compare *r, struct error *err);
void ops_compare_free(struct ops_compare *r);

/*
 * `pairing show`: the criteria behind a proposal's score, as `scores`
 * breaks a pair down.  The programme is the version in force on the
 * proposal day, the day-dependent criteria (waited) and the history
 * (earlier pairings) as of then; the people's attributes, preferences and
 * the coordinator's bonuses are today's, as stored (nothing keeps their
 * past values), so score tells whether today's data still gives the
 * stored score.
 */
struct ops_reason {
	char *criterion;           /* as `scores` heads its column; "bonus" */
	double points;             /* its weighted share of the score */
};

struct ops_reasons {
	bool scored;               /* false: not scored (flash or rotational
	                            * format, a person gone, a version that
	                            * no longer loads) */
	int version;               /* the programme version used */
	double score;              /* points, from today's data */
	struct ops_reason *v;      /* the largest shares above 0, at most max */
	size_t n;
};

int ops_pairing_reasons(const struct ops_ctx *o, long long pairing_id,
    size_t max, struct ops_reasons *r, struct error *err);
void ops_reasons_free(struct ops_reasons *r);

/*
 * Change p's criterion weights by spec, "NAME=WEIGHT,...": NAME a column
 * label as `scores` prints it ("skills:wants:overlap") or an attribute or
 * compare that names one criterion ("skills", "preference"); WEIGHT
 * 0..100, 0 leaving the criterion out.  -1 with EX_USAGE naming what is
 * wrong (p may be changed in part).
 */
int ops_reweight(struct program *p, const char *spec, struct error *err);

#endif
