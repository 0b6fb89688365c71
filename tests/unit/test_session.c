/*
 * Leader sessions: the clock, the lottery and the seating order, the
 * audience rules (core/session.c); the invitation's calendar and message
 * (io/invite.c); and ops/session against a real temporary database
 * (fixture.h): sign-ups, the allocation when oversubscribed, promotions on
 * cancellation, walk-ins, the mail plan that never sends twice, and the
 * report's rows.
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

#include "config/program_yaml.h"
#include "core/date.h"
#include "core/program.h"
#include "core/session.h"
#include "io/invite.h"
#include "ops/session.h"
#include "store/db.h"
#include "store/session_store.h"
#include "util/xmalloc.h"

static int
day(const char *ymd)
{
	return fixture_day(ymd);
}

/* ---- core ---- */

static void
test_clock(void **state)
{
	int m = -1;

	(void)state;
	assert_int_equal(session_clock_parse("12:30", &m), 0);
	assert_int_equal(m, 750);
	assert_int_equal(session_clock_parse("9:05", &m), 0);
	assert_int_equal(m, 545);
	assert_int_equal(session_clock_parse("00:00", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(session_clock_parse("23:59", &m), 0);
	assert_int_equal(session_clock_parse("24:00", &m), -1);
	assert_int_equal(session_clock_parse("12:60", &m), -1);
	assert_int_equal(session_clock_parse("12:3", &m), -1);
	assert_int_equal(session_clock_parse("123:00", &m), -1);
	assert_int_equal(session_clock_parse("12:30x", &m), -1);
	assert_int_equal(session_clock_parse("", &m), -1);
	assert_int_equal(session_clock_parse(NULL, &m), -1);
}

static void
test_place_names(void **state)
{
	int s;

	(void)state;
	for (s = PLACE_SIGNED_UP; s <= PLACE_CANCELLED; s++)
		assert_int_equal(session_place_parse(session_place_name(
		    (enum session_place_status)s)), s);
	assert_int_equal(session_place_parse("seat"), -1);
	assert_int_equal(session_place_parse(NULL), -1);
}

static void
test_lottery(void **state)
{
	uint64_t a, b;

	(void)state;
	/* reproducible, case-blind, seeded by the session */
	a = session_lottery(3, "ana@example.org");
	assert_true(a == session_lottery(3, "ana@example.org"));
	assert_true(a == session_lottery(3, "ANA@Example.org"));
	b = session_lottery(4, "ana@example.org");
	assert_true(a != b);
	assert_true(a != session_lottery(3, "bo@example.org"));
	/*
	 * The documented construction, pinned (computed independently from
	 * the man page's description): a change of the draw shows here.
	 */
	assert_true(session_lottery(1, "a@ex.org") == 0xc2ad7e84c6c40133ULL);
	assert_true(session_lottery(1, "b@ex.org") == 0x9094c6bda7e4199dULL);
}

static void
test_seat_order(void **state)
{
	struct seat_candidate v[6];
	static const char *const emails[] = { "a@x.org", "b@x.org", "c@x.org",
	    "d@x.org", "e@x.org", "f@x.org" };
	static const int attended[] = { 2, 0, 1, 0, 2, 0 };
	char first[3][16];
	size_t i;
	int round;

	(void)state;
	for (round = 0; round < 2; round++) {
		memset(v, 0, sizeof v);
		/* the same people in another order give the same result */
		for (i = 0; i < 6; i++) {
			size_t k = round ? 5 - i : i;

			v[i].email = emails[k];
			v[i].attended = attended[k];
			v[i].person_id = (long long)k + 1;
		}
		session_seat_order(9, v, 6);
		/* fewest attended first */
		for (i = 0; i < 3; i++)
			assert_int_equal(v[i].attended, 0);
		assert_int_equal(v[3].attended, 1);
		assert_int_equal(v[4].attended, 2);
		assert_int_equal(v[5].attended, 2);
		/* then by the draw, ascending */
		assert_true(v[0].lottery < v[1].lottery);
		assert_true(v[1].lottery < v[2].lottery);
		assert_true(v[4].lottery < v[5].lottery);
		for (i = 0; i < 3; i++) {
			if (round == 0)
				snprintf(first[i], sizeof first[i], "%s",
				    v[i].email);
			else
				assert_string_equal(first[i], v[i].email);
		}
	}
}

static struct program *
parse_ok(const char *yaml)
{
	struct diags d = DIAGS_INIT;
	struct program *p = cfg_program_parse("t.yaml", yaml, strlen(yaml), &d);

	if (p == NULL)
		fail_msg("%s", d.n ? d.v[0].msg : "no program");
	diags_free(&d);
	return p;
}

static void
test_audience(void **state)
{
	struct program *p = parse_ok("slug: x\nname: X\npurpose: leadership\n"
	    "format: one-to-one\nsessions:\n  audience:\n    roles: [mentee]\n"
	    "    min_level: 2\n    departments: [Engineering, Sales]\n"
	    "    exclude_departments: [Legal]\n    min_tenure_years: 1\n"
	    "    trainings: [orientation]\n");
	const struct program_audience *a = &p->sessions.audience;
	struct elig_training tr = { "Orientation", 0 };
	struct audience_person pp;
	char *why;

	(void)state;
	tr.completed_on = day("2026-06-01");
	memset(&pp, 0, sizeof pp);
	pp.email = "e@example.org";
	pp.department = "engineering";
	pp.has_level = true;
	pp.level = 3;
	pp.hired_on = day("2024-01-01");
	pp.trainings = &tr;
	pp.ntrainings = 1;
	pp.enrolled = true;
	pp.roles = 1u << ROLE_MENTEE;
	assert_int_equal(audience_admits(a, &pp, day("2027-01-04"), &why), 1);
	assert_null(why);
	/* every failing rule is named */
	pp.roles = 1u << ROLE_MENTOR;
	pp.department = "Marketing";
	pp.level = 1;
	pp.ntrainings = 0;
	assert_int_equal(audience_admits(a, &pp, day("2027-01-04"), &why), 0);
	assert_non_null(strstr(why, "not a mentee of the programme"));
	assert_non_null(strstr(why, "department Marketing is not one of "
	    "Engineering, Sales"));
	assert_non_null(strstr(why, "missing training orientation"));
	assert_non_null(strstr(why, "level 1 < 2"));
	free(why);
	pp.enrolled = false;
	pp.roles = 0;
	assert_int_equal(audience_admits(a, &pp, day("2027-01-04"), &why), 0);
	assert_non_null(strstr(why, "not enrolled in the programme"));
	free(why);
	program_free(p);

	/* from everyone: nobody needs to be enrolled */
	p = parse_ok("slug: x\nname: X\npurpose: leadership\nformat: "
	    "one-to-one\nsessions: { audience: { from: everyone, "
	    "exclude_departments: [Legal], locations: [Paris] } }\n");
	memset(&pp, 0, sizeof pp);
	pp.email = "l@example.org";
	pp.department = "Legal";
	pp.location = "paris";
	assert_int_equal(audience_admits(&p->sessions.audience, &pp,
	    day("2027-01-04"), &why), 0);
	assert_string_equal(why, "department Legal is excluded");
	free(why);
	pp.department = NULL;
	assert_int_equal(audience_admits(&p->sessions.audience, &pp,
	    day("2027-01-04"), &why), 1);
	pp.location = NULL;
	assert_int_equal(audience_admits(&p->sessions.audience, &pp,
	    day("2027-01-04"), &why), 0);
	assert_non_null(strstr(why, "no location"));
	free(why);
	program_free(p);
}

/* ---- io/invite ---- */

static void
test_invite_calendar(void **state)
{
	struct error err = ERROR_INIT;
	struct strbuf cal = STRBUF_INIT, msg = STRBUF_INIT;
	struct invite_person who = { "Bo \"B\" Bo", "bo@example.org" };
	struct invite_event ev;
	struct mail_msg m;

	(void)state;
	memset(&ev, 0, sizeof ev);
	ev.uid = "lead-session-3";
	ev.organizer.name = "Leaders";
	ev.organizer.email = "mentoring@example.org";
	ev.attendees = &who;
	ev.nattendees = 1;
	ev.partstat = "ACCEPTED";
	ev.timed = true;
	ev.start = (time_t)day("2027-03-04") * 86400 + 11 * 3600 + 30 * 60;
	ev.minutes = 90;
	ev.summary = "Listening lunch, with Vera";
	assert_int_equal(invite_calendar(&ev, "1.0", (time_t)day("2027-01-04") *
	    86400, &cal, &err), 0);
	assert_non_null(strstr(cal.buf, "METHOD:REQUEST\r\n"));
	assert_non_null(strstr(cal.buf, "UID:lead-session-3@mentorctl\r\n"));
	assert_non_null(strstr(cal.buf, "DTSTART:20270304T113000Z\r\n"));
	assert_non_null(strstr(cal.buf, "DTEND:20270304T130000Z\r\n"));
	assert_non_null(strstr(cal.buf, "SUMMARY:Listening lunch\\, with "
	    "Vera\r\n"));
	assert_non_null(strstr(cal.buf, "ORGANIZER;CN=\"Leaders\":mailto:"
	    "mentoring@example.org\r\n"));
	assert_non_null(strstr(cal.buf, "PARTSTAT=ACCEPTED"));
	/* a DQUOTE cannot be in a parameter: replaced */
	assert_non_null(strstr(cal.buf, "CN=\"Bo 'B' Bo\""));
	assert_null(strstr(cal.buf, "\n\n"));

	memset(&m, 0, sizeof m);
	m.from.name = "Leaders";
	m.from.email = "mentoring@example.org";
	m.to.name = "Bo";
	m.to.email = "bo@example.org";
	m.subject = "Your seat";
	m.date = (time_t)day("2027-01-04") * 86400;
	m.message_id = "abc.seat.3@example.org";
	m.body = "Hello Bo,\n\nYou have a seat.\n";
	assert_int_equal(invite_compose(&m, "mentoring+tok@example.org",
	    cal.buf, cal.len, &msg, &err), 0);
	assert_non_null(strstr(msg.buf, "\nReply-To: "
	    "<mentoring+tok@example.org>\n"));
	assert_non_null(strstr(msg.buf, "Content-Type: multipart/mixed;"));
	assert_non_null(strstr(msg.buf, "Content-Type: text/calendar; "
	    "charset=UTF-8; method=REQUEST"));
	assert_non_null(strstr(msg.buf, "filename=\"invite.ics\""));
	assert_non_null(strstr(msg.buf, "\n\nHello Bo,\n\nYou have a seat.\n"));
	assert_non_null(strstr(msg.buf, "Auto-Submitted: auto-generated\n"));
	/* only one set of MIME headers at the top, and no CR anywhere */
	assert_null(strstr(msg.buf, "text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\nAuto"));
	assert_null(strchr(msg.buf, '\r'));
	strbuf_release(&msg);
	/* bad addresses are refused */
	assert_int_equal(invite_compose(&m, "not an address", cal.buf, cal.len,
	    &msg, &err), -1);
	error_clear(&err);
	who.email = "bad";
	strbuf_reset(&cal);
	assert_int_equal(invite_calendar(&ev, "1.0", 0, &cal, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	strbuf_release(&cal);
	strbuf_release(&msg);
}

/* ---- ops against a database ---- */

static const char session_yaml[] =
    "slug: lead\n"
    "name: Leaders Listening\n"
    "purpose: leadership\n"
    "format: one-to-one\n"
    "contact: mentoring@example.org\n"
    "sessions:\n"
    "  per_leader_per_year: 2\n"
    "  seats: 2\n"
    "  timezone: Europe/Paris\n"
    "  audience: { from: everyone, min_level: 2, "
    "exclude_departments: [Executive] }\n";

static const char people_csv[] =
    "email,name,department,level\n"
    "vp@example.org,Vera Page,Executive,9\n"
    "a@example.org,Ann,Engineering,2\n"
    "b@example.org,Ben,Engineering,3\n"
    "c@example.org,Cat,Sales,4\n"
    "d@example.org,Dan,Sales,1\n"
    "e@example.org,Eve,Operations,5\n"
    "x@example.org,Xan,Executive,7\n";

/* Run one ops call in its own transaction: 0, or the error's code. */
#define TX(f, call) tx_end((f), db_begin((f)->db, &err) == 0 ? (call) : -1, \
    &err)

static int
tx_end(struct fixture *f, int rc, struct error *err)
{
	if (rc == 0) {
		assert_int_equal(db_commit(f->db, err), 0);
		return 0;
	}
	db_rollback(f->db);
	return err->code ? err->code : -1;
}

static long long
setup_lead(struct fixture *f, struct program **p)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	long long pid;

	fixture_program(f, session_yaml);
	fixture_people(f, people_csv);
	assert_int_equal(ops_program_load(&o, "lead", &pid, p, &err), 0);
	return pid;
}

static long long
add_session(struct fixture *f, long long pid, const struct program *p,
    const char *on, int seats)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct ops_session_add req;

	memset(&req, 0, sizeof req);
	req.leader_email = "VP@example.org";
	req.on = day(on);
	req.at = 12 * 60 + 30;
	req.seats = seats;
	req.title = "Listening lunch";
	if (TX(f, ops_session_add(&o, pid, p, &req, &err)) != 0)
		fail_msg("session add: %s", err.msg);
	assert_string_equal(req.leader, "vp@example.org");
	ops_session_add_free(&req);
	return req.id;
}

static enum ops_place_outcome
signup(struct fixture *f, const char *today, long long sid, const char *email)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day(today));
	struct ops_place r;
	enum ops_place_outcome out;

	if (TX(f, ops_session_signup(&o, sid, email, "coordinator", false, &r,
	    &err)) != 0)
		fail_msg("signup %s: %s", email, err.msg);
	out = r.outcome;
	ops_place_free(&r);
	return out;
}

