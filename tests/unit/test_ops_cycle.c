/*
 * ops/cycle.c, ops/reup.c, ops/checkin.c and ops/feedback.c against a real
 * temporary database (formats_fixture.h), with the store functions they
 * write through.
 */
#include "formats_fixture.h"

#include "ops/checkin.h"
#include "ops/cycle.h"
#include "ops/feedback.h"
#include "ops/reup.h"
#include "ops/calendar.h"
#include "store/calendar_store.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "store/enrollment_store.h"
#include "store/feedback_store.h"
#include "store/pairing_store.h"
#include "store/person_store.h"

/* The status of email's enrollment in the fixture's programme. */
static enum enrollment_status
enrollment_status_of(struct fx *f, const char *email)
{
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;
	struct person_rec pr;
	enum enrollment_status s;
	size_t n;

	fx_ok(store_person_get(f->db, email, &pr, &err), &err);
	fx_ok(store_enrollment_of_person(f->db, pr.id, f->program_id, &rows, &n,
	    &err), &err);
	assert_int_equal(n, 1);
	s = rows[0].status;
	enrollment_rows_free(rows, n);
	person_rec_free(&pr);
	return s;
}

static const char yaml_one[] =
	"slug: ops-one\n"
	"name: Ops One\n"
	"purpose: engagement\n"
	"format: one-to-one\n"
	"contact: coord@example.org\n"
	"roles:\n"
	"  mentor: { capacity: 2 }\n"
	"cycle:\n"
	"  start: 2027-01-11\n"
	"  length: 8 weeks\n"
	"  reup: { opens: 14 days before end, closes: 7 days before end, "
	"default: exit }\n"
	"checkins:\n"
	"  every: 2 weeks\n"
	"  prompts: [First, Second, Third]\n"
	"matching:\n"
	"  consent: both\n"
	"  respond_within: 5 days\n";

static const char *const people[] = {
	"ann@example.org,Ann,Eng,5",
	"bob@example.org,Bob,Ops,2",
	"cat@example.org,Cat,Eng,6",
	"dan@example.org,Dan,Sales,1",
};

static struct fx *
setup_one(void)
{
	struct fx *f = fx_new("2027-01-04");

	fx_program(f, yaml_one);
	fx_people(f, "email,name,department,level", people, 4);
	fx_enroll(f, "ann@example.org", ROLE_MENTOR);
	fx_enroll(f, "cat@example.org", ROLE_MENTOR);
	fx_enroll(f, "bob@example.org", ROLE_MENTEE);
	fx_enroll(f, "dan@example.org", ROLE_MENTEE);
	return f;
}

