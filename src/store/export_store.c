/*
 * The export cursors.  Every statement walks its main table in rowid (id)
 * order and reaches the rest by primary key: CROSS JOIN pins that table as
 * the outer loop, so SQLite never chooses another and sorts the result in a
 * temporary b-tree, which would hold the whole export before the first row.
 * The text SQLite converts each column to is handed out as it is, so a row
 * costs no allocation.
 */
#include "store/export_store.h"

#include <stdlib.h>

#include "db_int.h"
#include "util/xmalloc.h"

/* The two people of a pairing p, by e-mail. */
/*
 * Every column is named as the export's header names it: the command
 * writes each cell by that name (store_export_names()).
 */
#define PARTNERS_SQL \
	" JOIN enrollment me ON me.id = p.mentor_enrollment_id" \
	" JOIN person mp ON mp.id = me.person_id" \
	" JOIN enrollment te ON te.id = p.mentee_enrollment_id" \
	" JOIN person tp ON tp.id = te.person_id"

#define PAIRINGS_SQL \
	"SELECT p.id AS id, pr.slug AS program, mp.email AS mentor_email," \
	" tp.email AS mentee_email, p.status AS status," \
	" printf('%.2f', p.score) AS score, p.group_id AS group_id," \
	" p.slot AS slot, cy.number AS cycle, p.origin AS origin," \
	" p.proposed_on AS proposed_on, p.expires_on AS expires_on," \
	" p.mentor_accepted_on AS mentor_accepted_on," \
	" p.mentee_accepted_on AS mentee_accepted_on," \
	" p.activated_on AS activated_on, p.declined_on AS declined_on," \
	" p.declined_by AS declined_by, p.decline_reason AS decline_reason," \
	" p.ended_on AS ended_on, p.end_reason AS end_reason" \
	" FROM pairing p CROSS JOIN program pr ON pr.id = p.program_id" \
	PARTNERS_SQL \
	" LEFT JOIN cycle cy ON cy.id = p.cycle_id" \
	" WHERE ?1 = 0 OR p.program_id = ?1 ORDER BY p.id"

#define CHECKINS_SQL(notes) \
	"SELECT k.id AS id, pr.slug AS program, k.pairing_id AS pairing_id," \
	" mp.email AS mentor_email, tp.email AS mentee_email," \
	" k.held_on AS held_on, k.minutes AS minutes, k.rating AS rating," \
	" k.topic AS topic, k.recorded_by AS recorded_by" notes \
	" FROM checkin k CROSS JOIN pairing p ON p.id = k.pairing_id" \
	" JOIN program pr ON pr.id = p.program_id" \
	PARTNERS_SQL \
	" WHERE ?1 = 0 OR p.program_id = ?1 ORDER BY k.id"

/* The giver's role is reckoned as report_store.c reckons it. */
#define FEEDBACK_SQL(comment) \
	"SELECT f.id AS id, pr.slug AS program, f.pairing_id AS pairing_id," \
	" pe.email AS email," \
	" CASE WHEN f.pairing_id IS NULL THEN" \
	"  (SELECT e.role FROM enrollment e WHERE e.program_id = f.program_id" \
	"   AND e.person_id = f.person_id ORDER BY e.role = 'mentee' DESC" \
	"   LIMIT 1)" \
	" WHEN me.person_id = f.person_id THEN 'mentor' ELSE 'mentee' END" \
	" AS role, f.rating AS rating, f.given_on AS given_on" comment \
	" FROM feedback f CROSS JOIN program pr ON pr.id = f.program_id" \
	" JOIN person pe ON pe.id = f.person_id" \
	" LEFT JOIN pairing p ON p.id = f.pairing_id" \
	" LEFT JOIN enrollment me ON me.id = p.mentor_enrollment_id" \
	" WHERE ?1 = 0 OR f.program_id = ?1 ORDER BY f.id"

#define REMINDERS_SQL \
	"SELECT r.id AS id, pr.slug AS program, r.pairing_id AS pairing_id," \
	" r.kind AS kind, r.due_on AS due_on, r.recipient AS recipient," \
	" r.state AS state, r.claimed_at AS claimed_at, r.sent_at AS sent_at," \
	" r.message_id AS message_id" \
	" FROM reminder r CROSS JOIN program pr ON pr.id = r.program_id" \
	" WHERE ?1 = 0 OR r.program_id = ?1 ORDER BY r.id"

struct export_cursor {
	struct db *db;
	sqlite3_stmt *st;
	int ncols;
	const char **cells;
	const char **names;
};

static const char *
export_sql(enum export_kind kind, bool with_private)
{
	switch (kind) {
	case EXPORT_PAIRINGS:
		return with_private ? NULL : PAIRINGS_SQL;
	case EXPORT_CHECKINS:
		return with_private ? CHECKINS_SQL(", k.notes AS notes") :
		    CHECKINS_SQL("");
	case EXPORT_FEEDBACK:
		return with_private ? FEEDBACK_SQL(", f.comment AS comment") :
		    FEEDBACK_SQL("");
	case EXPORT_REMINDERS:
		return with_private ? NULL : REMINDERS_SQL;
	}
	return NULL;
}

struct export_cursor *
store_export_cursor(struct db *db, enum export_kind kind, long long program_id,
    bool with_private, struct error *err)
{
	struct export_cursor *c;
	const char *sql;
	int i;

	if ((sql = export_sql(kind, with_private)) == NULL) {
		error_set(err, EX_SOFTWARE, "this export has no private column");
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->db = db;
	if ((c->st = db_prepare(db, sql, err)) == NULL) {
		free(c);
		return NULL;
	}
	db_bind_int(c->st, 1, program_id);
	c->ncols = sqlite3_column_count(c->st);
	c->cells = xcalloc((size_t)c->ncols + 1, sizeof *c->cells);
	c->names = xcalloc((size_t)c->ncols + 1, sizeof *c->names);
	for (i = 0; i < c->ncols; i++)
		c->names[i] = sqlite3_column_name(c->st, i);
	return c;
}

size_t
store_export_names(const struct export_cursor *c, const char *const **names)
{
	*names = c->names;
	return (size_t)c->ncols;
}

int
store_export_next(struct export_cursor *c, const char *const **cells,
    struct error *err)
{
	int i, rc;

	if ((rc = db_step_row(c->db, c->st, err)) <= 0)
		return rc;
	for (i = 0; i < c->ncols; i++)
		c->cells[i] = (const char *)sqlite3_column_text(c->st, i);
	*cells = c->cells;
	return 1;
}

void
store_export_cursor_free(struct export_cursor *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c->cells);
	free(c->names);
	free(c);
}
