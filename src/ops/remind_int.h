#ifndef MENTORCTL_OPS_REMIND_INT_H
#define MENTORCTL_OPS_REMIND_INT_H

/* Private to src/ops: the parts of remind's use case in other files. */
#include "ops/remind.h"

/*
 * Gather the rest of programme k's digest (pending enrollments, bouncing
 * addresses, failed replies, mail not delivered) and, when there is news,
 * plan it: one mail to the contact, due today.
 */
int ops_remind_digest(const struct ops_ctx *o, struct remind_plan *plan,
    size_t k, struct error *err);

/* Its undelivered mail again, as it stands just before it is composed. */
int ops_remind_digest_refresh(const struct ops_ctx *o,
    const struct remind_prog *rp, struct error *err);

/*
 * The reply token a mail carries into tok (TOKEN_BUFSZ): false when it
 * carries none (no secret, the digest, a recipient who is no person).
 */
bool ops_remind_token(const struct remind_plan *plan,
    const struct remind_item *it, char *tok);

/* Items of the plan go through here: held when the address bounces. */
void ops_remind_plan_add(struct remind_plan *plan, const struct reminder *r,
    size_t k, int attempts, bool held);

#endif
