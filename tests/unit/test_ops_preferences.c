/*
 * ops/preferences.c against a real temporary database: a ranking by
 * e-mail or name (what a reply "1. Ana 2. Bo" becomes) replaces the
 * mentee's earlier one and scores through compare: preference; wrong
 * entries are refused naming the entry, with nothing written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "match_fixture.h"

#include "core/match_pool.h"
#include "ops/match.h"
#include "ops/preferences.h"

static const char yaml[] =
    "slug: t-2027\nname: T\npurpose: engagement\nformat: one-to-one\n"
    "owner: People\ncontact: c@ex.org\n"
    "matching:\n  criteria:\n    - { compare: preference }\n";

static const char *const people[] = {
	"email,name,department",
	"ana@ex.org,Ana Lima,Eng",
	"bo@ex.org,Bo,Sales",
	"bo2@ex.org,Bo,Ops",
	"cy@ex.org,Cy,Ops",
	"e1@ex.org,Eve,Ops",
	NULL,
};

struct st {
	struct fx *f;
	struct program *p;
	long long pid;
	struct ops_ctx o;
};

static int
setup(void **state)
{
	struct st *s = xcalloc(1, sizeof *s);

	s->f = fx_open("2027-01-04");
	s->pid = fx_program(s->f, yaml, &s->p);
	fx_people(s->f, people);
	fx_enroll(s->f, s->pid, s->p, "ana@ex.org", ROLE_MENTOR, -1);
	fx_enroll(s->f, s->pid, s->p, "bo@ex.org", ROLE_MENTOR, -1);
	fx_enroll(s->f, s->pid, s->p, "bo2@ex.org", ROLE_MENTOR, -1);
	fx_enroll(s->f, s->pid, s->p, "cy@ex.org", ROLE_MENTOR, -1);
	fx_enroll(s->f, s->pid, s->p, "e1@ex.org", ROLE_MENTEE, -1);
	s->o.db = s->f->db;
	s->o.today = s->f->today;
	s->o.now = 1800000000;
	s->o.actor = "tester";
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	struct st *s = *state;

	program_free(s->p);
	fx_close(s->f);
	free(s);
	return 0;
}

/* e1's suggestions: the mentors best first, as e-mails joined by spaces. */
static void
ranking(struct st *s, char *buf, size_t n)
{
	struct ops_suggest r;
	struct error err = ERROR_INIT;
	int k;

	buf[0] = '\0';
	assert_int_equal(ops_suggest(&s->o, s->pid, s->p, "e1@ex.org", &r,
	    &err), 0);
	for (k = 0; k < r.n; k++) {
		if (r.v[k].score == 0)
			break;
		strncat(buf, r.s.pool.mentors[r.v[k].mentor].email,
		    n - strlen(buf) - 2);
		strncat(buf, " ", n - strlen(buf) - 1);
	}
	ops_suggest_free(&r);
}

static void
test_set_by_email_and_name(void **state)
{
	struct st *s = *state;
	struct error err = ERROR_INIT;
	const char *first[] = { "Cy", "ANA@ex.org", "ana lima" };
	const char *second[] = { "bo2@ex.org", "cy" };
	char buf[256];

	/* Ana twice, by address and by name */
	assert_int_equal(ops_preferences_set(&s->o, s->pid, s->p, "e1@ex.org",
	    first, 3, "reply", &err), -1);
	assert_string_equal(err.msg, "'ana@ex.org' is ranked twice (2 and 3)");
	ranking(s, buf, sizeof buf);
	assert_string_equal(buf, "");
	assert_int_equal(ops_preferences_set(&s->o, s->pid, s->p, "e1@ex.org",
	    first, 2, "reply", &err), 0);
	ranking(s, buf, sizeof buf);
	assert_string_equal(buf, "cy@ex.org ana@ex.org ");
	/* a new ranking replaces the old one */
	assert_int_equal(ops_preferences_set(&s->o, s->pid, s->p, "e1@ex.org",
	    second, 2, "reply", &err), 0);
	ranking(s, buf, sizeof buf);
	assert_string_equal(buf, "bo2@ex.org cy@ex.org ");
	error_clear(&err);
}

static void
test_set_refused(void **state)
{
	struct st *s = *state;
	struct error err = ERROR_INIT;
	const char *bo[] = { "Bo" };
	const char *nobody[] = { "Dee" };
	const char *self[] = { "ana@ex.org" };

	assert_int_equal(ops_preferences_set(&s->o, s->pid, s->p, "e1@ex.org",
	    bo, 1, "reply", &err), -1);
	assert_string_equal(err.msg, "'Bo' names 2 mentors of 't-2027': give "
	    "their e-mail address");
	assert_int_equal(ops_preferences_set(&s->o, s->pid, s->p, "e1@ex.org",
	    nobody, 1, "reply", &err), -1);
	assert_string_equal(err.msg, "'Dee' is not a mentor of 't-2027'");
	assert_int_equal(ops_preferences_set(&s->o, s->pid, s->p, "ana@ex.org",
	    self, 1, "reply", &err), -1);
	assert_string_equal(err.msg, "'ana@ex.org' is not a mentee of 't-2027'");
	assert_int_equal(ops_preferences_set(&s->o, s->pid, s->p, "e1@ex.org",
	    self, 0, "reply", &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_by_email_and_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_set_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
