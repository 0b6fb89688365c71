/*
 * export ENTITY [--program SLUG] [--format csv|json] [--include-notes]
 * [--bom]: data for spreadsheets, BI tools and HR systems.  Rows stream
 * (constant memory in csv and json: one SQL cursor, each row written as it
 * is stepped).  The columns are a contract for scripts: their names and
 * order never change, new ones only follow them.  Format csv unless
 * --format json; table is refused (exit 64).  --program SLUG keeps what
 * belongs to that programme (unknown: exit 65); without it, all of them.
 *
 * people       email, name, department, title, level, hired_on, location,
 *              timezone, manager_email, then one column per free attribute
 *              name (skills, interests, ... as the import normalised the
 *              header: lower case, '_' for spaces and hyphens), sorted, the
 *              union over the exported people; an attribute a person lacks
 *              is empty (csv) or null (json).  Multi-valued attributes keep
 *              their ';'-separated form.  Sorted by email.  --program SLUG:
 *              the people enrolled in it (any role, any status).
 *
 * enrollments  program, email, name, role, status, reason, capacity, goal,
 *              enrolled_on, eligible_on, withdrawn_on, withdraw_reason.
 *              role is mentor or mentee; status pending, eligible, active
 *              or withdrawn; reason says why a pending enrollment is not
 *              eligible yet ("missing training mentor-basics; tenure 1.4 <
 *              3 years"); capacity is the mentees a mentor takes (the
 *              programme's default unless set at enrollment; 1 for
 *              mentees); eligible_on is the day it first became eligible.
 *              Sorted by program, email, role (mentor first).
 *              --program SLUG: that programme only.
 *
 * pairings     id, program, mentor_email, mentee_email, status, score,
 *              group_id, slot, cycle, origin, proposed_on, expires_on,
 *              mentor_accepted_on, mentee_accepted_on, activated_on,
 *              declined_on, declined_by, decline_reason, ended_on,
 *              end_reason.  id is the pairing id every command takes;
 *              status proposed, active, declined, expired or ended; score
 *              with two decimals as `pairings` prints it; group_id ties the
 *              mentees of one group-format mentor together and slot numbers
 *              the flash round or rotation period (both empty otherwise);
 *              cycle is the number of the cycle it is in; origin match,
 *              manual or suggest; expires_on is when an unanswered proposal
 *              lapses.  Sorted by id.
 *
 * checkins     id, program, pairing_id, mentor_email, mentee_email,
 *              held_on, minutes, rating, topic, recorded_by, and with
 *              --include-notes a last column notes.  Without the flag the
 *              notes column is absent, not empty: notes are private (the
 *              spec: they never leave the database unless asked), and an
 *              absent column cannot be mistaken for "nobody wrote any".
 *              minutes and rating are empty when not recorded; topic is the
 *              one given, else the programme's prompt for that meeting.
 *              Sorted by id.
 *
 * feedback     id, program, pairing_id, email, role, rating, given_on, and
 *              with --include-notes a last column comment.  pairing_id is
 *              empty for feedback about the programme; role is the giver's
 *              side of the pairing (about the programme: their enrollment,
 *              mentee when they are both).  Sorted by id.  Reports hide
 *              feedback of fewer than three people; an export is the
 *              coordinator's own copy of the data (who could read the
 *              database anyway), so it gives every response with its giver,
 *              unaggregated, for their own analysis.  The comment is free
 *              text written in confidence, like a check-in note: it leaves
 *              only with --include-notes, so that a routine export feeding
 *              a BI tool or HR system does not carry it along.
 *
 * reminders    id, program, pairing_id, kind, due_on, recipient, state,
 *              claimed_at, sent_at, message_id: every reminder `remind` has
 *              sent or claimed.  pairing_id is empty for a reminder about
 *              no pairing; kind as `remind` names it; state sent, or
 *              claimed when the mail was not confirmed sent (remind retries
 *              it); claimed_at and sent_at are UTC timestamps.  Sorted by
 *              id.
 *
 * --include-notes is refused (exit 64) for the exports that hold no
 * private text: people, enrollments, pairings, reminders.
 *
 * Dates are YYYY-MM-DD, timestamps YYYY-MM-DDTHH:MM:SSZ (UTC).  Every text
 * column is OUT_STR, so in csv each text cell that begins with = + - @ TAB
 * or CR is prefixed with ' against formula injection (json carries the text
 * as it is: it is not run); numbers are OUT_INT/OUT_REAL, csv digits and
 * json numbers.  Empty cells are empty in csv and null in json.  --bom
 * writes a UTF-8 byte-order mark first for Excel (csv only, else exit 64).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "store/enrollment_store.h"
#include "store/export_store.h"
#include "store/person_store.h"
#include "store/program_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

struct export_opts {
	enum out_format fmt;
	unsigned flags;            /* OUT_BOM */
	const char *program;       /* --program, NULL for all */
	long long program_id;      /* its id, 0 for all */
	bool include_notes;
};

