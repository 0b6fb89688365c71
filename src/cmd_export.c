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
 * introductions  id, program, pairing_id, mentor_email, mentee_email,
 *              contact_email, contact_name, contact_department,
 *              contact_level, introduced_on, meet_on, meet_at,
 *              recorded_by, and with --include-notes a last column note:
 *              every introduction of format network.  contact_name is the
 *              one given to `introduce`, else the person's; department and
 *              level are the contact's in the people table now (empty for a
 *              contact outside it); meet_on and meet_at (HH:MM, the
 *              mentor's time zone) are the joint meeting's when one was
 *              planned.  Sorted by id.
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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "core/status.h"
#include "ops/ops.h"
#include "store/enrollment_store.h"
#include "store/export_store.h"
#include "store/network_store.h"
#include "store/person_store.h"
#include "store/program_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

struct export_opts {
	const char *program;       /* --program SLUG, NULL for all */
	bool include_notes;
};

static const struct cmd_option export_options[] = {
	OPT_STRING("program", "SLUG", struct export_opts, program,
	    "only what belongs to programme SLUG"),
	OPT_FLAG("include-notes", struct export_opts, include_notes,
	    "add the private free text: check-in notes, feedback comments"),
	OPT_END,
};

/* What every export needs: where, how, and what. */
struct export_run {
	struct ctx *ctx;
	enum out_format fmt;
	long long program_id;      /* 0 for all */
	bool include_notes;
};

struct export_entity {
	const char *name;
	bool has_notes;            /* --include-notes means something */
	int (*run)(const struct export_run *x, struct error *err);
};

/* Finish the export; a write error names where (a full disk, ulimit -f). */
static int
export_end(struct out *o, struct error *err)
{
	int rc = out_finish(o);

	out_free(o);
	if (rc != 0)
		return error_set(err, EX_IOERR, "cannot write the export to "
		    "standard output: %s", strerror(errno));
	return 0;
}

static struct out *
export_out(const struct export_run *x, const struct out_col *cols,
    size_t ncols)
{
	return out_new(x->ctx->out, x->fmt, cols, ncols,
	    x->ctx->bom ? OUT_BOM : 0);
}

/*
 * Where each named cell goes: at[i] is the column of the cursor's cell i.
 * Bound once by name, so that the rows then stream without a lookup or a
 * copy per cell; a name this command does not declare is a programming
 * error, as out_str() treats it.
 */
static size_t *
export_bind(const struct out *o, const char *const *names, size_t n,
    const struct out_col *cols, size_t ncols)
{
	size_t *at = xcalloc(n + 1, sizeof *at), i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < ncols && strcmp(cols[k].name, names[i]) != 0; k++)
			;
		if (k == ncols || !out_has_col(o, names[i])) {
			fprintf(stderr, "mentorctl: internal error: the export "
			    "has no column '%s'\n", names[i]);
			abort();
		}
		at[i] = k;
	}
	return at;
}


