#ifndef MENTORCTL_CORE_SESSION_H
#define MENTORCTL_CORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/eligibility.h"
#include "core/metrics.h"
#include "core/program.h"

/*
 * Senior-leader sessions (listening lunches, fireside chats): who is in a
 * session's audience, who gets the seats when more sign up than fit, and
 * what the sessions add up to in the report.  Pure: the store loads the
 * facts, today is passed in.
 */

/* "HH:MM" (a leading zero may be left out), 00:00 to 23:59: 0 and minutes. */
int session_clock_parse(const char *s, int *minutes);

/* ---- places: the stored vocabulary of session_place.status ---- */

enum session_place_status {
	PLACE_SIGNED_UP,     /* before the seats were allocated */
	PLACE_SEATED,
	PLACE_WAITLISTED,
	PLACE_CANCELLED,
};

/* "signed_up", "seated", "waitlisted", "cancelled"; parse: -1 otherwise. */
const char *session_place_name(enum session_place_status s);
int session_place_parse(const char *s);

/* ---- the audience ---- */

struct audience_person {
	const char *email;
	const char *department;    /* NULL when unknown */
	const char *location;
	bool has_level;
	int level;
	int hired_on;              /* DATE_NONE when unknown */
	const struct elig_training *trainings;
	size_t ntrainings;
	bool enrolled;             /* in the programme, not withdrawn */
	unsigned roles;            /* 1 << ROLE_* of those enrollments */
};

/*
 * Whether the programme's sessions.audience admits pp on `today`: 1, or 0
 * with *why (the caller frees it) naming every rule that fails, "; "-
 * separated ("not enrolled in the programme", "level 1 < 2", "department
 * Sales is not one of Eng, Product", ...).  from: enrolled needs an
 * enrollment (of one of `roles` when given); departments and locations
 * compare without case; the eligibility rules are core/eligibility.h's.
 */
int audience_admits(const struct program_audience *a,
    const struct audience_person *pp, int today, char **why);

/* ---- seating ---- */

/*
 * The lottery number of a person in a session: 64-bit FNV-1a over
 * "mentorctl-session:<session id>:<e-mail in ASCII lower case>", then the
 * SplitMix64 finaliser to spread it.  The seed is the session id, so that
 * two sessions draw independently, and the same data always give the same
 * seats (on any machine: no random source, no clock).  Not a secret: who
 * can read the database can compute the draw, which is the point (anyone
 * can check it).
 */
uint64_t session_lottery(long long session_id, const char *email);

struct seat_candidate {
	long long person_id;
	const char *email;         /* borrowed */
	int attended;              /* sessions of the programme attended before */
	int seq;                   /* sign-up order */
	uint64_t lottery;          /* set by session_seat_order */
};

/*
 * Sort v[n] into seating order: fewest sessions attended first, then the
 * lottery (ascending), then the e-mail (a tie of 64-bit draws), so that
 * the first `free` of them get the seats and the rest wait in this order.
 */
void session_seat_order(long long session_id, struct seat_candidate *v,
    size_t n);

/* ---- the report's section "sessions" ---- */

struct session_fact {
	long long id;
	size_t leader;             /* index into leaders */
	int held_on;
	int seats;
	int seated;                /* seated now */
	int attended;
	int signed_up;             /* everyone who signed up and did not cancel */
	int waitlisted;
};

struct session_leader_fact {
	char *email;
	char *name;                /* may be NULL */
};

/* A person of the audience or an attendee, for reach. */
struct session_reach_fact {
	char *department;          /* NULL: none */
	bool has_level;
	int level;
	bool in_audience;
	bool attended;             /* at least one session held by the day */
};

struct session_facts {
	int as_of;
	struct session_fact *sessions;     /* sorted by day, id */
	size_t nsessions;
	struct session_leader_fact *leaders;  /* sorted by e-mail */
	size_t nleaders;
	struct session_reach_fact *people;
	size_t npeople;
};

void session_facts_free(struct session_facts *f);

/*
 * The rows of section "sessions", appended to rows when the programme has
 * a sessions block:
 *
 *   sessions_held             sessions on or before the day
 *   sessions_planned          sessions after it
 *   seats_offered, seated, waitlisted   over the sessions held
 *   attendance_rate           attended / seated, over the held sessions
 *                             whose attendance was recorded (anyone marked)
 *   sessions_without_attendance   held sessions with nobody marked
 *   leader_sessions           per leader and calendar year (group
 *                             leader=EMAIL,year=YYYY): sessions held that
 *                             year by the day; target per_leader_per_year;
 *                             status met, on track (planned ones make it),
 *                             at risk, or not met once the year is over;
 *                             detail: held and planned
 *   reach                     audience members who attended a session /
 *                             the audience
 *   reach_by_department       the same per department (department=X)
 *   reach_by_level            the same per level (level=N)
 */
void session_report_rows(const struct program *p, const struct session_facts *f,
    struct metrics_rows *rows);

#endif
