/*
 * store/person_store, store/enrollment_store and store/program_store
 * against a real temporary database (fixture.h): the queries the people
 * commands and the others' ops rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "store/program_store.h"

static const char people_csv[] =
    "email,name,department,title,level,hired_on,location,timezone,"
    "manager_email,skills,wants\n"
    "ana@example.org,Ana,Engineering,Staff,5,2015-06-01,Lisbon,"
    "Europe/Lisbon,,go;rust,\n"
    "Bo@Example.org,Bo,Operations,Analyst,2,2026-09-01,Oslo,+01:00,"
    "ana@example.org,,go\n"
    "cy@example.org,Cy,Engineering,Engineer,3,2020-01-01,Lisbon,UTC,"
    "ana@example.org,c,\n";

static void
test_person_get(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct person_rec p;

	fixture_people(f, people_csv);
	/* Any case finds the person; the stored spelling is kept. */
	assert_int_equal(store_person_get(f->db, "BO@EXAMPLE.ORG", &p, &err), 0);
	assert_string_equal(p.fields[PEOPLE_EMAIL], "Bo@Example.org");
	assert_string_equal(p.fields[PEOPLE_LEVEL], "2");
	assert_string_equal(p.fields[PEOPLE_HIRED_ON], "2026-09-01");
	assert_string_equal(p.fields[PEOPLE_TIMEZONE], "+01:00");
	assert_string_equal(p.fields[PEOPLE_MANAGER_EMAIL], "ana@example.org");
	assert_int_equal(p.nattrs, 1);
	assert_string_equal(p.attrs[0].name, "wants");
	assert_string_equal(p.attrs[0].value, "go");
	person_rec_free(&p);
	assert_int_equal(store_person_get(f->db, "nobody@example.org", &p,
	    &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "unknown person 'nobody@example.org'");
	error_clear(&err);
}

static void
test_person_ids(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	const char *emails[] = { "cy@example.org", "nobody@example.org",
	    "bo@example.org", "ANA@example.org" };
	long long ids[4];

	fixture_people(f, people_csv);
	assert_int_equal(store_person_ids(f->db, emails, 4, ids, &err), 0);
	assert_true(ids[0] > 0);
	assert_int_equal(ids[1], 0);
	assert_true(ids[2] > 0);
	assert_true(ids[3] > 0);
	assert_true(ids[0] != ids[2] && ids[2] != ids[3]);
}

/* Streams sorted by e-mail without case; filters combine. */
static void
test_person_cursor(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct person_filter flt;
	struct person_cursor *c;
	const char *const *cells;
	const char *attrs[] = { "skills", "wants" };
	const char *seen[4];
	size_t n = 0;
	int rc;

	fixture_people(f, people_csv);
	memset(&flt, 0, sizeof flt);
	c = store_person_cursor(f->db, &flt, attrs, 2, &err);
	assert_non_null(c);
	while ((rc = store_person_next(c, &cells, &err)) == 1) {
		assert_true(n < 4);
		seen[n] = cells[PEOPLE_EMAIL];
		if (n == 0) {
			assert_string_equal(cells[PEOPLE_NFIELDS], "go;rust");
			assert_null(cells[PEOPLE_NFIELDS + 1]);
		}
		if (n == 1) {
			assert_null(cells[PEOPLE_NFIELDS]);
			assert_string_equal(cells[PEOPLE_NFIELDS + 1], "go");
		}
		n++;
	}
	assert_int_equal(rc, 0);
	store_person_cursor_free(c);
	assert_int_equal(n, 3);
	(void)seen;

	flt.department = "ENGINEERING";
	flt.search = "lisbon";
	c = store_person_cursor(f->db, &flt, NULL, 0, &err);
	n = 0;
	while (store_person_next(c, &cells, &err) == 1)
		n++;
	store_person_cursor_free(c);
	assert_int_equal(n, 2);
}

/* One row per enrollment of a programme, with its role and status. */
static void
test_person_cursor_by_enrollment(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct person_filter flt;
	struct person_cursor *c;
	const char *const *cells, *reason;
	enum program_role role;
	enum enrollment_status st, pending = ENROLLMENT_PENDING;
	size_t n = 0;

	memset(&flt, 0, sizeof flt);
	flt.program_id = fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 0, NULL);
	fixture_enroll(f, "fixture", "ana@example.org", "mentee", 0, NULL);
	fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0, NULL);
	flt.by_enrollment = true;
	c = store_person_cursor(f->db, &flt, NULL, 0, &err);
	while (store_person_next(c, &cells, &err) == 1) {
		store_person_enrollment(c, &role, &st, &reason);
		if (n == 0) {
			assert_string_equal(cells[PEOPLE_EMAIL], "ana@example.org");
			assert_int_equal(role, ROLE_MENTOR);
			assert_int_equal(st, ENROLLMENT_PENDING);
			assert_string_equal(reason,
			    "missing training mentor-basics");
		}
		if (n == 1) {
			assert_int_equal(role, ROLE_MENTEE);
			assert_int_equal(st, ENROLLMENT_ELIGIBLE);
			assert_null(reason);
		}
		n++;
	}
	store_person_cursor_free(c);
	assert_int_equal(n, 3);
	flt.status = &pending;
	c = store_person_cursor(f->db, &flt, NULL, 0, &err);
	n = 0;
	while (store_person_next(c, &cells, &err) == 1)
		n++;
	store_person_cursor_free(c);
	assert_int_equal(n, 1);
}

