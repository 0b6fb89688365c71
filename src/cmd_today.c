/*
 * today [PROGRAM]: the coordinator's morning screen.  Who needs them
 * today, most urgent first: stalled and overdue pairs, re-up answers still
 * missing with the days left, proposals waiting and for how long, mentees
 * still unmatched and since when, people pending and why, bouncing
 * addresses (as remind and inbox mark them), and what `remind` will
 * send today.  Each line ends with the
 * command that acts on it.  Without PROGRAM, every programme.
 * Columns: program,kind,subject,since,days,detail,action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/metrics.h"
#include "core/program.h"
#include "core/remind.h"
#include "ops/ops.h"
#include "store/checkin_store.h"
#include "store/mail_store.h"
#include "store/program_store.h"
#include "store/reminder_store.h"
#include "store/report_store.h"
#include "store/view_store.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static const struct out_col today_cols[] = {
	{ "program", OUT_STR }, { "kind", OUT_STR }, { "subject", OUT_STR },
	{ "since", OUT_DATE }, { "days", OUT_INT }, { "detail", OUT_STR },
	{ "action", OUT_STR },
};

struct today_run {
	struct ctx *ctx;
	struct out *o;
	const struct program *p;
	long long pid;
	long long lines;
};

static void
line(struct today_run *t, const char *kind, const char *subject, int since,
    const char *detail, const char *action)
{
	out_str(t->o, "program", t->p->slug);
	out_str(t->o, "kind", kind);
	out_str(t->o, "subject", subject);
	out_date(t->o, "since", since);
	if (since != DATE_NONE)
		out_int(t->o, "days", t->ctx->today - since);
	out_str(t->o, "detail", detail);
	out_str(t->o, "action", action);
	out_end_row(t->o);
	t->lines++;
}

/* Stalled and overdue pairs, as the report and remind see them. */
static int
today_flagged(struct today_run *t, struct error *err)
{
	struct metrics_input *in;
	struct metrics_report *r;
	char subj[64], detail[160], action[96], day[DATE_BUFSZ];
	size_t i, pass;

	if ((in = report_store_load(t->ctx->db, t->pid, t->ctx->today,
	    err)) == NULL)
		return -1;
	r = metrics_compute(t->p, in);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < r->nflagged; i++) {
			const struct metrics_flagged *f = &r->flagged[i];
			const struct metrics_pairing *pr = &in->pairs[f->pairing];

			if (f->stalled != (pass == 0))
				continue;
			snprintf(subj, sizeof subj, "pairing %lld", pr->id);
			snprintf(detail, sizeof detail, "%s and %s; %s%s",
			    in->enr[pr->mentor].email, in->enr[pr->mentee].email,
			    f->last_met == DATE_NONE ? "never met" : "last met ",
			    f->last_met == DATE_NONE ? "" :
			    date_format(f->last_met, day));
			if (f->stalled)
				snprintf(action, sizeof action, "mentorctl end "
				    "%lld --reason TEXT (or checkin when they "
				    "meet)", pr->id);
			else
				snprintf(action, sizeof action, "mentorctl checkin "
				    "%lld --on DATE", pr->id);
			line(t, f->stalled ? "stalled" : "overdue", subj,
			    f->due_on, detail, action);
		}
	}
	metrics_report_free(r);
	metrics_input_free(in);
	return 0;
}

/* "missing training mentor-basics; ..." -> a training add line, else people show. */
static void
pending_action(const struct today_person *pp, char *buf, size_t size)
{
	const char *m = pp->reason ? strstr(pp->reason, "missing training ") :
	    NULL;
	size_t len;

	if (m == NULL) {
		snprintf(buf, size, "mentorctl people show %s", pp->email);
		return;
	}
	m += strlen("missing training ");
	len = strcspn(m, ";, ");
	snprintf(buf, size, "mentorctl training add %s %.*s --on DATE",
	    pp->email, (int)len, m);
}

