#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "core/score.h"
#include "util/xmalloc.h"

#define MAXP 200

/* A tiny world: people, who mentors, who is mentored. */
struct world {
	struct program *prog;
	struct score_person people[MAXP];
	struct score_attr attrs[MAXP][4];
	int np;
	int mentors[MAXP], nm;
	int mentees[MAXP], ne;
	struct score_pair pairs[16];
	size_t npairs;
	int since[MAXP];
	bool has_since;
	struct score_pair partners[16];
	size_t npartners;
	struct score_pref prefs[16];
	size_t nprefs;
	struct score_bonus bonus[16];
	size_t nbonus;
	struct score_table t;
};

static int
world_setup(void **state)
{
	struct world *w = xcalloc(1, sizeof *w);

	w->prog = program_new();
	*state = w;
	return 0;
}

static int
world_teardown(void **state)
{
	struct world *w = *state;

	score_table_free(&w->t);
	program_free(w->prog);
	free(w);
	return 0;
}

static int
person(struct world *w, const char *dept, int level)
{
	struct score_person *p = &w->people[w->np];

	memset(p, 0, sizeof *p);
	p->department = dept;
	p->has_level = level != INT32_MIN;
	p->level = level != INT32_MIN ? level : 0;
	p->hired_on = DATE_NONE;
	p->manager = -1;
	p->attrs = w->attrs[w->np];
	return w->np++;
}

static void
attr(struct world *w, int who, const char *name, const char *value)
{
	struct score_person *p = &w->people[who];

	w->attrs[who][p->nattrs].name = name;
	w->attrs[who][p->nattrs].value = value;
	p->nattrs++;
}

static void
criterion(struct world *w, const char *a, const char *ma,
    enum match_compare cmp, double weight)
{
	struct program_matching *m = &w->prog->matching;
	struct match_criterion *c;

	m->criteria = xreallocarray(m->criteria, m->ncriteria + 1,
	    sizeof *m->criteria);
	c = &m->criteria[m->ncriteria++];
	memset(c, 0, sizeof *c);
	c->attribute = xstrdup(a);
	c->mentee_attribute = ma ? xstrdup(ma) : NULL;
	c->compare = cmp;
	c->weight = weight;
	c->min_gap = 1;
	c->scale = 1;
}

static struct match_criterion *
last(struct world *w)
{
	return &w->prog->matching.criteria[w->prog->matching.ncriteria - 1];
}

static void
build(struct world *w)
{
	struct score_input in;
	struct error err = ERROR_INIT;

	score_table_free(&w->t);
	memset(&in, 0, sizeof in);
	in.program = w->prog;
	in.people = w->people;
	in.npeople = w->np;
	in.mentors = w->mentors;
	in.nmentors = w->nm;
	in.mentees = w->mentees;
	in.nmentees = w->ne;
	in.excluded = w->pairs;
	in.nexcluded = w->npairs;
	in.day = date_from_ymd(2027, 7, 15);
	in.mentee_since = w->has_since ? w->since : NULL;
	in.partners = w->partners;
	in.npartners = w->npartners;
	in.prefs = w->prefs;
	in.nprefs = w->nprefs;
	in.bonus = w->bonus;
	in.nbonus = w->nbonus;
	assert_int_equal(score_build(&in, &w->t, &err), 0);
}

static int
sc(struct world *w, int mentee, int mentor)
{
	struct score_detail d;
	int v = w->t.score[(size_t)mentee * w->t.nmentors + mentor];

	/* the breakdown always agrees with the matrix */
	score_explain(&w->t, mentee, mentor, NULL, &d);
	if (d.verdict == SCORE_ALLOWED)
		assert_int_equal(d.score, v);
	else
		assert_int_equal(v, MATCH_EXCLUDED);
	return v;
}

static enum score_verdict
verdict(struct world *w, int mentee, int mentor)
{
	struct score_detail d;

	return score_explain(&w->t, mentee, mentor, NULL, &d);
}

/* One mentor, n mentees. */
static void
one_mentor(struct world *w, int mentor, const int *mentees, int n)
{
	int i;

	w->nm = 1;
	w->mentors[0] = mentor;
	w->ne = n;
	for (i = 0; i < n; i++)
		w->mentees[i] = mentees[i];
}

