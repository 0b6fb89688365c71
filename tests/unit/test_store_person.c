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

#include <sqlite3.h>

#include "fixture.h"

#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "store/program_store.h"
#include "store/schema.h"
#include "ops/program.h"

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

/* The version in force on a day: what a report as of a past date reads. */
static void
test_program_yaml_as_of(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o;
	struct error err = ERROR_INIT;
	struct ops_program res;
	char *yaml, *v2, *v3;
	long long id;
	int version;

	id = fixture_program(f, FIXTURE_PROGRAM);         /* 2027-01-04 */
	v2 = malloc(strlen(FIXTURE_PROGRAM) + 32);
	v3 = malloc(strlen(FIXTURE_PROGRAM) + 32);
	sprintf(v2, "%s", FIXTURE_PROGRAM);
	memcpy(strstr(v2, "every: 2 weeks"), "every: 3 weeks", 14);
	sprintf(v3, "%s", FIXTURE_PROGRAM);
	memcpy(strstr(v3, "every: 2 weeks"), "every: 1 weeks", 14);
	o = fixture_ops(f, fixture_day("2027-03-01"));
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_program_update(&o, "v2.yaml", v2, strlen(v2), &res,
	    &err), 0);
	ops_program_free(&res);
	o = fixture_ops(f, fixture_day("2027-05-01"));
	assert_int_equal(ops_program_update(&o, "v3.yaml", v3, strlen(v3), &res,
	    &err), 0);
	ops_program_free(&res);
	assert_int_equal(db_commit(f->db, &err), 0);

	assert_int_equal(store_program_yaml_as_of(f->db, id,
	    fixture_day("2027-02-28"), &yaml, &version, &err), 0);
	assert_int_equal(version, 1);
	assert_string_equal(yaml, FIXTURE_PROGRAM);
	free(yaml);
	assert_int_equal(store_program_yaml_as_of(f->db, id,
	    fixture_day("2027-03-01"), &yaml, &version, &err), 0);
	assert_int_equal(version, 2);
	assert_string_equal(yaml, v2);
	free(yaml);
	assert_int_equal(store_program_yaml_as_of(f->db, id,
	    fixture_day("2027-12-31"), &yaml, &version, &err), 0);
	assert_int_equal(version, 3);
	free(yaml);
	/* Before the programme existed: its first version. */
	assert_int_equal(store_program_yaml_as_of(f->db, id,
	    fixture_day("2026-01-01"), &yaml, &version, &err), 0);
	assert_int_equal(version, 1);
	free(yaml);
	free(v2);
	free(v3);
}

/* 1 when the person's stored attributes are exactly the JSON text json. */
static long long
attrs_are(struct fixture *f, const char *email, const char *json)
{
	char sql[512];

	snprintf(sql, sizeof sql, "SELECT attrs = '%s' FROM person "
	    "WHERE email = '%s'", json, email);
	return fixture_count(f, sql);
}

static void
raw_exec(const char *path, const char *sql, int want)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), want);
	sqlite3_close(h);
}

/*
 * The free attributes are one JSON object in the person row, names in
 * order: an import writes the whole object, a later file merges into it
 * (a value added or changed, an empty cell clearing, a column the file
 * lacks kept), and person_attr reads the rows as the table did.
 */
static void
test_person_attrs_object(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct person_rec p;

	fixture_people(f, "email,name,wants,skills,mood\n"
	    "ana@example.org,Ana,\"say \"\"hi\"\"\",go\\x;c,\n"
	    "bo@example.org,Bo,,,calm\n");
	assert_int_equal(attrs_are(f, "ana@example.org",
	    "{\"skills\":\"go\\\\x;c\",\"wants\":\"say \\\"hi\\\"\"}"), 1);
	assert_int_equal(attrs_are(f, "bo@example.org", "{\"mood\":\"calm\"}"),
	    1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person_attr"),
	    3);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person_attr "
	    "WHERE name = 'wants' AND value = 'say \"hi\"'"), 1);

	/* zeta and alpha added around skills; wants cleared; mood kept. */
	fixture_people(f, "email,zeta,alpha,wants\n"
	    "ana@example.org,z,a,\n"
	    "bo@example.org,,,\n");
	assert_int_equal(attrs_are(f, "ana@example.org",
	    "{\"alpha\":\"a\",\"skills\":\"go\\\\x;c\",\"zeta\":\"z\"}"), 1);
	assert_int_equal(attrs_are(f, "bo@example.org", "{\"mood\":\"calm\"}"),
	    1);
	assert_int_equal(store_person_get(f->db, "ana@example.org", &p, &err),
	    0);
	assert_int_equal(p.nattrs, 3);
	assert_string_equal(p.attrs[0].name, "alpha");
	assert_string_equal(p.attrs[1].name, "skills");
	assert_string_equal(p.attrs[1].value, "go\\x;c");
	assert_string_equal(p.attrs[2].name, "zeta");
	person_rec_free(&p);
	/* Only ana changed, and the audit names what. */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'update' AND detail LIKE 'ana@example.org from %: "
	    "zeta, alpha, wants'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'update' AND detail LIKE 'bo@%'"), 0);

	/* The column holds an object; db_check verifies the names. */
	assert_int_equal(db_check(f->db, &err), 0);
	raw_exec(f->path, "UPDATE person SET attrs = '[1]'", SQLITE_CONSTRAINT);
	raw_exec(f->path, "UPDATE person SET attrs = '{\"x\":'",
	    SQLITE_CONSTRAINT);
	raw_exec(f->path, "UPDATE person SET attrs = '{\"Mood\":\"x\"}' "
	    "WHERE email = 'bo@example.org'", SQLITE_OK);
	assert_int_equal(db_check(f->db, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "bo@example.org has an attribute "
	    "named 'Mood'"));
	error_clear(&err);
}

