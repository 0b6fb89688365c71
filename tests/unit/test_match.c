#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"
#include "util/xmalloc.h"

/* A small deterministic generator, so that failures reproduce. */
static uint64_t rng = 0x1234567887654321ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int
rnd_in(int lo, int hi)
{
	return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

struct inst {
	int n, m;
	int cap[64];
	int16_t *score;
	int cls[1024];
	int use_cls;
	int K;
};

static void
inst_random(struct inst *in, int maxn, int maxm, int classes)
{
	/* few distinct values, so that ties are everywhere */
	static const int16_t vals[] = { 0, 100, 100, 2500, 5000, 5000, 7525,
		10000 };
	int i, j, excl = rnd_in(0, 40);

	in->n = rnd_in(1, maxn);
	in->m = rnd_in(1, maxm);
	in->score = xmalloc((size_t)in->n * in->m * sizeof *in->score);
	for (j = 0; j < in->m; j++)
		in->cap[j] = rnd_in(0, 3);
	for (i = 0; i < in->n * in->m; i++) {
		if (rnd_in(0, 99) < excl)
			in->score[i] = MATCH_EXCLUDED;
		else if (rnd_in(0, 2) == 0)
			in->score[i] = (int16_t)rnd_in(0, MATCH_SCORE_MAX);
		else
			in->score[i] = vals[rnd_in(0, 7)];
	}
	in->use_cls = classes;
	in->K = rnd_in(1, 2);
	for (i = 0; i < in->n; i++)
		in->cls[i] = rnd_in(-1, 2) * 10;   /* -10 means none too */
}

static void
inst_problem(const struct inst *in, enum match_objective obj,
    struct match_problem *p)
{
	memset(p, 0, sizeof *p);
	p->nmentees = in->n;
	p->nmentors = in->m;
	p->capacity = in->cap;
	p->score = in->score;
	p->objective = obj;
	if (in->use_cls) {
		p->mentee_class = in->cls;
		p->max_per_class = in->K;
	}
}

/* Check feasibility and recompute (matched, total) from the assignment. */
static void
check_feasible(const struct match_problem *p, const struct match_result *r)
{
	int *load = calloc((size_t)p->nmentors + 1, sizeof *load);
	int i, j, k, matched = 0, cnt;
	int64_t total = 0;

	assert_non_null(load);
	for (i = 0; i < p->nmentees; i++) {
		j = r->mentor_of[i];
		if (j < 0) {
			assert_int_equal(j, -1);
			continue;
		}
		assert_true(j < p->nmentors);
		assert_true(p->score[(size_t)i * p->nmentors + j] >= 0);
		load[j]++;
		matched++;
		total += p->score[(size_t)i * p->nmentors + j];
	}
	for (j = 0; j < p->nmentors; j++)
		assert_true(load[j] <= p->capacity[j]);
	if (p->mentee_class != NULL) {
		for (i = 0; i < p->nmentees; i++) {
			if (r->mentor_of[i] < 0 || p->mentee_class[i] < 0)
				continue;
			cnt = 0;
			for (k = 0; k < p->nmentees; k++)
				if (r->mentor_of[k] == r->mentor_of[i] &&
				    p->mentee_class[k] == p->mentee_class[i])
					cnt++;
			assert_true(cnt <= p->max_per_class);
		}
	}
	assert_int_equal(matched, r->matched);
	assert_true(total == r->total);
	free(load);
}

/* Brute force: every assignment, compared by the lexicographic objective. */
struct brute {
	const struct match_problem *p;
	int load[64];
	int clsload[64][4];
	int best_matched;
	int64_t best_total;
};

static int
cls_slot(int c)
{
	return c < 0 ? -1 : c / 10;
}

static void
brute_rec(struct brute *b, int i, int matched, int64_t total)
{
	const struct match_problem *p = b->p;
	int j, c;

	if (i == p->nmentees) {
		if (match_compare_objective(p->objective, matched, total,
		    b->best_matched, b->best_total) > 0) {
			b->best_matched = matched;
			b->best_total = total;
		}
		return;
	}
	brute_rec(b, i + 1, matched, total);
	c = p->mentee_class != NULL ? cls_slot(p->mentee_class[i]) : -1;
	for (j = 0; j < p->nmentors; j++) {
		int s = p->score[(size_t)i * p->nmentors + j];

		if (s < 0 || b->load[j] >= p->capacity[j])
			continue;
		if (c >= 0 && b->clsload[j][c] >= p->max_per_class)
			continue;
		b->load[j]++;
		if (c >= 0)
			b->clsload[j][c]++;
		brute_rec(b, i + 1, matched + 1, total + s);
		b->load[j]--;
		if (c >= 0)
			b->clsload[j][c]--;
	}
}

static void
brute_best(const struct match_problem *p, int *matched, int64_t *total)
{
	struct brute b;

	memset(&b, 0, sizeof b);
	b.p = p;
	b.best_matched = 0;
	b.best_total = 0;
	brute_rec(&b, 0, 0, 0);
	*matched = b.best_matched;
	*total = b.best_total;
}

static void
solve_ok(const struct match_problem *p, struct match_result *r)
{
	struct error err = ERROR_INIT;

	if (match_solve(p, r, &err) != 0)
		fail_msg("match_solve: %s", err.msg);
	assert_null(err.msg);
	check_feasible(p, r);
}

static void
run_random(int count, int classes)
{
	struct inst in;
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT, r2 = MATCH_RESULT_INIT;
	int t, o, bm;
	int64_t bt;

	for (t = 0; t < count; t++) {
		inst_random(&in, 7, 4, classes);
		for (o = 0; o < 2; o++) {
			inst_problem(&in, o ? OBJECTIVE_SCORE :
			    OBJECTIVE_COVERAGE, &p);
			solve_ok(&p, &r);
			brute_best(&p, &bm, &bt);
			if (r.matched != bm || r.total != bt)
				fail_msg("instance %d objective %d: solver "
				    "%d/%lld, brute force %d/%lld", t, o,
				    r.matched, (long long)r.total, bm,
				    (long long)bt);
			solve_ok(&p, &r2);
			assert_memory_equal(r.mentor_of, r2.mentor_of,
			    (size_t)in.n * sizeof *r.mentor_of);
			match_result_free(&r);
			match_result_free(&r2);
		}
		free(in.score);
	}
}

static void
test_random_vs_brute_force(void **state)
{
	(void)state;
	run_random(600, 0);
}

static void
test_random_classes_vs_brute_force(void **state)
{
	(void)state;
	run_random(400, 1);
}

static void
test_objectives_differ(void **state)
{
	/*
	 * Mentor 0 (capacity 1) is the only one mentee 0 may have; mentee 1
	 * loves mentor 0 and likes mentor 1 a little.  Coverage matches both;
	 * score prefers the single better pair.
	 */
	int cap[2] = { 1, 1 };
	int16_t score[4] = { 1000, MATCH_EXCLUDED, 9000, 100 };
	struct match_problem p = { 2, 2, cap, score, OBJECTIVE_COVERAGE,
		NULL, 0, NULL, false, false, false };
	struct match_result r = MATCH_RESULT_INIT;

	(void)state;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 2);
	assert_int_equal(r.total, 1100);
	assert_int_equal(r.mentor_of[0], 0);
	assert_int_equal(r.mentor_of[1], 1);
	match_result_free(&r);

	p.objective = OBJECTIVE_SCORE;
	solve_ok(&p, &r);
	assert_int_equal(r.total, 9000);
	/* 9000 alone beats 1100 with two; with 9000 + 0 the second would join */
	assert_int_equal(r.matched, 1);
	assert_int_equal(r.mentor_of[1], 0);
	match_result_free(&r);

	/* score: among equal totals, more matched */
	score[3] = 0;
	solve_ok(&p, &r);
	assert_int_equal(r.total, 9000);
	assert_int_equal(r.matched, 1);
	match_result_free(&r);
	score[1] = 0;
	solve_ok(&p, &r);
	assert_int_equal(r.total, 9000);
	assert_int_equal(r.matched, 2);
	assert_int_equal(r.mentor_of[0], 1);
	match_result_free(&r);
}

