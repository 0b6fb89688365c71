/*
 * ops/remind and ops/mail against a real temporary database (fixture.h):
 * the plan reads only (what `report` may show as today's mail); a mail is
 * logged handed, then sent, and never planned again; a refused address
 * bounces and holds the rest of its mail; a failure is retried on a later
 * day, then given up; a reply token rides in every participant's mail;
 * the coordinator clears a bounce and resends.
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
#include "core/delivery.h"
#include "core/program.h"
#include "ops/mail.h"
#include "ops/pairing.h"
#include "ops/remind.h"
#include "store/db.h"
#include "util/strbuf.h"

static const char people_csv[] =
    "email,name,department,level,hired_on,title\n"
    "ana@example.org,Ana Mentor,Engineering,6,2015-06-01,Staff Engineer\n"
    "bo@example.org,Bo Mentee,Operations,2,2025-09-01,Analyst\n";

/* Ana and Bo, proposed on 2027-01-04 (pairing 1). */
static void
setup_pair(struct fixture *f)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct ops_pair r;
	struct program *p;
	long long pid;

	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_training(f, "ana@example.org", "mentor-basics", "2026-01-01");
	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 0, NULL);
	fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0,
	    "Learn to lead");
	assert_int_equal(ops_program_load(&o, "fixture", &pid, &p, &err), 0);
	memset(&r, 0, sizeof r);
	r.mentor_email = "ana@example.org";
	r.mentee_email = "bo@example.org";
	assert_int_equal(db_begin(f->db, &err), 0);
	if (ops_pair(&o, pid, p, &r, &err) != 0)
		fail_msg("pair: %s", err.msg);
	assert_int_equal(db_commit(f->db, &err), 0);
	ops_pair_free(&r);
	program_free(p);
}

static void
plan(struct fixture *f, int day, struct remind_plan *pl)
{
	struct ops_ctx o = fixture_ops(f, day);
	struct error err = ERROR_INIT;

	if (ops_remind_plan(&o, NULL, pl, &err) != 0)
		fail_msg("plan: %s", err.msg);
}

/* Deliver every item of pl through cmd; the outcomes into out[]. */
static size_t
deliver(struct fixture *f, int day, struct remind_plan *pl, const char *cmd,
    enum remind_outcome *out, size_t max)
{
	struct ops_ctx o = fixture_ops(f, day);
	struct remind_sender s;
	struct remind_result res;
	struct error err = ERROR_INIT;
	struct strbuf msg = STRBUF_INIT;
	size_t i;

	memset(&s, 0, sizeof s);
	s.transport.cmd = cmd;
	s.transport.timeout = 10;
	snprintf(s.by, sizeof s.by, "test");
	for (i = 0; i < pl->n && i < max; i++) {
		strbuf_reset(&msg);
		if (ops_remind_compose(&o, pl, &pl->items[i], &msg, &err) != 0)
			fail_msg("compose: %s", err.msg);
		if (ops_remind_deliver(&o, &s, pl, &pl->items[i], &msg, &res,
		    &err) != 0)
			fail_msg("deliver: %s", err.msg);
		out[i] = res.outcome;
	}
	ops_remind_sender_free(&s);
	strbuf_release(&msg);
	return i;
}

static void
test_plan_reads_only(void **state)
{
	struct fixture *f = *state;
	struct remind_plan pl;
	long long before;

	setup_pair(f);
	before = fixture_count(f, "SELECT total_changes()");
	plan(f, fixture_day("2027-01-04"), &pl);
	/* Both partners are introduced; nothing is written. */
	assert_int_equal(pl.n, 2);
	assert_int_equal(pl.items[0].r.kind, REMIND_INTRODUCTION);
	assert_string_equal(pl.items[0].r.to.email, "ana@example.org");
	assert_string_equal(pl.items[1].r.to.email, "bo@example.org");
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder"), 0);
	assert_int_equal(fixture_count(f, "SELECT total_changes()"), before);
	ops_remind_plan_free(&pl);
}

