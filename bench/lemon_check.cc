// A long randomized comparison of the matching solver (src/core/match.c)
// and the rotation planner (src/core/rounds.c) with LEMON's network simplex
// on the whole problem (bench/lemon_model.hh, its own network and weights):
//
//   lemon_check [COUNT [SEED]]
//
// COUNT instances (default 2000) of every family of bench/gen_match.h,
// small ones (the solver's whole-graph path) and medium ones (over 65,536
// pairs: sparse candidates and the certificate), with random options:
// objective, mentee capacities, min_first, spread, even, department
// classes, and rotation plans.  Every level of the objective must be equal
// (pairs, total score, and covered / even / squares where they are
// levels), and the plans must pass their own checks.  Prints one line per
// family and exits 1 at the first difference, printing the instance.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern "C" {
#include "core/match.h"
#include "core/rounds.h"
#include "util/error.h"
}

#include "gen_match.h"
#include "lemon_model.hh"

static uint64_t rs;

static int
rnd(int lo, int hi)
{
	rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return lo + (int)((rs >> 33) % (uint64_t)(hi - lo + 1));
}

struct inst {
	int kind, n, m, obj, min_first, spread, even, classes, K, rounds;
	uint64_t seed;
};

static void
describe(const inst &x)
{
	fprintf(stderr, "instance: %s %d x %d seed %llu objective %s "
	    "min_first %d spread %d even %d classes %d K %d rounds %d\n",
	    gen_kinds[x.kind], x.n, x.m, (unsigned long long)x.seed,
	    x.obj ? "score" : "coverage", x.min_first, x.spread, x.even,
	    x.classes, x.K, x.rounds);
}

// Mentee capacities and classes drawn from the instance's seed.
static void
extras(const inst &x, std::vector<int> &mcap, std::vector<int> &cls)
{
	uint64_t keep = rs;
	int i;

	rs = x.seed * 7 + 3;
	mcap.assign(x.n, 1);
	cls.assign(x.n, -1);
	for (i = 0; i < x.n; i++) {
		if (x.rounds == 0 && x.kind % 2 == 1)
			mcap[i] = rnd(0, 4);
		if (x.classes)
			cls[i] = rnd(-1, x.classes - 1) * 10;
	}
	rs = keep;
}

static int
check_match(const inst &x)
{
	std::vector<int16_t> score((size_t)x.n * x.m + 1);
	std::vector<int> cap(x.m + 1), mcap, cls;
	struct match_problem p;
	struct match_result r = MATCH_RESULT_INIT;
	struct error err = ERROR_INIT;
	lm_problem lp;
	lm_result lr;
	long long even = 0;
	size_t e;

	gen_instance(x.kind, x.n, x.m, x.seed, cap.data(), score.data());
	extras(x, mcap, cls);
	memset(&p, 0, sizeof p);
	p.nmentees = x.n;
	p.nmentors = x.m;
	p.capacity = cap.data();
	p.score = score.data();
	p.objective = x.obj ? OBJECTIVE_SCORE : OBJECTIVE_COVERAGE;
	p.mentee_capacity = mcap.data();
	p.min_first = x.min_first;
	p.spread = x.spread;
	p.even = x.even;
	if (x.classes) {
		p.mentee_class = cls.data();
		p.max_per_class = x.K;
	}
	if (match_solve(&p, &r, &err) != 0) {
		describe(x);
		fprintf(stderr, "match_solve: %s\n", err.msg);
		return -1;
	}
	memset(&lp, 0, sizeof lp);
	lp.n = x.n;
	lp.m = x.m;
	lp.cap = cap.data();
	lp.mcap = mcap.data();
	lp.score = score.data();
	lp.score_objective = x.obj;
	lp.min_first = x.min_first;
	lp.spread = x.spread;
	lp.even = x.even;
	if (x.classes) {
		lp.cls = cls.data();
		lp.K = x.K;
	}
	lm_solve(&lp, &lr);
	{
		std::vector<int> deg(x.n, 0);
		for (e = 0; e < r.npairs; e++)
			deg[r.pairs[e].mentee]++;
		for (int i = 0; i < x.n; i++)
			even += (long long)deg[i] * deg[i];
	}
	if (!lr.ok || (long)r.npairs != lr.pairs || r.total != lr.total ||
	    (x.min_first && r.matched != lr.covered) ||
	    (x.spread && r.squares != lr.squares) ||
	    (x.even && even != lr.even)) {
		describe(x);
		fprintf(stderr, "ours: pairs %zu total %lld covered %d squares "
		    "%lld even %lld\nlemon: pairs %ld total %lld covered %ld "
		    "squares %lld even %lld\n", r.npairs, (long long)r.total,
		    r.matched, (long long)r.squares, even, lr.pairs, lr.total,
		    lr.covered, lr.squares, lr.even);
		match_result_free(&r);
		return -1;
	}
	match_result_free(&r);
	return 0;
}

