/*
 * store/cycle_store.c against a real temporary database (fixture.h):
 * cycles stored and read back (none, open, last), the active pairings a
 * new cycle takes in, a pairing as cycles see it (its anchor), re-up
 * answers and what they replace, a cycle's members, and closing: each
 * outcome stored, exits ended on the right day, each partner's
 * enrollment following its fate, the next cycle opened for the rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "core/cycle.h"
#include "core/date.h"
#include "core/status.h"
#include "store/cycle_store.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/pairing_store.h"

/* The fixture programme's cycle n (six months from 2027-01-11). */
static struct cycle_dates
dates(int n)
{
	struct cycle_dates cd;

	memset(&cd, 0, sizeof cd);
	cd.number = n;
	cd.starts_on = fixture_day(n == 1 ? "2027-01-11" : "2027-07-11");
	cd.ends_on = fixture_day(n == 1 ? "2027-07-11" : "2028-01-11");
	cd.reup_opens_on = fixture_day(n == 1 ? "2027-06-19" : "2027-12-20");
	cd.reup_closes_on = fixture_day(n == 1 ? "2027-07-03" : "2028-01-03");
	return cd;
}

static long long
start(struct fixture *f, int n, long long *attached)
{
	struct error err = ERROR_INIT;
	struct cycle_dates cd = dates(n);
	long long id, local;

	fixture_begin(f);
	assert_int_equal(store_cycle_start(f->db, 1, &cd, &id, attached ?
	    attached : &local, &err), 0);
	fixture_commit(f);
	return id;
}

static enum enrollment_status
status_of(struct fixture *f, long long enrollment_id)
{
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;
	enum enrollment_status st = ENROLLMENT_PENDING;
	size_t n, i;

	assert_int_equal(store_enrollment_list(f->db, 1, NULL, 0, -1, &rows,
	    &n, &err), 0);
	for (i = 0; i < n; i++)
		if (rows[i].id == enrollment_id)
			st = rows[i].status;
	enrollment_rows_free(rows, n);
	return st;
}

