#include "core/remind.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/schedule.h"
#include "util/xmalloc.h"

static const char *const remind_kinds[REMIND_NKINDS] = {
	[REMIND_CHECKIN_DUE] = "checkin_due",
	[REMIND_CHECKIN_OVERDUE] = "checkin_overdue",
	[REMIND_STALLED] = "stalled",
	[REMIND_PROPOSAL_EXPIRING] = "proposal_expiring",
	[REMIND_REUP_OPEN] = "reup_open",
	[REMIND_INTRODUCTION] = "introduction",
	[REMIND_MATCHED] = "matched",
	[REMIND_NEW_MENTOR] = "new_mentor",
	[REMIND_CIRCLE_ROSTER] = "circle_roster",
	[REMIND_REUP_CLOSING] = "reup_closing",
	[REMIND_REUP_OUTCOME] = "reup_outcome",
	[REMIND_CLOSURE] = "closure",
	[REMIND_INTRO_REQUEST] = "introduction_request",
	[REMIND_DIGEST] = "digest",
};

static struct reminder *
remind_add(struct reminder_list *out, enum remind_kind kind,
    const struct remind_pairing *pr, int due_on, enum remind_role role)
{
	struct reminder *r;

	XGROW(out->v, out->n + 1, out->cap);
	r = &out->v[out->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->pairing_id = pr->id;
	r->due_on = due_on;
	r->role = role;
	switch (role) {
	case REMIND_ROLE_MENTOR:
		r->to = pr->mentor;
		r->to_person = pr->mentor_person;
		break;
	case REMIND_ROLE_MENTEE:
		r->to = pr->mentee;
		r->to_person = pr->mentee_person;
		break;
	case REMIND_ROLE_CONTACT:
		break;
	}
	r->mentor = pr->mentor;
	r->mentee = pr->mentee;
	r->last_meeting = DATE_NONE;
	r->since = DATE_NONE;
	r->proposed_on = DATE_NONE;
	r->expires_on = DATE_NONE;
	r->reup_closes_on = DATE_NONE;
	r->cycle_ends_on = DATE_NONE;
	r->stalled_on = DATE_NONE;
	r->activated_on = pr->activated_on;
	r->group_id = pr->group_id;
	r->slot = pr->slot;
	r->ended_by_reup = pr->ended_by_reup;
	return r;
}

void
remind_intro_request(const struct remind_pairing *pr, int due_on,
    int meeting, int made, int target, struct reminder_list *out)
{
	struct reminder *r = remind_add(out, REMIND_INTRO_REQUEST, pr, due_on,
	    REMIND_ROLE_MENTOR);

	r->meeting_number = meeting;
	r->intro_made = made;
	r->intro_target = target;
}

/* On the event's day or within the REMIND_LIFECYCLE_DAYS after it. */
static bool
remind_recent(int event, int today)
{
	return event != DATE_NONE && today >= event &&
	    today - event < REMIND_LIFECYCLE_DAYS;
}

/* Both partners, mentor first. */
static void
remind_both(struct reminder_list *out, enum remind_kind kind,
    const struct remind_pairing *pr, int due_on)
{
	remind_add(out, kind, pr, due_on, REMIND_ROLE_MENTOR);
	remind_add(out, kind, pr, due_on, REMIND_ROLE_MENTEE);
}

static bool
remind_in_circle(const struct program *p, const struct remind_pairing *pr)
{
	return p->format == FORMAT_GROUP && pr->group_id > 0;
}

static bool
remind_has_email(const struct remind_person *who)
{
	return who->email != NULL && who->email[0] != '\0';
}


static void
remind_checkin_facts(struct reminder *r, const struct sched_status *st)
{
	r->meeting_number = st->next_number;
	r->prompt = st->prompt;
	r->last_meeting = st->last_meeting;
	r->since = st->base;
	r->days_overdue = st->days_late;
	r->missed = st->missed;
	r->stalled_on = st->stalled_on;
}

/*
 * The check-in reminder pr owes today, if any: its kind and due day in
 * *kind and *due_on, its facts in *st.  false when none.
 */
static bool
remind_checkin_due(const struct program *p, const struct remind_pairing *pr,
    int today, struct sched_status *st, enum remind_kind *kind, int *due_on)
{
	if (!p->checkins.present || p->checkins.every.n <= 0)
		return false;
	if (sched_status(&p->checkins, pr->anchor, pr->meetings,
	    pr->nmeetings, today, st, NULL) == -1)
		return false;
	switch (st->state) {
	case SCHED_OK:
		return false;
	case SCHED_DUE:
		*kind = REMIND_CHECKIN_DUE;
		*due_on = st->due_on;
		return true;
	case SCHED_OVERDUE:
		*kind = REMIND_CHECKIN_OVERDUE;
		*due_on = st->due_on;
		return true;
	case SCHED_STALLED:
	default:
		/* Stalled from the day after stalled_on; again every week. */
		*kind = REMIND_STALLED;
		*due_on = st->stalled_on;
		if (today > st->stalled_on)
			*due_on = date_add_days(st->stalled_on,
			    (today - st->stalled_on - 1) / REMIND_STALLED_EVERY *
			    REMIND_STALLED_EVERY);
		return true;
	}
}

static size_t
remind_checkins(const struct program *p, const struct remind_pairing *pr,
    int today, struct reminder_list *out)
{
	struct sched_status st;
	struct reminder *r;
	enum remind_kind kind;
	enum remind_role role;
	int due_on;
	size_t before = out->n;

	if (!remind_checkin_due(p, pr, today, &st, &kind, &due_on))
		return 0;
	/* A circle's mentor hears once per circle meeting: remind_circle. */
	role = remind_in_circle(p, pr) ? REMIND_ROLE_MENTEE : REMIND_ROLE_MENTOR;
	for (; role <= REMIND_ROLE_MENTEE; role++) {
		r = remind_add(out, kind, pr, due_on, role);
		remind_checkin_facts(r, &st);
	}
	return out->n - before;
}

/* The parties whose answer the consent rule still waits for. */
static void
remind_unanswered(const struct program *p, const struct remind_pairing *pr,
    bool *mentor, bool *mentee)
{
	switch (p->matching.consent) {
	case CONSENT_BOTH:
		*mentor = !pr->mentor_accepted;
		*mentee = !pr->mentee_accepted;
		break;
	case CONSENT_MENTEE:
		*mentor = false;
		*mentee = !pr->mentee_accepted;
		break;
	case CONSENT_NONE:
	default:
		*mentor = *mentee = false;
		break;
	}
}

static size_t
remind_proposal(const struct program *p, const struct remind_pairing *pr,
    int today, struct reminder_list *out)
{
	struct reminder *r;
	bool need_mentor, need_mentee;
	size_t before = out->n;
	int from;

	if (pr->expires_on == DATE_NONE || today > pr->expires_on)
		return 0;
	from = date_add_days(pr->expires_on, -REMIND_PROPOSAL_DAYS);
	if (pr->proposed_on != DATE_NONE && from < pr->proposed_on)
		from = pr->proposed_on;
	if (today < from)
		return 0;
	remind_unanswered(p, pr, &need_mentor, &need_mentee);
	if (need_mentor) {
		r = remind_add(out, REMIND_PROPOSAL_EXPIRING, pr,
		    pr->expires_on, REMIND_ROLE_MENTOR);
		r->proposed_on = pr->proposed_on;
		r->expires_on = pr->expires_on;
	}
	if (need_mentee) {
		r = remind_add(out, REMIND_PROPOSAL_EXPIRING, pr,
		    pr->expires_on, REMIND_ROLE_MENTEE);
		r->proposed_on = pr->proposed_on;
		r->expires_on = pr->expires_on;
	}
	return out->n - before;
}

/*
 * Both partners meet each other on the day of the proposal, while it is
 * open: a consent none pairing is active at once and gets `matched`.
 */
static size_t
remind_introduction(const struct program *p, const struct remind_pairing *pr,
    int today, struct reminder_list *out)
{
	size_t before = out->n;
	enum remind_role role;
	struct reminder *r;

	if (p->matching.consent == CONSENT_NONE || p->format == FORMAT_FLASH ||
	    !remind_recent(pr->proposed_on, today) ||
	    (pr->expires_on != DATE_NONE && today > pr->expires_on))
		return 0;
	for (role = REMIND_ROLE_MENTOR; role <= REMIND_ROLE_MENTEE; role++) {
		r = remind_add(out, REMIND_INTRODUCTION, pr, pr->proposed_on,
		    role);
		r->proposed_on = pr->proposed_on;
		r->expires_on = pr->expires_on;
	}
	return out->n - before;
}

static size_t
remind_started(const struct program *p, const struct remind_pairing *pr,
    int today, struct reminder_list *out)
{
	size_t before = out->n;

	if (p->format == FORMAT_FLASH || remind_in_circle(p, pr) ||
	    !remind_recent(pr->activated_on, today))
		return 0;
	remind_both(out, p->format == FORMAT_ROTATIONAL && pr->slot > 0 ?
	    REMIND_NEW_MENTOR : REMIND_MATCHED, pr, pr->activated_on);
	return out->n - before;
}

static size_t
remind_reup(const struct remind_pairing *pr, int today, enum remind_kind kind,
    struct reminder_list *out)
{
	struct reminder *r;
	size_t before = out->n;
	bool answered[2];
	int i, from, due_on;

	if (pr->reup_opens_on == DATE_NONE || pr->reup_closes_on == DATE_NONE)
		return 0;
	if (kind == REMIND_REUP_OPEN) {
		from = pr->reup_opens_on;
		due_on = pr->reup_opens_on;
	} else {
		/* Not on the day it opened: one mail a day is enough. */
		from = date_add_days(pr->reup_closes_on, -REMIND_PROPOSAL_DAYS);
		if (from <= pr->reup_opens_on)
			from = date_add_days(pr->reup_opens_on, 1);
		due_on = pr->reup_closes_on;
	}
	if (today < from || today > pr->reup_closes_on)
		return 0;
	answered[REMIND_ROLE_MENTOR] = pr->mentor_answered;
	answered[REMIND_ROLE_MENTEE] = pr->mentee_answered;
	for (i = REMIND_ROLE_MENTOR; i <= REMIND_ROLE_MENTEE; i++) {
		if (answered[i])
			continue;
		r = remind_add(out, kind, pr, due_on, (enum remind_role)i);
		r->reup_closes_on = pr->reup_closes_on;
		r->cycle_ends_on = pr->cycle_ends_on;
	}
	return out->n - before;
}

static size_t
remind_continued(const struct remind_pairing *pr, int today,
    struct reminder_list *out)
{
	size_t before = out->n;

	if (remind_recent(pr->continued_on, today))
		remind_both(out, REMIND_REUP_OUTCOME, pr, pr->continued_on);
	return out->n - before;
}

static size_t
remind_closure(const struct program *p, const struct remind_pairing *pr,
    int today, struct reminder_list *out)
{
	size_t before = out->n;

	if (p->format != FORMAT_FLASH && remind_recent(pr->ended_on, today))
		remind_both(out, REMIND_CLOSURE, pr, pr->ended_on);
	return out->n - before;
}

/* Drop what cannot be addressed (a partner without an e-mail address). */
static void
remind_drop_unaddressed(struct reminder_list *out, size_t from)
{
	size_t i, j;

	for (i = j = from; i < out->n; i++)
		if (remind_has_email(&out->v[i].to))
			out->v[j++] = out->v[i];
	out->n = j;
}

size_t
remind_pairing(const struct program *p, const struct remind_pairing *pr,
    int today, struct reminder_list *out)
{
	size_t before = out->n;

	if (today == DATE_NONE)
		return 0;
	/* In kind order, so that a pairing's mails come sorted. */
	switch (pr->status) {
	case REMIND_PAIRING_ACTIVE:
		remind_checkins(p, pr, today, out);
		remind_reup(pr, today, REMIND_REUP_OPEN, out);
		remind_started(p, pr, today, out);
		remind_reup(pr, today, REMIND_REUP_CLOSING, out);
		remind_continued(pr, today, out);
		break;
	case REMIND_PAIRING_PROPOSED:
		remind_proposal(p, pr, today, out);
		remind_introduction(p, pr, today, out);
		break;
	case REMIND_PAIRING_ENDED:
		remind_closure(p, pr, today, out);
		break;
	case REMIND_PAIRING_OTHER:
		break;
	}
	remind_drop_unaddressed(out, before);
	return out->n - before;
}

/* The mentor's one reminder for the circle's meeting of this kind and day. */
static void
remind_circle_checkin(const struct program *p,
    const struct remind_pairing *const *members, size_t n, long long circle,
    int today, struct reminder_list *out)
{
	struct sched_status st;
	enum remind_kind kind;
	struct reminder *r;
	size_t i, j, from = out->n;
	int due_on;

	for (i = 0; i < n; i++) {
		if (!remind_checkin_due(p, members[i], today, &st, &kind,
		    &due_on))
			continue;
		for (j = from; j < out->n; j++)
			if (out->v[j].kind == kind && out->v[j].due_on == due_on)
				break;
		if (j < out->n)
			continue;
		r = remind_add(out, kind, members[0], due_on,
		    REMIND_ROLE_MENTOR);
		r->circle_id = circle;
		remind_checkin_facts(r, &st);
	}
	/* Kind order, then due day. */
	for (i = from + 1; i < out->n; i++)
		for (j = i; j > from && (out->v[j - 1].kind > out->v[j].kind ||
		    (out->v[j - 1].kind == out->v[j].kind &&
		    out->v[j - 1].due_on > out->v[j].due_on)); j--) {
			struct reminder t = out->v[j];

			out->v[j] = out->v[j - 1];
			out->v[j - 1] = t;
		}
}

size_t
remind_circle(const struct program *p,
    const struct remind_pairing *const *members, size_t n, int today,
    struct reminder_list *out)
{
	size_t before = out->n, i;
	struct reminder *r;
	long long circle;
	int latest = DATE_NONE;

	if (n == 0 || today == DATE_NONE)
		return 0;
	circle = members[0]->group_id;
	remind_circle_checkin(p, members, n, circle, today, out);
	for (i = 0; i < n; i++)
		if (members[i]->activated_on != DATE_NONE &&
		    (latest == DATE_NONE || members[i]->activated_on > latest))
			latest = members[i]->activated_on;
	if (remind_recent(latest, today)) {
		r = remind_add(out, REMIND_CIRCLE_ROSTER, members[0], latest,
		    REMIND_ROLE_MENTOR);
		r->circle_id = circle;
		r->activated_on = latest;
		for (i = 0; i < n; i++) {
			r = remind_add(out, REMIND_CIRCLE_ROSTER, members[i],
			    latest, REMIND_ROLE_MENTEE);
			r->circle_id = circle;
			r->activated_on = latest;
		}
	}
	remind_drop_unaddressed(out, before);
	return out->n - before;
}

void
remind_collect(const struct program *p, const struct remind_pairing *v,
    size_t n, int today, struct reminder_list *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		remind_pairing(p, &v[i], today, out);
	remind_sort(out);
}

static int
remind_cmp(const void *a, const void *b)
{
	const struct reminder *x = a, *y = b;

	if (x->circle_id != y->circle_id)
		return x->circle_id < y->circle_id ? -1 : 1;
	if (x->pairing_id != y->pairing_id)
		return x->pairing_id < y->pairing_id ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->due_on != y->due_on)
		return x->due_on < y->due_on ? -1 : 1;
	return 0;
}

