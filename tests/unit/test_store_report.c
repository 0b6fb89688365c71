/*
 * store/report_store.c and store/export_store.c against a real temporary
 * database: what a report loads as of a day, in which form (enums, sorted
 * departments, check-ins folded per pairing), and the export cursors'
 * named cells.  The rows are seeded with plain SQL on a second connection
 * (a minimal local fixture: the store is what is under test here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/metrics.h"
#include "core/status.h"
#include "store/db.h"
#include "store/export_store.h"
#include "store/report_store.h"
#include "util/xmalloc.h"

struct fx {
	char dir[64];
	char path[96];
	struct db *db;
};

static int
day(const char *s)
{
	int d = DATE_NONE;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static const char seed[] =
    "INSERT INTO program (id, slug, name, purpose, format, version,"
    " created_at, updated_at) VALUES"
    " (1, 'p', 'P', 'engagement', 'one-to-one', 1, '2027-01-01T00:00:00Z',"
    "  '2027-01-01T00:00:00Z'),"
    " (2, 'q', 'Q', 'engagement', 'one-to-one', 1, '2027-01-01T00:00:00Z',"
    "  '2027-01-01T00:00:00Z');"
    "INSERT INTO person (id, email, name, department, created_at, updated_at)"
    " VALUES (1, 'm1@x.org', 'M1', 'Sales', '2027-01-01T00:00:00Z',"
    "  '2027-01-01T00:00:00Z'),"
    " (2, 'e1@x.org', 'E1', 'Eng', '2027-01-01T00:00:00Z',"
    "  '2027-01-01T00:00:00Z'),"
    " (3, 'e2@x.org', 'E2', NULL, '2027-01-01T00:00:00Z',"
    "  '2027-01-01T00:00:00Z'),"
    " (4, 'late@x.org', 'Late', 'HR', '2027-01-01T00:00:00Z',"
    "  '2027-01-01T00:00:00Z');"
    "INSERT INTO training (person_id, name, completed_on, recorded_at) VALUES"
    " (1, 'z-course', '2027-01-03', '2027-01-03T00:00:00Z'),"
    " (1, 'a-course', '2027-01-02', '2027-01-02T00:00:00Z');"
    "INSERT INTO enrollment (id, program_id, person_id, role, status,"
    " enrolled_on, eligible_on, withdrawn_on) VALUES"
    " (1, 1, 1, 'mentor', 'active', '2027-01-02', '2027-01-02', NULL),"
    " (2, 1, 2, 'mentee', 'active', '2027-01-02', '2027-01-02', NULL),"
    " (3, 1, 3, 'mentee', 'withdrawn', '2027-01-02', NULL, '2027-01-20'),"
    " (4, 1, 4, 'mentee', 'pending', '2027-03-01', NULL, NULL),"
    " (5, 2, 2, 'mentee', 'eligible', '2027-01-02', '2027-01-02', NULL);"
    "INSERT INTO pairing (id, program_id, mentor_enrollment_id,"
    " mentee_enrollment_id, status, proposed_on, activated_on, ended_on,"
    " end_reason, declined_on) VALUES"
    " (1, 1, 1, 2, 'active', '2027-01-04', '2027-01-05', NULL, NULL, NULL),"
    " (2, 1, 1, 3, 'ended', '2027-01-04', '2027-01-06', '2027-01-20',"
    "  'moved', NULL),"
    " (3, 1, 1, 3, 'declined', '2027-01-04', NULL, NULL, NULL, '2027-01-05'),"
    " (4, 1, 1, 4, 'proposed', '2027-03-02', NULL, NULL, NULL, NULL);"
    "INSERT INTO checkin (pairing_id, held_on, notes, recorded_at) VALUES"
    " (1, '2027-01-04', 'before activation', '2027-01-04T00:00:00Z'),"
    " (1, '2027-01-12', 'n', '2027-01-12T00:00:00Z'),"
    " (1, '2027-02-02', NULL, '2027-02-02T00:00:00Z'),"
    " (1, '2027-03-02', NULL, '2027-03-02T00:00:00Z'),"
    " (2, '2027-01-10', NULL, '2027-01-10T00:00:00Z');"
    "INSERT INTO feedback (program_id, pairing_id, person_id, rating, comment,"
    " given_on, recorded_at) VALUES"
    " (1, 1, 2, 5, 'good', '2027-02-01', '2027-02-01T00:00:00Z'),"
    " (1, 1, 1, 4, NULL, '2027-02-02', '2027-02-02T00:00:00Z'),"
    " (1, NULL, 3, 2, 'meh', '2027-03-05', '2027-03-05T00:00:00Z');"
    "INSERT INTO flash_seat (program_id, round, mentee_enrollment_id,"
    " mentor_enrollment_id, table_no, attended) VALUES"
    " (1, 2, 2, 1, 1, 0), (1, 1, 3, 1, 1, NULL), (1, 1, 2, 1, 1, 1),"
    " (1, 1, 4, 1, 1, 1), (2, 1, 5, 1, 1, 1);";

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	struct error err = ERROR_INIT;
	sqlite3 *h;

	snprintf(f->dir, sizeof f->dir, "/tmp/mentorctl-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	f->db = db_open(f->path, DB_OPEN_CREATE, &err);
	assert_non_null(f->db);
	db_close(f->db);
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, seed, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	f->db = db_open(f->path, DB_OPEN_EXISTING, &err);
	assert_non_null(f->db);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[128];

	db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
test_load_as_of(void **state)
{
	struct fx *f = *state;
	struct error err = ERROR_INIT;
	struct metrics_input *in;

	in = report_store_load(f->db, 1, day("2027-02-15"), &err);
	assert_non_null(in);
	/* enrolled after the day, other programmes: left out */
	assert_int_equal(in->nenr, 3);
	assert_int_equal(in->enr[0].id, 1);
	assert_int_equal(in->enr[0].role, ROLE_MENTOR);
	assert_int_equal(in->enr[0].status, ENROLLMENT_ACTIVE);
	assert_int_equal(in->enr[2].status, ENROLLMENT_WITHDRAWN);
	assert_int_equal(in->enr[2].withdrawn_on, day("2027-01-20"));
	assert_string_equal(in->enr[1].email, "e1@x.org");
	/* departments sorted, indexes into them; none is -1 */
	assert_int_equal(in->ndepts, 2);
	assert_string_equal(in->depts[0], "Eng");
	assert_string_equal(in->depts[1], "Sales");
	assert_int_equal(in->enr[0].dept, 1);
	assert_int_equal(in->enr[1].dept, 0);
	assert_int_equal(in->enr[2].dept, -1);
	/* pairing 4 was proposed after the day */
	assert_int_equal(in->npairs, 3);
	assert_int_equal(in->pairs[0].status, PAIRING_ACTIVE);
	assert_int_equal(in->pairs[1].status, PAIRING_ENDED);
	assert_int_equal(in->pairs[2].status, PAIRING_DECLINED);
	assert_string_equal(in->pairs[1].end_reason, "moved");
	/* check-ins inside the window only: not before activation, not after the day */
	assert_int_equal(in->pairs[0].held, 2);
	assert_int_equal(in->pairs[0].first_held, day("2027-01-12"));
	assert_int_equal(in->pairs[0].last_held, day("2027-02-02"));
	assert_int_equal(in->pairs[1].held, 1);
	assert_int_equal(in->pairs[2].held, 0);
	assert_int_equal(in->pairs[2].first_held, DATE_NONE);
	/* the month histogram counts what the windows count */
	assert_int_equal(in->nmonths, 2);
	assert_int_equal(in->months[0].month, 1);
	assert_int_equal(in->months[0].n, 2);
	assert_int_equal(in->months[1].n, 1);
	/* feedback given by the day; the giver's side of the pairing */
	assert_int_equal(in->nfb, 2);
	assert_int_equal(in->fb[0].role, ROLE_MENTEE);
	assert_int_equal(in->fb[1].role, ROLE_MENTOR);
	assert_int_equal(in->fb[0].pairing, 0);
	assert_string_equal(in->fb[0].comment, "good");
	assert_null(in->fb[1].comment);
	assert_int_equal(in->pairs[0].feedbacks, 2);
	metrics_input_free(in);
}

