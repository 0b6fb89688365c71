#ifndef MENTORCTL_CORE_SCHEDULE_H
#define MENTORCTL_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"
#include "util/error.h"

/*
 * Check-in arithmetic for one pairing.  Pure: the caller passes the anchor,
 * the meeting days and today.
 *
 * The clock.  The pairing owes its next check-in `every` after its base, the
 * later of the anchor (the day it turned active, or its current cycle's start
 * if later) and its last meeting.  The check-ins it owes if nobody meets are
 * base + k * every for k = 1, 2, ..., each computed from the base in calendar
 * terms (monthly from Jan 31: Feb 28, Mar 31, Apr 30, ...; never chained, so
 * they do not drift to the 28th).
 *
 *   due_on        base + every: the check-in owed next
 *   due soon      today >= due_on - remind_before
 *   overdue       today >  due_on + overdue_after
 *   missed        the owed check-ins whose due day has passed: k >= 1 with
 *                 base + k * every < today.  A meeting on the due day is on
 *                 time, so the due day itself is not missed yet.
 *   stalled       missed >= stalled_after (never when stalled_after <= 0):
 *                 from the day after base + stalled_after * every.
 *
 * Meeting numbers count every meeting passed in, including those before the
 * anchor (a pairing that re-ups keeps its numbering, and prompt N is for its
 * Nth meeting ever).
 */

enum sched_state {
	SCHED_OK,       /* nothing due yet */
	SCHED_DUE,      /* remind_from <= today < overdue_from */
	SCHED_OVERDUE,  /* today > due_on + overdue_after, not stalled */
	SCHED_STALLED,  /* missed >= stalled_after */
};

struct sched_status {
	int held;           /* meetings passed in */
	int next_number;    /* held + 1: the number of the next meeting */
	int last_meeting;   /* latest meeting day; DATE_NONE when none */
	int base;           /* later of anchor and last_meeting */
	int due_on;         /* base + every */
	int remind_from;    /* due_on - remind_before */
	int overdue_from;   /* first overdue day: due_on + overdue_after + 1 */
	int stalled_on;     /* base + stalled_after * every: the due day whose
	                       passing stalls the pair (stalled from the day
	                       after); DATE_NONE when stalled_after <= 0 */
	enum sched_state state;
	bool due_soon;      /* today >= remind_from (also true when overdue) */
	bool overdue;       /* today >= overdue_from */
	int days_late;      /* today - due_on when positive, else 0 */
	int missed;         /* consecutive missed check-ins */
	bool stalled;
	const char *prompt; /* prompt for meeting next_number, borrowed from
	                       the program_checkins; NULL past the list */
};

/* One upcoming check-in. */
struct sched_slot {
	int number;          /* meeting number */
	int due_on;
	const char *prompt;  /* borrowed from the program_checkins; or NULL */
};

/*
 * The status of a pairing on `today`.  meetings[nmeetings] are its meeting
 * days (any order; DATE_NONE entries are ignored).  -1 with EX_DATAERR when
 * the programme has no usable `checkins.every` or the anchor is DATE_NONE.
 * The result borrows ck's prompts: keep ck alive while using it.
 */
int sched_status(const struct program_checkins *ck, int anchor,
    const int *meetings, size_t nmeetings, int today,
    struct sched_status *out, struct error *err);

/*
 * The check-ins owed from st's base (base + k * every, k >= 1) that fall in
 * from <= day <= to, never before today.  They are numbered from today:
 * the first one due on or after today is meeting st->next_number, the next
 * one more, so that the list is what the pair should do next (a check-in
 * they skipped does not use up a number) and a later `from` shows the same
 * numbers for the same days (a calendar's UIDs stay put).  Stores a
 * malloc'd array in *out (the caller frees it; NULL when empty) and
 * returns its length.
 */
size_t sched_upcoming(const struct program_checkins *ck,
    const struct sched_status *st, int today, int from, int to,
    struct sched_slot **out);

/*
 * The day a pairing's check-in clock starts: the later of the day it turned
 * active and the start of its cycle (a pair matched before launch owes
 * nothing until the cycle starts).  cycle_starts_on may be DATE_NONE (no
 * cycle); DATE_NONE when the pairing has not turned active.  The one
 * definition that schedule, remind, report and diagnose share (issue 12.3).
 */
int sched_anchor(int activated_on, int cycle_starts_on);

/*
 * For adherence: how many check-ins were due from `anchor` up to and
 * including `end` (the k >= 1 with anchor + k * every <= end).  0 when
 * every is not positive or either day is DATE_NONE.
 */
int sched_due_count(struct duration every, int anchor, int end);

/* Prompt for meeting `number` (1-based), borrowed; NULL past the list. */
const char *sched_prompt(const struct program_checkins *ck, int number);

/* "ok", "due", "overdue", "stalled" */
const char *sched_state_name(enum sched_state s);

#endif
