#ifndef MENTORCTL_CORE_DIGEST_H
#define MENTORCTL_CORE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The coordinators' daily digest: one mail to the programme's contact
 * instead of one per event.  ops/remind.c gathers it, io/mail.c words it.
 * It goes out on a day when something is new since the last one (a pair
 * stalled, a proposal about to expire unanswered, someone pending, an
 * address bouncing, a reply that could not be used, a mail not delivered),
 * and then lists everything still open, the new marked as such.  Strings
 * belong to the digest (remind_digest_free).
 */

/* Lines shown per section; the rest are counted. */
#define DIGEST_SHOWN 40

struct digest_pair {
	long long pairing_id;
	char *mentor;             /* "Name <address>" */
	char *mentee;
	int day;                  /* stalled: the day it stalled; proposal:
	                             expires_on */
	int last_meeting;         /* stalled: DATE_NONE when none */
	bool mentor_waiting;      /* proposal: the answer still missing */
	bool mentee_waiting;
	bool fresh;
};

struct digest_line {
	char *who;                /* "Name <address>", or an address */
	char *what;               /* role, outcome, kind: one word or two */
	char *why;                /* reason, detail, error; may be NULL */
	int day;
	bool fresh;
};

struct remind_digest {
	int today;
	int last;                 /* the previous digest's day, DATE_NONE */
	struct digest_pair *stalled;
	size_t nstalled;
	struct digest_pair *proposals;   /* unanswered */
	size_t nproposals;
	struct digest_line *pending;     /* enrollments waiting to qualify */
	size_t npending;
	struct digest_line *bounces;     /* addresses that get no mail */
	size_t nbounces;
	struct digest_line *replies;     /* replies that changed nothing */
	size_t nreplies;
	struct digest_line *undelivered; /* mail not delivered since the last */
	size_t nundelivered;
};

/* Something in it is new: the day's digest goes out. */
bool digest_has_news(const struct remind_digest *d);
void remind_digest_free(struct remind_digest *d);

#endif