static void
test_cycle_start_close(void **state)
{
	struct fx *f = setup_one();
	struct error err = ERROR_INIT;
	struct ops_cycle_start s;
	struct ops_cycle_close c;
	struct ops_reup r;
	struct pairing_rec pr;
	long long p1, p2;

	(void)state;
	p1 = fx_pair(f, "ann@example.org", "bob@example.org");
	p2 = fx_pair(f, "cat@example.org", "dan@example.org");

	/* before its first day with no --on: cycle.start is not over yet */
	fx_today(f, "2027-01-11");
	fx_begin(f);
	fx_ok(ops_cycle_start(&f->o, f->program_id, f->p, DATE_NONE, &s, &err),
	    &err);
	fx_commit(f);
	assert_false(s.rotation);
	assert_int_equal(s.cd.number, 1);
	assert_int_equal(s.cd.starts_on, fx_day("2027-01-11"));
	assert_int_equal(s.cd.ends_on, fx_day("2027-03-08"));
	assert_int_equal(s.attached, 2);

	/* a second start is refused while the cycle is open */
	fx_begin(f);
	assert_int_equal(ops_cycle_start(&f->o, f->program_id, f->p, DATE_NONE,
	    &s, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "is open"));
	error_clear(&err);
	db_rollback(f->db);

	/* answers inside the window only */
	fx_today(f, "2027-02-10");
	fx_begin(f);
	assert_int_equal(ops_reup(&f->o, p1, "ann@example.org",
	    CYCLE_ANSWER_YES, &r, &err), -1);
	assert_non_null(strstr(err.msg, "opens on"));
	error_clear(&err);
	fx_today(f, "2027-02-22");
	assert_int_equal(ops_reup(&f->o, p1, "dan@example.org",
	    CYCLE_ANSWER_YES, &r, &err), -1);
	assert_non_null(strstr(err.msg, "not a partner"));
	error_clear(&err);
	fx_ok(ops_reup(&f->o, p1, "ANN@example.org", CYCLE_ANSWER_YES, &r,
	    &err), &err);
	assert_int_equal(r.before, CYCLE_ANSWER_NONE);
	fx_ok(ops_reup(&f->o, p1, "bob@example.org", CYCLE_ANSWER_NO, &r,
	    &err), &err);
	fx_ok(ops_reup(&f->o, p1, "bob@example.org", CYCLE_ANSWER_YES, &r,
	    &err), &err);
	assert_int_equal(r.before, CYCLE_ANSWER_NO);
	assert_int_equal(r.cycle, 1);
	fx_commit(f);

	/* closing waits for the window; a dry run says what it would do */
	fx_begin(f);
	assert_int_equal(ops_cycle_close(&f->o, f->program_id, f->p, false,
	    false, &c, &err), -1);
	assert_non_null(strstr(err.msg, "re-up window"));
	error_clear(&err);
	ops_cycle_close_free(&c);
	fx_ok(ops_cycle_close(&f->o, f->program_id, f->p, false, true, &c,
	    &err), &err);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.continued, 1);
	ops_cycle_close_free(&c);
	fx_commit(f);
	fx_ok(store_pairing_get(f->db, p2, &pr, &err), &err);
	assert_int_equal(pr.status, PAIRING_ACTIVE);
	pairing_rec_free(&pr);

	fx_today(f, "2027-03-02");
	fx_begin(f);
	fx_ok(ops_cycle_close(&f->o, f->program_id, f->p, false, false, &c,
	    &err), &err);
	fx_commit(f);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.v[0].pairing_id, p1);
	assert_int_equal(c.v[0].outcome, CYCLE_OUTCOME_CONTINUE);
	assert_int_equal(c.v[1].outcome, CYCLE_OUTCOME_EXIT);
	assert_true(c.next_opened);
	assert_int_equal(c.next.number, 2);
	assert_int_equal(c.next.starts_on, fx_day("2027-03-08"));
	fx_ok(store_pairing_get(f->db, p2, &pr, &err), &err);
	assert_int_equal(pr.status, PAIRING_ENDED);
	assert_int_equal(pr.ended_on, fx_day("2027-03-02"));
	pairing_rec_free(&pr);
	/* silence under default exit: both leave; the pair that said yes stays */
	assert_int_equal(c.v[1].mentor_fate, CYCLE_FATE_LEAVES);
	assert_int_equal(enrollment_status_of(f, "cat@example.org"),
	    ENROLLMENT_COMPLETED);
	assert_int_equal(enrollment_status_of(f, "dan@example.org"),
	    ENROLLMENT_COMPLETED);
	assert_int_equal(enrollment_status_of(f, "bob@example.org"),
	    ENROLLMENT_ACTIVE);
	ops_cycle_close_free(&c);
	fx_free(f);
}