static void
test_overlap(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), e1 = person(w, "Ops", 2),
	    e2 = person(w, "Ops", 2), e3 = person(w, "Ops", 2);
	int es[3] = { e1, e2, e3 };
	double c[1];
	struct score_detail d;

	attr(w, m, "Skills", "C; Python ; go;;");
	attr(w, e1, "wants", "python;GO;rust;java");
	attr(w, e2, "wants", " ");
	attr(w, e3, "wants", "cobol");
	criterion(w, "skills", "Wants", COMPARE_OVERLAP, 5);
	one_mentor(w, m, es, 3);
	build(w);
	/* {c,python,go} and {python,go,rust,java}: 2 / min(3, 4) */
	assert_int_equal(sc(w, 0, 0), 6667);
	assert_int_equal(sc(w, 1, 0), 0);
	assert_int_equal(sc(w, 2, 0), 0);
	score_explain(&w->t, 0, 0, c, &d);
	assert_true(fabs(c[0] - 2.0 / 3) < 1e-12);
	assert_int_equal(d.criterion, -1);
}

static void
test_overlap_large_vocabulary(void **state)
{
	struct world *w = *state;
	static char vals[100][48];
	int i, m;

	/* more than 64 distinct values: the sorted-set path */
	m = person(w, NULL, 1);
	attr(w, m, "skills", "v1;v2;v3;v4");
	w->nm = 1;
	w->mentors[0] = m;
	for (i = 0; i < 80; i++) {
		snprintf(vals[i], sizeof vals[i], "v%d;w%d;x%d", i, i, i);
		w->mentees[w->ne++] = person(w, NULL, 1);
		attr(w, w->mentees[w->ne - 1], "skills", vals[i]);
	}
	criterion(w, "skills", NULL, COMPARE_OVERLAP, 1);
	build(w);
	assert_int_equal(sc(w, 0, 0), 0);
	for (i = 1; i <= 4; i++)
		assert_int_equal(sc(w, i, 0), 3333);   /* 1 / min(4, 3) */
	assert_int_equal(sc(w, 5, 0), 0);
}

static void
test_same_different(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), e1 = person(w, " eng ", 2),
	    e2 = person(w, "Sales", 2), e3 = person(w, NULL, 2);
	int es[3] = { e1, e2, e3 };

	attr(w, m, "city", "Lyon");
	attr(w, e1, "CITY", "lyon");
	criterion(w, "department", NULL, COMPARE_SAME, 1);
	criterion(w, "city", NULL, COMPARE_DIFFERENT, 1);
	one_mentor(w, m, es, 3);
	build(w);
	/* same dept (1), same city (different: 0) */
	assert_int_equal(sc(w, 0, 0), 5000);
	/* other dept (0), city missing (0) */
	assert_int_equal(sc(w, 1, 0), 0);
	/* dept missing: neither same nor different */
	assert_int_equal(sc(w, 2, 0), 0);
	/* different on dept */
	free(last(w)->attribute);
	last(w)->attribute = xstrdup("department");
	build(w);
	assert_int_equal(sc(w, 0, 0), 5000);
	assert_int_equal(sc(w, 1, 0), 5000);
	assert_int_equal(sc(w, 2, 0), 0);
}

static void
test_within_hours(void **state)
{
	struct world *w = *state;
	int m = person(w, NULL, 1), e1 = person(w, NULL, 1),
	    e2 = person(w, NULL, 1), e3 = person(w, NULL, 1),
	    e4 = person(w, NULL, 1);
	int es[4] = { e1, e2, e3, e4 };

	w->people[m].timezone = "Europe/Paris";      /* +2 in July */
	w->people[e1].timezone = "UTC+5";            /* 3 h away */
	w->people[e2].timezone = "America/New_York"; /* -4: 6 h away */
	w->people[e3].timezone = "Mars/Olympus";
	criterion(w, "timezone", NULL, COMPARE_WITHIN_HOURS, 1);
	last(w)->hours = 3;
	one_mentor(w, m, es, 4);
	build(w);
	assert_int_equal(sc(w, 0, 0), 10000);
	assert_int_equal(sc(w, 1, 0), 0);
	assert_int_equal(sc(w, 2, 0), 0);     /* unknown zone */
	assert_int_equal(sc(w, 3, 0), 0);     /* missing */
	last(w)->hours = 6;
	build(w);
	assert_int_equal(sc(w, 1, 0), 10000);
}

