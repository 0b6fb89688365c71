/*
 * session add|list|signup|cancel|attend: senior-leader sessions
 * (listening lunches, fireside chats).  The rules are in ops/session.c;
 * these commands read their arguments, call it and say what happened.
 * The two that send mail, invite and seat, are in cmd_session_mail.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/program.h"
#include "core/session.h"
#include "ops/session.h"
#include "store/session_store.h"
#include "util/error.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

static void
clock_text(int minutes, char buf[16])
{
	buf[0] = '\0';
	if (minutes >= 0)
		snprintf(buf, 16, "%02d:%02d", minutes / 60 % 24, minutes % 60);
}

/* ---- add ---- */

struct add_opts {
	const char *leader;
	int on;
	const char *at;
	long seats;
	long minutes;
	const char *title;
};

static const struct cmd_option add_options[] = {
	OPT_EMAIL("leader", struct add_opts, leader,
	    "the senior leader who hosts it (a person)"),
	OPT_DATE("on", struct add_opts, on, "its day"),
	OPT_STRING("at", "HH:MM", struct add_opts, at,
	    "its start, in sessions.timezone (default: all day)"),
	OPT_INT("seats", "N", struct add_opts, seats, 1, 10000, 0,
	    "seats (default: sessions.seats)"),
	OPT_INT("minutes", "N", struct add_opts, minutes, 5, 1440, 0,
	    "its length (default: sessions.minutes, else 60)"),
	OPT_TEXT("title", "TEXT", struct add_opts, title,
	    "e.g. 'Listening lunch'"),
	OPT_END,
};

static int
cmd_session_add_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "leader_email", OUT_STR }, { "leader_name", OUT_STR },
		{ "held_on", OUT_DATE }, { "starts_at", OUT_STR },
		{ "minutes", OUT_INT }, { "seats", OUT_INT },
		{ "title", OUT_STR },
	};
	const struct add_opts *opt = args->opts;
	const struct program *p = ctx->program;
	struct ops_ctx o = ops_of(ctx);
	struct ops_session_add req;
	struct out *out;
	char at[16], d[DATE_BUFSZ];
	int rc;

	(void)args;
	if (opt->leader == NULL)
		return error_set(err, EX_USAGE, "session add needs --leader "
		    "EMAIL");
	memset(&req, 0, sizeof req);
	req.leader_email = opt->leader;
	req.on = opt->on;
	req.at = -1;
	req.seats = (int)opt->seats;
	req.minutes = (int)opt->minutes;
	req.title = opt->title;
	if (opt->at != NULL && session_clock_parse(opt->at, &req.at) != 0)
		return error_set(err, EX_USAGE, "option '--at' wants a time "
		    "HH:MM (00:00 to 23:59), not '%s'", opt->at);
	if (ops_session_add(&o, ctx->program_id, p, &req, err) != 0) {
		ops_session_add_free(&req);
		return -1;
	}
	out = cmd_record_new(ctx, cols, sizeof cols / sizeof cols[0]);
	out_int(out, "id", req.id);
	out_str(out, "program", p->slug);
	out_str(out, "leader_email", req.leader);
	out_str(out, "leader_name", req.leader_name);
	out_date(out, "held_on", req.on);
	clock_text(req.at, at);
	out_str(out, "starts_at", req.at >= 0 ? at : NULL);
	out_int(out, "minutes", req.minutes_used);
	out_int(out, "seats", req.seats_used);
	out_str(out, "title", req.title);
	out_end_row(out);
	rc = cmd_out_end(out, err);
	if (rc == 0) {
		cmd_note(ctx, "added session %lld: '%s' on %s, %d seats; "
		    "'mentorctl session invite %lld' invites its audience",
		    req.id, req.leader, date_format(req.on, d), req.seats_used,
		    req.id);
		if (p->sessions.per_leader_per_year > 0)
			cmd_note(ctx, "it is %s's session %d of %d this year",
			    req.leader, req.leader_year,
			    p->sessions.per_leader_per_year);
	}
	ops_session_add_free(&req);
	return rc;
}

/* ---- list ---- */

static int
cmd_session_list_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "held_on", OUT_DATE },
		{ "starts_at", OUT_STR }, { "leader_email", OUT_STR },
		{ "leader_name", OUT_STR }, { "title", OUT_STR },
		{ "seats", OUT_INT }, { "seated", OUT_INT },
		{ "waitlisted", OUT_INT }, { "signed_up", OUT_INT },
		{ "cancelled", OUT_INT }, { "attended", OUT_INT },
		{ "seated_on", OUT_DATE },
	};
	struct session_rec *v = NULL;
	struct out *o;
	size_t n = 0, i;
	char at[16];

	(void)args;
	if (store_session_list(ctx->db, ctx->program_id, &v, &n, err) != 0)
		return -1;
	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < n; i++) {
		out_int(o, "id", v[i].id);
		out_date(o, "held_on", v[i].held_on);
		clock_text(v[i].starts_at, at);
		out_str(o, "starts_at", v[i].starts_at >= 0 ? at : NULL);
		out_str(o, "leader_email", v[i].leader_email);
		out_str(o, "leader_name", v[i].leader_name);
		out_str(o, "title", v[i].title);
		out_int(o, "seats", v[i].seats);
		out_int(o, "seated", v[i].seated);
		out_int(o, "waitlisted", v[i].waitlisted);
		out_int(o, "signed_up", v[i].signed_up);
		out_int(o, "cancelled", v[i].cancelled);
		out_int(o, "attended", v[i].attended);
		out_date(o, "seated_on", v[i].seated_on);
		out_end_row(o);
	}
	session_recs_free(v, n);
	return cmd_out_end(o, err);
}

