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

#endif
