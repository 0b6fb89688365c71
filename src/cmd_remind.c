/*
 * remind [--program SLUG] [--dry-run] [--sendmail CMD]
 * [--format text|json|mbox]: the cron job.  For every programme (or one),
 * the reminders due today (core/remind.h), less those recorded already,
 * each delivered exactly once:
 *
 *   claim it in the reminder table (own short transaction, committed),
 *   pipe the message to the mail program (io/mail.h, posix_spawn),
 *   mark it sent (second short transaction).
 *
 * No transaction is open while the mail program runs, so a slow MTA
 * blocks no other mentorctl; the UNIQUE key and BEGIN IMMEDIATE make one
 * of two concurrent runs claim each reminder.  The first failed delivery
 * releases its claim and stops the run (the MTA is likely down): exit 69,
 * what went out before stays recorded, the next run retries the rest.
 * --dry-run only reads: it opens no write transaction at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "core/date.h"
#include "core/program.h"
#include "core/remind.h"
#include "io/mail.h"
#include "store/checkin_store.h"
#include "store/reminder_store.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

enum remind_fmt {
	REMIND_FMT_TEXT,
	REMIND_FMT_JSON,
	REMIND_FMT_MBOX,
};

struct remind_run {
	struct ctx *ctx;
	bool dry_run;
	enum remind_fmt fmt;
	const char *sendmail;
	char by[32];              /* claimed_by: this process */
	struct out *json;
	struct strbuf msg;
	size_t done;              /* sent, or listed by --dry-run */
	size_t recorded;          /* due but recorded already */
	int status;               /* exit status owed for skipped work */
};

static const struct out_col remind_cols[] = {
	{ "kind", OUT_STR }, { "pairing_id", OUT_INT }, { "due_on", OUT_STR },
	{ "recipient", OUT_STR }, { "subject", OUT_STR }, { "role", OUT_STR },
	{ "message_id", OUT_STR },
};

/* One reminder to stdout in the chosen format; msg is its message (mbox). */
static void
remind_print(struct remind_run *run, const struct program *p,
    const struct reminder *r, const struct strbuf *msg)
{
	char day[DATE_BUFSZ], id[24];
	char *subject, *mid;
	const char *cells[7];

	date_format(r->due_on, day);
	switch (run->fmt) {
	case REMIND_FMT_TEXT:
		printf("%s %lld %s %s\n", remind_kind_name(r->kind),
		    r->pairing_id, r->to.email, day);
		break;
	case REMIND_FMT_JSON:
		subject = mail_reminder_subject(p, r);
		mid = mail_reminder_id(p, r);
		snprintf(id, sizeof id, "%lld", r->pairing_id);
		cells[0] = remind_kind_name(r->kind);
		cells[1] = id;
		cells[2] = day;
		cells[3] = r->to.email;
		cells[4] = subject;
		cells[5] = remind_role_name(r->role);
		cells[6] = mid;
		out_row(run->json, cells);
		free(subject);
		free(mid);
		break;
	case REMIND_FMT_MBOX: {
		struct strbuf box = STRBUF_INIT;

		mail_mbox_append(&box, msg->buf, msg->len, run->ctx->now);
		fwrite(box.buf, 1, box.len, stdout);
		strbuf_release(&box);
		break;
	}
	}
}

/*
 * Compose r's message into run->msg.  A reminder that cannot be composed
 * (an address mail_addr_valid refuses) is skipped with a warning and the
 * run ends with EX_DATAERR after doing the rest.
 */
static int
remind_compose(struct remind_run *run, const struct program *p,
    const struct reminder *r)
{
	struct error err = ERROR_INIT;

	strbuf_reset(&run->msg);
	if (mail_reminder(p, r, run->ctx->now, &run->msg, &err) == 0)
		return 0;
	cmd_warn("%s; %s reminder not sent", err.msg ? err.msg : "cannot "
	    "compose the message", remind_kind_name(r->kind));
	error_clear(&err);
	run->status = EX_DATAERR;
	return -1;
}