/* ---- signup, cancel ---- */

struct signup_opts {
	bool force;
};

static const struct cmd_option signup_options[] = {
	OPT_FLAG("force", struct signup_opts, force,
	    "sign up someone outside the audience rules"),
	OPT_END,
};

static int
cmd_session_signup_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct signup_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_place r;
	long long id;

	if (cmd_session_id(args->pos[0], &id, err) != 0)
		return -1;
	if (ops_session_signup(&o, id, args->pos[1], "coordinator", opt->force,
	    &r, err) != 0) {
		ops_place_free(&r);
		return -1;
	}
	if (r.outside != NULL)
		cmd_warn("signing up '%s' outside the audience of session %lld: "
		    "%s", r.email, id, r.outside);
	switch (r.outcome) {
	case OPS_PLACE_SEATED:
		cmd_note(ctx, "'%s' has a seat in session %lld (%d of %d seats "
		    "taken); 'mentorctl session seat %lld' mails the "
		    "confirmation", r.email, id, r.session.seated + 1,
		    r.session.seats, id);
		break;
	case OPS_PLACE_WAITLISTED:
		cmd_note(ctx, "session %lld is full: '%s' is number %d on its "
		    "waiting list", id, r.email, r.rank);
		break;
	case OPS_PLACE_UNCHANGED:
		if (r.status == PLACE_WAITLISTED)
			cmd_note(ctx, "'%s' is on the waiting list of session "
			    "%lld already (number %d); nothing changed",
			    r.email, id, r.rank);
		else
			cmd_note(ctx, "'%s' has a place in session %lld already "
			    "(%s); nothing changed", r.email, id,
			    session_place_name(r.status));
		break;
	default:
		cmd_note(ctx, "signed up '%s' for session %lld (%d of %d "
		    "seats asked for); 'mentorctl session seat %lld' "
		    "allocates the seats", r.email, id, r.session.signed_up + 1,
		    r.session.seats, id);
		break;
	}
	ops_place_free(&r);
	return 0;
}

static int
cmd_session_cancel_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_place r;
	long long id;

	if (cmd_session_id(args->pos[0], &id, err) != 0)
		return -1;
	if (ops_session_cancel(&o, id, args->pos[1], &r, err) != 0) {
		ops_place_free(&r);
		return -1;
	}
	if (r.outcome == OPS_PLACE_UNCHANGED)
		cmd_note(ctx, "'%s' had cancelled their place in session %lld "
		    "already; nothing changed", r.email, id);
	else if (r.promoted != NULL)
		cmd_note(ctx, "cancelled the seat of '%s' in session %lld; "
		    "'%s' takes it from the waiting list ('mentorctl session "
		    "seat %lld' mails the confirmation)", r.email, id,
		    r.promoted, id);
	else
		cmd_note(ctx, "cancelled the place of '%s' in session %lld",
		    r.email, id);
	ops_place_free(&r);
	return 0;
}

/* ---- attend ---- */

static int
cmd_session_attend_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_attend r;
	long long id;

	if (cmd_session_id(args->pos[0], &id, err) != 0)
		return -1;
	if (ops_session_attend(&o, id, (const char *const *)args->pos + 1,
	    (size_t)args->npos - 1, &r, err) != 0) {
		ops_attend_free(&r);
		return -1;
	}
	cmd_note(ctx, "session %lld: %zu marked as attended%s%s; %d of %d "
	    "seated came", id, r.marked, r.already ? ", " : "",
	    r.already ? "some were already" : "", r.session.attended +
	    (int)r.marked, r.session.seated + (int)r.walk_ins);
	if (r.walk_ins > 0)
		cmd_note(ctx, "%zu came from the waiting list (or before the "
		    "allocation) and took a seat", r.walk_ins);
	ops_attend_free(&r);
	return 0;
}

/* ---- the entries ---- */

const struct cmd_entry cmd_session_add_entry = {
	.name = "session", .sub = "add",
	.usage = "PROGRAM --leader EMAIL --on DATE [--at HH:MM] [--seats N] "
	    "[--minutes N] [--title TEXT]",
	.summary = "plan a senior-leader session (listening lunch, fireside "
	    "chat)",
	.example = "mentorctl session add eng-2027 --leader vp@example.org "
	    "--on 2027-03-04 --at 12:30 --seats 12 --title 'Listening lunch'",
	CMD_OPTIONS(struct add_opts, add_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_session_add_exec,
};

const struct cmd_entry cmd_session_list_entry = {
	.name = "session", .sub = "list", .usage = "PROGRAM",
	.summary = "list a programme's leader sessions and their places",
	.example = "mentorctl session list eng-2027 --format csv",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_session_list_exec,
};

const struct cmd_entry cmd_session_signup_entry = {
	.name = "session", .sub = "signup", .usage = "SESSION_ID EMAIL [--force]",
	.summary = "ask for a seat in a leader session",
	.example = "mentorctl session signup 3 bo@example.org",
	CMD_OPTIONS(struct signup_opts, signup_options),
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_session_signup_exec,
};

const struct cmd_entry cmd_session_cancel_entry = {
	.name = "session", .sub = "cancel", .usage = "SESSION_ID EMAIL",
	.summary = "give up a place in a leader session (the next one waiting "
	    "takes the seat)",
	.example = "mentorctl session cancel 3 bo@example.org",
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_session_cancel_exec,
};

const struct cmd_entry cmd_session_attend_entry = {
	.name = "session", .sub = "attend", .usage = "SESSION_ID EMAIL...",
	.summary = "record who attended a leader session",
	.example = "mentorctl session attend 3 bo@example.org ana@example.org",
	.min_args = 2, .max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_session_attend_exec,
};
