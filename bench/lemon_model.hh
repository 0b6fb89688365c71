// The mentoring b-matching as a min-cost flow for LEMON's NetworkSimplex:
// the anchor of `make bench`, written independently of src/core/match.c
// (its own network and its own weights), so that equal optima mean
// something.
//
//   src --(1, -Rcov)--> mentee i          first mentor (min_first only)
//   src --(b_i - 1 or b_i, 0)--> mentee i the other places of the mentee
//                                         (with even: b_i unit arcs, the
//                                         k-th costing (2k - 1) Reven)
//   mentee i --(1, -(s * Rtot + Rpairs))--> mentor j   (or its class node)
//   class node (j, k) --(K, 0)--> mentor j
//   mentor j --(c_j, 0)--> T, or with spread c_j arcs (1, (2k - 1) Rsq)
//   src --(F, 0)--> T                      unused mentee places
//
// with supply F = sum b_i at src and -F at T.  The objective is a value
// vector compared lexicographically (match.h):
//   coverage: [covered mentees], pairs, [-even], [-squares], total score
//   score:    [covered mentees], total score, pairs, [-even], [-squares]
// (even: the sum over mentees of their number of mentors squared; squares:
// the same over mentors.)
// encoded in mixed radix: each level's multiplier exceeds the largest
// possible difference of everything below it.
#ifndef BENCH_LEMON_MODEL_HH
#define BENCH_LEMON_MODEL_HH

#include <stdint.h>
#include <time.h>
#include <sys/resource.h>

#include <vector>

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

struct lm_problem {
	int n, m;
	const int *cap;            // m
	const int *mcap;           // n, or NULL: 1 each
	const int16_t *score;      // n * m, -1 excluded
	bool score_objective;
	bool min_first;
	bool spread;
	bool even;
	const int *cls;            // n or NULL (-1: none)
	int K;
};

struct lm_result {
	bool ok;
	long covered;              // mentees with at least one mentor
	long pairs;
	long long total;
	long long squares;         // sum of mentor loads squared
	long long even;            // sum of mentee degrees squared
	long long arcs;
	double build_cpu, solve_cpu;
	std::vector<int> pair_mentee, pair_mentor;
};

static double
lm_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef lemon::SmartDigraph LmGraph;

// Arc costs computed on the fly from the scores, so that the anchor does
// not pay for a cost map it does not need.
struct lm_costs {
	typedef LmGraph::Arc Key;
	typedef long long Value;
	const LmGraph *g;
	const lm_problem *p;
	int first_mentor, first_class, T, src;
	const std::vector<int> *class_mentor;
	const std::vector<long long> *arc_cost;    // non-pair arcs, by id - npair
	int npair;
	long long rtot, rpairs;

	Value operator[](const Key &a) const
	{
		int id = g->id(a);

		if (id >= npair)
			return (*arc_cost)[id - npair];
		int u = g->id(g->source(a)), v = g->id(g->target(a));
		int i = u, j = v >= first_class ? (*class_mentor)[v - first_class] :
		    v - first_mentor;
		int s = p->score[(size_t)i * p->m + j];
		return -((long long)s * rtot + rpairs);
	}
};

