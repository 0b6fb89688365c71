/*
 * remind's rules: which mails are due (core/remind.h), which of them are
 * recorded already (store/reminder_store.h), and each one's delivery
 * exactly once.
 */
#include "ops/network.h"
#include "ops/remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "core/date.h"
#include "core/program.h"
#include "core/token.h"
#include "io/mail.h"
#include "remind_int.h"
#include "store/mail_store.h"
#include "store/remind_store.h"
#include "store/reminder_store.h"
#include "util/strbuf.h"
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

void
ops_remind_plan_add(struct remind_plan *plan, const struct reminder *r,
    size_t k, int attempts, bool held)
{
	if (held)
		plan_add(&plan->held, &plan->nheld, &plan->heldcap, r, k,
		    attempts);
	else
		plan_add(&plan->items, &plan->n, &plan->cap, r, k, attempts);
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

/* What one programme's pass needs at hand. */
struct plan_pass {
	const struct ops_ctx *o;
	struct remind_plan *plan;
	size_t k;                       /* the programme */
	struct reminder_check *check;
	struct pause_set paused;
	const struct bounce_set *bounces;
	struct reminder_list one;
	struct reminder_log *log;
	bool *pending;
	size_t cap;
	struct remind_digest *digest;   /* being gathered, or NULL */
};

/* Which of pass->one the log says to send (pending[]). */
static int
plan_check(struct plan_pass *ps, struct error *err)
{
	size_t j;

	XGROW(ps->log, ps->one.n, ps->cap);
	ps->pending = xreallocarray(ps->pending, ps->cap,
	    sizeof *ps->pending);
	if (store_reminder_check(ps->check, ps->one.v, ps->one.n, ps->log,
	    err) != 0)
		return -1;
	for (j = 0; j < ps->one.n; j++) {
		const struct reminder *r = &ps->one.v[j];

		ps->pending[j] = false;
		if (remind_is_checkin(r->kind) && ps->paused.n > 0 &&
		    pause_set_has(&ps->paused, r->pairing_id, r->to.email)) {
			ps->plan->paused++;
			continue;
		}
		ps->pending[j] = plan_sendable(ps->o, ps->plan, &ps->log[j]);
	}
	return 0;
}

/* The pending mails of pass->one into the plan (or held, when bouncing). */
static void
plan_take(struct plan_pass *ps)
{
	struct remind_plan *plan = ps->plan;
	size_t j;

	for (j = 0; j < ps->one.n; j++) {
		const struct reminder *r = &ps->one.v[j];
		const struct reminder_log *log = &ps->log[j];

		if (!ps->pending[j])
			continue;
		if (ps->bounces->n > 0 && bounce_set_has(ps->bounces,
		    r->to.email))
			plan_add(&plan->held, &plan->nheld, &plan->heldcap, r,
			    ps->k, log->attempts);
		else
			plan_add(&plan->items, &plan->n, &plan->cap, r, ps->k,
			    log->present ? log->attempts : 0);
	}
}

/* "Name <address>", or the address alone. */
static char *
plan_who(const struct remind_person *p)
{
	struct strbuf sb = STRBUF_INIT;

	if (p->name != NULL && p->name[0] != '\0')
		strbuf_addf(&sb, "%s <%s>", p->name, p->email ? p->email : "");
	else
		strbuf_addstr(&sb, p->email ? p->email : "");
	return strbuf_detach(&sb, NULL);
}

/* A stalled pair or an unanswered proposal for the digest. */
static void
plan_digest_pairing(struct plan_pass *ps, const struct remind_pairing *pr)
{
	struct remind_digest *d = ps->digest;
	const struct program *p = ps->plan->progs[ps->k].p;
	struct digest_pair *x;
	size_t j;
	int soon;

	if (d == NULL)
		return;
	if (pr->status == REMIND_PAIRING_ACTIVE) {
		for (j = 0; j < ps->one.n; j++)
			if (ps->one.v[j].kind == REMIND_STALLED)
				break;
		if (j == ps->one.n)
			return;
		d->stalled = xreallocarray(d->stalled, d->nstalled + 1,
		    sizeof *d->stalled);
		x = &d->stalled[d->nstalled++];
		memset(x, 0, sizeof *x);
		x->day = ps->one.v[j].stalled_on;
		x->last_meeting = ps->one.v[j].last_meeting;
		/* It shows from the day after: new if after the last digest. */
		x->fresh = d->last == DATE_NONE || x->day >= d->last;
	} else if (pr->status == REMIND_PAIRING_PROPOSED &&
	    pr->proposed_on != DATE_NONE && pr->proposed_on < ps->o->today &&
	    pr->expires_on != DATE_NONE) {
		bool mentor = false, mentee = false;

		switch (p->matching.consent) {
		case CONSENT_BOTH:
			mentor = !pr->mentor_accepted;
			mentee = !pr->mentee_accepted;
			break;
		case CONSENT_MENTEE:
			mentee = !pr->mentee_accepted;
			break;
		case CONSENT_NONE:
			break;
		}
		if (!mentor && !mentee)
			return;
		d->proposals = xreallocarray(d->proposals, d->nproposals + 1,
		    sizeof *d->proposals);
		x = &d->proposals[d->nproposals++];
		memset(x, 0, sizeof *x);
		x->day = pr->expires_on;
		x->last_meeting = DATE_NONE;
		x->mentor_waiting = mentor;
		x->mentee_waiting = mentee;
		/* News when it enters its last days unanswered. */
		soon = date_add_days(pr->expires_on, -REMIND_PROPOSAL_DAYS);
		x->fresh = ps->o->today >= soon &&
		    (d->last == DATE_NONE || soon > d->last);
	} else {
		return;
	}
	x->pairing_id = pr->id;
	x->mentor = plan_who(&pr->mentor);
	x->mentee = plan_who(&pr->mentee);
}

/* One pairing's mails. */
static int
plan_pairing(struct plan_pass *ps, struct remind_pairing *pr,
    struct error *err)
{
	struct remind_prog *rp = &ps->plan->progs[ps->k];

	ps->one.n = 0;
	remind_pairing(rp->p, pr, ps->o->today, &ps->one);
	plan_digest_pairing(ps, pr);
	if (ps->one.n == 0)
		return 0;
	if (plan_check(ps, err) != 0 ||
	    plan_complete(ps->o, rp, pr, ps->one.v, ps->one.n, ps->pending,
	    err) != 0)
		return -1;
	plan_take(ps);
	return 0;
}

/* One circle's own mails: its roster, the mentor's meeting reminders. */
static int
plan_circle(struct plan_pass *ps, const struct remind_circle *c,
    struct error *err)
{
	struct remind_prog *rp = &ps->plan->progs[ps->k];
	size_t i, j;

	ps->one.n = 0;
	remind_circle(rp->p, c->members, c->n, ps->o->today, &ps->one);
	if (ps->one.n == 0)
		return 0;
	if (plan_check(ps, err) != 0)
		return -1;
	for (j = 0; j < ps->one.n; j++)
		if (ps->pending[j] && remind_is_checkin(ps->one.v[j].kind))
			break;
	if (j < ps->one.n) {
		/* Meeting numbers and prompts need the members' histories. */
		for (i = 0; i < c->n; i++)
			if (store_checkin_roster_history(ps->o->db, &rp->roster,
			    (struct remind_pairing *)c->members[i], err) != 0)
				return -1;
		ps->one.n = 0;
		remind_circle(rp->p, c->members, c->n, ps->o->today,
		    &ps->one);
		if (plan_check(ps, err) != 0)
			return -1;
	}
	plan_take(ps);
	return 0;
}

static int
circle_member_cmp(const void *a, const void *b)
{
	const struct remind_pairing *x = *(const struct remind_pairing *const *)a;
	const struct remind_pairing *y = *(const struct remind_pairing *const *)b;

	if (x->group_id != y->group_id)
		return x->group_id < y->group_id ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Group format: the active pairings by circle. */
static void
plan_circles(struct remind_prog *rp)
{
	const struct remind_pairing **v;
	size_t i, n = 0, start;

	if (rp->p->format != FORMAT_GROUP)
		return;
	v = xcalloc(rp->roster.n + 1, sizeof *v);
	for (i = 0; i < rp->roster.n; i++)
		if (rp->roster.v[i].status == REMIND_PAIRING_ACTIVE &&
		    rp->roster.v[i].group_id > 0)
			v[n++] = &rp->roster.v[i];
	xqsort(v, n, sizeof *v, circle_member_cmp);
	for (i = 0; i < n; i = start) {
		struct remind_circle *c;

		for (start = i; start < n && v[start]->group_id == v[i]->group_id;
		    start++)
			;
		rp->circles = xreallocarray(rp->circles, rp->ncircles + 1,
		    sizeof *rp->circles);
		c = &rp->circles[rp->ncircles++];
		c->id = v[i]->group_id;
		c->n = start - i;
		c->members = xcalloc(c->n, sizeof *c->members);
		memcpy(c->members, v + i, c->n * sizeof *c->members);
	}
	free(v);
}

static int
roster_id_cmp(const void *a, const void *b)
{
	const long long *k = a;
	const struct remind_pairing *pr = b;

	return (*k > pr->id) - (*k < pr->id);
}

/* Lately re-upped pairings hear the outcome: mark them in the roster. */
static int
plan_continued(const struct ops_ctx *o, struct remind_prog *rp, int since,
    struct error *err)
{
	struct remind_pairing *pr;
	long long *ids;
	int *days;
	size_t n, i;

	if (store_remind_continued(o->db, rp->id, since, &ids, &days, &n,
	    err) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((pr = xbsearch(&ids[i], rp->roster.v, rp->roster.n,
		    sizeof *rp->roster.v, roster_id_cmp)) != NULL)
			pr->continued_on = days[i];
	free(ids);
	free(days);
	return 0;
}

/* The pass over one programme. */
/*
 * Network mentoring: the mentors due to be asked for an introduction today
 * (core/network.h decides who and for which meeting), one mail each per
 * meeting, exactly once like every reminder.
 */
static int
plan_intro_requests(struct plan_pass *ps, struct error *err)
{
	struct remind_prog *rp = &ps->plan->progs[ps->k];
	struct ops_network_due due;
	const struct remind_pairing *pr;
	size_t i;

	memset(&due, 0, sizeof due);
	if (ops_network_due(ps->o, rp->id, rp->p, &due, err) != 0) {
		ops_network_due_free(&due);
		return -1;
	}
	ps->one.n = 0;
	for (i = 0; i < due.n; i++) {
		long long id = due.v[i].pairing->pairing_id;

		/* the roster's strings outlive this pass; due's do not */
		if ((pr = xbsearch(&id, rp->roster.v, rp->roster.n,
		    sizeof *rp->roster.v, roster_id_cmp)) == NULL)
			continue;
		remind_intro_request(pr, due.v[i].req.due_on,
		    due.v[i].req.meeting_number, due.v[i].req.introductions,
		    due.v[i].req.target, &ps->one);
	}
	ops_network_due_free(&due);
	if (ps->one.n == 0)
		return 0;
	if (plan_check(ps, err) != 0)
		return -1;
	plan_take(ps);
	return 0;
}

static int
plan_pass_run(struct plan_pass *ps, struct error *err)
{
	struct remind_prog *rp = &ps->plan->progs[ps->k];
	size_t i;
	int rc = 0;

	if (store_pause_set_load(ps->o->db, rp->id, &ps->paused, err) != 0)
		return -1;
	if ((ps->check = store_reminder_check_begin(ps->o->db, rp->id, err)) ==
	    NULL)
		return -1;
	for (i = 0; i < rp->roster.n && rc == 0; i++)
		rc = plan_pairing(ps, &rp->roster.v[i], err);
	for (i = 0; i < rp->ended.n && rc == 0; i++)
		rc = plan_pairing(ps, &rp->ended.v[i], err);
	for (i = 0; i < rp->ncircles && rc == 0; i++)
		rc = plan_circle(ps, &rp->circles[i], err);
	if (rc == 0 && rp->p->format == FORMAT_NETWORK)
		rc = plan_intro_requests(ps, err);
	store_reminder_check_end(ps->check);
	ps->check = NULL;
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
	struct plan_pass ps;
	struct program *p = NULL;
	long long id;
	size_t k, first = plan->n, firstheld = plan->nheld, n;
	int since, rc;

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
	since = date_add_days(o->today, -(REMIND_LIFECYCLE_DAYS - 1));
	if (store_checkin_roster(o->db, id, o->today, ROSTER_ACTIVE |
	    ROSTER_PROPOSED, &rp->roster, err) != 0 ||
	    store_remind_ended(o->db, id, since, &rp->ended, err) != 0 ||
	    plan_continued(o, rp, since, err) != 0)
		return -1;
	plan_circles(rp);

	memset(&ps, 0, sizeof ps);
	ps.o = o;
	ps.plan = plan;
	ps.k = k;
	ps.bounces = bounces;
	if (p->contact != NULL && mail_addr_valid(p->contact)) {
		rp->digest = xcalloc(1, sizeof *rp->digest);
		rp->digest->today = o->today;
		if (store_digest_last(o->db, id, &rp->digest->last, err) != 0)
			return -1;
		/* Today's went out already: nothing more to gather. */
		if (rp->digest->last == o->today) {
			remind_digest_free(rp->digest);
			free(rp->digest);
			rp->digest = NULL;
		}
	}
	ps.digest = rp->digest;
	rc = plan_pass_run(&ps, err);
	pause_set_free(&ps.paused);
	if (rc == 0 && rp->digest != NULL)
		rc = ops_remind_digest(o, plan, k, err);
	remind_list_free(&ps.one);
	free(ps.log);
	free(ps.pending);
	if (rc != 0)
		return -1;
	n = plan->n - first + plan->nheld - firstheld;
	if (n > 0 && (p->contact == NULL || !mail_addr_valid(p->contact))) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "programme '%s' has no valid contact address "
		    "(the From of its reminders): %zu mail%s not sent; set "
		    "'contact:' in its YAML", p->slug, n, n == 1 ? "" : "s");
		plan_problem(plan, EX_DATAERR, strbuf_detach(&sb, NULL));
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
	if ((rc = store_mail_secret_get(o->db, MAIL_SECRET_REPLY_TOKEN,
	    plan->secret, err)) < 0)
		return -1;
	plan->have_secret = rc == 1;
	rc = 0;
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
		struct remind_prog *rp = &plan->progs[i];
		size_t c;

		checkin_roster_free(&rp->roster);
		remind_ended_free(&rp->ended);
		for (c = 0; c < rp->ncircles; c++)
			free(rp->circles[c].members);
		free(rp->circles);
		remind_digest_free(rp->digest);
		free(rp->digest);
		program_free(rp->p);
	}
	for (i = 0; i < plan->nproblems; i++)
		free(plan->problems[i].msg);
	free(plan->progs);
	free(plan->items);
	free(plan->held);
	sodium_memzero(plan->secret, sizeof plan->secret);
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
	char *base = mail_reminder_id(ops_remind_program(plan, it), &it->r);
	char tok[TOKEN_BUFSZ], *at, *hash, *id;

	/*
	 * "TOKEN.HASH@domain": the hash of mail_reminder_id tells apart the
	 * mails that share a token, and the whole stays short enough for a
	 * header line.
	 */
	if (!ops_remind_token(plan, it, tok) || (at = strchr(base, '@')) ==
	    NULL)
		return base;
	*at = '\0';
	hash = strrchr(base, '.');
	id = token_message_id(tok, hash != NULL ? hash + 1 : base, at + 1);
	if (id == NULL) {
		*at = '@';
		return base;
	}
	free(base);
	return id;
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
	if (mail_spool_new(&s->transport, msg->buf, msg->len, &sp,
	    err) != 0)
		goto out;
	start = remind_clock();
	while ((rc = store_reminder_claim(o->db, rp->id, r, it->attempts, mid,
	    o->today, o->now, s->by, err)) < 0 &&
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
	mail_spool_send(sp, &s->transport, &end);
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
	mail_transport_close(&s->transport);
}

bool
ops_remind_breaker(const struct remind_sender *s)
{
	return s->in_row >= DELIVERY_BREAKER ||
	    mail_transport_down(&s->transport);
}
