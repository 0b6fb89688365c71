#ifndef MENTORCTL_OPS_FEEDBACK_H
#define MENTORCTL_OPS_FEEDBACK_H

#include <stdbool.h>

#include "ops/ops.h"

/*
 * Feedback: a rating 1-5 and an optional comment from a participant, about
 * a pairing they are a partner in (once it turned active) or about a
 * programme they are enrolled in, one per person and subject per cycle
 * (store/feedback_store.h).  `feedback` and the reply "rate N [comment]"
 * are this.
 */

/* Long enough for a paragraph, short enough to stay a comment. */
#define FEEDBACK_COMMENT_MAX 4000

struct ops_feedback_req {
	long long pairing_id;      /* 0: about the programme */
	const char *program;       /* with pairing_id 0: its slug */
	const char *by;            /* the giver's address */
	int rating;                /* 1..5 */
	const char *comment;       /* NULL or "": none */
	bool keep;                 /* an earlier feedback of the cycle stands:
	                              change nothing (r->already) */
};

struct ops_feedback {
	long long id;
	int cycle;                 /* the cycle it counts for, 0 for none */
	bool replaced;             /* the giver's earlier feedback of that
	                              cycle was replaced */
	int replaced_on;           /* its day */
	bool already;              /* req->keep and the giver had given
	                              feedback in that cycle (on replaced_on):
	                              nothing was written */
};

/*
 * Record (or replace) the feedback.  EX_DATAERR for an unknown pairing,
 * programme or person, someone who is not a partner (not enrolled), a
 * pairing that never turned active, a rating outside 1..5 or a comment
 * longer than FEEDBACK_COMMENT_MAX bytes.
 */
int ops_feedback(const struct ops_ctx *o, const struct ops_feedback_req *req,
    struct ops_feedback *r, struct error *err);

#endif
