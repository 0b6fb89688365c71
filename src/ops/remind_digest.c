/*
 * The coordinators' daily digest (core/digest.h): gathered here, with the
 * stalled pairs and unanswered proposals the pass over the roster found,
 * and planned as one mail to the programme's contact when something in it
 * is new.
 */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/digest.h"
#include "core/program.h"
#include "remind_int.h"
#include "store/mail_store.h"
#include "store/reminder_store.h"
#include "store/remind_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/*
 * What inbox records for a reply that did what it was meant to do (or
 * that needs nothing: an auto-reply, a delivery report, which the bounce
 * list shows): every other outcome is a failed reply for the digest.
 */
static const char *const digest_fine_replies[] = {
	"recorded", "help", "auto-reply", "bounce", "duplicate", NULL,
};

static void
digest_mark(struct digest_line *v, size_t n, int last)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i].fresh = last == DATE_NONE || v[i].day > last;
}

static int
digest_bounces(const struct ops_ctx *o, long long program_id,
    struct remind_digest *d, struct error *err)
{
	struct strbuf who = STRBUF_INIT;
	struct bounce_row *b;
	size_t n, i;

	if (store_bounce_list(o->db, program_id, &b, &n, err) != 0)
		return -1;
	d->bounces = n > 0 ? xcalloc(n, sizeof *d->bounces) : NULL;
	for (i = 0; i < n; i++) {
		struct digest_line *l = &d->bounces[i];

		strbuf_reset(&who);
		if (b[i].name && b[i].name[0])
			strbuf_addf(&who, "%s <%s>", b[i].name, b[i].address);
		else
			strbuf_addstr(&who, b[i].address);
		l->who = xstrdup(who.buf);
		l->what = NULL;
		l->why = b[i].reason ? xstrdup(b[i].reason) : NULL;
		l->day = b[i].since_on;
	}
	d->nbounces = n;
	bounce_rows_free(b, n);
	strbuf_release(&who);
	return 0;
}

static int
digest_replies(const struct ops_ctx *o, long long program_id,
    struct remind_digest *d, struct error *err)
{
	struct mail_handled_row *h;
	int from = d->last == DATE_NONE ? DATE_MIN_DAY :
	    date_add_days(d->last, 1);
	size_t n, i;

	if (store_mail_handled_list(o->db, program_id, true, from, o->today,
	    digest_fine_replies, &h, &n, err) != 0)
		return -1;
	d->replies = n > 0 ? xcalloc(n, sizeof *d->replies) : NULL;
	for (i = 0; i < n; i++) {
		struct digest_line *l = &d->replies[i];

		l->who = xstrdup(h[i].sender && h[i].sender[0] ? h[i].sender :
		    "(no sender)");
		l->what = xstrdup(h[i].outcome);
		l->why = h[i].detail ? xstrdup(h[i].detail) : NULL;
		l->day = h[i].handled_on;
		l->fresh = true;
	}
	d->nreplies = n;
	mail_handled_rows_free(h, n);
	return 0;
}

int
ops_remind_digest_refresh(const struct ops_ctx *o,
    const struct remind_prog *rp, struct error *err)
{
	struct remind_digest *d = rp->digest;
	size_t i;

	if (d == NULL)
		return 0;
	for (i = 0; i < d->nundelivered; i++) {
		free(d->undelivered[i].who);
		free(d->undelivered[i].what);
		free(d->undelivered[i].why);
	}
	free(d->undelivered);
	d->undelivered = NULL;
	d->nundelivered = 0;
	if (store_digest_undelivered(o->db, rp->id, d->last, o->today, o->now,
	    &d->undelivered, &d->nundelivered, err) != 0)
		return -1;
	digest_mark(d->undelivered, d->nundelivered, d->last);
	return 0;
}

int
ops_remind_digest(const struct ops_ctx *o, struct remind_plan *plan,
    size_t k, struct error *err)
{
	struct remind_prog *rp = &plan->progs[k];
	struct remind_digest *d = rp->digest;
	struct reminder_check *check;
	struct reminder_log log;
	struct bounce_set bounces;
	struct reminder r;
	bool held;

	if (store_digest_pending(o->db, rp->id, &d->pending, &d->npending,
	    err) != 0 ||
	    digest_bounces(o, rp->id, d, err) != 0 ||
	    digest_replies(o, rp->id, d, err) != 0 ||
	    store_digest_undelivered(o->db, rp->id, d->last, o->today, o->now,
	    &d->undelivered, &d->nundelivered, err) != 0)
		return -1;
	digest_mark(d->pending, d->npending, d->last);
	digest_mark(d->bounces, d->nbounces, d->last);
	digest_mark(d->undelivered, d->nundelivered, d->last);
	if (!digest_has_news(d))
		return 0;

	memset(&r, 0, sizeof r);
	r.kind = REMIND_DIGEST;
	r.due_on = o->today;
	r.role = REMIND_ROLE_CONTACT;
	r.to.name = rp->p->name;
	r.to.email = rp->p->contact;
	r.last_meeting = r.since = r.proposed_on = r.expires_on = DATE_NONE;
	r.reup_closes_on = r.cycle_ends_on = r.stalled_on = DATE_NONE;
	r.activated_on = DATE_NONE;
	if ((check = store_reminder_check_begin(o->db, rp->id, err)) == NULL)
		return -1;
	if (store_reminder_check(check, &r, 1, &log, err) != 0) {
		store_reminder_check_end(check);
		return -1;
	}
	store_reminder_check_end(check);
	if (log.present && (log.state != DELIVERY_FAILED ||
	    !delivery_retry_due(log.attempts, log.failed_on, log.failed_at,
	    o->today, o->now))) {
		plan->recorded++;
		return 0;
	}
	if (store_bounce_set(o->db, &bounces, err) != 0)
		return -1;
	held = bounce_set_has(&bounces, r.to.email);
	bounce_set_free(&bounces);
	ops_remind_plan_add(plan, &r, k, log.present ? log.attempts : 0, held);
	return 0;
}
