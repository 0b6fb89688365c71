#ifndef MENTORCTL_OPS_CYCLE_H
#define MENTORCTL_OPS_CYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cycle.h"
#include "ops/ops.h"
#include "ops/rotation.h"
#include "store/cycle_store.h"

/*
 * Cycles: the numbered periods of a programme, and the re-up decision at
 * their end.  A rotational programme's cycles are its periods
 * (ops/rotation.h): these dispatch to it.
 */

struct program;

struct ops_cycle_start {
	bool rotation;             /* a rotation's period: see period */
	struct cycle_dates cd;     /* the cycle started */
	long long attached;        /* active pairings that joined it */
	struct ops_period_open period;
};

/*
 * cycle start: the programme's next cycle on `on` (DATE_NONE: cycle.start
 * for the first, else where the last ended).  EX_DATAERR when the
 * programme has no cycle block, a cycle is open, `on` is before the last
 * cycle's end, or the default start lies a whole cycle back.
 */
int ops_cycle_start(const struct ops_ctx *o, long long program_id,
    const struct program *p, int on, struct ops_cycle_start *r,
    struct error *err);

struct ops_cycle_close {
	bool rotation;             /* a rotation's period: see period */
	bool dry;                  /* what closing would do; nothing stored */
	struct cycle_row closed;   /* the cycle as it was */
	struct cycle_member *v;    /* its active pairings with answers and outcome */
	size_t n;
	size_t continued;
	bool next_opened;          /* someone continued: the next cycle */
	struct cycle_dates next;
	struct ops_rotation_close period;
};

/*
 * cycle close: decide every active pairing of the open cycle by the re-up
 * answers (a missing answer takes reup.default), end the exits and open the
 * next cycle for those who continue.  Refused (EX_DATAERR) without an open
 * cycle, or while the re-up window is open unless force.  Free with
 * ops_cycle_close_free.
 */
int ops_cycle_close(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool force, bool dry, struct ops_cycle_close *r,
    struct error *err);
void ops_cycle_close_free(struct ops_cycle_close *r);

#endif
