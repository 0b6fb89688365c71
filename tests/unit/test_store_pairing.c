/*
 * store/pairing_store.c against a real temporary database (fixture.h):
 * proposals stored and read back, answers that keep the first day,
 * activation (enrollments, the open cycle), declines and ends that only
 * apply to the right status, expiry by day, revival, corrections, and the
 * listing's statuses as of a day.
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
#include "store/enrollment_store.h"
#include "store/pairing_store.h"

/* Propose enr[mentor] with enr[mentee] through the store: the id. */
static long long
propose(struct fixture *f, const long long *enr, int mentor, int mentee,
    int day, int expires_on, bool activate, int score)
{
	struct error err = ERROR_INIT;
	struct pairing_propose pp;
	struct pairing_new v;

	memset(&pp, 0, sizeof pp);
	pp.program_id = 1;
	pp.origin = PAIRING_ORIGIN_MANUAL;
	pp.today = day;
	pp.expires_on = expires_on;
	pp.activate = activate;
	pp.note = "by the test";
	memset(&v, 0, sizeof v);
	v.mentor_enrollment_id = enr[mentor];
	v.mentee_enrollment_id = enr[mentee];
	v.mentor_email = "mentor";
	v.mentee_email = "mentee";
	v.score = score;
	fixture_begin(f);
	assert_int_equal(store_pairing_propose(f->db, &pp, &v, 1, &err), 0);
	fixture_commit(f);
	assert_true(v.id > 0);
	return v.id;
}

static enum enrollment_status
enrollment_status(struct fixture *f, long long id)
{
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;
	enum enrollment_status st = ENROLLMENT_WITHDRAWN;
	size_t n, i;
	bool found = false;

	assert_int_equal(store_enrollment_list(f->db, 0, NULL, 0, -1, &rows,
	    &n, &err), 0);
	for (i = 0; i < n; i++)
		if (rows[i].id == id) {
			st = rows[i].status;
			found = true;
		}
	enrollment_rows_free(rows, n);
	assert_true(found);
	return st;
}

static void
test_propose_and_get(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], id;
	int exp = fixture_day("2027-01-14");

	assert_int_equal(fixture_world(f, enr), 1);
	id = propose(f, enr, FIXTURE_ANA, FIXTURE_BO, f->today, exp, false,
	    1234);
	assert_int_equal(store_pairing_get(f->db, id, &r, &err), 0);
	assert_int_equal(r.id, id);
	assert_int_equal(r.program_id, 1);
	assert_string_equal(r.program, "fixture");
	assert_int_equal(r.mentor_enrollment_id, enr[FIXTURE_ANA]);
	assert_int_equal(r.mentee_enrollment_id, enr[FIXTURE_BO]);
	assert_string_equal(r.mentor_email, "ana@example.org");
	assert_string_equal(r.mentee_email, "bo@example.org");
	assert_int_equal(r.status, PAIRING_PROPOSED);
	assert_int_equal(r.origin, PAIRING_ORIGIN_MANUAL);
	/* centi-points in, points out */
	assert_true(r.score > 12.339 && r.score < 12.341);
	assert_int_equal(r.proposed_on, f->today);
	assert_int_equal(r.expires_on, exp);
	assert_int_equal(r.group_id, 0);
	assert_int_equal(r.slot, 0);
	assert_int_equal(r.mentor_accepted_on, DATE_NONE);
	assert_int_equal(r.activated_on, DATE_NONE);
	assert_null(r.declined_by);
	assert_null(r.end_reason);
	pairing_rec_free(&r);
	/* a proposal leaves the enrollments as they were */
	assert_int_equal(enrollment_status(f, enr[FIXTURE_BO]),
	    ENROLLMENT_ELIGIBLE);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'pairing' AND action = 'propose' AND detail LIKE "
	    "'%score 12.34, manual; by the test'"), 1);
}

