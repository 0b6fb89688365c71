/*
 * What a planned mail says beyond its reminder's facts, loaded just before
 * it is composed (only the mails that go out pay for it): the partner's
 * profile and the matching reasons for an introduction, the first meeting
 * for a new pairing, a circle's members, the digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "core/schedule.h"
#include "core/score.h"
#include "core/token.h"
#include "io/mail.h"
#include "remind_int.h"
#include "store/person_store.h"
#include "store/remind_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define COMPOSE_REASONS 3

/* What the extra points to, owned here. */
struct compose {
	struct mail_extra x;
	struct person_rec mentor, mentee;
	bool have_mentor, have_mentee;
	char *mentor_goal, *mentee_goal;
	char *reasons[COMPOSE_REASONS];
	struct strbuf shared;
	struct remind_person *members;
};

static void
compose_free(struct compose *c)
{
	size_t i;

	if (c->have_mentor)
		person_rec_free(&c->mentor);
	if (c->have_mentee)
		person_rec_free(&c->mentee);
	free(c->mentor_goal);
	free(c->mentee_goal);
	for (i = 0; i < COMPOSE_REASONS; i++)
		free(c->reasons[i]);
	strbuf_release(&c->shared);
	free(c->members);
}

/* The mail's Date: the clock, on the day the run pretends it is (--today). */
static time_t
compose_date(const struct ops_ctx *o)
{
	long long secs;

	if (date_from_time(o->now) == o->today || o->today == DATE_NONE)
		return o->now;
	secs = ((long long)o->now % 86400 + 86400) % 86400;
	return (time_t)((long long)o->today * 86400 + secs);
}

/* A standard field or a free attribute of rec, by name; NULL when unknown. */
static const char *
compose_value(const struct person_rec *rec, const char *name)
{
	char *norm;
	int f;
	size_t i;

	if (name == NULL)
		return NULL;
	norm = people_header_name(name);
	f = people_field_parse(norm);
	free(norm);
	if (f >= 0)
		return rec->fields[f];
	for (i = 0; i < rec->nattrs; i++)
		if (strcasecmp(rec->attrs[i].name, name) == 0)
			return rec->attrs[i].value;
	return NULL;
}

static void
compose_person(const struct person_rec *rec, struct score_person *sp,
    struct score_attr *attrs)
{
	int level, day;
	size_t i;

	memset(sp, 0, sizeof *sp);
	sp->department = rec->fields[PEOPLE_DEPARTMENT];
	sp->title = rec->fields[PEOPLE_TITLE];
	sp->location = rec->fields[PEOPLE_LOCATION];
	sp->timezone = rec->fields[PEOPLE_TIMEZONE];
	sp->hired_on = DATE_NONE;
	sp->manager = -1;
	if (rec->fields[PEOPLE_LEVEL] != NULL &&
	    people_parse_level(rec->fields[PEOPLE_LEVEL], &level) == 0) {
		sp->has_level = true;
		sp->level = level;
	}
	if (rec->fields[PEOPLE_HIRED_ON] != NULL &&
	    date_parse(rec->fields[PEOPLE_HIRED_ON], &day) == 0)
		sp->hired_on = day;
	for (i = 0; i < rec->nattrs; i++) {
		attrs[i].name = rec->attrs[i].name;
		attrs[i].value = rec->attrs[i].value;
	}
	sp->attrs = attrs;
	sp->nattrs = rec->nattrs;
}

/*
 * The ';'-separated values of b that a also has (in b's spelling), ", "
 * between them, appended to out.
 */
static void
compose_common(const char *a, const char *b, struct strbuf *out)
{
	char *av, *bv, *p, *q, *sa, *sb;
	bool first = true;

	if (a == NULL || b == NULL)
		return;
	bv = xstrdup(b);
	for (p = strtok_r(bv, ";", &sb); p != NULL; p = strtok_r(NULL, ";",
	    &sb)) {
		p = people_trim(p);
		if (*p == '\0')
			continue;
		av = xstrdup(a);
		for (q = strtok_r(av, ";", &sa); q != NULL;
		    q = strtok_r(NULL, ";", &sa))
			if (strcasecmp(people_trim(q), p) == 0)
				break;
		if (q != NULL) {
			strbuf_addf(out, "%s%s", first ? "" : ", ", p);
			first = false;
		}
		free(av);
	}
	free(bv);
}