static int
signup_fails(struct fixture *f, const char *today, long long sid,
    const char *email, const char *want)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day(today));
	struct ops_place r;
	int code;

	code = TX(f, ops_session_signup(&o, sid, email, "coordinator", false,
	    &r, &err));
	assert_int_not_equal(code, 0);
	if (strstr(err.msg, want) == NULL)
		fail_msg("'%s' lacks '%s'", err.msg, want);
	ops_place_free(&r);
	error_clear(&err);
	return code;
}

static const char *
status_of(struct fixture *f, long long sid, const char *email)
{
	static char buf[32];
	struct error err = ERROR_INIT;
	struct place_rec *v = NULL;
	size_t n = 0, i;

	buf[0] = '\0';
	assert_int_equal(store_place_list(f->db, sid, &v, &n, &err), 0);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].email, email) == 0)
			snprintf(buf, sizeof buf, "%s",
			    session_place_name(v[i].status));
	place_recs_free(v, n);
	return buf;
}

static void
test_add_and_signup(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct ops_session_add req;
	struct program *p;
	long long pid, sid;

	pid = setup_lead(f, &p);
	sid = add_session(f, pid, p, "2027-02-01", 0);
	/* the default seats */
	assert_int_equal(fixture_count(f, "SELECT seats FROM leader_session"),
	    2);
	memset(&req, 0, sizeof req);
	req.leader_email = "nobody@example.org";
	req.on = day("2027-02-01");
	req.at = -1;
	assert_int_equal(TX(f, ops_session_add(&o, pid, p, &req, &err)),
	    EX_DATAERR);
	assert_non_null(strstr(err.msg, "unknown leader"));
	error_clear(&err);
	ops_session_add_free(&req);
	req.leader_email = "vp@example.org";
	req.at = 12 * 60 + 30;
	assert_int_equal(TX(f, ops_session_add(&o, pid, p, &req, &err)),
	    EX_DATAERR);
	assert_non_null(strstr(err.msg, "at that time already"));
	error_clear(&err);
	ops_session_add_free(&req);

	assert_int_equal(signup(f, "2027-01-10", sid, "A@example.org"),
	    OPS_PLACE_SIGNED_UP);
	assert_int_equal(signup(f, "2027-01-10", sid, "a@example.org"),
	    OPS_PLACE_UNCHANGED);
	signup_fails(f, "2027-01-10", sid, "d@example.org",
	    "not in the audience of session 1: level 1 < 2");
	signup_fails(f, "2027-01-10", sid, "x@example.org",
	    "department Executive is excluded");
	signup_fails(f, "2027-01-10", sid, "vp@example.org", "leads session 1");
	signup_fails(f, "2027-01-10", sid, "who@example.org",
	    "unknown person 'who@example.org'");
	signup_fails(f, "2027-02-02", sid, "b@example.org",
	    "session 1 was on 2027-02-01");
	signup_fails(f, "2027-01-10", 42, "b@example.org", "unknown session 42");
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM "
	    "session_place"), 1);
	program_free(p);
}

