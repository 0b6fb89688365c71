/*
 * store/match_store.c against a real temporary database: who is a
 * candidate, places used and left, the pairs never to propose (declined,
 * expired, open, previous partners in any programme), manager chains,
 * groups' departments, and why someone is not a candidate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "match_fixture.h"

#include "core/match_pool.h"
#include "ops/pairing.h"
#include "store/match_store.h"
#include "store/pairing_store.h"

static const char yaml[] =
    "slug: t-2027\nname: T\npurpose: engagement\nformat: one-to-one\n"
    "owner: People\ncontact: c@ex.org\n"
    "roles: { mentor: { capacity: 2 } }\n"
    "matching:\n  respond_within: 10 days\n"
    "  criteria:\n    - { attribute: skills, compare: overlap }\n"
    "  exclude: [same_manager_line, previous_partners]\n";

static const char *const people[] = {
	"email,name,department,level,manager_email,skills",
	"boss@ex.org,Boss,Exec,9,,",
	"m1@ex.org,Mentor One,Eng,6,boss@ex.org,go;sql",
	"m2@ex.org,Mentor Two,Sales,6,boss@ex.org,sql",
	"e1@ex.org,Mentee One,Eng,2,m1@ex.org,go",
	"e2@ex.org,Mentee Two,Sales,2,m2@ex.org,sql",
	"e3@ex.org,,Design,1,,",
	NULL,
};

struct st {
	struct fx *f;
	struct program *p;
	long long pid;
};

static int
setup(void **state)
{
	struct st *s = xcalloc(1, sizeof *s);

	s->f = fx_open("2027-01-04");
	s->pid = fx_program(s->f, yaml, &s->p);
	fx_people(s->f, people);
	fx_enroll(s->f, s->pid, s->p, "m2@ex.org", ROLE_MENTOR, -1);
	fx_enroll(s->f, s->pid, s->p, "m1@ex.org", ROLE_MENTOR, 1);
	fx_enroll(s->f, s->pid, s->p, "e2@ex.org", ROLE_MENTEE, -1);
	fx_enroll(s->f, s->pid, s->p, "e1@ex.org", ROLE_MENTEE, -1);
	fx_enroll(s->f, s->pid, s->p, "e3@ex.org", ROLE_MENTEE, -1);
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

static void
load(struct st *s, unsigned flags, int today, struct match_pool *pool)
{
	struct match_load ld;
	struct error err = ERROR_INIT;

	memset(&ld, 0, sizeof ld);
	ld.program_id = s->pid;
	ld.program = s->p;
	ld.today = today;
	ld.flags = flags;
	if (store_match_load(s->f->db, &ld, pool, &err) != 0)
		fx_fail("load", &err);
}

/* Propose mentor j with mentee i of a fresh pool on today: the pairing id. */
static long long
propose(struct st *s, const char *mentor, const char *mentee, int today)
{
	struct ops_ctx o = { s->f->db, today, 1800000000, "tester" };
	struct ops_pair req;
	struct error err = ERROR_INIT;
	long long id;

	memset(&req, 0, sizeof req);
	req.mentor_email = mentor;
	req.mentee_email = mentee;
	req.force = true;
	if (ops_pair(&o, s->pid, s->p, &req, &err) != 0)
		fx_fail("pair", &err);
	id = req.made.id;
	ops_pair_free(&req);
	return id;
}

static void
test_candidates(void **state)
{
	struct st *s = *state;
	struct match_pool pool = MATCH_POOL_INIT;
	int k;

	load(s, 0, s->f->today, &pool);
	assert_int_equal(pool.nmentors, 2);
	assert_int_equal(pool.nmentees, 3);
	/* sorted by e-mail whatever the enrollment order */
	assert_string_equal(pool.mentors[0].email, "m1@ex.org");
	assert_string_equal(pool.mentees[0].email, "e1@ex.org");
	assert_int_equal(pool.mentors[0].capacity, 1);
	assert_int_equal(pool.mentors[1].capacity, 2);   /* the programme's */
	assert_int_equal(pool.mentees[0].capacity, 1);
	assert_int_equal(pool.mentees[0].enrolled_on, s->f->today);
	assert_string_equal(pool.names[pool.mentors[0].person], "Mentor One");
	assert_null(pool.names[pool.mentees[2].person]);
	assert_string_equal(pool.people[pool.mentees[1].person].department,
	    "Sales");
	/* the chains: boss is loaded above the candidates */
	for (k = 0; k < pool.npeople; k++)
		if (strcmp(pool.emails[k], "boss@ex.org") == 0)
			break;
	assert_true(k < pool.npeople);
	assert_int_equal(pool.people[pool.mentors[0].person].manager, k);
	/* the criteria's free attribute */
	assert_int_equal(pool.people[pool.mentors[0].person].nattrs, 1);
	assert_string_equal(pool.people[pool.mentors[0].person].attrs[0].value,
	    "go;sql");
	assert_int_equal(pool.nexcl, 0);
	match_pool_free(&pool);
}

