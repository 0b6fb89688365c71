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

/*
 * Check feasibility and recompute (matched, total) from the pairs: allowed,
 * distinct, sorted, within every capacity and class cap; mentor_of the
 * lowest mentor of each mentee.
 */
static void
check_feasible(const struct match_problem *p, const struct match_result *r)
{
	int *load = calloc((size_t)p->nmentors + 1, sizeof *load);
	int *deg = calloc((size_t)p->nmentees + 1, sizeof *deg);
	int i, j, matched = 0, cnt;
	int64_t total = 0, squares = 0;
	size_t e, f;

	assert_non_null(load);
	assert_non_null(deg);
	for (e = 0; e < r->npairs; e++) {
		i = r->pairs[e].mentee;
		j = r->pairs[e].mentor;
		assert_true(i >= 0 && i < p->nmentees);
		assert_true(j >= 0 && j < p->nmentors);
		assert_true(p->score[(size_t)i * p->nmentors + j] >= 0);
		if (e > 0)
			assert_true(r->pairs[e - 1].mentee < i ||
			    (r->pairs[e - 1].mentee == i &&
			    r->pairs[e - 1].mentor < j));
		if (deg[i]++ == 0) {
			assert_int_equal(r->mentor_of[i], j);
			matched++;
		}
		load[j]++;
		total += p->score[(size_t)i * p->nmentors + j];
	}
	for (i = 0; i < p->nmentees; i++) {
		if (deg[i] == 0)
			assert_int_equal(r->mentor_of[i], -1);
		assert_true(deg[i] <= (p->mentee_capacity ?
		    p->mentee_capacity[i] : 1));
	}
	for (j = 0; j < p->nmentors; j++) {
		assert_true(load[j] <= p->capacity[j]);
		squares += (int64_t)load[j] * load[j];
	}
	if (p->mentee_class != NULL) {
		for (e = 0; e < r->npairs; e++) {
			i = r->pairs[e].mentee;
			if (p->mentee_class[i] < 0)
				continue;
			cnt = 0;
			for (f = 0; f < r->npairs; f++)
				if (r->pairs[f].mentor == r->pairs[e].mentor &&
				    p->mentee_class[r->pairs[f].mentee] ==
				    p->mentee_class[i])
					cnt++;
			assert_true(cnt <= p->max_per_class);
		}
	}
	assert_int_equal(matched, r->matched);
	assert_true(total == r->total);
	assert_true(squares == r->squares);
	free(load);
	free(deg);
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
	int cap[2] = { 1, -1 }, bcap[1] = { -1 };
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
	p.nmentees = 1;
	p.mentee_class = NULL;
	assert_int_equal(match_solve(&p, &r, &err), 0);
	match_result_free(&r);
	p.mentee_capacity = bcap;
	assert_int_equal(match_solve(&p, &r, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	error_clear(&err);
	bcap[0] = 7;         /* more than the mentors: fine, clamped */
	assert_int_equal(match_solve(&p, &r, &err), 0);
	assert_int_equal(r.npairs, 2);
	match_result_free(&r);
}

/* A large problem's scores are checked by its first scan: still all of them. */
static void
test_bad_scores_large(void **state)
{
	int n = 400, m = 300, i, *cap = xmalloc(m * sizeof *cap), bcap[400];
	int16_t *score = xmalloc((size_t)n * m * sizeof *score);
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT;
	struct error err = ERROR_INIT;
	const int bad[] = { -2, 10001, -32768, 32767 };
	size_t at[] = { 0, 77777, (size_t)n * m - 1, 5 * 300 + 3 };
	int t;

	(void)state;
	for (i = 0; i < m; i++)
		cap[i] = i % 7 == 0 ? 0 : 2;
	for (i = 0; i < n; i++)
		bcap[i] = i == 5 ? 0 : 1;
	memset(&p, 0, sizeof p);
	p.nmentees = n;
	p.nmentors = m;
	p.capacity = cap;
	p.score = score;
	p.mentee_capacity = bcap;
	for (t = 0; t < 4; t++) {
		for (i = 0; i < n * m; i++)
			score[i] = i % 5 == 0 ? MATCH_EXCLUDED : (int16_t)(i % 9999);
		/* mentor 0 has no place and mentee 5 none: checked all the same */
		score[at[t]] = (int16_t)bad[t];
		assert_int_equal(match_solve(&p, &r, &err), -1);
		assert_int_equal(err.code, EX_SOFTWARE);
		assert_non_null(strstr(err.msg, "out of range"));
		assert_null(r.mentor_of);
		error_clear(&err);
	}
	free(score);
	free(cap);
}

static void
test_class_cap(void **state)
{
	/* one mentor, room for 3; mentees 0,1,2 share a department */
	int cap[1] = { 3 };
	int16_t score[5] = { 9000, 8000, 7000, 100, 50 };
	int cls[5] = { 4, 4, 4, 7, -1 };
	struct match_problem p = { 5, 1, cap, score, OBJECTIVE_SCORE, cls, 1,
		NULL, false, false, false };
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
	int64_t sumb = 0;

	for (i = 0; i < n; i++)
		sumb += p->mentee_capacity ? p->mentee_capacity[i] : 1;
	for (j = 0; j < m; j++)
		places += p->capacity[j] < sumb ? p->capacity[j] : sumb;
	lim = places < sumb ? places : sumb;
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
		ref_add(&g, S, 1 + i, p->mentee_capacity ?
		    p->mentee_capacity[i] : 1, 0);
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

/* The benchmark's score families (bench/gen_match.h), small. */
enum { FAM_COMPETITIVE, FAM_ADDITIVE, FAM_JACCARD, FAM_UNIFORM, FAM_TIES,
	FAM_SPARSE, FAM_EQUAL, FAM_HUGECAP, NFAM };

static const char *const fam_name[NFAM] = { "competitive", "additive",
	"jaccard", "uniform", "ties", "sparse", "equal", "hugecap" };

static int
popcount32(uint32_t x)
{
	int c = 0;

	for (; x; x &= x - 1)
		c++;
	return c;
}

/* Scores of family kind into score (n x m), capacities 1..3, classes. */
static void
family_instance(int kind, int n, int m, int16_t *score, int *cap, int *cls)
{
	int i, j, v, a[1024], b[512], excl = kind == FAM_ADDITIVE ? 10 : 20;
	uint32_t ta[1024], tb[512];

	for (i = 0; i < n; i++) {
		a[i] = rnd_in(0, 100);
		ta[i] = rnd() | rnd() << 7;
		cls[i] = rnd_in(-1, 2);
	}
	for (j = 0; j < m; j++) {
		b[j] = rnd_in(0, 100);
		tb[j] = rnd() | rnd() << 7;
		cap[j] = rnd_in(1, 3);
	}
	if (kind == FAM_HUGECAP)
		cap[0] = n / 2 > 1 ? n / 2 : 1;
	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++) {
			if (kind == FAM_SPARSE ? rnd_in(0, 19) != 0 :
			    rnd_in(0, excl - 1) == 0) {
				score[(size_t)i * m + j] = MATCH_EXCLUDED;
				continue;
			}
			switch (kind) {
			case FAM_ADDITIVE:
				v = (40 * a[i] + 30 * b[j] + 30 *
				    rnd_in(0, 100)) / 100 * 100;
				break;
			case FAM_JACCARD:
				v = popcount32(ta[i] | tb[j]);
				v = v ? 10000 * popcount32(ta[i] & tb[j]) / v : 0;
				break;
			case FAM_UNIFORM:
				v = rnd_in(0, MATCH_SCORE_MAX);
				break;
			case FAM_TIES:
				v = 1000 + 2000 * rnd_in(0, 4);
				break;
			case FAM_EQUAL:
				v = 5000;
				break;
			default:
				/* competitive: strength times quality, noise */
				v = 4000 + a[i] * b[j] / 4 + rnd_in(0, 1500) +
				    rnd_in(0, 1500) - 1500;
				v = v / 25 * 25;
				break;
			}
			if (v < 0)
				v = 0;
			if (v > MATCH_SCORE_MAX)
				v = MATCH_SCORE_MAX;
			score[(size_t)i * m + j] = (int16_t)v;
		}
}

static void
run_medium(int kind, int n, int m, int classes, int mentee_caps)
{
	int16_t *score = xmalloc((size_t)n * m * sizeof *score);
	int *cap = xmalloc(m * sizeof *cap), *cls = xmalloc(n * sizeof *cls);
	int *bcap = xmalloc(n * sizeof *bcap), i;
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT, r2 = MATCH_RESULT_INIT;
	int o, rm;
	int64_t rt;

	family_instance(kind, n, m, score, cap, cls);
	for (i = 0; i < n; i++)
		bcap[i] = rnd_in(0, 3);
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
		if (mentee_caps)
			p.mentee_capacity = bcap;
		solve_ok(&p, &r);
		reference_solve(&p, &rm, &rt);
		if ((size_t)rm != r.npairs || r.total != rt)
			fail_msg("%s %d x %d classes %d mentee capacities %d "
			    "objective %d: solver %zu pairs %lld, reference "
			    "%d pairs %lld", fam_name[kind], n, m, classes,
			    mentee_caps, o, r.npairs, (long long)r.total, rm,
			    (long long)rt);
		/* the sparse path is deterministic too */
		solve_ok(&p, &r2);
		assert_int_equal(r.npairs, r2.npairs);
		assert_memory_equal(r.pairs, r2.pairs,
		    r.npairs * sizeof *r.pairs);
		match_result_free(&r);
		match_result_free(&r2);
	}
	free(score);
	free(cap);
	free(cls);
	free(bcap);
}

static void
test_medium_vs_reference(void **state)
{
	(void)state;
	/* 300 x 120 is below the full-graph threshold; 400 x 200 is not */
	run_medium(FAM_COMPETITIVE, 300, 120, 0, 0);
	run_medium(FAM_COMPETITIVE, 400, 200, 0, 0);
}

static void
test_medium_classes_vs_reference(void **state)
{
	(void)state;
	run_medium(FAM_COMPETITIVE, 300, 120, 1, 0);
	run_medium(FAM_COMPETITIVE, 400, 200, 1, 0);
}

/* Every family on the sparse path (candidates and certificate). */
static void
test_families_vs_reference(void **state)
{
	int k;

	(void)state;
	/* just over the full-graph threshold: the reference is slow */
	for (k = 0; k < NFAM; k++)
		run_medium(k, 290, 230, k % 3 == 2, k % 2);
}

/* ---- brute force over every b-matching, with every option ---- */

struct bopts {
	int objective, min_first, spread, even;
};

/* The objective's levels, most significant first, larger better. */
static int
levels(const struct bopts *o, int covered, int pairs, int64_t even,
    int64_t spread, int64_t total, int64_t *v)
{
	int k = 0;

	if (o->min_first)
		v[k++] = covered;
	if (o->objective == OBJECTIVE_SCORE)
		v[k++] = total;
	v[k++] = pairs;
	if (o->even)
		v[k++] = -even;
	if (o->spread)
		v[k++] = -spread;
	if (o->objective != OBJECTIVE_SCORE)
		v[k++] = total;
	return k;
}

struct bbrute {
	const struct match_problem *p;
	const struct bopts *o;
	int pi[32], pj[32], np;
	int deg[8], load[8], clsload[8][4];
	int64_t best[5];
	int nbest, have;
};

static void
bbrute_leaf(struct bbrute *b, int pairs, int64_t total)
{
	int64_t v[5], even = 0, spread = 0;
	int i, j, k, covered = 0, nv, better = 0;

	for (i = 0; i < b->p->nmentees; i++) {
		covered += b->deg[i] > 0;
		even += (int64_t)b->deg[i] * b->deg[i];
	}
	for (j = 0; j < b->p->nmentors; j++)
		spread += (int64_t)b->load[j] * b->load[j];
	nv = levels(b->o, covered, pairs, even, spread, total, v);
	for (k = 0; k < nv && b->have; k++)
		if (v[k] != b->best[k]) {
			better = v[k] > b->best[k];
			break;
		}
	if (!b->have || better) {
		memcpy(b->best, v, sizeof v);
		b->nbest = nv;
		b->have = 1;
	}
}

static void
bbrute_rec(struct bbrute *b, int e, int pairs, int64_t total)
{
	const struct match_problem *p = b->p;
	int i, j, c;

	if (e == b->np) {
		bbrute_leaf(b, pairs, total);
		return;
	}
	bbrute_rec(b, e + 1, pairs, total);
	i = b->pi[e];
	j = b->pj[e];
	c = p->mentee_class != NULL ? cls_slot(p->mentee_class[i]) : -1;
	if (b->deg[i] >= p->mentee_capacity[i] || b->load[j] >= p->capacity[j])
		return;
	if (c >= 0 && b->clsload[j][c] >= p->max_per_class)
		return;
	b->deg[i]++;
	b->load[j]++;
	if (c >= 0)
		b->clsload[j][c]++;
	bbrute_rec(b, e + 1, pairs + 1, total + p->score[(size_t)i *
	    p->nmentors + j]);
	b->deg[i]--;
	b->load[j]--;
	if (c >= 0)
		b->clsload[j][c]--;
}

static void
test_bmatching_vs_brute_force(void **state)
{
	struct inst in;
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT, r2 = MATCH_RESULT_INIT;
	struct bbrute b;
	struct bopts o;
	int bcap[8], t, i, j, *deg, *load, covered, nv, k;
	int64_t v[5], even, spread, total;
	size_t e;

	(void)state;
	for (t = 0; t < 1500; t++) {
		inst_random(&in, 4, 4, rnd_in(0, 3) == 0);
		memset(&o, 0, sizeof o);
		o.objective = rnd_in(0, 1) ? OBJECTIVE_SCORE :
		    OBJECTIVE_COVERAGE;
		o.min_first = rnd_in(0, 1);
		o.spread = rnd_in(0, 1);
		o.even = rnd_in(0, 2) == 0;
		for (i = 0; i < in.n; i++)
			bcap[i] = rnd_in(0, 3);
		inst_problem(&in, o.objective, &p);
		p.mentee_capacity = bcap;
		p.min_first = o.min_first;
		p.spread = o.spread;
		p.even = o.even;
		if (match_solve(&p, &r, &(struct error)ERROR_INIT) != 0)
			fail_msg("instance %d: match_solve failed", t);
		/* a b-matching: allowed, distinct pairs within capacities */
		deg = xcalloc(in.n, sizeof *deg);
		load = xcalloc(in.m, sizeof *load);
		total = 0;
		for (e = 0; e < r.npairs; e++) {
			i = r.pairs[e].mentee;
			j = r.pairs[e].mentor;
			assert_true(i >= 0 && i < in.n && j >= 0 && j < in.m);
			assert_true(in.score[i * in.m + j] >= 0);
			if (e > 0)
				assert_true(r.pairs[e - 1].mentee < i ||
				    (r.pairs[e - 1].mentee == i &&
				    r.pairs[e - 1].mentor < j));
			if (deg[i]++ == 0)
				assert_int_equal(r.mentor_of[i], j);
			load[j]++;
			total += in.score[i * in.m + j];
		}
		covered = 0;
		even = spread = 0;
		for (i = 0; i < in.n; i++) {
			assert_true(deg[i] <= bcap[i]);
			if (deg[i] == 0)
				assert_int_equal(r.mentor_of[i], -1);
			covered += deg[i] > 0;
			even += (int64_t)deg[i] * deg[i];
		}
		for (j = 0; j < in.m; j++) {
			assert_true(load[j] <= in.cap[j]);
			spread += (int64_t)load[j] * load[j];
		}
		assert_int_equal(r.matched, covered);
		assert_true(r.total == total);
		assert_true(r.squares == spread);
		if (p.mentee_class != NULL)
			for (e = 0; e < r.npairs; e++) {
				int n = 0;
				size_t f;

				i = r.pairs[e].mentee;
				if (in.cls[i] < 0)
					continue;
				for (f = 0; f < r.npairs; f++)
					n += r.pairs[f].mentor ==
					    r.pairs[e].mentor &&
					    in.cls[r.pairs[f].mentee] ==
					    in.cls[i];
				assert_true(n <= in.K);
			}
		/* optimal: every level equal to brute force's best */
		memset(&b, 0, sizeof b);
		b.p = &p;
		b.o = &o;
		for (i = 0; i < in.n; i++)
			for (j = 0; j < in.m; j++)
				if (in.score[i * in.m + j] >= 0) {
					b.pi[b.np] = i;
					b.pj[b.np++] = j;
				}
		bbrute_rec(&b, 0, 0, 0);
		nv = levels(&o, covered, (int)r.npairs, even, spread, total, v);
		for (k = 0; k < nv; k++)
			if (v[k] != b.best[k])
				fail_msg("instance %d (%d x %d, objective %d, "
				    "min_first %d, spread %d, even %d): level "
				    "%d is %lld, brute force %lld", t, in.n,
				    in.m, o.objective, o.min_first, o.spread,
				    o.even, k, (long long)v[k],
				    (long long)b.best[k]);
		/* and deterministic */
		assert_int_equal(match_solve(&p, &r2, &(struct error)ERROR_INIT),
		    0);
		assert_int_equal(r.npairs, r2.npairs);
		assert_memory_equal(r.pairs, r2.pairs,
		    r.npairs * sizeof *r.pairs);
		match_result_free(&r);
		match_result_free(&r2);
		free(deg);
		free(load);
		free(in.score);
	}
}

/* Small instances of every family against brute force. */
static void
test_families_vs_brute_force(void **state)
{
	int16_t score[7 * 4];
	int cap[4], cls[7], k, t, o, bm;
	int64_t bt;
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT;

	(void)state;
	for (k = 0; k < NFAM; k++)
		for (t = 0; t < 60; t++) {
			int n = rnd_in(1, 7), m = rnd_in(1, 4);

			family_instance(k, n, m, score, cap, cls);
			for (o = 0; o < 2; o++) {
				memset(&p, 0, sizeof p);
				p.nmentees = n;
				p.nmentors = m;
				p.capacity = cap;
				p.score = score;
				p.objective = o ? OBJECTIVE_SCORE :
				    OBJECTIVE_COVERAGE;
				solve_ok(&p, &r);
				brute_best(&p, &bm, &bt);
				if (r.matched != bm || r.total != bt)
					fail_msg("%s %d x %d objective %d: "
					    "solver %d/%lld, brute force "
					    "%d/%lld", fam_name[k], n, m, o,
					    r.matched, (long long)r.total, bm,
					    (long long)bt);
				match_result_free(&r);
			}
		}
}

static void
test_min_first(void **state)
{
	/*
	 * Mentee 0 may have two mentors and likes both; mentee 1 can only
	 * have mentor 1, whom mentee 0 likes best.  Without min_first the
	 * best total gives mentee 0 both; with it, mentee 1 gets a mentor
	 * first.
	 */
	int cap[2] = { 1, 1 }, bcap[2] = { 2, 1 };
	int16_t score[4] = { 9000, 9500, MATCH_EXCLUDED, 1000 };
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT;

	(void)state;
	memset(&p, 0, sizeof p);
	p.nmentees = 2;
	p.nmentors = 2;
	p.capacity = cap;
	p.score = score;
	p.objective = OBJECTIVE_SCORE;
	p.mentee_capacity = bcap;
	solve_ok(&p, &r);
	assert_int_equal(r.npairs, 2);
	assert_int_equal(r.matched, 1);
	assert_int_equal(r.total, 18500);
	match_result_free(&r);
	p.min_first = true;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 2);
	assert_int_equal(r.mentor_of[0], 0);
	assert_int_equal(r.mentor_of[1], 1);
	assert_int_equal(r.total, 10000);
	match_result_free(&r);
	/* coverage counts pairs: both plans have two; min_first decides */
	p.objective = OBJECTIVE_COVERAGE;
	p.min_first = false;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 1);
	match_result_free(&r);
	p.min_first = true;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 2);
	assert_int_equal(r.npairs, 2);
	match_result_free(&r);
}

