/*
 * store/feedback_store.c against a real temporary database (fixture.h):
 * who may give feedback about a pairing or a programme, which cycle a
 * feedback belongs to, one per person, subject and cycle (given again:
 * replaced), and the report's rows by cycle.
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
#include "store/cycle_store.h"
#include "store/db.h"
#include "store/feedback_store.h"

static long long
start_cycle(struct fixture *f, int number, const char *from, const char *to)
{
	struct error err = ERROR_INIT;
	struct cycle_dates cd;
	long long id, attached;

	cd.number = number;
	cd.starts_on = fixture_day(from);
	cd.ends_on = fixture_day(to);
	cd.reup_opens_on = cd.ends_on - 21;
	cd.reup_closes_on = cd.ends_on - 7;
	fixture_begin(f);
	assert_int_equal(store_cycle_start(f->db, 1, &cd, &id, &attached,
	    &err), 0);
	fixture_commit(f);
	return id;
}

static void
test_pairing_giver(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct feedback_giver g;
	long long active, proposal;

	fixture_world(f, NULL);
	active = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	proposal = fixture_pair(f, "fixture", "cy@example.org",
	    "di@example.org", false);
	assert_int_equal(feedback_store_pairing_giver(f->db, active,
	    "bo@example.org", &g, &err), 0);
	assert_int_equal(g.program_id, 1);
	assert_int_equal(g.pairing_id, active);
	assert_true(g.person_id > 0);
	assert_int_equal(g.cycle_id, 0);
	/* any case finds the person */
	assert_int_equal(feedback_store_pairing_giver(f->db, active,
	    "ANA@example.org", &g, &err), 0);

	assert_int_equal(feedback_store_pairing_giver(f->db, active,
	    "cy@example.org", &g, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "'cy@example.org' is not a partner in "
	    "pairing 1 (mentor ana@example.org, mentee bo@example.org)");
	error_clear(&err);
	assert_int_equal(feedback_store_pairing_giver(f->db, proposal,
	    "di@example.org", &g, &err), -1);
	assert_string_equal(err.msg, "pairing 2 never turned active (it is "
	    "proposed): there is no mentoring to rate yet");
	error_clear(&err);
	assert_int_equal(feedback_store_pairing_giver(f->db, 9,
	    "di@example.org", &g, &err), -1);
	assert_string_equal(err.msg, "unknown pairing 9");
	error_clear(&err);
	assert_int_equal(feedback_store_pairing_giver(f->db, active,
	    "nobody@example.org", &g, &err), -1);
	assert_string_equal(err.msg, "unknown person 'nobody@example.org'");
	error_clear(&err);
}

