/*
 * ops/pairing against a real temporary database (fixture.h): a proposal's
 * terms from consent, both answers, expiry as the days pass, declines that
 * are never proposed again, ends and withdrawals, and who may answer.
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
#include "ops/pairing.h"
#include "ops/program.h"
#include "store/db.h"

static const char people_csv[] =
    "email,name,department,level,hired_on\n"
    "ana@example.org,Ana,Engineering,6,2015-06-01\n"
    "cy@example.org,Cy,Sales,6,2016-06-01\n"
    "bo@example.org,Bo,Operations,2,2025-09-01\n"
    "di@example.org,Di,Operations,2,2025-09-01\n";

/* Two mentors (ana, cy) and two mentees (bo, di) in programme "fixture". */
static struct program *
setup_people(struct fixture *f, long long *pid)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct program *p;

	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_training(f, "ana@example.org", "mentor-basics", "2026-01-01");
	fixture_training(f, "cy@example.org", "mentor-basics", "2026-01-01");
	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 0, NULL);
	fixture_enroll(f, "fixture", "cy@example.org", "mentor", 1, NULL);
	fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0, "Go");
	fixture_enroll(f, "fixture", "di@example.org", "mentee", 0, NULL);
	assert_int_equal(ops_program_load(&o, "fixture", pid, &p, &err), 0);
	return p;
}

/* Run fn in a transaction of its own, as the dispatcher does. */
static int
in_tx(struct fixture *f, int rc)
{
	struct error err = ERROR_INIT;

	if (rc == 0)
		assert_int_equal(db_commit(f->db, &err), 0);
	else
		db_rollback(f->db);
	return rc;
}

static int
pair(struct fixture *f, int day, const struct program *p, long long pid,
    const char *mentor, const char *mentee, bool force, struct ops_pair *r,
    struct error *err)
{
	struct ops_ctx o = fixture_ops(f, day);

	memset(r, 0, sizeof *r);
	r->mentor_email = mentor;
	r->mentee_email = mentee;
	r->force = force;
	assert_int_equal(db_begin(f->db, err), 0);
	return in_tx(f, ops_pair(&o, pid, p, r, err));
}

static int
accept_(struct fixture *f, int day, long long id, const char *by,
    struct ops_answer *a, struct error *err)
{
	struct ops_ctx o = fixture_ops(f, day);

	assert_int_equal(db_begin(f->db, err), 0);
	return in_tx(f, ops_accept(&o, id, by, a, err));
}

static void
test_both_accept(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_pair r;
	struct ops_answer a;
	struct program *p;
	long long pid;
	int d0 = fixture_day("2027-01-04");

	p = setup_people(f, &pid);
	assert_int_equal(pair(f, d0, p, pid, "ana@example.org",
	    "bo@example.org", false, &r, &err), 0);
	assert_false(r.active);
	assert_int_equal(r.expires_on, d0 + 10);
	assert_null(r.breaches);

	/* the mentor first: recorded, waiting for the mentee */
	assert_int_equal(accept_(f, d0 + 2, r.made.id, "ANA@example.org", &a,
	    &err), 0);
	assert_int_equal(a.outcome, OPS_ANSWER_RECORDED);
	assert_true(a.mentor_ok);
	assert_false(a.mentee_ok);
	ops_answer_free(&a);
	/* the same answer again changes nothing */
	assert_int_equal(accept_(f, d0 + 3, r.made.id, "ana@example.org", &a,
	    &err), 0);
	assert_int_equal(a.outcome, OPS_ANSWER_UNCHANGED);
	ops_answer_free(&a);
	/* the mentee on the last day: active */
	assert_int_equal(accept_(f, d0 + 10, r.made.id, "bo@example.org", &a,
	    &err), 0);
	assert_int_equal(a.outcome, OPS_ANSWER_ACTIVE);
	ops_answer_free(&a);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing WHERE "
	    "status = 'active' AND activated_on = '2027-01-14'"), 1);
	ops_pair_free(&r);
	program_free(p);
}

static void
test_expiry_and_strangers(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_pair r;
	struct ops_answer a;
	struct program *p;
	long long pid;
	int d0 = fixture_day("2027-01-04");

	p = setup_people(f, &pid);
	assert_int_equal(pair(f, d0, p, pid, "ana@example.org",
	    "bo@example.org", false, &r, &err), 0);
	/* someone who is neither partner */
	assert_int_equal(accept_(f, d0 + 1, r.made.id, "di@example.org", &a,
	    &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "neither the mentor nor the mentee"));
	error_clear(&err);
	ops_answer_free(&a);
	/* the day after the last day: expired, the answer refused */
	assert_int_equal(accept_(f, d0 + 11, r.made.id, "bo@example.org", &a,
	    &err), -1);
	assert_non_null(strstr(err.msg, "expired on 2027-01-14"));
	error_clear(&err);
	ops_answer_free(&a);
	/* a refused answer rolls back, the lazy expiry with it */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing WHERE "
	    "status = 'expired'"), 0);
	ops_pair_free(&r);
	/* an expired pair is not proposed again without --force */
	assert_int_equal(pair(f, d0 + 12, p, pid, "ana@example.org",
	    "bo@example.org", false, &r, &err), -1);
	error_clear(&err);
	ops_pair_free(&r);
	program_free(p);
}

