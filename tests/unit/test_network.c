/*
 * Network mentoring: the network block of the YAML, when a mentor is due a
 * request for an introduction (core/network.c), the report's rows, and
 * ops/network against a real temporary database (fixture.h): every
 * refusal of `introduce`, the facts the report reads, and the pairings
 * `remind` would ask.
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
#include "core/network.h"
#include "core/program.h"
#include "ops/checkin.h"
#include "ops/network.h"
#include "ops/pairing.h"
#include "store/db.h"
#include "util/xmalloc.h"

#define NET_YAML \
	"slug: net\n" \
	"name: Network Mentoring\n" \
	"purpose: knowledge-transfer\n" \
	"format: network\n" \
	"contact: mentoring@example.org\n" \
	"checkins: { every: 2 weeks, remind: 2 days before, " \
	"overdue_after: 5 days, stalled_after: 3 missed }\n" \
	"matching: { consent: none }\n"

static struct program *
parse(const char *yaml, struct diags *d)
{
	return cfg_program_parse("t.yaml", yaml, strlen(yaml), d);
}

static struct program *
parse_ok(const char *yaml)
{
	struct diags d = DIAGS_INIT;
	struct program *p = parse(yaml, &d);

	if (p == NULL)
		fail_msg("%s", d.n ? d.v[0].msg : "no program");
	diags_free(&d);
	return p;
}

/* The first problem's message contains want. */
static void
parse_fails(const char *yaml, const char *want)
{
	struct diags d = DIAGS_INIT;
	struct program *p = parse(yaml, &d);
	size_t i;
	bool found = false;

	assert_null(p);
	for (i = 0; i < d.n; i++)
		if (strstr(d.v[i].msg, want) != NULL)
			found = true;
	if (!found)
		fail_msg("no problem says '%s' (first: %s)", want,
		    d.n ? d.v[0].msg : "none");
	diags_free(&d);
}

static int
day(const char *ymd)
{
	return fixture_day(ymd);
}

/* ---- YAML ---- */

static void
test_config_network(void **state)
{
	struct program *p;

	(void)state;
	p = parse_ok(NET_YAML);
	assert_int_equal(p->format, FORMAT_NETWORK);
	assert_int_equal(p->network.introductions_from, 3);
	assert_int_equal(p->network.target, 6);
	assert_false(p->sessions.present);
	program_free(p);
	p = parse_ok(NET_YAML "network: { introductions_from: 2, target: 4 }\n");
	assert_int_equal(p->network.introductions_from, 2);
	assert_int_equal(p->network.target, 4);
	program_free(p);
	parse_fails(NET_YAML "network: { target: 0 }\n", "out-of-range value");
	parse_fails(NET_YAML "network: { introductions: 2 }\n",
	    "unknown key 'introductions'");
	parse_fails("slug: x\nname: X\npurpose: engagement\nformat: "
	    "one-to-one\nnetwork: { target: 3 }\n",
	    "unexpected block 'network' in a one-to-one programme");
	parse_fails("slug: x\nname: X\npurpose: engagement\nformat: nets\n",
	    "flash, rotational or network");
}

