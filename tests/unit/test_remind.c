#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/remind.h"
#include "util/xmalloc.h"

static int
D(const char *s)
{
	int d;

	if (date_parse(s, &d) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

#define assert_date(day, s)                                                    \
	do {                                                                   \
		char b_[DATE_BUFSZ];                                           \
		assert_string_equal(date_format((day), b_), (s));              \
	} while (0)

static int
setup(void **state)
{
	struct program *p = program_new();

	p->slug = xstrdup("eng-2027");
	p->name = xstrdup("Engineering Mentoring 2027");
	p->contact = xstrdup("mentoring@example.org");
	p->checkins.present = true;
	p->checkins.every = (struct duration){ 2, DATE_UNIT_WEEK };
	p->checkins.remind_before = (struct duration){ 2, DATE_UNIT_DAY };
	p->checkins.overdue_after = (struct duration){ 5, DATE_UNIT_DAY };
	p->checkins.stalled_after = 2;
	p->checkins.nprompts = 2;
	p->checkins.prompts = xcalloc(2, sizeof(char *));
	p->checkins.prompts[0] = xstrdup("Explore each other's past");
	p->checkins.prompts[1] = xstrdup("The mentee's ambitions");
	p->matching.consent = CONSENT_BOTH;
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	program_free(*state);
	return 0;
}

static struct remind_pairing
active(long long id, const char *anchor)
{
	struct remind_pairing pr;

	memset(&pr, 0, sizeof pr);
	pr.id = id;
	pr.status = REMIND_PAIRING_ACTIVE;
	pr.mentor.name = "Ada Lovelace";
	pr.mentor.email = "ada@example.org";
	pr.mentee.name = "Bob Smith";
	pr.mentee.email = "bob@example.org";
	pr.proposed_on = DATE_NONE;
	pr.expires_on = DATE_NONE;
	pr.anchor = D(anchor);
	pr.cycle_ends_on = DATE_NONE;
	pr.reup_opens_on = DATE_NONE;
	pr.reup_closes_on = DATE_NONE;
	pr.activated_on = DATE_NONE;
	pr.continued_on = DATE_NONE;
	pr.ended_on = DATE_NONE;
	return pr;
}

static struct remind_pairing
proposed(long long id, const char *on, const char *expires)
{
	struct remind_pairing pr = active(id, on);

	pr.status = REMIND_PAIRING_PROPOSED;
	pr.anchor = DATE_NONE;
	pr.proposed_on = D(on);
	pr.expires_on = D(expires);
	return pr;
}

/* The reminders for one pairing on one day. */
static struct reminder_list
on(const struct program *p, const struct remind_pairing *pr, const char *today)
{
	struct reminder_list l = REMINDER_LIST_INIT;
	size_t n;

	n = remind_pairing(p, pr, D(today), &l);
	assert_int_equal(n, l.n);
	return l;
}

/* l holds n reminders, all of `kind` and with due_on `due`. */
static void
expect(const struct reminder_list *l, enum remind_kind kind, size_t n,
    const char *due, const char *today)
{
	size_t i;

	if (l->n != n)
		fail_msg("%s: %zu reminders, want %zu %s", today, l->n, n,
		    remind_kind_name(kind));
	for (i = 0; i < n; i++) {
		if (l->v[i].kind != kind)
			fail_msg("%s: kind %s, want %s", today,
			    remind_kind_name(l->v[i].kind),
			    remind_kind_name(kind));
		assert_date(l->v[i].due_on, due);
	}
}

static void
check_day(const struct program *p, const struct remind_pairing *pr,
    const char *today, enum remind_kind kind, size_t n, const char *due)
{
	struct reminder_list l = on(p, pr, today);

	expect(&l, kind, n, due, today);
	remind_list_free(&l);
}

static void
check_none(const struct program *p, const struct remind_pairing *pr,
    const char *today)
{
	struct reminder_list l = on(p, pr, today);

	if (l.n != 0)
		fail_msg("%s: %zu reminders (first %s), want none", today, l.n,
		    remind_kind_name(l.v[0].kind));
	remind_list_free(&l);
}

/* Kinds of l, in order, as "k1 k2 ...". */
static char *
kinds(const struct reminder_list *l)
{
	static char buf[512];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < l->n && n + 40 < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s/%s",
		    i ? " " : "", remind_kind_name(l->v[i].kind),
		    remind_role_name(l->v[i].role));
	return buf;
}

static void
test_checkin_due_window(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(1, "2027-01-11");
	struct reminder_list l;

	check_none(p, &pr, "2027-01-22");
	check_day(p, &pr, "2027-01-23", REMIND_CHECKIN_DUE, 2, "2027-01-25");
	check_day(p, &pr, "2027-01-30", REMIND_CHECKIN_DUE, 2, "2027-01-25");

	l = on(p, &pr, "2027-01-23");
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTOR);
	assert_string_equal(l.v[0].to.email, "ada@example.org");
	assert_int_equal(l.v[1].role, REMIND_ROLE_MENTEE);
	assert_string_equal(l.v[1].to.email, "bob@example.org");
	assert_int_equal(l.v[0].pairing_id, 1);
	assert_int_equal(l.v[0].meeting_number, 1);
	assert_string_equal(l.v[0].prompt, "Explore each other's past");
	assert_int_equal(l.v[0].last_meeting, DATE_NONE);
	assert_date(l.v[0].since, "2027-01-11");
	assert_int_equal(l.v[0].days_overdue, 0);
	assert_string_equal(l.v[0].mentor.name, "Ada Lovelace");
	assert_string_equal(l.v[0].mentee.name, "Bob Smith");
	remind_list_free(&l);
}

