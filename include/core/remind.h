#ifndef MENTORCTL_CORE_REMIND_H
#define MENTORCTL_CORE_REMIND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"

/*
 * Who gets reminded of what on a given day.  Pure: the caller loads the
 * pairings, the settings come from the programme, today is passed in.
 *
 * Every rule is a window of days, not a single day, so that a cron job that
 * missed a morning still sends the reminder later; each reminder carries the
 * day of the event it is about (due_on), and the database's uniqueness on
 * (pairing, kind, due_on, recipient) turns "every morning inside the window"
 * into "exactly once".
 *
 *   checkin_due        active pairing, not stalled,
 *                      due - remind_before <= today <= due + overdue_after;
 *                      to both partners; due_on = the check-in's due day
 *   checkin_overdue    active, not stalled, today > due + overdue_after;
 *                      to both; due_on = the check-in's due day
 *   stalled            active, missed >= stalled_after; to both partners
 *                      and to the programme's contact address (not twice
 *                      when the contact is one of the partners);
 *                      due_on = the due day whose passing stalled it
 *   proposal_expiring  proposed, expires_on - REMIND_PROPOSAL_DAYS <= today
 *                      <= expires_on (not before proposed_on); to each
 *                      party whose consent matching.consent requires and
 *                      who has not accepted; due_on = expires_on
 *   reup_open          active, reup_opens_on <= today <= reup_closes_on; to
 *                      each partner who has not answered;
 *                      due_on = reup_opens_on
 *
 * "due" is the check-in clock of schedule.h.  After a meeting the clock
 * restarts, so the next check-in's reminders have a new due_on.  A stalled
 * pair gets no due/overdue mail: the stalled one (with the coordinator) says
 * it all.  A pair that keeps missing hears: due, overdue, stalled, then
 * nothing until someone records a meeting.
 */

/* Days before a proposal expires that its reminder window opens. */
#define REMIND_PROPOSAL_DAYS 2

enum remind_kind {
	REMIND_CHECKIN_DUE,
	REMIND_CHECKIN_OVERDUE,
	REMIND_STALLED,
	REMIND_PROPOSAL_EXPIRING,
	REMIND_REUP_OPEN,
};
#define REMIND_NKINDS 5

enum remind_role {
	REMIND_ROLE_MENTOR,
	REMIND_ROLE_MENTEE,
	REMIND_ROLE_CONTACT,  /* the programme's coordinators */
};

/* What remind needs of a pairing's status. */
enum remind_status {
	REMIND_PAIRING_PROPOSED,
	REMIND_PAIRING_ACTIVE,
	REMIND_PAIRING_OTHER,  /* declined, expired, ended: never reminded */
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

	/* the current cycle; DATE_NONE when the programme has none */
	int cycle_ends_on;
	int reup_opens_on;
	int reup_closes_on;
	bool mentor_answered;
	bool mentee_answered;
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
	int due_on;                 /* the event day: part of the unique key */
	enum remind_role role;      /* of the recipient */
	struct remind_person to;    /* recipient */
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
	/* reup_open */
	int reup_closes_on;
	int cycle_ends_on;
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