static int
export_people(const struct export_run *x, struct error *err)
{
	static const struct out_col std[PEOPLE_NFIELDS] = {
		{ "email", OUT_STR }, { "name", OUT_STR },
		{ "department", OUT_STR }, { "title", OUT_STR },
		{ "level", OUT_INT }, { "hired_on", OUT_DATE },
		{ "location", OUT_STR }, { "timezone", OUT_STR },
		{ "manager_email", OUT_STR },
	};
	struct person_filter f = { 0 };
	struct person_cursor *c = NULL;
	struct out_col *cols = NULL;
	const char *const *cells;
	struct out *o = NULL;
	char **names = NULL;
	const char **cellnames = NULL, **row = NULL;
	size_t nnames = 0, ncols, i, *at = NULL;
	int rc;

	f.program_id = x->program_id;
	if (store_person_attr_names(x->ctx->db, &f, &names, &nnames, err) != 0)
		return -1;
	ncols = PEOPLE_NFIELDS + nnames;
	cols = xcalloc(ncols, sizeof *cols);
	memcpy(cols, std, sizeof std);
	for (i = 0; i < nnames; i++) {
		cols[PEOPLE_NFIELDS + i].name = names[i];
		cols[PEOPLE_NFIELDS + i].type = OUT_STR;
	}
	/* The cursor's cells: the standard fields, then names[], by name. */
	if ((c = store_person_cursor(x->ctx->db, &f,
	    (const char *const *)names, nnames, err)) == NULL) {
		rc = -1;
		goto out;
	}
	o = export_out(x, cols, ncols);
	cellnames = xcalloc(ncols + 1, sizeof *cellnames);
	for (i = 0; i < PEOPLE_NFIELDS; i++)
		cellnames[i] = people_fields[i];
	for (i = 0; i < nnames; i++)
		cellnames[PEOPLE_NFIELDS + i] = names[i];
	at = export_bind(o, cellnames, ncols, cols, ncols);
	row = xcalloc(ncols + 1, sizeof *row);
	while ((rc = store_person_next(c, &cells, err)) == 1) {
		for (i = 0; i < ncols; i++)
			row[at[i]] = cells[i];
		out_row(o, row);
	}
	if (rc < 0)
		out_free(o);
	else
		rc = export_end(o, err);
out:
	free(cellnames);
	free(at);
	free(row);
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
load_capacities(const struct export_run *x, struct capacities **caps,
    size_t *n, struct error *err)
{
	struct ops_ctx o = { x->ctx->db, x->ctx->today, x->ctx->now,
	    x->ctx->actor };
	struct program_row *rows = NULL;
	struct program *p;
	size_t nrows = 0, i;
	long long id;
	int rc = 0;

	*caps = NULL;
	*n = 0;
	if (store_program_list(x->ctx->db, &rows, &nrows, err) != 0)
		return -1;
	*caps = xcalloc(nrows + 1, sizeof **caps);
	for (i = 0; i < nrows; i++) {
		if (x->program_id && rows[i].id != x->program_id)
			continue;
		if ((rc = ops_program_load(&o, rows[i].slug, &id, &p,
		    err)) != 0)
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

static int
export_enrollments(const struct export_run *x, struct error *err)
{
	static const struct out_col cols[] = {
		{ "program", OUT_STR }, { "email", OUT_STR }, { "name", OUT_STR },
		{ "role", OUT_STR }, { "status", OUT_STR }, { "reason", OUT_STR },
		{ "capacity", OUT_INT }, { "goal", OUT_STR },
		{ "enrolled_on", OUT_DATE }, { "eligible_on", OUT_DATE },
		{ "withdrawn_on", OUT_DATE }, { "withdraw_reason", OUT_STR },
	};
	struct enrollment_cursor *c;
	const struct enrollment_row *e;
	struct capacities *caps;
	struct out *o;
	size_t ncaps;
	int rc;

	if (load_capacities(x, &caps, &ncaps, err) != 0) {
		capacities_free(caps, ncaps);
		return -1;
	}
	if ((c = store_enrollment_cursor(x->ctx->db, x->program_id,
	    err)) == NULL) {
		capacities_free(caps, ncaps);
		return -1;
	}
	o = export_out(x, cols, NELEM(cols));
	while ((rc = store_enrollment_next(c, &e, err)) == 1) {
		out_str(o, "program", e->program);
		out_str(o, "email", e->email);
		out_str(o, "name", e->name);
		out_str(o, "role", enrollment_role_name(e->role));
		out_str(o, "status", enrollment_status_name(e->status));
		out_str(o, "reason", e->reason);
		out_int(o, "capacity", e->has_capacity ? e->capacity :
		    default_capacity(caps, ncaps, e->program, e->role));
		out_str(o, "goal", e->goal);
		out_date(o, "enrolled_on", e->enrolled_on);
		out_date(o, "eligible_on", e->eligible_on);
		out_date(o, "withdrawn_on", e->withdrawn_on);
		out_str(o, "withdraw_reason", e->withdraw_reason);
		out_end_row(o);
	}
	store_enrollment_cursor_free(c);
	capacities_free(caps, ncaps);
	if (rc < 0) {
		out_free(o);
		return -1;
	}
	return export_end(o, err);
}

/*
 * The entities read through store/export_store.h: their cells come ready
 * to write, each named as a column here.  A private column (notes,
 * comment) is last, so that the others keep their places with or without
 * it; it is a column only when --include-notes asked for it.
 */
static int
export_stream(const struct export_run *x, enum export_kind kind,
    const struct out_col *cols, size_t ncols, bool has_private,
    struct error *err)
{
	struct export_cursor *c;
	const char *const *cells, *const *names;
	const char **row;
	struct out *o;
	size_t n, i, *at;
	int rc;

	if (has_private && !x->include_notes)
		ncols--;
	if ((c = store_export_cursor(x->ctx->db, kind, x->program_id,
	    has_private && x->include_notes, err)) == NULL)
		return -1;
	n = store_export_names(c, &names);
	o = export_out(x, cols, ncols);
	at = export_bind(o, names, n, cols, ncols);
	row = xcalloc(ncols + 1, sizeof *row);
	while ((rc = store_export_next(c, &cells, err)) == 1) {
		for (i = 0; i < n; i++)
			row[at[i]] = cells[i];
		out_row(o, row);
	}
	store_export_cursor_free(c);
	free(at);
	free(row);
	if (rc < 0) {
		out_free(o);
		return -1;
	}
	return export_end(o, err);
}

static int
export_pairings(const struct export_run *x, struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "mentor_email", OUT_STR }, { "mentee_email", OUT_STR },
		{ "status", OUT_STR }, { "score", OUT_REAL },
		{ "group_id", OUT_INT }, { "slot", OUT_INT },
		{ "cycle", OUT_INT }, { "origin", OUT_STR },
		{ "proposed_on", OUT_DATE }, { "expires_on", OUT_DATE },
		{ "mentor_accepted_on", OUT_DATE },
		{ "mentee_accepted_on", OUT_DATE },
		{ "activated_on", OUT_DATE }, { "declined_on", OUT_DATE },
		{ "declined_by", OUT_STR }, { "decline_reason", OUT_STR },
		{ "ended_on", OUT_DATE }, { "end_reason", OUT_STR },
	};

	return export_stream(x, EXPORT_PAIRINGS, cols, NELEM(cols), false,
	    err);
}

static int
export_checkins(const struct export_run *x, struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "held_on", OUT_DATE },
		{ "minutes", OUT_INT }, { "rating", OUT_INT },
		{ "topic", OUT_STR }, { "recorded_by", OUT_STR },
		{ "notes", OUT_STR },
	};

	return export_stream(x, EXPORT_CHECKINS, cols, NELEM(cols), true,
	    err);
}

