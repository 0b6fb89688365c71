#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"
#include "core/program.h"
#include "core/rounds.h"
#include "util/xmalloc.h"

/* A small deterministic generator, so that failures reproduce. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

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

#define MAXN 64
#define MAXM 32

struct inst {
	int n, m, R;
	int places[MAXM];
	int maxr[MAXN];
	bool use_maxr;
	int16_t score[MAXN * MAXM];
	enum match_objective obj;
	bool balance;
};

static void
inst_random(struct inst *in, int maxn, int maxm, int maxR, int maxplaces)
{
	/* few distinct values, so that ties are everywhere */
	static const int16_t vals[] = { 0, 100, 100, 2500, 5000, 5000, 7525,
		10000 };
	int i, j, excl = rnd_in(0, 50);

	memset(in, 0, sizeof *in);
	in->n = rnd_in(1, maxn);
	in->m = rnd_in(1, maxm);
	in->R = rnd_in(1, maxR);
	for (j = 0; j < in->m; j++)
		in->places[j] = rnd_in(0, maxplaces);
	in->use_maxr = rnd_in(0, 3) == 0;
	for (i = 0; i < in->n; i++)
		in->maxr[i] = rnd_in(0, in->R);
	for (i = 0; i < in->n * in->m; i++) {
		if (rnd_in(0, 99) < excl)
			in->score[i] = MATCH_EXCLUDED;
		else if (rnd_in(0, 2) == 0)
			in->score[i] = (int16_t)rnd_in(0, MATCH_SCORE_MAX);
		else
			in->score[i] = vals[rnd_in(0, 7)];
	}
	in->obj = rnd_in(0, 2) == 0 ? OBJECTIVE_SCORE : OBJECTIVE_COVERAGE;
	in->balance = rnd_in(0, 3) != 0;
}

static struct rounds_problem
inst_problem(const struct inst *in)
{
	struct rounds_problem p;

	memset(&p, 0, sizeof p);
	p.nmentees = in->n;
	p.nmentors = in->m;
	p.score = in->score;
	p.nrounds = in->R;
	p.places = in->places;
	p.max_rounds = in->use_maxr ? in->maxr : NULL;
	p.objective = in->obj;
	p.balance = in->balance;
	return p;
}

static void
solve_ok(const struct rounds_problem *p, struct rounds_plan *plan)
{
	struct error err = ERROR_INIT;

	*plan = (struct rounds_plan)ROUNDS_PLAN_INIT;
	if (rounds_plan(p, plan, &err) != 0)
		fail_msg("rounds_plan: %s", err.msg);
	if (rounds_verify(p, plan, &err) != 0)
		fail_msg("rounds_verify: %s", err.msg);
	error_clear(&err);
}

/* ---- brute force over every plan, round by round ---- */

struct brute {
	const struct inst *in;
	int choice[MAXN][8];       /* mentor or -1 per (mentee, round) */
	int used[8][MAXM];         /* per round, per mentor */
	int count[MAXN];
	bool met[MAXN][MAXM];
	size_t best_meetings;
	int64_t best_squares, best_total;
	bool have;
};

static void
brute_rec(struct brute *b, int cell, size_t meetings, int64_t total)
{
	const struct inst *in = b->in;
	int i, r, j;

	if (cell == in->n * in->R) {
		int64_t sq = 0;

		for (i = 0; i < in->n; i++)
			sq += (int64_t)b->count[i] * b->count[i];
		if (!b->have || rounds_compare(in->obj, in->balance, meetings,
		    sq, total, b->best_meetings, b->best_squares,
		    b->best_total) > 0) {
			b->have = true;
			b->best_meetings = meetings;
			b->best_squares = sq;
			b->best_total = total;
		}
		return;
	}
	i = cell / in->R;
	r = cell % in->R;
	brute_rec(b, cell + 1, meetings, total);
	if (in->use_maxr && b->count[i] >= in->maxr[i])
		return;
	for (j = 0; j < in->m; j++) {
		int s = in->score[i * in->m + j];

		if (s == MATCH_EXCLUDED || b->met[i][j] ||
		    b->used[r][j] >= in->places[j])
			continue;
		b->met[i][j] = true;
		b->used[r][j]++;
		b->count[i]++;
		brute_rec(b, cell + 1, meetings + 1, total + s);
		b->met[i][j] = false;
		b->used[r][j]--;
		b->count[i]--;
	}
}

