#ifndef MENTORCTL_STORE_EXPORT_STORE_H
#define MENTORCTL_STORE_EXPORT_STORE_H

#include <stdbool.h>

#include "util/error.h"

struct db;

/*
 * Streaming reads for `export pairings|checkins|feedback|reminders`.  Each
 * cursor is one SQL statement stepped row by row, never a loaded array, so
 * that a million check-ins leave the database in constant memory.
 *
 * A row is an array of text cells in the order below, NULL for SQL NULL,
 * each named by store_export_names() as the export's header names it.  Cells are already in their
 * exported form: dates YYYY-MM-DD, timestamps YYYY-MM-DDTHH:MM:SSZ, the
 * score with two decimals, numbers in decimal.  Rows come in id order.
 *
 * with_private adds the one column of free text written in confidence as
 * the last cell (check-in notes, feedback comments); without it that text
 * is not even read.  Pairings and reminders have none: with_private must
 * be false for them.
 */

enum export_kind {
	/*
	 * id, program, mentor_email, mentee_email, status, score, group_id,
	 * slot, cycle (its number), origin, proposed_on, expires_on,
	 * mentor_accepted_on, mentee_accepted_on, activated_on, declined_on,
	 * declined_by, decline_reason, ended_on, end_reason
	 */
	EXPORT_PAIRINGS,
	/*
	 * id, program, pairing_id, mentor_email, mentee_email, held_on,
	 * minutes, rating, topic, recorded_by [, notes]
	 */
	EXPORT_CHECKINS,
	/*
	 * id, program, pairing_id (NULL: about the programme), email, role
	 * (the giver's side of the pairing; about the programme their
	 * enrollment, mentee when both, as the report counts it), rating,
	 * given_on [, comment]
	 */
	EXPORT_FEEDBACK,
	/*
	 * id, program, pairing_id, kind, due_on, recipient, state, claimed_at,
	 * sent_at, message_id
	 */
	EXPORT_REMINDERS,
};

struct export_cursor;

/* program_id 0: every programme. */
struct export_cursor *store_export_cursor(struct db *db, enum export_kind kind,
    long long program_id, bool with_private, struct error *err);
/*
 * The names of the cells (the export's column names, in the order of the
 * cells), valid while the cursor lives; returns how many.
 */
size_t store_export_names(const struct export_cursor *c,
    const char *const **names);
/* 1 with *cells (valid until the next call), 0 at the end, -1 on error. */
int store_export_next(struct export_cursor *c, const char *const **cells,
    struct error *err);
void store_export_cursor_free(struct export_cursor *c);

#endif
