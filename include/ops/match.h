#ifndef MENTORCTL_OPS_MATCH_H
#define MENTORCTL_OPS_MATCH_H

#include <stdbool.h>
#include <stddef.h>

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
	/* out */
	struct ops_scoring s;
	struct match_plan plan;    /* the pairs, by mentee */
	struct pairing_new *made;  /* plan.n proposals, as plan.v; ids unless dry */
	bool active;               /* consent none: active at once */
	int expires_on;            /* DATE_NONE: never */
};

/*
 * Propose the optimal pairings of programme p (one-to-one, group, peer,
 * reverse) for the mentees with a place left and the mentors' places
 * left.  Free with ops_match_free.
 */
int ops_match(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_match *m, struct error *err);
void ops_match_free(struct ops_match *m);

#endif