/* Seat session sid on today: the result, kept for the caller to free. */
static void
seat(struct fixture *f, const char *today, long long sid,
    struct ops_seating *r)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day(today));

	if (TX(f, ops_session_seat(&o, sid, r, &err)) != 0)
		fail_msg("seat: %s", err.msg);
}

static void
test_seat_cancel_promote(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day("2027-01-20"));
	struct ops_seating r;
	struct ops_place pl;
	struct program *p;
	long long pid, sid;
	char seated[2][32];
	size_t i, k;

	pid = setup_lead(f, &p);
	sid = add_session(f, pid, p, "2027-02-01", 2);
	signup(f, "2027-01-10", sid, "a@example.org");
	signup(f, "2027-01-10", sid, "b@example.org");
	signup(f, "2027-01-11", sid, "c@example.org");
	signup(f, "2027-01-12", sid, "e@example.org");
	seat(f, "2027-01-20", sid, &r);
	assert_int_equal(r.seated, 2);
	assert_int_equal(r.waitlisted, 2);
	assert_int_equal(r.n, 4);
	for (i = 0, k = 0; i < r.n; i++) {
		assert_true(r.v[i].changed);
		assert_int_equal(r.v[i].attended_before, 0);
		if (r.v[i].status == PLACE_SEATED)
			snprintf(seated[k++], sizeof seated[0], "%s",
			    r.v[i].email);
	}
	assert_int_equal(k, 2);
	/* the waiting list is numbered 1, 2 */
	assert_int_equal(r.v[2].rank, 1);
	assert_int_equal(r.v[3].rank, 2);
	ops_seating_free(&r);
	/* a second run changes nothing */
	seat(f, "2027-01-21", sid, &r);
	assert_int_equal(r.seated + r.waitlisted, 0);
	ops_seating_free(&r);
	/* after the allocation: the end of the waiting list */
	fixture_people(f, "email,name,department,level\n"
	    "g@example.org,Gus,Sales,3\n");
	assert_int_equal(signup(f, "2027-01-22", sid, "g@example.org"),
	    OPS_PLACE_WAITLISTED);

	/* a seat cancelled: the first one waiting takes it */
	assert_int_equal(TX(f, ops_session_cancel(&o, sid, seated[0], &pl,
	    &err)), 0);
	assert_int_equal(pl.outcome, OPS_PLACE_CANCELLED);
	assert_non_null(pl.promoted);
	assert_string_equal(status_of(f, sid, pl.promoted), "seated");
	assert_string_equal(status_of(f, sid, seated[0]), "cancelled");
	ops_place_free(&pl);
	assert_int_equal(TX(f, ops_session_cancel(&o, sid, seated[0], &pl,
	    &err)), 0);
	assert_int_equal(pl.outcome, OPS_PLACE_UNCHANGED);
	ops_place_free(&pl);
	assert_int_equal(TX(f, ops_session_cancel(&o, sid, "d@example.org",
	    &pl, &err)), EX_DATAERR);
	assert_non_null(strstr(err.msg, "has no place in session 1"));
	error_clear(&err);
	ops_place_free(&pl);
	/* a wait-listed cancellation promotes nobody */
	assert_int_equal(TX(f, ops_session_cancel(&o, sid, "g@example.org",
	    &pl, &err)), 0);
	assert_null(pl.promoted);
	ops_place_free(&pl);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM session_place "
	    "WHERE status = 'seated'"), 2);
	/* whoever cancelled may sign up again: at the end of the list */
	assert_int_equal(signup(f, "2027-01-23", sid, seated[0]),
	    OPS_PLACE_WAITLISTED);
	program_free(p);
}

