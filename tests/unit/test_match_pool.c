#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/match.h"
#include "core/match_plan.h"
#include "core/match_pool.h"
#include "core/program.h"
#include "core/score.h"
#include "util/xmalloc.h"

/* A pool of people by department, built as the store builds one. */
static void
add_cand(struct match_pool *pool, bool mentor, const char *email,
    const char *dept, int capacity, int used)
{
	struct match_cand *c;
	int k = match_pool_add_person(pool);

	pool->emails[k] = match_pool_strdup(pool, email);
	pool->people[k].department = match_pool_strdup(pool, dept);
	c = match_pool_add_cand(pool, mentor);
	c->person = k;
	c->person_id = k + 1;
	c->enrollment_id = 100 + k;
	c->email = pool->emails[k];
	c->capacity = capacity;
	c->used = used;
	c->status = ENROLLMENT_ELIGIBLE;
}

static void
test_pool_excl_sorted_and_found(void **state)
{
	struct match_pool pool = MATCH_POOL_INIT;
	const struct match_excl *x;

	(void)state;
	add_cand(&pool, true, "m1@x", "A", 1, 0);
	add_cand(&pool, true, "m2@x", "B", 1, 0);
	add_cand(&pool, false, "e1@x", "C", 1, 0);
	add_cand(&pool, false, "e2@x", "D", 1, 0);
	match_pool_add_excl(&pool, 1, 1, MATCH_EXCL_PREVIOUS, 9);
	match_pool_add_excl(&pool, 1, 1, MATCH_EXCL_DECLINED, 4);
	match_pool_add_excl(&pool, 0, 1, MATCH_EXCL_EXPIRED, 3);
	match_pool_add_excl(&pool, 5, 0, MATCH_EXCL_EXPIRED, 3);  /* ignored */
	match_pool_finish(&pool);
	assert_int_equal(pool.nexcl, 3);
	assert_int_equal(pool.npairs, 2);   /* (1,1) once */
	x = match_pool_excl(&pool, 1, 1);
	assert_non_null(x);
	assert_int_equal(x->kind, MATCH_EXCL_DECLINED);
	assert_null(match_pool_excl(&pool, 0, 0));
	assert_non_null(match_pool_excl(&pool, 0, 1));
	assert_int_equal(pool.mentor_people[1], 1);
	assert_int_equal(pool.mentee_people[0], 2);
	match_pool_free(&pool);
	match_pool_free(&pool);   /* twice is harmless */
}

static void
test_rule_text(void **state)
{
	struct match_pool pool = MATCH_POOL_INIT;
	struct program *p = program_new();
	struct score_detail d = { SCORE_EXCLUDED_PAIR, -1, 0, 0, 0 };
	char *s;

	(void)state;
	add_cand(&pool, true, "m1@x", "A", 1, 0);
	add_cand(&pool, false, "e1@x", "C", 1, 0);
	match_pool_add_excl(&pool, 0, 0, MATCH_EXCL_DECLINED, 4);
	match_pool_add_excl(&pool, 0, 0, MATCH_EXCL_DECLINED, 7);
	match_pool_add_excl(&pool, 0, 0, MATCH_EXCL_PREVIOUS, 2);
	match_pool_finish(&pool);
	s = match_rule_text(&pool, p, NULL, &d, 0, 0);
	assert_string_equal(s, "declined before (pairing 7); previous partners "
	    "(pairing 2)");
	free(s);
	p->matching.min_score = 20;
	d.verdict = SCORE_BELOW_MIN;
	d.score = 1250;
	s = match_rule_text(&pool, p, NULL, &d, 0, 0);
	assert_string_equal(s, "below min_score 20 (score 12.50)");
	free(s);
	d.verdict = SCORE_ALLOWED;
	s = match_rule_text(&pool, p, NULL, &d, 0, 0);
	assert_string_equal(s, "allowed");
	free(s);
	program_free(p);
	match_pool_free(&pool);
}

static void
test_numbers(void **state)
{
	char buf[MATCH_POINTS_BUFSZ];

	(void)state;
	assert_string_equal(match_centi_str(7325, buf), "73.25");
	assert_string_equal(match_centi_str(5, buf), "0.05");
	assert_string_equal(match_centi_str(0, buf), "0.00");
	assert_string_equal(match_centi_str(-150, buf), "-1.50");
	assert_string_equal(match_centi_str(1000000, buf), "10000.00");
	assert_string_equal(match_points_str(16.666666, buf), "16.67");
	assert_string_equal(match_points_str(0.005, buf), "0.01");
}