static void
today_facts_lines(struct today_run *t, const struct today_facts *f)
{
	char subj[96], detail[320], action[320], day[DATE_BUFSZ];
	size_t i;

	for (i = 0; i < f->nreups; i++) {
		const struct today_reup *u = &f->reups[i];
		int left = u->closes_on - t->ctx->today;

		snprintf(subj, sizeof subj, "pairing %lld", u->pairing);
		snprintf(detail, sizeof detail, "re-up answer missing from %s; "
		    "%d day%s left (window closes %s)", u->email, left,
		    left == 1 ? "" : "s", date_format(u->closes_on, day));
		snprintf(action, sizeof action, "mentorctl reup %lld --by %s "
		    "yes|no", u->pairing, u->email);
		line(t, "reup", subj, DATE_NONE, detail, action);
	}
	for (i = 0; i < f->nproposals; i++) {
		const struct today_proposal *p = &f->proposals[i];
		const char *who = !p->mentor_accepted ? p->mentor : p->mentee;

		snprintf(subj, sizeof subj, "pairing %lld", p->id);
		snprintf(detail, sizeof detail, "mentor %s%s, mentee %s%s; "
		    "answers due by %s", p->mentor, p->mentor_accepted ?
		    " (accepted)" : "", p->mentee, p->mentee_accepted ?
		    " (accepted)" : "", p->expires_on == DATE_NONE ? "-" :
		    date_format(p->expires_on, day));
		snprintf(action, sizeof action, "mentorctl accept %lld --by %s "
		    "(or decline)", p->id, who);
		line(t, "proposal", subj, p->proposed_on, detail, action);
	}
	for (i = 0; i < f->nunmatched; i++) {
		const struct today_person *u = &f->unmatched[i];

		snprintf(detail, sizeof detail, "%s%seligible mentee with "
		    "nothing proposed", u->name ? u->name : "",
		    u->name && u->name[0] ? ": " : "");
		snprintf(action, sizeof action, "mentorctl suggest %s %s",
		    t->p->slug, u->email);
		line(t, "unmatched", u->email, u->since, detail, action);
	}
	for (i = 0; i < f->npending; i++) {
		const struct today_person *u = &f->pending[i];

		snprintf(detail, sizeof detail, "pending %s: %s",
		    u->role == ROLE_MENTOR ? "mentor" : "mentee",
		    u->reason ? u->reason : "not yet qualified");
		pending_action(u, action, sizeof action);
		line(t, "pending", u->email, u->since, detail, action);
	}
}

