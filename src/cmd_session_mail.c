/*
 * session invite|seat: the leader sessions' mail.  invite mails the
 * audience an invitation (with its .ics); seat allocates the seats
 * (ops/session.c) and mails the confirmations.  The other session
 * commands are in cmd_session.c.
 *
 * Neither is CMD_WRITES: seat commits its allocation (or rolls it back
 * with --dry-run) before any mail goes out, and each mail's claim and
 * outcome commit by themselves, as in `remind`; nothing is held open
 * while the mail program runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/session.h"
#include "io/mail.h"
#include "ops/session.h"
#include "store/db.h"
#include "util/error.h"
#include "util/strbuf.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

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
	OPT_SENDMAIL(struct mail_opts, sendmail),
	OPT_SMTP(struct mail_opts, smtp),
	OPT_MAIL_TIMEOUT(struct mail_opts, timeout),
	OPT_END,
};

static const struct cmd_option seat_options[] = {
	OPT_FLAG("dry-run", struct mail_opts, dry_run,
	    "show the allocation; store nothing, send nothing"),
	OPT_FLAG("no-mail", struct mail_opts, no_mail,
	    "allocate, but mail the confirmations later (a next run)"),
	OPT_SENDMAIL(struct mail_opts, sendmail),
	OPT_SMTP(struct mail_opts, smtp),
	OPT_MAIL_TIMEOUT(struct mail_opts, timeout),
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
	bool smtp_down;           /* left: the SMTP server, not a program */
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
			run->smtp_down = mail_transport_down(&s.transport);
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
		    !run->left ? "" : run->smtp_down ? ", the connection to "
		    "the SMTP server kept failing" : ", the mail program kept "
		    "failing",
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

	if (cmd_session_id(args->pos[0], &id, err) != 0)
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

	if (cmd_session_id(args->pos[0], &id, err) != 0)
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
