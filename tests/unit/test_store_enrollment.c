/*
 * store/enrollment_store.c against a real temporary database (fixture.h):
 * create, update, leave unchanged and re-activate enrollments; the
 * eligibility verdicts stored (and eligible_on kept from the first time);
 * listings in their order and filters; mentors above their capacity;
 * withdrawing, with what it does to the pairings.
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
#include "core/program.h"
#include "core/status.h"
#include "ops/ops.h"
#include "store/enrollment_store.h"
#include "store/pairing_store.h"
#include "store/person_store.h"

static const char people[] =
    "email,name,department,level,hired_on\n"
    "zed@example.org,Zed,Eng,6,2015-01-01\n"
    "amy@example.org,Amy,Ops,2,2024-01-01\n"
    "new@example.org,New,Ops,5,2026-12-01\n";

static long long
person(struct fixture *f, const char *email)
{
	struct error err = ERROR_INIT;
	long long id = 0;

	assert_int_equal(store_person_ids(f->db, &email, 1, &id, &err), 0);
	assert_true(id > 0);
	return id;
}

static struct enrollment_out
put(struct fixture *f, long long program_id, const char *email,
    enum program_role role, int capacity, const char *goal, int day)
{
	struct error err = ERROR_INIT;
	struct enrollment_in in;
	struct enrollment_out out;

	memset(&in, 0, sizeof in);
	in.program_id = program_id;
	in.person_id = person(f, email);
	in.email = email;
	in.role = role;
	in.set_capacity = capacity != 0;
	in.capacity = capacity;
	in.default_capacity = 2;
	in.set_goal = goal != NULL;
	in.goal = goal;
	fixture_begin(f);
	assert_int_equal(store_enrollment_put(f->db, &in, 1, day, &out, &err),
	    0);
	fixture_commit(f);
	return out;
}

/* The enrollment rows of one person, as the store lists them. */
static struct enrollment_row *
rows_of(struct fixture *f, const char *email, size_t *n)
{
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;

	assert_int_equal(store_enrollment_of_person(f->db, person(f, email), 0,
	    &rows, n, &err), 0);
	return rows;
}

static void
test_roles(void **state)
{
	(void)state;
	assert_int_equal(enrollment_role_parse("mentor"), ROLE_MENTOR);
	assert_int_equal(enrollment_role_parse("mentee"), ROLE_MENTEE);
	assert_int_equal(enrollment_role_parse("Mentor"), -1);
	assert_int_equal(enrollment_role_parse(""), -1);
	assert_string_equal(enrollment_role_name(ROLE_MENTEE), "mentee");
}

static void
test_put(void **state)
{
	struct fixture *f = *state;
	struct enrollment_out o;
	struct enrollment_row *r;
	long long pid = fixture_program(f, FIXTURE_PROGRAM);
	int later = fixture_day("2027-02-01");
	size_t n;

	fixture_people(f, people);
	o = put(f, pid, "zed@example.org", ROLE_MENTOR, 0, "", f->today);
	assert_int_equal(o.action, ENROLL_CREATED);
	r = rows_of(f, "zed@example.org", &n);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].id, o.id);
	assert_int_equal(r[0].status, ENROLLMENT_PENDING);
	assert_int_equal(r[0].enrolled_on, f->today);
	assert_false(r[0].has_capacity);
	assert_null(r[0].goal);           /* "" is no goal */
	assert_int_equal(r[0].eligible_on, DATE_NONE);
	enrollment_rows_free(r, n);

	/* the same again, or the default spelt out: nothing changes */
	assert_int_equal(put(f, pid, "zed@example.org", ROLE_MENTOR, 0, NULL,
	    later).action, ENROLL_UNCHANGED);
	assert_int_equal(put(f, pid, "zed@example.org", ROLE_MENTOR, 2, NULL,
	    later).action, ENROLL_UNCHANGED);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'enrollment'"), 1);
	o = put(f, pid, "zed@example.org", ROLE_MENTOR, 3, "grow", later);
	assert_int_equal(o.action, ENROLL_UPDATED);
	r = rows_of(f, "zed@example.org", &n);
	assert_true(r[0].has_capacity);
	assert_int_equal(r[0].capacity, 3);
	assert_string_equal(r[0].goal, "grow");
	assert_int_equal(r[0].enrolled_on, f->today);   /* kept */
	enrollment_rows_free(r, n);
	/* capacity -1: back to the programme's default */
	put(f, pid, "zed@example.org", ROLE_MENTOR, -1, NULL, later);
	r = rows_of(f, "zed@example.org", &n);
	assert_false(r[0].has_capacity);
	assert_string_equal(r[0].goal, "grow");
	enrollment_rows_free(r, n);
	/* the other role is another enrollment */
	assert_int_equal(put(f, pid, "zed@example.org", ROLE_MENTEE, 0, NULL,
	    later).action, ENROLL_CREATED);
	r = rows_of(f, "zed@example.org", &n);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].role, ROLE_MENTOR);      /* mentor first */
	enrollment_rows_free(r, n);
}

