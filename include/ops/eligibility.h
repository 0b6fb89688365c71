#ifndef MENTORCTL_OPS_ELIGIBILITY_H
#define MENTORCTL_OPS_ELIGIBILITY_H

#include <stddef.h>

#include "ops/ops.h"
#include "store/enrollment_store.h"
#include "util/error.h"

/*
 * Eligibility as of today.  The rules (core/eligibility.c) depend on the
 * day: a tenure minimum is reached, a training's date arrives, and with
 * --today a day can also lie before them.  Changes to people, trainings,
 * enrollments and programmes re-evaluate what they touch when they are
 * made; the passing of time is caught here, by every command that reads
 * the matching pool, before it reads it.
 */

struct program;

/*
 * Judge programme p's pending and eligible enrollments again as of
 * o->today: whoever now qualifies becomes eligible (eligible_on set the
 * first time), whoever no longer does is pending with the reason; active
 * and withdrawn enrollments are never touched.  Each change is written
 * with an audit row.  Nothing is written when nothing changed (one read
 * query); outside a transaction the changes get one of their own, so a
 * listing may call it too, and a database that cannot be written then
 * (read-only, busy past the timeout) is read as it is.  counts may be
 * NULL.
 *
 * The dispatcher calls it for every command that names a programme
 * (CMD_PROGRAM_ARG: match, scores, suggest, pair, pairings, report, ...)
 * right after loading it; ops that load a programme themselves call it
 * before they read the pool.
 */
int ops_eligibility_refresh(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct elig_counts *counts, struct error *err);

/* The same for every programme that has pending or eligible enrollments. */
int ops_eligibility_refresh_all(const struct ops_ctx *o, struct error *err);
/* The same for the enrollments of person_ids[n], in every programme. */
int ops_eligibility_refresh_people(const struct ops_ctx *o,
    const long long *person_ids, size_t n, struct error *err);

#endif
