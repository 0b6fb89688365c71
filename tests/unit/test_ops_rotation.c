/*
 * ops/rotation.c, ops/flash.c and circle check-ins (ops/checkin.c)
 * against a real temporary database (formats_fixture.h).
 */
#include "formats_fixture.h"

#include "ops/checkin.h"
#include "ops/circle.h"
#include "ops/cycle.h"
#include "ops/flash.h"
#include "ops/rotation.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "store/pairing_store.h"
#include "store/rounds_store.h"

static const char yaml_rot[] =
	"slug: rot\n"
	"name: Rotation\n"
	"purpose: knowledge-transfer\n"
	"format: rotational\n"
	"roles:\n"
	"  mentor: { capacity: 1 }\n"
	"rotation: { periods: 3, every: 1 month }\n"
	"cycle:\n"
	"  start: 2027-01-11\n"
	"checkins:\n"
	"  every: 2 weeks\n"
	"matching:\n"
	"  consent: mentee\n"
	"  respond_within: 5 days\n";

static const char *const people[] = {
	"m1@example.org,Mentor One,Eng,7",
	"m2@example.org,Mentor Two,Ops,7",
	"m3@example.org,Mentor Three,Sales,7",
	"t1@example.org,Mentee One,Eng,2",
	"t2@example.org,Mentee Two,Ops,2",
	"t3@example.org,Mentee Three,Sales,2",
};

static struct fx *
setup(const char *yaml)
{
	struct fx *f = fx_new("2027-01-04");
	int i;

	fx_program(f, yaml);
	fx_people(f, "email,name,department,level", people, 6);
	for (i = 0; i < 3; i++)
		fx_enroll(f, people[i][1] == '1' ? "m1@example.org" :
		    people[i][1] == '2' ? "m2@example.org" : "m3@example.org",
		    ROLE_MENTOR);
	fx_enroll(f, "t1@example.org", ROLE_MENTEE);
	fx_enroll(f, "t2@example.org", ROLE_MENTEE);
	fx_enroll(f, "t3@example.org", ROLE_MENTEE);
	return f;
}

/* The stored rotation obeys its rules: never a mentor twice, one a period. */
static void
check_rules(struct fx *f, size_t want)
{
	struct error err = ERROR_INIT;
	struct rotation_row *v;
	size_t n, i, j;

	fx_ok(store_rotation_rows(f->db, f->program_id, f->o.today, &v, &n,
	    &err), &err);
	assert_int_equal(n, want);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			if (v[i].mentee_enrollment_id != v[j].mentee_enrollment_id)
				continue;
			assert_true(v[i].mentor_enrollment_id !=
			    v[j].mentor_enrollment_id);
			assert_true(v[i].slot != v[j].slot);
		}
	rotation_rows_free(v, n);
}

static size_t
count_status(struct fx *f, int slot, enum pairing_status s)
{
	struct error err = ERROR_INIT;
	struct rotation_row *v;
	size_t n, i, k = 0;

	fx_ok(store_rotation_rows(f->db, f->program_id, f->o.today, &v, &n,
	    &err), &err);
	for (i = 0; i < n; i++)
		if (v[i].slot == slot && v[i].status == s)
			k++;
	rotation_rows_free(v, n);
	return k;
}