/* One reason in words: "shared skills / wants: go, sql (20.8 points)". */
static char *
compose_reason(const struct match_criterion *c, const struct person_rec *m,
    const struct person_rec *e, double points)
{
	const char *ma = c->attribute;
	const char *ea = c->mentee_attribute ? c->mentee_attribute : ma;
	const char *mv = compose_value(m, ma), *ev = compose_value(e, ea);
	struct strbuf sb = STRBUF_INIT;

	switch (c->compare) {
	case COMPARE_OVERLAP:
		strbuf_addf(&sb, "shared %s", ma);
		if (strcasecmp(ma, ea) != 0)
			strbuf_addf(&sb, " / %s", ea);
		strbuf_addstr(&sb, ": ");
		compose_common(mv, ev, &sb);
		break;
	case COMPARE_SAME:
		strbuf_addf(&sb, "the same %s (%s)", ma, ev ? ev : "");
		break;
	case COMPARE_DIFFERENT:
		strbuf_addf(&sb, "different %s (%s and %s)", ma, mv ? mv : "?",
		    ev ? ev : "?");
		break;
	case COMPARE_WITHIN_HOURS:
		strbuf_addf(&sb, "time zones at most %g hours apart (%s and "
		    "%s)", c->hours, mv ? mv : "?", ev ? ev : "?");
		break;
	case COMPARE_MENTOR_ABOVE:
		strbuf_addf(&sb, "the mentor's %s is above the mentee's", ma);
		break;
	case COMPARE_MENTEE_ABOVE:
		strbuf_addf(&sb, "the mentee's %s is above the mentor's", ma);
		break;
	case COMPARE_WITHIN:
	case COMPARE_CLOSE:
	case COMPARE_GAP:
		strbuf_addf(&sb, "%s a good distance apart", ma);
		break;
	case COMPARE_PREFERENCE:
		strbuf_addstr(&sb, "your own preferences");
		break;
	case COMPARE_WAITED:
		strbuf_addstr(&sb, "the mentee has waited for a match");
		break;
	case COMPARE_PREVIOUS_PARTNER:
		strbuf_addstr(&sb, "you were partners before");
		break;
	case COMPARE_NOT_IN:
		strbuf_addstr(&sb, "no conflict between you");
		break;
	}
	strbuf_addf(&sb, " (%.1f points)", points);
	return strbuf_detach(&sb, NULL);
}

/*
 * The top COMPOSE_REASONS criteria by their points in the pair's score, as
 * `match --explain` shows them (score_explain), and the shared interests.
 */
static int
compose_reasons(const struct ops_ctx *o, const struct program *p,
    struct compose *c, struct error *err)
{
	const struct program_matching *pm = &p->matching;
	struct score_table t = SCORE_TABLE_INIT;
	struct score_person people[2];
	struct score_attr *attrs[2];
	struct score_detail d;
	struct score_input in;
	int mentors[1] = { 0 }, mentees[1] = { 1 };
	double *contrib, *points, wsum = 0;
	bool *used;
	size_t i, k, best;

	if (pm->ncriteria == 0)
		return 0;
	attrs[0] = xcalloc(c->mentor.nattrs + 1, sizeof *attrs[0]);
	attrs[1] = xcalloc(c->mentee.nattrs + 1, sizeof *attrs[1]);
	compose_person(&c->mentor, &people[0], attrs[0]);
	compose_person(&c->mentee, &people[1], attrs[1]);
	memset(&in, 0, sizeof in);
	in.program = p;
	in.people = people;
	in.npeople = 2;
	in.mentors = mentors;
	in.nmentors = 1;
	in.mentees = mentees;
	in.nmentees = 1;
	in.day = o->today;
	contrib = xcalloc(pm->ncriteria, sizeof *contrib);
	points = xcalloc(pm->ncriteria, sizeof *points);
	used = xcalloc(pm->ncriteria, sizeof *used);
	if (score_build(&in, &t, err) != 0) {
		free(attrs[0]);
		free(attrs[1]);
		free(contrib);
		free(points);
		free(used);
		return -1;
	}
	score_explain(&t, 0, 0, contrib, &d);
	score_table_free(&t);
	for (i = 0; i < pm->ncriteria; i++)
		wsum += pm->criteria[i].weight;
	for (i = 0; i < pm->ncriteria; i++)
		points[i] = wsum > 0 ? 100 * pm->criteria[i].weight * contrib[i] /
		    wsum : 0;
	for (k = 0; k < COMPOSE_REASONS; k++) {
		best = pm->ncriteria;
		for (i = 0; i < pm->ncriteria; i++)
			if (!used[i] && points[i] > 0.005 &&
			    (best == pm->ncriteria || points[i] > points[best]))
				best = i;
		if (best == pm->ncriteria)
			break;
		used[best] = true;
		c->reasons[k] = compose_reason(&pm->criteria[best], &c->mentor,
		    &c->mentee, points[best]);
	}
	c->x.reasons = (const char *const *)c->reasons;
	c->x.nreasons = k;
	for (i = 0; i < pm->ncriteria; i++) {
		const struct match_criterion *cr = &pm->criteria[i];

		if (cr->compare == COMPARE_OVERLAP && contrib[i] > 0) {
			struct strbuf one = STRBUF_INIT;

			compose_common(compose_value(&c->mentor, cr->attribute),
			    compose_value(&c->mentee, cr->mentee_attribute ?
			    cr->mentee_attribute : cr->attribute), &one);
			if (one.len > 0)
				strbuf_addf(&c->shared, "%s%s", c->shared.len ?
				    ", " : "", one.buf);
			strbuf_release(&one);
		}
	}
	c->x.shared = c->shared.len > 0 ? c->shared.buf : NULL;
	free(attrs[0]);
	free(attrs[1]);
	free(contrib);
	free(points);
	free(used);
	return 0;
}