static void
test_config_sessions(void **state)
{
	struct program *p;

	(void)state;
	p = parse_ok(NET_YAML "sessions:\n  per_leader_per_year: 2\n"
	    "  seats: 12\n  timezone: Europe/Paris\n  audience:\n"
	    "    roles: [mentee]\n    min_level: 2\n"
	    "    departments: [Engineering, Sales]\n"
	    "    trainings: [orientation]\n");
	assert_true(p->sessions.present);
	assert_int_equal(p->sessions.per_leader_per_year, 2);
	assert_int_equal(p->sessions.seats, 12);
	assert_int_equal(p->sessions.minutes, 60);
	assert_string_equal(p->sessions.timezone, "Europe/Paris");
	assert_int_equal(p->sessions.audience.from, AUDIENCE_ENROLLED);
	assert_int_equal(p->sessions.audience.roles, 1u << ROLE_MENTEE);
	assert_true(p->sessions.audience.rules.has_min_level);
	assert_int_equal(p->sessions.audience.rules.min_level, 2);
	assert_int_equal(p->sessions.audience.ndepartments, 2);
	assert_int_equal(p->sessions.audience.rules.ntrainings, 1);
	program_free(p);
	/* any format */
	p = parse_ok("slug: x\nname: X\npurpose: leadership\nformat: group\n"
	    "sessions: { seats: 8, audience: { from: everyone } }\n");
	assert_true(p->sessions.present);
	assert_int_equal(p->sessions.audience.from, AUDIENCE_EVERYONE);
	program_free(p);
	parse_fails(NET_YAML "sessions: { seats: 0 }\n", "out-of-range value");
	parse_fails(NET_YAML "sessions: { audience: { roles: [boss] } }\n",
	    "unknown role 'boss'");
	parse_fails(NET_YAML "sessions: { audience: { min_level: 4, "
	    "max_level: 2 } }\n", "max_level 2 is below min_level 4");
	parse_fails(NET_YAML "sessions: { audience: { from: everyone, "
	    "roles: [mentee] } }\n", "from is everyone");
	parse_fails(NET_YAML "sessions: { audience: { departments: [Sales], "
	    "exclude_departments: [sales] } }\n", "both in");
	parse_fails(NET_YAML "sessions: { timezone: Mars/Olympus }\n",
	    "unknown time zone");
	parse_fails(NET_YAML "sessions: { audience: { from: all } }\n",
	    "enrolled or everyone");
}

/* ---- the introduction request ---- */

static struct network_pairing
np_at(const char *anchor, int held, const char *last)
{
	struct network_pairing np;

	memset(&np, 0, sizeof np);
	np.pairing_id = 7;
	np.mentor_email = "m@example.org";
	np.mentee_email = "e@example.org";
	np.anchor = day(anchor);
	np.held = held;
	np.last_meeting = last ? day(last) : DATE_NONE;
	np.last_introduction = DATE_NONE;
	return np;
}

static void
test_intro_due(void **state)
{
	struct program *p = parse_ok(NET_YAML "network: { introductions_from: "
	    "3, target: 2 }\n");
	struct network_intro_request rq;
	struct network_pairing np;

	(void)state;
	/* two meetings held: the third is next, due 2027-02-22 */
	np = np_at("2027-01-11", 2, "2027-02-08");
	assert_false(network_intro_due(p, &np, day("2027-02-19"), &rq));
	assert_true(network_intro_due(p, &np, day("2027-02-20"), &rq));
	assert_int_equal(rq.due_on, day("2027-02-22"));
	assert_int_equal(rq.meeting_number, 3);
	assert_int_equal(rq.target, 2);
	/* the whole check-in reminder window, not a day more */
	assert_true(network_intro_due(p, &np, day("2027-02-27"), &rq));
	assert_false(network_intro_due(p, &np, day("2027-02-28"), &rq));
	/* one meeting held: the second is next, too early to ask */
	np = np_at("2027-01-11", 1, "2027-01-25");
	assert_false(network_intro_due(p, &np, day("2027-02-07"), &rq));
	/* somebody was introduced since the last meeting */
	np = np_at("2027-01-11", 2, "2027-02-08");
	np.introductions = 1;
	np.last_introduction = day("2027-02-10");
	assert_false(network_intro_due(p, &np, day("2027-02-21"), &rq));
	np.last_introduction = day("2027-02-01");
	assert_true(network_intro_due(p, &np, day("2027-02-21"), &rq));
	assert_int_equal(rq.introductions, 1);
	/* at target: never again */
	np.introductions = 2;
	assert_false(network_intro_due(p, &np, day("2027-02-21"), &rq));
	/* stalled: the stalled reminder says it all */
	np = np_at("2027-01-11", 2, "2027-02-08");
	assert_false(network_intro_due(p, &np, day("2027-04-01"), &rq));
	program_free(p);

	/* another format, or no check-ins: no requests */
	p = parse_ok("slug: x\nname: X\npurpose: engagement\nformat: "
	    "one-to-one\ncheckins: { every: 2 weeks }\n");
	np = np_at("2027-01-11", 2, "2027-02-08");
	assert_false(network_intro_due(p, &np, day("2027-02-21"), &rq));
	program_free(p);
	p = parse_ok("slug: x\nname: X\npurpose: engagement\nformat: "
	    "network\n");
	assert_false(network_intro_due(p, &np, day("2027-02-21"), &rq));
	program_free(p);
}