static void
test_tie_break(void **state)
{
	int cap[3] = { 2, 1, 1 };
	int16_t score[5 * 3];
	struct match_problem p = { 5, 1, cap, score, OBJECTIVE_COVERAGE,
		NULL, 0, NULL, false, false, false };
	struct match_result r = MATCH_RESULT_INIT;
	int i;

	(void)state;
	for (i = 0; i < 15; i++)
		score[i] = 5000;
	/* identical scores: a mentor takes the lowest-numbered mentees */
	solve_ok(&p, &r);
	assert_int_equal(r.mentor_of[0], 0);
	assert_int_equal(r.mentor_of[1], 0);
	assert_int_equal(r.mentor_of[2], -1);
	assert_int_equal(r.mentor_of[3], -1);
	assert_int_equal(r.mentor_of[4], -1);
	match_result_free(&r);

	/* one mentee, equal mentors: the first mentor keeps it */
	p.nmentees = 1;
	p.nmentors = 3;
	solve_ok(&p, &r);
	assert_int_equal(r.mentor_of[0], 0);
	match_result_free(&r);

	/* 5 x 3, all equal: mentors fill in order with mentees in order */
	p.nmentees = 5;
	solve_ok(&p, &r);
	assert_int_equal(r.mentor_of[0], 0);
	assert_int_equal(r.mentor_of[1], 0);
	assert_int_equal(r.mentor_of[2], 1);
	assert_int_equal(r.mentor_of[3], 2);
	assert_int_equal(r.mentor_of[4], -1);
	match_result_free(&r);
}