static void
test_numeric(void **state)
{
	struct world *w = *state;
	int m = person(w, NULL, 5), e1 = person(w, NULL, 3),
	    e2 = person(w, NULL, 4), e3 = person(w, NULL, 7),
	    e4 = person(w, NULL, INT32_MIN);
	int es[4] = { e1, e2, e3, e4 };

	one_mentor(w, m, es, 4);
	criterion(w, "level", NULL, COMPARE_MENTOR_ABOVE, 1);
	last(w)->min_gap = 2;
	build(w);
	assert_int_equal(sc(w, 0, 0), 10000);   /* 5 - 3 >= 2 */
	assert_int_equal(sc(w, 1, 0), 0);       /* 5 - 4 < 2 */
	assert_int_equal(sc(w, 2, 0), 0);
	assert_int_equal(sc(w, 3, 0), 0);       /* no level */

	last(w)->compare = COMPARE_MENTEE_ABOVE;
	build(w);
	assert_int_equal(sc(w, 0, 0), 0);
	assert_int_equal(sc(w, 2, 0), 10000);   /* 7 - 5 >= 2 */

	last(w)->compare = COMPARE_WITHIN;
	last(w)->max_gap = 1;
	build(w);
	assert_int_equal(sc(w, 0, 0), 0);
	assert_int_equal(sc(w, 1, 0), 10000);
	assert_int_equal(sc(w, 2, 0), 0);
	assert_int_equal(sc(w, 3, 0), 0);

	last(w)->compare = COMPARE_CLOSE;
	last(w)->scale = 4;
	build(w);
	assert_int_equal(sc(w, 0, 0), 5000);    /* 1 - 2/4 */
	assert_int_equal(sc(w, 1, 0), 7500);
	assert_int_equal(sc(w, 2, 0), 5000);
	assert_int_equal(sc(w, 3, 0), 0);
	last(w)->scale = 1;
	build(w);
	assert_int_equal(sc(w, 0, 0), 0);       /* floored at 0 */
}

static void
test_free_numbers_and_tenure(void **state)
{
	struct world *w = *state;
	int m = person(w, NULL, 1), e1 = person(w, NULL, 1),
	    e2 = person(w, NULL, 1);
	int es[2] = { e1, e2 };

	attr(w, m, "years", " 7.5 ");
	attr(w, e1, "years", "2");
	attr(w, e2, "years", "many");
	w->people[m].hired_on = date_from_ymd(2017, 7, 15);   /* 10 years */
	w->people[e1].hired_on = date_from_ymd(2025, 7, 15);  /* 2 years */
	w->people[e2].hired_on = date_from_ymd(2019, 7, 15);  /* 8 years */
	one_mentor(w, m, es, 2);
	criterion(w, "years", NULL, COMPARE_MENTOR_ABOVE, 1);
	last(w)->min_gap = 5;
	criterion(w, "tenure", NULL, COMPARE_MENTOR_ABOVE, 3);
	last(w)->min_gap = 3;
	build(w);
	assert_int_equal(sc(w, 0, 0), 10000);
	assert_int_equal(sc(w, 1, 0), 0);       /* "many", 2 years apart */
	free(last(w)->attribute);
	last(w)->attribute = xstrdup("Hired_On");
	last(w)->min_gap = 2;
	build(w);
	assert_int_equal(sc(w, 1, 0), 7500);    /* tenure only: 3 / 4 */
}

