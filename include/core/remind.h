#ifndef MENTORCTL_CORE_REMIND_H
#define MENTORCTL_CORE_REMIND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"

/*
 * Who gets which mail on a given day.  Pure: the caller loads the
 * pairings, the settings come from the programme, today is passed in.
 *
 * Every rule is a window of days, not a single day, so that a cron job that
 * missed a morning still sends the mail later; each mail carries the day of
 * the event it is about (due_on), and the log's uniqueness on (subject,
 * kind, due_on, recipient) turns "every morning inside the window" into
 * "exactly once".
 *
 * Reminders:
 *   checkin_due        active pairing, not stalled,
 *                      due - remind_before <= today <= due + overdue_after;
 *                      to both partners; due_on = the check-in's due day
 *   checkin_overdue    active, not stalled, today > due + overdue_after;
 *                      to both; due_on = the check-in's due day
 *   stalled            active, missed >= stalled_after; to both partners,
 *                      repeated weekly while it lasts: due_on = the day it
 *                      stalled plus whole weeks (the coordinators hear of
 *                      it in their digest)
 *   proposal_expiring  proposed, expires_on - REMIND_PROPOSAL_DAYS <= today
 *                      <= expires_on (not before proposed_on); to each
 *                      party whose consent matching.consent requires and
 *                      who has not accepted; due_on = expires_on
 *   reup_open          active, reup_opens_on <= today <= reup_closes_on; to
 *                      each partner who has not answered;
 *                      due_on = reup_opens_on
 *   reup_closing       the same, from REMIND_PROPOSAL_DAYS before
 *                      reup_closes_on; due_on = reup_closes_on
 *
 * Life-cycle mails, each within REMIND_LIFECYCLE_DAYS of its event (a
 * missed morning is caught up, last year's events are not):
 *   introduction       proposed on or before today (consent both or
 *                      mentee), to both partners; due_on = proposed_on
 *   matched            turned active (one-to-one, peer, reverse); to
 *                      both; due_on = activated_on
 *   new_mentor         a rotation's period began (its pairing turned
 *                      active); to both; due_on = activated_on
 *   circle_roster      group format: a circle formed or changed (to its
 *                      mentor and every member: remind_circle)
 *   reup_outcome       the cycle closed and the pair continues; to both;
 *                      due_on = the day it was decided
 *   closure            the pairing ended (any reason, the re-up's "no"
 *                      included); to both, with a feedback invitation;
 *                      due_on = ended_on
 *
 * "due" is the check-in clock of schedule.h.  After a meeting the clock
 * restarts, so the next check-in's reminders have a new due_on.  A stalled
 * pair gets no due/overdue mail: the stalled one says it all.  In a circle
 * (group format) the mentor gets one check-in reminder per circle meeting
 * (remind_circle), not one per member.
 */

/* Days before a deadline that its reminder window opens. */
#define REMIND_PROPOSAL_DAYS 2
/* Days after its event that a life-cycle mail may still go out. */
#define REMIND_LIFECYCLE_DAYS 7
/* A stalled pair hears again every this many days. */
#define REMIND_STALLED_EVERY 7

enum remind_kind {
	REMIND_CHECKIN_DUE,
	REMIND_CHECKIN_OVERDUE,
	REMIND_STALLED,
	REMIND_PROPOSAL_EXPIRING,
	REMIND_REUP_OPEN,
	REMIND_INTRODUCTION,
	REMIND_MATCHED,
	REMIND_NEW_MENTOR,
	REMIND_CIRCLE_ROSTER,
	REMIND_REUP_CLOSING,
	REMIND_REUP_OUTCOME,
	REMIND_CLOSURE,
	REMIND_INTRO_REQUEST,       /* network: ask the mentor for a contact */
	REMIND_DIGEST,
};
#define REMIND_NKINDS 14

enum remind_role {
	REMIND_ROLE_MENTOR,
	REMIND_ROLE_MENTEE,
	REMIND_ROLE_CONTACT,  /* the programme's coordinators */
};

/* What remind needs of a pairing's status. */
enum remind_status {
	REMIND_PAIRING_PROPOSED,
	REMIND_PAIRING_ACTIVE,
	REMIND_PAIRING_ENDED,
	REMIND_PAIRING_OTHER,  /* declined, expired: never mailed */
};

struct remind_person {
	const char *name;   /* may be NULL or "" */
	const char *email;
};

/*
 * One pairing as the store loads it.  All pointers are borrowed; dates are
 * date.h day counts, DATE_NONE when absent.
 */
struct remind_pairing {
	long long id;
	enum remind_status status;
	struct remind_person mentor;
	struct remind_person mentee;

	/* proposed */
	int proposed_on;
	int expires_on;           /* DATE_NONE: never expires, never reminded */
	bool mentor_accepted;
	bool mentee_accepted;

	/* active */
	int anchor;               /* activated_on, or the current cycle's
	                             start if later */
	const int *meetings;      /* meeting days, any order */
	size_t nmeetings;

	/*
	 * Circles (group format): the circle's id (0 when not in one) and
	 * the days its circle met as one (checkin --group), so that a circle
	 * meeting has one number for every member: the next is circle_held + 1.
	 */
	long long group_id;
	int circle_held;