/* ---- the report's rows ---- */

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
add_intro(struct network_facts *f, size_t mentee, const char *email,
    const char *dept, int level)
{
	struct network_intro_fact *it;

	f->intros = xreallocarray(f->intros, f->nintros + 1, sizeof *f->intros);
	it = &f->intros[f->nintros++];
	memset(it, 0, sizeof *it);
	it->mentee = mentee;
	it->contact_email = xstrdup(email);
	it->is_person = dept != NULL;
	it->department = dept ? xstrdup(dept) : NULL;
	it->has_level = level > 0;
	it->level = level;
	it->introduced_on = day("2027-03-01");
}

static void
test_report_rows(void **state)
{
	struct program *p = parse_ok(NET_YAML "network: { target: 2 }\n");
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct network_facts f;
	const struct metrics_row *r;
	static const char *const mentees[] = { "a@example.org",
	    "b@example.org", "c@example.org" };
	size_t i;

	(void)state;
	memset(&f, 0, sizeof f);
	f.as_of = day("2027-04-01");
	f.mentees = xcalloc(3, sizeof *f.mentees);
	for (i = 0; i < 3; i++)
		f.mentees[i].email = xstrdup(mentees[i]);
	f.nmentees = 3;
	add_intro(&f, 0, "x@example.org", "Sales", 4);
	add_intro(&f, 0, "y@example.org", "Legal", 6);
	add_intro(&f, 0, "Y@example.org", "Legal", 6);   /* the same contact */
	add_intro(&f, 1, "x@example.org", "Sales", 4);
	add_intro(&f, 1, "out@elsewhere.org", NULL, 0);
	network_report_rows(p, &f, &rows);
	assert_int_equal((int)row_of(&rows, "mentees", NULL)->value.v, 3);
	assert_int_equal((int)row_of(&rows, "introductions", NULL)->value.v, 4);
	r = row_of(&rows, "introductions_per_mentee", NULL);
	assert_true(r->value.v > 1.33 && r->value.v < 1.34);
	r = row_of(&rows, "mentees_at_target", NULL);
	assert_int_equal(r->value.num, 2);
	assert_int_equal(r->value.den, 3);
	r = row_of(&rows, "departments_reached", NULL);
	assert_int_equal((int)r->value.v, 2);
	assert_string_equal(r->detail, "Legal, Sales");
	assert_int_equal((int)row_of(&rows, "levels_reached", NULL)->value.v,
	    2);
	assert_int_equal((int)row_of(&rows, "outside_people", NULL)->value.v,
	    1);
	assert_int_equal((int)row_of(&rows, "introductions_by_department",
	    "department=Sales")->value.v, 2);
	r = row_of(&rows, "mentee_introductions", "mentee=a@example.org");
	assert_int_equal((int)r->value.v, 2);
	assert_string_equal(r->status, "met");
	assert_true(r->has_target);
	r = row_of(&rows, "mentee_introductions", "mentee=c@example.org");
	assert_int_equal((int)r->value.v, 0);
	assert_string_equal(r->status, "not met");
	metrics_rows_free(&rows);
	network_facts_free(&f);

	/* not a network programme: no section */
	program_free(p);
	p = parse_ok("slug: x\nname: X\npurpose: engagement\nformat: "
	    "one-to-one\n");
	memset(&f, 0, sizeof f);
	network_report_rows(p, &f, &rows);
	assert_int_equal(rows.n, 0);
	program_free(p);
}

/* ---- ops against a database ---- */

static const char people_csv[] =
    "email,name,department,level,timezone\n"
    "ana@example.org,Ana,Engineering,6,Europe/Paris\n"
    "bo@example.org,Bo,Operations,2,Europe/Paris\n"
    "kim@example.org,Kim Lee,Legal,5,\n"
    "lu@example.org,Lu,Sales,3,\n";