/* A withdrawn enrollment put again is pending, enrolled anew. */
static void
test_reactivate(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct withdraw_counts c;
	struct enrollment_out o;
	struct enrollment_row *r;
	long long pid = fixture_program(f, FIXTURE_PROGRAM);
	int wd = fixture_day("2027-01-10"), back = fixture_day("2027-03-01");
	size_t n;

	fixture_people(f, people);
	o = put(f, pid, "amy@example.org", ROLE_MENTEE, 0, "learn", f->today);
	fixture_begin(f);
	assert_int_equal(store_enrollment_withdraw(f->db, o.id, "left", wd,
	    "tester", &c, &err), 0);
	fixture_commit(f);
	r = rows_of(f, "amy@example.org", &n);
	assert_int_equal(r[0].status, ENROLLMENT_WITHDRAWN);
	assert_int_equal(r[0].withdrawn_on, wd);
	assert_string_equal(r[0].withdraw_reason, "left");
	enrollment_rows_free(r, n);
	o = put(f, pid, "amy@example.org", ROLE_MENTEE, 0, NULL, back);
	assert_int_equal(o.action, ENROLL_REACTIVATED);
	assert_int_equal(o.withdrawn_on, wd);
	r = rows_of(f, "amy@example.org", &n);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].status, ENROLLMENT_PENDING);
	assert_int_equal(r[0].enrolled_on, back);
	assert_int_equal(r[0].withdrawn_on, DATE_NONE);
	assert_null(r[0].withdraw_reason);
	assert_string_equal(r[0].goal, "learn");
	enrollment_rows_free(r, n);
}

/*
 * Eligibility: a mentor without the training is pending with the reason;
 * with it, eligible from that day, and eligible_on stays the first day.
 */
static void
test_reevaluate(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct elig_counts counts;
	struct enrollment_row *r;
	struct program *p;
	long long pid;
	size_t n, stale = 9;
	int d1 = fixture_day("2027-01-20"), d2 = fixture_day("2027-02-20");

	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people);
	assert_int_equal(ops_program_load(&o, "fixture", &pid, &p, &err), 0);
	put(f, pid, "zed@example.org", ROLE_MENTOR, 0, NULL, f->today);
	put(f, pid, "amy@example.org", ROLE_MENTEE, 0, NULL, f->today);
	fixture_begin(f);
	assert_int_equal(store_enrollment_stale(f->db, pid, p, f->today,
	    &stale, &err), 0);
	assert_int_equal(stale, 2);
	assert_int_equal(store_enrollment_reevaluate(f->db, pid, p, f->today,
	    NULL, 0, &counts, &err), 0);
	fixture_commit(f);
	assert_int_equal(counts.evaluated, 2);
	assert_int_equal(counts.eligible, 1);
	assert_int_equal(counts.changed, 2);
	r = rows_of(f, "zed@example.org", &n);
	assert_int_equal(r[0].status, ENROLLMENT_PENDING);
	assert_non_null(r[0].reason);
	assert_non_null(strstr(r[0].reason, "mentor-basics"));
	enrollment_rows_free(r, n);
	r = rows_of(f, "amy@example.org", &n);
	assert_int_equal(r[0].status, ENROLLMENT_ELIGIBLE);
	assert_int_equal(r[0].eligible_on, f->today);
	assert_null(r[0].reason);
	enrollment_rows_free(r, n);
	/* nothing stale now; nothing changes on a second run */
	assert_int_equal(store_enrollment_stale(f->db, pid, p, f->today,
	    &stale, &err), 0);
	assert_int_equal(stale, 0);

	fixture_training(f, "zed@example.org", "mentor-basics", "2027-01-15");
	fixture_begin(f);
	assert_int_equal(store_enrollment_reevaluate(f->db, pid, p, d1, NULL,
	    0, &counts, &err), 0);
	assert_int_equal(counts.changed, 1);
	assert_int_equal(store_enrollment_reevaluate(f->db, pid, p, d2, NULL,
	    0, &counts, &err), 0);
	assert_int_equal(counts.changed, 0);
	fixture_commit(f);
	r = rows_of(f, "zed@example.org", &n);
	assert_int_equal(r[0].status, ENROLLMENT_ELIGIBLE);
	assert_int_equal(r[0].eligible_on, d1);
	assert_null(r[0].reason);
	enrollment_rows_free(r, n);
	/*
	 * Stricter rules make amy pending, the old ones eligible again:
	 * eligible_on stays the first day she was.
	 */
	p->mentee.eligibility.has_min_level = true;
	p->mentee.eligibility.min_level = 5;
	fixture_begin(f);
	assert_int_equal(store_enrollment_reevaluate(f->db, pid, p, d1, NULL,
	    0, &counts, &err), 0);
	fixture_commit(f);
	r = rows_of(f, "amy@example.org", &n);
	assert_int_equal(r[0].status, ENROLLMENT_PENDING);
	assert_int_equal(r[0].eligible_on, f->today);
	enrollment_rows_free(r, n);
	p->mentee.eligibility.has_min_level = false;
	fixture_begin(f);
	assert_int_equal(store_enrollment_reevaluate(f->db, pid, p, d2, NULL,
	    0, &counts, &err), 0);
	fixture_commit(f);
	r = rows_of(f, "amy@example.org", &n);
	assert_int_equal(r[0].status, ENROLLMENT_ELIGIBLE);
	assert_int_equal(r[0].eligible_on, f->today);
	enrollment_rows_free(r, n);
	/* an empty set of people: nothing looked at */
	fixture_begin(f);
	assert_int_equal(store_enrollment_reevaluate(f->db, pid, p, d2, &pid,
	    0, &counts, &err), 0);
	fixture_commit(f);
	assert_int_equal(counts.evaluated, 0);
	program_free(p);
}