static void
test_sent_once_with_token(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, fixture_day("2027-01-04"));
	struct error err = ERROR_INIT;
	struct remind_plan pl;
	enum remind_outcome out[4];
	struct strbuf msg = STRBUF_INIT;
	char *mid;
	bool made;

	setup_pair(f);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_mail_secret(&o, &made, &err), 0);
	assert_true(made);
	assert_int_equal(db_commit(f->db, &err), 0);
	plan(f, fixture_day("2027-01-04"), &pl);
	assert_true(pl.have_secret);
	/* The token in the Message-ID and the Reply-To; no private word. */
	assert_int_equal(ops_remind_compose(&o, &pl, &pl.items[1], &msg, &err),
	    0);
	mid = ops_remind_message_id(&pl, &pl.items[1]);
	assert_non_null(strstr(msg.buf, mid));
	assert_non_null(strstr(msg.buf, "Reply-To: \"Fixture Mentoring\""));
	assert_non_null(strstr(msg.buf, "<mentoring+"));
	assert_non_null(strstr(msg.buf, "Staff Engineer"));
	assert_non_null(strstr(msg.buf, "Your goal: \"Learn to lead\""));
	free(mid);
	strbuf_release(&msg);
	assert_int_equal(deliver(f, fixture_day("2027-01-04"), &pl,
	    "cat >/dev/null", out, 4), 2);
	assert_int_equal(out[0], REMIND_OUT_SENT);
	assert_int_equal(out[1], REMIND_OUT_SENT);
	ops_remind_plan_free(&pl);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder "
	    "WHERE state = 'sent' AND message_id LIKE '%@example.org'"), 2);
	/* The next morning: recorded, not planned again. */
	plan(f, fixture_day("2027-01-05"), &pl);
	assert_int_equal(pl.n, 0);
	assert_int_equal(pl.recorded, 2);
	ops_remind_plan_free(&pl);
}

static void
test_bounce_holds_the_address(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, fixture_day("2027-01-06"));
	struct error err = ERROR_INIT;
	struct remind_plan pl;
	enum remind_outcome out[4];
	bool was;

	setup_pair(f);
	plan(f, fixture_day("2027-01-04"), &pl);
	/* Refuses Bo (the second): exit 67. */
	deliver(f, fixture_day("2027-01-04"), &pl,
	    "if grep -q '^To: .*<bo@example.org>'; then exit 67; fi", out, 4);
	assert_int_equal(out[0], REMIND_OUT_SENT);
	assert_int_equal(out[1], REMIND_OUT_BOUNCED);
	ops_remind_plan_free(&pl);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM mail_bounce "
	    "WHERE address = 'bo@example.org' AND source = 'remind'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder "
	    "WHERE state = 'bounced'"), 1);
	/* Bo's next mail (the proposal's last days) is held, Ana's not. */
	plan(f, fixture_day("2027-01-12"), &pl);
	assert_int_equal(pl.nheld, 1);
	assert_string_equal(pl.held[0].r.to.email, "bo@example.org");
	ops_remind_plan_free(&pl);
	/* Cleared by the coordinator: planned again. */
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_mail_clear(&o, "bo@example.org", &was, &err), 0);
	assert_true(was);
	assert_int_equal(db_commit(f->db, &err), 0);
	plan(f, fixture_day("2027-01-12"), &pl);
	assert_int_equal(pl.nheld, 0);
	ops_remind_plan_free(&pl);
}

/* The items that are not the coordinators' digest. */
static size_t
nmail(const struct remind_plan *pl)
{
	size_t i, n = 0;

	for (i = 0; i < pl->n; i++)
		n += pl->items[i].r.kind != REMIND_DIGEST;
	return n;
}

static void
test_retry_then_give_up(void **state)
{
	struct fixture *f = *state;
	struct ops_ctx o = fixture_ops(f, fixture_day("2027-01-04"));
	struct error err = ERROR_INIT;
	struct remind_plan pl;
	enum remind_outcome out[4];
	int day = fixture_day("2027-01-04"), k;

	setup_pair(f);
	for (k = 1; k <= DELIVERY_MAX_ATTEMPTS; k++) {
		plan(f, day, &pl);
		assert_int_equal(nmail(&pl), 2);
		assert_int_equal(pl.items[0].attempts, k - 1);
		deliver(f, day, &pl, "cat >/dev/null; exit 75", out, 4);
		assert_int_equal(out[0], k < DELIVERY_MAX_ATTEMPTS ?
		    REMIND_OUT_RETRY : REMIND_OUT_GAVE_UP);
		ops_remind_plan_free(&pl);
		/* The same day: backing off (the digest reports it). */
		plan(f, day, &pl);
		assert_int_equal(nmail(&pl), 0);
		assert_int_equal(pl.waiting, k < DELIVERY_MAX_ATTEMPTS ? 2 : 0);
		ops_remind_plan_free(&pl);
		day = date_add_days(day, 1);
	}
	/* Given up: reported, not tried; the coordinator may resend. */
	plan(f, day, &pl);
	assert_int_equal(nmail(&pl), 0);
	ops_remind_plan_free(&pl);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder "
	    "WHERE state = 'gave_up' AND attempts = 5 AND kind <> 'digest'"),
	    2);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_mail_resend(&o, 1, &err), 0);
	assert_int_equal(ops_mail_resend(&o, 1, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	assert_int_equal(db_commit(f->db, &err), 0);
	plan(f, date_add_days(fixture_day("2027-01-04"), 2), &pl);
	assert_int_equal(nmail(&pl), 1);
	ops_remind_plan_free(&pl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_reads_only,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sent_once_with_token,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bounce_holds_the_address,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_retry_then_give_up,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
