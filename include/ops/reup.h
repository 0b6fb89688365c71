#ifndef MENTORCTL_OPS_REUP_H
#define MENTORCTL_OPS_REUP_H

#include "core/cycle.h"
#include "ops/ops.h"

/*
 * Re-up: a partner's answer to "another cycle together?", accepted while
 * the cycle's re-up window is open and changeable until it closes.  `reup`
 * and the reply "re-up yes|no" are this; `cycle close` turns the answers
 * into outcomes.
 */

struct ops_reup {
	long long pairing_id;
	enum cycle_answer answer;
	enum cycle_answer before;  /* CYCLE_ANSWER_NONE for a first answer */
	int cycle;                 /* its number */
	int closes_on;             /* last day answers may change */
};

/*
 * Record `by`'s answer for pairing id.  EX_DATAERR when by is not a
 * partner, the pairing is not active or in no open cycle, or the window is
 * not open.
 */
int ops_reup(const struct ops_ctx *o, long long id, const char *by,
    enum cycle_answer answer, struct ops_reup *r, struct error *err);

#endif