void
remind_sort(struct reminder_list *l)
{
	size_t i;

	/* The store hands pairings over in id order: usually nothing to do. */
	for (i = 1; i < l->n; i++)
		if (remind_cmp(&l->v[i - 1], &l->v[i]) > 0)
			break;
	if (i < l->n)
		xqsort(l->v, l->n, sizeof l->v[0], remind_cmp);
}

/* Decimal digits of v >= 0 at p; returns the end.  No printf: hot path. */
static char *
remind_put_id(char *p, long long v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < (int)sizeof digits);
	while (n > 0)
		*p++ = digits[--n];
	*p = '\0';
	return p;
}

char *
remind_subject_key(const struct reminder *r, char buf[REMIND_KEY_BUFSZ])
{
	if (r->circle_id > 0) {
		memcpy(buf, "circle:", 7);
		remind_put_id(buf + 7, r->circle_id);
	} else if (r->pairing_id > 0) {
		memcpy(buf, "pairing:", 8);
		remind_put_id(buf + 8, r->pairing_id);
	} else {
		memcpy(buf, "program", 8);
	}
	return buf;
}

bool
remind_same_event(const struct reminder *a, const struct reminder *b)
{
	return a->kind == b->kind && a->due_on == b->due_on &&
	    a->circle_id == b->circle_id &&
	    (a->circle_id > 0 || a->pairing_id == b->pairing_id);
}

void
remind_list_free(struct reminder_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

const char *
remind_kind_name(enum remind_kind k)
{
	if ((int)k < 0 || (int)k >= REMIND_NKINDS)
		return "?";
	return remind_kinds[k];
}

int
remind_kind_parse(const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < REMIND_NKINDS; i++)
		if (strcmp(remind_kinds[i], s) == 0)
			return i;
	return -1;
}

const char *
remind_role_name(enum remind_role r)
{
	switch (r) {
	case REMIND_ROLE_MENTOR:
		return "mentor";
	case REMIND_ROLE_MENTEE:
		return "mentee";
	case REMIND_ROLE_CONTACT:
		return "contact";
	}
	return "?";
}