struct export_entity {
	const char *name;
	bool has_notes;            /* --include-notes means something */
	int (*run)(struct ctx *ctx, const struct export_opts *o);
};

static int
export_people(struct ctx *ctx, const struct export_opts *eo)
{
	static const struct out_col std[PEOPLE_NFIELDS] = {
		{ "email", OUT_STR }, { "name", OUT_STR },
		{ "department", OUT_STR }, { "title", OUT_STR },
		{ "level", OUT_INT }, { "hired_on", OUT_STR },
		{ "location", OUT_STR }, { "timezone", OUT_STR },
		{ "manager_email", OUT_STR },
	};
	struct error err = ERROR_INIT;
	struct person_filter f = { 0 };
	struct person_cursor *c = NULL;
	struct out_col *cols = NULL;
	const char *const *cells;
	struct out *o = NULL;
	char **names = NULL;
	size_t nnames = 0, i;
	int rc;

	f.program_id = eo->program_id;
	if (store_person_attr_names(ctx->db, &f, &names, &nnames, &err) != 0)
		return cmd_fail(&err);
	cols = xcalloc(PEOPLE_NFIELDS + nnames, sizeof *cols);
	memcpy(cols, std, sizeof std);
	for (i = 0; i < nnames; i++) {
		cols[PEOPLE_NFIELDS + i].name = names[i];
		cols[PEOPLE_NFIELDS + i].type = OUT_STR;
	}
	if ((c = store_person_cursor(ctx->db, &f, (const char *const *)names,
	    nnames, &err)) == NULL) {
		rc = cmd_fail(&err);
		goto out;
	}
	o = out_new(stdout, eo->fmt, cols, PEOPLE_NFIELDS + nnames, eo->flags);
	while ((rc = store_person_next(c, &cells, &err)) == 1)
		out_row(o, cells);
	if (rc < 0) {
		out_free(o);
		rc = cmd_fail(&err);
	} else {
		rc = cmd_out_done(o);
	}
out:
	store_person_cursor_free(c);
	free(cols);
	person_names_free(names, nnames);
	return rc;
}

/* The programmes' default capacities, for enrollments that keep them. */
struct capacities {
	char *slug;
	int mentor;
	int mentee;
};

static int
load_capacities(struct ctx *ctx, const struct export_opts *eo,
    struct capacities **caps, size_t *n)
{
	struct error err = ERROR_INIT;
	struct program_row *rows = NULL;
	struct program *p;
	size_t nrows = 0, i;
	long long id;
	int rc = 0;

	*caps = NULL;
	*n = 0;
	if (store_program_list(ctx->db, &rows, &nrows, &err) != 0)
		return cmd_fail(&err);
	*caps = xcalloc(nrows + 1, sizeof **caps);
	for (i = 0; i < nrows; i++) {
		if (eo->program_id && rows[i].id != eo->program_id)
			continue;
		if ((rc = cmd_load_program(ctx, rows[i].slug, &id, &p)) != 0)
			break;
		(*caps)[*n].slug = xstrdup(rows[i].slug);
		(*caps)[*n].mentor = p->mentor.capacity;
		(*caps)[(*n)++].mentee = p->mentee.capacity > 0 ?
		    p->mentee.capacity : 1;
		program_free(p);
	}
	program_rows_free(rows, nrows);
	return rc;
}

static void
capacities_free(struct capacities *caps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(caps[i].slug);
	free(caps);
}

static int
default_capacity(const struct capacities *caps, size_t n, const char *slug,
    enum program_role role)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(caps[i].slug, slug) == 0)
			return role == ROLE_MENTOR ? caps[i].mentor : caps[i].mentee;
	return 1;
}

static const char *
date_cell(int day, char *buf)
{
	return day == DATE_NONE ? NULL : date_format(day, buf);
}