static void
lm_solve(const lm_problem *p, lm_result *r)
{
	using namespace lemon;
	LmGraph g;
	long long P = 0, places = 0, sumb = 0, cmax = 0, sqmax = 0, bmax = 0;
	long long evmax, rtot, rpairs, rsq, rcov, rev;
	int n = p->n, m = p->m, i, j, k;
	double t0 = lm_cpu();

	r->ok = false;
	for (i = 0; i < n; i++) {
		long long b = p->mcap ? p->mcap[i] : 1;
		sumb += b;
		if (b > bmax)
			bmax = b;
	}
	for (j = 0; j < m; j++) {
		long long c = p->cap[j] < sumb ? p->cap[j] : sumb;
		places += c;
		if (c > cmax)
			cmax = c;
	}
	P = places < sumb ? places : sumb;
	// the largest possible value of each level: its multiplier is one
	// more than everything below it can add up to
	sqmax = p->spread ? P * (cmax < P ? cmax : P) : 0;
	evmax = p->even ? P * bmax : 0;
	if (!p->score_objective) {
		rtot = 1;
		rsq = 10000 * P + 1;
		rev = rsq * (sqmax + 1);
		rpairs = rev * (evmax + 1);
		rcov = rpairs * (P + 1);
	} else {
		rsq = 1;
		rev = sqmax + 1;
		rpairs = rev * (evmax + 1);
		rtot = rpairs * (P + 1);
		rcov = rtot * (10000 * P + 1);
	}
	if (!p->spread)
		rsq = 0;
	if (!p->even)
		rev = 0;

	// nodes: mentees 0..n-1, mentors, class nodes, src, T
	std::vector<int> class_mentor, class_id;
	std::vector<int> cls_index;        // compressed class of each mentee
	int ncls = 0;
	if (p->cls) {
		std::vector<int> vals;
		for (i = 0; i < n; i++)
			if (p->cls[i] >= 0)
				vals.push_back(p->cls[i]);
		std::sort(vals.begin(), vals.end());
		vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
		ncls = (int)vals.size();
		cls_index.resize(n);
		for (i = 0; i < n; i++)
			cls_index[i] = p->cls[i] < 0 ? -1 : (int)(std::lower_bound(
			    vals.begin(), vals.end(), p->cls[i]) - vals.begin());
	}
	int first_mentor = n, first_class = n + m;
	int nclassnodes = ncls * m;
	int src = first_class + nclassnodes, T = src + 1;
	g.reserveNode(T + 1);
	for (k = 0; k <= T; k++)
		g.addNode();
	for (k = 0; k < nclassnodes; k++)
		class_mentor.push_back(k / (ncls ? ncls : 1));

	size_t npair = 0;
	for (size_t c = 0; c < (size_t)n * m; c++)
		if (p->score[c] >= 0)
			npair++;
	g.reserveArc((int)(npair + (size_t)n * (p->even ? bmax : 2) +
	    (size_t)m * (p->spread ? cmax : 1) +
	    nclassnodes + 1));
	for (i = 0; i < n; i++) {
		const int16_t *row = p->score + (size_t)i * m;
		int ci = p->cls ? cls_index[i] : -1;
		for (j = 0; j < m; j++) {
			if (row[j] < 0)
				continue;
			int v = ci < 0 ? first_mentor + j :
			    first_class + j * ncls + ci;
			g.addArc(g.nodeFromId(i), g.nodeFromId(v));
		}
	}
	// the other arcs, with their capacities and costs
	std::vector<long long> other_cost;
	std::vector<int> other_cap;
	for (i = 0; i < n; i++) {
		int b = p->mcap ? p->mcap[i] : 1;
		if (b == 0)
			continue;
		if (p->even) {
			for (k = 1; k <= b; k++) {
				g.addArc(g.nodeFromId(src), g.nodeFromId(i));
				other_cost.push_back((2LL * k - 1) * rev -
				    (k == 1 && p->min_first ? rcov : 0));
				other_cap.push_back(1);
			}
			continue;
		}
		if (p->min_first) {
			g.addArc(g.nodeFromId(src), g.nodeFromId(i));
			other_cost.push_back(-rcov);
			other_cap.push_back(1);
			b--;
		}
		if (b > 0) {
			g.addArc(g.nodeFromId(src), g.nodeFromId(i));
			other_cost.push_back(0);
			other_cap.push_back(b);
		}
	}
	for (k = 0; k < nclassnodes; k++) {
		g.addArc(g.nodeFromId(first_class + k),
		    g.nodeFromId(first_mentor + class_mentor[k]));
		other_cost.push_back(0);
		other_cap.push_back(p->K);
	}
	for (j = 0; j < m; j++) {
		int c = (int)(p->cap[j] < sumb ? p->cap[j] : sumb);
		if (c == 0)
			continue;
		if (!p->spread) {
			g.addArc(g.nodeFromId(first_mentor + j), g.nodeFromId(T));
			other_cost.push_back(0);
			other_cap.push_back(c);
			continue;
		}
		for (k = 1; k <= c; k++) {
			g.addArc(g.nodeFromId(first_mentor + j), g.nodeFromId(T));
			other_cost.push_back((2LL * k - 1) * rsq);
			other_cap.push_back(1);
		}
	}
	g.addArc(g.nodeFromId(src), g.nodeFromId(T));
	other_cost.push_back(0);
	other_cap.push_back((int)sumb);

	lm_costs costs;
	costs.g = &g;
	costs.p = p;
	costs.first_mentor = first_mentor;
	costs.first_class = first_class;
	costs.T = T;
	costs.src = src;
	costs.class_mentor = &class_mentor;
	costs.arc_cost = &other_cost;
	costs.npair = (int)npair;
	costs.rtot = rtot;
	costs.rpairs = rpairs;

	struct lm_caps {
		typedef LmGraph::Arc Key;
		typedef int Value;
		const LmGraph *g;
		const std::vector<int> *cap;
		int npair;
		Value operator[](const Key &a) const
		{
			int id = g->id(a);
			return id < npair ? 1 : (*cap)[id - npair];
		}
	} caps = { &g, &other_cap, (int)npair };

	LmGraph::NodeMap<int> supply(g, 0);
	supply[g.nodeFromId(src)] = (int)sumb;
	supply[g.nodeFromId(T)] = -(int)sumb;
	r->arcs = g.arcNum();

	double t1 = lm_cpu();
	r->build_cpu = t1 - t0;
	NetworkSimplex<LmGraph, int, long long> ns(g);
	ns.costMap(costs).upperMap(caps).supplyMap(supply);
	if (ns.run() != NetworkSimplex<LmGraph, int, long long>::OPTIMAL)
		return;
	r->solve_cpu = lm_cpu() - t1;

	std::vector<int> deg(n, 0), load(m, 0);
	r->pairs = 0;
	r->total = 0;
	r->pair_mentee.clear();
	r->pair_mentor.clear();
	for (int id = 0; id < (int)npair; id++) {
		LmGraph::Arc a = g.arcFromId(id);
		if (ns.flow(a) == 0)
			continue;
		int u = g.id(g.source(a)), v = g.id(g.target(a));
		j = v >= first_class ? class_mentor[v - first_class] :
		    v - first_mentor;
		deg[u]++;
		load[j]++;
		r->pairs++;
		r->total += p->score[(size_t)u * m + j];
		r->pair_mentee.push_back(u);
		r->pair_mentor.push_back(j);
	}
	r->covered = 0;
	for (i = 0; i < n; i++)
		r->covered += deg[i] > 0;
	r->squares = 0;
	for (j = 0; j < m; j++)
		r->squares += (long long)load[j] * load[j];
	r->even = 0;
	for (i = 0; i < n; i++)
		r->even += (long long)deg[i] * deg[i];
	r->ok = true;
}

static long
lm_peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

#endif