/* The same sign-ups give the same seats, in another database too. */
static void
test_seat_reproducible(void **state)
{
	struct fixture *f = *state;
	struct program *p;
	struct ops_seating r;
	long long pid, s1, s2;
	static const char *const who[] = { "a@example.org", "b@example.org",
	    "c@example.org", "e@example.org" };
	char first[2][64];
	size_t i;

	pid = setup_lead(f, &p);
	s1 = add_session(f, pid, p, "2027-02-01", 2);
	s2 = add_session(f, pid, p, "2027-03-01", 2);
	/* opposite sign-up orders */
	for (i = 0; i < 4; i++) {
		signup(f, "2027-01-10", s1, who[i]);
		signup(f, "2027-01-10", s2, who[3 - i]);
	}
	seat(f, "2027-01-20", s1, &r);
	for (i = 0; i < 2; i++)
		snprintf(first[i], sizeof first[i], "%s", r.v[i].email);
	/* the draw is the lottery of the session id, whoever came first */
	assert_true(r.v[0].lottery < r.v[1].lottery);
	assert_true(r.v[0].lottery == session_lottery(s1, r.v[0].email));
	ops_seating_free(&r);
	seat(f, "2027-01-20", s2, &r);
	assert_true(r.v[0].lottery == session_lottery(s2, r.v[0].email));
	ops_seating_free(&r);
	program_free(p);
}

