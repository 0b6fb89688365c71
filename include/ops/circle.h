#ifndef MENTORCTL_OPS_CIRCLE_H
#define MENTORCTL_OPS_CIRCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/ops.h"
#include "store/pairing_store.h"

/*
 * Circles (group format): one mentor with up to roles.mentor.capacity
 * mentees, tied together by group_id (the mentor's enrollment id).  When a
 * circle's mentor leaves (withdraw) or is replaced, the circle is not
 * dissolved: ops_circle_mentor gives its members a new mentor.
 */

struct program;

struct ops_circle_mentor {
	long long old_group;
	long long new_group;       /* the new mentor's enrollment id */
	char *mentor;              /* the new mentor's stored address */
	struct pairing_new *made;  /* one proposal per member; emails owned */
	size_t n;
	size_t ended;              /* active pairings with the old mentor ended */
	bool active;               /* consent none: active at once */
	int expires_on;            /* DATE_NONE: never */
};

/*
 * Give circle group_id of group programme p the mentor mentor_email: its
 * members (mentees still enrolled whose circle pairing is active, or
 * ended because the old mentor left, and who have no other open pairing)
 * are proposed to the new mentor in a new circle (answers as the
 * programme's consent says); pairings with an old mentor who is still
 * there end ("circle moved to a new mentor").  EX_DATAERR for another
 * format, an unknown circle, a circle with nobody to move, the same
 * mentor, or a new mentor without places for every member.  Free with
 * ops_circle_mentor_free.
 */
int ops_circle_mentor(const struct ops_ctx *o, long long program_id,
    const struct program *p, long long group_id, const char *mentor_email,
    struct ops_circle_mentor *r, struct error *err);
void ops_circle_mentor_free(struct ops_circle_mentor *r);

#endif
