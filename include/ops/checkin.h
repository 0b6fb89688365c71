#ifndef MENTORCTL_OPS_CHECKIN_H
#define MENTORCTL_OPS_CHECKIN_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/ops.h"

/*
 * Meetings.  A check-in records that the partners of an active pairing met
 * on a day (not in the future, not before the pairing turned active, once
 * a day unless replaced).  Meeting N is the Nth meeting of the pairing by
 * date and takes prompt N as its default topic.  A circle (group format)
 * meets as one: ops_checkin_circle logs the meeting for every active
 * member.  `checkin` and the replies participants mail ("met yesterday 45
 * min") are these; o->actor is who recorded it.
 */

struct ops_checkin_req {
	long long pairing_id;
	int on;                    /* the day they met */
	int minutes;               /* 0: not given */
	int rating;                /* 0: not given */
	const char *topic;         /* NULL or "": the meeting's prompt */
	const char *notes;         /* private; NULL: none */
	bool replace;              /* overwrite that day's check-in */
};

/* What a check-in did, and what comes next.  Strings are owned. */
struct ops_checkin {
	long long pairing_id;
	long long checkin_id;
	int meeting;               /* its number */
	int held_on;
	int minutes;
	int rating;
	char *topic;               /* NULL: none */
	bool replaced;
	bool has_next;             /* the programme has a check-in interval */
	int next_meeting;
	int next_due_on;
	char *next_prompt;         /* NULL past the prompts */
};

/*
 * Record a meeting of one pairing.  EX_DATAERR when the pairing is unknown
 * or not active, the day is in the future or before activation, or the day
 * has a check-in already (without replace).  Free with ops_checkin_free.
 */
int ops_checkin(const struct ops_ctx *o, const struct ops_checkin_req *req,
    struct ops_checkin *r, struct error *err);
void ops_checkin_free(struct ops_checkin *r);

enum ops_member_outcome {
	OPS_MEMBER_LOGGED,
	OPS_MEMBER_REPLACED,
	OPS_MEMBER_JOINED_LATER,   /* turned active after the meeting */
	OPS_MEMBER_ALREADY,        /* had a check-in that day: unchanged */
};

struct ops_circle_member {
	long long pairing_id;
	char *mentee_email;
	enum ops_member_outcome outcome;
	int meeting;               /* 0 when nothing was logged */
	char *topic;
	int next_due_on;           /* DATE_NONE when unknown */
};

struct ops_circle_checkin {
	long long group_id;
	char *mentor_email;
	int held_on;
	int minutes;
	int rating;
	struct ops_circle_member *v;   /* every active member, by pairing id */
	size_t n;
	size_t logged;
};

/*
 * The meeting of the circle of pairing req->pairing_id, logged for each of
 * its active members (a re-run changes nothing; replace overwrites).
 * EX_DATAERR when the pairing is in no circle or is not active.  Free with
 * ops_circle_checkin_free.
 */
int ops_checkin_circle(const struct ops_ctx *o,
    const struct ops_checkin_req *req, struct ops_circle_checkin *r,
    struct error *err);
void ops_circle_checkin_free(struct ops_circle_checkin *r);

#endif