/*
 * A database of schema 8 keeps its attributes when it is opened: the rows
 * of the person_attr table become each person's object, names in order
 * and values byte for byte, and person_attr is a view of them.
 */
static void
test_person_attrs_migration(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct person_rec p;
	char path[4096], pragma[64];
	struct db *db;
	sqlite3 *h;
	int v;

	snprintf(path, sizeof path, "%s/v8.db", f->dir);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA foreign_keys = ON", NULL,
	    NULL, NULL), SQLITE_OK);
	for (v = 1; v <= 8; v++)
		assert_int_equal(sqlite3_exec(h, schema_migration(v), NULL,
		    NULL, NULL), SQLITE_OK);
	snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d",
	    SCHEMA_APPLICATION_ID);
	assert_int_equal(sqlite3_exec(h, pragma, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
	    "PRAGMA user_version = 8;"
	    "INSERT INTO person (id, email, name, created_at, updated_at) VALUES"
	    " (1, 'ana@example.org', 'Ana', '2026-01-01T00:00:00Z',"
	    "  '2026-01-01T00:00:00Z'),"
	    " (2, 'bo@example.org', 'Bo', '2026-01-01T00:00:00Z',"
	    "  '2026-01-01T00:00:00Z');"
	    "INSERT INTO person_attr VALUES (1, 'wants', 'rust'),"
	    " (1, 'interests', 'jazz;\"bebop\"'), (1, 'bio', 'line 1\nline 2'),"
	    " (1, 'city', 'Zürich');",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	db = db_open(path, DB_OPEN_EXISTING, &err);
	if (db == NULL)
		fail_msg("db_open: %s", err.msg);
	assert_int_equal(db_migrated_from(db), 8);
	assert_int_equal(store_person_get(db, "ana@example.org", &p, &err), 0);
	assert_int_equal(p.nattrs, 4);
	assert_string_equal(p.attrs[0].name, "bio");
	assert_string_equal(p.attrs[0].value, "line 1\nline 2");
	assert_string_equal(p.attrs[1].name, "city");
	assert_string_equal(p.attrs[1].value, "Zürich");
	assert_string_equal(p.attrs[2].name, "interests");
	assert_string_equal(p.attrs[2].value, "jazz;\"bebop\"");
	assert_string_equal(p.attrs[3].name, "wants");
	person_rec_free(&p);
	assert_int_equal(store_person_get(db, "bo@example.org", &p, &err), 0);
	assert_int_equal(p.nattrs, 0);
	person_rec_free(&p);
	assert_int_equal(db_check(db, &err), 0);
	db_close(db);
	/* The table is gone; the view reads the same rows. */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(h, "SELECT (SELECT type FROM"
		    " sqlite_schema WHERE name = 'person_attr'), (SELECT"
		    " group_concat(name, ',') FROM person_attr WHERE person_id ="
		    " 1), (SELECT attrs FROM person WHERE id = 2)", -1, &st,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
		    "view");
		assert_string_equal((const char *)sqlite3_column_text(st, 1),
		    "bio,city,interests,wants");
		assert_string_equal((const char *)sqlite3_column_text(st, 2),
		    "{}");
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
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
		cmocka_unit_test_setup_teardown(test_program_yaml_as_of,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_person_attrs_object,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_person_attrs_migration,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