static void
test_weights_min_score_required(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), e1 = person(w, "Ops", 3),
	    e2 = person(w, "Eng", 3), e3 = person(w, "Ops", 5);
	int es[3] = { e1, e2, e3 };
	struct score_detail d;
	double c[3];

	attr(w, m, "skills", "a;b");
	attr(w, e1, "skills", "a;c");
	attr(w, e2, "skills", "a;b");
	attr(w, e3, "skills", "z");
	one_mentor(w, m, es, 3);
	criterion(w, "skills", NULL, COMPARE_OVERLAP, 5);
	criterion(w, "department", NULL, COMPARE_DIFFERENT, 2);
	criterion(w, "level", NULL, COMPARE_MENTOR_ABOVE, 3);
	build(w);
	/* (5 * 0.5 + 2 * 1 + 3 * 1) / 10 */
	assert_int_equal(sc(w, 0, 0), 7500);
	/* (5 + 0 + 3) / 10 */
	assert_int_equal(sc(w, 1, 0), 8000);
	/* (0 + 2 + 0) / 10 */
	assert_int_equal(sc(w, 2, 0), 2000);
	score_explain(&w->t, 0, 0, c, &d);
	assert_true(c[0] == 0.5 && c[1] == 1 && c[2] == 1);

	w->prog->matching.min_score = 20;
	build(w);
	assert_int_equal(sc(w, 2, 0), 2000);    /* 20 is not below 20 */
	w->prog->matching.min_score = 20.01;
	build(w);
	assert_int_equal(sc(w, 2, 0), MATCH_EXCLUDED);
	assert_int_equal(verdict(w, 2, 0), SCORE_BELOW_MIN);
	w->prog->matching.min_score = 0;

	w->prog->matching.criteria[1].required = true;
	build(w);
	assert_int_equal(sc(w, 1, 0), MATCH_EXCLUDED);
	score_explain(&w->t, 1, 0, NULL, &d);
	assert_int_equal(d.verdict, SCORE_REQUIRED);
	assert_int_equal(d.criterion, 1);
	assert_int_equal(d.score, 8000);
	assert_int_equal(sc(w, 0, 0), 7500);
}

static void
test_rounding_and_no_criteria(void **state)
{
	struct world *w = *state;
	int m = person(w, NULL, 5), e1 = person(w, NULL, 3);

	one_mentor(w, m, &e1, 1);
	build(w);
	assert_int_equal(sc(w, 0, 0), 10000);
	/* 1/3 of 100 is 33.33; 2/3 is 66.67 (half up) */
	criterion(w, "level", NULL, COMPARE_MENTOR_ABOVE, 1);
	criterion(w, "level", NULL, COMPARE_MENTEE_ABOVE, 2);
	build(w);
	assert_int_equal(sc(w, 0, 0), 3333);
	w->prog->matching.criteria[0].weight = 2;
	w->prog->matching.criteria[1].weight = 1;
	build(w);
	assert_int_equal(sc(w, 0, 0), 6667);
	/* 1/8 = 12.5 points exactly = 1250; 1/16 = 625; 1/32 = 312.5 -> 313 */
	w->prog->matching.criteria[0].weight = 1;
	w->prog->matching.criteria[1].weight = 31;
	build(w);
	assert_int_equal(sc(w, 0, 0), 313);
}

static void
test_exclusions(void **state)
{
	struct world *w = *state;
	/* a 4-level chain a <- b <- c <- d, a sibling s of b, and x apart */
	int a = person(w, "Eng", 9), b = person(w, "Eng", 7),
	    c = person(w, "Ops", 5), d = person(w, "Ops", 3),
	    s = person(w, "Ops", 7), x = person(w, "Sales", 1);
	int i, j;

	w->people[b].manager = a;
	w->people[c].manager = b;
	w->people[d].manager = c;
	w->people[s].manager = a;
	for (i = 0; i < 6; i++) {
		w->mentors[w->nm++] = i;
		w->mentees[w->ne++] = i;
	}
	build(w);
	for (i = 0; i < 6; i++)
		for (j = 0; j < 6; j++)
			assert_int_equal(sc(w, i, j), i == j ?
			    MATCH_EXCLUDED : 10000);
	assert_int_equal(verdict(w, 2, 2), SCORE_SAME_PERSON);

	w->prog->matching.exclude = EXCLUDE_SAME_MANAGER_LINE;
	build(w);
	/* mentor above mentee, two and three levels up */
	assert_int_equal(verdict(w, d, a), SCORE_MANAGER_LINE);
	assert_int_equal(verdict(w, d, b), SCORE_MANAGER_LINE);
	assert_int_equal(verdict(w, c, b), SCORE_MANAGER_LINE);
	/* mentee above mentor */
	assert_int_equal(verdict(w, a, d), SCORE_MANAGER_LINE);
	assert_int_equal(verdict(w, b, c), SCORE_MANAGER_LINE);
	/* siblings, cousins and strangers are fine */
	assert_int_equal(sc(w, s, b), 10000);
	assert_int_equal(sc(w, c, s), 10000);
	assert_int_equal(sc(w, d, s), 10000);
	assert_int_equal(sc(w, x, a), 10000);
	assert_int_equal(sc(w, a, x), 10000);

	w->prog->matching.exclude |= EXCLUDE_SAME_DEPARTMENT;
	build(w);
	assert_int_equal(verdict(w, s, c), SCORE_SAME_DEPARTMENT);
	assert_int_equal(verdict(w, d, s), SCORE_SAME_DEPARTMENT);
	assert_int_equal(verdict(w, d, c), SCORE_MANAGER_LINE);
	assert_int_equal(sc(w, x, c), 10000);

	w->pairs[0] = (struct score_pair){ x, c };
	w->pairs[1] = (struct score_pair){ a, x };
	w->npairs = 2;
	build(w);
	assert_int_equal(verdict(w, x, c), SCORE_EXCLUDED_PAIR);
	assert_int_equal(sc(w, x, c), MATCH_EXCLUDED);
	assert_int_equal(sc(w, a, x), MATCH_EXCLUDED);
	assert_int_equal(sc(w, x, a), 10000);
}

