#ifndef MENTORCTL_CORE_CYCLE_H
#define MENTORCTL_CORE_CYCLE_H

#include <stdbool.h>

#include "core/program.h"
#include "util/error.h"

/*
 * Cycle arithmetic: the dates of a numbered cycle of a programme and the
 * outcome of the re-up decision at its end.  Pure: days are date.h day
 * counts, nothing is read from the clock or the database.
 *
 * A cycle runs from starts_on to its last day, both inclusive; what is
 * stored is the half-open range starts_on <= d < ends_on, with
 * ends_on = starts_on + cycle.length in calendar terms (months keep the day
 * of month and clamp at month ends: a one-month cycle from Jan 31 ends on
 * Feb 28, or Feb 29 in a leap year).  ends_on is therefore the first day of
 * the next cycle, and the last day people are told about is
 * cycle_last_day() = ends_on - 1: every message, listing and mail says the
 * last day.  Cycle k+1 starts on cycle k's ends_on, so clamped month ends
 * carry over: 1-month cycles from Jan 31 run Jan 31, Feb 28, Mar 28, ...
 * (what the database stores is what the coordinator saw; a cycle never
 * moves once started).
 *
 * The re-up window is [reup_opens_on, reup_closes_on], both days inclusive,
 * counted back from the last day: reup_opens_on = last day - reup.opens,
 * reup_closes_on = last day - reup.closes, so "opens: 21 days before end,
 * closes: 7 days before end" on a cycle whose last day is Jul 10 accepts
 * answers Jun 19 ... Jul 3, and "0 days before end" (the default without a
 * reup block) is the last day itself, one day after "1 day before end".
 * The window never reaches past the last day, nor starts before starts_on
 * (a short February cycle with "30 days before end" opens on its first
 * day).
 */

struct cycle_dates {
	int number;          /* 1-based */
	int starts_on;       /* first day of the cycle */
	int ends_on;         /* first day after it (exclusive end) */
	int reup_opens_on;   /* first day a re-up answer is accepted */
	int reup_closes_on;  /* last day a re-up answer is accepted */
};

enum cycle_window {
	CYCLE_WINDOW_BEFORE,  /* the re-up window has not opened yet */
	CYCLE_WINDOW_OPEN,
	CYCLE_WINDOW_CLOSED,  /* past reup_closes_on: time to decide */
};

/* One partner's re-up answer. */
enum cycle_answer {
	CYCLE_ANSWER_NONE,
	CYCLE_ANSWER_YES,
	CYCLE_ANSWER_NO,
};

enum cycle_outcome {
	CYCLE_OUTCOME_CONTINUE,
	CYCLE_OUTCOME_EXIT,
};

/*
 * The dates of cycle `number` starting on starts_on.  -1 with EX_DATAERR when
 * the programme has no cycle, its length is not positive, a date falls
 * outside years 1..9999, or the window's opening comes after its closing
 * ("opens: 7 days before end, closes: 21 days before end").
 */
int cycle_dates(const struct program_cycle *c, int number, int starts_on,
    struct cycle_dates *out, struct error *err);
/* The cycle after prev: number + 1, starting on prev->ends_on. */
int cycle_next(const struct program_cycle *c, const struct cycle_dates *prev,
    struct cycle_dates *out, struct error *err);
/* Cycle `number` (>= 1) of a programme whose cycle 1 starts on first_start. */
int cycle_nth(const struct program_cycle *c, int first_start, int number,
    struct cycle_dates *out, struct error *err);

/* The last day of the cycle (inclusive): ends_on - 1. */
int cycle_last_day(const struct cycle_dates *cd);
/* starts_on <= day < ends_on */
bool cycle_contains(const struct cycle_dates *cd, int day);
enum cycle_window cycle_window_at(const struct cycle_dates *cd, int day);
/* reup_opens_on <= day <= reup_closes_on */
bool cycle_reup_open(const struct cycle_dates *cd, int day);

/*
 * The re-up decision as a truth table: a missing answer takes the
 * programme's default (yes for REUP_DEFAULT_CONTINUE, no for
 * REUP_DEFAULT_EXIT); the pairing continues only when both answers, given or
 * defaulted, are yes.  So any "no" ends it whatever the default.
 */
enum cycle_outcome cycle_reup_outcome(enum cycle_answer mentor,
    enum cycle_answer mentee, enum reup_default def);
/* The same over n partners (a group's members); n == 0: the default. */
enum cycle_outcome cycle_reup_outcome_n(const enum cycle_answer *answers,
    int n, enum reup_default def);

/* "yes"/"no" -> answer; -1 for anything else (so "none" cannot be given). */
int cycle_answer_parse(const char *s);
/* "none", "yes", "no" */
const char *cycle_answer_name(enum cycle_answer a);
/* "continued", "exited": the schema's pairing_cycle.outcome words */
const char *cycle_outcome_name(enum cycle_outcome o);

#endif