static int
export_enrollments(struct ctx *ctx, const struct export_opts *eo)
{
	static const struct out_col cols[] = {
		{ "program", OUT_STR }, { "email", OUT_STR }, { "name", OUT_STR },
		{ "role", OUT_STR }, { "status", OUT_STR }, { "reason", OUT_STR },
		{ "capacity", OUT_INT }, { "goal", OUT_STR },
		{ "enrolled_on", OUT_STR }, { "eligible_on", OUT_STR },
		{ "withdrawn_on", OUT_STR }, { "withdraw_reason", OUT_STR },
	};
	enum { NCOLS = sizeof cols / sizeof cols[0] };
	struct error err = ERROR_INIT;
	struct enrollment_cursor *c;
	const struct enrollment_row *e;
	struct capacities *caps;
	struct out *o;
	size_t ncaps;
	int rc;

	if ((rc = load_capacities(ctx, eo, &caps, &ncaps)) != 0) {
		capacities_free(caps, ncaps);
		return rc;
	}
	if ((c = store_enrollment_cursor(ctx->db, eo->program_id, &err)) == NULL) {
		capacities_free(caps, ncaps);
		return cmd_fail(&err);
	}
	o = out_new(stdout, eo->fmt, cols, NCOLS, eo->flags);
	while ((rc = store_enrollment_next(c, &e, &err)) == 1) {
		char cap[16], d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ];
		const char *cells[NCOLS];

		snprintf(cap, sizeof cap, "%d", e->has_capacity ? e->capacity :
		    default_capacity(caps, ncaps, e->program, e->role));
		cells[0] = e->program;
		cells[1] = e->email;
		cells[2] = e->name;
		cells[3] = enrollment_role_name(e->role);
		cells[4] = enrollment_status_name(e->status);
		cells[5] = e->reason;
		cells[6] = cap;
		cells[7] = e->goal;
		cells[8] = date_cell(e->enrolled_on, d1);
		cells[9] = date_cell(e->eligible_on, d2);
		cells[10] = date_cell(e->withdrawn_on, d3);
		cells[11] = e->withdraw_reason;
		out_row(o, cells);
	}
	store_enrollment_cursor_free(c);
	capacities_free(caps, ncaps);
	if (rc < 0) {
		out_free(o);
		return cmd_fail(&err);
	}
	return cmd_out_done(o);
}

/*
 * The entities read through store/export_store.h: their cells come ready
 * to write, in the order of these headers.  A private column (notes,
 * comment) is last, so that the others keep their places with or without
 * it; ncols counts it only when --include-notes asked for it.
 */
static int
export_stream(struct ctx *ctx, const struct export_opts *eo,
    enum export_kind kind, const struct out_col *cols, size_t ncols,
    bool has_private)
{
	struct error err = ERROR_INIT;
	struct export_cursor *c;
	const char *const *cells;
	struct out *o;
	int rc;

	if (has_private && !eo->include_notes)
		ncols--;
	if ((c = store_export_cursor(ctx->db, kind, eo->program_id,
	    has_private && eo->include_notes, &err)) == NULL)
		return cmd_fail(&err);
	o = out_new(stdout, eo->fmt, cols, ncols, eo->flags);
	while ((rc = store_export_next(c, &cells, &err)) == 1)
		out_row(o, cells);
	store_export_cursor_free(c);
	if (rc < 0) {
		out_free(o);
		return cmd_fail(&err);
	}
	return cmd_out_done(o);
}

static int
export_pairings(struct ctx *ctx, const struct export_opts *eo)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "mentor_email", OUT_STR }, { "mentee_email", OUT_STR },
		{ "status", OUT_STR }, { "score", OUT_REAL },
		{ "group_id", OUT_INT }, { "slot", OUT_INT },
		{ "cycle", OUT_INT }, { "origin", OUT_STR },
		{ "proposed_on", OUT_STR }, { "expires_on", OUT_STR },
		{ "mentor_accepted_on", OUT_STR },
		{ "mentee_accepted_on", OUT_STR },
		{ "activated_on", OUT_STR }, { "declined_on", OUT_STR },
		{ "declined_by", OUT_STR }, { "decline_reason", OUT_STR },
		{ "ended_on", OUT_STR }, { "end_reason", OUT_STR },
	};
	_Static_assert(NELEM(cols) == EXPORT_PAIRINGS_NCOLS,
	    "pairings: header and cells differ");

	return export_stream(ctx, eo, EXPORT_PAIRINGS, cols, NELEM(cols),
	    false);
}