static void
test_checkin_overdue_window(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(1, "2027-01-11");
	struct reminder_list l;

	check_day(p, &pr, "2027-01-31", REMIND_CHECKIN_OVERDUE, 2,
	    "2027-01-25");
	check_day(p, &pr, "2027-02-08", REMIND_CHECKIN_OVERDUE, 2,
	    "2027-01-25");
	l = on(p, &pr, "2027-02-08");
	assert_int_equal(l.v[0].days_overdue, 14);
	assert_int_equal(l.v[0].missed, 1);
	remind_list_free(&l);
}

static void
test_stalled(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(1, "2027-01-11");
	struct reminder_list l;

	/*
	 * Stalled from the day after the 2nd due day on, to both partners
	 * (the coordinators read it in their digest), again every week.
	 */
	check_day(p, &pr, "2027-02-09", REMIND_STALLED, 2, "2027-02-08");
	check_day(p, &pr, "2027-02-15", REMIND_STALLED, 2, "2027-02-08");
	check_day(p, &pr, "2027-02-16", REMIND_STALLED, 2, "2027-02-15");
	check_day(p, &pr, "2027-06-01", REMIND_STALLED, 2, "2027-05-31");
	l = on(p, &pr, "2027-02-16");
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTOR);
	assert_int_equal(l.v[1].role, REMIND_ROLE_MENTEE);
	assert_int_equal(l.v[1].missed, 2);
	assert_date(l.v[1].stalled_on, "2027-02-08");
	remind_list_free(&l);

	/* A meeting restarts the clock: a new due day, a new stall episode. */
	{
		int m[] = { D("2027-03-01") };

		pr.meetings = m;
		pr.nmeetings = 1;
		check_day(p, &pr, "2027-03-13", REMIND_CHECKIN_DUE, 2,
		    "2027-03-15");
		check_day(p, &pr, "2027-03-30", REMIND_STALLED, 2,
		    "2027-03-29");
		l = on(p, &pr, "2027-03-13");
		assert_int_equal(l.v[0].meeting_number, 2);
		assert_string_equal(l.v[0].prompt, "The mentee's ambitions");
		assert_date(l.v[0].last_meeting, "2027-03-01");
		remind_list_free(&l);
	}
}