static void
test_spread(void **state)
{
	/*
	 * Two mentees, a top mentor with room for both and a second one
	 * they like a little less.  Coverage alone fills the top mentor;
	 * spread gives each mentor one, at a lower total, under coverage;
	 * under score it only breaks ties.
	 */
	int cap[2] = { 2, 2 };
	int16_t score[4] = { 9000, 8000, 9000, 8000 };
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT;

	(void)state;
	memset(&p, 0, sizeof p);
	p.nmentees = 2;
	p.nmentors = 2;
	p.capacity = cap;
	p.score = score;
	p.objective = OBJECTIVE_COVERAGE;
	solve_ok(&p, &r);
	assert_int_equal(r.total, 18000);
	assert_int_equal(r.squares, 4);
	match_result_free(&r);
	p.spread = true;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 2);
	assert_int_equal(r.total, 17000);
	assert_int_equal(r.squares, 2);
	match_result_free(&r);
	p.objective = OBJECTIVE_SCORE;
	solve_ok(&p, &r);
	assert_int_equal(r.total, 18000);
	match_result_free(&r);
	/* equal scores: spread decides under score too */
	score[1] = score[3] = 9000;
	solve_ok(&p, &r);
	assert_int_equal(r.squares, 2);
	match_result_free(&r);
	/* spread never costs a mentee its mentor */
	p.objective = OBJECTIVE_COVERAGE;
	cap[1] = 0;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 2);
	match_result_free(&r);
}

