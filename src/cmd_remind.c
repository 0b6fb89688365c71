/*
 * remind [--program SLUG] [--dry-run] [--sendmail CMD | --smtp HOST[:PORT]]
 * [--timeout SECONDS] [--format text|json|mbox]: the cron job.  ops/remind.h plans the mails
 * due today and delivers each exactly once; this file prints what went
 * out, each line once it is recorded.
 *
 * remind manages its own transactions (it sends mail between them), so it
 * is not CMD_WRITES: each mail's claim and record commit by themselves,
 * and nothing is held open while the mail program runs.  --dry-run only
 * reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/date.h"
#include "core/remind.h"
#include "io/mail.h"
#include "ops/mail.h"
#include "ops/remind.h"
#include "ops/rotation.h"
#include "store/db.h"
#include "util/error.h"
#include "util/strbuf.h"

enum remind_fmt {
	REMIND_FMT_TEXT,
	REMIND_FMT_JSON,
	REMIND_FMT_MBOX,
};

struct remind_opts {
	const char *program;
	bool dry_run;
	const char *sendmail;
	const char *smtp;
	long timeout;
};

static const struct cmd_option remind_options[] = {
	OPT_STRING("program", "SLUG", struct remind_opts, program,
	    "only this programme (default: all)"),
	OPT_FLAG("dry-run", struct remind_opts, dry_run,
	    "print what would be sent; send and record nothing"),
	OPT_SENDMAIL(struct remind_opts, sendmail),
	OPT_SMTP(struct remind_opts, smtp),
	OPT_MAIL_TIMEOUT(struct remind_opts, timeout),
	OPT_END,
};

static const struct out_col remind_cols[] = {
	{ "kind", OUT_STR }, { "pairing_id", OUT_INT }, { "due_on", OUT_DATE },
	{ "recipient", OUT_STR }, { "subject", OUT_STR }, { "role", OUT_STR },
	{ "message_id", OUT_STR }, { "program", OUT_STR },
	{ "circle_id", OUT_INT },
};

struct remind_run {
	struct ctx *ctx;
	struct ops_ctx o;
	struct remind_plan plan;
	enum remind_fmt fmt;
	bool dry_run;
	struct remind_sender sender;
	struct out *json;
	struct strbuf msg;        /* the current item's message */
	size_t done;              /* sent, or listed by --dry-run */
	size_t recorded;          /* due but recorded already */
	size_t failed;            /* not delivered in this run */
	size_t held;              /* to bouncing addresses */
	size_t left;              /* not tried: the mail program kept failing */
	int status;               /* exit status owed for skipped work */
};

static int
remind_format(const struct ctx *ctx, enum remind_fmt *fmt, struct error *err)
{
	static const char *const names[] = { "text", "json", "mbox" };
	size_t i;

	*fmt = REMIND_FMT_TEXT;
	if (ctx->format == NULL)
		return 0;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(ctx->format, names[i]) == 0) {
			*fmt = (enum remind_fmt)i;
			return 0;
		}
	return error_set(err, EX_USAGE, "unknown format '%s' for 'remind' "
	    "(expected text, json, mbox)", ctx->format);
}

/* One mail to the output in the chosen format; run->msg is its message. */
static void
remind_print(struct remind_run *run, const struct remind_item *it)
{
	const struct reminder *r = &it->r;
	char day[DATE_BUFSZ], about[40];
	char *subject, *mid;

	switch (run->fmt) {
	case REMIND_FMT_TEXT:
		/* What it is about: a pairing, a whole circle, the programme. */
		if (r->circle_id > 0)
			snprintf(about, sizeof about, "circle:%lld", r->circle_id);
		else if (r->pairing_id > 0)
			snprintf(about, sizeof about, "%lld", r->pairing_id);
		else
			snprintf(about, sizeof about, "-");
		fprintf(run->ctx->out, "%s %s %s %s\n",
		    remind_kind_name(r->kind), about, r->to.email,
		    date_format(r->due_on, day));
		break;
	case REMIND_FMT_JSON:
		subject = ops_remind_subject(&run->plan, it);
		mid = ops_remind_message_id(&run->plan, it);
		out_str(run->json, "kind", remind_kind_name(r->kind));
		if (r->pairing_id > 0)
			out_int(run->json, "pairing_id", r->pairing_id);
		out_date(run->json, "due_on", r->due_on);
		out_str(run->json, "recipient", r->to.email);
		out_str(run->json, "subject", subject);
		out_str(run->json, "role", remind_role_name(r->role));
		out_str(run->json, "message_id", mid);
		out_str(run->json, "program",
		    ops_remind_program(&run->plan, it)->slug);
		if (r->circle_id > 0)
			out_int(run->json, "circle_id", r->circle_id);
		out_end_row(run->json);
		free(subject);
		free(mid);
		break;
	case REMIND_FMT_MBOX: {
		struct strbuf box = STRBUF_INIT;

		mail_mbox_append(&box, run->msg.buf, run->msg.len,
		    run->ctx->now);
		fwrite(box.buf, 1, box.len, run->ctx->out);
		strbuf_release(&box);
		break;
	}
	}
}

