#ifndef MENTORCTL_STORE_FEEDBACK_STORE_H
#define MENTORCTL_STORE_FEEDBACK_STORE_H

#include "util/error.h"

struct db;

/*
 * Feedback: a rating 1-5 and an optional comment from a participant, about a
 * pairing they are a partner in or about a programme they are enrolled in.
 * One per person per pairing (or per programme) per cycle: giving it again
 * in the same cycle replaces the earlier one, enforced by the unique index
 * feedback_once; a later cycle's feedback is another.  A feedback belongs
 * to the latest cycle begun by its day (for a pairing: of those it took
 * part in), so that closing feedback after a cycle's end counts for that
 * cycle; without cycles it belongs to none.
 */

struct feedback_giver {
	long long program_id;
	long long pairing_id;   /* 0: about the programme */
	long long person_id;
	long long cycle_id;     /* 0: no cycle */
	int cycle;              /* its number, 0 for none */
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

/* The cycle feedback given on `day` belongs to: g->cycle_id and g->cycle. */
int feedback_store_cycle(struct db *db, struct feedback_giver *g, int day,
    struct error *err);

/*
 * The giver's feedback of g's cycle about g's subject: *id (0: none) and
 * its day (DATE_NONE: none).
 */
int feedback_store_earlier(struct db *db, const struct feedback_giver *g,
    long long *id, int *given_on, struct error *err);

/*
 * Record the feedback, or replace the giver's earlier one of the same
 * cycle; *replaced_on is
 * the earlier one's day (DATE_NONE when there was none).  Writes an audit
 * row (who and about what, never the rating or comment).  Call inside the
 * command's transaction.
 */
int feedback_store_put(struct db *db, const struct feedback_giver *g,
    int rating, const char *comment, int given_on, long long *id,
    int *replaced_on, struct error *err);

/* One feedback as the report reads it, by cycle. */
struct feedback_row {
	int cycle;              /* the cycle's number, 0 for none */
	long long pairing_id;   /* 0: about the programme */
	int rating;
	char *comment;          /* NULL: none */
	int given_on;
};

/*
 * The programme's feedback given up to `until` (DATE_NONE: all), by cycle
 * number (none first), then day and id: what `report` groups by cycle.
 * Free with feedback_rows_free.
 */
int feedback_store_by_cycle(struct db *db, long long program_id, int until,
    struct feedback_row **v, size_t *n, struct error *err);
void feedback_rows_free(struct feedback_row *v, size_t n);

#endif
