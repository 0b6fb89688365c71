/*
 * session add|list|invite|signup|cancel|seat|attend: senior-leader
 * sessions (listening lunches, fireside chats).  The rules are in
 * ops/session.c; these commands read their arguments, call it and say
 * what happened.
 *
 * invite and seat send mail, so they are not CMD_WRITES: seat commits its
 * allocation (or rolls it back with --dry-run) before any mail goes out,
 * and each mail's claim and outcome commit by themselves, as in `remind`;
 * nothing is held open while the mail program runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/date.h"
#include "core/program.h"
#include "core/session.h"
#include "io/mail.h"
#include "ops/session.h"
#include "store/db.h"
#include "store/session_store.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* A session id as `session list` prints it: a positive whole number. */
static int
session_id_arg(const char *s, long long *id, struct error *err)
{
	char *end;

	errno = 0;
	*id = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || *id <= 0)
		return error_set(err, EX_USAGE, "invalid session id '%s' "
		    "(expected the number 'mentorctl session list' shows)", s);
	return 0;
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

	if (session_id_arg(args->pos[0], &id, err) != 0)
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

	if (session_id_arg(args->pos[0], &id, err) != 0)
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

	if (session_id_arg(args->pos[0], &id, err) != 0)
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

/* ---- mail: invite and seat ---- */

struct mail_opts {
	bool dry_run;
	bool no_mail;
	const char *sendmail;
	const char *smtp;
	long timeout;
};

static const struct cmd_option invite_options[] = {
	OPT_FLAG("dry-run", struct mail_opts, dry_run,
	    "list who would be invited; send and record nothing"),
	OPT_STRING("sendmail", "CMD", struct mail_opts, sendmail,
	    "mail program reading a message on stdin (default: "
	    "$MENTORCTL_SENDMAIL, else 'sendmail -t -oi')"),
	OPT_SMTP(struct mail_opts, smtp),
	OPT_INT("timeout", "SECONDS", struct mail_opts, timeout, 1, 3600,
	    MAIL_TIMEOUT_DEFAULT, "time the mail program may take per message "
	    "(default 120)"),
	OPT_END,
};

static const struct cmd_option seat_options[] = {
	OPT_FLAG("dry-run", struct mail_opts, dry_run,
	    "show the allocation; store nothing, send nothing"),
	OPT_FLAG("no-mail", struct mail_opts, no_mail,
	    "allocate, but mail the confirmations later (a next run)"),
	OPT_STRING("sendmail", "CMD", struct mail_opts, sendmail,
	    "mail program reading a message on stdin (default: "
	    "$MENTORCTL_SENDMAIL, else 'sendmail -t -oi')"),
	OPT_SMTP(struct mail_opts, smtp),
	OPT_INT("timeout", "SECONDS", struct mail_opts, timeout, 1, 3600,
	    MAIL_TIMEOUT_DEFAULT, "time the mail program may take per message "
	    "(default 120)"),
	OPT_END,
};

static int
sender_init(struct remind_sender *s, const struct mail_opts *opt,
    struct error *err)
{
	memset(s, 0, sizeof *s);
	snprintf(s->by, sizeof s->by, "%ld", (long)getpid());
	return cmd_mail_transport(opt->sendmail, opt->smtp, opt->timeout,
	    &s->transport, err);
}

static const struct out_col mail_cols[] = {
	{ "session_id", OUT_INT }, { "kind", OUT_STR },
	{ "recipient", OUT_STR }, { "name", OUT_STR },
};

struct mail_run {
	size_t sent;
	size_t failed;
	size_t left;
	size_t held;
	size_t taken;
};

static void
mail_warn(const struct ops_session_mail *plan,
    const struct session_mail_item *it, const struct remind_result *res,
    const struct mail_transport *t, struct mail_run *run)
{
	const char *kind = session_mail_kind_name(plan->kind);
	char *via = mail_transport_name(t);

	switch (res->outcome) {
	case REMIND_OUT_RETRY:
		cmd_warn("%s mail to %s not delivered (attempt %d of %d): %s %s; "
		    "a later run tries again", kind, it->email, res->attempts,
		    DELIVERY_MAX_ATTEMPTS, via, res->reason);
		break;
	case REMIND_OUT_GAVE_UP:
		cmd_warn("%s mail to %s not delivered after %d attempts, given "
		    "up: %s %s", kind, it->email, res->attempts, via,
		    res->reason);
		break;
	case REMIND_OUT_BOUNCED:
		cmd_warn("%s mail to %s refused for good: %s %s; the address is "
		    "marked as bouncing", kind, it->email, via, res->reason);
		break;
	case REMIND_OUT_UNKNOWN:
		cmd_warn("%s mail to %s: outcome unknown (%s %s); it counts as "
		    "sent ('mentorctl mail resend' sends it again)", kind,
		    it->email, via, res->reason);
		break;
	default:
		free(via);
		return;
	}
	free(via);
	run->failed++;
}