/* Bouncing addresses of the programme's people (and its contact). */
static int
today_bounces(struct today_run *t, struct error *err)
{
	struct bounce_row *v = NULL;
	char action[320], detail[320];
	size_t n = 0, i;

	if (store_bounce_list(t->ctx->db, t->pid, &v, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(detail, sizeof detail, "mail bounces%s%s%s%s",
		    v[i].name ? " (" : "", v[i].name ? v[i].name : "",
		    v[i].name ? ")" : "", v[i].reason ? ": " : "");
		if (v[i].reason)
			strncat(detail, v[i].reason, sizeof detail -
			    strlen(detail) - 1);
		/* what remind's warning names: mail goes out again */
		snprintf(action, sizeof action, "mentorctl mail clear %s "
		    "(once the address works)", v[i].address);
		line(t, "bounce", v[i].address, v[i].since_on, detail, action);
	}
	bounce_rows_free(v, n);
	return 0;
}

/* What `remind` would send today and has not sent yet, by kind. */
static int
today_remind(struct today_run *t, struct error *err)
{
	struct reminder_list one = REMINDER_LIST_INIT;
	struct checkin_roster roster;
	struct reminder_check *check;
	long long count[REMIND_NKINDS] = { 0 }, total = 0;
	struct reminder_log *log = NULL;
	size_t i, k, cap = 0;
	struct strbuf sb = STRBUF_INIT;
	char action[96];
	int rc = 0;

	memset(&roster, 0, sizeof roster);
	if (store_checkin_roster(t->ctx->db, t->pid, t->ctx->today,
	    ROSTER_ACTIVE | ROSTER_PROPOSED, &roster, err) != 0)
		return -1;
	if ((check = store_reminder_check_begin(t->ctx->db, t->pid,
	    err)) == NULL) {
		checkin_roster_free(&roster);
		return -1;
	}
	for (i = 0; i < roster.n && rc == 0; i++) {
		one.n = 0;
		if (remind_pairing(t->p, &roster.v[i], t->ctx->today, &one) == 0)
			continue;
		XGROW(log, one.n, cap);
		if ((rc = store_reminder_check(check, one.v, one.n, log,
		    err)) != 0)
			break;
		/* never tried yet: what this morning's run will send */
		for (k = 0; k < one.n; k++)
			if (!log[k].present) {
				count[one.v[k].kind]++;
				total++;
			}
	}
	store_reminder_check_end(check);
	remind_list_free(&one);
	free(log);
	checkin_roster_free(&roster);
	if (rc != 0)
		return -1;
	if (total == 0)
		return 0;
	for (k = 0; k < REMIND_NKINDS; k++)
		if (count[k])
			strbuf_addf(&sb, "%s%lld %s", sb.len ? ", " : "", count[k],
			    remind_kind_name((enum remind_kind)k));
	snprintf(action, sizeof action, "mentorctl remind --program %s",
	    t->p->slug);
	line(t, "remind", "reminders to send", DATE_NONE, sb.buf, action);
	strbuf_release(&sb);
	return 0;
}

static int
today_program(struct today_run *t, struct error *err)
{
	struct today_facts f;

	if (today_flagged(t, err) != 0)
		return -1;
	if (store_today_facts(t->ctx->db, t->pid, t->ctx->today, &f, err) != 0)
		return -1;
	today_facts_lines(t, &f);
	today_facts_free(&f);
	if (today_bounces(t, err) != 0)
		return -1;
	return today_remind(t, err);
}

static int
cmd_today_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct today_run t = { ctx, NULL, NULL, 0, 0 };
	struct program_row *rows = NULL;
	struct ops_ctx oc = { ctx->db, ctx->today, ctx->now, ctx->actor };
	size_t nrows = 0, i;
	int rc = 0;

	t.o = cmd_out_new(ctx, today_cols,
	    sizeof today_cols / sizeof today_cols[0]);
	if (args->npos > 0) {
		t.p = ctx->program;
		t.pid = ctx->program_id;
		rc = today_program(&t, err);
	} else if ((rc = store_program_list(ctx->db, &rows, &nrows,
	    err)) == 0) {
		for (i = 0; i < nrows && rc == 0; i++) {
			struct program *p;
			long long id;

			if ((rc = ops_program_load(&oc, rows[i].slug, &id, &p,
			    err)) != 0)
				break;
			t.p = p;
			t.pid = id;
			rc = today_program(&t, err);
			program_free(p);
		}
		program_rows_free(rows, nrows);
	}
	if (rc != 0) {
		out_free(t.o);
		return -1;
	}
	if ((rc = cmd_out_end(t.o, err)) == 0 && ctx->fmt == OUT_TABLE &&
	    t.lines == 0)
		cmd_note(ctx, "nothing needs you today");
	return rc;
}

const struct cmd_entry cmd_today_entry = {
	.name = "today", .sub = NULL, .usage = "[PROGRAM]",
	.summary = "the morning screen: who needs the coordinator today, and "
	    "the command for each",
	.example = "mentorctl today eng-2027",
	.min_args = 0, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_today_exec,
};

/*
 * `status`: the same screen under the name other tools give it, an entry
 * of its own sharing the exec (listed, completed and in the man page).
 */
const struct cmd_entry cmd_status_entry = {
	.name = "status", .sub = NULL, .usage = "[PROGRAM]",
	.summary = "the same as 'today': the morning screen",
	.example = "mentorctl status eng-2027",
	.min_args = 0, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_today_exec,
};