static void
test_manager_cycle(void **state)
{
	struct world *w = *state;
	int a = person(w, NULL, 1), b = person(w, NULL, 1),
	    c = person(w, NULL, 1), d = person(w, NULL, 1);

	/* bad data: a -> b -> c -> a, d -> d, and d's report is fine */
	w->people[a].manager = b;
	w->people[b].manager = c;
	w->people[c].manager = a;
	w->people[d].manager = d;
	w->prog->matching.exclude = EXCLUDE_SAME_MANAGER_LINE;
	w->mentors[w->nm++] = a;
	w->mentors[w->nm++] = d;
	w->mentees[w->ne++] = b;
	w->mentees[w->ne++] = c;
	build(w);       /* terminates; the cut keeps most of the chain */
	assert_int_equal(sc(w, 1, 1), 10000);
}

static void
test_formats(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), e1 = person(w, "Eng", 4),
	    e2 = person(w, "Eng", 7), e3 = person(w, "Eng", INT32_MIN),
	    e4 = person(w, "Eng", 5);
	int es[4] = { e1, e2, e3, e4 };

	one_mentor(w, m, es, 4);
	w->prog->format = FORMAT_PEER;
	w->prog->peer.max_level_gap = 1;
	build(w);
	assert_int_equal(sc(w, 0, 0), 10000);
	assert_int_equal(verdict(w, 1, 0), SCORE_FORMAT_RULE);
	assert_int_equal(verdict(w, 2, 0), SCORE_FORMAT_RULE);
	assert_int_equal(sc(w, 3, 0), 10000);
	w->prog->peer.max_level_gap = 2;
	build(w);
	assert_int_equal(sc(w, 1, 0), 10000);

	w->prog->format = FORMAT_REVERSE;
	build(w);
	assert_int_equal(verdict(w, 0, 0), SCORE_FORMAT_RULE);
	assert_int_equal(sc(w, 1, 0), 10000);    /* mentor 5 below mentee 7 */
	assert_int_equal(verdict(w, 2, 0), SCORE_FORMAT_RULE);
	assert_int_equal(verdict(w, 3, 0), SCORE_FORMAT_RULE);

	w->prog->format = FORMAT_ONE_TO_ONE;
	build(w);
	assert_null(w->t.mentee_class);
	assert_int_equal(sc(w, 1, 0), 10000);
}

static void
test_group_classes(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), e1 = person(w, "Eng", 4),
	    e2 = person(w, " ENG", 7), e3 = person(w, NULL, 1),
	    e4 = person(w, "Ops", 5);
	int es[4] = { e1, e2, e3, e4 };

	one_mentor(w, m, es, 4);
	w->prog->format = FORMAT_GROUP;
	w->prog->group.department_diversity = true;
	w->prog->group.max_per_department = 2;
	build(w);
	assert_non_null(w->t.mentee_class);
	assert_int_equal(w->t.max_per_class, 2);
	assert_int_equal(w->t.mentee_class[0], w->t.mentee_class[1]);
	assert_true(w->t.mentee_class[0] >= 0);
	assert_int_equal(w->t.mentee_class[2], -1);
	assert_true(w->t.mentee_class[3] >= 0);
	assert_true(w->t.mentee_class[3] != w->t.mentee_class[0]);
	w->prog->group.department_diversity = false;
	build(w);
	assert_null(w->t.mentee_class);
}