static int
export_feedback(const struct export_run *x, struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "email", OUT_STR },
		{ "role", OUT_STR }, { "rating", OUT_INT },
		{ "given_on", OUT_DATE }, { "comment", OUT_STR },
	};

	return export_stream(x, EXPORT_FEEDBACK, cols, NELEM(cols), true, err);
}

static int
export_reminders(const struct export_run *x, struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "kind", OUT_STR },
		{ "due_on", OUT_DATE }, { "recipient", OUT_STR },
		{ "state", OUT_STR }, { "claimed_at", OUT_STR },
		{ "sent_at", OUT_STR }, { "message_id", OUT_STR },
	};

	return export_stream(x, EXPORT_REMINDERS, cols, NELEM(cols), false,
	    err);
}

static int
export_introductions(const struct export_run *x, struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "contact_email", OUT_STR },
		{ "contact_name", OUT_STR }, { "contact_department", OUT_STR },
		{ "contact_level", OUT_INT }, { "introduced_on", OUT_DATE },
		{ "meet_on", OUT_DATE }, { "meet_at", OUT_STR },
		{ "recorded_by", OUT_STR }, { "note", OUT_STR },
	};
	const struct intro_row *r;
	struct intro_cursor *c;
	struct out *o;
	char at[16];
	int rc;

	if ((c = store_intro_cursor(x->ctx->db, x->program_id,
	    x->include_notes, err)) == NULL)
		return -1;
	o = export_out(x, cols, NELEM(cols) - (x->include_notes ? 0 : 1));
	while ((rc = store_intro_next(c, &r, err)) == 1) {
		out_int(o, "id", r->id);
		out_str(o, "program", r->program);
		out_int(o, "pairing_id", r->pairing_id);
		out_str(o, "mentor_email", r->mentor_email);
		out_str(o, "mentee_email", r->mentee_email);
		out_str(o, "contact_email", r->contact_email);
		out_str(o, "contact_name", r->contact_name);
		out_str(o, "contact_department", r->contact_department);
		if (r->has_level)
			out_int(o, "contact_level", r->contact_level);
		out_date(o, "introduced_on", r->introduced_on);
		out_date(o, "meet_on", r->meet_on);
		if (r->meet_at >= 0) {
			snprintf(at, sizeof at, "%02d:%02d", r->meet_at / 60,
			    r->meet_at % 60);
			out_str(o, "meet_at", at);
		}
		out_str(o, "recorded_by", r->recorded_by);
		if (x->include_notes)
			out_str(o, "note", r->note);
		out_end_row(o);
	}
	store_intro_cursor_free(c);
	if (rc < 0) {
		out_free(o);
		return -1;
	}
	return cmd_out_end(o, err);
}