/* Send (or, dry, list) the plan's mails; a row each to o unless NULL. */
static int
mail_all(struct ctx *ctx, const struct mail_opts *opt,
    struct ops_session_mail *plan, struct out *o, struct mail_run *run,
    struct error *err)
{
	struct ops_ctx oc = ops_of(ctx);
	struct strbuf msg = STRBUF_INIT;
	struct remind_sender s;
	struct remind_result res;
	struct error cerr = ERROR_INIT;
	size_t i;
	int rc = 0;

	if (sender_init(&s, opt, err) != 0) {
		ops_remind_sender_free(&s);
		return -1;
	}
	if (!opt->dry_run && plan->n > 0 &&
	    ops_session_mail_secret(&oc, plan, err) != 0) {
		ops_remind_sender_free(&s);
		return -1;
	}
	for (i = 0; i < plan->n && rc == 0; i++) {
		const struct session_mail_item *it = &plan->v[i];

		if (!opt->dry_run && ops_remind_breaker(&s)) {
			run->left = plan->n - i;
			break;
		}
		if (!opt->dry_run) {
			strbuf_reset(&msg);
			if (ops_session_mail_compose(&oc, plan, it, &msg,
			    &cerr) != 0) {
				cmd_warn("%s; not sent", cerr.msg ? cerr.msg :
				    "cannot compose the message");
				error_clear(&cerr);
				run->failed++;
				continue;
			}
			if ((rc = ops_session_mail_deliver(&oc, &s, plan, it,
			    &msg, &res, err)) != 0)
				break;
			if (res.outcome == REMIND_OUT_TAKEN) {
				run->taken++;
				continue;
			}
			if (res.outcome == REMIND_OUT_HELD) {
				run->held++;
				continue;
			}
			if (res.outcome != REMIND_OUT_SENT) {
				mail_warn(plan, it, &res, &s.transport, run);
				continue;
			}
		}
		run->sent++;
		if (o == NULL)
			continue;
		out_int(o, "session_id", plan->session.id);
		out_str(o, "kind", session_mail_kind_name(plan->kind));
		out_str(o, "recipient", it->email);
		out_str(o, "name", it->name);
		out_end_row(o);
	}
	strbuf_release(&msg);
	ops_remind_sender_free(&s);
	return rc;
}

/* The run's last words: a note, or the error when mail did not leave. */
static int
mail_summary(struct ctx *ctx, const struct mail_opts *opt,
    const struct ops_session_mail *plan, const struct mail_run *run,
    const char *what, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	strbuf_addf(&sb, "%zu sent before", plan->recorded + run->taken);
	if (plan->waiting > 0)
		strbuf_addf(&sb, ", %zu waiting for a retry", plan->waiting);
	if (plan->bouncing + run->held > 0)
		strbuf_addf(&sb, ", %zu held for bouncing addresses (see "
		    "'mentorctl mail bounces')", plan->bouncing + run->held);
	if (opt->dry_run)
		cmd_note(ctx, "dry run: %zu %s%s would be sent (%s); nothing "
		    "was recorded", run->sent, what, run->sent == 1 ? "" : "s",
		    sb.buf);
	else if (run->failed > 0 || run->left > 0)
		rc = error_set(err, EX_UNAVAILABLE, "%zu %s%s not delivered "
		    "(see the warnings above)%s; sent %zu, %s", run->failed +
		    run->left, what, run->failed + run->left == 1 ? "" : "s",
		    run->left ? ", the mail program kept failing" : "",
		    run->sent, sb.buf);
	else
		cmd_note(ctx, "session %lld: sent %zu %s%s, %s",
		    plan->session.id, run->sent, what, run->sent == 1 ? "" :
		    "s", sb.buf);
	strbuf_release(&sb);
	return rc;
}

/*
 * Plan and send the kind's mails of session id.  listing: the mails sent
 * are the command's output (invite); else only the note counts them (seat,
 * whose output is the allocation).
 */