static void
test_decline_end_withdraw(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o;
	struct ops_pair r, r2;
	struct ops_answer a;
	struct program *p;
	long long pid;
	int d0 = fixture_day("2027-01-04");

	p = setup_people(f, &pid);
	assert_int_equal(pair(f, d0, p, pid, "cy@example.org",
	    "di@example.org", false, &r, &err), 0);
	o = fixture_ops(f, d0 + 1);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(in_tx(f, ops_decline(&o, r.made.id, "di@example.org",
	    "no time", &a, &err)), 0);
	assert_int_equal(a.outcome, OPS_ANSWER_DECLINED);
	assert_int_equal(a.sides, PAIRING_SIDE_MENTEE);
	ops_answer_free(&a);
	/* accepting a declined pairing says when and by whom */
	assert_int_equal(accept_(f, d0 + 2, r.made.id, NULL, &a, &err), -1);
	assert_non_null(strstr(err.msg, "declined on 2027-01-05 by "
	    "di@example.org"));
	error_clear(&err);
	ops_answer_free(&a);

	/* a proposal ended is withdrawn (recorded as declined) */
	assert_int_equal(pair(f, d0 + 2, p, pid, "ana@example.org",
	    "bo@example.org", false, &r2, &err), 0);
	o = fixture_ops(f, d0 + 3);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(in_tx(f, ops_end(&o, r2.made.id, "   ", &a, &err)), -1);
	assert_int_equal(err.code, EX_USAGE);
	error_clear(&err);
	ops_answer_free(&a);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(in_tx(f, ops_end(&o, r2.made.id, "changed plans", &a,
	    &err)), 0);
	assert_int_equal(a.outcome, OPS_ANSWER_WITHDRAWN);
	ops_answer_free(&a);
	ops_pair_free(&r);
	ops_pair_free(&r2);
	program_free(p);
}

static void
test_active_then_end(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o;
	struct ops_pair r;
	struct ops_answer a;
	struct program *p;
	long long pid;
	int d0 = fixture_day("2027-01-04");

	p = setup_people(f, &pid);
	assert_int_equal(pair(f, d0, p, pid, "ana@example.org",
	    "di@example.org", false, &r, &err), 0);
	/* the coordinator accepts for everyone consent needs */
	assert_int_equal(accept_(f, d0, r.made.id, NULL, &a, &err), 0);
	assert_int_equal(a.outcome, OPS_ANSWER_ACTIVE);
	ops_answer_free(&a);
	o = fixture_ops(f, d0 + 30);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(in_tx(f, ops_decline(&o, r.made.id, NULL, NULL, &a,
	    &err)), -1);
	assert_non_null(strstr(err.msg, "is active; end it"));
	error_clear(&err);
	ops_answer_free(&a);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(in_tx(f, ops_end(&o, r.made.id, "mentor moved", &a,
	    &err)), 0);
	assert_int_equal(a.outcome, OPS_ANSWER_ENDED);
	assert_int_equal(a.released, 2);
	ops_answer_free(&a);
	/* ending again changes nothing */
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(in_tx(f, ops_end(&o, r.made.id, "again", &a, &err)),
	    0);
	assert_int_equal(a.outcome, OPS_ANSWER_UNCHANGED);
	ops_answer_free(&a);
	ops_pair_free(&r);
	program_free(p);
}

static void
test_consent_none_never_expires(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_pair r;
	struct program *p;
	long long pid;
	int d0 = fixture_day("2027-01-04");
	bool act;
	int exp;

	p = setup_people(f, &pid);
	p->matching.consent = CONSENT_NONE;
	ops_proposal_terms(p, d0, &exp, &act);
	assert_true(act);
	assert_int_equal(exp, DATE_NONE);
	assert_int_equal(pair(f, d0, p, pid, "ana@example.org",
	    "bo@example.org", false, &r, &err), 0);
	assert_true(r.active);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing WHERE "
	    "status = 'active' AND expires_on IS NULL"), 1);
	ops_pair_free(&r);
	program_free(p);
}

static void
test_capacity_never_exceeded(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_pair r;
	struct program *p;
	long long pid;
	int d0 = fixture_day("2027-01-04");

	p = setup_people(f, &pid);
	/* cy has capacity 1 */
	assert_int_equal(pair(f, d0, p, pid, "cy@example.org",
	    "bo@example.org", false, &r, &err), 0);
	ops_pair_free(&r);
	assert_int_equal(pair(f, d0, p, pid, "cy@example.org",
	    "di@example.org", true, &r, &err), -1);
	assert_non_null(strstr(err.msg, "no place left"));
	error_clear(&err);
	ops_pair_free(&r);
	program_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, \
	fixture_teardown)
		T(test_both_accept),
		T(test_expiry_and_strangers),
		T(test_decline_end_withdraw),
		T(test_active_then_end),
		T(test_consent_none_never_expires),
		T(test_capacity_never_exceeded),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