static void
test_edge_cases(void **state)
{
	int cap[4] = { 1, 0, 2, 3 };
	int16_t score[8 * 4];
	struct match_problem p = { 0, 0, cap, score, OBJECTIVE_COVERAGE,
		NULL, 0, NULL, false, false, false };
	struct match_result r = MATCH_RESULT_INIT;
	int i;

	(void)state;
	/* zero mentees, zero mentors */
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 0);
	match_result_free(&r);
	p.nmentors = 4;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 0);
	match_result_free(&r);
	p.nmentees = 3;
	p.nmentors = 0;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(r.mentor_of[i], -1);
	match_result_free(&r);

	/* everything excluded */
	p.nmentees = 8;
	p.nmentors = 4;
	for (i = 0; i < 32; i++)
		score[i] = MATCH_EXCLUDED;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 0);
	assert_int_equal(r.total, 0);
	match_result_free(&r);

	/* capacity 0 is never used, even when it is the best mentor */
	for (i = 0; i < 32; i++)
		score[i] = (i % 4 == 1) ? MATCH_SCORE_MAX : 10;
	solve_ok(&p, &r);
	for (i = 0; i < 8; i++)
		assert_true(r.mentor_of[i] != 1);
	assert_int_equal(r.matched, 6);
	match_result_free(&r);

	/* one mentee, many mentors: the best one */
	p.nmentees = 1;
	score[0] = 10;
	score[1] = 9000;
	score[2] = 20;
	score[3] = 30;
	solve_ok(&p, &r);
	assert_int_equal(r.mentor_of[0], 3);
	match_result_free(&r);

	/* score 0 is a real, allowed pair */
	score[0] = 0;
	score[1] = score[2] = score[3] = MATCH_EXCLUDED;
	solve_ok(&p, &r);
	assert_int_equal(r.mentor_of[0], 0);
	assert_int_equal(r.total, 0);
	match_result_free(&r);
}