/* A network programme with ana mentoring bo (active from 2027-01-04). */
static long long
setup_net(struct fixture *f)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct program *p;
	struct ops_pair req;
	long long pid;

	fixture_program(f, NET_YAML "network: { introductions_from: 3, "
	    "target: 2 }\n");
	fixture_people(f, people_csv);
	fixture_enroll(f, "net", "ana@example.org", "mentor", 2, NULL);
	fixture_enroll(f, "net", "bo@example.org", "mentee", 0, NULL);
	assert_int_equal(ops_program_load(&o, "net", &pid, &p, &err), 0);
	memset(&req, 0, sizeof req);
	req.mentor_email = "ana@example.org";
	req.mentee_email = "bo@example.org";
	req.force = true;
	assert_int_equal(db_begin(f->db, &err), 0);
	if (ops_pair(&o, pid, p, &req, &err) != 0)
		fail_msg("pair: %s", err.msg);
	assert_int_equal(db_commit(f->db, &err), 0);
	assert_true(req.active);
	ops_pair_free(&req);
	program_free(p);
	return pid;
}

/* introduce in a transaction of its own; the error's code, or 0. */
static int
introduce(struct fixture *f, const char *today, long long pairing,
    const char *contact, const char *on, struct ops_introduce *r,
    struct error *err)
{
	struct ops_ctx o = fixture_ops(f, day(today));
	int rc;

	memset(r, 0, sizeof *r);
	r->pairing_id = pairing;
	r->contact_email = contact;
	r->on = on ? day(on) : DATE_NONE;
	r->meet_on = DATE_NONE;
	r->meet_at = -1;
	assert_int_equal(db_begin(f->db, err), 0);
	rc = ops_introduce(&o, r, err);
	if (rc == 0)
		assert_int_equal(db_commit(f->db, err), 0);
	else
		db_rollback(f->db);
	return rc == 0 ? 0 : err->code;
}

static void
expect_refusal(struct fixture *f, const char *today, long long pairing,
    const char *contact, const char *on, const char *want)
{
	struct error err = ERROR_INIT;
	struct ops_introduce r;
	long long before = fixture_count(f, "SELECT count(*) FROM introduction");

	assert_int_equal(introduce(f, today, pairing, contact, on, &r, &err),
	    EX_DATAERR);
	if (strstr(err.msg, want) == NULL)
		fail_msg("'%s' lacks '%s'", err.msg, want);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM introduction"),
	    before);
	ops_introduce_free(&r);
	error_clear(&err);
}

static void
checkin(struct fixture *f, long long pairing, const char *on)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day(on));
	struct ops_checkin_req req;
	struct ops_checkin r;

	memset(&req, 0, sizeof req);
	memset(&r, 0, sizeof r);
	req.pairing_id = pairing;
	req.on = day(on);
	assert_int_equal(db_begin(f->db, &err), 0);
	if (ops_checkin(&o, &req, &r, &err) != 0)
		fail_msg("checkin: %s", err.msg);
	assert_int_equal(db_commit(f->db, &err), 0);
	ops_checkin_free(&r);
}

static void
test_introduce(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_introduce r;

	setup_net(f);
	/* a person: their department and level, their name */
	assert_int_equal(introduce(f, "2027-01-20", 1, "KIM@example.org", NULL,
	    &r, &err), 0);
	assert_true(r.contact.is_person);
	assert_string_equal(r.contact.department, "Legal");
	assert_int_equal(r.contact.level, 5);
	assert_string_equal(r.contact_shown, "Kim Lee");
	assert_int_equal(r.count, 1);
	assert_int_equal(r.introduced_on, day("2027-01-20"));
	assert_string_equal(r.zone, "Europe/Paris");
	ops_introduce_free(&r);
	/* outside the people table, on an earlier day */
	assert_int_equal(introduce(f, "2027-01-20", 1, "jo@partner.example",
	    "2027-01-10", &r, &err), 0);
	assert_false(r.contact.is_person);
	assert_int_equal(r.count, 2);
	ops_introduce_free(&r);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM audit WHERE "
	    "entity = 'introduction'"), 2);

	expect_refusal(f, "2027-01-20", 1, "kim@example.org", NULL,
	    "was introduced to mentee 'bo@example.org' already on 2027-01-20");
	expect_refusal(f, "2027-01-20", 1, "bo@example.org", NULL,
	    "is the mentee of pairing 1");
	expect_refusal(f, "2027-01-20", 1, "ana@example.org", NULL,
	    "is the mentor of pairing 1");
	expect_refusal(f, "2027-01-20", 1, "not-an-address", NULL,
	    "invalid contact address 'not-an-address'");
	expect_refusal(f, "2027-01-20", 1, "lu@example.org", "2027-01-21",
	    "is in the future");
	expect_refusal(f, "2027-01-20", 1, "lu@example.org", "2027-01-03",
	    "before pairing 1 turned active (2027-01-04)");
	expect_refusal(f, "2027-01-20", 99, "lu@example.org", NULL,
	    "unknown pairing 99");
}