static void
test_trainings(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct person_rec p;
	struct training_in in;
	struct training_out out;
	struct training_row *rows;
	size_t n;

	fixture_people(f, people_csv);
	assert_int_equal(store_person_get(f->db, "cy@example.org", &p, &err), 0);
	in.person_id = p.id;
	in.email = "cy@example.org";
	in.name = "mentor-basics";
	in.on = fixture_day("2026-12-01");
	assert_int_equal(store_training_add(f->db, &in, 1, &out, &err), 0);
	assert_int_equal(out.action, TRAINING_ADDED);
	assert_int_equal(store_training_add(f->db, &in, 1, &out, &err), 0);
	assert_int_equal(out.action, TRAINING_SAME);
	in.on = fixture_day("2026-12-02");
	assert_int_equal(store_training_add(f->db, &in, 1, &out, &err), 0);
	assert_int_equal(out.action, TRAINING_REDATED);
	assert_int_equal(out.was, fixture_day("2026-12-01"));
	assert_int_equal(store_training_list(f->db, p.id, &rows, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "mentor-basics");
	assert_int_equal(rows[0].completed_on, fixture_day("2026-12-02"));
	training_rows_free(rows, n);
	person_rec_free(&p);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'training'"), 2);
}

static void
test_enrollment_list_and_programs(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;
	struct person_rec p;
	char **slugs;
	size_t n, nslugs;
	long long id;

	id = fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 3, "teach");
	fixture_enroll(f, "fixture", "cy@example.org", "mentee", 0, NULL);
	assert_int_equal(store_enrollment_list(f->db, id, NULL, 0, -1, &rows,
	    &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].email, "ana@example.org");
	assert_string_equal(rows[0].program, "fixture");
	assert_int_equal(rows[0].role, ROLE_MENTOR);
	assert_true(rows[0].has_capacity);
	assert_int_equal(rows[0].capacity, 3);
	assert_string_equal(rows[0].goal, "teach");
	assert_int_equal(rows[0].enrolled_on, f->today);
	assert_int_equal(rows[0].status, ENROLLMENT_PENDING);
	assert_int_equal(rows[1].status, ENROLLMENT_ELIGIBLE);
	assert_int_equal(rows[1].eligible_on, f->today);
	assert_false(rows[1].has_capacity);
	enrollment_rows_free(rows, n);
	assert_int_equal(store_enrollment_list(f->db, 0, NULL, 0,
	    ENROLLMENT_ELIGIBLE, &rows, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].email, "cy@example.org");
	enrollment_rows_free(rows, n);

	assert_int_equal(store_person_get(f->db, "ana@example.org", &p, &err), 0);
	assert_int_equal(store_enrollment_programs(f->db, &p.id, 1, &slugs,
	    &nslugs, &err), 0);
	assert_int_equal(nslugs, 1);
	assert_string_equal(slugs[0], "fixture");
	enrollment_slugs_free(slugs, nslugs);
	person_rec_free(&p);
}

static void
test_program_versions(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct program_row row;
	char *yaml;
	long long id;

	id = fixture_program(f, FIXTURE_PROGRAM);
	assert_int_equal(store_program_get(f->db, "fixture", &row, &err), 0);
	assert_int_equal(row.id, id);
	assert_int_equal(row.version, 1);
	assert_string_equal(row.format, "one-to-one");
	program_row_free(&row);
	assert_int_equal(store_program_yaml(f->db, id, 0, &yaml, &err), 0);
	assert_string_equal(yaml, FIXTURE_PROGRAM);
	free(yaml);
	assert_int_equal(store_program_yaml(f->db, id, 2, &yaml, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	assert_int_equal(store_program_get(f->db, "nope", &row, &err), -1);
	assert_string_equal(err.msg, "unknown programme 'nope'");
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_person_get,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_person_ids,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_person_cursor,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_person_cursor_by_enrollment,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_trainings,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_enrollment_list_and_programs,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_program_versions,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
