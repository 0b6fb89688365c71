#ifndef MENTORCTL_OPS_OPS_INT_H
#define MENTORCTL_OPS_OPS_INT_H

/* What the ops files share and nobody else needs. */

#include "core/score.h"
#include "ops/ops.h"
#include "store/match_store.h"

struct program;

/* A programme's candidates and their scores (flash and rotation plans). */
struct ops_cands {
	struct match_pool pool;
	struct score_table t;
};

/*
 * Load p's candidates (flags: enum match_load_flags) as of o->today and
 * score them.  Free with ops_cands_free, also after a failure.
 */
int ops_cands_load(const struct ops_ctx *o, long long program_id,
    const struct program *p, unsigned flags, struct ops_cands *c,
    struct error *err);
void ops_cands_free(struct ops_cands *c);

/* Whether s is NULL or holds nothing but white space. */
int ops_blank(const char *s);

#endif