static void
test_bad_input(void **state)
{
	int cap[2] = { 1, -1 };
	int16_t score[2] = { 5, 10001 };
	struct match_problem p = { 1, 2, cap, score, OBJECTIVE_COVERAGE,
		NULL, 0, NULL, false, false, false };
	struct match_result r = MATCH_RESULT_INIT;
	struct error err = ERROR_INIT;
	int cls[1] = { 0 };

	(void)state;
	assert_int_equal(match_solve(&p, &r, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	assert_null(r.mentor_of);
	error_clear(&err);
	cap[1] = 1;
	assert_int_equal(match_solve(&p, &r, &err), -1);
	error_clear(&err);
	score[1] = 10;
	p.mentee_class = cls;
	p.max_per_class = 0;
	assert_int_equal(match_solve(&p, &r, &err), -1);
	error_clear(&err);
	p.nmentees = -1;
	assert_int_equal(match_solve(&p, &r, &err), -1);
	error_clear(&err);
	match_result_free(NULL);
}

static void
test_class_cap(void **state)
{
	/* one mentor, room for 3; mentees 0,1,2 share a department */
	int cap[1] = { 3 };
	int16_t score[5] = { 9000, 8000, 7000, 100, 50 };
	int cls[5] = { 4, 4, 4, 7, -1 };
	struct match_problem p = { 5, 1, cap, score, OBJECTIVE_SCORE, cls, 1, NULL, false, false, false };
	struct match_result r = MATCH_RESULT_INIT;

	(void)state;
	solve_ok(&p, &r);
	assert_int_equal(r.mentor_of[0], 0);
	assert_int_equal(r.mentor_of[1], -1);
	assert_int_equal(r.mentor_of[2], -1);
	assert_int_equal(r.mentor_of[3], 0);
	assert_int_equal(r.mentor_of[4], 0);
	match_result_free(&r);
	p.max_per_class = 2;
	solve_ok(&p, &r);
	assert_int_equal(r.total, 9000 + 8000 + 100);
	match_result_free(&r);
}

/*
 * An independent reference for medium instances: successive shortest paths
 * from a super source with Bellman-Ford (no potentials), on the explicit
 * network source -> mentee -> (mentor, class) -> mentor -> sink, augmenting
 * while the path has negative cost.
 */
struct ref_edge {
	int to, cap;
	int64_t cost;
};

struct ref_net {
	struct ref_edge *e;
	int ne, cape;
	int **adj;
	int *deg, *adjcap;
	int nv;
};

static void
ref_add(struct ref_net *g, int u, int v, int cap, int64_t cost)
{
	int k;

	if (g->ne + 2 > g->cape) {
		g->cape = g->cape ? g->cape * 2 : 1024;
		g->e = xreallocarray(g->e, g->cape, sizeof *g->e);
	}
	for (k = 0; k < 2; k++) {
		int a = k ? v : u;

		if (g->deg[a] == g->adjcap[a]) {
			g->adjcap[a] = g->adjcap[a] ? g->adjcap[a] * 2 : 4;
			g->adj[a] = xreallocarray(g->adj[a], g->adjcap[a],
			    sizeof **g->adj);
		}
		g->adj[a][g->deg[a]++] = g->ne + k;
	}
	g->e[g->ne] = (struct ref_edge){ v, cap, cost };
	g->e[g->ne + 1] = (struct ref_edge){ u, 0, -cost };
	g->ne += 2;
}

static void
reference_solve(const struct match_problem *p, int *matched, int64_t *total)
{
	struct ref_net g;
	int n = p->nmentees, m = p->nmentors, S, T, i, j, k, v, u, it;
	int64_t places = 0, lim, wmul, wadd, *dist;
	int *pe, *inq, *queue, qh, qt, nv, ncls = 3;

	memset(&g, 0, sizeof g);
	for (j = 0; j < m; j++)
		places += p->capacity[j] < n ? p->capacity[j] : n;
	lim = places < n ? places : n;
	wmul = p->objective == OBJECTIVE_SCORE ? lim + 1 : 1;
	wadd = p->objective == OBJECTIVE_SCORE ? 1 :
	    (int64_t)MATCH_SCORE_MAX * lim + 1;
	/* nodes: S, mentees, mentors, (mentor, class), T */
	S = 0;
	nv = 1 + n + m + m * ncls + 1;
	T = nv - 1;
	g.nv = nv;
	g.adj = xcalloc(nv, sizeof *g.adj);
	g.deg = xcalloc(nv, sizeof *g.deg);
	g.adjcap = xcalloc(nv, sizeof *g.adjcap);
	for (i = 0; i < n; i++)
		ref_add(&g, S, 1 + i, 1, 0);
	for (j = 0; j < m; j++) {
		ref_add(&g, 1 + n + j, T, p->capacity[j], 0);
		for (k = 0; k < ncls; k++)
			ref_add(&g, 1 + n + m + j * ncls + k, 1 + n + j,
			    p->mentee_class ? p->max_per_class : n, 0);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++) {
			int s = p->score[(size_t)i * m + j], c;

			if (s < 0)
				continue;
			c = p->mentee_class ? p->mentee_class[i] : -1;
			v = c < 0 ? 1 + n + j : 1 + n + m + j * ncls + c;
			ref_add(&g, 1 + i, v, 1, -((int64_t)s * wmul + wadd));
		}
	dist = xmalloc(nv * sizeof *dist);
	pe = xmalloc(nv * sizeof *pe);
	inq = xmalloc(nv * sizeof *inq);
	queue = xmalloc((size_t)nv * sizeof *queue);
	for (;;) {
		for (v = 0; v < nv; v++) {
			dist[v] = INT64_MAX;
			inq[v] = 0;
		}
		dist[S] = 0;
		qh = qt = 0;
		queue[qt++] = S;
		inq[S] = 1;
		while (qh != qt) {
			u = queue[qh];
			qh = (qh + 1) % nv;
			inq[u] = 0;
			for (it = 0; it < g.deg[u]; it++) {
				struct ref_edge *e = &g.e[g.adj[u][it]];

				if (e->cap > 0 && dist[u] + e->cost <
				    dist[e->to]) {
					dist[e->to] = dist[u] + e->cost;
					pe[e->to] = g.adj[u][it];
					if (!inq[e->to]) {
						inq[e->to] = 1;
						queue[qt] = e->to;
						qt = (qt + 1) % nv;
					}
				}
			}
		}
		if (dist[T] == INT64_MAX || dist[T] >= 0)
			break;
		for (v = T; v != S; v = g.e[pe[v] ^ 1].to) {
			g.e[pe[v]].cap--;
			g.e[pe[v] ^ 1].cap++;
		}
	}
	*matched = 0;
	*total = 0;
	for (i = 0; i < n; i++)
		for (it = 0; it < g.deg[1 + i]; it++) {
			struct ref_edge *e = &g.e[g.adj[1 + i][it]];

			if ((g.adj[1 + i][it] & 1) == 0 && e->to != S &&
			    e->cap == 0) {
				int jj = e->to <= n + m ? e->to - 1 - n :
				    (e->to - 1 - n - m) / ncls;

				(*matched)++;
				*total += p->score[(size_t)i * m + jj];
			}
		}
	for (v = 0; v < nv; v++)
		free(g.adj[v]);
	free(g.adj);
	free(g.deg);
	free(g.adjcap);
	free(g.e);
	free(dist);
	free(pe);
	free(inq);
	free(queue);
}

/* Competitive scores: mentee strength times mentor quality, plus noise. */
static void
medium_instance(int n, int m, int16_t *score, int *cap, int *cls)
{
	int i, j, a[1024], b[512], v;

	for (i = 0; i < n; i++) {
		a[i] = rnd_in(0, 100);
		cls[i] = rnd_in(-1, 2);
	}
	for (j = 0; j < m; j++) {
		b[j] = rnd_in(0, 100);
		cap[j] = rnd_in(1, 3);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++) {
			if (rnd_in(0, 19) == 0) {
				score[(size_t)i * m + j] = MATCH_EXCLUDED;
				continue;
			}
			v = 4000 + a[i] * b[j] / 4 + rnd_in(0, 1500) +
			    rnd_in(0, 1500) - 1500;
			if (v < 0)
				v = 0;
			if (v > MATCH_SCORE_MAX)
				v = MATCH_SCORE_MAX;
			score[(size_t)i * m + j] = (int16_t)(v / 25 * 25);
		}
}

static void
run_medium(int n, int m, int classes)
{
	int16_t *score = xmalloc((size_t)n * m * sizeof *score);
	int *cap = xmalloc(m * sizeof *cap), *cls = xmalloc(n * sizeof *cls);
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT, r2 = MATCH_RESULT_INIT;
	int o, rm;
	int64_t rt;

	medium_instance(n, m, score, cap, cls);
	for (o = 0; o < 2; o++) {
		memset(&p, 0, sizeof p);
		p.nmentees = n;
		p.nmentors = m;
		p.capacity = cap;
		p.score = score;
		p.objective = o ? OBJECTIVE_SCORE : OBJECTIVE_COVERAGE;
		if (classes) {
			p.mentee_class = cls;
			p.max_per_class = 1;
		}
		solve_ok(&p, &r);
		reference_solve(&p, &rm, &rt);
		assert_int_equal(r.matched, rm);
		assert_true(r.total == rt);
		/* the sparse path is deterministic too */
		solve_ok(&p, &r2);
		assert_memory_equal(r.mentor_of, r2.mentor_of,
		    (size_t)n * sizeof *r.mentor_of);
		match_result_free(&r);
		match_result_free(&r2);
	}
	free(score);
	free(cap);
	free(cls);
}

static void
test_medium_vs_reference(void **state)
{
	(void)state;
	/* 300 x 120 is below the full-graph threshold; 400 x 200 is not */
	run_medium(300, 120, 0);
	run_medium(400, 200, 0);
}

static void
test_medium_classes_vs_reference(void **state)
{
	(void)state;
	run_medium(300, 120, 1);
	run_medium(400, 200, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_vs_brute_force),
		cmocka_unit_test(test_random_classes_vs_brute_force),
		cmocka_unit_test(test_objectives_differ),
		cmocka_unit_test(test_tie_break),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_class_cap),
		cmocka_unit_test(test_medium_vs_reference),
		cmocka_unit_test(test_medium_classes_vs_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