static void
test_stalled_never_to_contact(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(1, "2027-01-11");
	struct reminder_list l;
	size_t i;

	/* The contact hears of stalled pairs in the digest only. */
	l = on(p, &pr, "2027-03-20");
	for (i = 0; i < l.n; i++)
		assert_int_not_equal(l.v[i].role, REMIND_ROLE_CONTACT);
	remind_list_free(&l);
}

static void
test_no_checkins_block(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(1, "2027-01-11");

	p->checkins.present = false;
	check_none(p, &pr, "2027-01-25");
	check_none(p, &pr, "2027-06-01");
	p->checkins.present = true;
	p->checkins.every.n = 0;
	check_none(p, &pr, "2027-06-01");
}

static void
test_proposal_window(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = proposed(5, "2027-01-11", "2027-01-21");
	struct reminder_list l;

	check_none(p, &pr, "2027-01-18");
	check_day(p, &pr, "2027-01-19", REMIND_PROPOSAL_EXPIRING, 2,
	    "2027-01-21");
	check_day(p, &pr, "2027-01-21", REMIND_PROPOSAL_EXPIRING, 2,
	    "2027-01-21");
	check_none(p, &pr, "2027-01-22");
	l = on(p, &pr, "2027-01-20");
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTOR);
	assert_int_equal(l.v[1].role, REMIND_ROLE_MENTEE);
	assert_date(l.v[0].expires_on, "2027-01-21");
	assert_date(l.v[0].proposed_on, "2027-01-11");
	remind_list_free(&l);

	pr.expires_on = DATE_NONE;
	check_none(p, &pr, "2027-01-21");
}

static void
test_proposal_consent(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = proposed(5, "2027-01-11", "2027-01-21");
	struct reminder_list l;

	pr.mentor_accepted = true;
	l = on(p, &pr, "2027-01-20");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTEE);
	remind_list_free(&l);

	pr.mentor_accepted = false;
	pr.mentee_accepted = true;
	l = on(p, &pr, "2027-01-20");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTOR);
	remind_list_free(&l);

	pr.mentor_accepted = true;
	check_none(p, &pr, "2027-01-20");

	/* consent: mentee -- only the mentee is asked. */
	p->matching.consent = CONSENT_MENTEE;
	pr.mentor_accepted = false;
	pr.mentee_accepted = false;
	l = on(p, &pr, "2027-01-20");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTEE);
	remind_list_free(&l);
	pr.mentee_accepted = true;
	check_none(p, &pr, "2027-01-20");

	p->matching.consent = CONSENT_NONE;
	pr.mentee_accepted = false;
	check_none(p, &pr, "2027-01-20");
}

static void
test_short_proposal(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = proposed(5, "2027-01-11", "2027-01-12");

	struct reminder_list l;

	check_none(p, &pr, "2027-01-10");
	/* The introduction and the reminder on the same day. */
	l = on(p, &pr, "2027-01-11");
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].kind, REMIND_PROPOSAL_EXPIRING);
	assert_int_equal(l.v[2].kind, REMIND_INTRODUCTION);
	remind_list_free(&l);
	l = on(p, &pr, "2027-01-12");
	assert_string_equal(kinds(&l), "proposal_expiring/mentor "
	    "proposal_expiring/mentee introduction/mentor "
	    "introduction/mentee");
	remind_list_free(&l);
	check_none(p, &pr, "2027-01-13");
}

