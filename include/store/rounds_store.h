#ifndef MENTORCTL_STORE_ROUNDS_STORE_H
#define MENTORCTL_STORE_ROUNDS_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "util/error.h"

struct db;

/*
 * A rotation as stored: one pairing per (mentee, period) with slot = the
 * period (core/rotation.h plans them; ops/rotation.c stores them and
 * documents the life cycle).  A later period's pairing waits as a proposal
 * whose proposed_on is still to come ("planned" in listings); when its
 * period opens it turns active, if the consent rule is met, and when the
 * period closes it ends.
 */

/* A rotation pairing with its people; strings belong to the row. */
struct rotation_row {
	long long id;
	long long mentor_enrollment_id;
	long long mentee_enrollment_id;
	char *mentor_email;
	char *mentor_name;
	char *mentee_email;
	char *mentee_name;
	int slot;
	enum pairing_status status;  /* as of today: planned, proposed, active,
	                                ended, declined, expired */
	int score;            /* centi-points */
	int proposed_on;
	int expires_on;       /* DATE_NONE: never */
	int activated_on;
	int ended_on;
	bool mentor_accepted;
	bool mentee_accepted;
};

/*
 * The programme's pairings that have a slot, by slot, mentor e-mail, mentee
 * e-mail; status as of today (as `pairings` lists it).
 */
int store_rotation_rows(struct db *db, long long program_id, int today,
    struct rotation_row **v, size_t *n, struct error *err);
void rotation_rows_free(struct rotation_row *v, size_t n);

/* A waiting proposal gets new days (a period that starts later than planned). */
int store_rotation_redate(struct db *db, long long pairing_id, int proposed_on,
    int expires_on, struct error *err);

/*
 * The proposals of period `slot` still unanswered when the period closes
 * expire (status expired, an audit row each); *n says how many.
 */
int store_rotation_expire_slot(struct db *db, long long program_id, int slot,
    size_t *n, struct error *err);

/* A circle's active pairings (group_id) by id: a malloc'd array of ids. */
int store_group_active(struct db *db, long long program_id,
    long long group_id, long long **ids, size_t *n, struct error *err);

/* An enrollment's person, for what schedules print and calendars say. */
struct enrolled_name {
	long long enrollment_id;
	char *email;
	char *name;              /* NULL when unknown */
};

/* Every enrollment of the programme, by id.  Free with enrolled_names_free. */
int store_enrolled_names(struct db *db, long long program_id,
    struct enrolled_name **v, size_t *n, struct error *err);
void enrolled_names_free(struct enrolled_name *v, size_t n);

/*
 * The members of circle group_id of a programme: for each mentee of the
 * circle, its latest pairing of the circle, with whether the mentee is
 * still enrolled (eligible or active) and holds an open pairing elsewhere
 * in the programme.  By pairing id.
 */
struct circle_row {
	long long pairing_id;
	enum pairing_status status;       /* as stored */
	long long mentor_enrollment_id;
	long long mentee_enrollment_id;
	char *mentee_email;
	char *mentor_email;
	bool mentor_enrolled;             /* the mentor's enrollment not withdrawn */
	bool mentee_enrolled;
	bool mentee_open_elsewhere;       /* an open pairing outside this one */
};

int store_circle_rows(struct db *db, long long program_id, long long group_id,
    struct circle_row **v, size_t *n, struct error *err);
void circle_rows_free(struct circle_row *v, size_t n);

/*
 * A flash session's seats as the coordinator confirmed them (`flash seat`)
 * and who came (`flash attend`): one row per mentee and round.
 */
struct flash_seat {
	int round;                        /* 1-based */
	long long mentee_enrollment_id;
	long long mentor_enrollment_id;
	int table;
	int score;                        /* centi-points */
	int attended;                     /* -1 not recorded, 0 absent, 1 came */
};

/* The stored seats by round, table, mentee.  A malloc'd array. */
int store_flash_seats(struct db *db, long long program_id,
    struct flash_seat **v, size_t *n, struct error *err);
/*
 * Replace the programme's seats with v[n] (an audit row): the seats of an
 * earlier seating and their attendance go.
 */
int store_flash_seats_put(struct db *db, long long program_id,
    const struct flash_seat *v, size_t n, struct error *err);
/*
 * Record that mentee enrollment_id came (attended 1) or did not (0), in
 * round `round` or every round of theirs (0): *changed says how many seats
 * changed (0 when none is stored).
 */
int store_flash_attend(struct db *db, long long program_id,
    long long enrollment_id, int round, int attended, size_t *changed,
    struct error *err);

/* What a report counts of a flash session: mentees seated, and who came. */
struct flash_counts {
	long long seated;      /* mentees with a seat */
	long long attended;    /* mentees who came to at least one round */
	long long absent;      /* mentees recorded absent from every round of theirs */
	long long unrecorded;  /* mentees with a seat and nothing recorded */
};

int store_flash_counts(struct db *db, long long program_id,
    struct flash_counts *c, struct error *err);

#endif