static void
test_rotation_life(void **state)
{
	struct fx *f = setup(yaml_rot);
	struct error err = ERROR_INIT;
	struct ops_rotation_match m;
	struct ops_rotation_view v;
	struct ops_period_open po;
	struct ops_rotation_close rc;
	struct rotation_row *rows;
	struct ops_answer a;
	size_t n, i;

	(void)state;
	/* a preview before anything is stored */
	fx_ok(ops_rotation_view(&f->o, f->program_id, f->p, DATE_NONE,
	    DATE_NONE, &v, &err), &err);
	assert_int_equal(v.rows.n, 9);
	assert_int_equal(v.npreview, 9);
	assert_true(v.rows.v[0].preview);
	assert_int_equal(v.rows.v[0].starts_on, fx_day("2027-01-11"));
	assert_int_equal(v.rows.v[0].last_day, fx_day("2027-02-10"));
	ops_rotation_view_free(&v);

	/* dry run stores nothing */
	fx_begin(f);
	fx_ok(ops_rotation_match(&f->o, f->program_id, f->p, true, &m, &err),
	    &err);
	assert_int_equal(m.rows.n, 9);
	assert_int_equal(m.rows.v[0].id, 0);
	ops_rotation_match_free(&m);
	fx_ok(ops_rotation_match(&f->o, f->program_id, f->p, false, &m, &err),
	    &err);
	fx_commit(f);
	assert_int_equal(m.first, 1);
	assert_int_equal(m.periods, 3);
	assert_int_equal(m.nmentees, 3);
	assert_int_equal(m.full, 3);
	assert_int_equal(m.rows.n, 9);
	for (i = 0; i < m.rows.n; i++) {
		assert_true(m.rows.v[i].id > 0);
		assert_int_equal(m.rows.v[i].status, m.rows.v[i].period == 1 ?
		    PAIRING_PLANNED : PAIRING_PLANNED);
	}
	ops_rotation_match_free(&m);
	check_rules(f, 9);

	/* a re-run plans nobody */
	fx_begin(f);
	fx_ok(ops_rotation_match(&f->o, f->program_id, f->p, false, &m, &err),
	    &err);
	fx_commit(f);
	assert_int_equal(m.rows.n, 0);
	ops_rotation_match_free(&m);

	/* consent mentee: two of period 1 accept ahead of it */
	fx_today(f, "2027-01-07");
	fx_ok(store_rotation_rows(f->db, f->program_id, f->o.today, &rows, &n,
	    &err), &err);
	fx_begin(f);
	for (i = 0; i < 2; i++) {
		fx_ok(ops_accept(&f->o, rows[i].id, NULL, &a, &err), &err);
		assert_int_equal(a.outcome, OPS_ANSWER_WAITING);
		ops_answer_free(&a);
	}
	/* not before the period's day */
	assert_int_equal(ops_rotation_start(&f->o, f->program_id, f->p,
	    DATE_NONE, &po, &err), -1);
	assert_non_null(strstr(err.msg, "open it on that day"));
	error_clear(&err);
	fx_commit(f);

	fx_today(f, "2027-01-11");
	fx_begin(f);
	fx_ok(ops_rotation_start(&f->o, f->program_id, f->p, DATE_NONE, &po,
	    &err), &err);
	fx_commit(f);
	assert_int_equal(po.period, 1);
	assert_int_equal(po.active, 2);
	assert_int_equal(po.waiting, 1);
	assert_int_equal(po.last_day, fx_day("2027-02-10"));
	assert_int_equal(count_status(f, 1, PAIRING_ACTIVE), 2);

	/* closing early needs force */
	fx_begin(f);
	assert_int_equal(ops_rotation_close(&f->o, f->program_id, f->p, false,
	    &rc, &err), -1);
	assert_non_null(strstr(err.msg, "runs until 2027-02-10"));
	error_clear(&err);
	ops_rotation_close_free(&rc);
	fx_commit(f);

	/* period 2's answers, then its close opens period 2 on its day */
	fx_today(f, "2027-02-11");
	fx_begin(f);
	for (i = 0; i < n; i++)
		if (rows[i].slot == 2) {
			fx_ok(ops_accept(&f->o, rows[i].id, NULL, &a, &err),
			    &err);
			ops_answer_free(&a);
		}
	fx_ok(ops_rotation_close(&f->o, f->program_id, f->p, false, &rc, &err),
	    &err);
	fx_commit(f);
	assert_int_equal(rc.period, 1);
	assert_int_equal(rc.n, 2);
	/* the unanswered one expired after its grace, before the close */
	assert_int_equal(rc.expired, 0);
	assert_false(rc.complete);
	assert_true(rc.next_opened);
	assert_int_equal(rc.next.period, 2);
	assert_int_equal(rc.next.active, 3);
	ops_rotation_close_free(&rc);
	assert_int_equal(count_status(f, 1, PAIRING_ENDED), 2);
	assert_int_equal(count_status(f, 1, PAIRING_EXPIRED), 1);
	assert_int_equal(count_status(f, 2, PAIRING_ACTIVE), 3);
	rotation_rows_free(rows, n);

	/* the last period: close says complete; match refuses */
	fx_today(f, "2027-03-11");
	fx_begin(f);
	fx_ok(ops_rotation_close(&f->o, f->program_id, f->p, false, &rc, &err),
	    &err);
	assert_int_equal(rc.next.period, 3);
	ops_rotation_close_free(&rc);
	fx_today(f, "2027-04-11");
	fx_ok(ops_rotation_close(&f->o, f->program_id, f->p, false, &rc, &err),
	    &err);
	assert_true(rc.complete);
	ops_rotation_close_free(&rc);
	assert_int_equal(ops_rotation_match(&f->o, f->program_id, f->p, false,
	    &m, &err), -1);
	assert_non_null(strstr(err.msg, "complete"));
	error_clear(&err);
	ops_rotation_match_free(&m);
	assert_int_equal(ops_rotation_start(&f->o, f->program_id, f->p,
	    DATE_NONE, &po, &err), -1);
	error_clear(&err);
	fx_commit(f);
	fx_free(f);
}

