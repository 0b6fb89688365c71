#ifndef MENTORCTL_STORE_FEEDBACK_STORE_H
#define MENTORCTL_STORE_FEEDBACK_STORE_H

#include "util/error.h"

struct db;

/*
 * Feedback: a rating 1-5 and an optional comment from a participant, about a
 * pairing they are a partner in or about a programme they are enrolled in.
 * One per person per pairing (or per programme): giving it again replaces
 * the earlier one, enforced by the unique index feedback_once.
 */

struct feedback_giver {
	long long program_id;
	long long pairing_id;   /* 0: about the programme */
	long long person_id;
};

/*
 * Who gives feedback about pairing_id: email must be its mentor or its mentee
 * and the pairing must have turned active (there is nothing to rate in a
 * proposal).  EX_DATAERR for an unknown pairing or person, a person who is
 * not a partner, or a pairing that never turned active.
 */
int feedback_store_pairing_giver(struct db *db, long long pairing_id,
    const char *email, struct feedback_giver *g, struct error *err);
/* The same about programme program_id: email must be enrolled in it (any role, any status). */
int feedback_store_program_giver(struct db *db, long long program_id,
    const char *slug, const char *email, struct feedback_giver *g,
    struct error *err);

/*
 * Record the feedback, or replace the giver's earlier one; *replaced_on is
 * the earlier one's day (DATE_NONE when there was none).  Writes an audit
 * row (who and about what, never the rating or comment).  Call inside the
 * command's transaction.
 */
int feedback_store_put(struct db *db, const struct feedback_giver *g,
    int rating, const char *comment, int given_on, long long *id,
    int *replaced_on, struct error *err);

#endif