static void
test_none(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_row *rows = (struct cycle_row *)1, row;
	size_t n = 9;

	fixture_world(f, NULL);
	assert_int_equal(store_cycle_list(f->db, 1, &rows, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(rows);
	assert_int_equal(store_cycle_open(f->db, 1, &row, &err), 0);
	assert_int_equal(store_cycle_last(f->db, 1, &row, &err), 0);
}

/*
 * A new cycle takes in the active pairings in no open cycle, not the
 * proposals; its dates come back as stored; a number is used once.
 */
static void
test_start(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_dates cd = dates(1);
	struct cycle_row *rows, row;
	long long id, again, attached = -1;
	size_t n;

	fixture_world(f, NULL);
	fixture_pair(f, "fixture", "ana@example.org", "bo@example.org", true);
	fixture_pair(f, "fixture", "cy@example.org", "di@example.org", false);
	id = start(f, 1, &attached);
	assert_int_equal(attached, 1);
	assert_int_equal(store_cycle_list(f->db, 1, &rows, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, id);
	assert_int_equal(rows[0].d.number, 1);
	assert_int_equal(rows[0].d.starts_on, cd.starts_on);
	assert_int_equal(rows[0].d.ends_on, cd.ends_on);
	assert_int_equal(rows[0].d.reup_opens_on, cd.reup_opens_on);
	assert_int_equal(rows[0].d.reup_closes_on, cd.reup_closes_on);
	assert_true(rows[0].open);
	assert_int_equal(rows[0].closed_on, DATE_NONE);
	assert_int_equal(rows[0].pairings, 1);
	assert_int_equal(rows[0].continued, 0);
	cycle_rows_free(rows);
	assert_int_equal(store_cycle_open(f->db, 1, &row, &err), 1);
	assert_int_equal(row.id, id);
	assert_int_equal(store_cycle_last(f->db, 1, &row, &err), 1);
	assert_int_equal(row.id, id);
	/* another programme has none */
	assert_int_equal(store_cycle_open(f->db, 2, &row, &err), 0);
	/* cycle 1 twice: the UNIQUE key refuses it */
	fixture_begin(f);
	assert_int_equal(store_cycle_start(f->db, 1, &cd, &again, &attached,
	    &err), -1);
	error_clear(&err);
	db_rollback(f->db);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM cycle"), 1);
}

/* The anchor: activation, or the cycle's start when that is later. */
static void
test_pairing_and_anchor(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_pairing cp;
	long long id, cid;

	fixture_world(f, NULL);
	id = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	assert_int_equal(store_cycle_pairing(f->db, id, &cp, &err), 0);
	assert_false(cp.in_cycle);
	assert_int_equal(cp.status, PAIRING_ACTIVE);
	assert_string_equal(cp.program, "fixture");
	assert_string_equal(cp.mentor_email, "ana@example.org");
	assert_string_equal(cp.mentee_name, "Bo");
	assert_true(cp.mentor_person_id > 0);
	assert_true(cp.mentee_person_id != cp.mentor_person_id);
	assert_int_equal(cp.group_id, 0);
	assert_int_equal(cycle_pairing_anchor(&cp), f->today);
	cycle_pairing_free(&cp);

	cid = start(f, 1, NULL);
	assert_int_equal(store_cycle_pairing(f->db, id, &cp, &err), 0);
	assert_true(cp.in_cycle);
	assert_int_equal(cp.cycle.id, cid);
	assert_true(cp.cycle.open);
	/* activated on the 4th, the cycle starts on the 11th */
	assert_int_equal(cycle_pairing_anchor(&cp), fixture_day("2027-01-11"));
	cycle_pairing_free(&cp);

	assert_int_equal(store_cycle_pairing(f->db, 77, &cp, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "unknown pairing 77");
	error_clear(&err);
}

/* An answer replaces the last one; members carry both, by pairing id. */
static void
test_reup_and_members(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_pairing cp;
	struct cycle_member *v;
	enum cycle_answer before = CYCLE_ANSWER_YES;
	long long p1, p2, p3, cid;
	size_t n;
	int day = fixture_day("2027-06-20");

	fixture_world(f, NULL);
	p1 = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	p2 = fixture_pair(f, "fixture", "cy@example.org", "di@example.org",
	    true);
	p3 = fixture_pair(f, "fixture", "cy@example.org", "ed@example.org",
	    true);
	cid = start(f, 1, NULL);
	assert_int_equal(store_cycle_members(f->db, cid + 1, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_cycle_pairing(f->db, p2, &cp, &err), 0);
	fixture_begin(f);
	assert_int_equal(store_reup_answer(f->db, p2, cid, cp.mentee_person_id,
	    cp.mentee_email, CYCLE_ANSWER_YES, day, &before, &err), 0);
	assert_int_equal(before, CYCLE_ANSWER_NONE);
	assert_int_equal(store_reup_answer(f->db, p2, cid, cp.mentee_person_id,
	    cp.mentee_email, CYCLE_ANSWER_NEW, day + 1, &before, &err), 0);
	assert_int_equal(before, CYCLE_ANSWER_YES);
	assert_int_equal(store_reup_answer(f->db, p2, cid, cp.mentor_person_id,
	    cp.mentor_email, CYCLE_ANSWER_NO, day, &before, &err), 0);
	assert_int_equal(store_pairing_end(f->db, p3, day, "moved", NULL,
	    &err), 0);
	fixture_commit(f);
	cycle_pairing_free(&cp);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reup"), 2);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'reup' AND detail = 'di@example.org: new (was yes)'"), 1);

	/* the ended pairing is no member; the others by id */
	assert_int_equal(store_cycle_members(f->db, cid, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].pairing_id, p1);
	assert_int_equal(v[0].mentor, CYCLE_ANSWER_NONE);
	assert_int_equal(v[0].mentee, CYCLE_ANSWER_NONE);
	assert_string_equal(v[0].mentee_email, "bo@example.org");
	assert_int_equal(v[1].pairing_id, p2);
	assert_int_equal(v[1].mentor, CYCLE_ANSWER_NO);
	assert_int_equal(v[1].mentee, CYCLE_ANSWER_NEW);
	assert_int_equal(v[1].activated_on, f->today);
	cycle_members_free(v, n);
}

/*
 * Close: ana+bo continue into cycle 2; cy+di exit (cy leaves, di goes
 * back to the pool) on the cycle's end although closed later; cy keeps
 * being active for ed; a pairing that ended during the cycle gets the
 * outcome 'ended' on its own day.
 */
static void
test_close(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_dates next = dates(2);
	struct cycle_row c, *rows;
	struct cycle_member *v;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], p1, p2, p3, cid, next_id = 0;
	size_t n, nrows;
	int ended = fixture_day("2027-03-01"), today = fixture_day("2027-07-15");

	fixture_world(f, enr);
	cid = start(f, 1, NULL);
	f->today = fixture_day("2027-01-12");
	p1 = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	p2 = fixture_pair(f, "fixture", "cy@example.org", "di@example.org",
	    true);
	p3 = fixture_pair(f, "fixture", "ana@example.org", "ed@example.org",
	    true);
	fixture_begin(f);
	assert_int_equal(store_pairing_end(f->db, p3, ended, "moved", NULL,
	    &err), 0);
	fixture_commit(f);
	/* cy has another pairing, outside this cycle's members: a proposal */
	f->today = fixture_day("2027-07-01");
	fixture_pair(f, "fixture", "cy@example.org", "ed@example.org", false);

	assert_int_equal(store_cycle_open(f->db, 1, &c, &err), 1);
	assert_int_equal(store_cycle_members(f->db, cid, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	v[0].outcome = CYCLE_OUTCOME_CONTINUE;
	v[0].mentor_fate = v[0].mentee_fate = CYCLE_FATE_CONTINUES;
	v[1].outcome = CYCLE_OUTCOME_EXIT;
	v[1].mentor_fate = CYCLE_FATE_LEAVES;
	v[1].mentee_fate = CYCLE_FATE_REMATCH;
	fixture_begin(f);
	assert_int_equal(store_cycle_close(f->db, 1, &c, v, n, today, &next,
	    &next_id, &err), 0);
	fixture_commit(f);
	cycle_members_free(v, n);

	assert_int_equal(store_pairing_get(f->db, p2, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ENDED);
	assert_int_equal(r.ended_on, dates(1).ends_on);
	assert_string_equal(r.end_reason, "exit");
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, p1, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ACTIVE);
	pairing_rec_free(&r);
	/* cy still has a proposal open: not completed; di is free again */
	assert_int_equal(status_of(f, enr[FIXTURE_CY]), ENROLLMENT_ACTIVE);
	assert_int_equal(status_of(f, enr[FIXTURE_DI]), ENROLLMENT_ELIGIBLE);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing_cycle "
	    "WHERE outcome = 'ended' AND decided_on = '2027-03-01'"), 1);

	assert_int_equal(store_cycle_list(f->db, 1, &rows, &nrows, &err), 0);
	assert_int_equal(nrows, 2);
	assert_false(rows[0].open);
	assert_int_equal(rows[0].closed_on, today);
	assert_int_equal(rows[0].pairings, 3);
	assert_int_equal(rows[0].continued, 1);
	assert_int_equal(rows[0].exited, 1);
	assert_true(rows[1].open);
	assert_int_equal(rows[1].id, next_id);
	assert_int_equal(rows[1].d.number, 2);
	/* the one that continued is in cycle 2, alone */
	assert_int_equal(rows[1].pairings, 1);
	cycle_rows_free(rows);
	assert_int_equal(store_cycle_members(f->db, next_id, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].pairing_id, p1);
	cycle_members_free(v, n);
}

/* A forced early close ends an exit today, never before its activation. */
static void
test_close_early(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_row c;
	struct cycle_member *v;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], id, cid, next_id = -1;
	size_t n;
	int today = fixture_day("2027-03-01");

	fixture_world(f, enr);
	cid = start(f, 1, NULL);
	id = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	assert_int_equal(store_cycle_open(f->db, 1, &c, &err), 1);
	assert_int_equal(store_cycle_members(f->db, cid, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	v[0].outcome = CYCLE_OUTCOME_EXIT;
	v[0].mentor_fate = CYCLE_FATE_REMATCH;
	v[0].mentee_fate = CYCLE_FATE_LEAVES;
	fixture_begin(f);
	assert_int_equal(store_cycle_close(f->db, 1, &c, v, n, today, NULL,
	    &next_id, &err), 0);
	fixture_commit(f);
	cycle_members_free(v, n);
	assert_int_equal(next_id, -1);
	assert_int_equal(store_pairing_get(f->db, id, &r, &err), 0);
	assert_int_equal(r.ended_on, today);
	pairing_rec_free(&r);
	assert_int_equal(status_of(f, enr[FIXTURE_ANA]), ENROLLMENT_ELIGIBLE);
	assert_int_equal(status_of(f, enr[FIXTURE_BO]), ENROLLMENT_COMPLETED);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM enrollment "
	    "WHERE completed_on = '2027-03-01'"), 1);
	assert_int_equal(store_cycle_open(f->db, 1, &c, &err), 0);
	assert_int_equal(store_cycle_last(f->db, 1, &c, &err), 1);
	assert_int_equal(c.id, cid);
	assert_false(c.open);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_none,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_start,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pairing_and_anchor,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reup_and_members,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_close,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_close_early,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
