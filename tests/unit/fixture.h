#ifndef MENTORCTL_TESTS_FIXTURE_H
#define MENTORCTL_TESTS_FIXTURE_H

/*
 * A real temporary database for the unit tests of store/ and ops/, with
 * data built through the real ops functions (never raw SQL), in the cmocka
 * setup/teardown style of libssh's torture tests:
 *
 *	static void
 *	test_accept(void **state)
 *	{
 *		struct fixture *f = *state;
 *		struct ops_ctx o = fixture_ops(f, fixture_day("2027-01-11"));
 *
 *		fixture_program(f, FIXTURE_PROGRAM);
 *		fixture_people(f, "email,name,department,hired_on\n"
 *		    "ana@example.org,Ana,Eng,2015-01-01\n"
 *		    "bo@example.org,Bo,Ops,2024-01-01\n");
 *		fixture_enroll(f, "fixture", "ana@example.org", "mentor", 2, NULL);
 *		fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0, "Go");
 *		... ops_pair(&o, ...) ...
 *	}
 *
 *	cmocka_unit_test_setup_teardown(test_accept, fixture_setup,
 *	    fixture_teardown),
 *
 * Every fixture_* helper runs in a transaction of its own and fails the
 * test (cmocka's fail_msg, naming the error) when its operation fails: a
 * test states what it builds, not how to check that it was built.
 * Dates are days (core/date.h).  Linked into every unit test binary.
 */

#include <stdbool.h>
#include <time.h>

#include "ops/ops.h"

struct db;

struct fixture {
	char *dir;          /* the mkdtemp directory, removed at teardown */
	char *path;         /* dir/test.db */
	struct db *db;      /* open, schema current */
	int today;          /* the day helpers act on: FIXTURE_TODAY unless changed */
	time_t now;         /* a fixed wall clock (2027-01-04T09:00:00Z) */
	const char *actor;  /* "fixture" */
};

/* The day the fixture starts at: a Monday. */
#define FIXTURE_TODAY "2027-01-04"

/*
 * A one-to-one programme, slug "fixture": mentors of capacity 2 need one
 * year of tenure and training mentor-basics, mentees need nothing; a
 * six-month cycle from 2027-01-11; check-ins every two weeks; consent
 * both; criteria department (different) and level (mentor above).
 */
extern const char FIXTURE_PROGRAM[];

/* cmocka group or test setup/teardown: *state is the struct fixture *. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* "YYYY-MM-DD" to a day; fails the test on a bad date. */
int fixture_day(const char *ymd);
/* The ops context of the fixture on a day (DATE_NONE: f->today). */
struct ops_ctx fixture_ops(const struct fixture *f, int day);

/* program add from YAML text; returns the programme's id. */
long long fixture_program(struct fixture *f, const char *yaml);
/* people import of CSV text (header first); returns the rows imported. */
size_t fixture_people(struct fixture *f, const char *csv);
/* training add EMAIL NAME --on DATE ("YYYY-MM-DD", NULL: f->today). */
void fixture_training(struct fixture *f, const char *email, const char *name,
    const char *on);
/*
 * enroll SLUG EMAIL --role ROLE ("mentor"/"mentee") [--capacity capacity
 * when > 0] [--goal goal when not NULL], on f->today; returns the
 * enrollment id.
 */
long long fixture_enroll(struct fixture *f, const char *slug,
    const char *email, const char *role, int capacity, const char *goal);

/*
 * FIXTURE_PROGRAM ("fixture") and its people, made with the helpers above:
 * mentors ana@example.org (Eng, level 6) and cy@example.org (Ops, 5),
 * trained (mentor-basics) and hired years ago; mentees bo@example.org
 * (Ops, 2), di@example.org (Eng, 1) and ed@example.org (Sales, 2);
 * everyone enrolled, and so eligible, on f->today.  Returns the
 * programme's id; enrollment (may be NULL) gets the enrollment ids, in
 * the order of enum fixture_who.
 */
enum fixture_who {
	FIXTURE_ANA, FIXTURE_CY, FIXTURE_BO, FIXTURE_DI, FIXTURE_ED,
	FIXTURE_NWHO,
};

long long fixture_world(struct fixture *f, long long *enrollment);
/*
 * pair SLUG MENTOR MENTEE --force on f->today, then (when accept) accept
 * PAIRING as the coordinator, which under consent both makes it active:
 * returns the pairing id.
 */
long long fixture_pair(struct fixture *f, const char *slug,
    const char *mentor, const char *mentee, bool accept);

/*
 * A transaction of the test's own, for calling a store function that
 * writes (fails the test when BEGIN or COMMIT does).
 */
void fixture_begin(struct fixture *f);
void fixture_commit(struct fixture *f);

/*
 * Run one SQL query with no parameters and return its first column of the
 * first row as an integer (0 when no row): for assertions on what the ops
 * wrote, never to build data.
 */
long long fixture_count(struct fixture *f, const char *sql);

#endif