static void
test_load_today(void **state)
{
	struct fx *f = *state;
	struct error err = ERROR_INIT;
	struct metrics_input *in;

	in = report_store_load(f->db, 1, day("2027-03-10"), &err);
	assert_non_null(in);
	assert_int_equal(in->nenr, 4);
	assert_int_equal(in->enr[3].status, ENROLLMENT_PENDING);
	assert_int_equal(in->npairs, 4);
	assert_int_equal(in->pairs[3].status, PAIRING_PROPOSED);
	assert_int_equal(in->pairs[0].held, 3);
	assert_int_equal(in->nfb, 3);
	/* about the programme: no pairing, the giver's enrollment role */
	assert_int_equal(in->fb[2].pairing, -1);
	assert_int_equal(in->fb[2].role, ROLE_MENTEE);
	assert_int_equal(in->ndepts, 3);
	metrics_input_free(in);

	/* an unknown programme is an empty one, not an error */
	in = report_store_load(f->db, 99, day("2027-03-10"), &err);
	assert_non_null(in);
	assert_int_equal(in->nenr, 0);
	assert_int_equal(in->npairs, 0);
	metrics_input_free(in);
}

static void
test_trainings(void **state)
{
	struct fx *f = *state;
	struct error err = ERROR_INIT;
	struct metrics_input *in;

	in = report_store_load(f->db, 1, day("2027-03-10"), &err);
	assert_non_null(in);
	assert_int_equal(report_store_trainings(f->db, 1, in, &err), 0);
	/* sorted by person, then name, for diagnose's binary search */
	assert_int_equal(in->ntrainings, 2);
	assert_string_equal(in->trainings[0].name, "a-course");
	assert_string_equal(in->trainings[1].name, "z-course");
	assert_int_equal(in->trainings[1].completed_on, day("2027-01-03"));
	metrics_input_free(in);
}

