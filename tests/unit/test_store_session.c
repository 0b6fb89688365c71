/*
 * store/session_store.c against a real temporary database (fixture.h):
 * leader sessions stored and listed by day, their places (sign-up order,
 * one place a person, a cancelled place taken up again, the listing's
 * seat order), attendance (seated only, once), the wait list's ranks,
 * past attendance, and the session mails through the reminder log.
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
#include "core/session.h"
#include "store/mail_store.h"
#include "store/person_store.h"
#include "store/remind_store.h"
#include "store/session_store.h"

static long long
person(struct fixture *f, const char *email)
{
	struct error err = ERROR_INIT;
	long long id = 0;

	assert_int_equal(store_person_ids(f->db, &email, 1, &id, &err), 0);
	assert_true(id > 0);
	return id;
}

static long long
add(struct fixture *f, const char *leader, const char *day, int at,
    int seats, const char *title)
{
	struct error err = ERROR_INIT;
	struct session_in in;
	long long id;

	memset(&in, 0, sizeof in);
	in.program_id = 1;
	in.leader_id = person(f, leader);
	in.held_on = fixture_day(day);
	in.starts_at = at;
	in.minutes = 60;
	in.seats = seats;
	in.title = title;
	in.today = f->today;
	fixture_begin(f);
	assert_int_equal(store_session_add(f->db, &in, &id, &err), 0);
	fixture_commit(f);
	return id;
}

static int
signup(struct fixture *f, long long session, const char *email,
    enum session_place_status status, int rank, const char *day)
{
	struct error err = ERROR_INIT;
	struct place_in in;
	int rc;

	memset(&in, 0, sizeof in);
	in.session_id = session;
	in.person_id = person(f, email);
	in.email = email;
	in.status = status;
	in.rank = rank;
	in.today = fixture_day(day);
	in.source = "coordinator";
	fixture_begin(f);
	rc = store_place_signup(f->db, &in, &err);
	if (rc != 0) {
		assert_int_equal(err.code, EX_SOFTWARE);
		error_clear(&err);
	}
	fixture_commit(f);
	return rc;
}

static void
set(struct fixture *f, long long session, const char *email,
    enum session_place_status status, int rank, const char *day)
{
	struct error err = ERROR_INIT;

	fixture_begin(f);
	assert_int_equal(store_place_set(f->db, session, person(f, email),
	    status, rank, fixture_day(day), "test", &err), 0);
	fixture_commit(f);
}

/* A place that is not there is not set, nor audited. */
static void
test_place_set_missing(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	long long s;

	fixture_world(f, NULL);
	s = add(f, "ana@example.org", "2027-02-01", 600, 2, "Talk");
	fixture_begin(f);
	assert_int_equal(store_place_set(f->db, s, person(f, "bo@example.org"),
	    PLACE_SEATED, 0, f->today, "test", &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	fixture_commit(f);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'session' AND action = 'seated'"), 0);
}

static void
test_add_get_list(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct session_rec s, *v;
	long long late, early, same;
	size_t n = 9;

	fixture_world(f, NULL);
	assert_int_equal(store_session_list(f->db, 1, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	late = add(f, "ana@example.org", "2027-03-04", 750, 12, "Lunch");
	early = add(f, "cy@example.org", "2027-02-01", -1, 5, NULL);
	same = add(f, "ana@example.org", "2027-02-01", 600, 5, NULL);
	assert_int_equal(store_session_get(f->db, late, &s, &err), 0);
	assert_string_equal(s.program, "fixture");
	assert_string_equal(s.leader_email, "ana@example.org");
	assert_string_equal(s.leader_name, "Ana");
	assert_int_equal(s.held_on, fixture_day("2027-03-04"));
	assert_int_equal(s.starts_at, 750);
	assert_int_equal(s.minutes, 60);
	assert_int_equal(s.seats, 12);
	assert_string_equal(s.title, "Lunch");
	assert_int_equal(s.seated_on, DATE_NONE);
	assert_int_equal(s.added_on, f->today);
	assert_int_equal(s.signed_up + s.seated + s.waitlisted + s.cancelled +
	    s.attended, 0);
	session_rec_free(&s);
	assert_int_equal(store_session_get(f->db, early, &s, &err), 0);
	assert_int_equal(s.starts_at, -1);
	assert_null(s.title);
	session_rec_free(&s);
	/* by day, then id */
	assert_int_equal(store_session_list(f->db, 1, &v, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, early);
	assert_int_equal(v[1].id, same);
	assert_int_equal(v[2].id, late);
	session_recs_free(v, n);
	assert_int_equal(store_session_list(f->db, 2, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_session_get(f->db, 99, &s, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "unknown session 99"));
	error_clear(&err);
	/* the schema's bounds */
	fixture_begin(f);
	{
		struct session_in in;
		long long id;

		memset(&in, 0, sizeof in);
		in.program_id = 1;
		in.leader_id = person(f, "ana@example.org");
		in.held_on = f->today;
		in.starts_at = -1;
		in.minutes = 60;
		in.seats = 0;
		in.today = f->today;
		assert_int_equal(store_session_add(f->db, &in, &id, &err), -1);
		error_clear(&err);
	}
	fixture_commit(f);
}

/* Places: one a person; counts; the listing's seat order. */
static void
test_places(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct session_rec s;
	struct place_rec p, *v;
	long long id;
	size_t n;
	int rank = -1;

	fixture_world(f, NULL);
	id = add(f, "ana@example.org", "2027-03-04", -1, 2, NULL);
	assert_int_equal(store_place_max_rank(f->db, id, &rank, &err), 0);
	assert_int_equal(rank, 0);
	assert_int_equal(signup(f, id, "bo@example.org", PLACE_SIGNED_UP, 0,
	    "2027-02-01"), 0);
	assert_int_equal(signup(f, id, "di@example.org", PLACE_WAITLISTED, 2,
	    "2027-02-02"), 0);
	assert_int_equal(signup(f, id, "ed@example.org", PLACE_SEATED, 0,
	    "2027-02-03"), 0);
	assert_int_equal(signup(f, id, "cy@example.org", PLACE_WAITLISTED, 1,
	    "2027-02-04"), 0);
	/* a second place for bo: refused */
	assert_int_equal(signup(f, id, "bo@example.org", PLACE_SEATED, 0,
	    "2027-02-05"), -1);
	assert_int_equal(store_place_max_rank(f->db, id, &rank, &err), 0);
	assert_int_equal(rank, 2);

	assert_int_equal(store_place_get(f->db, id, person(f, "ed@example.org"),
	    &p, &err), 1);
	assert_int_equal(p.status, PLACE_SEATED);
	assert_int_equal(p.seq, 3);
	assert_int_equal(p.seated_on, fixture_day("2027-02-03"));
	assert_int_equal(p.rank, 0);
	assert_string_equal(p.source, "coordinator");
	assert_false(p.attended);
	place_rec_free(&p);
	assert_int_equal(store_place_get(f->db, id, person(f, "ana@example.org"),
	    &p, &err), 0);

	set(f, id, "bo@example.org", PLACE_SEATED, 0, "2027-02-10");
	assert_int_equal(store_session_get(f->db, id, &s, &err), 0);
	assert_int_equal(s.seated, 2);
	assert_int_equal(s.waitlisted, 2);
	assert_int_equal(s.signed_up, 0);
	session_rec_free(&s);
	/* seated by seat day, wait list by rank */
	assert_int_equal(store_place_list(f->db, id, &v, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].email, "ed@example.org");
	assert_string_equal(v[1].email, "bo@example.org");
	assert_string_equal(v[2].email, "cy@example.org");
	assert_int_equal(v[2].rank, 1);
	assert_string_equal(v[3].email, "di@example.org");
	place_recs_free(v, n);

	/* cancelled: rank cleared; then taken up again, last in order */
	set(f, id, "cy@example.org", PLACE_CANCELLED, 0, "2027-02-11");
	assert_int_equal(store_place_get(f->db, id, person(f, "cy@example.org"),
	    &p, &err), 1);
	assert_int_equal(p.status, PLACE_CANCELLED);
	assert_int_equal(p.rank, 0);
	assert_int_equal(p.cancelled_on, fixture_day("2027-02-11"));
	place_rec_free(&p);
	assert_int_equal(store_place_list(f->db, id, &v, &n, &err), 0);
	assert_string_equal(v[3].email, "cy@example.org");
	place_recs_free(v, n);
	assert_int_equal(signup(f, id, "cy@example.org", PLACE_SIGNED_UP, 0,
	    "2027-02-12"), 0);
	assert_int_equal(store_place_get(f->db, id, person(f, "cy@example.org"),
	    &p, &err), 1);
	assert_int_equal(p.status, PLACE_SIGNED_UP);
	assert_int_equal(p.seq, 5);
	assert_int_equal(p.cancelled_on, DATE_NONE);
	assert_int_equal(p.signed_up_on, fixture_day("2027-02-12"));
	place_rec_free(&p);
}

/* Attendance: seated places only, once; counted for later sessions. */
static void
test_attend(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct session_rec s;
	long long first, second, ids[3];
	int counts[3];

	fixture_world(f, NULL);
	first = add(f, "ana@example.org", "2027-02-01", -1, 5, NULL);
	second = add(f, "ana@example.org", "2027-03-01", -1, 5, NULL);
	signup(f, first, "bo@example.org", PLACE_SEATED, 0, "2027-01-20");
	signup(f, first, "di@example.org", PLACE_WAITLISTED, 1, "2027-01-20");
	signup(f, second, "bo@example.org", PLACE_SEATED, 0, "2027-02-20");
	fixture_begin(f);
	assert_int_equal(store_place_attend(f->db, first,
	    person(f, "bo@example.org"), "bo@example.org", &err), 1);
	assert_int_equal(store_place_attend(f->db, first,
	    person(f, "bo@example.org"), "bo@example.org", &err), 0);
	assert_int_equal(store_place_attend(f->db, first,
	    person(f, "di@example.org"), "di@example.org", &err), 0);
	assert_int_equal(store_place_attend(f->db, second,
	    person(f, "bo@example.org"), "bo@example.org", &err), 1);
	fixture_commit(f);
	assert_int_equal(store_session_get(f->db, first, &s, &err), 0);
	assert_int_equal(s.attended, 1);
	session_rec_free(&s);
	ids[0] = person(f, "bo@example.org");
	ids[1] = person(f, "di@example.org");
	ids[2] = person(f, "ed@example.org");
	assert_int_equal(store_place_attended_before(f->db, 1,
	    fixture_day("2027-03-01"), ids, 3, counts, &err), 0);
	assert_int_equal(counts[0], 1);     /* the 1 March one is not before */
	assert_int_equal(counts[1], 0);
	assert_int_equal(counts[2], 0);
	assert_int_equal(store_place_attended_before(f->db, 1,
	    fixture_day("2027-03-02"), ids, 1, counts, &err), 0);
	assert_int_equal(counts[0], 2);
	assert_int_equal(store_place_attended_before(f->db, 2,
	    fixture_day("2027-03-02"), ids, 1, counts, &err), 0);
	assert_int_equal(counts[0], 0);
	/* moved off the seat: no longer attended */
	set(f, second, "bo@example.org", PLACE_WAITLISTED, 1, "2027-03-01");
	assert_int_equal(store_session_get(f->db, second, &s, &err), 0);
	assert_int_equal(s.attended, 0);
	session_rec_free(&s);
}

/* The day of the first allocation is kept. */
static void
test_seated(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct session_rec s;
	long long id;

	fixture_world(f, NULL);
	id = add(f, "ana@example.org", "2027-03-04", -1, 5, NULL);
	fixture_begin(f);
	assert_int_equal(store_session_seated(f->db, id,
	    fixture_day("2027-02-01"), &err), 0);
	assert_int_equal(store_session_seated(f->db, id,
	    fixture_day("2027-02-08"), &err), 0);
	fixture_commit(f);
	assert_int_equal(store_session_get(f->db, id, &s, &err), 0);
	assert_int_equal(s.seated_on, fixture_day("2027-02-01"));
	session_rec_free(&s);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'session' AND action = 'seat'"), 1);
}

/*
 * A session mail whose outcome is unknown is dated like a reminder: the
 * coordinators' digest reports it after a later cut-off too, not only in
 * the first digest ever.
 */
static void
test_mail_digest(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct session_mail_key k;
	struct digest_line *v = NULL;
	size_t n = 0, i;
	long long id;

	fixture_world(f, NULL);
	id = add(f, "ana@example.org", "2027-03-04", -1, 5, NULL);
	memset(&k, 0, sizeof k);
	k.program_id = 1;
	k.session_id = id;
	k.kind = "session_invite";
	k.due_on = fixture_day("2027-03-04");
	k.recipient = "bo@example.org";
	assert_int_equal(store_session_mail_claim(f->db, &k, 0, "<i@x>",
	    f->today, f->now, "run-1", &err), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder WHERE "
	    "kind = 'session_invite' AND claimed_on IS NOT NULL"), 1);
	/* two days on, the run long gone: the digest since yesterday has it */
	assert_int_equal(store_digest_undelivered(f->db, 1, f->today - 1,
	    f->today + 2, f->now + 2 * 86400, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_non_null(strstr(v[0].who, "bo@example.org"));
	assert_non_null(strstr(v[0].what, "outcome unknown"));
	assert_int_equal(v[0].day, f->today);
	for (i = 0; i < n; i++) {
		free(v[i].who);
		free(v[i].what);
		free(v[i].why);
	}
	free(v);
}

/* A session's mail goes through the reminder log, claimed once. */
static void
test_mail(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct session_mail_key k;
	struct reminder_log log;
	struct reminder_outcome out;
	struct bounce_set bs;
	long long id;

	fixture_world(f, NULL);
	id = add(f, "ana@example.org", "2027-03-04", -1, 5, NULL);
	memset(&k, 0, sizeof k);
	k.program_id = 1;
	k.session_id = id;
	k.kind = "session_invite";
	k.due_on = fixture_day("2027-03-04");
	k.recipient = "bo@example.org";
	assert_int_equal(store_session_mail_log(f->db, &k, &log, &err), 0);
	assert_false(log.present);
	assert_int_equal(store_session_mail_claim(f->db, &k, 0, "<i@x>",
	    f->today, f->now, "run-1", &err), 1);
	assert_int_equal(store_session_mail_claim(f->db, &k, 0, "<i@x>",
	    f->today, f->now, "run-2", &err), 0);
	memset(&out, 0, sizeof out);
	out.state = DELIVERY_FAILED;
	out.error = "exit 75";
	out.today = f->today;
	out.now = f->now;
	assert_int_equal(store_session_mail_outcome(f->db, &k, "run-2", &out,
	    &err), 0);
	assert_int_equal(store_session_mail_log(f->db, &k, &log, &err), 0);
	assert_int_equal(log.state, DELIVERY_HANDED);
	assert_int_equal(store_session_mail_outcome(f->db, &k, "run-1", &out,
	    &err), 0);
	assert_int_equal(store_session_mail_log(f->db, &k, &log, &err), 0);
	assert_true(log.present);
	assert_int_equal(log.state, DELIVERY_FAILED);
	assert_int_equal(log.attempts, 1);
	assert_int_equal(log.failed_on, f->today);
	/* the retry, then a bounce that marks the address */
	assert_int_equal(store_session_mail_claim(f->db, &k, 1, "<i2@x>",
	    f->today, f->now, "run-3", &err), 1);
	out.state = DELIVERY_BOUNCED;
	out.error = "550";
	assert_int_equal(store_session_mail_outcome(f->db, &k, "run-3", &out,
	    &err), 0);
	assert_int_equal(store_bounce_set(f->db, &bs, &err), 0);
	assert_true(bounce_set_has(&bs, "bo@example.org"));
	bounce_set_free(&bs);
	/* another kind is another mail */
	k.kind = "session_seat";
	assert_int_equal(store_session_mail_log(f->db, &k, &log, &err), 0);
	assert_false(log.present);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder WHERE "
	    "subject_key = 'session:1' AND attempts = 2 AND message_id = "
	    "'<i2@x>'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_get_list,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_place_set_missing,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_places,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_attend,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_seated,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mail_digest,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mail,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