static const char yaml_flash[] =
	"slug: fl\n"
	"name: Flash\n"
	"purpose: onboarding\n"
	"format: flash\n"
	"flash: { rounds: 2, minutes: 10, table_size: 2, date: 2027-03-18 }\n"
	"matching:\n"
	"  consent: none\n";

static void
test_flash(void **state)
{
	struct fx *f = setup(yaml_flash);
	struct error err = ERROR_INIT;
	struct ops_flash fl;

	(void)state;
	fx_ok(ops_flash_plan(&f->o, f->program_id, f->p, &fl, &err), &err);
	assert_int_equal(fl.s.nmentees, 3);
	assert_int_equal(fl.s.nmentors, 3);
	assert_int_equal(flash_full(&fl.s), 3);
	assert_string_equal(fl.mentor_email[0], "m1@example.org");
	assert_string_equal(fl.mentee_email[2], "t3@example.org");
	ops_flash_free(&fl);
	fx_free(f);
}

static const char yaml_group[] =
	"slug: circ\n"
	"name: Circles\n"
	"purpose: leadership\n"
	"format: group\n"
	"roles:\n"
	"  mentor: { capacity: 3 }\n"
	"cycle: { start: 2027-01-11, length: 3 months }\n"
	"checkins:\n"
	"  every: 1 month\n"
	"  prompts: [Intro, Second]\n"
	"matching:\n"
	"  consent: none\n";

static void
test_circle_checkin(void **state)
{
	struct fx *f = setup(yaml_group);
	struct error err = ERROR_INIT;
	struct ops_circle_checkin c;
	struct ops_checkin_req req;
	struct ops_checkin one;
	long long p1, p2;
	int *days;
	size_t ndays;

	(void)state;
	fx_today(f, "2027-01-11");
	p1 = fx_pair(f, "m1@example.org", "t1@example.org");
	p2 = fx_pair(f, "m1@example.org", "t2@example.org");
	(void)p2;
	/* t1 met the mentor alone first: that is not a circle meeting */
	memset(&req, 0, sizeof req);
	req.pairing_id = p1;
	req.on = fx_day("2027-01-15");
	fx_today(f, "2027-01-21");
	fx_begin(f);
	fx_ok(ops_checkin(&f->o, &req, &one, &err), &err);
	assert_int_equal(one.meeting, 1);
	ops_checkin_free(&one);
	req.on = fx_day("2027-01-20");
	fx_ok(ops_checkin_circle(&f->o, &req, &c, &err), &err);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.logged, 2);
	assert_int_equal(c.meeting, 1);
	assert_string_equal(c.topic, "Intro");
	/* one meeting: the same number and topic for every member */
	assert_int_equal(c.v[0].outcome, OPS_MEMBER_LOGGED);
	assert_int_equal(c.v[0].meeting, 1);
	assert_int_equal(c.v[1].meeting, 1);
	assert_string_equal(c.v[0].topic, "Intro");
	assert_string_equal(c.v[1].topic, "Intro");
	ops_circle_checkin_free(&c);
	fx_commit(f);
	/* the next circle meeting is number 2 for everyone */
	fx_today(f, "2027-02-21");
	fx_begin(f);
	req.on = fx_day("2027-02-20");
	req.pairing_id = p2;
	fx_ok(ops_checkin_circle(&f->o, &req, &c, &err), &err);
	assert_int_equal(c.meeting, 2);
	assert_int_equal(c.v[0].meeting, 2);
	assert_int_equal(c.v[1].meeting, 2);
	assert_string_equal(c.v[0].topic, "Second");
	fx_ok(store_circle_days(f->db, f->program_id, c.group_id, &days,
	    &ndays, &err), &err);
	assert_int_equal(ndays, 2);
	free(days);
	ops_circle_checkin_free(&c);
	req.on = fx_day("2027-01-20");
	req.pairing_id = p1;
	/* a re-run changes nothing */
	fx_ok(ops_checkin_circle(&f->o, &req, &c, &err), &err);
	assert_int_equal(c.logged, 0);
	assert_int_equal(c.v[1].outcome, OPS_MEMBER_ALREADY);
	ops_circle_checkin_free(&c);
	fx_commit(f);
	fx_free(f);
}

