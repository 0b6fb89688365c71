#ifndef MENTORCTL_OPS_OPS_INT_H
#define MENTORCTL_OPS_OPS_INT_H

/* What the ops files share and nobody else needs. */

#include <stdbool.h>

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

/*
 * Accepting a pairing (ops/pairing.c): *activate stays true only when the
 * pairing may turn active now.  A rotation period's pairing (slot = its
 * period) waits until its period is open; ops/rotation.c activates the
 * consented ones when it opens the period.  Here, below both, so that
 * ops/pairing.c need not call ops/rotation.c, which calls ops/pairing.c
 * (ops_expire, ops_proposal_terms).
 */
int ops_period_gate(const struct ops_ctx *o, const struct program *p,
    long long program_id, int slot, bool *activate, struct error *err);

/* Whether s is NULL or holds nothing but white space. */
int ops_blank(const char *s);

#endif