static void
test_program_giver(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct feedback_giver g;

	fixture_world(f, NULL);
	fixture_people(f, "email,name\nout@example.org,Out\n");
	assert_int_equal(feedback_store_program_giver(f->db, 1, "fixture",
	    "ed@example.org", &g, &err), 0);
	assert_int_equal(g.program_id, 1);
	assert_int_equal(g.pairing_id, 0);
	assert_int_equal(feedback_store_program_giver(f->db, 1, "fixture",
	    "out@example.org", &g, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "'out@example.org' is not enrolled in "
	    "programme 'fixture'");
	error_clear(&err);
}

/* Close cycle id on `day`, every member leaving. */
static void
close_all_exit(struct fixture *f, long long id, const char *day)
{
	struct error err = ERROR_INIT;
	struct cycle_member *v;
	struct cycle_row c;
	size_t n, i;

	assert_int_equal(store_cycle_open(f->db, 1, &c, &err), 1);
	assert_int_equal(c.id, id);
	assert_int_equal(store_cycle_members(f->db, id, &v, &n, &err), 0);
	for (i = 0; i < n; i++) {
		v[i].outcome = CYCLE_OUTCOME_EXIT;
		v[i].mentor_fate = v[i].mentee_fate = CYCLE_FATE_REMATCH;
	}
	fixture_begin(f);
	assert_int_equal(store_cycle_close(f->db, 1, &c, v, n,
	    fixture_day(day), NULL, NULL, &err), 0);
	fixture_commit(f);
	cycle_members_free(v, n);
}

/*
 * The cycle: the latest begun by the day; for a pairing, of the cycles
 * it took part in.
 */
static void
test_cycle(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct feedback_giver g, pg;
	long long c1, c2, late;

	fixture_world(f, NULL);
	c1 = start_cycle(f, 1, "2027-01-11", "2027-07-11");
	f->today = fixture_day("2027-01-12");
	fixture_pair(f, "fixture", "ana@example.org", "bo@example.org", true);
	assert_int_equal(feedback_store_pairing_giver(f->db, 1,
	    "bo@example.org", &g, &err), 0);
	assert_int_equal(feedback_store_program_giver(f->db, 1, "fixture",
	    "ed@example.org", &pg, &err), 0);
	/* before any cycle began: none */
	assert_int_equal(feedback_store_cycle(f->db, &pg,
	    fixture_day("2027-01-10"), &err), 0);
	assert_int_equal(pg.cycle_id, 0);
	assert_int_equal(feedback_store_cycle(f->db, &g,
	    fixture_day("2027-03-01"), &err), 0);
	assert_int_equal(g.cycle_id, c1);
	assert_int_equal(g.cycle, 1);

	/*
	 * Cycle 1 closes with the pairing's exit, cycle 2 begins: feedback
	 * about the pairing after the end still counts for cycle 1.
	 */
	close_all_exit(f, c1, "2027-07-11");
	c2 = start_cycle(f, 2, "2027-07-11", "2028-01-11");
	f->today = fixture_day("2027-07-12");
	late = fixture_pair(f, "fixture", "cy@example.org", "di@example.org",
	    true);
	assert_int_equal(feedback_store_cycle(f->db, &g,
	    fixture_day("2027-07-20"), &err), 0);
	assert_int_equal(g.cycle_id, c1);
	assert_int_equal(feedback_store_cycle(f->db, &pg,
	    fixture_day("2027-07-20"), &err), 0);
	assert_int_equal(pg.cycle_id, c2);
	assert_int_equal(pg.cycle, 2);
	assert_int_equal(feedback_store_pairing_giver(f->db, late,
	    "di@example.org", &g, &err), 0);
	assert_int_equal(feedback_store_cycle(f->db, &g,
	    fixture_day("2027-07-20"), &err), 0);
	assert_int_equal(g.cycle_id, c2);
}

static long long
put(struct fixture *f, const struct feedback_giver *g, int rating,
    const char *comment, const char *day, int *replaced_on)
{
	struct error err = ERROR_INIT;
	long long id = 0;

	fixture_begin(f);
	assert_int_equal(feedback_store_put(f->db, g, rating, comment,
	    fixture_day(day), &id, replaced_on, &err), 0);
	fixture_commit(f);
	return id;
}

/* One per person, subject and cycle: given again, replaced. */
static void
test_put_and_replace(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct feedback_giver g, pg, mg;
	long long a, b, c, id;
	int on = 7, replaced = 7;

	fixture_world(f, NULL);
	fixture_pair(f, "fixture", "ana@example.org", "bo@example.org", true);
	assert_int_equal(feedback_store_pairing_giver(f->db, 1,
	    "bo@example.org", &g, &err), 0);
	assert_int_equal(feedback_store_pairing_giver(f->db, 1,
	    "ana@example.org", &mg, &err), 0);
	assert_int_equal(feedback_store_program_giver(f->db, 1, "fixture",
	    "bo@example.org", &pg, &err), 0);
	assert_int_equal(feedback_store_earlier(f->db, &g, &id, &on, &err), 0);
	assert_int_equal(id, 0);
	assert_int_equal(on, DATE_NONE);

	a = put(f, &g, 4, "good", "2027-02-01", &replaced);
	assert_int_equal(replaced, DATE_NONE);
	b = put(f, &mg, 5, NULL, "2027-02-02", &replaced);
	c = put(f, &pg, 3, "fine", "2027-02-03", &replaced);
	assert_true(a != b && b != c);
	/* bo again about the pairing: the same row, the earlier day said */
	id = put(f, &g, 2, "worse", "2027-03-01", &replaced);
	assert_int_equal(id, a);
	assert_int_equal(replaced, fixture_day("2027-02-01"));
	assert_int_equal(feedback_store_earlier(f->db, &g, &id, &on, &err), 0);
	assert_int_equal(id, a);
	assert_int_equal(on, fixture_day("2027-03-01"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM feedback"), 3);
	assert_int_equal(fixture_count(f, "SELECT rating FROM feedback WHERE "
	    "id = 1 AND comment = 'worse'"), 2);
	/* the audit says who and about what, never the rating or comment */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'feedback' AND (detail LIKE '%worse%' OR detail LIKE "
	    "'%good%')"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'feedback' AND action = 'replace'"), 1);
	/* the schema's range */
	fixture_begin(f);
	assert_int_equal(feedback_store_put(f->db, &pg, 6, NULL, f->today, &id,
	    &replaced, &err), -1);
	error_clear(&err);
	db_rollback(f->db);
}

/* The report's rows: by cycle (none first), then day, up to a day. */
static void
test_by_cycle(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct feedback_giver g, pg;
	struct feedback_row *v = (struct feedback_row *)1;
	int replaced;
	size_t n = 9;

	fixture_world(f, NULL);
	assert_int_equal(feedback_store_by_cycle(f->db, 1, DATE_NONE, &v, &n,
	    &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(feedback_store_program_giver(f->db, 1, "fixture",
	    "ed@example.org", &pg, &err), 0);
	put(f, &pg, 3, NULL, "2027-01-08", &replaced);     /* no cycle */
	start_cycle(f, 1, "2027-01-11", "2027-07-11");
	f->today = fixture_day("2027-01-12");
	fixture_pair(f, "fixture", "ana@example.org", "bo@example.org", true);
	assert_int_equal(feedback_store_pairing_giver(f->db, 1,
	    "bo@example.org", &g, &err), 0);
	assert_int_equal(feedback_store_cycle(f->db, &g,
	    fixture_day("2027-03-01"), &err), 0);
	put(f, &g, 5, "great", "2027-03-01", &replaced);
	assert_int_equal(feedback_store_program_giver(f->db, 1, "fixture",
	    "di@example.org", &pg, &err), 0);
	assert_int_equal(feedback_store_cycle(f->db, &pg,
	    fixture_day("2027-02-01"), &err), 0);
	put(f, &pg, 4, NULL, "2027-02-01", &replaced);

	assert_int_equal(feedback_store_by_cycle(f->db, 1, DATE_NONE, &v, &n,
	    &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].cycle, 0);
	assert_int_equal(v[0].rating, 3);
	assert_int_equal(v[0].pairing_id, 0);
	assert_int_equal(v[1].cycle, 1);
	assert_int_equal(v[1].given_on, fixture_day("2027-02-01"));
	assert_null(v[1].comment);
	assert_int_equal(v[2].pairing_id, 1);
	assert_string_equal(v[2].comment, "great");
	feedback_rows_free(v, n);
	assert_int_equal(feedback_store_by_cycle(f->db, 1,
	    fixture_day("2027-02-01"), &v, &n, &err), 0);
	assert_int_equal(n, 2);
	feedback_rows_free(v, n);
	assert_int_equal(feedback_store_by_cycle(f->db, 2, DATE_NONE, &v, &n,
	    &err), 0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pairing_giver,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_program_giver,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cycle,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_put_and_replace,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_by_cycle,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
