/*
 * store/reminder_store.c against a real temporary database (fixture.h):
 * the log that makes each mail go out once.  A claim is taken by one run
 * only; an outcome is recorded only by the run holding the claim; a
 * failed mail is taken over for a retry only by a run that saw the same
 * attempts; a bounce marks the address; the check reads the log for a
 * batch of recipients (any case); unsent rows and re-queueing.
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
#include "core/delivery.h"
#include "core/remind.h"
#include "store/db.h"
#include "store/mail_store.h"
#include "store/reminder_store.h"

/* A check-in reminder of pairing `pairing` due on `day`, to `email`. */
static struct reminder
mail(long long pairing, const char *email, int day)
{
	struct reminder r;

	memset(&r, 0, sizeof r);
	r.kind = REMIND_CHECKIN_DUE;
	r.pairing_id = pairing;
	r.due_on = day;
	r.to.email = email;
	r.to.name = "Someone";
	return r;
}

static int
claim(struct fixture *f, const struct reminder *r, int attempts,
    const char *by)
{
	struct error err = ERROR_INIT;
	int rc;

	rc = store_reminder_claim(f->db, 1, r, attempts, "<m@x>", f->today,
	    f->now, by, &err);
	if (rc < 0)
		fail_msg("claim: %s", err.msg);
	return rc;
}

static void
outcome(struct fixture *f, const struct reminder *r, const char *by,
    enum delivery_state state, const char *why)
{
	struct error err = ERROR_INIT;
	struct reminder_outcome o;

	o.state = state;
	o.error = why;
	o.today = f->today;
	o.now = f->now + 60;
	assert_int_equal(store_reminder_outcome(f->db, 1, r, by, &o, &err), 0);
}

/* What the log says of v[n] (one event). */
static void
check(struct fixture *f, const struct reminder *v, size_t n,
    struct reminder_log *log)
{
	struct error err = ERROR_INIT;
	struct reminder_check *c;

	c = store_reminder_check_begin(f->db, 1, &err);
	assert_non_null(c);
	assert_int_equal(store_reminder_check(c, v, n, log, &err), 0);
	store_reminder_check_end(c);
}

static void
test_programs(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	char **slugs;
	size_t n = 9;

	assert_int_equal(store_reminder_programs(f->db, &slugs, &n, &err), 0);
	assert_int_equal(n, 0);
	fixture_program(f, "slug: zz\nname: Z\npurpose: engagement\n"
	    "format: one-to-one\nowner: P\ncontact: c@example.org\n");
	fixture_program(f, FIXTURE_PROGRAM);
	assert_int_equal(store_reminder_programs(f->db, &slugs, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(slugs[0], "fixture");
	assert_string_equal(slugs[1], "zz");
	reminder_programs_free(slugs, n);
}

/* Claimed once; the outcome only by the run that holds the claim. */
static void
test_claim_once(void **state)
{
	struct fixture *f = *state;
	struct reminder v[2];
	struct reminder_log log[2];
	long long p;
	int day = fixture_day("2027-01-18");

	fixture_world(f, NULL);
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	v[0] = mail(p, "ana@example.org", day);
	v[1] = mail(p, "bo@example.org", day);
	check(f, v, 2, log);
	assert_false(log[0].present);
	assert_false(log[1].present);

	assert_int_equal(claim(f, &v[0], 0, "run-1"), 1);
	assert_int_equal(claim(f, &v[0], 0, "run-2"), 0);
	/* run-2 does not hold it: its word changes nothing */
	outcome(f, &v[0], "run-2", DELIVERY_SENT, NULL);
	check(f, v, 2, log);
	assert_true(log[0].present);
	assert_int_equal(log[0].state, DELIVERY_HANDED);
	assert_false(log[1].present);
	outcome(f, &v[0], "run-1", DELIVERY_SENT, NULL);
	check(f, v, 2, log);
	assert_int_equal(log[0].state, DELIVERY_SENT);
	/* a sent row is never claimed again, whatever attempts are given */
	assert_int_equal(claim(f, &v[0], 1, "run-3"), 0);
	/* the key has the day: the next due day is another mail */
	v[0].due_on = day + 14;
	assert_int_equal(claim(f, &v[0], 0, "run-3"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder WHERE "
	    "subject_key = 'pairing:1' AND kind = 'checkin_due' AND "
	    "claimed_on = '2027-01-04' AND pairing_id = 1"), 2);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder WHERE "
	    "state = 'sent' AND sent_at = '2027-01-04T09:01:00Z' AND error IS "
	    "NULL"), 1);
}