	/* the current cycle; DATE_NONE when the programme has none */
	int cycle_ends_on;
	int reup_opens_on;
	int reup_closes_on;
	bool mentor_answered;
	bool mentee_answered;

	/* the people's ids (0 when not known): what reply tokens name */
	long long mentor_person;
	long long mentee_person;

	/* life cycle; DATE_NONE / 0 when not known or not so */
	int activated_on;
	int slot;                 /* the rotation's period, the flash round */
	int continued_on;         /* the day the cycle closed with a re-up */
	int ended_on;             /* REMIND_PAIRING_ENDED */
	bool ended_by_reup;       /* ended as the cycle's re-up said "no" */
};

/*
 * One message to send.  Strings are borrowed from the remind_pairing and the
 * program it was computed from (recipient, prompt, partner names): keep both
 * alive while the reminder is in use.  Facts that do not apply to the kind
 * are 0 / DATE_NONE / NULL.
 */
struct reminder {
	enum remind_kind kind;
	long long pairing_id;       /* 0 for a programme's mail */
	long long circle_id;        /* a mail about a whole circle: its group
	                               id (pairing_id is one member's); else 0 */
	long long group_id;         /* the pairing's circle (group format), 0 */
	int due_on;                 /* the event day: part of the unique key */
	enum remind_role role;      /* of the recipient */
	struct remind_person to;    /* recipient */
	long long to_person;        /* the recipient's person id, 0: none */
	struct remind_person mentor;
	struct remind_person mentee;

	/* checkin_due, checkin_overdue, stalled */
	int meeting_number;         /* the next meeting's number */
	const char *prompt;         /* its prompt, NULL past the list */
	int last_meeting;           /* DATE_NONE when they have not met */
	int since;                  /* the clock's base: last meeting/anchor */
	int days_overdue;           /* today - due day, when positive */
	int missed;                 /* consecutive missed check-ins */
	/* proposal_expiring */
	int proposed_on;
	int expires_on;
	/* reup_open, reup_closing */
	int reup_closes_on;
	int cycle_ends_on;
	/* stalled: the day it stalled (due_on is that plus whole weeks) */
	int stalled_on;
	/* matched, new_mentor, circle_roster */
	int activated_on;
	int slot;
	/* closure */
	bool ended_by_reup;
	/* intro_request: the mentee's contacts so far, and the target */
	int intro_made;
	int intro_target;
};

struct reminder_list {
	struct reminder *v;
	size_t n;
	size_t cap;
};

#define REMINDER_LIST_INIT { NULL, 0, 0 }

/*
 * Append the reminders for one pairing on `today`, in (kind, role) order:
 * calling it for pairings in increasing id order yields the list already in
 * the (pairing id, kind, recipient role) order that remind_sort gives.
 * Returns how many were added.  A programme without checkins (or with no
 * positive `every`) produces no check-in kinds; one without a contact
 * sends the stalled reminder to the partners only.
 */
size_t remind_pairing(const struct program *p, const struct remind_pairing *pr,
    int today, struct reminder_list *out);
/*
 * Group format: the mails about circle group_id, whose active pairings
 * (one per member, all with the circle's mentor) are members[n]:
 *   circle_roster   to the mentor and each member within
 *                   REMIND_LIFECYCLE_DAYS of the latest member's
 *                   activation (a circle that changes is introduced anew);
 *                   due_on = that activation day
 *   check-in kinds  to the mentor, one per circle meeting: the members'
 *                   reminders of one kind and due day become one
 *                   (remind_pairing gives a circle's mentor none)
 * Each has circle_id = group_id and pairing_id = the first member's.
 */
/*
 * Format network: the mentor of pr is asked to bring a contact to meeting
 * `meeting` (due on due_on), the mentee having `made` of `target` contacts
 * (core/network.h decides when).  Appended to out.
 */
void remind_intro_request(const struct remind_pairing *pr, int due_on,
    int meeting, int made, int target, struct reminder_list *out);

size_t remind_circle(const struct program *p,
    const struct remind_pairing *const *members, size_t n, int today,
    struct reminder_list *out);
/* remind_pairing over an array, then remind_sort. */
void remind_collect(const struct program *p, const struct remind_pairing *v,
    size_t n, int today, struct reminder_list *out);
/* Deterministic order: pairing id, kind, role. */
void remind_sort(struct reminder_list *l);
/*
 * What a mail is about, as the reminder log keys it: "pairing:<id>",
 * "circle:<group id>" for a mail about a whole circle, "program" for the
 * programme's own (the digest).  Returns buf.
 */
#define REMIND_KEY_BUFSZ 32
char *remind_subject_key(const struct reminder *r, char buf[REMIND_KEY_BUFSZ]);
/* The same subject, kind and due day: one event, several recipients. */
bool remind_same_event(const struct reminder *a, const struct reminder *b);

/* Frees the array (not the borrowed strings) and empties the list. */
void remind_list_free(struct reminder_list *l);

/*
 * "checkin_due", "checkin_overdue", "stalled", "proposal_expiring",
 * "reup_open"; parse gives -1 for anything else.
 */
const char *remind_kind_name(enum remind_kind k);
int remind_kind_parse(const char *s);
/* "mentor", "mentee", "contact" */
const char *remind_role_name(enum remind_role r);

#endif
