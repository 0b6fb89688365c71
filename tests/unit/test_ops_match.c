/*
 * ops/match.c against a real temporary database: match proposes the
 * optimum and stores it with the programme's terms, a dry run stores
 * nothing, a re-run proposes only for who still has a place and never a
 * declined pair again; suggest ranks; flash and rotations are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "match_fixture.h"

#include "core/match_pool.h"
#include "ops/match.h"
#include "ops/pairing.h"
#include "store/pairing_store.h"

static const char yaml[] =
    "slug: t-2027\nname: T\npurpose: engagement\nformat: one-to-one\n"
    "owner: People\ncontact: c@ex.org\n"
    "roles: { mentor: { capacity: 2 } }\n"
    "matching:\n  respond_within: 10 days\n  min_score: 10\n"
    "  criteria:\n    - { attribute: skills, mentee_attribute: wants, "
    "compare: overlap }\n";

static const char *const people[] = {
	"email,name,department,skills,wants",
	"m1@ex.org,Mentor One,Eng,go;sql,",
	"m2@ex.org,Mentor Two,Sales,sql;rust,",
	"e1@ex.org,Mentee One,Eng,,go",
	"e2@ex.org,Mentee Two,Sales,,sql",
	"e3@ex.org,Mentee Three,Design,,rust",
	"e4@ex.org,Mentee Four,Design,,cobol",
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
	static const char *const e[] = { "e1@ex.org", "e2@ex.org", "e3@ex.org",
	    "e4@ex.org" };
	size_t k;

	s->f = fx_open("2027-01-04");
	s->pid = fx_program(s->f, yaml, &s->p);
	fx_people(s->f, people);
	fx_enroll(s->f, s->pid, s->p, "m1@ex.org", ROLE_MENTOR, 1);
	fx_enroll(s->f, s->pid, s->p, "m2@ex.org", ROLE_MENTOR, -1);
	for (k = 0; k < 4; k++)
		fx_enroll(s->f, s->pid, s->p, e[k], ROLE_MENTEE, -1);
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

static size_t
count_pairings(struct st *s, int status)
{
	struct error err = ERROR_INIT;
	struct pairing_cursor *c;
	const struct pairing_row *r;
	size_t n = 0;

	if ((c = store_pairing_cursor(s->f->db, s->pid, s->o.today, status,
	    &err)) == NULL)
		fx_fail("cursor", &err);
	while (store_pairing_next(c, &r, &err) == 1)
		n++;
	store_pairing_cursor_free(c);
	return n;
}

static void
test_match_stores_the_optimum(void **state)
{
	struct st *s = *state;
	struct ops_match m;
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	size_t k;

	memset(&m, 0, sizeof m);
	m.dry_run = true;
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), 0);
	assert_int_equal(m.plan.n, 3);         /* e4 wants what nobody has */
	assert_int_equal(count_pairings(s, -1), 0);
	ops_match_free(&m);

	memset(&m, 0, sizeof m);
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), 0);
	assert_int_equal(m.plan.n, 3);
	assert_int_equal(m.plan.matched, 3);
	assert_int_equal(m.plan.total, 30000);
	assert_false(m.active);
	assert_int_equal(m.expires_on, s->o.today + 10);
	/* e1 with m1 (go), e2 and e3 with m2 (sql, rust) */
	assert_string_equal(m.made[0].mentee_email, "e1@ex.org");
	assert_string_equal(m.made[0].mentor_email, "m1@ex.org");
	assert_string_equal(m.made[1].mentor_email, "m2@ex.org");
	assert_string_equal(m.made[2].mentor_email, "m2@ex.org");
	for (k = 0; k < m.plan.n; k++)
		assert_true(m.made[k].id > 0);
	assert_int_equal(store_pairing_get(s->f->db, m.made[0].id, &r, &err), 0);
	assert_int_equal(r.status, PAIRING_PROPOSED);
	assert_int_equal(r.origin, PAIRING_ORIGIN_MATCH);
	assert_int_equal(r.expires_on, s->o.today + 10);
	pairing_rec_free(&r);
	ops_match_free(&m);
	/* a re-run: nobody with a place has an allowed partner left */
	memset(&m, 0, sizeof m);
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), 0);
	assert_int_equal(m.plan.n, 0);
	assert_int_equal(m.s.pool.nmentees, 1);
	ops_match_free(&m);
	assert_int_equal(count_pairings(s, -1), 3);
}

static void
test_declined_never_again(void **state)
{
	struct st *s = *state;
	struct ops_match m;
	struct ops_answer a;
	struct error err = ERROR_INIT;
	long long id;

	memset(&m, 0, sizeof m);
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), 0);
	id = m.made[0].id;                     /* e1 with m1 */
	ops_match_free(&m);
	assert_int_equal(ops_decline(&s->o, id, "e1@ex.org", "no", &a, &err), 0);
	ops_answer_free(&a);
	memset(&m, 0, sizeof m);
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), 0);
	/* m1 is free again, but e1 is the only one who wants go */
	assert_int_equal(m.plan.n, 0);
	ops_match_free(&m);
	/*
	 * After the proposals expire, e2 and e3 are never proposed m2 again;
	 * e2 gets m1 (sql), e3 wants rust, which only m2 has.
	 */
	s->o.today += 11;
	memset(&m, 0, sizeof m);
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), 0);
	assert_int_equal(m.plan.n, 1);
	assert_string_equal(m.made[0].mentee_email, "e2@ex.org");
	assert_string_equal(m.made[0].mentor_email, "m1@ex.org");
	assert_int_equal(count_pairings(s, PAIRING_EXPIRED), 2);
	ops_match_free(&m);
}

static void
test_consent_none_active(void **state)
{
	struct st *s = *state;
	struct ops_match m;
	struct error err = ERROR_INIT;

	s->p->matching.consent = CONSENT_NONE;
	memset(&m, 0, sizeof m);
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), 0);
	assert_true(m.active);
	assert_int_equal(m.expires_on, DATE_NONE);
	ops_match_free(&m);
	assert_int_equal(count_pairings(s, PAIRING_ACTIVE), 3);
}

static void
test_suggest(void **state)
{
	struct st *s = *state;
	struct ops_suggest r;
	struct error err = ERROR_INIT;

	assert_int_equal(ops_suggest(&s->o, s->pid, s->p, "E2@ex.org", &r,
	    &err), 0);
	assert_int_equal(r.n, 2);
	/* both have sql: equal scores, e-mail order */
	assert_string_equal(r.s.pool.mentors[r.v[0].mentor].email, "m1@ex.org");
	assert_int_equal(r.v[0].score, 10000);
	assert_string_equal(r.s.pool.mentors[r.v[1].mentor].email, "m2@ex.org");
	assert_int_equal(r.v[1].score, 10000);
	assert_int_equal(r.open_pairing, 0);
	ops_suggest_free(&r);
	assert_int_equal(ops_suggest(&s->o, s->pid, s->p, "m1@ex.org", &r,
	    &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "'m1@ex.org' is not enrolled in 't-2027' "
	    "as mentee");
	ops_suggest_free(&r);
	error_clear(&err);
}

static void
test_formats_refused(void **state)
{
	struct st *s = *state;
	struct ops_match m;
	struct error err = ERROR_INIT;

	s->p->format = FORMAT_FLASH;
	memset(&m, 0, sizeof m);
	assert_int_equal(ops_match(&s->o, s->pid, s->p, &m, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "has format flash"));
	ops_match_free(&m);
	error_clear(&err);
	assert_int_equal(count_pairings(s, -1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_match_stores_the_optimum,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_declined_never_again,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_none_active, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_suggest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
