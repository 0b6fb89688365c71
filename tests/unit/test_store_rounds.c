/*
 * store/rounds_store.c against a real temporary database (fixture.h):
 * a rotation's pairings by period with their status as of a day, new
 * days for a waiting proposal, a period's unanswered proposals expired;
 * a circle's active pairings and members; the names of enrollments; a
 * flash session's seats replaced, attendance recorded and counted.
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
#include "core/status.h"
#include "store/enrollment_store.h"
#include "store/pairing_store.h"
#include "store/rounds_store.h"

/* Store one pairing of enr[mentor] and enr[mentee] through the store. */
static long long
propose(struct fixture *f, const long long *enr, int mentor, int mentee,
    int slot, long long group, const char *day, const char *expires,
    bool activate)
{
	struct error err = ERROR_INIT;
	struct pairing_propose pp;
	struct pairing_new v;

	memset(&pp, 0, sizeof pp);
	pp.program_id = 1;
	pp.origin = PAIRING_ORIGIN_MATCH;
	pp.today = fixture_day(day);
	pp.expires_on = expires ? fixture_day(expires) : DATE_NONE;
	pp.activate = activate;
	memset(&v, 0, sizeof v);
	v.mentor_enrollment_id = enr[mentor];
	v.mentee_enrollment_id = enr[mentee];
	v.slot = slot;
	v.group_id = group;
	v.score = 150;
	fixture_begin(f);
	assert_int_equal(store_pairing_propose(f->db, &pp, &v, 1, &err), 0);
	fixture_commit(f);
	return v.id;
}

/*
 * By period, then mentor and mentee e-mail; status as of the day asked
 * about; pairings without a period are not the rotation's.
 */
static void
test_rotation_rows(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct rotation_row *v = (struct rotation_row *)1;
	long long enr[FIXTURE_NWHO], a, b, c;
	size_t n = 9;

	fixture_world(f, enr);
	assert_int_equal(store_rotation_rows(f->db, 1, f->today, &v, &n, &err),
	    0);
	assert_int_equal(n, 0);
	c = propose(f, enr, FIXTURE_CY, FIXTURE_BO, 2, 0, "2027-02-01",
	    "2027-02-11", false);
	b = propose(f, enr, FIXTURE_CY, FIXTURE_DI, 1, 0, "2027-01-04", NULL,
	    true);
	a = propose(f, enr, FIXTURE_ANA, FIXTURE_ED, 1, 0, "2027-01-04",
	    "2027-01-10", false);
	fixture_pair(f, "fixture", "ana@example.org", "bo@example.org", false);
	assert_int_equal(store_rotation_rows(f->db, 1, fixture_day("2027-01-11"),
	    &v, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, a);
	assert_int_equal(v[0].slot, 1);
	assert_int_equal(v[0].status, PAIRING_EXPIRED);   /* as of the 11th */
	assert_string_equal(v[0].mentor_email, "ana@example.org");
	assert_string_equal(v[0].mentee_name, "Ed");
	assert_int_equal(v[0].score, 150);
	assert_int_equal(v[1].id, b);
	assert_int_equal(v[1].status, PAIRING_ACTIVE);
	assert_int_equal(v[1].activated_on, f->today);
	assert_int_equal(v[1].expires_on, DATE_NONE);
	assert_int_equal(v[2].id, c);
	assert_int_equal(v[2].slot, 2);
	assert_int_equal(v[2].status, PAIRING_PLANNED);
	assert_false(v[2].mentor_accepted);
	rotation_rows_free(v, n);
	/* on its day the planned one is a proposal */
	assert_int_equal(store_rotation_rows(f->db, 1, fixture_day("2027-02-01"),
	    &v, &n, &err), 0);
	assert_int_equal(v[2].status, PAIRING_PROPOSED);
	rotation_rows_free(v, n);
}

static void
test_redate_and_expire_slot(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	long long enr[FIXTURE_NWHO], p1, p2, p3, active;
	size_t n = 9;

	fixture_world(f, enr);
	p1 = propose(f, enr, FIXTURE_ANA, FIXTURE_BO, 2, 0, "2027-02-01",
	    "2027-02-11", false);
	p2 = propose(f, enr, FIXTURE_CY, FIXTURE_DI, 2, 0, "2027-02-01",
	    "2027-02-11", false);
	p3 = propose(f, enr, FIXTURE_CY, FIXTURE_ED, 3, 0, "2027-03-01",
	    "2027-03-11", false);
	active = propose(f, enr, FIXTURE_ANA, FIXTURE_ED, 2, 0, "2027-01-04",
	    NULL, true);
	fixture_begin(f);
	assert_int_equal(store_rotation_redate(f->db, p1,
	    fixture_day("2027-02-08"), fixture_day("2027-02-18"), &err), 0);
	/* an active pairing keeps its days */
	assert_int_equal(store_rotation_redate(f->db, active,
	    fixture_day("2027-02-08"), DATE_NONE, &err), 0);
	assert_int_equal(store_rotation_expire_slot(f->db, 1, 2, &n, &err), 0);
	fixture_commit(f);
	assert_int_equal(n, 2);
	assert_int_equal(store_pairing_get(f->db, p1, &r, &err), 0);
	assert_int_equal(r.proposed_on, fixture_day("2027-02-08"));
	assert_int_equal(r.expires_on, fixture_day("2027-02-18"));
	assert_int_equal(r.status, PAIRING_EXPIRED);
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, p2, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_EXPIRED);
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, p3, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_PROPOSED);
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, active, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ACTIVE);
	assert_int_equal(r.proposed_on, f->today);
	pairing_rec_free(&r);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'expire' AND detail = 'unanswered when period 2 "
	    "closed'"), 2);
	/* another programme's period 2: nothing */
	fixture_begin(f);
	assert_int_equal(store_rotation_expire_slot(f->db, 2, 3, &n, &err), 0);
	fixture_commit(f);
	assert_int_equal(n, 0);
}