static void
test_checkin(void **state)
{
	struct fx *f = setup_one();
	struct error err = ERROR_INIT;
	struct ops_cycle_start s;
	struct ops_checkin_req req;
	struct ops_checkin r;
	int *days;
	size_t n;
	long long p1;

	(void)state;
	fx_today(f, "2027-01-11");
	p1 = fx_pair(f, "ann@example.org", "bob@example.org");
	fx_begin(f);
	fx_ok(ops_cycle_start(&f->o, f->program_id, f->p, DATE_NONE, &s, &err),
	    &err);
	fx_commit(f);

	memset(&req, 0, sizeof req);
	req.pairing_id = p1;
	req.on = fx_day("2027-01-20");
	req.minutes = 45;
	req.notes = "private";
	fx_today(f, "2027-01-21");
	fx_begin(f);
	fx_ok(ops_checkin(&f->o, &req, &r, &err), &err);
	assert_int_equal(r.meeting, 1);
	assert_string_equal(r.topic, "First");
	assert_true(r.has_next);
	assert_int_equal(r.next_meeting, 2);
	assert_int_equal(r.next_due_on, fx_day("2027-02-03"));
	assert_string_equal(r.next_prompt, "Second");
	ops_checkin_free(&r);

	/* an earlier meeting takes number 1; the later one is 2 */
	req.on = fx_day("2027-01-15");
	req.topic = "Own";
	fx_ok(ops_checkin(&f->o, &req, &r, &err), &err);
	assert_int_equal(r.meeting, 1);
	assert_string_equal(r.topic, "Own");
	assert_int_equal(r.next_meeting, 3);
	ops_checkin_free(&r);

	/* refusals: future, before activation, twice a day, unknown */
	req.on = fx_day("2027-01-22");
	assert_int_equal(ops_checkin(&f->o, &req, &r, &err), -1);
	assert_non_null(strstr(err.msg, "in the future"));
	error_clear(&err);
	ops_checkin_free(&r);
	req.on = fx_day("2027-01-10");
	assert_int_equal(ops_checkin(&f->o, &req, &r, &err), -1);
	assert_non_null(strstr(err.msg, "before pairing"));
	error_clear(&err);
	ops_checkin_free(&r);
	req.on = fx_day("2027-01-20");
	assert_int_equal(ops_checkin(&f->o, &req, &r, &err), -1);
	assert_non_null(strstr(err.msg, "--replace"));
	error_clear(&err);
	ops_checkin_free(&r);
	req.replace = true;
	fx_ok(ops_checkin(&f->o, &req, &r, &err), &err);
	assert_true(r.replaced);
	assert_int_equal(r.meeting, 2);
	ops_checkin_free(&r);
	req.pairing_id = 999;
	assert_int_equal(ops_checkin(&f->o, &req, &r, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	ops_checkin_free(&r);
	fx_commit(f);

	fx_ok(store_checkin_days(f->db, p1, &days, &n, &err), &err);
	assert_int_equal(n, 2);
	free(days);
	fx_free(f);
}

static void
test_feedback(void **state)
{
	struct fx *f = setup_one();
	struct error err = ERROR_INIT;
	struct ops_feedback_req req;
	struct ops_feedback r;
	struct ops_cycle_start s;
	struct ops_cycle_close c;
	struct feedback_row *rows;
	size_t n;
	long long p1;

	(void)state;
	p1 = fx_pair(f, "ann@example.org", "bob@example.org");
	memset(&req, 0, sizeof req);
	req.pairing_id = p1;
	req.by = "bob@example.org";
	req.rating = 4;
	req.comment = "good";
	fx_begin(f);
	fx_ok(ops_feedback(&f->o, &req, &r, &err), &err);
	assert_false(r.replaced);
	req.rating = 5;
	fx_ok(ops_feedback(&f->o, &req, &r, &err), &err);
	assert_true(r.replaced);
	req.by = "dan@example.org";
	assert_int_equal(ops_feedback(&f->o, &req, &r, &err), -1);
	assert_non_null(strstr(err.msg, "not a partner"));
	error_clear(&err);
	req.rating = 6;
	assert_int_equal(ops_feedback(&f->o, &req, &r, &err), -1);
	error_clear(&err);
	req.pairing_id = 0;
	req.program = "ops-one";
	req.rating = 3;
	fx_ok(ops_feedback(&f->o, &req, &r, &err), &err);
	req.program = "nope";
	assert_int_equal(ops_feedback(&f->o, &req, &r, &err), -1);
	assert_non_null(strstr(err.msg, "unknown programme"));
	error_clear(&err);
	fx_commit(f);

	/* in a cycle: one per person and cycle, the report reads them by cycle */
	fx_today(f, "2027-01-11");
	fx_begin(f);
	fx_ok(ops_cycle_start(&f->o, f->program_id, f->p, DATE_NONE, &s, &err),
	    &err);
	fx_today(f, "2027-01-20");
	req.pairing_id = p1;
	req.program = NULL;
	req.by = "ann@example.org";
	req.rating = 2;
	fx_ok(ops_feedback(&f->o, &req, &r, &err), &err);
	assert_int_equal(r.cycle, 1);
	assert_false(r.replaced);
	fx_today(f, "2027-03-02");
	fx_ok(ops_cycle_close(&f->o, f->program_id, f->p, true, false, &c,
	    &err), &err);
	ops_cycle_close_free(&c);
	req.rating = 1;
	fx_ok(ops_feedback(&f->o, &req, &r, &err), &err);
	assert_int_equal(r.cycle, 1);
	assert_true(r.replaced);
	fx_commit(f);
	fx_ok(feedback_store_by_cycle(f->db, f->program_id, DATE_NONE, &rows,
	    &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].cycle, 0);
	assert_int_equal(rows[1].cycle, 0);
	assert_int_equal(rows[2].cycle, 1);
	assert_int_equal(rows[2].rating, 1);
	assert_int_equal(rows[2].pairing_id, p1);
	feedback_rows_free(rows, n);
	fx_ok(feedback_store_by_cycle(f->db, f->program_id,
	    fx_day("2027-01-04"), &rows, &n, &err), &err);
	assert_int_equal(n, 2);
	feedback_rows_free(rows, n);
	fx_free(f);
}

/* Calendar UIDs carry the database's id; a changed event's SEQUENCE rises. */
static void
test_calendar_sequences(void **state)
{
	struct fx *f = setup_one();
	struct error err = ERROR_INIT;
	const char *uid[2] = { "a", "b" };
	const char *d1[2] = { "0000000000000001", "0000000000000002" };
	const char *d2[2] = { "0000000000000001", "00000000000000ff" };
	int seq[2];
	char *id, *prefix;

	(void)state;
	fx_ok(store_calendar_id(f->db, &id, &err), &err);
	assert_int_equal(strlen(id), 16);
	assert_int_equal(strspn(id, "0123456789abcdef"), 16);
	fx_ok(ops_calendar_uid_prefix(&f->o, "ops-one", &prefix, &err), &err);
	assert_true(strncmp(prefix, id, 16) == 0);
	assert_string_equal(prefix + 16, "-ops-one-");
	free(prefix);
	free(id);
	fx_begin(f);
	fx_ok(ops_calendar_sequences(&f->o, f->program_id, uid, d1, seq, 2,
	    &err), &err);
	assert_int_equal(seq[0], 0);
	assert_int_equal(seq[1], 0);
	fx_ok(ops_calendar_sequences(&f->o, f->program_id, uid, d1, seq, 2,
	    &err), &err);
	assert_int_equal(seq[1], 0);
	fx_ok(ops_calendar_sequences(&f->o, f->program_id, uid, d2, seq, 2,
	    &err), &err);
	assert_int_equal(seq[0], 0);
	assert_int_equal(seq[1], 1);
	fx_ok(ops_calendar_sequences(&f->o, f->program_id, uid, d1, seq, 2,
	    &err), &err);
	assert_int_equal(seq[1], 2);
	fx_commit(f);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycle_start_close),
		cmocka_unit_test(test_checkin),
		cmocka_unit_test(test_feedback),
		cmocka_unit_test(test_calendar_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
