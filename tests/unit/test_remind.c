#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

	/* Stalled from the day after the 2nd due day on. */
	check_day(p, &pr, "2027-02-09", REMIND_STALLED, 3, "2027-02-08");
	check_day(p, &pr, "2027-06-01", REMIND_STALLED, 3, "2027-02-08");
	l = on(p, &pr, "2027-02-09");
	assert_int_equal(l.v[2].role, REMIND_ROLE_CONTACT);
	assert_string_equal(l.v[2].to.email, "mentoring@example.org");
	assert_string_equal(l.v[2].to.name, "Engineering Mentoring 2027");
	assert_string_equal(l.v[2].mentor.email, "ada@example.org");
	assert_string_equal(l.v[2].mentee.email, "bob@example.org");
	assert_int_equal(l.v[2].missed, 2);
	remind_list_free(&l);

	/* A meeting restarts the clock: a new due day, a new stall episode. */
	{
		int m[] = { D("2027-03-01") };

		pr.meetings = m;
		pr.nmeetings = 1;
		check_day(p, &pr, "2027-03-13", REMIND_CHECKIN_DUE, 2,
		    "2027-03-15");
		check_day(p, &pr, "2027-03-30", REMIND_STALLED, 3,
		    "2027-03-29");
		l = on(p, &pr, "2027-03-13");
		assert_int_equal(l.v[0].meeting_number, 2);
		assert_string_equal(l.v[0].prompt, "The mentee's ambitions");
		assert_date(l.v[0].last_meeting, "2027-03-01");
		remind_list_free(&l);
	}
}

static void
test_stalled_contact_dedup(void **state)
{
	struct program *p = *state;
	struct remind_pairing pr = active(1, "2027-01-11");

	/* The coordinator mentors: one mail, not two. */
	pr.mentor.email = "Mentoring@Example.ORG";
	check_day(p, &pr, "2027-02-09", REMIND_STALLED, 2, "2027-02-08");
	/* No contact: the partners only. */
	pr = active(1, "2027-01-11");
	free(p->contact);
	p->contact = NULL;
	check_day(p, &pr, "2027-02-09", REMIND_STALLED, 2, "2027-02-08");
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

	check_none(p, &pr, "2027-01-10");
	check_day(p, &pr, "2027-01-11", REMIND_PROPOSAL_EXPIRING, 2,
	    "2027-01-12");
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
	check_day(p, &pr, "2027-07-04", REMIND_REUP_OPEN, 2, "2027-06-20");
	check_none(p, &pr, "2027-07-05");
	l = on(p, &pr, "2027-07-04");
	assert_date(l.v[0].reup_closes_on, "2027-07-04");
	assert_date(l.v[0].cycle_ends_on, "2027-07-11");
	remind_list_free(&l);

	pr.mentee_answered = true;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_checkin_due_window, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checkin_overdue_window,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled_contact_dedup,
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