static void
test_introduce_not_active_or_format(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, day("2027-02-01"));
	struct ops_answer a;
	struct ops_pair req;
	struct program *p;
	long long pid;

	setup_net(f);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_end(&o, 1, "moved on", &a, &err), 0);
	assert_int_equal(db_commit(f->db, &err), 0);
	ops_answer_free(&a);
	expect_refusal(f, "2027-02-02", 1, "lu@example.org", NULL,
	    "pairing 1 ended on 2027-02-01");

	/* a pairing of a one-to-one programme */
	fixture_program(f, FIXTURE_PROGRAM);
	fixture_training(f, "ana@example.org", "mentor-basics", "2026-01-01");
	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 0, NULL);
	fixture_enroll(f, "fixture", "lu@example.org", "mentee", 0, NULL);
	assert_int_equal(ops_program_load(&o, "fixture", &pid, &p, &err), 0);
	memset(&req, 0, sizeof req);
	req.mentor_email = "ana@example.org";
	req.mentee_email = "lu@example.org";
	req.force = true;
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_pair(&o, pid, p, &req, &err), 0);
	assert_int_equal(db_commit(f->db, &err), 0);
	expect_refusal(f, "2027-02-02", req.made.id, "kim@example.org", NULL,
	    "has format one-to-one: introductions are for format network");
	ops_pair_free(&req);
	program_free(p);
}

static void
test_report_and_due(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o;
	struct ops_introduce r;
	struct ops_network_due due;
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct program *p;
	long long pid;

	pid = setup_net(f);
	checkin(f, 1, "2027-01-18");
	checkin(f, 1, "2027-02-01");
	o = fixture_ops(f, day("2027-02-13"));
	assert_int_equal(ops_program_load(&o, "net", &pid, &p, &err), 0);
	/* two meetings: the third is due 2027-02-15, asked from the 13th */
	assert_int_equal(ops_network_due(&o, pid, p, &due, &err), 0);
	assert_int_equal(due.n, 1);
	assert_int_equal(due.v[0].pairing->pairing_id, 1);
	assert_string_equal(due.v[0].pairing->mentor_email, "ana@example.org");
	assert_int_equal(due.v[0].req.due_on, day("2027-02-15"));
	assert_int_equal(due.v[0].req.meeting_number, 3);
	ops_network_due_free(&due);
	/* an introduction since the last meeting: not asked again */
	assert_int_equal(introduce(f, "2027-02-13", 1, "kim@example.org", NULL,
	    &r, &err), 0);
	ops_introduce_free(&r);
	assert_int_equal(ops_network_due(&o, pid, p, &due, &err), 0);
	assert_int_equal(due.n, 0);
	ops_network_due_free(&due);

	assert_int_equal(ops_network_report(&o, pid, p, day("2027-02-13"),
	    &rows, &err), 0);
	assert_int_equal((int)row_of(&rows, "introductions", NULL)->value.v, 1);
	assert_int_equal((int)row_of(&rows, "departments_reached",
	    NULL)->value.v, 1);
	metrics_rows_free(&rows);
	/* as of a day before it, the introduction is not there yet */
	assert_int_equal(ops_network_report(&o, pid, p, day("2027-02-12"),
	    &rows, &err), 0);
	assert_int_equal((int)row_of(&rows, "introductions", NULL)->value.v, 0);
	assert_int_equal((int)row_of(&rows, "mentees", NULL)->value.v, 1);
	metrics_rows_free(&rows);
	/* before anyone was active: no mentees */
	assert_int_equal(ops_network_report(&o, pid, p, day("2027-01-03"),
	    &rows, &err), 0);
	assert_int_equal((int)row_of(&rows, "mentees", NULL)->value.v, 0);
	metrics_rows_free(&rows);
	program_free(p);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, \
    fixture_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_network),
		cmocka_unit_test(test_config_sessions),
		cmocka_unit_test(test_intro_due),
		cmocka_unit_test(test_report_rows),
		T(test_introduce),
		T(test_introduce_not_active_or_format),
		T(test_report_and_due),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