static void
test_reup_window(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(9, "2027-01-11");
	struct reminder_list l;
	int m[] = { D("2027-06-25") };

	/* A fresh meeting keeps the check-in kinds out of the way. */
	pr.meetings = m;
	pr.nmeetings = 1;
	pr.cycle_ends_on = D("2027-07-11");
	pr.reup_opens_on = D("2027-06-20");
	pr.reup_closes_on = D("2027-07-04");
	check_none(p, &pr, "2027-06-19");
	check_day(p, &pr, "2027-06-20", REMIND_REUP_OPEN, 2, "2027-06-20");
	check_day(p, &pr, "2027-06-27", REMIND_REUP_OPEN, 2, "2027-06-20");
	check_day(p, &pr, "2027-07-01", REMIND_REUP_OPEN, 2, "2027-06-20");
	/* In its last two days: closing too, due the day it closes. */
	l = on(p, &pr, "2027-07-02");
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].kind, REMIND_REUP_OPEN);
	assert_int_equal(l.v[2].kind, REMIND_REUP_CLOSING);
	assert_date(l.v[2].due_on, "2027-07-04");
	remind_list_free(&l);
	check_none(p, &pr, "2027-07-05");
	l = on(p, &pr, "2027-07-04");
	assert_date(l.v[0].reup_closes_on, "2027-07-04");
	assert_date(l.v[0].cycle_ends_on, "2027-07-11");
	remind_list_free(&l);

	pr.mentee_answered = true;
	l = on(p, &pr, "2027-07-03");
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTOR);
	assert_int_equal(l.v[1].role, REMIND_ROLE_MENTOR);
	remind_list_free(&l);
	l = on(p, &pr, "2027-06-20");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTOR);
	remind_list_free(&l);
	pr.mentor_answered = true;
	check_none(p, &pr, "2027-06-20");
}

static void
test_checkin_and_reup_same_day(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(9, "2027-06-14");
	struct reminder_list l;

	pr.reup_opens_on = D("2027-06-20");
	pr.reup_closes_on = D("2027-07-04");
	l = on(p, &pr, "2027-06-27");
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].kind, REMIND_CHECKIN_DUE);
	assert_int_equal(l.v[1].kind, REMIND_CHECKIN_DUE);
	assert_int_equal(l.v[2].kind, REMIND_REUP_OPEN);
	assert_int_equal(l.v[3].kind, REMIND_REUP_OPEN);
	remind_list_free(&l);
}

static void
test_inactive_and_unaddressed(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(1, "2027-01-11");
	struct reminder_list l;

	pr.status = REMIND_PAIRING_OTHER;
	check_none(p, &pr, "2027-01-25");
	check_none(p, &pr, "2027-06-01");

	pr = active(1, "2027-01-11");
	pr.mentee.email = NULL;
	l = on(p, &pr, "2027-01-25");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].role, REMIND_ROLE_MENTOR);
	remind_list_free(&l);

	pr = active(1, "2027-01-11");
	memset(&l, 0, sizeof l);
	assert_int_equal(remind_pairing(p, &pr, DATE_NONE, &l), 0);
	remind_list_free(&l);
}

static void
test_collect_order(void **state)
{
	struct program *p = *state;
	struct remind_pairing v[3];
	struct reminder_list l = REMINDER_LIST_INIT;
	size_t i;

	v[0] = active(7, "2027-01-11");
	v[1] = proposed(3, "2027-01-15", "2027-01-25");
	v[2] = active(5, "2027-01-11");
	v[2].reup_opens_on = D("2027-01-20");
	v[2].reup_closes_on = D("2027-01-30");
	remind_collect(p, v, 3, D("2027-01-24"), &l);
	assert_int_equal(l.n, 8);
	for (i = 1; i < l.n; i++) {
		const struct reminder *a = &l.v[i - 1], *b = &l.v[i];

		assert_true(a->pairing_id < b->pairing_id ||
		    (a->pairing_id == b->pairing_id && (a->kind < b->kind ||
		    (a->kind == b->kind && a->role < b->role))));
	}
	assert_int_equal(l.v[0].pairing_id, 3);
	assert_int_equal(l.v[2].pairing_id, 5);
	assert_int_equal(l.v[2].kind, REMIND_CHECKIN_DUE);
	assert_int_equal(l.v[4].kind, REMIND_REUP_OPEN);
	assert_int_equal(l.v[7].pairing_id, 7);
	remind_list_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

static void
test_names(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < REMIND_NKINDS; k++)
		assert_int_equal(remind_kind_parse(remind_kind_name(k)), k);
	assert_string_equal(remind_kind_name(REMIND_CHECKIN_DUE),
	    "checkin_due");
	assert_string_equal(remind_kind_name(REMIND_PROPOSAL_EXPIRING),
	    "proposal_expiring");
	assert_int_equal(remind_kind_parse("nope"), -1);
	assert_int_equal(remind_kind_parse(NULL), -1);
	assert_string_equal(remind_role_name(REMIND_ROLE_MENTOR), "mentor");
	assert_string_equal(remind_role_name(REMIND_ROLE_MENTEE), "mentee");
	assert_string_equal(remind_role_name(REMIND_ROLE_CONTACT), "contact");
}

