/*
 * store/mail_store.c against a real temporary database (fixture.h):
 * bouncing addresses (first day kept, failures counted, any case, per
 * programme), paused reminders, messages handled once, the digest's
 * failed replies, the reply-token secret (first writer wins), and the
 * address of a person a token names.
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
#include "store/cycle_store.h"
#include "store/mail_store.h"
#include "store/person_store.h"

static void
bounce(struct fixture *f, const char *address, const char *reason,
    enum bounce_source source, int day)
{
	struct error err = ERROR_INIT;

	fixture_begin(f);
	assert_int_equal(store_bounce_mark(f->db, address, reason, source, day,
	    (time_t)day * 86400 + 3600, &err), 0);
	fixture_commit(f);
}

/* The first bounce's day stays; later ones count and update the reason. */
static void
test_bounce_mark_and_clear(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct bounce_row *v;
	struct bounce_set s;
	int d1 = fixture_day("2027-01-05"), d2 = fixture_day("2027-01-09");
	size_t n = 9;

	fixture_world(f, NULL);
	assert_int_equal(store_bounce_list(f->db, 0, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	bounce(f, "bo@example.org", "550 unknown", BOUNCE_SOURCE_REMIND, d1);
	bounce(f, "BO@example.org", "552 full", BOUNCE_SOURCE_INBOX, d2);
	bounce(f, "ghost@elsewhere.org", "no host", BOUNCE_SOURCE_COORDINATOR,
	    d2);
	assert_int_equal(store_bounce_list(f->db, 0, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].address, "bo@example.org");
	assert_int_equal(v[0].since_on, d1);
	assert_string_equal(v[0].since, "2027-01-05T01:00:00Z");
	assert_int_equal(v[0].failures, 2);
	assert_string_equal(v[0].reason, "552 full");
	assert_int_equal(v[0].source, BOUNCE_SOURCE_REMIND);
	assert_string_equal(v[0].name, "Bo");
	assert_string_equal(v[1].address, "ghost@elsewhere.org");
	assert_null(v[1].name);
	assert_int_equal(v[1].source, BOUNCE_SOURCE_COORDINATOR);
	bounce_rows_free(v, n);
	/* a programme's list: its enrolled people (and contact) only */
	assert_int_equal(store_bounce_list(f->db, 1, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].address, "bo@example.org");
	bounce_rows_free(v, n);

	assert_int_equal(store_bounce_set(f->db, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_true(bounce_set_has(&s, "Ghost@Elsewhere.org"));
	assert_false(bounce_set_has(&s, "ana@example.org"));
	bounce_set_free(&s);

	fixture_begin(f);
	assert_int_equal(store_bounce_clear(f->db, "Bo@Example.org", &err), 1);
	assert_int_equal(store_bounce_clear(f->db, "bo@example.org", &err), 0);
	fixture_commit(f);
	assert_int_equal(store_bounce_set(f->db, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_false(bounce_set_has(&s, "bo@example.org"));
	bounce_set_free(&s);
}

/* The programme's contact is in its list even when not a person. */
static void
test_bounce_contact(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct bounce_row *v;
	size_t n;

	fixture_world(f, NULL);
	bounce(f, "Mentoring@example.org", "550", BOUNCE_SOURCE_REMIND,
	    f->today);
	assert_int_equal(store_bounce_list(f->db, 1, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	bounce_rows_free(v, n);
	assert_int_equal(store_bounce_list(f->db, 2, &v, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void
test_pause(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_pairing cp;
	struct pause_set s;
	long long p;

	fixture_world(f, NULL);
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	assert_int_equal(store_cycle_pairing(f->db, p, &cp, &err), 0);
	assert_int_equal(store_pause_set_load(f->db, 1, &s, &err), 0);
	assert_int_equal(s.n, 0);
	assert_false(pause_set_has(&s, p, "bo@example.org"));
	pause_set_free(&s);
	fixture_begin(f);
	assert_int_equal(store_pause_set(f->db, p, cp.mentee_person_id,
	    f->today, &err), 1);
	assert_int_equal(store_pause_set(f->db, p, cp.mentee_person_id,
	    f->today + 1, &err), 0);
	fixture_commit(f);
	assert_int_equal(store_pause_set_load(f->db, 1, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_true(pause_set_has(&s, p, "BO@example.org"));
	assert_false(pause_set_has(&s, p, "ana@example.org"));
	assert_false(pause_set_has(&s, p + 1, "bo@example.org"));
	pause_set_free(&s);
	/* another programme's pauses are not this one's */
	assert_int_equal(store_pause_set_load(f->db, 2, &s, &err), 0);
	assert_int_equal(s.n, 0);
	pause_set_free(&s);
	fixture_begin(f);
	assert_int_equal(store_pause_clear(f->db, p, cp.mentee_person_id,
	    &err), 1);
	assert_int_equal(store_pause_clear(f->db, p, cp.mentee_person_id,
	    &err), 0);
	fixture_commit(f);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "action IN ('pause', 'resume')"), 2);
	cycle_pairing_free(&cp);
}

static int
handled(struct fixture *f, const char *key, long long program_id,
    const char *outcome, int day, int minute)
{
	struct error err = ERROR_INIT;
	struct mail_handled_in in;
	int rc;

	memset(&in, 0, sizeof in);
	in.message_key = key;
	in.program_id = program_id;
	in.sender = "bo@example.org";
	in.outcome = outcome;
	in.detail = program_id ? NULL : "no token";
	in.today = day;
	in.now = (time_t)day * 86400 + minute * 60;
	fixture_begin(f);
	rc = store_mail_handled(f->db, &in, &err);
	fixture_commit(f);
	return rc;
}

/* A message is handled once; the digest lists the ones that went wrong. */
static void
test_handled(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	static const char *const fine[] = { "accepted", "checkin", NULL };
	struct mail_handled_row *v;
	int d1 = fixture_day("2027-01-05"), d2 = fixture_day("2027-01-06");
	size_t n;

	fixture_world(f, NULL);
	assert_int_equal(store_mail_handled_seen(f->db, "a@x", &err), 0);
	assert_int_equal(handled(f, "a@x", 1, "accepted", d1, 10), 1);
	assert_int_equal(handled(f, "a@x", 1, "declined", d1, 11), 0);
	assert_int_equal(store_mail_handled_seen(f->db, "a@x", &err), 1);
	assert_int_equal(handled(f, "c@x", 1, "unreadable", d2, 5), 1);
	assert_int_equal(handled(f, "b@x", 1, "bad token", d1, 20), 1);
	assert_int_equal(handled(f, "d@x", 0, "unknown sender", d1, 30), 1);
	/* the first word stays */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM mail_handled "
	    "WHERE message_key = 'a@x' AND outcome = 'accepted'"), 1);

	assert_int_equal(store_mail_handled_list(f->db, 1, false, d1, d2, fine,
	    &v, &n, &err), 0);
	assert_int_equal(n, 2);
	/* by time */
	assert_string_equal(v[0].message_key, "b@x");
	assert_string_equal(v[0].outcome, "bad token");
	assert_int_equal(v[0].handled_on, d1);
	assert_null(v[0].detail);
	assert_string_equal(v[1].message_key, "c@x");
	mail_handled_rows_free(v, n);
	/* with the messages of no known programme, one day only */
	assert_int_equal(store_mail_handled_list(f->db, 1, true, d1, d1, fine,
	    &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].message_key, "d@x");
	assert_string_equal(v[1].detail, "no token");
	mail_handled_rows_free(v, n);
	/* nothing is fine: every one */
	assert_int_equal(store_mail_handled_list(f->db, 1, false, d1, d2, NULL,
	    &v, &n, &err), 0);
	assert_int_equal(n, 3);
	mail_handled_rows_free(v, n);
}

/* The secret: none, then the first one stored stays. */
static void
test_secret(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	uint8_t a[MAIL_SECRET_LEN], b[MAIL_SECRET_LEN], got[MAIL_SECRET_LEN];
	uint8_t first[MAIL_SECRET_LEN];

	memset(a, 0xa5, sizeof a);
	memset(first, 0xa5, sizeof first);
	memset(b, 0x5a, sizeof b);
	assert_int_equal(store_mail_secret_get(f->db, MAIL_SECRET_REPLY_TOKEN,
	    got, &err), 0);
	fixture_begin(f);
	assert_int_equal(store_mail_secret_put(f->db, MAIL_SECRET_REPLY_TOKEN,
	    a, f->now, &err), 0);
	assert_memory_equal(a, first, MAIL_SECRET_LEN);
	assert_int_equal(store_mail_secret_put(f->db, MAIL_SECRET_REPLY_TOKEN,
	    b, f->now, &err), 0);
	fixture_commit(f);
	/* the loser gets the stored one */
	assert_memory_equal(b, a, MAIL_SECRET_LEN);
	assert_int_equal(store_mail_secret_get(f->db, MAIL_SECRET_REPLY_TOKEN,
	    got, &err), 1);
	assert_memory_equal(got, a, MAIL_SECRET_LEN);
	assert_int_equal(store_mail_secret_get(f->db, "other", got, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'mail_secret'"), 1);
}

static void
test_person_address(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct cycle_pairing cp;
	const char *who = "noname@example.org";
	char *email, *name;
	long long p, id = 0;

	fixture_world(f, NULL);
	fixture_people(f, "email,name\nnoname@example.org,\n");
	p = fixture_pair(f, "fixture", "ana@example.org", "bo@example.org",
	    true);
	assert_int_equal(store_cycle_pairing(f->db, p, &cp, &err), 0);
	assert_int_equal(store_person_address(f->db, cp.mentor_person_id,
	    &email, &name, &err), 1);
	assert_string_equal(email, "ana@example.org");
	assert_string_equal(name, "Ana");
	free(email);
	free(name);
	cycle_pairing_free(&cp);
	assert_int_equal(store_person_ids(f->db, &who, 1, &id, &err), 0);
	assert_int_equal(store_person_address(f->db, id, &email, &name, &err),
	    1);
	assert_string_equal(email, "noname@example.org");
	assert_null(name);
	free(email);
	assert_int_equal(store_person_address(f->db, 999, &email, &name, &err),
	    0);
	assert_null(email);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bounce_mark_and_clear,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bounce_contact,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pause,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_handled,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_secret,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_person_address,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