static void
test_get_unknown(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;

	fixture_world(f, NULL);
	assert_int_equal(store_pairing_get(f->db, 42, &r, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "unknown pairing 42");
	error_clear(&err);
}

/* An answer is recorded once: a later one keeps the first day. */
static void
test_accept_keeps_first_day(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], id;
	int d1 = fixture_day("2027-01-05"), d2 = fixture_day("2027-01-07");

	fixture_world(f, enr);
	id = propose(f, enr, FIXTURE_ANA, FIXTURE_BO, f->today, DATE_NONE,
	    false, 0);
	fixture_begin(f);
	assert_int_equal(store_pairing_accept(f->db, id, PAIRING_SIDE_MENTOR,
	    d1, "ana@example.org", &err), 0);
	assert_int_equal(store_pairing_accept(f->db, id, PAIRING_SIDE_MENTOR |
	    PAIRING_SIDE_MENTEE, d2, "coordinator", &err), 0);
	fixture_commit(f);
	assert_int_equal(store_pairing_get(f->db, id, &r, &err), 0);
	assert_int_equal(r.mentor_accepted_on, d1);
	assert_int_equal(r.mentee_accepted_on, d2);
	/* accepting is not activating */
	assert_int_equal(r.status, PAIRING_PROPOSED);
	pairing_rec_free(&r);
}

/* Activation: both enrollments active, the open cycle joined. */
static void
test_activate_joins_open_cycle(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_dates cd = { 1, 0, 0, 0, 0 };
	struct cycle_pairing cp;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], id, cid, attached;
	int d = fixture_day("2027-01-12");

	fixture_world(f, enr);
	cd.starts_on = fixture_day("2027-01-11");
	cd.ends_on = fixture_day("2027-07-11");
	cd.reup_opens_on = fixture_day("2027-06-20");
	cd.reup_closes_on = fixture_day("2027-07-04");
	fixture_begin(f);
	assert_int_equal(store_cycle_start(f->db, 1, &cd, &cid, &attached,
	    &err), 0);
	fixture_commit(f);
	assert_int_equal(attached, 0);
	id = propose(f, enr, FIXTURE_CY, FIXTURE_DI, f->today, DATE_NONE,
	    false, 0);
	fixture_begin(f);
	assert_int_equal(store_pairing_activate(f->db, id, d, &err), 0);
	fixture_commit(f);
	assert_int_equal(store_pairing_get(f->db, id, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ACTIVE);
	assert_int_equal(r.activated_on, d);
	pairing_rec_free(&r);
	assert_int_equal(enrollment_status(f, enr[FIXTURE_CY]),
	    ENROLLMENT_ACTIVE);
	assert_int_equal(enrollment_status(f, enr[FIXTURE_DI]),
	    ENROLLMENT_ACTIVE);
	assert_int_equal(store_cycle_pairing(f->db, id, &cp, &err), 0);
	assert_true(cp.in_cycle);
	assert_int_equal(cp.cycle.id, cid);
	cycle_pairing_free(&cp);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing_cycle"),
	    1);
	/* only a proposal turns active */
	fixture_begin(f);
	assert_int_equal(store_pairing_activate(f->db, id, d, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "pairing 1 is not a proposal");
	error_clear(&err);
	fixture_commit(f);
}

/* consent none: proposed and activated in one call, no open cycle. */
static void
test_propose_active_at_once(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], id;

	fixture_world(f, enr);
	id = propose(f, enr, FIXTURE_ANA, FIXTURE_ED, f->today, DATE_NONE,
	    true, 0);
	assert_int_equal(store_pairing_get(f->db, id, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ACTIVE);
	assert_int_equal(r.activated_on, f->today);
	assert_int_equal(r.expires_on, DATE_NONE);
	pairing_rec_free(&r);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'activate' AND detail = 'no open cycle'"), 1);
}