/* The flash session's seats of mentees enrolled by the day, by round. */
static void
test_load_flash(void **state)
{
	struct fx *f = *state;
	struct error err = ERROR_INIT;
	struct metrics_input *in;

	in = report_store_load(f->db, 1, day("2027-02-15"), &err);
	assert_non_null(in);
	/* enrollment 4 came later; programme 2's seat is not this one's */
	assert_int_equal(in->nflash, 3);
	assert_int_equal(in->flash[0].round, 1);
	assert_int_equal(in->flash[0].mentee, 1);
	assert_int_equal(in->flash[0].attended, 1);
	assert_int_equal(in->flash[1].round, 1);
	assert_int_equal(in->flash[1].mentee, 2);
	assert_int_equal(in->flash[1].attended, -1);
	assert_int_equal(in->flash[2].round, 2);
	assert_int_equal(in->flash[2].attended, 0);
	metrics_input_free(in);
	in = report_store_load(f->db, 1, day("2027-03-10"), &err);
	assert_non_null(in);
	assert_int_equal(in->nflash, 4);
	assert_int_equal(in->flash[2].mentee, 3);
	metrics_input_free(in);
}

static int
find_name(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

static void
test_export_named_cells(void **state)
{
	struct fx *f = *state;
	struct error err = ERROR_INIT;
	struct export_cursor *c;
	const char *const *names, *const *cells;
	size_t n;
	int rows = 0;

	/* check-ins without notes: the column is not even there */
	c = store_export_cursor(f->db, EXPORT_CHECKINS, 1, false, &err);
	assert_non_null(c);
	n = store_export_names(c, &names);
	assert_int_equal(n, 10);
	assert_string_equal(names[0], "id");
	assert_string_equal(names[5], "held_on");
	assert_int_equal(find_name(names, n, "notes"), -1);
	while (store_export_next(c, &cells, &err) == 1)
		rows++;
	assert_int_equal(rows, 5);
	store_export_cursor_free(c);

	c = store_export_cursor(f->db, EXPORT_CHECKINS, 1, true, &err);
	assert_non_null(c);
	n = store_export_names(c, &names);
	assert_int_equal(n, 11);
	assert_string_equal(names[10], "notes");
	assert_int_equal(store_export_next(c, &cells, &err), 1);
	assert_string_equal(cells[10], "before activation");
	assert_string_equal(cells[find_name(names, n, "mentor_email")],
	    "m1@x.org");
	store_export_cursor_free(c);

	/* pairings of programme 2 only: none */
	c = store_export_cursor(f->db, EXPORT_PAIRINGS, 2, false, &err);
	assert_non_null(c);
	n = store_export_names(c, &names);
	assert_int_equal(n, 20);
	assert_string_equal(names[19], "end_reason");
	assert_int_equal(store_export_next(c, &cells, &err), 0);
	store_export_cursor_free(c);

	/* feedback: the giver's role, the programme's feedback has no pairing */
	c = store_export_cursor(f->db, EXPORT_FEEDBACK, 0, false, &err);
	assert_non_null(c);
	n = store_export_names(c, &names);
	assert_int_equal(n, 7);
	assert_int_equal(store_export_next(c, &cells, &err), 1);
	assert_string_equal(cells[find_name(names, n, "role")], "mentee");
	assert_int_equal(store_export_next(c, &cells, &err), 1);
	assert_string_equal(cells[find_name(names, n, "role")], "mentor");
	assert_int_equal(store_export_next(c, &cells, &err), 1);
	assert_null(cells[find_name(names, n, "pairing_id")]);
	store_export_cursor_free(c);

	/* pairings and reminders have no private column */
	assert_null(store_export_cursor(f->db, EXPORT_PAIRINGS, 0, true, &err));
	assert_int_equal(err.code, EX_SOFTWARE);
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_as_of, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_today, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trainings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_flash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_named_cells, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