/* Sorted by programme, e-mail, mentor first; filters combine. */
static void
test_list_and_cursor(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;
	struct enrollment_cursor *c;
	const struct enrollment_row *row;
	long long ids[1];
	size_t n;
	bool any = true;
	int k, rc;

	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people);
	assert_int_equal(store_enrollment_open(f->db, &any, &err), 0);
	assert_false(any);
	assert_int_equal(store_enrollment_list(f->db, 0, NULL, 0, -1, &rows,
	    &n, &err), 0);
	assert_int_equal(n, 0);
	put(f, 1, "zed@example.org", ROLE_MENTEE, 0, NULL, f->today);
	put(f, 1, "zed@example.org", ROLE_MENTOR, 0, NULL, f->today);
	put(f, 1, "amy@example.org", ROLE_MENTEE, 0, NULL, f->today);
	assert_int_equal(store_enrollment_open(f->db, &any, &err), 0);
	assert_true(any);
	assert_int_equal(store_enrollment_list(f->db, 1, NULL, 0, -1, &rows,
	    &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].email, "amy@example.org");
	assert_string_equal(rows[1].email, "zed@example.org");
	assert_int_equal(rows[1].role, ROLE_MENTOR);
	assert_int_equal(rows[2].role, ROLE_MENTEE);
	assert_string_equal(rows[0].program, "fixture");
	assert_string_equal(rows[0].name, "Amy");
	enrollment_rows_free(rows, n);
	ids[0] = person(f, "zed@example.org");
	assert_int_equal(store_enrollment_list(f->db, 0, ids, 1,
	    ENROLLMENT_PENDING, &rows, &n, &err), 0);
	assert_int_equal(n, 2);
	enrollment_rows_free(rows, n);
	assert_int_equal(store_enrollment_list(f->db, 0, ids, 1,
	    ENROLLMENT_ACTIVE, &rows, &n, &err), 0);
	assert_int_equal(n, 0);
	enrollment_rows_free(rows, n);
	assert_int_equal(store_enrollment_list(f->db, 7, NULL, 0, -1, &rows,
	    &n, &err), 0);
	assert_int_equal(n, 0);

	c = store_enrollment_cursor(f->db, 0, &err);
	assert_non_null(c);
	for (k = 0; (rc = store_enrollment_next(c, &row, &err)) == 1; k++)
		if (k == 1)
			assert_int_equal(row->role, ROLE_MENTOR);
	assert_int_equal(rc, 0);
	assert_int_equal(k, 3);
	store_enrollment_cursor_free(c);
}