static int
check_rounds(const inst &x)
{
	std::vector<int16_t> score((size_t)x.n * x.m + 1);
	std::vector<int> places(x.m + 1), cap(x.m + 1), mcap(x.n + 1);
	struct rounds_problem rp;
	struct rounds_plan plan = ROUNDS_PLAN_INIT;
	struct error err = ERROR_INIT;
	lm_problem lp;
	lm_result lr;
	int i, j;

	gen_instance(x.kind, x.n, x.m, x.seed, places.data(), score.data());
	for (j = 0; j < x.m; j++)
		cap[j] = places[j] * x.rounds;
	for (i = 0; i < x.n; i++)
		mcap[i] = x.rounds < x.m ? x.rounds : x.m;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = x.n;
	rp.nmentors = x.m;
	rp.score = score.data();
	rp.nrounds = x.rounds;
	rp.places = places.data();
	rp.objective = x.obj ? OBJECTIVE_SCORE : OBJECTIVE_COVERAGE;
	rp.balance = x.even;
	if (rounds_plan(&rp, &plan, &err) != 0 ||
	    rounds_verify(&rp, &plan, &err) != 0) {
		describe(x);
		fprintf(stderr, "rounds: %s\n", err.msg);
		return -1;
	}
	memset(&lp, 0, sizeof lp);
	lp.n = x.n;
	lp.m = x.m;
	lp.cap = cap.data();
	lp.mcap = mcap.data();
	lp.score = score.data();
	lp.score_objective = x.obj;
	lp.even = x.even;
	lm_solve(&lp, &lr);
	if (!lr.ok || (long)plan.n != lr.pairs || plan.total != lr.total ||
	    (x.even && plan.squares != lr.even)) {
		describe(x);
		fprintf(stderr, "rounds: meetings %zu total %lld squares %lld\n"
		    "lemon: pairs %ld total %lld even %lld\n", plan.n,
		    (long long)plan.total, (long long)plan.squares, lr.pairs,
		    lr.total, lr.even);
		rounds_plan_free(&plan);
		return -1;
	}
	rounds_plan_free(&plan);
	return 0;
}

int
main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 2000, t;
	int nk = 0, k, medium[16] = { 0 }, small[16] = { 0 }, rot[16] = { 0 };
	double t0 = lm_cpu();

	rs = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	while (gen_kinds[nk] != NULL)
		nk++;
	for (t = 0; t < count; t++) {
		inst x;
		int size = rnd(0, 9), opts;

		memset(&x, 0, sizeof x);
		x.kind = (int)(t % nk);
		x.seed = (uint64_t)rnd(1, 1 << 30);
		x.obj = rnd(0, 1);
		opts = rnd(0, 3);
		if (size < 6) {
			x.n = rnd(1, 40);
			x.m = rnd(1, 20);
		} else {
			/* over FULL_GRAPH_PAIRS: the sparse path */
			x.n = rnd(300, 700);
			x.m = rnd(220, 320);
		}
		if (rnd(0, 4) == 0) {
			x.rounds = rnd(1, 6);
			x.even = rnd(0, 1);
			if (x.n > 300) {
				x.n /= 2;
				x.m /= 2;
			}
			if (check_rounds(x) != 0)
				return 1;
			rot[x.kind]++;
			continue;
		}
		x.min_first = opts & 1;
		x.spread = (opts >> 1) & 1;
		x.even = rnd(0, 3) == 0;
		if (rnd(0, 3) == 0) {
			x.classes = rnd(2, 5);
			x.K = rnd(1, 2);
		}
		if (check_match(x) != 0)
			return 1;
		if (size < 6)
			small[x.kind]++;
		else
			medium[x.kind]++;
	}
	for (k = 0; k < nk; k++)
		printf("%-12s %4d small, %4d medium, %4d rotations: same "
		    "optimum as LEMON\n", gen_kinds[k], small[k], medium[k],
		    rot[k]);
	printf("%ld instances in %.1f s\n", count, lm_cpu() - t0);
	return 0;
}
