/*
 * remind's rules: which mails are due (core/remind.h), which of them are
 * recorded already (store/reminder_store.h), and each one's delivery
 * exactly once.
 */
#include "ops/remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/program.h"
#include "io/mail.h"
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
    const bool *recorded, struct error *err)
{
	struct reminder_list full = REMINDER_LIST_INIT;
	size_t i, k;

	for (i = 0; i < n; i++)
		if (!recorded[i] && remind_is_checkin(r[i].kind))
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

/*
 * The reminders of programme k due today that are not recorded yet,
 * pairing by pairing: the full list (most of it recorded on earlier
 * mornings) is never held.
 */
static int
plan_pending(const struct ops_ctx *o, struct remind_plan *plan, size_t k,
    struct error *err)
{
	struct remind_prog *rp = &plan->progs[k];
	struct reminder_list one = REMINDER_LIST_INIT;
	struct reminder_check *check;
	bool *recorded = NULL;
	size_t i, j, cap = 0;
	int rc = 0;

	if ((check = store_reminder_check_begin(o->db, rp->id, time(NULL),
	    err)) == NULL)
		return -1;
	for (i = 0; i < rp->roster.n && rc == 0; i++) {
		one.n = 0;
		if (remind_pairing(rp->p, &rp->roster.v[i], o->today,
		    &one) == 0)
			continue;
		XGROW(recorded, one.n, cap);
		if ((rc = store_reminder_check(check, one.v, one.n, recorded,
		    err)) != 0)
			break;
		if ((rc = plan_complete(o, rp, &rp->roster.v[i], one.v, one.n,
		    recorded, err)) != 0)
			break;
		for (j = 0; j < one.n; j++) {
			if (recorded[j]) {
				plan->recorded++;
				continue;
			}
			XGROW(plan->items, plan->n + 1, plan->cap);
			plan->items[plan->n].r = one.v[j];
			plan->items[plan->n].prog = k;
			plan->n++;
		}
	}
	store_reminder_check_end(check);
	remind_list_free(&one);
	free(recorded);
	return rc;
}

/*
 * One programme.  lenient: a programme that cannot be loaded is a problem
 * of the plan, not an error, as in a run over all of them.
 */
static int
plan_program(const struct ops_ctx *o, struct remind_plan *plan,
    const char *slug, bool lenient, struct error *err)
{
	struct remind_prog *rp;
	struct program *p = NULL;
	long long id;
	size_t k, first = plan->n, n;

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
	if (plan_pending(o, plan, k, err) != 0)
		return -1;
	n = plan->n - first;
	if (n > 0 && (p->contact == NULL || !mail_addr_valid(p->contact))) {
		plan_problem(plan, EX_DATAERR, xasprintf("programme '%s' has no "
		    "valid contact address (the From of its reminders): %zu "
		    "reminder%s not sent; set 'contact:' in its YAML", p->slug,
		    n, n == 1 ? "" : "s"));
		plan->n = first;
	}
	return 0;
}

int
ops_remind_plan(const struct ops_ctx *o, const char *only,
    struct remind_plan *plan, struct error *err)
{
	char **slugs;
	size_t n, i;
	int rc = 0;

	memset(plan, 0, sizeof *plan);
	if (only != NULL)
		return plan_program(o, plan, only, false, err);
	if (store_reminder_programs(o->db, &slugs, &n, err) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = plan_program(o, plan, slugs[i], true, err);
	reminder_programs_free(slugs, n);
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

int
ops_remind_deliver(const struct ops_ctx *o, const struct remind_sender *s,
    const struct remind_plan *plan, const struct remind_item *it,
    const struct strbuf *msg, enum remind_outcome *out, struct error *err)
{
	const struct remind_prog *rp = &plan->progs[it->prog];
	const struct reminder *r = &it->r;
	char *mid;
	int rc;

	/* The clock, not the start of the run: a long run's claims stay fresh. */
	rc = store_reminder_claim(o->db, rp->id, r, time(NULL), s->by, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		*out = REMIND_OUT_TAKEN;
		return 0;
	}
	if (mail_send(s->sendmail, msg->buf, msg->len, err) != 0) {
		struct error rel = ERROR_INIT;

		/* Give it back so that the next run retries it. */
		if (store_reminder_release(o->db, rp->id, r, s->by, &rel) != 0)
			error_clear(&rel);
		return -1;
	}
	mid = ops_remind_message_id(plan, it);
	rc = store_reminder_sent(o->db, rp->id, r, s->by, mid, time(NULL),
	    err);
	free(mid);
	if (rc != 0) {
		/*
		 * The mail went out; the claim stays, so no other run sends it
		 * again within the hour.  Say which one it was.
		 */
		error_prefix(err, "%s reminder for pairing %lld to %s was sent "
		    "but not recorded: ", remind_kind_name(r->kind),
		    r->pairing_id, r->to.email);
		return -1;
	}
	*out = REMIND_OUT_SENT;
	return 0;
}
