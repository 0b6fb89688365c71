#ifndef MENTORCTL_OPS_FLASH_H
#define MENTORCTL_OPS_FLASH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/flash.h"
#include "ops/ops.h"

/*
 * Flash sessions (format flash): every eligible mentee and mentor,
 * flash.rounds rounds, flash.table_size mentees per mentor per round, no
 * mentor twice (core/flash.h).  Until the coordinator confirms it the
 * session is computed, a deterministic function of the data, so `schedule`
 * shows it as often as asked.  `flash seat` stores the seating; from then
 * on schedule shows the stored seats, and `flash attend` records who came,
 * so that what the report says about the session is what happened.
 * Follow-up pairings after the session are ordinary pairings (`pair`).
 */

struct program;

/* A flash session with its people.  The strings belong to it. */
struct ops_flash {
	struct flash_session s;
	bool stored;                /* the confirmed seats, not a computed plan */
	int *attended;              /* stored: per s.plan.v entry, -1 not
	                               recorded, 0 absent, 1 came; else NULL */
	const char **mentor_email;  /* [s.nmentors], by e-mail */
	const char **mentee_email;  /* [s.nmentees], by e-mail */
	const char **mentor_name;   /* [s.nmentors]; NULL when unknown */
	const char **mentee_name;   /* [s.nmentees] */
	long long *mentor_enrollment;  /* [s.nmentors] */
	long long *mentee_enrollment;  /* [s.nmentees] */
	void *priv;
};

/*
 * p's session: the stored seats when the coordinator confirmed them (of
 * people still enrolled), else planned from the eligible people.  Free with
 * ops_flash_free.
 */
int ops_flash_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_flash *f, struct error *err);
void ops_flash_free(struct ops_flash *f);

struct ops_flash_seat {
	size_t seats;               /* mentee-rounds stored */
	int mentees;                /* mentees with a seat */
	bool replaced;              /* an earlier seating was replaced */
};

/*
 * flash seat: plan the session from the people enrolled now and store it
 * as the confirmed seating, replacing an earlier one.  Refused
 * (EX_DATAERR) when attendance was recorded already, unless force.
 */
int ops_flash_seat(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool force, struct ops_flash_seat *r,
    struct error *err);

struct ops_flash_attend {
	size_t people;              /* addresses recorded */
	size_t seats;               /* seats that changed */
};

/*
 * flash attend: mentees emails[n] came (absent: did not) to round `round`
 * (0: every round of theirs).  EX_DATAERR when nothing is seated yet, or
 * an address has no seat (in that round).
 */
int ops_flash_attend(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *const *emails, size_t n, int round,
    bool absent, struct ops_flash_attend *r, struct error *err);

#endif