/* The partner's card, the goal, and for an introduction the reasons. */
static int
compose_partner(const struct ops_ctx *o, const struct program *p,
    const struct reminder *r, struct compose *c, struct error *err)
{
	const struct person_rec *partner;

	if (store_person_get(o->db, r->mentor.email, &c->mentor, err) != 0)
		return -1;
	c->have_mentor = true;
	if (store_person_get(o->db, r->mentee.email, &c->mentee, err) != 0)
		return -1;
	c->have_mentee = true;
	if (store_remind_goals(o->db, r->pairing_id, &c->mentor_goal,
	    &c->mentee_goal, err) != 0)
		return -1;
	partner = r->role == REMIND_ROLE_MENTOR ? &c->mentee : &c->mentor;
	c->x.partner.email = partner->fields[PEOPLE_EMAIL];
	c->x.partner.title = partner->fields[PEOPLE_TITLE];
	c->x.partner.department = partner->fields[PEOPLE_DEPARTMENT];
	c->x.partner.location = partner->fields[PEOPLE_LOCATION];
	c->x.partner.timezone = partner->fields[PEOPLE_TIMEZONE];
	c->x.goal = c->mentee_goal;
	if (r->kind == REMIND_INTRODUCTION)
		return compose_reasons(o, p, c, err);
	return 0;
}

static int
pairing_id_cmp(const void *a, const void *b)
{
	const long long *k = a;
	const struct remind_pairing *pr = b;

	return (*k > pr->id) - (*k < pr->id);
}

/* The first meeting of a pairing that starts: its day and its topic. */
static void
compose_first(const struct ops_ctx *o, const struct program *p,
    const struct remind_prog *rp, long long pairing_id, struct compose *c)
{
	const struct remind_pairing *pr;
	struct sched_status st;

	if (!p->checkins.present || p->checkins.every.n <= 0)
		return;
	pr = xbsearch(&pairing_id, rp->roster.v, rp->roster.n,
	    sizeof *rp->roster.v, pairing_id_cmp);
	if (pr == NULL || pr->anchor == DATE_NONE ||
	    sched_status(&p->checkins, pr->anchor, pr->meetings, pr->nmeetings,
	    o->today, &st, NULL) == -1)
		return;
	c->x.first_due = st.due_on;
	c->x.first_prompt = st.prompt;
}

/* The members of the circle r is about, for every circle mail. */
static void
compose_members(const struct remind_prog *rp, const struct reminder *r,
    struct compose *c)
{
	const struct remind_circle *circle = NULL;
	long long id = r->circle_id;
	size_t i, k;

	if (id == 0) {
		/* A member's own mail names the circle too. */
		for (i = 0; i < rp->ncircles && circle == NULL; i++)
			for (k = 0; k < rp->circles[i].n; k++)
				if (rp->circles[i].members[k]->id ==
				    r->pairing_id) {
					circle = &rp->circles[i];
					break;
				}
	} else {
		for (i = 0; i < rp->ncircles; i++)
			if (rp->circles[i].id == id)
				circle = &rp->circles[i];
	}
	if (circle == NULL)
		return;
	c->members = xcalloc(circle->n, sizeof *c->members);
	for (i = 0; i < circle->n; i++)
		c->members[i] = circle->members[i]->mentee;
	c->x.members = c->members;
	c->x.nmembers = circle->n;
}