static void
test_brute_force(void **state)
{
	struct inst in;
	struct brute b;
	struct rounds_problem p;
	struct rounds_plan plan;
	int t;

	(void)state;
	for (t = 0; t < 1500; t++) {
		inst_random(&in, 4, 3, 3, 2);
		if (in.n * in.R > 9) {
			int i;

			in.R = 9 / in.n > 0 ? 9 / in.n : 1;
			for (i = 0; i < in.n; i++)
				if (in.maxr[i] > in.R)
					in.maxr[i] = in.R;
		}
		p = inst_problem(&in);
		solve_ok(&p, &plan);
		memset(&b, 0, sizeof b);
		b.in = &in;
		brute_rec(&b, 0, 0, 0);
		if (rounds_compare(in.obj, in.balance, plan.n, plan.squares,
		    plan.total, b.best_meetings, b.best_squares,
		    b.best_total) != 0)
			fail_msg("instance %d (n %d m %d R %d obj %d bal %d): "
			    "plan (%zu, %lld, %lld), brute force (%zu, %lld, "
			    "%lld)", t, in.n, in.m, in.R, in.obj, in.balance,
			    plan.n, (long long)plan.squares,
			    (long long)plan.total, b.best_meetings,
			    (long long)b.best_squares, (long long)b.best_total);
		rounds_plan_free(&plan);
	}
}

/* ---- the relaxation: one b-matching on replicated mentees ---- */

/*
 * The whole session as match_solve sees it: mentee i replicated max_rounds
 * times with class i and max_per_class 1 (no mentor twice), mentor j with
 * capacity R * places[j].  Its optimum is an upper bound on every plan.
 */
static void
relaxation(const struct inst *in, int *matched, int64_t *total,
    int64_t *squares)
{
	struct error err = ERROR_INIT;
	struct match_problem mp;
	struct match_result r = MATCH_RESULT_INIT;
	int16_t *score;
	int *cls, *owner, *cap, *count;
	int i, j, k, nrep = 0;

	for (i = 0; i < in->n; i++)
		nrep += in->use_maxr ? in->maxr[i] : in->R;
	score = xcalloc((size_t)nrep * in->m + 1, sizeof *score);
	cls = xcalloc((size_t)nrep + 1, sizeof *cls);
	owner = xcalloc((size_t)nrep + 1, sizeof *owner);
	cap = xcalloc((size_t)in->m + 1, sizeof *cap);
	count = xcalloc((size_t)in->n + 1, sizeof *count);
	for (i = 0, k = 0; i < in->n; i++) {
		int copies = in->use_maxr ? in->maxr[i] : in->R, c;

		for (c = 0; c < copies; c++, k++) {
			memcpy(score + (size_t)k * in->m, in->score + i * in->m,
			    (size_t)in->m * sizeof *score);
			cls[k] = i;
			owner[k] = i;
		}
	}
	for (j = 0; j < in->m; j++)
		cap[j] = in->R * in->places[j];
	memset(&mp, 0, sizeof mp);
	mp.nmentees = nrep;
	mp.nmentors = in->m;
	mp.capacity = cap;
	mp.score = score;
	mp.objective = in->obj;
	mp.mentee_class = cls;
	mp.max_per_class = 1;
	if (match_solve(&mp, &r, &err) != 0)
		fail_msg("match_solve: %s", err.msg);
	*matched = r.matched;
	*total = r.total;
	for (k = 0; k < nrep; k++)
		if (r.mentor_of[k] >= 0)
			count[owner[k]]++;
	*squares = 0;
	for (i = 0; i < in->n; i++)
		*squares += (int64_t)count[i] * count[i];
	match_result_free(&r);
	free(score);
	free(cls);
	free(owner);
	free(cap);
	free(count);
}

