/*
 * store/checkin_store.c against a real temporary database (fixture.h):
 * check-ins stored, replaced and found by day, meeting days in date order
 * whatever the order they were recorded in, a circle's days, and the
 * roster that remind and schedule compute with (which pairings, in which
 * order, their anchor, latest or every meeting, re-up answers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "core/date.h"
#include "core/remind.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "store/db.h"
#include "store/pairing_store.h"

static long long
checkin(struct fixture *f, long long pairing, const char *day, int minutes,
    int rating, long long group_id, long long replace_id)
{
	struct error err = ERROR_INIT;
	struct checkin_in in;
	long long id = 0;

	memset(&in, 0, sizeof in);
	in.pairing_id = pairing;
	in.held_on = fixture_day(day);
	in.minutes = minutes;
	in.rating = rating;
	in.topic = "goals";
	in.notes = "private words";
	in.recorded_by = "tester";
	in.group_id = group_id;
	fixture_begin(f);
	if (store_checkin_add(f->db, &in, replace_id, 1, &id, &err) != 0)
		fail_msg("store_checkin_add: %s", err.msg);
	fixture_commit(f);
	return id;
}

static void
test_add_days_and_on(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	long long p, a, b, found = -1;
	int *days = (int *)1;
	size_t n = 9;

	fixture_world(f, NULL);
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	/* none yet: an empty result, not an error */
	assert_int_equal(store_checkin_days(f->db, p, &days, &n, &err), 0);
	assert_null(days);
	assert_int_equal(n, 0);
	assert_int_equal(store_checkin_on(f->db, p, f->today, &found, &err), 0);
	assert_int_equal(found, -1);

	a = checkin(f, p, "2027-01-20", 30, 4, 0, 0);
	checkin(f, p, "2027-01-06", 0, 0, 0, 0);
	b = checkin(f, p, "2027-01-13", 45, 0, 0, 0);
	assert_int_equal(store_checkin_days(f->db, p, &days, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(days[0], fixture_day("2027-01-06"));
	assert_int_equal(days[1], fixture_day("2027-01-13"));
	assert_int_equal(days[2], fixture_day("2027-01-20"));
	free(days);
	assert_int_equal(store_checkin_on(f->db, p, fixture_day("2027-01-13"),
	    &found, &err), 1);
	assert_int_equal(found, b);
	/* 0 for "not given" is stored as NULL */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM checkin WHERE "
	    "minutes IS NULL AND rating IS NULL"), 1);
	assert_int_equal(fixture_count(f, "SELECT rating FROM checkin WHERE "
	    "held_on = '2027-01-20'"), 4);
	/* the audit names the meeting, never the notes */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'checkin' AND detail LIKE '%private%'"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'checkin' AND entity_id = 1 AND detail = 'pairing 1 "
	    "meeting 1 on 2027-01-20'"), 1);
	/* another pairing's days are its own */
	assert_int_equal(store_checkin_days(f->db, p + 1, &days, &n, &err), 0);
	assert_int_equal(n, 0);
	(void)a;
}