static int
export_checkins(struct ctx *ctx, const struct export_opts *eo)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "held_on", OUT_STR },
		{ "minutes", OUT_INT }, { "rating", OUT_INT },
		{ "topic", OUT_STR }, { "recorded_by", OUT_STR },
		{ "notes", OUT_STR },
	};
	_Static_assert(NELEM(cols) == EXPORT_CHECKINS_NCOLS + 1,
	    "checkins: header and cells differ");

	return export_stream(ctx, eo, EXPORT_CHECKINS, cols, NELEM(cols),
	    true);
}

static int
export_feedback(struct ctx *ctx, const struct export_opts *eo)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "email", OUT_STR },
		{ "role", OUT_STR }, { "rating", OUT_INT },
		{ "given_on", OUT_STR }, { "comment", OUT_STR },
	};
	_Static_assert(NELEM(cols) == EXPORT_FEEDBACK_NCOLS + 1,
	    "feedback: header and cells differ");

	return export_stream(ctx, eo, EXPORT_FEEDBACK, cols, NELEM(cols),
	    true);
}

static int
export_reminders(struct ctx *ctx, const struct export_opts *eo)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "kind", OUT_STR },
		{ "due_on", OUT_STR }, { "recipient", OUT_STR },
		{ "state", OUT_STR }, { "claimed_at", OUT_STR },
		{ "sent_at", OUT_STR }, { "message_id", OUT_STR },
	};
	_Static_assert(NELEM(cols) == EXPORT_REMINDERS_NCOLS,
	    "reminders: header and cells differ");

	return export_stream(ctx, eo, EXPORT_REMINDERS, cols, NELEM(cols),
	    false);
}

static const struct export_entity entities[] = {
	{ "people", false, export_people },
	{ "enrollments", false, export_enrollments },
	{ "pairings", false, export_pairings },
	{ "checkins", true, export_checkins },
	{ "feedback", true, export_feedback },
	{ "reminders", false, export_reminders },
};

#define NENTITIES (sizeof entities / sizeof entities[0])

static int
unknown_entity(const char *name)
{
	char list[256] = "";
	size_t i, len = 0;

	for (i = 0; i < NENTITIES; i++) {
		int k = snprintf(list + len, sizeof list - len, "%s%s",
		    i == 0 ? "" : i + 1 == NENTITIES ? " or " : ", ",
		    entities[i].name);

		if (k < 0 || (size_t)k >= sizeof list - len)
			break;
		len += (size_t)k;
	}
	return cmd_error(EX_USAGE, "unknown export '%s' (expected %s)", name,
	    list);
}

static int
cmd_export_exec(struct ctx *ctx, struct cmd_args *args)
{
	static const char *const fmts[] = { "csv", "json", NULL };
	static const enum out_format map[] = { OUT_CSV, OUT_JSON };
	struct error err = ERROR_INIT;
	struct export_opts eo = { 0 };
	const struct export_entity *ent = NULL;
	struct program_row prow;
	size_t i;
	int fmt;

	for (i = 0; i < NENTITIES; i++)
		if (strcmp(entities[i].name, args->pos[0]) == 0)
			ent = &entities[i];
	if (ent == NULL)
		return unknown_entity(args->pos[0]);
	if ((fmt = cmd_format(ctx, fmts)) < 0)
		return EX_USAGE;
	eo.fmt = map[fmt];
	if (cmd_flag(args, "bom") || ctx->bom) {
		if (eo.fmt != OUT_CSV)
			return cmd_error(EX_USAGE, "--bom is for csv output");
		eo.flags |= OUT_BOM;
	}
	eo.include_notes = cmd_flag(args, "include-notes");
	if (eo.include_notes && !ent->has_notes)
		return cmd_error(EX_USAGE, "--include-notes is for the exports "
		    "that hold notes, not '%s'", ent->name);
	if ((eo.program = cmd_opt(args, "program")) != NULL) {
		if (store_program_get(ctx->db, eo.program, &prow, &err) != 0)
			return cmd_fail(&err);
		eo.program_id = prow.id;
		program_row_free(&prow);
	}
	return ent->run(ctx, &eo);
}

static const struct cmd_opt export_opts[] = {
	{ "program", true, "--program SLUG     only what belongs to programme SLUG" },
	{ "bom", false, "--bom              start csv with a UTF-8 byte-order mark (for Excel)" },
	{ "include-notes", false, "--include-notes    add the private free text: check-in notes, feedback comments" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "people|enrollments|pairings|checkins|feedback|reminders "
	    "[--program SLUG] [--format csv|json] [--include-notes] [--bom]",
	.summary = "export data as csv (default) or json for other tools",
	.opts = export_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_export_exec,
};