/* The question a mail asks, as the reply token names it. */
static enum token_question
compose_question(enum remind_kind k)
{
	switch (k) {
	case REMIND_INTRODUCTION:
	case REMIND_PROPOSAL_EXPIRING:
		return TOKEN_Q_PROPOSAL;
	case REMIND_REUP_OPEN:
	case REMIND_REUP_CLOSING:
		return TOKEN_Q_REUP;
	case REMIND_CLOSURE:
		return TOKEN_Q_FEEDBACK;
	case REMIND_CHECKIN_DUE:
	case REMIND_CHECKIN_OVERDUE:
	case REMIND_STALLED:
	case REMIND_MATCHED:
	case REMIND_NEW_MENTOR:
	case REMIND_CIRCLE_ROSTER:
	case REMIND_REUP_OUTCOME:
	case REMIND_DIGEST:
	default:
		return TOKEN_Q_CHECKIN;
	}
}

/*
 * The last day an answer counts: the proposal's or the re-up window's
 * own, else two months after the mail's day (a meeting is often reported
 * late, feedback later still).  From due_on, never from today: every
 * retry of a mail carries the same token.
 */
#define COMPOSE_ANSWER_DAYS 60

static int
compose_expiry(const struct reminder *r)
{
	switch (r->kind) {
	case REMIND_INTRODUCTION:
	case REMIND_PROPOSAL_EXPIRING:
		if (r->expires_on != DATE_NONE)
			return r->expires_on;
		break;
	case REMIND_REUP_OPEN:
	case REMIND_REUP_CLOSING:
		if (r->reup_closes_on != DATE_NONE)
			return r->reup_closes_on;
		break;
	default:
		break;
	}
	return date_add_days(r->due_on, COMPOSE_ANSWER_DAYS);
}

bool
ops_remind_token(const struct remind_plan *plan,
    const struct remind_item *it, char *tok)
{
	const struct reminder *r = &it->r;
	struct token_claims c;
	struct error err = ERROR_INIT;

	if (!plan->have_secret || r->kind == REMIND_DIGEST ||
	    r->to_person <= 0 || r->pairing_id <= 0)
		return false;
	memset(&c, 0, sizeof c);
	c.person_id = r->to_person;
	c.subject_id = r->pairing_id;
	c.question = compose_question(r->kind);
	c.expires_on = compose_expiry(r);
	if (token_make(&c, plan->secret, tok, &err) != 0) {
		error_clear(&err);
		return false;
	}
	return true;
}

int
ops_remind_compose(const struct ops_ctx *o, const struct remind_plan *plan,
    const struct remind_item *it, struct strbuf *msg, struct error *err)
{
	const struct remind_prog *rp = &plan->progs[it->prog];
	const struct program *p = rp->p;
	const struct reminder *r = &it->r;
	struct error terr = ERROR_INIT;
	struct compose c;
	char tok[TOKEN_BUFSZ], *message_id, *reply_to = NULL;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.x = (struct mail_extra)MAIL_EXTRA_INIT;
	strbuf_init(&c.shared);
	switch (r->kind) {
	case REMIND_INTRODUCTION:
	case REMIND_MATCHED:
	case REMIND_NEW_MENTOR:
		if (compose_partner(o, p, r, &c, err) != 0)
			goto out;
		if (r->kind != REMIND_INTRODUCTION)
			compose_first(o, p, rp, r->pairing_id, &c);
		if (r->kind == REMIND_NEW_MENTOR && r->activated_on != DATE_NONE)
			c.x.period_ends = date_add_days(date_add_duration(
			    r->activated_on, p->rotation.every, 1), -1);
		break;
	case REMIND_CIRCLE_ROSTER:
		compose_first(o, p, rp, r->pairing_id, &c);
		break;
	case REMIND_DIGEST:
		/* The digest goes last: what this run could not deliver too. */
		if (ops_remind_digest_refresh(o, rp, err) != 0)
			goto out;
		c.x.digest = rp->digest;
		break;
	default:
		break;
	}
	if (p->format == FORMAT_GROUP)
		compose_members(rp, r, &c);
	/* The token in the Message-ID and in the Reply-To plus-address. */
	message_id = ops_remind_message_id(plan, it);
	c.x.message_id = message_id;
	if (ops_remind_token(plan, it, tok) &&
	    token_address(p->contact, tok, &reply_to, &terr) != 0)
		error_clear(&terr);
	c.x.reply_to = reply_to;
	rc = mail_reminder_ex(p, r, &c.x, compose_date(o), msg, err);
	free(message_id);
	free(reply_to);
out:
	compose_free(&c);
	return rc;
}