/* Replacing rewrites every field of that check-in, and only it. */
static void
test_replace(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	long long p, a, b, id = 0;
	struct checkin_in in;
	int *days;
	size_t n;

	fixture_world(f, NULL);
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	a = checkin(f, p, "2027-01-06", 30, 4, 0, 0);
	b = checkin(f, p, "2027-01-08", 30, 4, 0, 0);
	memset(&in, 0, sizeof in);
	in.pairing_id = p;
	in.held_on = fixture_day("2027-01-07");
	in.recorded_by = "fixer";
	fixture_begin(f);
	assert_int_equal(store_checkin_add(f->db, &in, a, 2, &id, &err), 0);
	fixture_commit(f);
	assert_int_equal(id, a);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM checkin"), 2);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM checkin WHERE "
	    "id = 1 AND held_on = '2027-01-07' AND minutes IS NULL AND topic "
	    "IS NULL AND notes IS NULL AND recorded_by = 'fixer'"), 1);
	assert_int_equal(fixture_count(f, "SELECT minutes FROM checkin WHERE "
	    "id = 2"), 30);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'replace' AND detail = 'pairing 1 meeting 2 on "
	    "2027-01-07'"), 1);
	assert_int_equal(store_checkin_days(f->db, p, &days, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(days[0], fixture_day("2027-01-07"));
	free(days);
	(void)b;
}

/* The schema refuses what the ops would never write. */
static void
test_constraints(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct checkin_in in;
	long long p, id;

	fixture_world(f, NULL);
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	memset(&in, 0, sizeof in);
	in.pairing_id = p;
	in.held_on = f->today;
	in.rating = 6;
	fixture_begin(f);
	assert_int_equal(store_checkin_add(f->db, &in, 0, 1, &id, &err), -1);
	error_clear(&err);
	in.rating = 0;
	in.minutes = 1441;
	assert_int_equal(store_checkin_add(f->db, &in, 0, 1, &id, &err), -1);
	error_clear(&err);
	in.minutes = 0;
	in.pairing_id = 99;     /* no such pairing: the foreign key */
	assert_int_equal(store_checkin_add(f->db, &in, 0, 1, &id, &err), -1);
	error_clear(&err);
	db_rollback(f->db);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM checkin"), 0);
}

/* A circle's days: marked with the circle, distinct, in date order. */
static void
test_circle_days(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_propose pp;
	struct pairing_new v[2];
	long long enr[FIXTURE_NWHO], lone, g;
	int *days;
	size_t n;

	fixture_world(f, enr);
	g = enr[FIXTURE_CY];
	memset(&pp, 0, sizeof pp);
	pp.program_id = 1;
	pp.origin = PAIRING_ORIGIN_MANUAL;
	pp.today = f->today;
	pp.expires_on = DATE_NONE;
	pp.activate = true;
	memset(v, 0, sizeof v);
	v[0].mentor_enrollment_id = v[1].mentor_enrollment_id = g;
	v[0].mentee_enrollment_id = enr[FIXTURE_DI];
	v[1].mentee_enrollment_id = enr[FIXTURE_ED];
	v[0].group_id = v[1].group_id = g;
	fixture_begin(f);
	assert_int_equal(store_pairing_propose(f->db, &pp, v, 2, &err), 0);
	fixture_commit(f);
	lone = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	assert_int_equal(store_circle_days(f->db, 1, g, &days, &n, &err), 0);
	assert_int_equal(n, 0);
	checkin(f, v[0].id, "2027-01-12", 0, 0, g, 0);
	checkin(f, v[1].id, "2027-01-12", 0, 0, g, 0);
	checkin(f, v[1].id, "2027-01-05", 0, 0, g, 0);
	/* a member's own meeting is not the circle's */
	checkin(f, v[0].id, "2027-01-08", 0, 0, 0, 0);
	/* nor a pairing outside the circle that claims it */
	checkin(f, lone, "2027-01-09", 0, 0, g, 0);
	assert_int_equal(store_circle_days(f->db, 1, g, &days, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(days[0], fixture_day("2027-01-05"));
	assert_int_equal(days[1], fixture_day("2027-01-12"));
	free(days);
	assert_int_equal(store_circle_days(f->db, 2, g, &days, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void
start_cycle(struct fixture *f)
{
	struct error err = ERROR_INIT;
	struct cycle_dates cd;
	long long id, attached;

	cd.number = 1;
	cd.starts_on = fixture_day("2027-01-11");
	cd.ends_on = fixture_day("2027-07-11");
	cd.reup_opens_on = fixture_day("2027-06-19");
	cd.reup_closes_on = fixture_day("2027-07-03");
	fixture_begin(f);
	assert_int_equal(store_cycle_start(f->db, 1, &cd, &id, &attached,
	    &err), 0);
	fixture_commit(f);
}

/*
 * The roster: actives and live proposals in one id order; an expired-by-
 * date proposal and one that never expires are not reminded; the latest
 * meeting only unless every one is asked for.
 */
static void
test_roster(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct checkin_roster r;
	struct cycle_pairing cp;
	enum cycle_answer before;
	long long p1, p2, p3, cid;
	int today = fixture_day("2027-06-20");

	fixture_world(f, NULL);
	assert_int_equal(store_checkin_roster(f->db, 1, today, ROSTER_ACTIVE |
	    ROSTER_PROPOSED, &r, &err), 0);
	assert_int_equal(r.n, 0);
	checkin_roster_free(&r);

	p1 = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	start_cycle(f);
	f->today = fixture_day("2027-06-15");
	p2 = fixture_pair(f, "fixture", "cy@example.org", "di@example.org",
	    false);      /* expires 2027-06-25 */
	p3 = fixture_pair(f, "fixture", "cy@example.org", "ed@example.org",
	    true);
	checkin(f, p1, "2027-02-01", 0, 0, 0, 0);
	checkin(f, p1, "2027-03-01", 0, 0, 0, 0);
	checkin(f, p1, "2027-01-20", 0, 0, 0, 0);
	/* bo answers the re-up (the window opened on 2027-06-19) */
	assert_int_equal(store_cycle_pairing(f->db, p1, &cp, &err), 0);
	cid = cp.cycle.id;
	fixture_begin(f);
	assert_int_equal(store_reup_answer(f->db, p1, cid, cp.mentee_person_id,
	    cp.mentee_email, CYCLE_ANSWER_YES, today, &before, &err), 0);
	fixture_commit(f);
	cycle_pairing_free(&cp);

	assert_int_equal(store_checkin_roster(f->db, 1, today, ROSTER_ACTIVE |
	    ROSTER_PROPOSED, &r, &err), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.v[0].id, p1);
	assert_int_equal(r.v[1].id, p2);
	assert_int_equal(r.v[2].id, p3);
	assert_int_equal(r.v[0].status, REMIND_PAIRING_ACTIVE);
	assert_string_equal(r.v[0].mentor.email, "ana@example.org");
	assert_string_equal(r.v[0].mentee.name, "Bo");
	/* activated before the cycle: the clock starts with the cycle */
	assert_int_equal(r.v[0].anchor, fixture_day("2027-01-11"));
	assert_int_equal(r.v[0].nmeetings, 1);
	assert_int_equal(r.v[0].meetings[0], fixture_day("2027-03-01"));
	assert_int_equal(r.v[0].cycle_ends_on, fixture_day("2027-07-11"));
	assert_true(r.v[0].mentee_answered);
	assert_false(r.v[0].mentor_answered);
	assert_int_equal(r.v[1].status, REMIND_PAIRING_PROPOSED);
	assert_int_equal(r.v[1].expires_on, fixture_day("2027-06-25"));
	assert_false(r.v[1].mentor_accepted);
	assert_int_equal(r.v[1].anchor, DATE_NONE);
	assert_int_equal(r.v[2].anchor, fixture_day("2027-06-15"));
	assert_int_equal(r.v[2].nmeetings, 0);
	assert_null(r.v[2].meetings);
	/* the whole history of one pairing when asked */
	assert_int_equal(store_checkin_roster_history(f->db, &r, &r.v[0],
	    &err), 0);
	assert_int_equal(r.v[0].nmeetings, 3);
	checkin_roster_free(&r);

	/* every meeting, in date order */
	assert_int_equal(store_checkin_roster(f->db, 1, today, ROSTER_ACTIVE |
	    ROSTER_ALL_MEETINGS, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[0].nmeetings, 3);
	assert_int_equal(r.v[0].meetings[0], fixture_day("2027-01-20"));
	assert_int_equal(r.v[0].meetings[2], fixture_day("2027-03-01"));
	assert_int_equal(r.v[1].id, p3);
	checkin_roster_free(&r);

	/* past its last day a proposal is no longer reminded */
	assert_int_equal(store_checkin_roster(f->db, 1,
	    fixture_day("2027-06-26"), ROSTER_PROPOSED, &r, &err), 0);
	assert_int_equal(r.n, 0);
	checkin_roster_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_days_and_on,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_replace,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_constraints,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_circle_days,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_roster,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