static void
test_relaxation_bound(void **state)
{
	struct inst in;
	struct rounds_problem p;
	struct rounds_plan plan;
	int64_t total, squares;
	int t, matched;

	(void)state;
	for (t = 0; t < 400; t++) {
		inst_random(&in, MAXN, MAXM, 8, 3);
		p = inst_problem(&in);
		solve_ok(&p, &plan);
		relaxation(&in, &matched, &total, &squares);
		/* the plan is a feasible relaxation solution: never above it */
		if (match_compare_objective(in.obj, (int)plan.n, plan.total,
		    matched, total) > 0)
			fail_msg("instance %d: plan beats the relaxation", t);
		if (!in.balance) {
			/* nothing lost by cutting into rounds: equal */
			assert_int_equal((int)plan.n, matched);
			assert_int_equal(plan.total, total);
		} else {
			/* the spread comes second (coverage) or third (score) */
			assert_int_equal((int)plan.n, matched);
			if (in.obj == OBJECTIVE_SCORE)
				assert_int_equal(plan.total, total);
			else
				assert_true(plan.total <= total);
			assert_true(plan.squares <= squares);
		}
		rounds_plan_free(&plan);
	}
}

/* Every rule, checked independently of rounds_verify, on many instances. */
static void
test_constraints(void **state)
{
	struct inst in;
	struct rounds_problem p;
	struct rounds_plan plan;
	int t;
	size_t e, f;

	(void)state;
	for (t = 0; t < 400; t++) {
		int per_round[8][MAXM];
		int mentee_round[MAXN][8];

		inst_random(&in, 40, 20, 8, 3);
		p = inst_problem(&in);
		solve_ok(&p, &plan);
		memset(per_round, 0, sizeof per_round);
		memset(mentee_round, 0, sizeof mentee_round);
		for (e = 0; e < plan.n; e++) {
			const struct rounds_meeting *m = &plan.v[e];

			/* never an excluded pair */
			assert_int_not_equal(in.score[m->mentee * in.m +
			    m->mentor], MATCH_EXCLUDED);
			/* table size / capacity per round */
			assert_true(++per_round[m->round][m->mentor] <=
			    in.places[m->mentor]);
			/* one meeting per mentee per round */
			assert_int_equal(mentee_round[m->mentee][m->round]++, 0);
			for (f = e + 1; f < plan.n; f++) {
				/* no repeats */
				assert_false(plan.v[f].mentee == m->mentee &&
				    plan.v[f].mentor == m->mentor);
				/* one meeting per mentor seat per round */
				assert_false(plan.v[f].round == m->round &&
				    plan.v[f].mentor == m->mentor &&
				    plan.v[f].seat == m->seat);
			}
			if (e > 0)   /* listed by round, mentor, seat */
				assert_true(plan.v[e - 1].round < m->round ||
				    (plan.v[e - 1].round == m->round &&
				    (plan.v[e - 1].mentor < m->mentor ||
				    (plan.v[e - 1].mentor == m->mentor &&
				    plan.v[e - 1].seat < m->seat))));
		}
		/* rounds are numbered fullest first */
		for (e = 1; e < (size_t)in.R; e++) {
			int a = 0, b = 0, j;

			for (j = 0; j < in.m; j++) {
				a += per_round[e - 1][j];
				b += per_round[e][j];
			}
			assert_true(a >= b);
		}
		rounds_plan_free(&plan);
	}
}

static void
test_deterministic(void **state)
{
	struct inst in;
	struct rounds_problem p;
	struct rounds_plan a, b;
	int t;

	(void)state;
	for (t = 0; t < 100; t++) {
		inst_random(&in, 30, 12, 6, 2);
		p = inst_problem(&in);
		solve_ok(&p, &a);
		solve_ok(&p, &b);
		assert_int_equal(a.n, b.n);
		if (a.n > 0)
			assert_memory_equal(a.v, b.v, a.n * sizeof *a.v);
		rounds_plan_free(&a);
		rounds_plan_free(&b);
	}
}

/*
 * The caller sorts people by a key (e-mail): whatever order they were
 * loaded in, sorting first gives the same problem and so the same plan.
 * Also, the optimum's value never depends on the order at all.
 */
