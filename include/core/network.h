#ifndef MENTORCTL_CORE_NETWORK_H
#define MENTORCTL_CORE_NETWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/metrics.h"
#include "core/program.h"

/*
 * Network mentoring (format network): after the first meetings the mentor
 * introduces the mentee to new contacts, inside the organisation or not.
 * Pure: the store loads the facts, today is passed in.
 *
 * A contact counts once per mentee, whoever introduced them (a mentee
 * with two pairings in the programme keeps one network).  A contact who
 * is in the people table brings their department and level, as the table
 * has them now; one who is not counts as "outside the people table".
 */

/* ---- the introduction request (for `remind`) ---- */

/* One active pairing of a network programme, as the store loads it. */
struct network_pairing {
	long long pairing_id;
	const char *mentor_name;     /* borrowed; may be NULL */
	const char *mentor_email;
	const char *mentee_name;
	const char *mentee_email;
	int anchor;                  /* activation, or its cycle's start if later */
	int held;                    /* meetings held (check-ins), ever */
	int last_meeting;            /* DATE_NONE when they have not met */
	int introductions;           /* the mentee's contacts so far */
	int last_introduction;       /* DATE_NONE when none */
};

/* What the mentor is asked for. */
struct network_intro_request {
	int due_on;            /* the next check-in's due day: the mail's key */
	int meeting_number;    /* the meeting to bring a contact to */
	int introductions;     /* so far */
	int target;
};

/*
 * Whether the mentor of np is due a request for an introduction on
 * `today`, and what it says.  Due when the programme's format is network
 * and it has check-ins (`every`), the mentee has fewer than network.target
 * contacts, the next meeting's number is network.introductions_from or
 * later, nobody was introduced since the last meeting (or the activation),
 * the pair is not stalled, and today is in the next check-in's reminder
 * window: due_on - checkins.remind_before <= today <= due_on +
 * checkins.overdue_after, the window of the check-in reminder itself.  The
 * key (pairing, due_on, mentor) makes "every morning in the window" one
 * mail; after a meeting the clock restarts and the next request has a new
 * due_on.
 */
bool network_intro_due(const struct program *p, const struct network_pairing *np,
    int today, struct network_intro_request *out);

/* ---- the report's section "network" ---- */

struct network_mentee_fact {
	char *email;
	char *name;                  /* may be NULL */
	int active_from;             /* the first day one of its pairings was active */
};

struct network_intro_fact {
	size_t mentee;               /* index into mentees */
	char *contact_email;
	char *department;            /* NULL: unknown or not a person */
	bool is_person;
	bool has_level;
	int level;
	int introduced_on;
};

/*
 * A network programme's mentees who had an active pairing by as_of (sorted
 * by e-mail) and their introductions made by as_of (any order).
 */
struct network_facts {
	int as_of;
	struct network_mentee_fact *mentees;
	size_t nmentees;
	struct network_intro_fact *intros;
	size_t nintros;
};

void network_facts_free(struct network_facts *f);

/*
 * The rows of section "network" (core/metrics.h), appended to rows:
 *
 *   mentees                   mentees with an active pairing by the day
 *   introductions             distinct (mentee, contact) introductions
 *   introductions_per_mentee  their mean over those mentees (two decimals)
 *   mentees_at_target         rate: mentees with network.target contacts
 *                             or more (the target is the detail's)
 *   departments_reached       distinct departments of the contacts
 *                             (detail: their names)
 *   levels_reached            distinct levels (detail: them)
 *   outside_people            contacts not in the people table
 *   introductions_by_department  per department (group department=X,
 *                             "(outside the people table)",
 *                             "(no department)")
 *   introductions_by_level    per level (group level=N)
 *   mentee_introductions      per mentee (group mentee=EMAIL): contacts,
 *                             target network.target, status met / not met,
 *                             detail: the departments and levels reached
 *
 * Nothing for a programme of another format.
 */
void network_report_rows(const struct program *p, const struct network_facts *f,
    struct metrics_rows *rows);

#endif