static void
test_labels(void **state)
{
	struct program *p = program_new();
	char **l;

	(void)state;
	p->matching.ncriteria = 3;
	p->matching.criteria = xcalloc(3, sizeof *p->matching.criteria);
	p->matching.criteria[0].attribute = xstrdup("skills");
	p->matching.criteria[0].mentee_attribute = xstrdup("wants");
	p->matching.criteria[0].compare = COMPARE_OVERLAP;
	p->matching.criteria[0].weight = 3;
	p->matching.criteria[1].attribute = xstrdup("department");
	p->matching.criteria[1].compare = COMPARE_DIFFERENT;
	p->matching.criteria[1].weight = 1;
	p->matching.criteria[2].attribute = xstrdup("department");
	p->matching.criteria[2].compare = COMPARE_DIFFERENT;
	p->matching.criteria[2].weight = 0;
	l = match_labels(p);
	assert_string_equal(l[0], "skills:wants:overlap");
	assert_string_equal(l[1], "department:different");
	assert_string_equal(l[2], "department:different#2");
	/* weights 3 + 1 (0 does not count): criterion 0 is worth 75 points */
	assert_true(match_points(p, 0, 1.0) > 74.99 &&
	    match_points(p, 0, 1.0) < 75.01);
	assert_true(match_points(p, 2, 1.0) == 0);
	match_labels_free(l, 3);
	program_free(p);
}

/* Group rule: a re-run closes a group to a department it holds. */
static void
test_group_rule(void **state)
{
	struct match_pool pool = MATCH_POOL_INIT;
	struct program *p = program_new();
	struct score_table t = SCORE_TABLE_INIT;
	struct score_input in;
	struct error err = ERROR_INIT;
	struct match_ranked v[4];
	char *s;

	(void)state;
	p->format = FORMAT_GROUP;
	p->group.department_diversity = true;
	p->group.max_per_department = 1;
	add_cand(&pool, true, "g1@x", "Exec", 3, 1);
	add_cand(&pool, true, "g2@x", "Exec", 3, 0);
	add_cand(&pool, false, "a2@x", " alpha ", 1, 0);
	add_cand(&pool, false, "b1@x", "Beta", 1, 0);
	match_pool_add_member(&pool, 0, "Alpha");
	match_pool_finish(&pool);
	assert_int_equal(match_group_same_department(&pool, p, 0, 0), 1);
	assert_int_equal(match_group_same_department(&pool, p, 0, 1), 0);
	assert_int_equal(match_group_same_department(&pool, p, 1, 0), 0);
	s = match_group_rule_text(&pool, p, 0, 0);
	assert_string_equal(s, "group rule (the group has 1 mentee of "
	    "department ' alpha ' already)");
	free(s);
	assert_null(match_group_rule_text(&pool, p, 1, 0));
	match_pool_input(&pool, p, 0, &in);
	assert_int_equal(score_build(&in, &t, &err), 0);
	assert_non_null(t.mentee_class);
	/* ranking leaves the full group out for the Alpha mentee */
	assert_int_equal(match_pool_rank(&pool, p, &t, 0, v), 1);
	assert_int_equal(v[0].mentor, 1);
	assert_int_equal(match_pool_rank(&pool, p, &t, 1, v), 2);
	assert_int_equal(v[0].mentor, 0);   /* equal scores: e-mail order */
	match_pool_close_full_groups(&pool, p, &t);
	assert_int_equal(t.score[0], MATCH_EXCLUDED);
	assert_int_not_equal(t.score[1], MATCH_EXCLUDED);
	score_table_free(&t);
	program_free(p);
	match_pool_free(&pool);
}

/* ---- match_plan_solve against brute force ---- */

static unsigned long rng = 12345;

static int
rnd(int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)((rng >> 33) % (unsigned long)n);
}

struct bf {
	int ne, nm;
	const int *ecap, *mcap;
	const int16_t *score;
	enum match_objective obj;
	int best_matched, best_pairs;
	int64_t best_total;
	bool found;
	/* the search */
	int *load;
	int *taken;       /* ne * nm */
	int pairs, matched;
	int64_t total;
};

/* Better under obj: (pairs, total) for coverage, (total, pairs) for score. */
static bool
bf_better(const struct bf *b)
{
	if (!b->found)
		return true;
	if (b->obj == OBJECTIVE_SCORE) {
		if (b->total != b->best_total)
			return b->total > b->best_total;
		return b->pairs > b->best_pairs;
	}
	if (b->pairs != b->best_pairs)
		return b->pairs > b->best_pairs;
	return b->total > b->best_total;
}