static void
test_order_independent(void **state)
{
	struct inst in, sh, back;
	struct rounds_problem p;
	struct rounds_plan a, b, c;
	int pm[MAXN], pj[MAXM], inv_m[MAXN], inv_j[MAXM];
	int t, i, j, k, x;

	(void)state;
	for (t = 0; t < 100; t++) {
		inst_random(&in, 30, 12, 6, 2);
		for (i = 0; i < in.n; i++)
			pm[i] = i;
		for (j = 0; j < in.m; j++)
			pj[j] = j;
		for (i = in.n - 1; i > 0; i--) {
			k = rnd_in(0, i);
			x = pm[i]; pm[i] = pm[k]; pm[k] = x;
		}
		for (j = in.m - 1; j > 0; j--) {
			k = rnd_in(0, j);
			x = pj[j]; pj[j] = pj[k]; pj[k] = x;
		}
		/* shuffled: sh's row i is in's row pm[i] */
		sh = in;
		for (i = 0; i < in.n; i++) {
			sh.maxr[i] = in.maxr[pm[i]];
			inv_m[pm[i]] = i;
			for (j = 0; j < in.m; j++)
				sh.score[i * in.m + j] =
				    in.score[pm[i] * in.m + pj[j]];
		}
		for (j = 0; j < in.m; j++) {
			sh.places[j] = in.places[pj[j]];
			inv_j[pj[j]] = j;
		}
		p = inst_problem(&in);
		solve_ok(&p, &a);
		p = inst_problem(&sh);
		solve_ok(&p, &b);
		assert_int_equal(rounds_compare(in.obj, in.balance, a.n,
		    a.squares, a.total, b.n, b.squares, b.total), 0);
		/* the caller's sort by key undoes the shuffle */
		back = sh;
		for (i = 0; i < in.n; i++) {
			back.maxr[i] = sh.maxr[inv_m[i]];
			for (j = 0; j < in.m; j++)
				back.score[i * in.m + j] =
				    sh.score[inv_m[i] * in.m + inv_j[j]];
		}
		for (j = 0; j < in.m; j++)
			back.places[j] = sh.places[inv_j[j]];
		p = inst_problem(&back);
		solve_ok(&p, &c);
		assert_int_equal(a.n, c.n);
		if (a.n > 0)
			assert_memory_equal(a.v, c.v, a.n * sizeof *a.v);
		rounds_plan_free(&a);
		rounds_plan_free(&b);
		rounds_plan_free(&c);
	}
}

/*
 * Short of places, the meetings go round: 4 mentees, 2 mentors with one
 * seat, 2 rounds.  The two favourites could take all four meetings (score
 * 4 * 10000), but everybody gets one first.
 */