static void
test_fewest_attended_first(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day("2027-02-01"));
	const char *const came[] = { "a@example.org", "b@example.org" };
	struct ops_seating r;
	struct ops_attend at;
	struct program *p;
	long long pid, s1, s2;
	size_t i;

	pid = setup_lead(f, &p);
	s1 = add_session(f, pid, p, "2027-02-01", 2);
	s2 = add_session(f, pid, p, "2027-03-01", 2);
	signup(f, "2027-01-10", s1, "a@example.org");
	signup(f, "2027-01-10", s1, "b@example.org");
	seat(f, "2027-01-20", s1, &r);
	ops_seating_free(&r);
	/* attendance waits for the day */
	o.today = day("2027-01-31");
	assert_int_equal(TX(f, ops_session_attend(&o, s1, came, 2, &at,
	    &err)), EX_DATAERR);
	assert_non_null(strstr(err.msg, "still to come"));
	error_clear(&err);
	ops_attend_free(&at);
	o.today = day("2027-02-01");
	assert_int_equal(TX(f, ops_session_attend(&o, s1, came, 2, &at,
	    &err)), 0);
	assert_int_equal(at.marked, 2);
	ops_attend_free(&at);
	assert_int_equal(TX(f, ops_session_attend(&o, s1, came, 1, &at,
	    &err)), 0);
	assert_int_equal(at.marked, 0);
	assert_int_equal(at.already, 1);
	ops_attend_free(&at);
	/* all or nothing: one without a place, nobody marked */
	{
		const char *const bad[] = { "c@example.org" };

		assert_int_equal(TX(f, ops_session_attend(&o, s1, bad, 1, &at,
		    &err)), EX_DATAERR);
		assert_non_null(strstr(err.msg, "has no place in session 1"));
		error_clear(&err);
		ops_attend_free(&at);
	}
	/* a and b came to the first: c and e go first in the second */
	for (i = 0; i < 4; i++)
		signup(f, "2027-02-05", s2, (const char *[]){ "a@example.org",
		    "b@example.org", "c@example.org", "e@example.org" }[i]);
	seat(f, "2027-02-10", s2, &r);
	assert_string_equal(status_of(f, s2, "c@example.org"), "seated");
	assert_string_equal(status_of(f, s2, "e@example.org"), "seated");
	assert_string_equal(status_of(f, s2, "a@example.org"), "waitlisted");
	for (i = 0; i < r.n; i++)
		if (r.v[i].status == PLACE_WAITLISTED)
			assert_int_equal(r.v[i].attended_before, 1);
	ops_seating_free(&r);
	/* a walk-in from the waiting list takes a seat to attend */
	o.today = day("2027-03-01");
	{
		const char *const walk[] = { "a@example.org" };

		assert_int_equal(TX(f, ops_session_attend(&o, s2, walk, 1, &at,
		    &err)), 0);
		assert_int_equal(at.walk_ins, 1);
		ops_attend_free(&at);
	}
	assert_string_equal(status_of(f, s2, "a@example.org"), "seated");
	program_free(p);
}