static void
test_used_places_and_filters(void **state)
{
	struct st *s = *state;
	struct match_pool pool = MATCH_POOL_INIT;
	long long id;

	id = propose(s, "m1@ex.org", "e2@ex.org", s->f->today);
	load(s, 0, s->f->today, &pool);
	assert_int_equal(pool.mentors[0].used, 1);
	assert_int_equal(match_cand_free_places(&pool.mentors[0]), 0);
	assert_int_equal(pool.mentees[1].open_pairing, id);
	assert_non_null(match_pool_excl(&pool, 1, 0));
	assert_int_equal(match_pool_excl(&pool, 1, 0)->kind, MATCH_EXCL_PAIRED);
	match_pool_free(&pool);
	/* only those with places left */
	load(s, MATCH_LOAD_UNMATCHED | MATCH_LOAD_FREE, s->f->today, &pool);
	assert_int_equal(pool.nmentors, 1);
	assert_string_equal(pool.mentors[0].email, "m2@ex.org");
	assert_int_equal(pool.nmentees, 2);
	assert_string_equal(pool.mentees[1].email, "e3@ex.org");
	match_pool_free(&pool);
	/* 11 days later the proposal has expired: a place again, a pair never */
	load(s, MATCH_LOAD_UNMATCHED | MATCH_LOAD_FREE, s->f->today + 11,
	    &pool);
	assert_int_equal(pool.nmentors, 2);
	assert_int_equal(pool.nmentees, 3);
	assert_int_equal(match_pool_excl(&pool, 1, 0)->kind,
	    MATCH_EXCL_EXPIRED);
	match_pool_free(&pool);
}

static void
test_declined_and_previous(void **state)
{
	struct st *s = *state;
	struct match_pool pool = MATCH_POOL_INIT;
	struct error err = ERROR_INIT;
	struct program *q;
	long long id, qid;
	const char *qyaml = "slug: q-2026\nname: Q\npurpose: engagement\n"
	    "format: one-to-one\nowner: P\ncontact: c@ex.org\n"
	    "matching: { consent: none }\n";

	id = propose(s, "m2@ex.org", "e3@ex.org", s->f->today);
	assert_int_equal(store_pairing_decline(s->f->db, id, s->f->today,
	    "e3@ex.org", "no", &err), 0);
	/* another programme: e1 mentored m2 once (roles reversed) */
	qid = fx_program(s->f, qyaml, &q);
	fx_enroll(s->f, qid, q, "e1@ex.org", ROLE_MENTOR, -1);
	fx_enroll(s->f, qid, q, "m2@ex.org", ROLE_MENTEE, -1);
	{
		struct ops_ctx o = { s->f->db, s->f->today, 1800000000, "t" };
		struct ops_pair req;

		memset(&req, 0, sizeof req);
		req.mentor_email = "e1@ex.org";
		req.mentee_email = "m2@ex.org";
		if (ops_pair(&o, qid, q, &req, &err) != 0)
			fx_fail("pair", &err);
		ops_pair_free(&req);
	}
	load(s, 0, s->f->today, &pool);
	assert_int_equal(match_pool_excl(&pool, 2, 1)->kind,
	    MATCH_EXCL_DECLINED);
	assert_int_equal(match_pool_excl(&pool, 2, 1)->pairing_id, id);
	/* partners whichever of them mentored */
	assert_non_null(match_pool_excl(&pool, 0, 1));
	assert_int_equal(match_pool_excl(&pool, 0, 1)->kind,
	    MATCH_EXCL_PREVIOUS);
	assert_null(match_pool_excl(&pool, 0, 0));
	match_pool_free(&pool);
	program_free(q);
}

static void
test_why_not(void **state)
{
	struct st *s = *state;
	struct error err = ERROR_INIT;

	assert_int_equal(store_match_why_not(s->f->db, s->pid, "t-2027",
	    "nobody@ex.org", ROLE_MENTEE, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "unknown person 'nobody@ex.org'");
	assert_int_equal(store_match_why_not(s->f->db, s->pid, "t-2027",
	    "boss@ex.org", ROLE_MENTEE, &err), -1);
	assert_string_equal(err.msg, "'boss@ex.org' is not enrolled in "
	    "'t-2027' as mentee");
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_candidates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_used_places_and_filters,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_declined_and_previous,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_why_not, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