static void
test_balance(void **state)
{
	static const int16_t score[] = {
		10000, 10000,
		10000, 10000,
		100, 100,
		100, 100,
	};
	static const int places[] = { 1, 1 };
	struct rounds_problem p;
	struct rounds_plan plan;
	int i;

	(void)state;
	memset(&p, 0, sizeof p);
	p.nmentees = 4;
	p.nmentors = 2;
	p.score = score;
	p.nrounds = 2;
	p.places = places;
	p.objective = OBJECTIVE_COVERAGE;
	p.balance = true;
	solve_ok(&p, &plan);
	assert_int_equal(plan.n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(plan.meetings_of[i], 1);
	assert_int_equal(plan.total, 20200);
	rounds_plan_free(&plan);
	p.balance = false;
	solve_ok(&p, &plan);
	assert_int_equal(plan.n, 4);
	assert_int_equal(plan.total, 40000);
	rounds_plan_free(&plan);
	/* score objective: the score decides even against the spread */
	p.objective = OBJECTIVE_SCORE;
	p.balance = true;
	solve_ok(&p, &plan);
	assert_int_equal(plan.total, 40000);
	rounds_plan_free(&plan);
}

/* A flash table: one mentor, table of 2, 3 rounds, 5 mentees. */
static void
test_table(void **state)
{
	static const int16_t score[] = { 5000, 6000, 7000, 8000, 9000 };
	static const int places[] = { 2 };
	struct rounds_problem p;
	struct rounds_plan plan;
	size_t e;
	int per_round[3] = { 0, 0, 0 };

	(void)state;
	memset(&p, 0, sizeof p);
	p.nmentees = 5;
	p.nmentors = 1;
	p.score = score;
	p.nrounds = 3;
	p.places = places;
	p.objective = OBJECTIVE_COVERAGE;
	p.balance = true;
	solve_ok(&p, &plan);
	/* 5 mentees, each can meet the one mentor once: 5 of 6 seats */
	assert_int_equal(plan.n, 5);
	assert_int_equal(plan.mentees_met, 5);
	for (e = 0; e < plan.n; e++)
		per_round[plan.v[e].round]++;
	assert_int_equal(per_round[0], 2);
	assert_int_equal(per_round[1], 2);
	assert_int_equal(per_round[2], 1);
	rounds_plan_free(&plan);
}

static void
test_edges(void **state)
{
	struct error err = ERROR_INIT;
	static const int16_t excl[] = { MATCH_EXCLUDED, MATCH_EXCLUDED };
	static const int16_t bad[] = { 10001 };
	static const int places[] = { 1, 1 }, neg[] = { -1 };
	static const int maxr[] = { 3 };
	struct rounds_problem p;
	struct rounds_plan plan = ROUNDS_PLAN_INIT;

	(void)state;
	memset(&p, 0, sizeof p);
	p.nrounds = 3;
	p.places = places;
	/* nobody */
	solve_ok(&p, &plan);
	assert_int_equal(plan.n, 0);
	rounds_plan_free(&plan);
	/* everything excluded */
	p.nmentees = 1;
	p.nmentors = 2;
	p.score = excl;
	solve_ok(&p, &plan);
	assert_int_equal(plan.n, 0);
	assert_int_equal(plan.mentees_met, 0);
	rounds_plan_free(&plan);
	/* malformed */
	p.nmentors = 1;
	p.score = bad;
	assert_int_equal(rounds_plan(&p, &plan, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	p.score = excl;
	p.places = neg;
	assert_int_equal(rounds_plan(&p, &plan, &err), -1);
	p.places = places;
	p.nrounds = 2;
	p.max_rounds = maxr;
	assert_int_equal(rounds_plan(&p, &plan, &err), -1);
	p.nrounds = 0;
	p.max_rounds = NULL;
	assert_int_equal(rounds_plan(&p, &plan, &err), -1);
	error_clear(&err);
}

/* rounds_verify catches each broken rule. */
static void
test_verify(void **state)
{
	static const int16_t score[] = { 100, 200, 300, 400 };
	static const int places[] = { 1, 1 };
	struct error err = ERROR_INIT;
	struct rounds_problem p;
	struct rounds_plan plan;
	struct rounds_meeting saved;

	(void)state;
	memset(&p, 0, sizeof p);
	p.nmentees = 2;
	p.nmentors = 2;
	p.score = score;
	p.nrounds = 2;
	p.places = places;
	solve_ok(&p, &plan);
	assert_int_equal(plan.n, 4);
	saved = plan.v[2];
	plan.v[2].round = plan.v[0].round;      /* a seat twice in a round */
	assert_int_equal(rounds_verify(&p, &plan, &err), -1);
	plan.v[2] = saved;
	saved = plan.v[0];
	plan.v[0].mentor = plan.v[2].mentor;
	plan.v[0].mentee = plan.v[2].mentee;    /* a repeat */
	plan.v[0].score = plan.v[2].score;
	assert_int_equal(rounds_verify(&p, &plan, &err), -1);
	plan.v[0] = saved;
	plan.total++;
	assert_int_equal(rounds_verify(&p, &plan, &err), -1);
	plan.total--;
	assert_int_equal(rounds_verify(&p, &plan, &err), 0);
	rounds_plan_free(&plan);
	error_clear(&err);
}

/* Group circles: the solver's classes keep departments apart. */
static void
test_group_diversity(void **state)
{
	struct error err = ERROR_INIT;
	struct match_problem mp;
	struct match_result r;
	int16_t score[24 * 6];
	int cap[6], cls[24], t, i, j, K;

	(void)state;
	for (t = 0; t < 300; t++) {
		int n = rnd_in(1, 24), m = rnd_in(1, 6), seen[6][5];

		K = rnd_in(1, 2);
		for (j = 0; j < m; j++)
			cap[j] = rnd_in(0, 5);
		for (i = 0; i < n; i++) {
			cls[i] = rnd_in(-1, 4);
			for (j = 0; j < m; j++)
				score[i * m + j] = rnd_in(0, 9) == 0 ?
				    MATCH_EXCLUDED : (int16_t)(rnd_in(0, 4) * 2500);
		}
		memset(&mp, 0, sizeof mp);
		mp.nmentees = n;
		mp.nmentors = m;
		mp.capacity = cap;
		mp.score = score;
		mp.objective = OBJECTIVE_COVERAGE;
		mp.mentee_class = cls;
		mp.max_per_class = K;
		r = (struct match_result)MATCH_RESULT_INIT;
		if (match_solve(&mp, &r, &err) != 0)
			fail_msg("match_solve: %s", err.msg);
		memset(seen, 0, sizeof seen);
		for (i = 0; i < n; i++) {
			j = r.mentor_of[i];
			if (j < 0 || cls[i] < 0)
				continue;
			assert_true(++seen[j][cls[i]] <= K);
		}
		/*
		 * Coverage is exact: no group can take one more mentee of
		 * a class it has room for while someone who could join is
		 * left out (a cheap certificate: an unmatched mentee with
		 * an allowed mentor that has a free place and room in the
		 * class would be a better assignment).
		 */
		for (i = 0; i < n; i++) {
			if (r.mentor_of[i] >= 0)
				continue;
			for (j = 0; j < m; j++) {
				int used = 0, k;

				for (k = 0; k < n; k++)
					used += r.mentor_of[k] == j;
				if (score[i * m + j] == MATCH_EXCLUDED ||
				    used >= cap[j])
					continue;
				assert_true(cls[i] >= 0 && seen[j][cls[i]] >= K);
			}
		}
		match_result_free(&r);
	}
	error_clear(&err);
}

static void
test_period_start(void **state)
{
	struct duration month = { 1, DATE_UNIT_MONTH };
	struct duration fortnight = { 2, DATE_UNIT_WEEK };
	int d;

	(void)state;
	d = date_from_ymd(2027, 1, 31);
	assert_int_equal(rounds_period_start(month, 1, d, 1), d);
	/* clamped month ends carry over, as cycles do */
	assert_int_equal(rounds_period_start(month, 1, d, 2),
	    date_from_ymd(2027, 2, 28));
	assert_int_equal(rounds_period_start(month, 1, d, 3),
	    date_from_ymd(2027, 3, 28));
	assert_int_equal(rounds_period_start(month, 2, date_from_ymd(2027, 2,
	    28), 4), date_from_ymd(2027, 4, 28));
	assert_int_equal(rounds_period_start(fortnight, 1,
	    date_from_ymd(2027, 1, 11), 3), date_from_ymd(2027, 2, 8));
	assert_int_equal(rounds_period_start(month, 3, d, 2), DATE_NONE);
	assert_int_equal(rounds_period_start(month, 1, DATE_NONE, 2),
	    DATE_NONE);
}

static void
test_format_text(void **state)
{
	struct program *p = program_new();
	char *s;

	(void)state;
	p->format = FORMAT_REVERSE;
	s = rounds_format_text(p);
	assert_string_equal(s, "reverse mentoring: the junior mentors the "
	    "senior (the mentor's level is below the mentee's)");
	free(s);
	p->format = FORMAT_PEER;
	p->peer.max_level_gap = 1;
	s = rounds_format_text(p);
	assert_string_equal(s, "peer mentoring: partners at levels at most 1 "
	    "apart");
	free(s);
	p->format = FORMAT_FLASH;
	p->flash.rounds = 5;
	p->flash.minutes = 12;
	p->flash.table_size = 2;
	p->flash.date = date_from_ymd(2027, 3, 18);
	p->flash.has_start = true;
	p->flash.start = 14 * 60;
	strcpy(p->flash.timezone, "Europe/Paris");
	s = rounds_format_text(p);
	assert_string_equal(s, "flash mentoring: 5 rounds of 12 minutes, a "
	    "different mentor each round, up to 2 mentees per mentor per "
	    "round, on 2027-03-18 at 14:00 Europe/Paris");
	free(s);
	p->format = FORMAT_ROTATIONAL;
	p->rotation.periods = 12;
	p->rotation.every = (struct duration){ 1, DATE_UNIT_MONTH };
	p->mentor.capacity = 3;
	s = rounds_format_text(p);
	assert_string_equal(s, "rotational mentoring: 12 periods of 1 month, "
	    "a different mentor each period, up to 3 mentees per mentor per "
	    "period");
	free(s);
	p->format = FORMAT_GROUP;
	p->mentor.capacity = 5;
	s = rounds_format_text(p);
	assert_string_equal(s, "group circles: one mentor with up to 5 "
	    "mentees, at most 1 per department; check-ins and feedback per "
	    "member, reported per circle");
	free(s);
	program_free(p);
}

/* A larger session stays fast enough for a command: 300 x 60, 6 rounds. */
static void
test_larger(void **state)
{
	struct rounds_problem p;
	struct rounds_plan plan;
	int16_t *score;
	int places[60], i, n = 300, m = 60;

	(void)state;
	score = xmalloc((size_t)n * m * sizeof *score);
	for (i = 0; i < n * m; i++)
		score[i] = rnd_in(0, 9) == 0 ? MATCH_EXCLUDED :
		    (int16_t)rnd_in(0, MATCH_SCORE_MAX);
	for (i = 0; i < m; i++)
		places[i] = rnd_in(1, 3);
	memset(&p, 0, sizeof p);
	p.nmentees = n;
	p.nmentors = m;
	p.score = score;
	p.nrounds = 6;
	p.places = places;
	p.objective = OBJECTIVE_COVERAGE;
	p.balance = true;
	solve_ok(&p, &plan);
	assert_true(plan.n > 0);
	rounds_plan_free(&plan);
	free(score);
}

/*
 * A rotation on the matching solver's sparse path (over 65,536 pairs),
 * against the same solver on the replicated problem of relaxation() (a
 * mentee copied once per round, the copies one class): two different
 * networks, both proven optimal by their certificates.  Without balance
 * their optima must agree.
 */
static void
test_rotation_vs_replicas(void **state)
{
	struct error err = ERROR_INIT;
	struct rounds_problem p;
	struct rounds_plan plan;
	struct match_problem mp;
	struct match_result r = MATCH_RESULT_INIT;
	int n = 300, m = 240, R = 3, i, j, c, o;
	int16_t *score = xmalloc((size_t)n * m * sizeof *score);
	int16_t *rep = xmalloc((size_t)n * R * m * sizeof *rep);
	int *places = xmalloc(m * sizeof *places);
	int *cap = xmalloc(m * sizeof *cap), *cls = xmalloc(n * R * sizeof *cls);

	(void)state;
	for (i = 0; i < n; i++) {
		int a = rnd_in(0, 100);

		for (j = 0; j < m; j++)
			score[i * m + j] = rnd_in(0, 14) == 0 ? MATCH_EXCLUDED :
			    (int16_t)(a * 40 + rnd_in(0, 6000));
	}
	for (j = 0; j < m; j++) {
		places[j] = rnd_in(1, 2);
		cap[j] = R * places[j];
	}
	for (i = 0; i < n; i++)
		for (c = 0; c < R; c++) {
			memcpy(rep + ((size_t)i * R + c) * m, score + i * m,
			    (size_t)m * sizeof *rep);
			cls[i * R + c] = i;
		}
	for (o = 0; o < 2; o++) {
		memset(&p, 0, sizeof p);
		p.nmentees = n;
		p.nmentors = m;
		p.score = score;
		p.nrounds = R;
		p.places = places;
		p.objective = o ? OBJECTIVE_SCORE : OBJECTIVE_COVERAGE;
		solve_ok(&p, &plan);
		memset(&mp, 0, sizeof mp);
		mp.nmentees = n * R;
		mp.nmentors = m;
		mp.capacity = cap;
		mp.score = rep;
		mp.objective = p.objective;
		mp.mentee_class = cls;
		mp.max_per_class = 1;
		if (match_solve(&mp, &r, &err) != 0)
			fail_msg("match_solve: %s", err.msg);
		assert_int_equal((int)plan.n, r.matched);
		assert_true(plan.total == r.total);
		match_result_free(&r);
		rounds_plan_free(&plan);
	}
	free(score);
	free(rep);
	free(places);
	free(cap);
	free(cls);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_force),
		cmocka_unit_test(test_relaxation_bound),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_balance),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_group_diversity),
		cmocka_unit_test(test_period_start),
		cmocka_unit_test(test_format_text),
		cmocka_unit_test(test_larger),
		cmocka_unit_test(test_rotation_vs_replicas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
