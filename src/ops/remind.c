/*
 * remind's rules: which mails are due (core/remind.h), which of them are
 * recorded already (store/reminder_store.h), and each one's delivery
 * exactly once.
 */
#include "ops/remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "core/program.h"
#include "io/mail.h"
#include "store/mail_store.h"
#include "store/reminder_store.h"
#include "util/xmalloc.h"

static void
plan_problem(struct remind_plan *plan, int code, char *msg)
{
	plan->problems = xreallocarray(plan->problems, plan->nproblems + 1,
	    sizeof *plan->problems);
	plan->problems[plan->nproblems].code = code;
	plan->problems[plan->nproblems].msg = msg;
	plan->nproblems++;
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
plan_complete(const struct ops_ctx *o, struct remind_prog *rp,
    struct remind_pairing *pr, struct reminder *r, size_t n,
    const bool *pending, struct error *err)
{
	struct reminder_list full = REMINDER_LIST_INIT;
	size_t i, k;

	for (i = 0; i < n; i++)
		if (pending[i] && remind_is_checkin(r[i].kind))
			break;
	if (i == n)
		return 0;
	if (store_checkin_roster_history(o->db, &rp->roster, pr, err) != 0)
		return -1;
	remind_pairing(rp->p, pr, o->today, &full);
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

static void
plan_add(struct remind_item **v, size_t *n, size_t *cap,
    const struct reminder *r, size_t k, int attempts)
{
	XGROW(*v, *n + 1, *cap);
	(*v)[*n].r = *r;
	(*v)[*n].prog = k;
	(*v)[*n].attempts = attempts;
	(*n)++;
}

/* Whether the log lets this run send it: new, or failed and due again. */
static bool
plan_sendable(const struct ops_ctx *o, struct remind_plan *plan,
    const struct reminder_log *log)
{
	if (!log->present)
		return true;
	if (log->state != DELIVERY_FAILED) {
		plan->recorded++;
		return false;
	}
	if (delivery_retry_due(log->attempts, log->failed_on, log->failed_at,
	    o->today, o->now))
		return true;
	plan->waiting++;
	return false;
}

/*
 * The mails of programme k due today that this run may send, pairing by
 * pairing: the full list (most of it sent on earlier mornings) is never
 * held.  Those to a bouncing address are held back, those a participant
 * paused left out.
 */
static int
plan_pending(const struct ops_ctx *o, struct remind_plan *plan, size_t k,
    const struct bounce_set *bounces, struct error *err)
{
	struct remind_prog *rp = &plan->progs[k];
	struct reminder_list one = REMINDER_LIST_INIT;
	struct reminder_check *check;
	struct reminder_log *log = NULL;
	struct pause_set paused;
	bool *pending = NULL;
	size_t i, j, cap = 0, pcap = 0;
	int rc = 0;

	if (store_pause_set_load(o->db, rp->id, &paused, err) != 0)
		return -1;
	if ((check = store_reminder_check_begin(o->db, rp->id, err)) == NULL) {
		pause_set_free(&paused);
		return -1;
	}
	for (i = 0; i < rp->roster.n && rc == 0; i++) {
		one.n = 0;
		if (remind_pairing(rp->p, &rp->roster.v[i], o->today,
		    &one) == 0)
			continue;
		XGROW(log, one.n, cap);
		XGROW(pending, one.n, pcap);
		if ((rc = store_reminder_check(check, one.v, one.n, log,
		    err)) != 0)
			break;
		for (j = 0; j < one.n; j++) {
			pending[j] = false;
			if (remind_is_checkin(one.v[j].kind) && paused.n > 0 &&
			    pause_set_has(&paused, one.v[j].pairing_id,
			    one.v[j].to.email)) {
				plan->paused++;
				continue;
			}
			pending[j] = plan_sendable(o, plan, &log[j]);
		}
		if ((rc = plan_complete(o, rp, &rp->roster.v[i], one.v, one.n,
		    pending, err)) != 0)
			break;
		for (j = 0; j < one.n; j++) {
			if (!pending[j])
				continue;
			if (bounces->n > 0 &&
			    bounce_set_has(bounces, one.v[j].to.email))
				plan_add(&plan->held, &plan->nheld,
				    &plan->heldcap, &one.v[j], k,
				    log[j].attempts);
			else
				plan_add(&plan->items, &plan->n, &plan->cap,
				    &one.v[j], k, log[j].present ?
				    log[j].attempts : 0);
		}
	}
	store_reminder_check_end(check);
	pause_set_free(&paused);
	remind_list_free(&one);
	free(log);
	free(pending);
	return rc;
}

/*
 * One programme.  lenient: a programme that cannot be loaded is a problem
 * of the plan, not an error, as in a run over all of them.
 */
static int
plan_program(const struct ops_ctx *o, struct remind_plan *plan,
    const char *slug, bool lenient, const struct bounce_set *bounces,
    struct error *err)
{
	struct remind_prog *rp;
	struct program *p = NULL;
	long long id;
	size_t k, first = plan->n, firstheld = plan->nheld, n;

	if (ops_program_load(o, slug, &id, &p, err) != 0) {
		/* One broken programme must not hold up the others' mail. */
		if (lenient && err->code == EX_DATAERR) {
			plan_problem(plan, EX_DATAERR, err->msg);
			err->msg = NULL;
			error_clear(err);
			return 0;
		}
		return -1;
	}
	plan->progs = xreallocarray(plan->progs, plan->nprogs + 1,
	    sizeof *plan->progs);
	k = plan->nprogs++;
	rp = &plan->progs[k];
	memset(rp, 0, sizeof *rp);
	rp->id = id;
	rp->p = p;
	if (store_checkin_roster(o->db, id, o->today, ROSTER_ACTIVE |
	    ROSTER_PROPOSED, &rp->roster, err) != 0)
		return -1;
	if (plan_pending(o, plan, k, bounces, err) != 0)
		return -1;
	n = plan->n - first + plan->nheld - firstheld;
	if (n > 0 && (p->contact == NULL || !mail_addr_valid(p->contact))) {
		plan_problem(plan, EX_DATAERR, xasprintf("programme '%s' has no "
		    "valid contact address (the From of its reminders): %zu "
		    "reminder%s not sent; set 'contact:' in its YAML", p->slug,
		    n, n == 1 ? "" : "s"));
		plan->n = first;
		plan->nheld = firstheld;
	}
	return 0;
}

int
ops_remind_plan(const struct ops_ctx *o, const char *only,
    struct remind_plan *plan, struct error *err)
{
	struct bounce_set bounces;
	char **slugs;
	size_t n, i;
	int rc = 0;

	memset(plan, 0, sizeof *plan);
	if (store_bounce_set(o->db, &bounces, err) != 0)
		return -1;
	if (only != NULL) {
		rc = plan_program(o, plan, only, false, &bounces, err);
		bounce_set_free(&bounces);
		return rc;
	}
	if (store_reminder_programs(o->db, &slugs, &n, err) != 0) {
		bounce_set_free(&bounces);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = plan_program(o, plan, slugs[i], true, &bounces, err);
	reminder_programs_free(slugs, n);
	bounce_set_free(&bounces);
	return rc;
}

void
ops_remind_plan_free(struct remind_plan *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->nprogs; i++) {
		checkin_roster_free(&plan->progs[i].roster);
		program_free(plan->progs[i].p);
	}
	for (i = 0; i < plan->nproblems; i++)
		free(plan->problems[i].msg);
	free(plan->progs);
	free(plan->items);
	free(plan->held);
	free(plan->problems);
	memset(plan, 0, sizeof *plan);
}

const struct program *
ops_remind_program(const struct remind_plan *plan,
    const struct remind_item *it)
{
	return plan->progs[it->prog].p;
}

char *
ops_remind_subject(const struct remind_plan *plan,
    const struct remind_item *it)
{
	return mail_reminder_subject(ops_remind_program(plan, it), &it->r);
}

char *
ops_remind_message_id(const struct remind_plan *plan,
    const struct remind_item *it)
{
	return mail_reminder_id(ops_remind_program(plan, it), &it->r);
}

int
ops_remind_compose(const struct ops_ctx *o, const struct remind_plan *plan,
    const struct remind_item *it, struct strbuf *msg, struct error *err)
{
	return mail_reminder(ops_remind_program(plan, it), &it->r, o->now, msg,
	    err);
}

static double
remind_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A busy database is waited out, beyond the busy timeout, until `patience`
 * seconds have passed since start: whether to try once more.
 */
static bool
remind_again(struct error *err, double start, int patience)
{
	if (err->code != EX_TEMPFAIL || remind_clock() - start >= patience)
		return false;
	error_clear(err);
	return true;
}

static enum remind_outcome
remind_verdict(enum delivery_verdict v, int attempts,
    struct reminder_outcome *out)
{
	switch (v) {
	case DELIVERY_OK:
		out->state = DELIVERY_SENT;
		return REMIND_OUT_SENT;
	case DELIVERY_BOUNCE:
		out->state = DELIVERY_BOUNCED;
		return REMIND_OUT_BOUNCED;
	case DELIVERY_UNKNOWN:
		out->state = DELIVERY_HANDED;
		return REMIND_OUT_UNKNOWN;
	case DELIVERY_RETRY:
	default:
		if (attempts >= DELIVERY_MAX_ATTEMPTS) {
			out->state = DELIVERY_GAVE_UP;
			return REMIND_OUT_GAVE_UP;
		}
		out->state = DELIVERY_FAILED;
		return REMIND_OUT_RETRY;
	}
}

int
ops_remind_deliver(const struct ops_ctx *o, struct remind_sender *s,
    const struct remind_plan *plan, const struct remind_item *it,
    const struct strbuf *msg, struct remind_result *res, struct error *err)
{
	const struct remind_prog *rp = &plan->progs[it->prog];
	const struct reminder *r = &it->r;
	struct mail_transport t = { s->sendmail, s->timeout };
	struct reminder_outcome out;
	struct delivery_end end;
	struct mail_spool *sp = NULL;
	enum delivery_verdict v;
	char *mid;
	double start;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof *res);
	for (i = 0; i < s->nbounced; i++)
		if (strcasecmp(s->bounced[i], r->to.email) == 0) {
			res->outcome = REMIND_OUT_HELD;
			return 0;
		}
	mid = ops_remind_message_id(plan, it);
	if (mail_spool_new(msg->buf, msg->len, &sp, err) != 0)
		goto out;
	start = remind_clock();
	while ((rc = store_reminder_claim(o->db, rp->id, r, it->attempts, mid,
	    o->now, s->by, err)) < 0 &&
	    remind_again(err, start, REMIND_CLAIM_PATIENCE))
		;
	if (rc < 0)
		goto out;
	if (rc == 0) {
		res->outcome = REMIND_OUT_TAKEN;
		rc = 0;
		goto out;
	}
	/* From here on the mail may be out, whatever happens to this run. */
	mail_spool_send(sp, &t, &end);
	v = delivery_judge(&end, res->reason);
	res->attempts = it->attempts + 1;
	memset(&out, 0, sizeof out);
	res->outcome = remind_verdict(v, res->attempts, &out);
	s->in_row = v == DELIVERY_OK || v == DELIVERY_BOUNCE ? 0 :
	    s->in_row + 1;
	out.error = res->reason[0] ? res->reason : NULL;
	out.today = o->today;
	out.now = o->now;
	start = remind_clock();
	while ((rc = store_reminder_outcome(o->db, rp->id, r, s->by, &out,
	    err)) < 0 && remind_again(err, start, REMIND_RECORD_PATIENCE))
		;
	if (rc == 0 && v == DELIVERY_BOUNCE) {
		s->bounced = xreallocarray(s->bounced, s->nbounced + 1,
		    sizeof *s->bounced);
		s->bounced[s->nbounced++] = xstrdup(r->to.email);
	}
	if (rc < 0)
		error_prefix(err, "the %s mail to %s was handed to the mail "
		    "program, but its outcome could not be recorded (it counts "
		    "as sent; see 'mentorctl mail unsent'): ",
		    remind_kind_name(r->kind), r->to.email);
out:
	mail_spool_free(sp);
	free(mid);
	return rc < 0 ? -1 : 0;
}

void
ops_remind_sender_free(struct remind_sender *s)
{
	size_t i;

	for (i = 0; i < s->nbounced; i++)
		free(s->bounced[i]);
	free(s->bounced);
	s->bounced = NULL;
	s->nbounced = 0;
}

bool
ops_remind_breaker(const struct remind_sender *s)
{
	return s->in_row >= DELIVERY_BREAKER;
}