/*
 * A circle (group cy): its active pairings; its members, each mentee's
 * latest pairing of the circle, with where else they are.
 */
static void
test_circle(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct withdraw_counts wc;
	struct circle_row *v;
	long long enr[FIXTURE_NWHO], g, di1, di2, ed, *ids;
	size_t n;
	size_t released;

	fixture_world(f, enr);
	g = enr[FIXTURE_CY];
	assert_int_equal(store_group_active(f->db, 1, g, &ids, &n, &err), 0);
	assert_int_equal(n, 0);
	di1 = propose(f, enr, FIXTURE_CY, FIXTURE_DI, 0, g, "2027-01-04", NULL,
	    true);
	ed = propose(f, enr, FIXTURE_CY, FIXTURE_ED, 0, g, "2027-01-04", NULL,
	    true);
	fixture_begin(f);
	assert_int_equal(store_pairing_end(f->db, di1, f->today, "paused",
	    &released, &err), 0);
	fixture_commit(f);
	di2 = propose(f, enr, FIXTURE_CY, FIXTURE_DI, 0, g, "2027-01-05", NULL,
	    false);
	/* ed has another open pairing, outside the circle */
	fixture_pair(f, "fixture", "ana@example.org", "ed@example.org", false);
	fixture_begin(f);
	assert_int_equal(store_enrollment_withdraw(f->db, enr[FIXTURE_DI],
	    "left", f->today, "tester", &wc, &err), 0);
	fixture_commit(f);

	assert_int_equal(store_group_active(f->db, 1, g, &ids, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], ed);
	free(ids);
	assert_int_equal(store_circle_rows(f->db, 1, g, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].pairing_id, ed);
	assert_int_equal(v[0].status, PAIRING_ACTIVE);
	assert_string_equal(v[0].mentee_email, "ed@example.org");
	assert_true(v[0].mentor_enrolled);
	assert_true(v[0].mentee_enrolled);
	assert_true(v[0].mentee_open_elsewhere);
	/* di's latest pairing of the circle, declined by the withdrawal */
	assert_int_equal(v[1].pairing_id, di2);
	assert_int_equal(v[1].status, PAIRING_DECLINED);
	assert_false(v[1].mentee_enrolled);
	assert_false(v[1].mentee_open_elsewhere);
	circle_rows_free(v, n);
	assert_int_equal(store_circle_rows(f->db, 1, enr[FIXTURE_ANA], &v, &n,
	    &err), 0);
	assert_int_equal(n, 0);
}