/* Claim, send, record.  0, or the exit status after an error line. */
static int
remind_deliver(struct remind_run *run, long long pid, const struct program *p,
    const struct reminder *r)
{
	struct error err = ERROR_INIT;
	char *mid;
	int rc;

	if (remind_compose(run, p, r) != 0)
		return 0;
	/* The clock, not the start of the run: a long run's claims stay fresh. */
	rc = store_reminder_claim(run->ctx->db, pid, r, time(NULL), run->by,
	    &err);
	if (rc < 0)
		return cmd_fail(&err);
	if (rc == 0) {
		/* Another run got there first. */
		run->recorded++;
		return 0;
	}
	if (mail_send(run->sendmail, run->msg.buf, run->msg.len, &err) != 0) {
		struct error rel = ERROR_INIT;

		/* Give it back so that the next run retries it. */
		if (store_reminder_release(run->ctx->db, pid, r, run->by,
		    &rel) != 0)
			error_clear(&rel);
		return cmd_fail(&err);
	}
	mid = mail_reminder_id(p, r);
	rc = store_reminder_sent(run->ctx->db, pid, r, run->by, mid,
	    time(NULL), &err);
	free(mid);
	if (rc != 0) {
		/*
		 * The mail went out; the claim stays, so no other run sends it
		 * again within the hour.  Say which one it was.
		 */
		error_prefix(&err, "%s reminder for pairing %lld to %s was sent "
		    "but not recorded: ", remind_kind_name(r->kind),
		    r->pairing_id, r->to.email);
		return cmd_fail(&err);
	}
	run->done++;
	remind_print(run, p, r, &run->msg);
	/* A run that dies later still shows what it sent. */
	fflush(stdout);
	return 0;
}

static bool
remind_is_checkin(enum remind_kind k)
{
	return k == REMIND_CHECKIN_DUE || k == REMIND_CHECKIN_OVERDUE ||
	    k == REMIND_STALLED;
}

/*
 * The roster knows each pairing's latest meeting only: enough for which
 * reminders are due (their keys), not for the next meeting's number and
 * prompt that a check-in reminder's text gives.  For a pairing that gets
 * one, load its whole history and compute its reminders again.
 */
static int
remind_complete(struct remind_run *run, const struct program *p,
    struct checkin_roster *roster, struct remind_pairing *pr,
    struct reminder *r, size_t n, const bool *recorded)
{
	struct error err = ERROR_INIT;
	struct reminder_list full = REMINDER_LIST_INIT;
	size_t i, k;

	for (i = 0; i < n; i++)
		if (!recorded[i] && remind_is_checkin(r[i].kind))
			break;
	if (i == n)
		return 0;
	if (store_checkin_roster_history(run->ctx->db, roster, pr, &err) != 0)
		return cmd_fail(&err);
	remind_pairing(p, pr, run->ctx->today, &full);
	for (i = 0; i < n; i++)
		for (k = 0; k < full.n; k++)
			if (full.v[k].kind == r[i].kind &&
			    full.v[k].due_on == r[i].due_on &&
			    full.v[k].role == r[i].role) {
				r[i] = full.v[k];
				break;
			}
	remind_list_free(&full);
	return 0;
}

/*
 * The reminders due today that are not recorded yet, pairing by pairing,
 * into todo: the full list (most of it recorded on earlier mornings) is
 * never held.
 */
static int
remind_pending(struct remind_run *run, long long pid, const struct program *p,
    struct checkin_roster *roster, struct reminder_list *todo)
{
	struct error err = ERROR_INIT;
	struct reminder_list one = REMINDER_LIST_INIT;
	struct reminder_check *check;
	bool *recorded = NULL;
	size_t i, k, cap = 0;
	int rc = 0;

	if ((check = store_reminder_check_begin(run->ctx->db, pid, time(NULL),
	    &err)) == NULL)
		return cmd_fail(&err);
	for (i = 0; i < roster->n && rc == 0; i++) {
		one.n = 0;
		if (remind_pairing(p, &roster->v[i], run->ctx->today,
		    &one) == 0)
			continue;
		XGROW(recorded, one.n, cap);
		if (store_reminder_check(check, one.v, one.n, recorded,
		    &err) != 0) {
			rc = cmd_fail(&err);
			break;
		}
		if ((rc = remind_complete(run, p, roster, &roster->v[i], one.v,
		    one.n, recorded)) != 0)
			break;
		for (k = 0; k < one.n; k++) {
			if (recorded[k]) {
				run->recorded++;
				continue;
			}
			XGROW(todo->v, todo->n + 1, todo->cap);
			todo->v[todo->n++] = one.v[k];
		}
	}
	store_reminder_check_end(check);
	remind_list_free(&one);
	free(recorded);
	return rc;
}

/*
 * One programme.  lenient: a programme that cannot be loaded is skipped
 * (its error printed, the run's status set), as in a run over all of them.
 */