/* flash seat stores the plan; flash attend records who came, per round. */
static void
test_flash_seat_attend(void **state)
{
	struct fx *f = setup(yaml_flash);
	struct error err = ERROR_INIT;
	struct ops_flash fl;
	struct ops_flash_seat seat;
	struct ops_flash_attend at;
	struct flash_counts counts;
	const char *who[] = { "t1@example.org", "T2@example.org" };
	const char *nobody[] = { "m1@example.org" };
	size_t e;

	(void)state;
	fx_begin(f);
	assert_int_equal(ops_flash_attend(&f->o, f->program_id, f->p, who, 1,
	    0, false, &at, &err), -1);
	assert_non_null(strstr(err.msg, "not seated yet"));
	error_clear(&err);
	fx_ok(ops_flash_seat(&f->o, f->program_id, f->p, false, &seat, &err),
	    &err);
	assert_int_equal(seat.seats, 6);
	assert_int_equal(seat.mentees, 3);
	assert_false(seat.replaced);
	/* attendance is taken from the session's day on */
	assert_int_equal(ops_flash_attend(&f->o, f->program_id, f->p, who, 2,
	    0, false, &at, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "is on 2027-03-18"));
	error_clear(&err);
	fx_today(f, "2027-03-18");
	fx_ok(ops_flash_attend(&f->o, f->program_id, f->p, who, 2, 0, false,
	    &at, &err), &err);
	assert_int_equal(at.people, 2);
	assert_int_equal(at.seats, 4);
	fx_ok(ops_flash_attend(&f->o, f->program_id, f->p, who + 1, 1, 2,
	    true, &at, &err), &err);
	assert_int_equal(at.seats, 1);
	assert_int_equal(ops_flash_attend(&f->o, f->program_id, f->p, nobody,
	    1, 0, false, &at, &err), -1);
	assert_non_null(strstr(err.msg, "has no seat"));
	error_clear(&err);
	assert_int_equal(ops_flash_attend(&f->o, f->program_id, f->p, who, 1,
	    3, false, &at, &err), -1);
	error_clear(&err);
	fx_ok(store_flash_counts(f->db, f->program_id, &counts, &err), &err);
	assert_int_equal(counts.seated, 3);
	assert_int_equal(counts.attended, 2);
	assert_int_equal(counts.unrecorded, 1);
	/* the stored seats, with attendance, are what schedule shows */
	fx_ok(ops_flash_plan(&f->o, f->program_id, f->p, &fl, &err), &err);
	assert_true(fl.stored);
	assert_int_equal(fl.s.plan.n, 6);
	for (e = 0; e < fl.s.plan.n; e++)
		if (strcmp(fl.mentee_email[fl.s.plan.v[e].mentee],
		    "t2@example.org") == 0 && fl.s.plan.v[e].round == 1)
			assert_int_equal(fl.attended[e], 0);
	ops_flash_free(&fl);
	/* seating again would drop the attendance: only with force */
	assert_int_equal(ops_flash_seat(&f->o, f->program_id, f->p, false,
	    &seat, &err), -1);
	assert_non_null(strstr(err.msg, "attendance recorded"));
	error_clear(&err);
	fx_ok(ops_flash_seat(&f->o, f->program_id, f->p, true, &seat, &err),
	    &err);
	assert_true(seat.replaced);
	fx_commit(f);
	fx_ok(store_flash_counts(f->db, f->program_id, &counts, &err), &err);
	assert_int_equal(counts.attended, 0);
	fx_free(f);
}

/* A circle whose mentor leaves moves to a new mentor, members and all. */
static void
test_circle_mentor(void **state)
{
	struct fx *f = setup(yaml_group);
	struct error err = ERROR_INIT;
	struct ops_circle_mentor r;
	struct pairing_rec pr;
	long long p1, p2, g;

	(void)state;
	fx_today(f, "2027-01-11");
	p1 = fx_pair(f, "m1@example.org", "t1@example.org");
	p2 = fx_pair(f, "m1@example.org", "t2@example.org");
	fx_ok(store_pairing_get(f->db, p1, &pr, &err), &err);
	g = pr.group_id;
	pairing_rec_free(&pr);
	fx_begin(f);
	assert_int_equal(ops_circle_mentor(&f->o, f->program_id, f->p, g,
	    "m1@example.org", &r, &err), -1);
	assert_non_null(strstr(err.msg, "mentor already"));
	error_clear(&err);
	ops_circle_mentor_free(&r);
	assert_int_equal(ops_circle_mentor(&f->o, f->program_id, f->p, 4242,
	    "m2@example.org", &r, &err), -1);
	assert_non_null(strstr(err.msg, "no circle 4242"));
	error_clear(&err);
	ops_circle_mentor_free(&r);
	fx_ok(ops_circle_mentor(&f->o, f->program_id, f->p, g,
	    "m2@example.org", &r, &err), &err);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ended, 2);
	assert_true(r.active);            /* consent none */
	assert_int_not_equal(r.new_group, g);
	assert_int_equal(r.made[0].group_id, r.new_group);
	ops_circle_mentor_free(&r);
	fx_commit(f);
	fx_ok(store_pairing_get(f->db, p2, &pr, &err), &err);
	assert_int_equal(pr.status, PAIRING_ENDED);
	pairing_rec_free(&pr);
	fx_free(f);
}