static void
test_enrolled_names(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct enrolled_name *v;
	long long enr[FIXTURE_NWHO];
	size_t n;

	fixture_world(f, enr);
	fixture_people(f, "email,name\nanon@example.org,\n");
	fixture_enroll(f, "fixture", "anon@example.org", "mentee", 0, NULL);
	assert_int_equal(store_enrolled_names(f->db, 1, &v, &n, &err), 0);
	assert_int_equal(n, FIXTURE_NWHO + 1);
	assert_int_equal(v[0].enrollment_id, enr[FIXTURE_ANA]);
	assert_string_equal(v[0].name, "Ana");
	assert_string_equal(v[FIXTURE_ED].email, "ed@example.org");
	assert_null(v[FIXTURE_NWHO].name);
	enrolled_names_free(v, n);
	assert_int_equal(store_enrolled_names(f->db, 2, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	enrolled_names_free(v, n);
}

static void
seat(struct flash_seat *s, int round, long long mentee, long long mentor,
    int table)
{
	memset(s, 0, sizeof *s);
	s->round = round;
	s->mentee_enrollment_id = mentee;
	s->mentor_enrollment_id = mentor;
	s->table = table;
	s->score = 275;
}

/*
 * Seats: replaced as a whole; read back by round, table, mentee; each
 * mentee's attendance by round or for the session; the counts.
 */
static void
test_flash(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct flash_seat in[5], *v;
	struct flash_counts c;
	long long enr[FIXTURE_NWHO];
	size_t n, changed;

	fixture_world(f, enr);
	assert_int_equal(store_flash_counts(f->db, 1, &c, &err), 0);
	assert_int_equal(c.seated, 0);
	seat(&in[0], 2, enr[FIXTURE_BO], enr[FIXTURE_ANA], 1);
	seat(&in[1], 1, enr[FIXTURE_DI], enr[FIXTURE_ANA], 2);
	seat(&in[2], 1, enr[FIXTURE_BO], enr[FIXTURE_CY], 1);
	seat(&in[3], 1, enr[FIXTURE_ED], enr[FIXTURE_ANA], 1);
	fixture_begin(f);
	assert_int_equal(store_flash_seats_put(f->db, 1, in, 4, &err), 0);
	fixture_commit(f);
	assert_int_equal(store_flash_seats(f->db, 1, &v, &n, &err), 0);
	assert_int_equal(n, 4);
	/* round 1 table 1: bo then ed (by enrollment id); table 2; round 2 */
	assert_int_equal(v[0].round, 1);
	assert_int_equal(v[0].table, 1);
	assert_int_equal(v[0].mentee_enrollment_id, enr[FIXTURE_BO]);
	assert_int_equal(v[1].mentee_enrollment_id, enr[FIXTURE_ED]);
	assert_int_equal(v[2].table, 2);
	assert_int_equal(v[3].round, 2);
	assert_int_equal(v[3].score, 275);
	assert_int_equal(v[0].attended, -1);
	free(v);

	fixture_begin(f);
	/* bo came to round 1, then to all of theirs */
	assert_int_equal(store_flash_attend(f->db, 1, enr[FIXTURE_BO], 1, 1,
	    &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_flash_attend(f->db, 1, enr[FIXTURE_BO], 0, 1,
	    &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_flash_attend(f->db, 1, enr[FIXTURE_BO], 0, 1,
	    &changed, &err), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(store_flash_attend(f->db, 1, enr[FIXTURE_DI], 0, 0,
	    &changed, &err), 0);
	assert_int_equal(changed, 1);
	/* no seat: nothing */
	assert_int_equal(store_flash_attend(f->db, 1, enr[FIXTURE_ANA], 0, 1,
	    &changed, &err), 0);
	assert_int_equal(changed, 0);
	fixture_commit(f);
	assert_int_equal(store_flash_counts(f->db, 1, &c, &err), 0);
	assert_int_equal(c.seated, 3);
	assert_int_equal(c.attended, 1);
	assert_int_equal(c.absent, 1);
	assert_int_equal(c.unrecorded, 1);

	/* a new seating replaces the old seats and their attendance */
	seat(&in[4], 1, enr[FIXTURE_ED], enr[FIXTURE_CY], 3);
	fixture_begin(f);
	assert_int_equal(store_flash_seats_put(f->db, 1, &in[4], 1, &err), 0);
	fixture_commit(f);
	assert_int_equal(store_flash_seats(f->db, 1, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].table, 3);
	free(v);
	assert_int_equal(store_flash_counts(f->db, 1, &c, &err), 0);
	assert_int_equal(c.seated, 1);
	assert_int_equal(c.unrecorded, 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'seat' AND detail = 'flash session seated: 1 seat'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rotation_rows,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_redate_and_expire_slot,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_circle,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_enrolled_names,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_flash,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
