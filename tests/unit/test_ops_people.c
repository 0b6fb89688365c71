/*
 * ops/people, ops/enroll, ops/training, ops/program against a real
 * temporary database (fixture.h).
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
#include "core/program.h"
#include "io/csv.h"
#include "ops/enroll.h"
#include "ops/pairing.h"
#include "ops/people.h"
#include "ops/program.h"
#include "ops/training.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "util/strbuf.h"

static const char people_csv[] =
    "email,name,department,level,hired_on,skills\n"
    "ana@example.org,Ana,Engineering,5,2015-06-01,go;rust\n"
    "bo@example.org,Bo,Operations,2,2026-09-01,\n"
    "cy@example.org,Cy,Engineering,3,2020-01-01,c\n";

/* The enrollment's status and reason, as stored. */
static enum enrollment_status
status_of(struct fixture *f, const char *email, const char *role,
    char *reason, size_t size)
{
	struct error err = ERROR_INIT;
	struct person_rec p;
	struct enrollment_row *rows;
	enum enrollment_status st = ENROLLMENT_WITHDRAWN;
	size_t n, i;
	bool found = false;

	assert_int_equal(store_person_get(f->db, email, &p, &err), 0);
	assert_int_equal(store_enrollment_of_person(f->db, p.id, 0, &rows, &n,
	    &err), 0);
	for (i = 0; i < n; i++) {
		if (strcmp(enrollment_role_name(rows[i].role), role) != 0)
			continue;
		st = rows[i].status;
		snprintf(reason, size, "%s", rows[i].reason ? rows[i].reason : "");
		found = true;
	}
	enrollment_rows_free(rows, n);
	person_rec_free(&p);
	if (!found)
		fail_msg("%s is not enrolled as %s", email, role);
	return st;
}

static void
test_fixture_builds_a_programme(void **state)
{
	struct fixture *f = *state;
	char reason[200];

	assert_true(fixture_program(f, FIXTURE_PROGRAM) > 0);
	assert_int_equal(fixture_people(f, people_csv), 3);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person"), 3);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person_attr"),
	    2);
	/* One audit row listing the people created, one for the file. */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'person' AND action = 'create' AND detail = 'people.csv "
	    "lines 2-4: ana@example.org, bo@example.org, cy@example.org'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'import'"), 1);

	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 3, NULL);
	assert_int_equal(status_of(f, "ana@example.org", "mentor", reason,
	    sizeof reason), ENROLLMENT_PENDING);
	assert_string_equal(reason, "missing training mentor-basics");
	fixture_training(f, "ana@example.org", "Mentor-Basics", "2026-12-01");
	assert_int_equal(status_of(f, "ana@example.org", "mentor", reason,
	    sizeof reason), ENROLLMENT_ELIGIBLE);
	fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0, "Learn Go");
	assert_int_equal(status_of(f, "bo@example.org", "mentee", reason,
	    sizeof reason), ENROLLMENT_ELIGIBLE);
	assert_int_equal(fixture_count(f, "SELECT capacity FROM enrollment "
	    "WHERE role = 'mentor'"), 3);
}

/* Each helper's transaction: a failed import leaves nothing behind. */
static void
test_import_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct error err = ERROR_INIT;
	struct ops_import res;
	static const char bad[] =
	    "email,name,level\n"
	    "ok@example.org,Ok,1\n"
	    "not-an-address,Bad,2\n"
	    "lvl@example.org,Level,high\n";
	struct csv_reader *r = csv_open_mem("bad.csv", bad, strlen(bad));

	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_people_import(&o, r, &res, &err), -1);
	db_rollback(f->db);
	csv_close(r);
	assert_int_equal(err.code, EX_DATAERR);
	/* Two problems: the first in problems, the last in err. */
	assert_int_equal(res.problems.n, 1);
	assert_string_equal(res.problems.v[0].msg,
	    "bad.csv:3: email: 'not-an-address' is not an e-mail address");
	assert_string_equal(err.msg, "bad.csv:4: level: 'high' is not a whole "
	    "number between -1000 and 1000");
	ops_import_free(&res);
	error_clear(&err);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person"), 0);
}