static int
send_mails(struct ctx *ctx, const struct mail_opts *opt, long long id,
    enum session_mail_kind kind, const char *what, bool listing,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_session_mail plan;
	struct error lerr = ERROR_INIT;
	struct mail_run run;
	struct out *out;
	int rc;

	memset(&run, 0, sizeof run);
	if (ops_session_mail_plan(&o, id, kind, &plan, err) != 0) {
		ops_session_mail_free(&plan);
		return -1;
	}
	out = listing ? cmd_out_new(ctx, mail_cols, sizeof mail_cols /
	    sizeof mail_cols[0]) : NULL;
	rc = mail_all(ctx, opt, &plan, out, &run, err);
	/* what went out is shown even when the run stopped on an error */
	if (out != NULL && rc == 0)
		rc = cmd_out_end(out, err);
	else if (out != NULL)
		(void)cmd_out_end(out, &lerr);
	error_clear(&lerr);
	if (rc == 0)
		rc = mail_summary(ctx, opt, &plan, &run, what, err);
	ops_session_mail_free(&plan);
	return rc;
}

static int
cmd_session_invite_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	long long id;

	if (session_id_arg(args->pos[0], &id, err) != 0)
		return -1;
	return send_mails(ctx, args->opts, id, SESSION_MAIL_INVITE,
	    "invitation", true, err);
}

static int
seat_print(struct ctx *ctx, const struct ops_seating *r, struct error *err)
{
	static const struct out_col cols[] = {
		{ "email", OUT_STR }, { "name", OUT_STR },
		{ "status", OUT_STR }, { "rank", OUT_INT },
		{ "attended_before", OUT_INT }, { "draw", OUT_STR },
		{ "changed", OUT_BOOL },
	};
	struct out *o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	char draw[24];
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct ops_seat_row *row = &r->v[i];

		out_str(o, "email", row->email);
		out_str(o, "name", row->name);
		out_str(o, "status", session_place_name(row->status));
		if (row->status == PLACE_WAITLISTED)
			out_int(o, "rank", row->rank);
		if (row->attended_before >= 0) {
			out_int(o, "attended_before", row->attended_before);
			snprintf(draw, sizeof draw, "%016llx",
			    (unsigned long long)row->lottery);
			out_str(o, "draw", draw);
		}
		out_bool(o, "changed", row->changed);
		out_end_row(o);
	}
	return cmd_out_end(o, err);
}

static int
cmd_session_seat_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct mail_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_seating r;
	long long id;
	int rc;

	if (session_id_arg(args->pos[0], &id, err) != 0)
		return -1;
	if (opt->dry_run && opt->no_mail)
		return error_set(err, EX_USAGE, "--dry-run sends nothing "
		    "already; --no-mail is for a real allocation");
	if (db_begin(ctx->db, err) != 0)
		return -1;
	if (ops_session_seat(&o, id, &r, err) != 0) {
		db_rollback(ctx->db);
		ops_seating_free(&r);
		return -1;
	}
	if (opt->dry_run)
		db_rollback(ctx->db);
	else if (db_commit(ctx->db, err) != 0) {
		ops_seating_free(&r);
		return -1;
	}
	/* after the commit: what the allocation did */
	rc = seat_print(ctx, &r, err);
	if (rc == 0)
		cmd_note(ctx, "%ssession %lld: %zu seated and %zu wait-listed "
		    "by this run; %d seats", opt->dry_run ? "dry run: " : "",
		    id, r.seated, r.waitlisted, r.session.seats);
	ops_seating_free(&r);
	if (rc != 0 || opt->dry_run || opt->no_mail)
		return rc;
	fflush(ctx->out);
	return send_mails(ctx, opt, id, SESSION_MAIL_SEAT,
	    "seat confirmation", false, err);
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

const struct cmd_entry cmd_session_invite_entry = {
	.name = "session", .sub = "invite",
	.usage = "SESSION_ID [--dry-run] [--sendmail CMD | --smtp HOST[:PORT]] "
	    "[--timeout SECONDS]",
	.summary = "mail the audience an invitation with a calendar (.ics), "
	    "each once",
	.example = "mentorctl session invite 3 --sendmail 'msmtp -t'",
	CMD_OPTIONS(struct mail_opts, invite_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_session_invite_exec,
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

const struct cmd_entry cmd_session_seat_entry = {
	.name = "session", .sub = "seat",
	.usage = "SESSION_ID [--dry-run] [--no-mail] [--sendmail CMD | --smtp "
	    "HOST[:PORT]] [--timeout SECONDS]",
	.summary = "allocate the seats (fewest sessions first, then a seeded "
	    "lottery) and mail the confirmations",
	.example = "mentorctl session seat 3",
	CMD_OPTIONS(struct mail_opts, seat_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_session_seat_exec,
};

const struct cmd_entry cmd_session_attend_entry = {
	.name = "session", .sub = "attend", .usage = "SESSION_ID EMAIL...",
	.summary = "record who attended a leader session",
	.example = "mentorctl session attend 3 bo@example.org ana@example.org",
	.min_args = 2, .max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_session_attend_exec,
};