static void
test_mail_plan(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day("2027-01-10"));
	struct ops_session_mail plan;
	struct strbuf msg = STRBUF_INIT;
	struct session_mail_key k;
	struct reminder_outcome out;
	struct program *p;
	long long pid, sid;
	size_t i;

	pid = setup_lead(f, &p);
	sid = add_session(f, pid, p, "2027-02-01", 2);
	signup(f, "2027-01-05", sid, "c@example.org");
	/* the audience less the leader, the excluded, the junior, c */
	assert_int_equal(ops_session_mail_plan(&o, sid, SESSION_MAIL_INVITE,
	    &plan, &err), 0);
	assert_int_equal(plan.n, 3);
	assert_string_equal(plan.v[0].email, "a@example.org");
	assert_string_equal(plan.v[1].email, "b@example.org");
	assert_string_equal(plan.v[2].email, "e@example.org");
	assert_int_equal(ops_session_mail_secret(&o, &plan, &err), 0);
	assert_true(plan.have_secret);
	assert_int_equal(ops_session_mail_compose(&o, &plan, &plan.v[0], &msg,
	    &err), 0);
	assert_non_null(strstr(msg.buf, "\nTo: \"Ann\" <a@example.org>\n"));
	assert_non_null(strstr(msg.buf, "\nReply-To: <mentoring+"));
	assert_non_null(strstr(msg.buf, "Subject: Invitation: Listening lunch "
	    "with Vera Page on 2027-02-01\n"));
	assert_non_null(strstr(msg.buf, "reply to this mail with the word "
	    "\"join\""));
	/* the Message-ID carries the token, the same on every attempt */
	{
		struct strbuf again = STRBUF_INIT;
		const char *a = strstr(msg.buf, "Message-ID: <");
		const char *b;

		assert_non_null(a);
		assert_int_equal(ops_session_mail_compose(&o, &plan, &plan.v[0],
		    &again, &err), 0);
		b = strstr(again.buf, "Message-ID: <");
		assert_int_equal(strncmp(a, b, strcspn(a, "\n")), 0);
		assert_non_null(strstr(a, ".invite.1.lead@example.org>"));
		strbuf_release(&again);
	}
	/* what the log holds is not planned again: sent, or handed */
	for (i = 0; i < 2; i++) {
		memset(&k, 0, sizeof k);
		k.program_id = pid;
		k.session_id = sid;
		k.kind = "session_invite";
		k.due_on = day("2027-02-01");
		k.recipient = plan.v[i].email;
		assert_int_equal(store_session_mail_claim(f->db, &k, 0, "m@x",
		    day("2027-02-01"), f->now, "test", &err), 1);
		/* a second claim loses */
		assert_int_equal(store_session_mail_claim(f->db, &k, 0, "m@x",
		    day("2027-02-01"), f->now, "other", &err), 0);
		if (i == 1)
			continue;
		memset(&out, 0, sizeof out);
		out.state = DELIVERY_SENT;
		out.today = o.today;
		out.now = f->now;
		assert_int_equal(store_session_mail_outcome(f->db, &k, "test",
		    &out, &err), 0);
	}
	ops_session_mail_free(&plan);
	assert_int_equal(ops_session_mail_plan(&o, sid, SESSION_MAIL_INVITE,
	    &plan, &err), 0);
	assert_int_equal(plan.n, 1);
	assert_int_equal(plan.recorded, 2);
	ops_session_mail_free(&plan);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reminder WHERE "
	    "subject_key = 'session:1' AND kind = 'session_invite'"), 2);

	/* seat confirmations go to the seated only */
	{
		struct ops_seating r;

		seat(f, "2027-01-10", sid, &r);
		ops_seating_free(&r);
	}
	assert_int_equal(ops_session_mail_plan(&o, sid, SESSION_MAIL_SEAT,
	    &plan, &err), 0);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.v[0].email, "c@example.org");
	strbuf_reset(&msg);
	assert_int_equal(ops_session_mail_compose(&o, &plan, &plan.v[0], &msg,
	    &err), 0);
	assert_non_null(strstr(msg.buf, "Subject: Your seat: "));
	ops_session_mail_free(&plan);
	/* a session of the past: no more mail */
	o.today = day("2027-02-02");
	assert_int_equal(ops_session_mail_plan(&o, sid, SESSION_MAIL_INVITE,
	    &plan, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	ops_session_mail_free(&plan);
	strbuf_release(&msg);
	program_free(p);
}

static const struct metrics_row *
row_of(const struct metrics_rows *rows, const char *metric, const char *group)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->v[i].metric, metric) == 0 &&
		    (group == NULL || strcmp(rows->v[i].group, group) == 0))
			return &rows->v[i];
	fail_msg("no row %s %s", metric, group ? group : "");
	return NULL;
}