static void
test_enroll_csv_reports_pending(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct error err = ERROR_INIT;
	struct ops_enroll_file res;
	struct program *p;
	long long id;
	static const char file[] =
	    "email,role,capacity\n"
	    "ana@example.org,mentor,2\n"
	    "bo@example.org,mentee,\n"
	    "cy@example.org,mentor,1\n";
	struct csv_reader *r = csv_open_mem("enroll.csv", file, strlen(file));

	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_training(f, "cy@example.org", "mentor-basics", NULL);
	assert_int_equal(ops_program_load(&o, "fixture", &id, &p, &err), 0);
	assert_int_equal(db_begin(f->db, &err), 0);
	if (ops_enroll_csv(&o, id, p, r, &res, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(db_commit(f->db, &err), 0);
	csv_close(r);
	program_free(p);
	assert_int_equal(res.enrollments, 3);
	assert_int_equal(res.action[ENROLL_CREATED], 3);
	assert_int_equal(res.eligible, 2);
	assert_int_equal(res.pending, 1);
	assert_int_equal(res.npendings, 1);
	assert_string_equal(res.pendings[0].email, "ana@example.org");
	assert_string_equal(res.pendings[0].reason,
	    "missing training mentor-basics");
	ops_enroll_file_free(&res);
}

static void
test_withdraw(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct error err = ERROR_INIT;
	struct ops_withdraw w;
	long long id;

	id = fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0, NULL);
	memset(&w, 0, sizeof w);
	w.email = "BO@example.org";
	w.role = -1;
	w.reason = "moved team";
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_withdraw(&o, id, "fixture", &w, &err), 0);
	assert_false(w.already);
	ops_withdraw_free(&w);
	assert_int_equal(ops_withdraw(&o, id, "fixture", &w, &err), 0);
	assert_true(w.already);
	assert_int_equal(w.row.status, ENROLLMENT_WITHDRAWN);
	ops_withdraw_free(&w);
	w.email = "cy@example.org";
	assert_int_equal(ops_withdraw(&o, id, "fixture", &w, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "'cy@example.org' is not enrolled in "
	    "'fixture'");
	error_clear(&err);
	assert_int_equal(db_commit(f->db, &err), 0);
}

static void
test_program_update_reevaluates(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct error err = ERROR_INIT;
	struct ops_program res;
	char reason[200], *v2, *at;
	const char *from = "min_tenure_years: 1, trainings: [mentor-basics]";

	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_enroll(f, "fixture", "cy@example.org", "mentor", 0, NULL);
	assert_int_equal(status_of(f, "cy@example.org", "mentor", reason,
	    sizeof reason), ENROLLMENT_PENDING);
	v2 = malloc(strlen(FIXTURE_PROGRAM) + 8);
	strcpy(v2, FIXTURE_PROGRAM);
	at = strstr(v2, from);
	assert_non_null(at);
	memcpy(at, "min_tenure_years: 2                            ",
	    strlen(from));
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_program_update(&o, "v2.yaml", v2, strlen(v2), &res,
	    &err), 0);
	assert_int_equal(db_commit(f->db, &err), 0);
	assert_true(res.changed);
	assert_int_equal(res.version, 2);
	assert_int_equal(res.elig.eligible, 1);
	ops_program_free(&res);
	free(v2);
	assert_int_equal(status_of(f, "cy@example.org", "mentor", reason,
	    sizeof reason), ENROLLMENT_ELIGIBLE);
}

static void
test_program_check_problems(void **state)
{
	struct ops_program res;
	struct error err = ERROR_INIT;
	static const char bad[] = "slug: Bad Slug\nname: x\nformat: solo\n";

	(void)state;
	assert_int_equal(ops_program_check("bad.yaml", bad, strlen(bad), &res,
	    &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "bad.yaml:"));
	assert_null(res.program);
	ops_program_free(&res);
	error_clear(&err);
	assert_int_equal(ops_program_check("nul.yaml", "a\0b", 3, &res, &err),
	    -1);
	assert_string_equal(err.msg, "nul.yaml: not a text file (it holds a "
	    "NUL byte)");
	ops_program_free(&res);
	error_clear(&err);
}

/* A format change under open pairings is refused; without them it is not. */
static void
test_program_format_change(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct error err = ERROR_INIT;
	struct ops_program res;
	struct ops_pair pr;
	struct program *p;
	char *group;
	long long id;

	id = fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_training(f, "ana@example.org", "mentor-basics", "2026-12-01");
	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 0, NULL);
	fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0, NULL);
	group = malloc(strlen(FIXTURE_PROGRAM) + 8);
	strcpy(group, FIXTURE_PROGRAM);
	memcpy(strstr(group, "format: one-to-one"), "format: group     ", 18);

	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_program_load(&o, "fixture", &id, &p, &err), 0);
	memset(&pr, 0, sizeof pr);
	pr.mentor_email = "ana@example.org";
	pr.mentee_email = "bo@example.org";
	if (ops_pair(&o, id, p, &pr, &err) != 0)
		fail_msg("%s", err.msg);
	ops_pair_free(&pr);
	program_free(p);
	assert_int_equal(ops_program_update(&o, "group.yaml", group,
	    strlen(group), &res, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "programme 'fixture' has 1 open pairing "
	    "(proposed or active): its format cannot change from one-to-one to "
	    "group; end them first, or add the new format as a programme of its "
	    "own");
	ops_program_free(&res);
	error_clear(&err);
	db_rollback(f->db);
	assert_int_equal(fixture_count(f, "SELECT version FROM program"), 1);
	free(group);
}

/*
 * A file longer than a batch (4096 rows): a manager named on row 2 who
 * comes last, an e-mail repeated across batches, a bad row at the end;
 * then the same file fixed imports whole.
 */