static void
test_introduction(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = proposed(5, "2027-01-11", "2027-01-21");
	struct reminder_list l;

	pr.activated_on = DATE_NONE;
	check_none(p, &pr, "2027-01-10");
	check_day(p, &pr, "2027-01-11", REMIND_INTRODUCTION, 2, "2027-01-11");
	/* A missed morning is caught up within the week, not later. */
	check_day(p, &pr, "2027-01-17", REMIND_INTRODUCTION, 2, "2027-01-11");
	check_none(p, &pr, "2027-01-18");
	l = on(p, &pr, "2027-01-11");
	assert_date(l.v[0].expires_on, "2027-01-21");
	assert_string_equal(l.v[0].to.email, "ada@example.org");
	assert_string_equal(l.v[1].to.email, "bob@example.org");
	remind_list_free(&l);
	/* Both partners meet each other, whoever must consent. */
	p->matching.consent = CONSENT_MENTEE;
	check_day(p, &pr, "2027-01-11", REMIND_INTRODUCTION, 2, "2027-01-11");
	/* consent none: active at once, introduced as matched. */
	p->matching.consent = CONSENT_NONE;
	check_none(p, &pr, "2027-01-11");
	p->matching.consent = CONSENT_BOTH;
	/* Flash rounds are met at the session. */
	p->format = FORMAT_FLASH;
	check_none(p, &pr, "2027-01-11");
	p->format = FORMAT_ONE_TO_ONE;
}

static void
test_matched_and_new_mentor(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(3, "2027-01-12");
	struct reminder_list l;

	pr.activated_on = D("2027-01-12");
	check_none(p, &pr, "2027-01-11");
	check_day(p, &pr, "2027-01-12", REMIND_MATCHED, 2, "2027-01-12");
	check_day(p, &pr, "2027-01-18", REMIND_MATCHED, 2, "2027-01-12");
	check_none(p, &pr, "2027-01-19");
	/* A rotation's period: the new mentor. */
	p->format = FORMAT_ROTATIONAL;
	pr.slot = 2;
	l = on(p, &pr, "2027-01-12");
	assert_string_equal(kinds(&l), "new_mentor/mentor new_mentor/mentee");
	assert_int_equal(l.v[0].slot, 2);
	remind_list_free(&l);
	/* A circle's members are welcomed by remind_circle. */
	p->format = FORMAT_GROUP;
	pr.group_id = 7;
	check_none(p, &pr, "2027-01-12");
	p->format = FORMAT_ONE_TO_ONE;
}

static void
test_outcome_and_closure(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(3, "2027-07-11");
	struct remind_pairing ended = active(4, "2027-01-11");
	struct reminder_list l;

	pr.activated_on = D("2027-01-11");
	pr.continued_on = D("2027-07-05");
	check_day(p, &pr, "2027-07-05", REMIND_REUP_OUTCOME, 2, "2027-07-05");
	check_day(p, &pr, "2027-07-11", REMIND_REUP_OUTCOME, 2, "2027-07-05");
	check_none(p, &pr, "2027-07-12");

	ended.status = REMIND_PAIRING_ENDED;
	ended.activated_on = D("2027-01-11");
	ended.ended_on = D("2027-07-05");
	ended.ended_by_reup = true;
	check_none(p, &ended, "2027-07-04");
	check_day(p, &ended, "2027-07-05", REMIND_CLOSURE, 2, "2027-07-05");
	l = on(p, &ended, "2027-07-06");
	assert_true(l.v[0].ended_by_reup);
	remind_list_free(&l);
	check_none(p, &ended, "2027-07-12");
}