static void
test_bad_index(void **state)
{
	struct world *w = *state;
	struct score_input in;
	struct error err = ERROR_INIT;
	int bad = 3;

	person(w, NULL, 1);
	memset(&in, 0, sizeof in);
	in.program = w->prog;
	in.people = w->people;
	in.npeople = 1;
	in.mentors = &bad;
	in.nmentors = 1;
	assert_int_equal(score_build(&in, &w->t, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	error_clear(&err);
	assert_string_equal(score_verdict_name(SCORE_MANAGER_LINE),
	    "same manager line");
}

/* The matrix and the breakdown agree on a larger, mixed population. */
static void
test_matrix_matches_explain(void **state)
{
	struct world *w = *state;
	static const char *skills[] = { "a;b", "b;c;d", "", "d", "a;e;f" };
	static const char *depts[] = { "Eng", "Ops", NULL, "Sales" };
	static const char *zones[] = { "UTC", "Europe/Paris", "+05:30", "?",
		"America/New_York" };
	int i, j;

	for (i = 0; i < 150; i++) {
		int p = person(w, depts[i % 4], i % 7 == 0 ? INT32_MIN :
		    i % 9);

		attr(w, p, "skills", skills[i % 5]);
		w->people[p].timezone = zones[(i / 3) % 5];
		w->people[p].manager = i > 10 ? i / 3 : -1;
		if (i % 3 == 0)
			w->mentors[w->nm++] = p;
		else
			w->mentees[w->ne++] = p;
	}
	w->mentors[w->nm++] = w->mentees[5];   /* someone on both sides */
	criterion(w, "skills", NULL, COMPARE_OVERLAP, 5);
	criterion(w, "department", NULL, COMPARE_DIFFERENT, 2);
	criterion(w, "timezone", NULL, COMPARE_WITHIN_HOURS, 2);
	last(w)->hours = 3;
	criterion(w, "level", NULL, COMPARE_MENTOR_ABOVE, 3);
	criterion(w, "level", NULL, COMPARE_CLOSE, 1);
	last(w)->scale = 3;
	w->prog->matching.min_score = 20;
	w->prog->matching.exclude = EXCLUDE_SAME_MANAGER_LINE;
	build(w);
	for (i = 0; i < w->ne; i++)
		for (j = 0; j < w->nm; j++)
			(void)sc(w, i, j);
	assert_int_equal(verdict(w, 5, w->nm - 1), SCORE_SAME_PERSON);
}


/* compare gap: points by level gap, mentor minus mentee; others 0 */
static void
test_gap(void **state)
{
	struct world *w = *state;
	int m = person(w, NULL, 5), es[5];
	static struct match_gap_points pts[] = { { 2, 12 }, { 1, 9 } };
	double c[1];
	struct score_detail d;

	es[0] = person(w, NULL, 4);
	es[1] = person(w, NULL, 3);
	es[2] = person(w, NULL, 2);
	es[3] = person(w, NULL, 7);
	es[4] = person(w, NULL, INT32_MIN);
	criterion(w, "level", NULL, COMPARE_GAP, 3);
	last(w)->points = xmalloc(sizeof pts);
	memcpy(last(w)->points, pts, sizeof pts);   /* unsorted on purpose */
	last(w)->npoints = 2;
	one_mentor(w, m, es, 5);
	build(w);
	assert_int_equal(sc(w, 0, 0), 7500);    /* gap 1: 9 of 12 */
	assert_int_equal(sc(w, 1, 0), 10000);   /* gap 2 */
	assert_int_equal(sc(w, 2, 0), 0);       /* gap 3: not in the table */
	assert_int_equal(sc(w, 3, 0), 0);       /* gap -2 */
	assert_int_equal(sc(w, 4, 0), 0);       /* unknown level */
	score_explain(&w->t, 0, 0, c, &d);
	assert_true(fabs(c[0] - 0.75) < 1e-12);
	/* "never more than 2": required */
	last(w)->required = true;
	build(w);
	assert_int_equal(sc(w, 1, 0), 10000);
	assert_int_equal(verdict(w, 2, 0), SCORE_REQUIRED);
	assert_int_equal(verdict(w, 3, 0), SCORE_REQUIRED);
}

/* compare not_in: either side's list names the other; no weight */
static void
test_not_in(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), es[3], k;
	struct score_detail d;

	for (k = 0; k < 3; k++)
		es[k] = person(w, "Ops", 2);
	w->people[m].email = "mentor@x.org";
	w->people[es[0]].email = "E1@X.org";
	w->people[es[1]].email = "e2@x.org";
	w->people[es[2]].email = "e3@x.org";
	attr(w, m, "conflicts", "someone@x.org; e1@x.org");
	attr(w, es[1], "conflicts", "MENTOR@x.org");
	attr(w, es[2], "conflicts", "");
	criterion(w, "department", NULL, COMPARE_DIFFERENT, 2);
	criterion(w, "conflicts", NULL, COMPARE_NOT_IN, 0);
	one_mentor(w, m, es, 3);
	build(w);
	assert_int_equal(score_explain(&w->t, 0, 0, NULL, &d), SCORE_NOT_IN);
	assert_int_equal(d.criterion, 1);
	assert_int_equal(d.not_in_side, ROLE_MENTOR);
	assert_int_equal(score_explain(&w->t, 1, 0, NULL, &d), SCORE_NOT_IN);
	assert_int_equal(d.not_in_side, ROLE_MENTEE);
	assert_int_equal(sc(w, 0, 0), MATCH_EXCLUDED);
	assert_int_equal(sc(w, 1, 0), MATCH_EXCLUDED);
	/* a missing list excludes nothing; not_in weighs nothing */
	assert_int_equal(sc(w, 2, 0), 10000);
}

/* every standard field: e-mail, name and manager's address too */
static void
test_standard_fields(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), es[2];

	es[0] = person(w, "Ops", 2);
	es[1] = person(w, "Ops", 2);
	w->people[m].manager_email = "Boss@x.org";
	w->people[es[0]].manager_email = "boss@x.org";
	w->people[es[1]].manager_email = "other@x.org";
	w->people[m].name = "Ana Lima";
	w->people[es[0]].name = "ana lima";
	w->people[es[1]].name = "Bo";
	criterion(w, "manager_email", NULL, COMPARE_SAME, 1);
	criterion(w, "name", NULL, COMPARE_DIFFERENT, 1);
	one_mentor(w, m, es, 2);
	build(w);
	assert_int_equal(sc(w, 0, 0), 5000);    /* same manager, same name */
	assert_int_equal(sc(w, 1, 0), 5000);    /* other manager, other name */
}