/* A failure is kept with its attempts; a retry needs the same count. */
static void
test_retry(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct reminder r;
	struct reminder_log log;
	struct reminder_unsent *u;
	size_t n;

	fixture_world(f, NULL);
	r = mail(0, "c@example.org", fixture_day("2027-01-05"));
	r.kind = REMIND_DIGEST;
	assert_int_equal(claim(f, &r, 0, "run-1"), 1);
	outcome(f, &r, "run-1", DELIVERY_FAILED, "exit status 75");
	check(f, &r, 1, &log);
	assert_true(log.present);
	assert_int_equal(log.state, DELIVERY_FAILED);
	assert_int_equal(log.attempts, 1);
	assert_int_equal(log.failed_on, f->today);
	assert_int_equal(log.failed_at, f->now + 60);
	/* a run that saw no failure, or two, does not take it */
	assert_int_equal(claim(f, &r, 0, "run-2"), 0);
	assert_int_equal(claim(f, &r, 2, "run-2"), 0);
	assert_int_equal(claim(f, &r, 1, "run-2"), 1);
	assert_int_equal(claim(f, &r, 1, "run-3"), 0);
	check(f, &r, 1, &log);
	assert_int_equal(log.state, DELIVERY_HANDED);
	assert_int_equal(log.attempts, 2);

	assert_int_equal(store_reminder_unsent(f->db, 0, NULL, &u, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(u[0].slug, "fixture");
	assert_string_equal(u[0].kind, "digest");
	assert_int_equal(u[0].pairing_id, 0);
	assert_int_equal(u[0].state, DELIVERY_HANDED);
	assert_int_equal(u[0].attempts, 2);
	assert_string_equal(u[0].error, "exit status 75");
	assert_string_equal(u[0].message_id, "<m@x>");
	/* a run may still be waiting on a claim made after this time */
	reminder_unsent_free(u, n);
	assert_int_equal(store_reminder_unsent(f->db, 0,
	    "2027-01-04T09:00:00Z", &u, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_reminder_unsent(f->db, 0,
	    "2027-01-04T09:00:01Z", &u, &n, &err), 0);
	assert_int_equal(n, 1);
	reminder_unsent_free(u, n);
	assert_int_equal(store_reminder_unsent(f->db, 2, NULL, &u, &n, &err),
	    0);
	assert_int_equal(n, 0);
}

/* A bounce marks the address, in the outcome's transaction. */
static void
test_bounce(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct bounce_set s;
	struct reminder r;
	long long p;

	fixture_world(f, NULL);
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	r = mail(p, "Bo@Example.org", fixture_day("2027-01-18"));
	assert_int_equal(claim(f, &r, 0, "run-1"), 1);
	/* not the holder: no bounce either */
	outcome(f, &r, "run-9", DELIVERY_BOUNCED, "550 no such user");
	assert_int_equal(store_bounce_set(f->db, &s, &err), 0);
	assert_int_equal(s.n, 0);
	bounce_set_free(&s);
	outcome(f, &r, "run-1", DELIVERY_BOUNCED, "550 no such user");
	assert_int_equal(store_bounce_set(f->db, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_true(bounce_set_has(&s, "bo@example.org"));
	bounce_set_free(&s);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM mail_bounce "
	    "WHERE reason = '550 no such user' AND source = 'remind'"), 1);
}

/* The log is read for every recipient of an event, in any case. */
static void
test_check_any_case(void **state)
{
	struct fixture *f = *state;
	struct reminder v[3], other;
	struct reminder_log log[3];
	long long p;
	int day = fixture_day("2027-01-18");

	fixture_world(f, NULL);
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	v[0] = mail(p, "ANA@example.org", day);
	v[1] = mail(p, "bo@example.org", day);
	v[2] = mail(p, "cy@example.org", day);
	other = mail(p, "ana@example.org", day);
	other.kind = REMIND_CHECKIN_OVERDUE;
	assert_int_equal(claim(f, &v[1], 0, "run-1"), 1);
	outcome(f, &v[1], "run-1", DELIVERY_GAVE_UP, "timeout");
	assert_int_equal(claim(f, &other, 0, "run-1"), 1);
	outcome(f, &other, "run-1", DELIVERY_SENT, NULL);
	v[0].to.email = "ana@example.org";
	assert_int_equal(claim(f, &v[0], 0, "run-1"), 1);
	outcome(f, &v[0], "run-1", DELIVERY_SENT, NULL);
	v[0].to.email = "ANA@example.org";
	check(f, v, 3, log);
	assert_true(log[0].present);
	assert_int_equal(log[0].state, DELIVERY_SENT);
	assert_int_equal(log[1].state, DELIVERY_GAVE_UP);
	assert_false(log[2].present);
}

/* Re-queueing deletes an unsent row, never a sent one. */
static void
test_requeue(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct reminder a, b;

	fixture_world(f, NULL);
	a = mail(0, "c@example.org", fixture_day("2027-01-05"));
	b = mail(0, "d@example.org", fixture_day("2027-01-05"));
	assert_int_equal(claim(f, &a, 0, "run-1"), 1);
	assert_int_equal(claim(f, &b, 0, "run-1"), 1);
	outcome(f, &b, "run-1", DELIVERY_SENT, NULL);
	fixture_begin(f);
	assert_int_equal(store_reminder_requeue(f->db, 2, &err), 0);
	assert_int_equal(store_reminder_requeue(f->db, 1, &err), 1);
	assert_int_equal(store_reminder_requeue(f->db, 1, &err), 0);
	assert_int_equal(store_reminder_requeue(f->db, 99, &err), 0);
	fixture_commit(f);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'reminder' AND action = 'requeue'"), 1);
	/* and the next run claims it anew */
	assert_int_equal(claim(f, &a, 0, "run-2"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_programs,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_claim_once,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_retry,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bounce,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_any_case,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_requeue,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