static void
test_circle(void **state)
{
	struct program *p = *state;
	struct remind_pairing a = active(10, "2027-01-11");
	struct remind_pairing b = active(12, "2027-01-11");
	struct remind_pairing c = active(15, "2027-01-11");
	const struct remind_pairing *members[] = { &a, &b, &c };
	struct reminder_list l = REMINDER_LIST_INIT;
	int met[] = { D("2027-01-20") };
	size_t i;

	p->format = FORMAT_GROUP;
	a.group_id = b.group_id = c.group_id = 4;
	b.mentee.name = "Cy";
	b.mentee.email = "cy@example.org";
	c.mentee.name = "Di";
	c.mentee.email = "di@example.org";
	a.activated_on = b.activated_on = D("2027-01-11");
	c.activated_on = D("2027-01-14");
	/* The roster, when the last member joined, to mentor and members. */
	remind_circle(p, members, 3, D("2027-01-14"), &l);
	assert_string_equal(kinds(&l), "circle_roster/mentor "
	    "circle_roster/mentee circle_roster/mentee circle_roster/mentee");
	for (i = 0; i < l.n; i++) {
		assert_int_equal(l.v[i].circle_id, 4);
		assert_date(l.v[i].due_on, "2027-01-14");
	}
	assert_string_equal(l.v[0].to.email, "ada@example.org");
	assert_string_equal(l.v[3].to.email, "di@example.org");
	remind_list_free(&l);
	/*
	 * One reminder per circle meeting for the mentor: the three members
	 * owe their meeting on the same day; each member hears for itself.
	 */
	remind_circle(p, members, 3, D("2027-01-23"), &l);
	assert_string_equal(kinds(&l), "checkin_due/mentor");
	assert_int_equal(l.v[0].circle_id, 4);
	assert_int_equal(l.v[0].pairing_id, 10);
	assert_date(l.v[0].due_on, "2027-01-25");
	remind_list_free(&l);
	l = on(p, &b, "2027-01-23");
	assert_string_equal(kinds(&l), "checkin_due/mentee");
	remind_list_free(&l);
	/* Clocks apart: one reminder per distinct meeting. */
	c.meetings = met;
	c.nmeetings = 1;
	remind_circle(p, members, 3, D("2027-01-24"), &l);
	assert_string_equal(kinds(&l), "checkin_due/mentor");
	remind_list_free(&l);
	remind_circle(p, members, 3, D("2027-02-03"), &l);
	assert_string_equal(kinds(&l), "checkin_due/mentor "
	    "checkin_overdue/mentor");
	remind_list_free(&l);
	p->format = FORMAT_ONE_TO_ONE;
}

static void
test_subject_key(void **state)
{
	struct reminder r;
	char key[REMIND_KEY_BUFSZ];

	(void)state;
	memset(&r, 0, sizeof r);
	r.pairing_id = 1234567;
	assert_string_equal(remind_subject_key(&r, key), "pairing:1234567");
	r.circle_id = 42;
	assert_string_equal(remind_subject_key(&r, key), "circle:42");
	r.circle_id = 0;
	r.pairing_id = 0;
	assert_string_equal(remind_subject_key(&r, key), "program");
	assert_int_equal(remind_kind_parse("closure"), REMIND_CLOSURE);
	assert_string_equal(remind_kind_name(REMIND_DIGEST), "digest");
	assert_int_equal(remind_kind_parse("nope"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_checkin_due_window, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checkin_overdue_window,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_introduction, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_matched_and_new_mentor,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outcome_and_closure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_circle, setup, teardown),
		cmocka_unit_test(test_subject_key),
		cmocka_unit_test_setup_teardown(test_stalled_never_to_contact,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_checkins_block, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proposal_window, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_proposal_consent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_short_proposal, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reup_window, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checkin_and_reup_same_day,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_inactive_and_unaddressed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_order, setup,
		    teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
