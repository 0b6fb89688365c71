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
		break;
	case REMIND_ROLE_MENTEE:
		r->to = pr->mentee;
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
	return r;
}

static bool
remind_has_email(const struct remind_person *who)
{
	return who->email != NULL && who->email[0] != '\0';
}

static bool
remind_same_email(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
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

	if (!p->checkins.present || p->checkins.every.n <= 0)
		return 0;
	if (sched_status(&p->checkins, pr->anchor, pr->meetings,
	    pr->nmeetings, today, &st, NULL) == -1)
		return 0;
	switch (st.state) {
	case SCHED_OK:
		return 0;
	case SCHED_DUE:
		kind = REMIND_CHECKIN_DUE;
		due_on = st.due_on;
		break;
	case SCHED_OVERDUE:
		kind = REMIND_CHECKIN_OVERDUE;
		due_on = st.due_on;
		break;
	case SCHED_STALLED:
	default:
		kind = REMIND_STALLED;
		due_on = st.stalled_on;
		break;
	}
	for (role = REMIND_ROLE_MENTOR; role <= REMIND_ROLE_MENTEE; role++) {
		r = remind_add(out, kind, pr, due_on, role);
		remind_checkin_facts(r, &st);
	}
	if (kind == REMIND_STALLED && p->contact != NULL &&
	    p->contact[0] != '\0' &&
	    !remind_same_email(p->contact, pr->mentor.email) &&
	    !remind_same_email(p->contact, pr->mentee.email)) {
		r = remind_add(out, kind, pr, due_on, REMIND_ROLE_CONTACT);
		r->to.name = p->name;
		r->to.email = p->contact;
		remind_checkin_facts(r, &st);
	}
	return out->n - before;
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
	switch (p->matching.consent) {
	case CONSENT_BOTH:
		need_mentor = !pr->mentor_accepted;
		need_mentee = !pr->mentee_accepted;
		break;
	case CONSENT_MENTEE:
		need_mentor = false;
		need_mentee = !pr->mentee_accepted;
		break;
	case CONSENT_NONE:
	default:
		return 0;
	}
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

static size_t
remind_reup(const struct remind_pairing *pr, int today,
    struct reminder_list *out)
{
	struct reminder *r;
	size_t before = out->n;
	bool answered[2];
	int i;

	if (pr->reup_opens_on == DATE_NONE || pr->reup_closes_on == DATE_NONE)
		return 0;
	if (today < pr->reup_opens_on || today > pr->reup_closes_on)
		return 0;
	answered[REMIND_ROLE_MENTOR] = pr->mentor_answered;
	answered[REMIND_ROLE_MENTEE] = pr->mentee_answered;
	for (i = REMIND_ROLE_MENTOR; i <= REMIND_ROLE_MENTEE; i++) {
		if (answered[i])
			continue;
		r = remind_add(out, REMIND_REUP_OPEN, pr, pr->reup_opens_on,
		    (enum remind_role)i);
		r->reup_closes_on = pr->reup_closes_on;
		r->cycle_ends_on = pr->cycle_ends_on;
	}
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
	switch (pr->status) {
	case REMIND_PAIRING_ACTIVE:
		/* Kind order: the check-in kinds come before reup_open. */
		remind_checkins(p, pr, today, out);
		remind_reup(pr, today, out);
		break;
	case REMIND_PAIRING_PROPOSED:
		remind_proposal(p, pr, today, out);
		break;
	case REMIND_PAIRING_OTHER:
		break;
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
		qsort(l->v, l->n, sizeof l->v[0], remind_cmp);
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