/*
 * Compose it into run->msg.  A mail that cannot be composed (an address
 * mail_addr_valid refuses) is skipped with a warning; the run ends with
 * EX_DATAERR after doing the rest.
 */
static int
remind_compose(struct remind_run *run, const struct remind_item *it)
{
	struct error err = ERROR_INIT;

	strbuf_reset(&run->msg);
	if (ops_remind_compose(&run->o, &run->plan, it, &run->msg, &err) == 0)
		return 0;
	cmd_warn("%s; %s reminder not sent", err.msg ? err.msg : "cannot "
	    "compose the message", remind_kind_name(it->r.kind));
	error_clear(&err);
	run->status = EX_DATAERR;
	return -1;
}

/* What went wrong with one mail, for the person reading cron's mail. */
static void
remind_report(struct remind_run *run, const struct remind_item *it,
    const struct remind_result *res)
{
	const struct reminder *r = &it->r;
	const char *kind = remind_kind_name(r->kind);
	char *via = mail_transport_name(&run->sender.transport);

	switch (res->outcome) {
	case REMIND_OUT_RETRY:
		cmd_warn("%s mail to %s not delivered (attempt %d of %d): %s "
		    "%s; a later run tries again", kind, r->to.email,
		    res->attempts, DELIVERY_MAX_ATTEMPTS, via, res->reason);
		break;
	case REMIND_OUT_GAVE_UP:
		cmd_warn("%s mail to %s not delivered after %d attempts, given "
		    "up: %s %s", kind, r->to.email, res->attempts, via,
		    res->reason);
		break;
	case REMIND_OUT_BOUNCED:
		cmd_warn("%s mail to %s refused for good: %s %s; the address is "
		    "marked as bouncing and gets no more mail until "
		    "'mentorctl mail clear %s'", kind, r->to.email, via,
		    res->reason, r->to.email);
		break;
	case REMIND_OUT_UNKNOWN:
		cmd_warn("%s mail to %s: outcome unknown (%s %s); it counts as "
		    "sent ('mentorctl mail unsent' lists it, 'mentorctl mail "
		    "resend' sends it again)", kind, r->to.email, via,
		    res->reason);
		break;
	default:
		free(via);
		return;
	}
	free(via);
	run->failed++;
}

static int
remind_send_all(struct remind_run *run, struct error *err)
{
	struct remind_result res;
	size_t i;

	for (i = 0; i < run->plan.n; i++) {
		const struct remind_item *it = &run->plan.items[i];

		if (run->dry_run) {
			if (run->fmt == REMIND_FMT_MBOX &&
			    remind_compose(run, it) != 0)
				continue;
			run->done++;
			remind_print(run, it);
			continue;
		}
		if (ops_remind_breaker(&run->sender)) {
			run->left = run->plan.n - i;
			break;
		}
		if (remind_compose(run, it) != 0)
			continue;
		if (ops_remind_deliver(&run->o, &run->sender, &run->plan, it,
		    &run->msg, &res, err) != 0)
			return -1;
		switch (res.outcome) {
		case REMIND_OUT_SENT:
			run->done++;
			remind_print(run, it);
			/* A run that dies later still shows what it sent. */
			fflush(run->ctx->out);
			break;
		case REMIND_OUT_TAKEN:
			run->recorded++;
			break;
		case REMIND_OUT_HELD:
			run->held++;
			break;
		default:
			remind_report(run, it, &res);
			break;
		}
	}
	return 0;
}

static int
remind_sender_init(struct remind_sender *s, const struct remind_opts *opt,
    struct error *err)
{
	memset(s, 0, sizeof *s);
	snprintf(s->by, sizeof s->by, "%ld", (long)getpid());
	return cmd_mail_transport(opt->sendmail, opt->smtp, opt->timeout,
	    &s->transport, err);
}

/* ", 2 waiting for a retry, 1 held for a bouncing address" */
static void
remind_tally(struct strbuf *sb, const struct remind_run *run)
{
	strbuf_addf(sb, "%zu recorded already", run->recorded);
	if (run->plan.waiting > 0)
		strbuf_addf(sb, ", %zu waiting for a retry", run->plan.waiting);
	if (run->plan.nheld + run->held > 0)
		strbuf_addf(sb, ", %zu held for bouncing addresses (see "
		    "'mentorctl mail bounces')", run->plan.nheld + run->held);
	if (run->plan.paused > 0)
		strbuf_addf(sb, ", %zu paused by participants",
		    run->plan.paused);
}

/*
 * The run's last line: a note when all is well, else the error, which
 * says what was sent before.  A delivery failure (69) outranks a mail that
 * could not be composed (65): cron must hear that mail is not leaving.
 */