/* The programmes a change to these people must re-evaluate. */
static void
test_programs(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	char **slugs;
	long long ids[2];
	size_t n;

	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people);
	ids[0] = person(f, "zed@example.org");
	ids[1] = person(f, "new@example.org");
	assert_int_equal(store_enrollment_programs(f->db, ids, 2, &slugs, &n,
	    &err), 0);
	assert_int_equal(n, 0);
	put(f, 1, "zed@example.org", ROLE_MENTOR, 0, NULL, f->today);
	assert_int_equal(store_enrollment_programs(f->db, ids, 2, &slugs, &n,
	    &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(slugs[0], "fixture");
	enrollment_slugs_free(slugs, n);
	assert_int_equal(store_enrollment_programs(f->db, ids + 1, 1, &slugs,
	    &n, &err), 0);
	assert_int_equal(n, 0);
}

/* A mentor whose open pairings outnumber the places they have now. */
static void
test_overloaded(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct enrollment_overload *v;
	long long enr[FIXTURE_NWHO], ids[1];
	size_t n;

	fixture_world(f, enr);
	fixture_pair(f, "fixture", "ana@example.org", "bo@example.org", true);
	fixture_pair(f, "fixture", "ana@example.org", "di@example.org", false);
	fixture_pair(f, "fixture", "cy@example.org", "ed@example.org", true);
	assert_int_equal(store_enrollment_overloaded(f->db, 1, 2, NULL, 0, &v,
	    &n, &err), 0);
	assert_int_equal(n, 0);
	/* the default lowered to one place: ana has two (one a proposal) */
	assert_int_equal(store_enrollment_overloaded(f->db, 1, 1, NULL, 0, &v,
	    &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].email, "ana@example.org");
	assert_int_equal(v[0].capacity, 1);
	assert_int_equal(v[0].load, 2);
	enrollment_overloads_free(v, n);
	/* only the people asked about */
	ids[0] = person(f, "cy@example.org");
	assert_int_equal(store_enrollment_overloaded(f->db, 1, 0, ids, 1, &v,
	    &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].email, "cy@example.org");
	enrollment_overloads_free(v, n);
	assert_int_equal(store_enrollment_overloaded(f->db, 1, 0, ids, 0, &v,
	    &n, &err), 0);
	assert_int_equal(n, 0);
}

/*
 * Withdrawing: proposals declined by the actor, active pairings ended,
 * and a partner left with no active pairing eligible again.
 */
static void
test_withdraw(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct withdraw_counts c;
	struct pairing_rec r;
	struct enrollment_row *rows;
	long long enr[FIXTURE_NWHO], active, proposal, other;
	int day = fixture_day("2027-01-20");
	size_t n;

	fixture_world(f, enr);
	active = fixture_pair(f, "fixture", "ana@example.org",
	    "bo@example.org", true);
	proposal = fixture_pair(f, "fixture", "ana@example.org",
	    "di@example.org", false);
	other = fixture_pair(f, "fixture", "cy@example.org", "ed@example.org",
	    true);
	fixture_begin(f);
	assert_int_equal(store_enrollment_withdraw(f->db, enr[FIXTURE_ANA],
	    "", day, "coordinator", &c, &err), 0);
	fixture_commit(f);
	assert_int_equal(c.declined, 1);
	assert_int_equal(c.ended, 1);
	assert_int_equal(store_pairing_get(f->db, proposal, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_DECLINED);
	assert_string_equal(r.declined_by, "coordinator");
	assert_string_equal(r.decline_reason, "withdrawn");
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, active, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ENDED);
	assert_int_equal(r.ended_on, day);
	assert_string_equal(r.end_reason, "withdrawn");
	pairing_rec_free(&r);
	assert_int_equal(store_pairing_get(f->db, other, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_ACTIVE);
	pairing_rec_free(&r);
	assert_int_equal(store_enrollment_list(f->db, 1, NULL, 0, -1, &rows,
	    &n, &err), 0);
	assert_int_equal(n, FIXTURE_NWHO);
	/* by e-mail: ana, bo, cy, di, ed */
	assert_int_equal(rows[0].status, ENROLLMENT_WITHDRAWN);
	assert_null(rows[0].withdraw_reason);     /* "" is none */
	assert_int_equal(rows[1].status, ENROLLMENT_ELIGIBLE);
	assert_int_equal(rows[2].status, ENROLLMENT_ACTIVE);
	enrollment_rows_free(rows, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_put,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reactivate,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reevaluate,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_and_cursor,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_programs,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_overloaded,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_withdraw,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