/* waited: days since enrollment up to `days`; previous partners */
static void
test_waited_and_partners(void **state)
{
	struct world *w = *state;
	int m1 = person(w, NULL, 5), m2 = person(w, NULL, 5), e1, e2, e3;
	int day = date_from_ymd(2027, 7, 15);

	e1 = person(w, NULL, 1);
	e2 = person(w, NULL, 1);
	e3 = person(w, NULL, 1);
	w->nm = 2;
	w->mentors[0] = m1;
	w->mentors[1] = m2;
	w->ne = 3;
	w->mentees[0] = e1;
	w->mentees[1] = e2;
	w->mentees[2] = e3;
	w->has_since = true;
	w->since[0] = day - 30;
	w->since[1] = day - 120;
	w->since[2] = DATE_NONE;
	criterion(w, "", NULL, COMPARE_WAITED, 1);
	last(w)->days = 90;
	criterion(w, "", NULL, COMPARE_PREVIOUS_PARTNER, 1);
	w->partners[0] = (struct score_pair){ 2, 1 };
	w->npartners = 1;
	build(w);
	assert_int_equal(sc(w, 0, 0), 1667);    /* 30 of 90 days, halved */
	assert_int_equal(sc(w, 0, 1), 1667);
	assert_int_equal(sc(w, 1, 0), 5000);    /* waited long enough */
	assert_int_equal(sc(w, 2, 0), 0);
	assert_int_equal(sc(w, 2, 1), 5000);    /* partners before */
}

