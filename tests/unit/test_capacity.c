/*
 * core/capacity.c: the requirement in words for each kind of rule, the
 * count of places grouped by requirement, mentees no mentor can fit, and
 * the circles a group programme would need.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capacity.h"
#include "core/date.h"
#include "core/match.h"
#include "core/match_pool.h"
#include "core/program.h"
#include "core/score.h"
#include "util/xmalloc.h"

static int
cand(struct match_pool *pool, bool mentor, const char *email,
    const char *dept, int level, const char *langs)
{
	struct match_cand *c;
	struct score_attr *a;
	int k = match_pool_add_person(pool);

	pool->emails[k] = match_pool_strdup(pool, email);
	pool->people[k].email = pool->emails[k];
	pool->people[k].department = match_pool_strdup(pool, dept);
	pool->people[k].has_level = level >= 0;
	pool->people[k].level = level;
	if (langs != NULL) {
		a = match_pool_attrs(pool, 1);
		a->name = "languages";
		a->value = match_pool_strdup(pool, langs);
		pool->people[k].attrs = a;
		pool->people[k].nattrs = 1;
	}
	c = match_pool_add_cand(pool, mentor);
	c->person = k;
	c->email = pool->emails[k];
	c->capacity = 1;
	return mentor ? pool->nmentors - 1 : pool->nmentees - 1;
}

static void
criterion(struct program *p, const char *attr, enum match_compare cmp,
    bool required)
{
	struct match_criterion *c;

	p->matching.criteria = xreallocarray(p->matching.criteria,
	    p->matching.ncriteria + 1, sizeof *c);
	c = &p->matching.criteria[p->matching.ncriteria++];
	memset(c, 0, sizeof *c);
	c->attribute = xstrdup(attr);
	c->compare = cmp;
	c->weight = 1;
	c->min_gap = 1;
	c->required = required;
}

static void
test_requirements(void **state)
{
	struct match_pool pool = MATCH_POOL_INIT;
	struct program *p = program_new();
	bool never;
	char *s;
	int e1, e2;

	(void)state;
	cand(&pool, true, "m@x", "Sales", 6, "en");
	e1 = cand(&pool, false, "e1@x", "R&D", 2, "de;en");
	e2 = cand(&pool, false, "e2@x", "R&D", -1, NULL);
	match_pool_finish(&pool);
	p->matching.exclude = EXCLUDE_SAME_DEPARTMENT;
	criterion(p, "level", COMPARE_MENTOR_ABOVE, true);
	criterion(p, "languages", COMPARE_OVERLAP, true);
	criterion(p, "location", COMPARE_SAME, false);   /* not required */
	p->matching.min_score = 20;
	s = match_requirement(&pool, p, DATE_NONE, e1, &never);
	assert_string_equal(s, "outside R&D, level at least 3, languages "
	    "sharing one of: de;en, scoring at least 20");
	assert_false(never);
	free(s);
	s = match_requirement(&pool, p, DATE_NONE, e2, &never);
	assert_true(never);
	assert_non_null(strstr(s, "nobody (the mentee's level is unknown)"));
	free(s);
	/* peer and reverse formats */
	p->matching.ncriteria = 0;
	p->matching.exclude = 0;
	p->matching.min_score = 0;
	p->format = FORMAT_PEER;
	p->peer.max_level_gap = 1;
	s = match_requirement(&pool, p, DATE_NONE, e1, &never);
	assert_string_equal(s, "level 1..3");
	free(s);
	p->format = FORMAT_REVERSE;
	s = match_requirement(&pool, p, DATE_NONE, e1, &never);
	assert_string_equal(s, "level below 2");
	free(s);
	p->matching.ncriteria = 3;   /* freed by program_free */
	program_free(p);
	match_pool_free(&pool);
}

static void
test_needs(void **state)
{
	struct match_pool pool = MATCH_POOL_INIT;
	struct program *p = program_new();
	struct score_table t = SCORE_TABLE_INIT;
	struct score_input in;
	struct error err = ERROR_INIT;
	struct match_needs needs;
	int un[4];

	(void)state;
	cand(&pool, true, "m1@x", "Sales", 6, NULL);
	un[0] = cand(&pool, false, "a@x", "R&D", 2, NULL);
	un[1] = cand(&pool, false, "b@x", "R&D", 2, NULL);
	un[2] = cand(&pool, false, "c@x", "Ops", 2, NULL);
	un[3] = cand(&pool, false, "d@x", "Sales", 2, NULL);
	match_pool_finish(&pool);
	p->matching.exclude = EXCLUDE_SAME_DEPARTMENT;
	match_pool_input(&pool, p, DATE_NONE, &in);
	assert_int_equal(score_build(&in, &t, &err), 0);
	match_capacity_needs(&pool, p, DATE_NONE, &t, un, 4, &needs);
	assert_int_equal(needs.unmatched, 4);
	assert_int_equal(needs.places, 4);
	assert_int_equal(needs.n, 3);
	/* the most places first, then by requirement */
	assert_string_equal(needs.v[0].requirement, "outside R&D");
	assert_int_equal(needs.v[0].places, 2);
	assert_int_equal(needs.v[0].mentors_fit, 1);
	assert_int_equal(needs.v[0].new_mentor, 0);
	assert_string_equal(needs.v[2].requirement, "outside Sales");
	assert_int_equal(needs.v[2].new_mentor, 1);   /* the Sales mentor won't do */
	assert_int_equal(needs.new_circles, 0);
	assert_null(needs.group_limit);
	match_needs_free(&needs);
	/* a group programme: circles, and departments that cannot fill one */
	p->format = FORMAT_GROUP;
	p->group.department_diversity = true;
	p->group.max_per_department = 1;
	p->mentor.capacity = 4;
	p->matching.exclude = 0;
	match_capacity_needs(&pool, p, DATE_NONE, &t, un, 4, &needs);
	assert_int_equal(needs.new_circles, 2);      /* two R&D, one per circle */
	assert_string_equal(needs.group_limit, "the mentees span 3 departments; "
	    "circles of 4 cannot be filled (at most 1 per department: 3 per "
	    "circle)");
	match_needs_free(&needs);
	score_table_free(&t);
	program_free(p);
	match_pool_free(&pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requirements),
		cmocka_unit_test(test_needs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