static void
remind_summary(struct remind_run *run, int *rc, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;

	remind_tally(&sb, run);
	if (*rc != 0) {
		if (run->done > 0)
			error_prefix(err, "sent %zu mail%s, then: ", run->done,
			    run->done == 1 ? "" : "s");
	} else if (run->dry_run) {
		cmd_note(run->ctx, "dry run: %zu mail%s would be sent, %s; "
		    "nothing was recorded", run->done, run->done == 1 ? "" :
		    "s", sb.buf);
	} else if (run->failed > 0 || run->left > 0) {
		if (run->left > 0 &&
		    mail_transport_down(&run->sender.transport))
			strbuf_addf(&sb, "; the connection to the SMTP server "
			    "failed twice in a row, so %zu more wait for the "
			    "next run", run->left);
		else if (run->left > 0)
			strbuf_addf(&sb, "; the mail program failed %d times in "
			    "a row, so %zu more wait for the next run",
			    DELIVERY_BREAKER, run->left);
		*rc = error_set(err, EX_UNAVAILABLE, "%zu mail%s not delivered "
		    "(see the warnings above); sent %zu, %s", run->failed,
		    run->failed == 1 ? "" : "s", run->done, sb.buf);
	} else if (run->status != 0) {
		*rc = error_set(err, run->status, "some mail could not be sent "
		    "(see the warnings above); sent %zu, %s", run->done,
		    sb.buf);
	} else if (run->done > 0 || run->plan.nheld + run->held > 0 ||
	    run->plan.waiting > 0) {
		cmd_note(run->ctx, "sent %zu mail%s, %s", run->done,
		    run->done == 1 ? "" : "s", sb.buf);
	}
	strbuf_release(&sb);
}

static int
remind_secret(struct ctx *ctx, const struct ops_ctx *o, struct error *err)
{
	bool made;

	if (db_begin(ctx->db, err) != 0)
		return -1;
	if (ops_mail_secret(o, &made, err) != 0) {
		db_rollback(ctx->db);
		return -1;
	}
	return db_commit(ctx->db, err);
}

static int
cmd_remind_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct remind_opts *opt = args->opts;
	struct remind_run run;
	size_t i;
	int rc;

	memset(&run, 0, sizeof run);
	if (remind_format(ctx, &run.fmt, err) != 0)
		return -1;
	run.ctx = ctx;
	run.o = (struct ops_ctx){ ctx->db, ctx->today, ctx->now, ctx->actor };
	run.dry_run = opt->dry_run;
	if (remind_sender_init(&run.sender, opt, err) != 0)
		return -1;
	/* rotation periods whose last day has passed move on first */
	if (!run.dry_run && ops_rotation_advance_all(&run.o, opt->program,
	    NULL, err) != 0) {
		ops_remind_sender_free(&run.sender);
		return -1;
	}
	strbuf_init(&run.msg);

	/* A database made before reply tokens gets its secret now. */
	if (!run.dry_run && remind_secret(ctx, &run.o, err) != 0) {
		ops_remind_sender_free(&run.sender);
		strbuf_release(&run.msg);
		return -1;
	}
	if (ops_remind_plan(&run.o, opt->program, &run.plan, err) != 0) {
		ops_remind_sender_free(&run.sender);
		ops_remind_plan_free(&run.plan);
		strbuf_release(&run.msg);
		return -1;
	}
	run.recorded = run.plan.recorded;
	for (i = 0; i < run.plan.nproblems; i++) {
		cmd_warn("%s", run.plan.problems[i].msg);
		run.status = run.plan.problems[i].code;
	}
	if (run.fmt == REMIND_FMT_JSON)
		run.json = out_new(ctx->out, OUT_JSON, remind_cols,
		    sizeof remind_cols / sizeof remind_cols[0], 0);

	rc = remind_send_all(&run, err);
	/* What was sent before a failure is shown: the JSON stays valid. */
	if (run.json != NULL && out_finish(run.json) != 0 && rc == 0)
		rc = error_set(err, EX_IOERR, "cannot write to standard output");
	out_free(run.json);
	if (fflush(ctx->out) != 0 && rc == 0)
		rc = error_set(err, EX_IOERR, "cannot write to standard output");
	remind_summary(&run, &rc, err);
	ops_remind_sender_free(&run.sender);
	ops_remind_plan_free(&run.plan);
	strbuf_release(&run.msg);
	return rc;
}

const struct cmd_entry cmd_remind_entry = {
	.name = "remind", .sub = NULL,
	.usage = "[--program SLUG] [--dry-run] [--sendmail CMD | --smtp "
	    "HOST[:PORT]] [--timeout SECONDS] [--format text|json|mbox]",
	.summary = "mail what is due today: reminders, life-cycle mails, the "
	    "coordinators' digest (for cron)",
	.example = "mentorctl remind --sendmail 'msmtp -t'",
	CMD_OPTIONS(struct remind_opts, remind_options),
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_remind_exec,
};