/* pair --period, and a rotation that moves on by itself. */
static void
test_rotation_pair_advance(void **state)
{
	struct fx *f = setup(yaml_rot);
	struct error err = ERROR_INIT;
	struct ops_rotation_pair rp;
	struct ops_rotation_match m;
	struct ops_period_open po;
	struct ops_answer a;
	struct rotation_row *rows;
	struct cycle_row cur;
	size_t n, i;
	int closed, period, last;
	long long id = 0;

	(void)state;
	fx_begin(f);
	fx_ok(ops_rotation_match(&f->o, f->program_id, f->p, false, &m, &err),
	    &err);
	ops_rotation_match_free(&m);
	fx_commit(f);
	fx_today(f, "2027-01-11");
	fx_begin(f);
	fx_ok(ops_rotation_start(&f->o, f->program_id, f->p, DATE_NONE, &po,
	    &err), &err);
	fx_commit(f);
	/* t1 withdraws from period 3: a gap */
	fx_ok(store_rotation_rows(f->db, f->program_id, f->o.today, &rows, &n,
	    &err), &err);
	for (i = 0; i < n; i++)
		if (rows[i].slot == 3 && strcmp(rows[i].mentee_email,
		    "t1@example.org") == 0)
			id = rows[i].id;
	rotation_rows_free(rows, n);
	fx_begin(f);
	fx_ok(ops_end(&f->o, id, "asked for another", &a, &err), &err);
	ops_answer_free(&a);
	/* everybody met or is planned with t1: no refill by hand either */
	assert_int_equal(ops_rotation_pair(&f->o, f->program_id, f->p,
	    "m1@example.org", "t1@example.org", 3, false, &rp, &err), -1);
	assert_non_null(strstr(err.msg, "paired before"));
	error_clear(&err);
	ops_rotation_pair_free(&rp);
	assert_int_equal(ops_rotation_pair(&f->o, f->program_id, f->p,
	    "m1@example.org", "t1@example.org", 9, false, &rp, &err), -1);
	assert_non_null(strstr(err.msg, "no such period"));
	error_clear(&err);
	ops_rotation_pair_free(&rp);
	fx_commit(f);
	/* nobody closes period 1: the calendar does, once, on its end day */
	fx_today(f, "2027-03-20");
	fx_ok(ops_rotation_overdue(&f->o, f->program_id, f->p, &period, &last,
	    &err), &err);
	assert_int_equal(period, 1);
	assert_int_equal(last, fx_day("2027-02-10"));
	fx_begin(f);
	fx_ok(ops_rotation_advance(&f->o, f->program_id, f->p, &closed, &err),
	    &err);
	assert_int_equal(closed, 2);
	fx_ok(ops_rotation_advance(&f->o, f->program_id, f->p, &closed, &err),
	    &err);
	assert_int_equal(closed, 0);
	fx_commit(f);
	fx_ok(ops_rotation_overdue(&f->o, f->program_id, f->p, &period, &last,
	    &err), &err);
	assert_int_equal(period, 0);
	fx_ok(store_cycle_open(f->db, f->program_id, &cur, &err) == 1 ? 0 : -1,
	    &err);
	assert_int_equal(cur.d.number, 3);
	assert_int_equal(cur.d.starts_on, fx_day("2027-03-11"));
	/* period 2's accepted pairings were active from its first day */
	fx_ok(store_rotation_rows(f->db, f->program_id, f->o.today, &rows, &n,
	    &err), &err);
	for (i = 0; i < n; i++)
		if (rows[i].slot == 2 && rows[i].status == PAIRING_ENDED)
			assert_int_equal(rows[i].ended_on, fx_day("2027-03-11"));
	rotation_rows_free(rows, n);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotation_life),
		cmocka_unit_test(test_flash),
		cmocka_unit_test(test_circle_checkin),
		cmocka_unit_test(test_flash_seat_attend),
		cmocka_unit_test(test_circle_mentor),
		cmocka_unit_test(test_rotation_pair_advance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
