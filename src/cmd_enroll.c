/*
 * enroll PROGRAM EMAIL --role R, enroll PROGRAM --csv FILE, withdraw PROGRAM
 * EMAIL: people joining and leaving a programme.  The rules are in
 * ops/enroll.c; these commands read their arguments, call it and say what
 * happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/program.h"
#include "core/status.h"
#include "io/csv.h"
#include "ops/enroll.h"
#include "util/error.h"

/* Pending people an enrollment file names one by one; the rest are counted. */
#define PENDING_SHOWN 100

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

struct enroll_opts {
	const char *role;
	long capacity;             /* 0: not given */
	const char *goal;
	const char *csv;
	const char *by;
};

static const struct cmd_option enroll_options[] = {
	OPT_STRING("role", "R", struct enroll_opts, role, "mentor or mentee"),
	OPT_INT("capacity", "N", struct enroll_opts, capacity, 1,
	    ENROLL_CAPACITY_MAX, 0,
	    "mentees this mentor takes (default: the programme's)"),
	OPT_STRING("goal", "TEXT", struct enroll_opts, goal,
	    "the person's own goal for the programme ('' clears it)"),
	OPT_STRING("csv", "FILE", struct enroll_opts, csv,
	    "enroll every row of FILE (columns email,role[,capacity,goal] "
	    "and person columns; an empty cell changes nothing, '-' clears)"),
	OPT_EMAIL("by", struct enroll_opts, by,
	    "who enrolls, for the audit (default: $USER)"),
	OPT_END,
};

static int
parse_role(const char *s, struct error *err)
{
	int role;

	if (s == NULL)
		return error_set(err, EX_USAGE, "missing option '--role' (mentor "
		    "or mentee)");
	if ((role = enrollment_role_parse(s)) < 0)
		return error_set(err, EX_USAGE, "unknown role '%s' (expected "
		    "mentor or mentee)", s);
	return role;
}

/* "eligible" or "pending (missing training x)" of one enrollment. */
static void
note_status(struct ctx *ctx, const char *what, const struct enrollment_row *e)
{
	cmd_note(ctx, "%s: %s%s%s%s", what, enrollment_status_name(e->status),
	    e->reason ? " (" : "", e->reason ? e->reason : "",
	    e->reason ? ")" : "");
}

static int
enroll_one(struct ctx *ctx, const struct enroll_opts *opt, const char *email,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_enroll req;
	const char *slug = ctx->slug, *role_name;
	char what[400], d[DATE_BUFSZ];
	int role;

	if ((role = parse_role(opt->role, err)) < 0)
		return -1;
	memset(&req, 0, sizeof req);
	req.email = email;
	req.role = (enum program_role)role;
	req.set_capacity = opt->capacity > 0;
	req.capacity = (int)opt->capacity;
	req.set_goal = opt->goal != NULL;
	req.goal = opt->goal;
	if (ops_enroll(&o, ctx->program_id, ctx->program, &req, err) != 0) {
		ops_enroll_free(&req);
		return -1;
	}
	role_name = enrollment_role_name(req.role);
	switch (req.done.action) {
	case ENROLL_CREATED:
		snprintf(what, sizeof what, "enrolled '%s' in '%s' as %s",
		    req.row.email, slug, role_name);
		break;
	case ENROLL_REACTIVATED:
		snprintf(what, sizeof what, "re-enrolled '%s' in '%s' as %s "
		    "(%s on %s)", req.row.email, slug, role_name,
		    req.done.was_completed ? "completed" : "withdrawn",
		    date_format(req.done.withdrawn_on, d));
		break;
	case ENROLL_UPDATED:
		snprintf(what, sizeof what, "updated the %s enrollment of '%s' "
		    "in '%s'", role_name, req.row.email, slug);
		break;
	case ENROLL_UNCHANGED:
		snprintf(what, sizeof what, "'%s' is enrolled already in '%s' "
		    "as %s", req.row.email, slug, role_name);
		break;
	}
	note_status(ctx, what, &req.row);
	if (req.overloaded)
		cmd_note(ctx, "warning: mentor '%s' has %d open pairings, more "
		    "than the new capacity %d: they are kept, and no new one is "
		    "proposed until fewer are open", req.row.email, req.load,
		    req.places);
	ops_enroll_free(&req);
	return 0;
}