static const struct export_entity entities[] = {
	{ "people", false, export_people },
	{ "enrollments", false, export_enrollments },
	{ "pairings", false, export_pairings },
	{ "checkins", true, export_checkins },
	{ "feedback", true, export_feedback },
	{ "reminders", false, export_reminders },
	{ "introductions", true, export_introductions },
};

#define NENTITIES (sizeof entities / sizeof entities[0])

static int
unknown_entity(const char *name, struct error *err)
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
	return error_set(err, EX_USAGE, "unknown export '%s' (expected %s)",
	    name, list);
}

static int
cmd_export_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct export_opts *opt = args->opts;
	const struct export_entity *ent = NULL;
	struct export_run x = { ctx, OUT_CSV, 0, opt->include_notes };
	size_t i;

	for (i = 0; i < NENTITIES; i++)
		if (strcmp(entities[i].name, args->pos[0]) == 0)
			ent = &entities[i];
	if (ent == NULL)
		return unknown_entity(args->pos[0], err);
	if (ctx->format != NULL && strcmp(ctx->format, "json") == 0)
		x.fmt = OUT_JSON;
	else if (ctx->format != NULL && strcmp(ctx->format, "csv") != 0)
		return error_set(err, EX_USAGE, "unknown format '%s' for "
		    "'export' (expected csv or json)", ctx->format);
	if (ctx->bom && x.fmt != OUT_CSV)
		return error_set(err, EX_USAGE, "--bom is for csv output");
	if (x.include_notes && !ent->has_notes)
		return error_set(err, EX_USAGE, "--include-notes is for the "
		    "exports that hold notes, not '%s'", ent->name);
	if (opt->program != NULL) {
		struct ops_ctx o = { ctx->db, ctx->today, ctx->now,
		    ctx->actor };
		struct program *p;

		if (ops_program_load(&o, opt->program, &x.program_id, &p,
		    err) != 0)
			return -1;
		program_free(p);
	}
	return ent->run(&x, err);
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "people|enrollments|pairings|checkins|feedback|reminders|"
	    "introductions "
	    "[--program SLUG] [--format csv|json] [--include-notes] [--bom]",
	.summary = "export data as csv (default) or json for other tools",
	.example = "mentorctl --bom export pairings --program eng-2027 "
	    "> pairings.csv",
	CMD_OPTIONS(struct export_opts, export_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_export_exec,
};
