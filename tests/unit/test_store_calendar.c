/*
 * store/calendar_store.c against a real temporary database (fixture.h):
 * the calendar id (made once per database, kept across opens, another
 * database's differs) and the SEQUENCE of exported events (0 when new,
 * kept while unchanged, one more at each change, never going back).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "store/calendar_store.h"
#include "store/db.h"
#include "util/xmalloc.h"

static void
test_id(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct db *other;
	char *a, *b, *c, *path;
	size_t i;

	assert_int_equal(store_calendar_id(f->db, &a, &err), 0);
	assert_int_equal(strlen(a), 16);
	for (i = 0; a[i]; i++)
		assert_true(isxdigit((unsigned char)a[i]) &&
		    !isupper((unsigned char)a[i]));
	/* the same after closing and opening again */
	db_close(f->db);
	f->db = db_open(f->path, DB_OPEN_EXISTING, &err);
	assert_non_null(f->db);
	assert_int_equal(store_calendar_id(f->db, &b, &err), 0);
	assert_string_equal(a, b);
	/* another database: another id */
	path = xasprintf("%s/other.db", f->dir);
	other = db_open(path, DB_OPEN_CREATE, &err);
	assert_non_null(other);
	assert_int_equal(store_calendar_id(other, &c, &err), 0);
	assert_string_not_equal(a, c);
	db_close(other);
	free(path);
	free(a);
	free(b);
	free(c);
}

static void
export(struct fixture *f, const char *const *uid, const char *const *digest,
    int *seq, size_t n)
{
	struct error err = ERROR_INIT;

	fixture_begin(f);
	assert_int_equal(store_calendar_export(f->db, 1, uid, digest, seq, n,
	    &err), 0);
	fixture_commit(f);
}

static void
test_sequence(void **state)
{
	struct fixture *f = *state;
	const char *uid[] = { "a@cal", "b@cal" };
	const char *d1[] = { "d-a1", "d-b1" };
	const char *d2[] = { "d-a2", "d-b1" };
	const char *d3[] = { "d-a1", "d-b1" };
	int seq[2] = { -1, -1 };

	fixture_program(f, FIXTURE_PROGRAM);
	export(f, uid, d1, seq, 0);
	assert_int_equal(seq[0], -1);          /* nothing asked, nothing set */
	export(f, uid, d1, seq, 2);
	assert_int_equal(seq[0], 0);
	assert_int_equal(seq[1], 0);
	export(f, uid, d1, seq, 2);
	assert_int_equal(seq[0], 0);
	assert_int_equal(seq[1], 0);
	export(f, uid, d2, seq, 2);
	assert_int_equal(seq[0], 1);
	assert_int_equal(seq[1], 0);
	/* back to what it said first: still a change, never a lower number */
	export(f, uid, d3, seq, 2);
	assert_int_equal(seq[0], 2);
	assert_int_equal(seq[1], 0);
	/* one event alone keeps the other's number */
	export(f, uid + 1, d2 + 1, seq, 1);
	assert_int_equal(seq[0], 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM calendar_event "
	    "WHERE program_id = 1"), 2);
	assert_int_equal(fixture_count(f, "SELECT sequence FROM calendar_event "
	    "WHERE uid = 'a@cal' AND digest = 'd-a1'"), 2);
}

/* An event of an unknown programme: the foreign key refuses it. */
static void
test_unknown_program(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	const char *uid[] = { "a@cal" }, *digest[] = { "d" };
	int seq[1];

	fixture_begin(f);
	assert_int_equal(store_calendar_export(f->db, 1, uid, digest, seq, 1,
	    &err), -1);
	error_clear(&err);
	db_rollback(f->db);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM "
	    "calendar_event"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_id,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sequence,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_program,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