static void
test_import_batches(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct error err = ERROR_INIT;
	struct strbuf csv = STRBUF_INIT;
	struct ops_import res;
	struct csv_reader *r;
	size_t i, n = 10000;

	strbuf_addstr(&csv, "email,name,manager_email,level\n");
	for (i = 0; i < n; i++)
		strbuf_addf(&csv, "p%zu@example.org,P %zu,%s,%s\n", i, i,
		    i == 0 ? "boss@example.org" : "",
		    i == 9000 ? "x" : "3");
	strbuf_addstr(&csv, "p5@example.org,Again,,1\n");
	strbuf_addstr(&csv, "boss@example.org,Boss,,9\n");
	r = csv_open_mem("big.csv", csv.buf, csv.len);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_people_import(&o, r, &res, &err), -1);
	db_rollback(f->db);
	csv_close(r);
	assert_int_equal(res.problems.n, 1);
	assert_string_equal(res.problems.v[0].msg, "big.csv:9002: level: 'x' "
	    "is not a whole number between -1000 and 1000");
	assert_string_equal(err.msg, "big.csv:10002: email: 'p5@example.org' "
	    "appears already on line 7");
	ops_import_free(&res);
	error_clear(&err);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person"), 0);

	/* Fixed: every row, the manager found after its report. */
	strbuf_reset(&csv);
	strbuf_addstr(&csv, "email,name,manager_email,level\n");
	for (i = 0; i < n; i++)
		strbuf_addf(&csv, "p%zu@example.org,P %zu,%s,3\n", i, i,
		    i == 0 ? "boss@example.org" : "");
	strbuf_addstr(&csv, "boss@example.org,Boss,,9\n");
	assert_int_equal(fixture_people(f, csv.buf), n + 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person"), n + 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'create'"), 3);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person WHERE "
	    "manager_email = 'boss@example.org'"), 1);
	strbuf_release(&csv);
}

/*
 * Updates across batches, written by the set statements: fields changed,
 * attributes set, added and cleared, untouched rows, new people after the
 * stored ones; what is stored and audited is what each row says.
 */
static void
test_import_updates_batches(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct error err = ERROR_INIT;
	struct strbuf csv = STRBUF_INIT;
	struct ops_import res;
	struct csv_reader *r;
	size_t i, n = 9000;

	strbuf_addstr(&csv, "email,name,level,skills,wants\n");
	for (i = 0; i < n; i++)
		strbuf_addf(&csv, "p%zu@example.org,P %zu,3,go,rust\n", i, i);
	assert_int_equal(fixture_people(f, csv.buf), n);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person_attr"),
	    2 * n);

	/* Row i: 0 mod 5 level, 1 skills, 2 clears wants, 3 same, 4 both. */
	strbuf_reset(&csv);
	strbuf_addstr(&csv, "email,name,level,skills,wants\n");
	for (i = 0; i < n; i++)
		strbuf_addf(&csv, "p%zu@example.org,P %zu,%d,%s,%s\n", i, i,
		    i % 5 == 0 || i % 5 == 4 ? 4 : 3,
		    i % 5 == 1 || i % 5 == 4 ? "c" : "go",
		    i % 5 == 2 ? "" : "rust");
	for (i = 0; i < 10; i++)
		strbuf_addf(&csv, "new%zu@example.org,N %zu,,,sql\n", i, i);
	r = csv_open_mem("upd.csv", csv.buf, csv.len);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_people_import(&o, r, &res, &err), 0);
	assert_int_equal(db_commit(f->db, &err), 0);
	csv_close(r);
	assert_int_equal(res.rows, n + 10);
	assert_int_equal(res.counts.created, 10);
	assert_int_equal(res.counts.updated, n / 5 * 4);
	assert_int_equal(res.counts.unchanged, n / 5);
	ops_import_free(&res);

	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person "
	    "WHERE level = 4"), 2 * n / 5);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person_attr "
	    "WHERE name = 'skills' AND value = 'c'"), 2 * n / 5);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person_attr "
	    "WHERE name = 'wants'"), n - n / 5 + 10);
	/* New people follow the stored ones, in file order. */
	assert_int_equal(fixture_count(f, "SELECT id FROM person "
	    "WHERE email = 'new9@example.org'"), n + 10);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM person_attr a "
	    "JOIN person p ON p.id = a.person_id WHERE p.email LIKE 'new%' AND "
	    "a.name = 'wants' AND a.value = 'sql'"), 10);
	/* One audit row per person updated, naming what changed. */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'update'"), n / 5 * 4);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'update' AND detail = 'p8999@example.org from upd.csv: "
	    "level, skills'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'update' AND detail = 'p4097@example.org from upd.csv: "
	    "wants' AND entity_id = (SELECT id FROM person WHERE email = "
	    "'p4097@example.org')"), 1);
	strbuf_release(&csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fixture_builds_a_programme,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_all_or_nothing,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_enroll_csv_reports_pending,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_withdraw,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_program_update_reevaluates,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test(test_program_check_problems),
		cmocka_unit_test_setup_teardown(test_import_batches,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_updates_batches,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_program_format_change,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