static int
enroll_file(struct ctx *ctx, const struct enroll_opts *opt, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_enroll_file res;
	struct csv_reader *r;
	const char *slug = ctx->slug;
	char d[DATE_BUFSZ];
	size_t i;
	int rc;

	if (opt->role || opt->capacity || opt->goal)
		return error_set(err, EX_USAGE, "with --csv, role, capacity and "
		    "goal are columns of the file");
	if ((r = csv_open(opt->csv, err)) == NULL)
		return -1;
	rc = ops_enroll_csv(&o, ctx->program_id, ctx->program, r, &res, err);
	csv_close(r);
	if (rc != 0) {
		cmd_print_problems(&res.problems);
		ops_enroll_file_free(&res);
		return -1;
	}
	for (i = 0; i < res.nreenrolled; i++)
		cmd_note(ctx, "re-enrolled '%s' in '%s' as %s (%s on %s)",
		    res.reenrolled[i].email, slug,
		    enrollment_role_name(res.reenrolled[i].role),
		    res.reenrolled[i].was_completed ? "completed" : "withdrawn",
		    date_format(res.reenrolled[i].withdrawn_on, d));
	if (res.person_counts.created + res.person_counts.updated > 0)
		cmd_note(ctx, "imported %zu %s (%zu created, %zu updated, %zu "
		    "unchanged)", res.people, res.people == 1 ? "person" :
		    "people", res.person_counts.created,
		    res.person_counts.updated, res.person_counts.unchanged);
	cmd_note(ctx, "%s: %zu enrollment%s (%zu new, %zu updated, %zu "
	    "re-enrolled, %zu unchanged); %zu eligible, %zu pending", slug,
	    res.enrollments, res.enrollments == 1 ? "" : "s",
	    res.action[ENROLL_CREATED], res.action[ENROLL_UPDATED],
	    res.action[ENROLL_REACTIVATED], res.action[ENROLL_UNCHANGED],
	    res.eligible, res.pending);
	if (res.withdrawn > 0)
		cmd_note(ctx, "%zu withdrawn enrollment%s in the file left as "
		    "%s (re-enroll with 'mentorctl enroll %s EMAIL --role R')",
		    res.withdrawn, res.withdrawn == 1 ? "" : "s",
		    res.withdrawn == 1 ? "it is" : "they are", slug);
	for (i = 0; i < res.npendings && i < PENDING_SHOWN; i++)
		cmd_note(ctx, "pending: '%s' as %s (%s)", res.pendings[i].email,
		    enrollment_role_name(res.pendings[i].role),
		    res.pendings[i].reason);
	for (i = 0; i < res.noverloads && i < PENDING_SHOWN; i++)
		cmd_note(ctx, "warning: mentor '%s' has %d open pairings, more "
		    "than the new capacity %d: they are kept, and no new one is "
		    "proposed until fewer are open", res.overloads[i].email,
		    res.overloads[i].load, res.overloads[i].capacity);
	if (res.npendings > PENDING_SHOWN)
		cmd_note(ctx, "%zu more pending; see 'mentorctl people list "
		    "--program %s --status pending'",
		    res.npendings - PENDING_SHOWN, slug);
	ops_enroll_file_free(&res);
	return 0;
}

static int
cmd_enroll_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct enroll_opts *opt = args->opts;

	if (opt->csv ? args->npos != 1 : args->npos != 2)
		return error_set(err, EX_USAGE, "usage: mentorctl enroll PROGRAM "
		    "EMAIL --role mentor|mentee [--capacity N] [--goal TEXT] | "
		    "enroll PROGRAM --csv FILE");
	return opt->csv ? enroll_file(ctx, opt, err) :
	    enroll_one(ctx, opt, args->pos[1], err);
}

/* ---- withdraw ---- */

struct withdraw_opts {
	const char *role;
	const char *reason;
	const char *by;
};

static const struct cmd_option withdraw_options[] = {
	OPT_STRING("role", "R", struct withdraw_opts, role,
	    "which enrollment, when the person is mentor and mentee"),
	OPT_TEXT("reason", "TEXT", struct withdraw_opts, reason,
	    "why, kept with the enrollment"),
	OPT_EMAIL("by", struct withdraw_opts, by,
	    "who withdraws, for the audit (default: $USER)"),
	OPT_END,
};

static int
cmd_withdraw_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct withdraw_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_withdraw req;
	const struct enrollment_row *e = &req.row;
	char d[DATE_BUFSZ], more[160];

	memset(&req, 0, sizeof req);
	req.email = args->pos[1];
	req.role = -1;
	req.reason = opt->reason;
	if (opt->role && (req.role = parse_role(opt->role, err)) < 0)
		return -1;
	if (ops_withdraw(&o, ctx->program_id, ctx->slug, &req, err) != 0) {
		ops_withdraw_free(&req);
		return -1;
	}
	if (req.already) {
		cmd_note(ctx, "'%s' was withdrawn already from '%s' as %s on %s",
		    e->email, e->program, enrollment_role_name(e->role),
		    date_format(e->withdrawn_on, d));
		ops_withdraw_free(&req);
		return 0;
	}
	more[0] = '\0';
	if (req.counts.declined)
		snprintf(more, sizeof more, "; %zu proposed pairing%s declined",
		    req.counts.declined, req.counts.declined == 1 ? "" : "s");
	if (req.counts.ended)
		snprintf(more + strlen(more), sizeof more - strlen(more),
		    "; %zu active pairing%s ended", req.counts.ended,
		    req.counts.ended == 1 ? "" : "s");
	cmd_note(ctx, "withdrew '%s' from '%s' as %s%s", e->email, e->program,
	    enrollment_role_name(e->role), more);
	/* a circle is not dissolved with its mentor: its id is theirs */
	if (ctx->program->format == FORMAT_GROUP && e->role == ROLE_MENTOR &&
	    req.counts.ended + req.counts.declined > 0)
		cmd_note(ctx, "circle %lld has no mentor now: give it a new one "
		    "with 'mentorctl pair %s MENTOR_EMAIL --group %lld'", e->id,
		    ctx->slug, e->id);
	ops_withdraw_free(&req);
	return 0;
}

const struct cmd_entry cmd_enroll_entry = {
	.name = "enroll",
	.usage = "PROGRAM EMAIL --role mentor|mentee [--capacity N] "
	    "[--goal TEXT] | PROGRAM --csv FILE",
	.summary = "enroll people in a programme and qualify them",
	.example = "mentorctl enroll eng-2027 ana@example.org --role mentor "
	    "--capacity 2",
	CMD_OPTIONS(struct enroll_opts, enroll_options),
	.min_args = 1, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_BY_ACTOR,
	.exec = cmd_enroll_exec,
};

const struct cmd_entry cmd_withdraw_entry = {
	.name = "withdraw",
	.usage = "PROGRAM EMAIL [--role R] [--reason TEXT]",
	.summary = "withdraw an enrollment; its open pairings end",
	.example = "mentorctl withdraw eng-2027 bo@example.org --reason "
	    "'left the company'",
	CMD_OPTIONS(struct withdraw_opts, withdraw_options),
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_BY_ACTOR,
	.exec = cmd_withdraw_exec,
};