/* preference: (mentee's view + mentor's view) / 2 when both are given */
static void
test_preference(void **state)
{
	struct world *w = *state;
	int m1 = person(w, NULL, 5), m2 = person(w, NULL, 5);
	int e1 = person(w, NULL, 1), e2 = person(w, NULL, 1);

	w->nm = 2;
	w->mentors[0] = m1;
	w->mentors[1] = m2;
	w->ne = 2;
	w->mentees[0] = e1;
	w->mentees[1] = e2;
	criterion(w, "", NULL, COMPARE_PREFERENCE, 1);
	w->prefs[0] = (struct score_pref){ 0, 0, 1.0, false };
	w->prefs[1] = (struct score_pref){ 0, 1, 0.5, true };
	w->prefs[2] = (struct score_pref){ 1, 0, -1, true };
	w->nprefs = 3;
	build(w);
	assert_int_equal(sc(w, 0, 0), 5000);
	assert_int_equal(sc(w, 0, 1), 7500);
	assert_int_equal(sc(w, 1, 0), 5000);
	assert_int_equal(sc(w, 1, 1), 0);
	/* only mentees said something: their view alone */
	w->prefs[1].mentor_prefers = false;
	w->prefs[2].mentor_prefers = false;
	build(w);
	assert_int_equal(sc(w, 0, 0), 10000);
	assert_int_equal(sc(w, 0, 1), 5000);
	/* required: only pairs someone spoke for */
	last(w)->required = true;
	build(w);
	assert_int_equal(verdict(w, 1, 1), SCORE_REQUIRED);
}

/* the coordinator's bonus: added, kept within 0..100, before min_score */
static void
test_bonus(void **state)
{
	struct world *w = *state;
	int m = person(w, "Eng", 5), es[3], k;
	struct score_detail d;

	for (k = 0; k < 3; k++)
		es[k] = person(w, k == 2 ? "Eng" : "Ops", 2);
	criterion(w, "department", NULL, COMPARE_DIFFERENT, 1);
	criterion(w, "level", NULL, COMPARE_MENTOR_ABOVE, 1);
	w->prog->matching.min_score = 55;
	one_mentor(w, m, es, 3);
	w->bonus[0] = (struct score_bonus){ 1, 0, -2500 };
	w->bonus[1] = (struct score_bonus){ 2, 0, 1000 };
	w->nbonus = 2;
	build(w);
	assert_int_equal(sc(w, 0, 0), 10000);
	assert_int_equal(sc(w, 1, 0), 7500);                   /* 100 - 25 */
	score_explain(&w->t, 1, 0, NULL, &d);
	assert_int_equal(d.score, 7500);
	assert_int_equal(d.bonus, -2500);
	w->prog->matching.min_score = 80;
	build(w);
	assert_int_equal(verdict(w, 1, 0), SCORE_BELOW_MIN);
	assert_int_equal(verdict(w, 2, 0), SCORE_BELOW_MIN);   /* 50 + 10 */
	w->bonus[1].centi = 5000;                               /* 50 + 50 */
	build(w);
	assert_int_equal(sc(w, 2, 0), 10000);
	w->bonus[1].centi = 9000;                               /* kept at 100 */
	build(w);
	score_explain(&w->t, 2, 0, NULL, &d);
	assert_int_equal(d.score, 10000);
	assert_int_equal(d.bonus, 5000);
}

#define T(f) cmocka_unit_test_setup_teardown(f, world_setup, world_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_overlap),
		T(test_overlap_large_vocabulary),
		T(test_same_different),
		T(test_within_hours),
		T(test_numeric),
		T(test_free_numbers_and_tenure),
		T(test_weights_min_score_required),
		T(test_rounding_and_no_criteria),
		T(test_exclusions),
		T(test_manager_cycle),
		T(test_formats),
		T(test_group_classes),
		T(test_bad_index),
		T(test_matrix_matches_explain),
		T(test_gap),
		T(test_not_in),
		T(test_standard_fields),
		T(test_waited_and_partners),
		T(test_preference),
		T(test_bonus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