/* Every subset of pairs within the capacities, pair by pair. */
static void
bf_walk(struct bf *b, int cell, int *emine)
{
	int i, j;

	if (cell == b->ne * b->nm) {
		if (bf_better(b)) {
			b->found = true;
			b->best_pairs = b->pairs;
			b->best_total = b->total;
		}
		return;
	}
	i = cell / b->nm;
	j = cell % b->nm;
	bf_walk(b, cell + 1, emine);
	if (b->score[cell] == MATCH_EXCLUDED || emine[i] >= b->ecap[i] ||
	    b->load[j] >= b->mcap[j])
		return;
	emine[i]++;
	b->load[j]++;
	b->pairs++;
	b->total += b->score[cell];
	bf_walk(b, cell + 1, emine);
	emine[i]--;
	b->load[j]--;
	b->pairs--;
	b->total -= b->score[cell];
}

static void
test_plan_brute_force(void **state)
{
	int round;

	(void)state;
	for (round = 0; round < 300; round++) {
		struct match_pool pool = MATCH_POOL_INIT;
		struct program *p = program_new();
		struct score_table t = SCORE_TABLE_INIT;
		struct match_plan plan = MATCH_PLAN_INIT;
		struct error err = ERROR_INIT;
		int ne = 1 + rnd(4), nm = 1 + rnd(3), i, j, *ecap, *mcap, *em;
		int16_t *score;
		struct bf b;
		char email[16];
		size_t k;

		if (ne * nm > 12)
			nm = 12 / ne;
		ecap = xcalloc(ne, sizeof *ecap);
		mcap = xcalloc(nm, sizeof *mcap);
		em = xcalloc(ne, sizeof *em);
		for (j = 0; j < nm; j++) {
			snprintf(email, sizeof email, "m%d@x", j);
			mcap[j] = rnd(3);
			add_cand(&pool, true, email, NULL, mcap[j] + rnd(2),
			    0);
			pool.mentors[j].used = pool.mentors[j].capacity -
			    mcap[j];
		}
		for (i = 0; i < ne; i++) {
			snprintf(email, sizeof email, "e%d@x", i);
			ecap[i] = rnd(4);
			add_cand(&pool, false, email, NULL, ecap[i], 0);
		}
		match_pool_finish(&pool);
		p->matching.objective = rnd(2) ? OBJECTIVE_SCORE :
		    OBJECTIVE_COVERAGE;
		t.nmentees = ne;
		t.nmentors = nm;
		score = t.score = xcalloc((size_t)ne * nm, sizeof *t.score);
		for (k = 0; k < (size_t)ne * nm; k++)
			score[k] = rnd(4) == 0 ? MATCH_EXCLUDED :
			    (int16_t)(rnd(3) * 1000 + rnd(2));
		assert_int_equal(match_plan_solve(&pool, p, &t, &plan, &err), 0);
		memset(&b, 0, sizeof b);
		b.ne = ne;
		b.nm = nm;
		b.ecap = ecap;
		b.mcap = mcap;
		b.score = score;
		b.obj = p->matching.objective;
		b.load = xcalloc(nm, sizeof *b.load);
		bf_walk(&b, 0, em);
		/* the plan keeps every rule ... */
		memset(b.load, 0, nm * sizeof *b.load);
		memset(em, 0, ne * sizeof *em);
		for (k = 0; k < plan.n; k++) {
			i = plan.v[k].mentee;
			j = plan.v[k].mentor;
			assert_int_not_equal(score[i * nm + j], MATCH_EXCLUDED);
			assert_int_equal(plan.v[k].score, score[i * nm + j]);
			assert_true(++em[i] <= ecap[i]);
			assert_true(++b.load[j] <= mcap[j]);
			if (k > 0) {
				/* sorted, and never the same pair twice */
				assert_true(plan.v[k - 1].mentee < i ||
				    (plan.v[k - 1].mentee == i &&
				    plan.v[k - 1].mentor < j));
			}
		}
		/* ... and is as good as the best there is */
		assert_int_equal((int)plan.n, b.best_pairs);
		assert_true(plan.total == b.best_total);
		free(b.load);
		free(ecap);
		free(mcap);
		free(em);
		match_plan_free(&plan);
		score_table_free(&t);
		program_free(p);
		match_pool_free(&pool);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_excl_sorted_and_found),
		cmocka_unit_test(test_rule_text),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_group_rule),
		cmocka_unit_test(test_plan_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