static int
remind_program(struct remind_run *run, const char *slug, bool lenient)
{
	struct error err = ERROR_INIT;
	struct reminder_list todo = REMINDER_LIST_INIT;
	struct checkin_roster roster;
	struct program *p = NULL;
	long long pid;
	size_t i;
	int rc;

	memset(&roster, 0, sizeof roster);
	if ((rc = cmd_load_program(run->ctx, slug, &pid, &p)) != 0) {
		/* One broken programme must not hold up the others' mail. */
		if (lenient && rc == EX_DATAERR) {
			run->status = EX_DATAERR;
			rc = 0;
		}
		goto out;
	}
	if (store_checkin_roster(run->ctx->db, pid, run->ctx->today,
	    ROSTER_ACTIVE | ROSTER_PROPOSED, &roster, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = remind_pending(run, pid, p, &roster, &todo)) != 0 ||
	    todo.n == 0)
		goto out;
	if (p->contact == NULL || !mail_addr_valid(p->contact)) {
		cmd_warn("programme '%s' has no valid contact address (the From "
		    "of its reminders): %zu reminder%s not sent; set 'contact:' "
		    "in its YAML", p->slug, todo.n, todo.n == 1 ? "" : "s");
		run->status = EX_DATAERR;
		goto out;
	}
	for (i = 0; i < todo.n; i++) {
		if (!run->dry_run) {
			if ((rc = remind_deliver(run, pid, p, &todo.v[i])) != 0)
				goto out;
			continue;
		}
		if (run->fmt == REMIND_FMT_MBOX &&
		    remind_compose(run, p, &todo.v[i]) != 0)
			continue;
		run->done++;
		remind_print(run, p, &todo.v[i], &run->msg);
	}
out:
	remind_list_free(&todo);
	checkin_roster_free(&roster);
	program_free(p);
	return rc;
}

static int
remind_programs(struct remind_run *run, const char *only)
{
	struct error err = ERROR_INIT;
	char **slugs;
	size_t n, i;
	int rc = 0;

	if (only != NULL)
		return remind_program(run, only, false);
	if (store_reminder_programs(run->ctx->db, &slugs, &n, &err) != 0)
		return cmd_fail(&err);
	for (i = 0; i < n && rc == 0; i++)
		rc = remind_program(run, slugs[i], true);
	reminder_programs_free(slugs, n);
	return rc;
}

static int
cmd_remind_exec(struct ctx *ctx, struct cmd_args *args)
{
	static const char *const fmts[] = { "text", "json", "mbox", NULL };
	struct remind_run run;
	const char *only = cmd_opt(args, "program");
	const char *s;
	int rc, fmt, done_rc;

	if ((fmt = cmd_format(ctx, fmts)) < 0)
		return EX_USAGE;
	memset(&run, 0, sizeof run);
	run.ctx = ctx;
	run.fmt = (enum remind_fmt)fmt;
	run.dry_run = cmd_flag(args, "dry-run");
	strbuf_init(&run.msg);
	if ((s = cmd_opt(args, "sendmail")) != NULL && *s != '\0')
		run.sendmail = s;
	else if ((s = getenv("MENTORCTL_SENDMAIL")) != NULL && *s != '\0')
		run.sendmail = s;
	else
		run.sendmail = MAIL_SENDMAIL_DEFAULT;
	snprintf(run.by, sizeof run.by, "%ld", (long)getpid());
	if (run.fmt == REMIND_FMT_JSON)
		run.json = out_new(stdout, OUT_JSON, remind_cols,
		    sizeof remind_cols / sizeof remind_cols[0], 0);

	rc = remind_programs(&run, only);
	/* What was sent before a failure is shown: the JSON stays valid. */
	if (run.json != NULL && (done_rc = cmd_out_done(run.json)) != 0 &&
	    rc == 0)
		rc = done_rc;
	if (fflush(stdout) != 0 && rc == 0)
		rc = cmd_error(EX_IOERR, "cannot write to standard output");
	/* After an error its one line is all: a dry run has nothing to sum up. */
	if (run.dry_run && rc == 0)
		fprintf(stderr, "mentorctl: dry run: %zu reminder%s would be "
		    "sent, %zu recorded already; nothing was recorded\n",
		    run.done, run.done == 1 ? "" : "s", run.recorded);
	else if (run.done > 0)
		fprintf(stderr, "mentorctl: sent %zu reminder%s (%zu recorded "
		    "already)\n", run.done, run.done == 1 ? "" : "s",
		    run.recorded);
	if (rc == 0 && run.status != 0)
		rc = cmd_error(run.status, "some reminders could not be sent; "
		    "see the warnings above");
	strbuf_release(&run.msg);
	return rc;
}

static const struct cmd_opt remind_opts[] = {
	{ "program", true, "--program SLUG     only this programme (default: "
	    "all)" },
	{ "dry-run", false, "--dry-run          print what would be sent; "
	    "send and record nothing" },
	{ "sendmail", true, "--sendmail CMD     mail program reading a message "
	    "on stdin (default: $MENTORCTL_SENDMAIL, else 'sendmail -t -oi')" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_remind_entry = {
	.name = "remind", .sub = NULL,
	.usage = "[--program SLUG] [--dry-run] [--sendmail CMD] "
	    "[--format text|json|mbox]",
	.summary = "mail the check-in, stalled, proposal and re-up reminders "
	    "due today (for cron)",
	.opts = remind_opts,
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_remind_exec,
};