/* Declining needs a proposal; an empty reason is stored as none. */
static void
test_decline(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long id, active;

	fixture_world(f, NULL);
	id = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    false);
	active = fixture_pair(f, "fixture", "cy@example.org", "di@example.org",
	    true);
	fixture_begin(f);
	assert_int_equal(store_pairing_decline(f->db, id, f->today,
	    "bo@example.org", "", &err), 0);
	assert_int_equal(store_pairing_decline(f->db, active, f->today,
	    "cy@example.org", "busy", &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "pairing 2 is not a proposal");
	error_clear(&err);
	assert_int_equal(store_pairing_decline(f->db, id, f->today,
	    "bo@example.org", "twice", &err), -1);
	error_clear(&err);
	/* Nor is an answer to what is no longer a proposal recorded. */
	assert_int_equal(store_pairing_accept(f->db, id, PAIRING_SIDE_MENTOR,
	    f->today, "ana@example.org", &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "pairing 1 is not a proposal");
	error_clear(&err);
	fixture_commit(f);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'pairing' AND entity_id = 1 AND action = 'accept'"), 0);
	assert_int_equal(store_pairing_get(f->db, id, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_DECLINED);
	assert_int_equal(r.declined_on, f->today);
	assert_string_equal(r.declined_by, "bo@example.org");
	assert_null(r.decline_reason);
	pairing_rec_free(&r);
}

/*
 * Ending releases an enrollment only when it has no other active
 * pairing: the mentor of two keeps being active.
 */
static void
test_end_releases(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], p1, p2, proposal;
	size_t released = 99;
	int d = fixture_day("2027-02-01");

	fixture_world(f, enr);
	p1 = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	p2 = fixture_pair(f, "fixture", "ana@example.org", "di@example.org",
	    true);
	proposal = fixture_pair(f, "fixture", "cy@example.org",
	    "ed@example.org", false);
	fixture_begin(f);
	assert_int_equal(store_pairing_end(f->db, p1, d, "moved", &released,
	    &err), 0);
	assert_int_equal(released, 1);
	assert_int_equal(enrollment_status(f, enr[FIXTURE_ANA]),
	    ENROLLMENT_ACTIVE);
	assert_int_equal(enrollment_status(f, enr[FIXTURE_BO]),
	    ENROLLMENT_ELIGIBLE);
	assert_int_equal(store_pairing_end(f->db, p2, d, "done", NULL, &err),
	    0);
	assert_int_equal(enrollment_status(f, enr[FIXTURE_ANA]),
	    ENROLLMENT_ELIGIBLE);
	/* neither a proposal nor an ended pairing ends */
	assert_int_equal(store_pairing_end(f->db, proposal, d, "x", &released,
	    &err), -1);
	assert_string_equal(err.msg, "pairing 3 is not active");
	assert_int_equal(released, 0);
	error_clear(&err);
	assert_int_equal(store_pairing_end(f->db, p1, d, "again", NULL, &err),
	    -1);
	error_clear(&err);
	fixture_commit(f);
	assert_int_equal(store_pairing_get(f->db, p1, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ENDED);
	assert_int_equal(r.ended_on, d);
	assert_string_equal(r.end_reason, "moved");
	pairing_rec_free(&r);
}

/* Expiry: the day after the last day, not on it; never without a day. */
static void
test_expire_by_day(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], a, b, c;
	int last = fixture_day("2027-01-10");
	size_t n = 99;

	fixture_world(f, enr);
	a = propose(f, enr, FIXTURE_ANA, FIXTURE_BO, f->today, last, false, 0);
	b = propose(f, enr, FIXTURE_CY, FIXTURE_DI, f->today, last + 1, false,
	    0);
	c = propose(f, enr, FIXTURE_CY, FIXTURE_ED, f->today, DATE_NONE,
	    false, 0);
	fixture_begin(f);
	assert_int_equal(store_pairing_expire(f->db, last, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_pairing_expire(f->db, last + 1, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_pairing_expire(f->db, last + 1000, NULL, &err),
	    0);
	fixture_commit(f);
	assert_int_equal(store_pairing_get(f->db, a, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_EXPIRED);
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, b, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_EXPIRED);
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, c, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_PROPOSED);
	pairing_rec_free(&r);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'expire' AND detail = 'unanswered on 2027-01-10'"), 1);
}

/* find: any case, the expired one first; revive: only an expired one. */
static void
test_find_and_revive(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], old, id;
	int last = fixture_day("2027-01-05");

	fixture_world(f, enr);
	old = propose(f, enr, FIXTURE_ANA, FIXTURE_BO, f->today, last, false,
	    0);
	fixture_begin(f);
	assert_int_equal(store_pairing_find(f->db, 1, "ANA@example.org",
	    "bo@EXAMPLE.org", &id, &err), 0);
	assert_int_equal(id, old);
	assert_int_equal(store_pairing_find(f->db, 1, "bo@example.org",
	    "ana@example.org", &id, &err), 0);
	assert_int_equal(id, 0);
	/* not expired yet */
	assert_int_equal(store_pairing_revive(f->db, old, last, DATE_NONE,
	    &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "pairing 1 is not an expired proposal");
	error_clear(&err);
	assert_int_equal(store_pairing_expire(f->db, last + 1, NULL, &err), 0);
	assert_int_equal(store_pairing_revive(f->db, old, last, last + 10,
	    &err), 0);
	fixture_commit(f);
	assert_int_equal(store_pairing_get(f->db, old, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_PROPOSED);
	assert_int_equal(r.expires_on, last + 10);
	pairing_rec_free(&r);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'revive' AND detail = 'expired on 2027-01-05; answers "
	    "due by 2027-01-15'"), 1);
}

static void
test_amend_reason(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long id;

	fixture_world(f, NULL);
	id = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	fixture_begin(f);
	/* not ended yet */
	assert_int_equal(store_pairing_amend_reason(f->db, id, PAIRING_ENDED,
	    NULL, "left", &err), -1);
	assert_string_equal(err.msg, "pairing 1 is not ended");
	error_clear(&err);
	assert_int_equal(store_pairing_end(f->db, id, f->today, "moved", NULL,
	    &err), 0);
	assert_int_equal(store_pairing_amend_reason(f->db, id, PAIRING_ENDED,
	    "moved", "left the company", &err), 0);
	/* the other reason is not this one's */
	assert_int_equal(store_pairing_amend_reason(f->db, id,
	    PAIRING_DECLINED, NULL, "x", &err), -1);
	error_clear(&err);
	assert_int_equal(store_pairing_amend_reason(f->db, id, PAIRING_ACTIVE,
	    NULL, "x", &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	error_clear(&err);
	fixture_commit(f);
	assert_int_equal(store_pairing_get(f->db, id, &r, &err), 0);
	assert_string_equal(r.end_reason, "left the company");
	pairing_rec_free(&r);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'amend' AND detail = 'end reason: ''left the company'' "
	    "(was ''moved'')'"), 1);
}

/* Statuses as of the day asked about, filtered, by id, with people. */
static void
test_cursor(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_cursor *c;
	const struct pairing_row *row;
	long long enr[FIXTURE_NWHO], ids[3];
	int last = fixture_day("2027-01-10"), later = fixture_day("2027-02-01");
	int n, rc;

	fixture_world(f, enr);
	/* nothing yet: an empty listing, not an error */
	c = store_pairing_cursor(f->db, 1, f->today, -1, &err);
	assert_non_null(c);
	assert_int_equal(store_pairing_next(c, &row, &err), 0);
	store_pairing_cursor_free(c);

	ids[0] = propose(f, enr, FIXTURE_ANA, FIXTURE_BO, f->today, last,
	    false, 0);
	ids[1] = propose(f, enr, FIXTURE_CY, FIXTURE_DI, later, DATE_NONE,
	    false, 0);
	ids[2] = propose(f, enr, FIXTURE_CY, FIXTURE_ED, f->today, DATE_NONE,
	    true, 250);
	/* a day after the last day: expired in the listing, not yet stored */
	c = store_pairing_cursor(f->db, 1, last + 1, -1, &err);
	for (n = 0; (rc = store_pairing_next(c, &row, &err)) == 1; n++) {
		assert_int_equal(row->id, ids[n]);
		if (n == 0) {
			assert_int_equal(row->status, PAIRING_EXPIRED);
			assert_string_equal(row->mentor_name, "Ana");
			assert_string_equal(row->mentee_department, "Ops");
			assert_int_equal(row->expires_on, last);
		} else if (n == 1) {
			assert_int_equal(row->status, PAIRING_PLANNED);
			assert_int_equal(row->expires_on, DATE_NONE);
		} else {
			assert_int_equal(row->status, PAIRING_ACTIVE);
			assert_true(row->score > 2.49 && row->score < 2.51);
			assert_false(row->reup_window);
			assert_int_equal(row->mentor_reup, CYCLE_ANSWER_NONE);
			assert_null(row->end_reason);
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 3);
	store_pairing_cursor_free(c);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing WHERE "
	    "status = 'expired'"), 0);

	c = store_pairing_cursor(f->db, 1, last + 1, PAIRING_EXPIRED, &err);
	assert_int_equal(store_pairing_next(c, &row, &err), 1);
	assert_int_equal(row->id, ids[0]);
	assert_int_equal(store_pairing_next(c, &row, &err), 0);
	store_pairing_cursor_free(c);
	/* another programme's pairings are not listed */
	c = store_pairing_cursor(f->db, 2, last + 1, -1, &err);
	assert_int_equal(store_pairing_next(c, &row, &err), 0);
	store_pairing_cursor_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_propose_and_get,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_get_unknown,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_accept_keeps_first_day,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_activate_joins_open_cycle,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_propose_active_at_once,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_decline,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_end_releases,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_expire_by_day,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_find_and_revive,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_amend_reason,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cursor,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
