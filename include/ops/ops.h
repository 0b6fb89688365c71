#ifndef MENTORCTL_OPS_OPS_H
#define MENTORCTL_OPS_OPS_H

#include <time.h>

#include "util/error.h"

/*
 * The use cases: every read-decide-write sequence of the product (accept a
 * proposal, record a check-in, open a rotation period, handle a reply) is
 * one ops_* function, called by the command that a coordinator types and by
 * `inbox` when a participant replies, so that each rule lives in one place.
 *
 * An ops function loads through store/, decides in core/ and saves through
 * store/, inside the caller's transaction (the dispatcher's BEGIN IMMEDIATE
 * for a command; one per message for inbox).  It never parses argv and never
 * prints: it returns 0, or -1 with err set (the code is the spec's exit
 * status), and describes what it did in a result struct that the caller
 * turns into words.
 */

struct db;
struct program;

struct ops_ctx {
	struct db *db;
	int today;           /* the day the change happens (core/date.h) */
	time_t now;          /* wall clock, for timestamps */
	const char *actor;   /* who acts: an e-mail, or the coordinator's user name */
};

/*
 * The stored programme SLUG: its id and its current definition, parsed.
 * Unknown slug: EX_DATAERR, with the nearest slug suggested.
 */
int ops_program_load(const struct ops_ctx *o, const char *slug, long long *id,
    struct program **p, struct error *err);

/*
 * Programme program_id as it was on day: the version in force then (the
 * first one when none was yet), parsed into *p (program_free) and its
 * number in *version.  A stored version that no longer validates:
 * EX_DATAERR.
 */
int ops_program_load_as_of(const struct ops_ctx *o, long long program_id,
    int day, struct program **p, int *version, struct error *err);

/*
 * From now on, ops_program_load hands out one parsed copy per programme
 * version for the rest of the process (the stored YAML is still read and
 * compared each time), for a run of many use cases such as `inbox`, where
 * parsing the same YAML again was a quarter of the work.  The copies are
 * shared: callers must not change them (program_free is still called).
 */
void ops_program_cache(void);

#endif