static void
test_even(void **state)
{
	/*
	 * Three mentors of room 1; mentee 0 (room 3) likes them all more
	 * than mentee 1 (room 3) does.  Without even, mentee 0 takes all
	 * three; with it, 2 + 1.
	 */
	int cap[3] = { 1, 1, 1 }, bcap[2] = { 3, 3 };
	int16_t score[6] = { 9000, 9000, 9000, 1000, 1000, 1000 };
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT;

	(void)state;
	memset(&p, 0, sizeof p);
	p.nmentees = 2;
	p.nmentors = 3;
	p.capacity = cap;
	p.score = score;
	p.mentee_capacity = bcap;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 1);
	assert_int_equal(r.total, 27000);
	match_result_free(&r);
	p.even = true;
	solve_ok(&p, &r);
	assert_int_equal(r.matched, 2);
	assert_int_equal(r.npairs, 3);
	assert_int_equal(r.total, 19000);
	match_result_free(&r);
}

/*
 * The tie rule: earliest mentees first, at any size; on small problems
 * earlier mentees with earlier mentors.
 */
static void
test_tie_rule(void **state)
{
	int n = 400, m = 200, i, *cap = xmalloc(m * sizeof *cap);
	int16_t *score = xmalloc((size_t)n * m * sizeof *score);
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT;

	(void)state;
	for (i = 0; i < n * m; i++)
		score[i] = 5000;
	for (i = 0; i < m; i++)
		cap[i] = 1;
	memset(&p, 0, sizeof p);
	p.nmentees = n;
	p.nmentors = m;
	p.capacity = cap;
	p.score = score;
	solve_ok(&p, &r);
	for (i = 0; i < n; i++)
		if ((r.mentor_of[i] >= 0) != (i < m))
			fail_msg("mentee %d %s", i, i < m ? "unmatched" :
			    "matched");
	match_result_free(&r);
	/* a small one is sorted too */
	p.nmentees = 9;
	p.nmentors = 4;
	cap[0] = 1;
	cap[1] = 3;
	cap[2] = 2;
	cap[3] = 1;
	solve_ok(&p, &r);
	{
		const int want[9] = { 0, 1, 1, 1, 2, 2, 3, -1, -1 };

		for (i = 0; i < 9; i++)
			assert_int_equal(r.mentor_of[i], want[i]);
	}
	match_result_free(&r);
	free(score);
	free(cap);
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
		cmocka_unit_test(test_bad_scores_large),
		cmocka_unit_test(test_class_cap),
		cmocka_unit_test(test_medium_vs_reference),
		cmocka_unit_test(test_medium_classes_vs_reference),
		cmocka_unit_test(test_families_vs_reference),
		cmocka_unit_test(test_families_vs_brute_force),
		cmocka_unit_test(test_bmatching_vs_brute_force),
		cmocka_unit_test(test_min_first),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_even),
		cmocka_unit_test(test_tie_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