static void
test_report(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day("2027-02-01"));
	const char *const came[] = { "a@example.org" };
	struct metrics_rows rows = METRICS_ROWS_INIT;
	const struct metrics_row *r;
	struct ops_seating st;
	struct ops_attend at;
	struct program *p;
	long long pid, s1;

	pid = setup_lead(f, &p);
	s1 = add_session(f, pid, p, "2027-02-01", 2);
	add_session(f, pid, p, "2027-06-01", 2);
	signup(f, "2027-01-10", s1, "a@example.org");
	signup(f, "2027-01-10", s1, "b@example.org");
	seat(f, "2027-01-20", s1, &st);
	ops_seating_free(&st);
	assert_int_equal(TX(f, ops_session_attend(&o, s1, came, 1, &at,
	    &err)), 0);
	ops_attend_free(&at);
	assert_int_equal(ops_session_report(&o, pid, p, day("2027-03-01"),
	    &rows, &err), 0);
	assert_int_equal((int)row_of(&rows, "sessions_held", NULL)->value.v, 1);
	assert_int_equal((int)row_of(&rows, "sessions_planned", NULL)->value.v,
	    1);
	r = row_of(&rows, "attendance_rate", NULL);
	assert_int_equal(r->value.num, 1);
	assert_int_equal(r->value.den, 2);
	r = row_of(&rows, "leader_sessions", "leader=vp@example.org,year=2027");
	assert_int_equal((int)r->value.v, 1);
	assert_true(r->has_target);
	assert_string_equal(r->status, "on track");
	/* the audience: a, b, c, e (not d, x or the leader) */
	r = row_of(&rows, "reach", NULL);
	assert_int_equal(r->value.num, 1);
	assert_int_equal(r->value.den, 4);
	r = row_of(&rows, "reach_by_department", "department=Engineering");
	assert_int_equal(r->value.num, 1);
	assert_int_equal(r->value.den, 2);
	r = row_of(&rows, "reach_by_level", "level=2");
	assert_int_equal(r->value.num, 1);
	metrics_rows_free(&rows);
	/* the year over with one session of two: not met */
	assert_int_equal(ops_session_report(&o, pid, p, day("2028-01-02"),
	    &rows, &err), 0);
	r = row_of(&rows, "leader_sessions", "leader=vp@example.org,year=2027");
	assert_int_equal((int)r->value.v, 2);
	assert_string_equal(r->status, "met");
	r = row_of(&rows, "sessions_without_attendance", NULL);
	assert_int_equal((int)r->value.v, 1);
	metrics_rows_free(&rows);
	program_free(p);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, \
    fixture_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_place_names),
		cmocka_unit_test(test_lottery),
		cmocka_unit_test(test_seat_order),
		cmocka_unit_test(test_audience),
		cmocka_unit_test(test_invite_calendar),
		T(test_add_and_signup),
		T(test_seat_cancel_promote),
		T(test_seat_reproducible),
		T(test_fewest_attended_first),
		T(test_mail_plan),
		T(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
