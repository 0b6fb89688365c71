#ifndef MENTORCTL_STORE_CHECKIN_STORE_H
#define MENTORCTL_STORE_CHECKIN_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/remind.h"
#include "util/error.h"

struct db;
struct checkin_history;

/*
 * Check-ins (meetings of a pairing) and the roster that `schedule` and
 * `remind` compute with: a programme's pairings with their people, meeting
 * days, cycle and re-up answers, loaded in a fixed number of streaming
 * queries whatever the number of pairings.
 *
 * Notes are written here and read by nobody in this file: they leave the
 * database only through `export checkins --include-notes`.
 */

struct checkin_in {
	long long pairing_id;
	int held_on;
	int minutes;              /* 0: not given */
	int rating;               /* 0: not given */
	const char *topic;        /* NULL: none */
	const char *notes;        /* NULL: none */
	const char *recorded_by;
	long long group_id;       /* a circle's meeting: the circle; else 0 */
};

/* The pairing's meeting days, ascending (a malloc'd array, NULL when none). */
int store_checkin_days(struct db *db, long long pairing_id, int **days,
    size_t *n, struct error *err);
/* The id of the pairing's check-in on `day`: 1 (*id set), 0 none, -1. */
int store_checkin_on(struct db *db, long long pairing_id, int day,
    long long *id, struct error *err);
/*
 * The days circle group_id of the programme met as one (check-ins marked
 * with the circle), ascending and distinct; a malloc'd array.
 */
int store_circle_days(struct db *db, long long program_id, long long group_id,
    int **days, size_t *n, struct error *err);
/*
 * Record a check-in; replace_id > 0 overwrites that check-in (every field,
 * notes included) instead of adding one.  meeting is its number, for the
 * audit.
 */
int store_checkin_add(struct db *db, const struct checkin_in *in,
    long long replace_id, int meeting, long long *id, struct error *err);

enum checkin_roster_what {
	ROSTER_ACTIVE = 1 << 0,        /* active pairings, with cycle and clock */
	ROSTER_PROPOSED = 1 << 1,      /* proposals not expired on `today` */
	ROSTER_ALL_MEETINGS = 1 << 2,  /* every meeting day, not the latest only */
};

/*
 * Pairings ready for core/remind.h and core/schedule.h, in id order, with
 * their people, anchor, open cycle and (inside its re-up window) who has
 * answered.  Everything the pairings point to belongs to the roster (free
 * with checkin_roster_free).
 *
 * Meetings.  The check-in clock (due day, overdue, missed, stalled) needs
 * only the latest meeting; the number of meetings gives only the next
 * meeting's number and prompt.  Without ROSTER_ALL_MEETINGS a pairing's
 * `meetings` is its latest meeting alone, which is what `remind` needs to
 * find which reminders are due and recorded (a year of check-ins of
 * 100,000 pairings is millions of rows); store_checkin_roster_history()
 * then loads the whole history of the few pairings it will write to.
 */
struct checkin_roster {
	struct remind_pairing *v;
	size_t n;
	int *days;                  /* meeting days the pairings point into */
	size_t ndays;
	char *strings;              /* names and addresses, NUL-separated */
	size_t nstrings;
	bool all_meetings;
	int **histories;            /* from store_checkin_roster_history */
	size_t nhistories;
	struct checkin_history *history_query;
};

int store_checkin_roster(struct db *db, long long program_id, int today,
    unsigned what, struct checkin_roster *r, struct error *err);
/* Give pr (one of r's active pairings) its every meeting day. */
int store_checkin_roster_history(struct db *db, struct checkin_roster *r,
    struct remind_pairing *pr, struct error *err);
void checkin_roster_free(struct checkin_roster *r);

#endif
