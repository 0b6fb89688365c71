/*
 * Exactly optimal matching: a b-matching of mentees to mentors as a
 * min-cost flow, solved by a network simplex on a sparse candidate graph,
 * whose optimality is then proven on the whole (dense) problem.
 *
 * Network (costs are negated values, see "Levels"):
 *
 *	S --(tier arcs)--> mentee i --(1, -w_ij)--> mentor j --(places)--> T
 *	                   mentee i --(1, -w_ij)--> class node (j,k) --(K, 0)--> j
 *	S --(F + 1, 0)--> T                         unused mentee places
 *
 * S supplies F = the sum of the mentee capacities b_i and T takes them.
 * Mentee i's tier arcs carry its units: the k-th costs (2k - 1) Me, minus
 * Mc for the first (Me with `even`, Mc with min_first, else 0), so cheaper
 * units come first: the costs are convex.  A mentor's places are one arc
 * of capacity c_j and cost 0, or with `spread` c_j unit arcs, the k-th
 * costing (2k - 1) Msq.  A pair costs i - w_ij, w_ij = s_ij Msc + Mp: the
 * i is the tie rule's first part (match.h).
 *
 * Levels.  Any two plans differ by a sum of simple cycles in the residual
 * network, and a unit cycle changes `covered` and `pairs` by at most 1,
 * the squares by at most 2 max b (even) or 2 max c (spread), the total
 * score by at most 10000 P (P: the most pairs a plan can have) and the sum
 * of the pairs' mentee numbers by at most n - 1 (only where it passes S).
 * So when each level's multiplier exceeds the largest change a cycle can
 * make in all the levels below it (1 + the sum of multiplier x bound over
 * the lower levels), a plan of least cost has no cycle that improves a
 * level without losing a higher one: it is lexicographically optimal.  The
 * multipliers stay small: coverage is n s + n (10000 P + 1) per pair,
 * score 2 n s + n.  The tie rule's second part, earlier mentees with
 * earlier mentors, cannot be folded in (a cycle can change it by n m P):
 * it is a second optimisation, over the optimal face of the first (every
 * arc of nonzero reduced cost locked where it is), on small problems only.
 *
 * Exact arithmetic: every cost is int64.  Network simplex potentials are
 * sums of costs along tree paths; on a path the pair weights cancel
 * pairwise but for one (a mentee or mentor is entered by one pair arc and
 * left by another), so |potential| <= 3 max|cost| + nodes (10000 Msc + n);
 * set_levels checks that this stays below 2^61 (at 20,000 x 8,000 with
 * every option it is about 2^50).
 *
 * The network simplex (Dantzig's primal method on spanning trees, with
 * Cunningham's strongly feasible trees against cycling, the thread tree
 * indices of Glover, Klingman and Stutz, and block-search pricing; LEMON's
 * lemon/network_simplex.h is the model) starts from a tree of real arcs:
 * T is the root, S hangs on the bypass (carrying all F units), each mentor
 * on a place arc, each class node on its arc to its mentor, each mentee on
 * its best candidate pair, all at flow 0 and pointing to the root, so that
 * the tree is strongly feasible with no artificial arc and no big-M cost.
 * Arcs and nodes are only ever added: a new arc enters at flow 0 outside
 * the tree, a new node hangs as a leaf on the arc that brought it.  So the
 * optimum of one candidate graph is the start of the next (a warm start):
 * a round pays only for the pivots its new arcs cause.
 *
 * Candidates and the certificate.  On problems of up to 65,536 pairs the
 * graph is every allowed pair.  Else the first graph holds each mentee's
 * ROW_TOP best mentors (more with several places) and each mentor's
 * COL_TOP_MUL x capacity + COL_TOP_ADD best mentees; among equal scores a
 * mentor keeps the earliest mentees and a mentee the mentors from the one
 * owning its place number onwards, so that mass ties hold the plan the tie
 * rule wants instead of piling onto mentor 0.  When row and column means
 * explain half the scores' variance (a mentee term plus a mentor term, as
 * weighted criteria give), the top scores all go to the same few people
 * and say little about the optimum: then each mentee and mentor also lists
 * its best pairs by score minus the means (centred_candidates).  After
 * each solve every allowed pair of the matrix is checked against the
 * potentials: a pair outside the graph with a negative reduced cost would
 * improve the plan.  The worst violators are added per mentee and per
 * mentor (per mentor too: when a mentor is underpriced, every mentee's
 * worst violation is at that same mentor), twice as many each round, the
 * first round with near-violators, and the flow is re-optimised from where
 * it was.  When no pair violates, the potentials prove optimality on the
 * whole problem (LP duality: no residual arc of negative reduced cost, so
 * no negative cycle).  A node outside the graph gets the best potential
 * that keeps its arcs feasible: a class node its mentor's, a mentee pi(S)
 * plus its first tier's cost.  Each round adds a pair not in the graph, so
 * the loop ends; a round that adds none would be a bug, reported as one.
 *
 * Why this and not the alternatives.  The previous solver inserted mentor
 * places one at a time by Dijkstra (successive shortest paths) on the
 * candidate graph and re-solved it cold after each certificate round.  On
 * additive scores (40 b_i + 30 q_j + 30 f_ij) its first graph (top scores)
 * missed the optimum entirely, every mentee's violators were at the same
 * underpriced mentors, so it took 8-14 rounds on graphs growing to 0.6-1.2
 * M pairs, each solved cold: 16 s where LEMON needs 5 (5,000 x 2,000).  A
 * network simplex warm-starts for free, handles mentee capacities, tiers,
 * place costs and class caps as plain arcs (rotations, min_first, spread
 * and even need no special search), and its cost does not depend on the
 * weights' magnitude (a cost-scaling or auction method would pay log of
 * the big-M weights in phases).  Its weakness is degenerate pivots (90-99%
 * of them on these assignment-like networks), which is why the candidate
 * graph is kept small.
 *
 * Worst cases.  The number of rounds has no small bound: an adversary can
 * choose scores whose optimal duals are far from both the raw scores and
 * their row and column means, so that each round reveals new violators
 * (it ends: each round adds a pair, and the number added per row doubles
 * each round, so a violating row is complete after log2(m / 16) rounds).
 * Each round costs a pass over the n x m matrix plus the pivots.  The
 * network simplex itself is not polynomial with this pricing (none known
 * is, in the worst case) though strongly feasible trees rule out cycling.
 * Memory is the matrix (read only) plus about 30 bytes per candidate pair:
 * at worst (every pair a candidate) half of LEMON's 60 per pair.
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "core/match.h"
#include "util/xmalloc.h"


#define FULL_GRAPH_PAIRS (1 << 16)  /* below this, start from every pair */
#define ROW_TOP 12                  /* each mentee's best mentors ... */
#define ROW_TOP_PER_PLACE 2         /* ... and this many per extra place */
#define COL_TOP_MUL 4               /* each mentor's best mul x capacity */
#define COL_TOP_ADD 4               /* ... + add mentees */
#define CENTRED_ROW 8               /* each mentee's best centred pairs, */
#define CENTRED_COL 2               /* each mentor's capacity x 2 + 2, */
#define ADDITIVE_SHARE 50           /* when means explain half (in %) */
#define ADD_PER_ROW 16              /* violators added per mentee, round 1 */
#define ADD_SLACK 300               /* ... with those within 3 points */
#define POT_LIMIT ((int64_t)1 << 61)

enum { ST_UPPER = -1, ST_TREE = 0, ST_LOWER = 1 };
enum { DIR_DOWN = -1, DIR_UP = 1 };
enum { NODE_T, NODE_S, NODE_MENTOR, NODE_CLASS, NODE_MENTEE };

/* ---- the network simplex ---- */

struct ns {
	/* nodes */
	int nn, ncap;
	int *parent, *pred, *thread, *rev_thread, *succ_num, *last_succ;
	signed char *pred_dir;
	int64_t *pi;
	/* arcs */
	int na, acap;
	int *src, *dst, *cap, *flow;
	int64_t *cost;
	signed char *state;
	/* pivoting */
	int block, next_arc;
	int in_arc, join, u_in, v_in, u_out, v_out;
	int delta;
	int *dirty;
	int ndirty;
};

static void
ns_grow_nodes(struct ns *g, int want)
{
	int c = g->ncap ? g->ncap : 64;

	if (want <= g->ncap)
		return;
	while (c < want)
		c *= 2;
	g->parent = xreallocarray(g->parent, c, sizeof *g->parent);
	g->pred = xreallocarray(g->pred, c, sizeof *g->pred);
	g->thread = xreallocarray(g->thread, c, sizeof *g->thread);
	g->rev_thread = xreallocarray(g->rev_thread, c, sizeof *g->rev_thread);
	g->succ_num = xreallocarray(g->succ_num, c, sizeof *g->succ_num);
	g->last_succ = xreallocarray(g->last_succ, c, sizeof *g->last_succ);
	g->pred_dir = xreallocarray(g->pred_dir, c, sizeof *g->pred_dir);
	g->pi = xreallocarray(g->pi, c, sizeof *g->pi);
	g->dirty = xreallocarray(g->dirty, c, sizeof *g->dirty);
	g->ncap = c;
}

/* Room for `want` arcs, so that the arrays grow once, not by doubling. */
static void
ns_reserve_arcs(struct ns *g, size_t want)
{
	int c;

	if (want <= (size_t)g->acap)
		return;
	if (want > INT_MAX / 2)
		want = INT_MAX / 2;
	c = (int)want;
	g->src = xreallocarray(g->src, c, sizeof *g->src);
	g->dst = xreallocarray(g->dst, c, sizeof *g->dst);
	g->cap = xreallocarray(g->cap, c, sizeof *g->cap);
	g->flow = xreallocarray(g->flow, c, sizeof *g->flow);
	g->cost = xreallocarray(g->cost, c, sizeof *g->cost);
	g->state = xreallocarray(g->state, c, sizeof *g->state);
	g->acap = c;
}

/* A new arc u -> v at flow 0, outside the tree. */
static int
ns_add_arc(struct ns *g, int u, int v, int cap, int64_t cost)
{
	int a;

	if (g->na == g->acap)
		ns_reserve_arcs(g, g->acap ? (size_t)g->acap * 2 : 1024);
	a = g->na++;
	g->src[a] = u;
	g->dst[a] = v;
	g->cap[a] = cap;
	g->flow[a] = 0;
	g->cost[a] = cost;
	g->state[a] = ST_LOWER;
	return a;
}

/* The root: node 0, alone. */
static void
ns_init(struct ns *g)
{
	memset(g, 0, sizeof *g);
	ns_grow_nodes(g, 64);
	g->nn = 1;
	g->parent[0] = -1;
	g->pred[0] = -1;
	g->pred_dir[0] = DIR_UP;
	g->thread[0] = 0;
	g->rev_thread[0] = 0;
	g->succ_num[0] = 1;
	g->last_succ[0] = 0;
	g->pi[0] = 0;
}

/*
 * A new node hanging as a leaf on node p through arc a (from the new node
 * to p, at flow 0 and with room: strongly feasible).  Returns the node.
 */
static int
ns_add_leaf(struct ns *g, int p, int a)
{
	int x, nx, u;

	ns_grow_nodes(g, g->nn + 1);
	x = g->nn++;
	g->dst[a] = p;
	g->src[a] = x;
	g->state[a] = ST_TREE;
	g->parent[x] = p;
	g->pred[x] = a;
	g->pred_dir[x] = DIR_UP;
	g->succ_num[x] = 1;
	g->last_succ[x] = x;
	g->pi[x] = g->pi[p] - g->cost[a];
	/* x right after p in the preorder thread: p's first child */
	nx = g->thread[p];
	g->thread[p] = x;
	g->rev_thread[x] = p;
	g->thread[x] = nx;
	g->rev_thread[nx] = x;
	for (u = p; u != -1 && g->last_succ[u] == p; u = g->parent[u])
		g->last_succ[u] = x;
	for (u = p; u != -1; u = g->parent[u])
		g->succ_num[u]++;
	return x;
}

static inline int64_t
ns_rc(const struct ns *g, int e)
{
	return g->state[e] * (g->cost[e] + g->pi[g->src[e]] -
	    g->pi[g->dst[e]]);
}

/* Block search: the best eligible arc of the first block that has one. */
static int
ns_entering(struct ns *g)
{
	int64_t c, min = 0;
	int cnt = g->block, e, na = g->na;

	if (g->next_arc >= na)
		g->next_arc = 0;
	for (e = g->next_arc; e < na; e++) {
		c = ns_rc(g, e);
		if (c < min) {
			min = c;
			g->in_arc = e;
		}
		if (--cnt == 0) {
			if (min < 0)
				goto found;
			cnt = g->block;
		}
	}
	for (e = 0; e < g->next_arc; e++) {
		c = ns_rc(g, e);
		if (c < min) {
			min = c;
			g->in_arc = e;
		}
		if (--cnt == 0) {
			if (min < 0)
				goto found;
			cnt = g->block;
		}
	}
	if (min >= 0)
		return 0;
found:
	g->next_arc = e;
	return 1;
}

static void
ns_find_join(struct ns *g)
{
	int u = g->src[g->in_arc], v = g->dst[g->in_arc];

	while (u != v) {
		if (g->succ_num[u] < g->succ_num[v])
			u = g->parent[u];
		else
			v = g->parent[v];
	}
	g->join = u;
}

/*
 * The leaving arc: the first blocking arc met going round the cycle in the
 * direction of the flow change from the join (ties: the last one before the
 * join on the second side), which keeps the tree strongly feasible.
 * Returns 1 if it is not the entering arc itself.
 */
static int
ns_find_leaving(struct ns *g)
{
	int first, second, u, e, result = 0, d;

	if (g->state[g->in_arc] == ST_LOWER) {
		first = g->src[g->in_arc];
		second = g->dst[g->in_arc];
	} else {
		first = g->dst[g->in_arc];
		second = g->src[g->in_arc];
	}
	g->delta = g->cap[g->in_arc];
	for (u = first; u != g->join; u = g->parent[u]) {
		e = g->pred[u];
		d = g->pred_dir[u] == DIR_DOWN ? g->cap[e] - g->flow[e] :
		    g->flow[e];
		if (d < g->delta) {
			g->delta = d;
			g->u_out = u;
			result = 1;
		}
	}
	for (u = second; u != g->join; u = g->parent[u]) {
		e = g->pred[u];
		d = g->pred_dir[u] == DIR_UP ? g->cap[e] - g->flow[e] :
		    g->flow[e];
		if (d <= g->delta) {
			g->delta = d;
			g->u_out = u;
			result = 2;
		}
	}
	if (result == 1) {
		g->u_in = first;
		g->v_in = second;
	} else {
		g->u_in = second;
		g->v_in = first;
	}
	return result != 0;
}

static void
ns_change_flow(struct ns *g, int change)
{
	int u, val, e;

	if (g->delta > 0) {
		val = g->state[g->in_arc] * g->delta;
		g->flow[g->in_arc] += val;
		for (u = g->src[g->in_arc]; u != g->join; u = g->parent[u])
			g->flow[g->pred[u]] -= g->pred_dir[u] * val;
		for (u = g->dst[g->in_arc]; u != g->join; u = g->parent[u])
			g->flow[g->pred[u]] += g->pred_dir[u] * val;
	}
	if (change) {
		g->state[g->in_arc] = ST_TREE;
		e = g->pred[g->u_out];
		g->state[e] = g->flow[e] == 0 ? ST_LOWER : ST_UPPER;
	} else {
		g->state[g->in_arc] = (signed char)-g->state[g->in_arc];
	}
}

/* Re-hang the subtree of u_out on the entering arc (u_in, v_in). */
static void
ns_update_tree(struct ns *g)
{
	int old_rev_thread = g->rev_thread[g->u_out];
	int old_succ_num = g->succ_num[g->u_out];
	int old_last_succ = g->last_succ[g->u_out];
	int u_in = g->u_in, v_in = g->v_in, u_out = g->u_out, v_out, join;
	int u, p, i, after, before, stem, par_stem, next_stem, last;
	int thread_continue, tmp_sc, tmp_ls, up_limit_out, last_succ_out;

	v_out = g->v_out = g->parent[u_out];
	join = g->join;
	if (u_in == u_out) {
		g->parent[u_in] = v_in;
		g->pred[u_in] = g->in_arc;
		g->pred_dir[u_in] = u_in == g->src[g->in_arc] ? DIR_UP :
		    DIR_DOWN;
		if (g->thread[v_in] != u_out) {
			after = g->thread[old_last_succ];
			g->thread[old_rev_thread] = after;
			g->rev_thread[after] = old_rev_thread;
			after = g->thread[v_in];
			g->thread[v_in] = u_out;
			g->rev_thread[u_out] = v_in;
			g->thread[old_last_succ] = after;
			g->rev_thread[after] = old_last_succ;
		}
	} else {
		thread_continue = old_rev_thread == v_in ?
		    g->thread[old_last_succ] : g->thread[v_in];
		stem = u_in;
		par_stem = v_in;
		last = g->last_succ[u_in];
		after = g->thread[last];
		g->thread[v_in] = u_in;
		g->ndirty = 0;
		g->dirty[g->ndirty++] = v_in;
		while (stem != u_out) {
			next_stem = g->parent[stem];
			g->thread[last] = next_stem;
			g->dirty[g->ndirty++] = last;
			before = g->rev_thread[stem];
			g->thread[before] = after;
			g->rev_thread[after] = before;
			g->parent[stem] = par_stem;
			par_stem = stem;
			stem = next_stem;
			last = g->last_succ[stem] == g->last_succ[par_stem] ?
			    g->rev_thread[par_stem] : g->last_succ[stem];
			after = g->thread[last];
		}
		g->parent[u_out] = par_stem;
		g->thread[last] = thread_continue;
		g->rev_thread[thread_continue] = last;
		g->last_succ[u_out] = last;
		if (old_rev_thread != v_in) {
			g->thread[old_rev_thread] = after;
			g->rev_thread[after] = old_rev_thread;
		}
		for (i = 0; i < g->ndirty; i++) {
			u = g->dirty[i];
			g->rev_thread[g->thread[u]] = u;
		}
		tmp_sc = 0;
		tmp_ls = g->last_succ[u_out];
		for (u = u_out, p = g->parent[u]; u != u_in;
		    u = p, p = g->parent[u]) {
			g->pred[u] = g->pred[p];
			g->pred_dir[u] = (signed char)-g->pred_dir[p];
			tmp_sc += g->succ_num[u] - g->succ_num[p];
			g->succ_num[u] = tmp_sc;
			g->last_succ[p] = tmp_ls;
		}
		g->pred[u_in] = g->in_arc;
		g->pred_dir[u_in] = u_in == g->src[g->in_arc] ? DIR_UP :
		    DIR_DOWN;
		g->succ_num[u_in] = old_succ_num;
	}
	up_limit_out = g->last_succ[join] == v_in ? join : -1;
	last_succ_out = g->last_succ[u_out];
	for (u = v_in; u != -1 && g->last_succ[u] == v_in; u = g->parent[u])
		g->last_succ[u] = last_succ_out;
	if (join != old_rev_thread && v_in != old_rev_thread) {
		for (u = v_out; u != up_limit_out &&
		    g->last_succ[u] == old_last_succ; u = g->parent[u])
			g->last_succ[u] = old_rev_thread;
	} else if (last_succ_out != old_last_succ) {
		for (u = v_out; u != up_limit_out &&
		    g->last_succ[u] == old_last_succ; u = g->parent[u])
			g->last_succ[u] = last_succ_out;
	}
	for (u = v_in; u != join; u = g->parent[u])
		g->succ_num[u] += old_succ_num;
	for (u = v_out; u != join; u = g->parent[u])
		g->succ_num[u] -= old_succ_num;
}

static void
ns_update_potential(struct ns *g)
{
	int64_t sigma = g->pi[g->v_in] - g->pi[g->u_in] -
	    g->pred_dir[g->u_in] * g->cost[g->in_arc];
	int end = g->thread[g->last_succ[g->u_in]], u;

	for (u = g->u_in; u != end; u = g->thread[u])
		g->pi[u] += sigma;
}

/* Pivot until no arc has a negative reduced cost. */
static void
ns_run(struct ns *g)
{
	int b = 10;

	while ((long)b * b < g->na)
		b++;
	g->block = b;
	while (ns_entering(g)) {
		int change;

		ns_find_join(g);
		change = ns_find_leaving(g);
		ns_change_flow(g, change);
		if (change) {
			ns_update_tree(g);
			ns_update_potential(g);
		}
	}
}

/* The potentials that make every tree arc's reduced cost 0, root at 0. */
static void
ns_tree_potentials(struct ns *g)
{
	int u, a;

	g->pi[0] = 0;
	for (u = g->thread[0]; u != 0; u = g->thread[u]) {
		a = g->pred[u];
		if (g->pred_dir[u] == DIR_UP)
			g->pi[u] = g->pi[g->parent[u]] - g->cost[a];
		else
			g->pi[u] = g->pi[g->parent[u]] + g->cost[a];
	}
}

static void
ns_free(struct ns *g)
{
	free(g->parent);
	free(g->pred);
	free(g->thread);
	free(g->rev_thread);
	free(g->succ_num);
	free(g->last_succ);
	free(g->pred_dir);
	free(g->pi);
	free(g->dirty);
	free(g->src);
	free(g->dst);
	free(g->cap);
	free(g->flow);
	free(g->cost);
	free(g->state);
}

/* ---- the matching network on top of it ---- */

/* The class nodes, (mentor, class) -> node: an open-addressing hash. */
struct pairset {
	int64_t *key;
	int *arc;
	size_t size, used;     /* size: a power of two, or 0 */
};

static inline size_t
pairset_slot(int64_t k, size_t size)
{
	uint64_t h = (uint64_t)k * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 20) & (size - 1);
}

static int
pairset_get(const struct pairset *s, int64_t k)
{
	size_t i;

	if (s->size == 0)
		return -1;
	for (i = pairset_slot(k, s->size); s->key[i] >= 0;
	    i = (i + 1) & (s->size - 1))
		if (s->key[i] == k)
			return s->arc[i];
	return -1;
}

static void pairset_put(struct pairset *s, int64_t k, int arc);

/* Room for `want` entries at a load of at most one half. */
static void
pairset_reserve(struct pairset *s, size_t want)
{
	struct pairset old = *s;
	size_t i, size = 4096;

	while (size < 2 * want)
		size *= 2;
	if (size <= old.size)
		return;
	s->size = size;
	s->used = 0;
	s->key = xreallocarray(NULL, s->size, sizeof *s->key);
	s->arc = xreallocarray(NULL, s->size, sizeof *s->arc);
	memset(s->key, 0xff, s->size * sizeof *s->key);
	for (i = 0; i < old.size; i++)
		if (old.key[i] >= 0)
			pairset_put(s, old.key[i], old.arc[i]);
	free(old.key);
	free(old.arc);
}

static void
pairset_put(struct pairset *s, int64_t k, int arc)
{
	size_t i;

	if (2 * (s->used + 1) > s->size)
		pairset_reserve(s, s->size ? s->size : 2048);
	for (i = pairset_slot(k, s->size); s->key[i] >= 0;
	    i = (i + 1) & (s->size - 1))
		;
	s->key[i] = k;
	s->arc[i] = arc;
	s->used++;
}

/*
 * A bounded min-heap of (key, index) keeping the k largest keys seen; ties
 * keep the lower index, so that candidate lists do not depend on anything
 * but the input.
 */
struct topk {
	int64_t *key;
	int *idx;
	int n, k;
};

/*
 * The stages, optimised one after the other on the optimal face of the
 * previous ones (see the top): the objective, then the tie rule's two
 * parts.
 */
enum { STAGE_OBJECTIVE, STAGE_SORTED };

struct solver {
	int n, m;
	const int16_t *score;
	int *bcap;              /* mentee capacities (<= m), or NULL: 1 each */
	int *cap;               /* effective mentor capacity, <= total mentee places */
	int K;                  /* per (mentor, class) cap; INT_MAX without classes */
	int *cls;               /* compressed class per mentee, -1 none; NULL */
	int ncls;

	/* levels: pair weight s * msc + mp; tiers and places (see the top) */
	int64_t msc, mp, mcov, me, msq;
	int64_t place_total;    /* F, the mentee places */

	struct ns g;
	int S;                  /* node of S; T is the root, node 0 */
	int *mnode;             /* mentor -> node, -1 when it has no place */
	int *enode;             /* mentee -> node, -1 until it has a candidate */
	int *nkind, *nidx;      /* node -> kind, index (mentor, mentee, class id) */
	int nkcap;
	/* class nodes: (mentor, class) -> node, keyed j * ncls + k */
	struct pairset cnodes;
	size_t npairs;          /* candidate pairs in the graph */
	int stage;

	/*
	 * Which groups of four pairs hold an allowed one: bit g of row i's
	 * gwords words covers pairs 4g .. 4g + 3 (set by the first scan), so
	 * that the later scans of a sparse matrix jump over the empty ones.
	 */
	uint64_t *groups;
	int gwords;

	/* the scans' scratch, kept from round to round */
	int64_t *pe;            /* per mentor: its entry's potential, plus mp */
	int64_t *cfl;           /* per mentor: its heap's floor */
	int *mark, *order, *gstart, *gmentor;
	size_t gcap;
	struct topk row, *col;
	int64_t *colkey;
	int *colidx;
	size_t colcap;
	int *addbuf;            /* (mentee, mentor) pairs a scan adds */
	size_t naddbuf, addcap;
};

static inline int64_t
pair_weight(const struct solver *s, int sc)
{
	return (int64_t)sc * s->msc + s->mp;
}

/* The cost of pair (i, j) in the current stage. */
static inline int64_t
pair_cost(const struct solver *s, int i, int j, int sc)
{
	switch (s->stage) {
	case STAGE_SORTED:
		return (int64_t)(s->n - 1 - i) * j;
	default:
		return i - pair_weight(s, sc);
	}
}

static inline int
bcap_of(const struct solver *s, int i)
{
	return s->bcap != NULL ? s->bcap[i] : 1;
}

int
match_compare_objective(enum match_objective obj, int matched_a,
    int64_t total_a, int matched_b, int64_t total_b)
{
	int64_t a1, a2, b1, b2;

	if (obj == OBJECTIVE_SCORE) {
		a1 = total_a, a2 = matched_a, b1 = total_b, b2 = matched_b;
	} else {
		a1 = matched_a, a2 = total_a, b1 = matched_b, b2 = total_b;
	}
	if (a1 != b1)
		return a1 > b1 ? 1 : -1;
	if (a2 != b2)
		return a2 > b2 ? 1 : -1;
	return 0;
}

void
match_result_free(struct match_result *r)
{
	if (r == NULL)
		return;
	free(r->mentor_of);
	free(r->pairs);
	memset(r, 0, sizeof *r);
}

/*
 * 1 if every score is MATCH_EXCLUDED or 0..MATCH_SCORE_MAX: one branchless
 * pass (the compiler vectorises it), as the matrix can be large.
 */
static int
scores_in_range(const int16_t *score, size_t cells)
{
	unsigned bad = 0;
	size_t i;

	for (i = 0; i < cells; i++)
		bad |= (uint16_t)(score[i] + 1) > MATCH_SCORE_MAX + 1;
	return bad == 0;
}

/* The error for the first score out of range, in row-major order. */
static int
score_error(const struct match_problem *p, struct error *err)
{
	size_t i, cells = (size_t)p->nmentees * (size_t)p->nmentors;

	for (i = 0; i < cells; i++)
		if (p->score[i] < MATCH_EXCLUDED ||
		    p->score[i] > MATCH_SCORE_MAX)
			break;
	return error_set(err, EX_SOFTWARE, "match: score %d out of range at "
	    "mentee %zu, mentor %zu", p->score[i], i / p->nmentors,
	    i % p->nmentors);
}

/*
 * Everything but the scores of a large problem, which the first scan
 * checks as it reads them (a pass over the matrix fewer).
 */
static int
validate(const struct match_problem *p, struct error *err)
{
	size_t i, cells;

	if (p->nmentees < 0 || p->nmentors < 0)
		return error_set(err, EX_SOFTWARE,
		    "match: negative problem size %d x %d", p->nmentees,
		    p->nmentors);
	if (p->nmentees > 0 && p->nmentors > 0 &&
	    (int64_t)p->nmentees * p->nmentors > INT_MAX)
		return error_set(err, EX_SOFTWARE, "match: problem too large");
	if (p->nmentees > 200000)
		return error_set(err, EX_SOFTWARE,
		    "match: %d mentees is more than the solver's 200000",
		    p->nmentees);
	for (i = 0; i < (size_t)p->nmentors; i++)
		if (p->capacity[i] < 0)
			return error_set(err, EX_SOFTWARE,
			    "match: mentor %zu has negative capacity %d", i,
			    p->capacity[i]);
	for (i = 0; p->mentee_capacity != NULL && i < (size_t)p->nmentees; i++)
		if (p->mentee_capacity[i] < 0)
			return error_set(err, EX_SOFTWARE,
			    "match: mentee %zu has negative capacity %d", i,
			    p->mentee_capacity[i]);
	cells = (size_t)p->nmentees * (size_t)p->nmentors;
	if (cells <= FULL_GRAPH_PAIRS && !scores_in_range(p->score, cells))
		return score_error(p, err);
	if (p->mentee_class != NULL && p->max_per_class < 1)
		return error_set(err, EX_SOFTWARE,
		    "match: max_per_class %d must be at least 1",
		    p->max_per_class);
	return 0;
}

/* a * b + c, or -1 if it would pass POT_LIMIT (all operands >= 0). */
static int64_t
muladd(int64_t a, int64_t b, int64_t c)
{
	if (a < 0 || b < 0 || c < 0 || c > POT_LIMIT ||
	    (a != 0 && b > (POT_LIMIT - c) / a))
		return -1;
	return a * b + c;
}

/*
 * The multipliers of the levels (see the top): from the least significant
 * level up, each is 1 + the sum over the levels below of multiplier x the
 * most a unit cycle can change that level.  Returns 0, or -1 if they or the
 * potentials they lead to could overflow.
 */
static int
set_levels(struct solver *s, const struct match_problem *p)
{
	int64_t P, bmax = 0, cmax = 0, sumb = 0, places = 0, acc = 0;
	int64_t dscore, dsq, desq, maxcost, tie, nodes, c;
	int i, j;

	for (i = 0; i < s->n; i++) {
		sumb += bcap_of(s, i);
		if (bcap_of(s, i) > bmax)
			bmax = bcap_of(s, i);
	}
	for (j = 0; j < s->m; j++) {
		places += s->cap[j];
		if (s->cap[j] > cmax)
			cmax = s->cap[j];
	}
	P = places < sumb ? places : sumb;
	s->place_total = sumb;
	dscore = (int64_t)MATCH_SCORE_MAX * P;
	dsq = 2 * cmax;
	desq = 2 * bmax;
	s->msq = s->me = s->mcov = 0;
	/*
	 * Each step: this level's multiplier, then its share of acc.  The
	 * least significant level is the tie rule's first part, the sum
	 * over the pairs of the mentee's number (cost 1 x i per pair), which
	 * a unit cycle changes by at most n - 1.
	 */
	acc = s->n > 0 ? s->n - 1 : 0;
#define LEVEL(mult, delta) do {                                         \
		(mult) = acc + 1;                                       \
		if ((acc = muladd((mult), (delta), acc)) < 0)           \
			return -1;                                      \
	} while (0)
	if (p->objective == OBJECTIVE_SCORE) {
		if (p->spread)
			LEVEL(s->msq, dsq);
		if (p->even)
			LEVEL(s->me, desq);
		LEVEL(s->mp, 1);
		LEVEL(s->msc, dscore);
	} else {
		LEVEL(s->msc, dscore);
		if (p->spread)
			LEVEL(s->msq, dsq);
		if (p->even)
			LEVEL(s->me, desq);
		LEVEL(s->mp, 1);
	}
	if (p->min_first)
		LEVEL(s->mcov, 1);
#undef LEVEL
	/* the largest cost of any arc, and the potentials' bound */
	if ((maxcost = muladd(s->msc, MATCH_SCORE_MAX, s->mp + s->n)) < 0 ||
	    (c = muladd(2 * bmax, s->me, s->mcov)) < 0)
		return -1;
	if (c > maxcost)
		maxcost = c;
	if ((c = muladd(2 * cmax, s->msq, 0)) < 0)
		return -1;
	if (c > maxcost)
		maxcost = c;
	nodes = (int64_t)s->n + s->m + (int64_t)s->n * (s->cls ? 2 : 1) + 2;
	if ((c = muladd(3, maxcost, 0)) < 0 || muladd(nodes, muladd(s->msc,
	    MATCH_SCORE_MAX, s->n + 1), c) < 0)
		return -1;
	/* the sorting stage's costs are at most n * m, with no cancelling */
	tie = muladd(s->n, s->m, 0);
	if (tie < 0 || muladd(nodes, tie, 0) < 0)
		return -1;
	return 0;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Class ids become 0..ncls-1 so that per-class tables are dense. */
static void
compress_classes(struct solver *s, const int *cls)
{
	int *vals, nv = 0, i, lo, hi, mid;

	vals = xreallocarray(NULL, s->n > 0 ? s->n : 1, sizeof *vals);
	for (i = 0; i < s->n; i++)
		if (cls[i] >= 0)
			vals[nv++] = cls[i];
	xqsort(vals, nv, sizeof *vals, cmp_int);
	s->ncls = 0;
	for (i = 0; i < nv; i++)
		if (s->ncls == 0 || vals[s->ncls - 1] != vals[i])
			vals[s->ncls++] = vals[i];
	s->cls = xreallocarray(NULL, s->n > 0 ? s->n : 1, sizeof *s->cls);
	for (i = 0; i < s->n; i++) {
		s->cls[i] = -1;
		if (cls[i] < 0)
			continue;
		lo = 0;
		hi = s->ncls - 1;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (vals[mid] < cls[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		s->cls[i] = lo;
	}
	free(vals);
}

static void
set_kind(struct solver *s, int node, int kind, int idx)
{
	if (node >= s->nkcap) {
		s->nkcap = s->nkcap ? s->nkcap * 2 : 256;
		while (s->nkcap <= node)
			s->nkcap *= 2;
		s->nkind = xreallocarray(s->nkind, s->nkcap, sizeof *s->nkind);
		s->nidx = xreallocarray(s->nidx, s->nkcap, sizeof *s->nidx);
	}
	s->nkind[node] = kind;
	s->nidx[node] = idx;
}

/* S, T, the bypass and the mentors with their place arcs. */
static void
build_base(struct solver *s)
{
	int j, k, a, x;

	ns_init(&s->g);
	set_kind(s, 0, NODE_T, 0);
	a = ns_add_arc(&s->g, -1, 0, (int)s->place_total + 1, 0);
	s->S = ns_add_leaf(&s->g, 0, a);
	set_kind(s, s->S, NODE_S, 0);
	/* the bypass carries every unit to start with */
	s->g.flow[a] = (int)s->place_total;
	for (j = 0; j < s->m; j++) {
		s->mnode[j] = -1;
		if (s->cap[j] == 0)
			continue;
		if (s->msq == 0) {
			a = ns_add_arc(&s->g, -1, 0, s->cap[j], 0);
			x = ns_add_leaf(&s->g, 0, a);
		} else {
			a = ns_add_arc(&s->g, -1, 0, 1, s->msq);
			x = ns_add_leaf(&s->g, 0, a);
			for (k = 2; k <= s->cap[j]; k++)
				ns_add_arc(&s->g, x, 0, 1, (2LL * k - 1) *
				    s->msq);
		}
		s->mnode[j] = x;
		set_kind(s, x, NODE_MENTOR, j);
	}
}

/* What S -> i costs for its first unit, in the objective's stage. */
static inline int64_t
tier1_cost(const struct solver *s)
{
	return s->me - s->mcov;
}

/*
 * The tier arcs S -> mentee node x of capacity b.  In a tie stage a mentee
 * new to the graph takes its first unit at no cost to the objective (its
 * potential says so), the others only at a cost: those are locked.
 */
static void
add_tiers(struct solver *s, int x, int b)
{
	int a0 = s->g.na, a, k;

	if (s->me == 0) {
		if (s->mcov != 0) {
			ns_add_arc(&s->g, s->S, x, 1, -s->mcov);
			if (b > 1)
				ns_add_arc(&s->g, s->S, x, b - 1, 0);
		} else {
			ns_add_arc(&s->g, s->S, x, b, 0);
		}
	} else {
		for (k = 1; k <= b; k++)
			ns_add_arc(&s->g, s->S, x, 1, (2LL * k - 1) * s->me -
			    (k == 1 ? s->mcov : 0));
	}
	if (s->stage == STAGE_OBJECTIVE)
		return;
	for (a = a0; a < s->g.na; a++) {
		if (s->g.cost[a] != tier1_cost(s))
			s->g.state[a] = ST_TREE;        /* locked at 0 */
		s->g.cost[a] = 0;
	}
}

/* Where pair arcs of mentee i to mentor j enter: the mentor or a class node. */
static int
entry_node(struct solver *s, int i, int j)
{
	int64_t key;
	int x, a;

	if (s->cls == NULL || s->cls[i] < 0)
		return s->mnode[j];
	key = (int64_t)j * s->ncls + s->cls[i];
	if ((x = pairset_get(&s->cnodes, key)) >= 0)
		return x;
	a = ns_add_arc(&s->g, -1, s->mnode[j], s->K, 0);
	x = ns_add_leaf(&s->g, s->mnode[j], a);
	set_kind(s, x, NODE_CLASS, j);
	pairset_put(&s->cnodes, key, x);
	return x;
}

/*
 * Pair (i, j) into the graph, unless it cannot be used.  The callers make
 * sure that it is not there yet.
 */
static void
add_pair(struct solver *s, int i, int j)
{
	int x, a, sc = s->score[(size_t)i * s->m + j];

	if (sc < 0 || s->mnode[j] < 0 || bcap_of(s, i) == 0)
		return;
	x = entry_node(s, i, j);
	if (s->enode[i] < 0) {
		a = ns_add_arc(&s->g, -1, x, 1, pair_cost(s, i, j, sc));
		s->enode[i] = ns_add_leaf(&s->g, x, a);
		set_kind(s, s->enode[i], NODE_MENTEE, i);
		add_tiers(s, s->enode[i], bcap_of(s, i));
	} else {
		ns_add_arc(&s->g, s->enode[i], x, 1, pair_cost(s, i, j, sc));
	}
	s->npairs++;
}

static inline int
topk_less(int64_t ka, int ia, int64_t kb, int ib)
{
	/* "a is worse than b": smaller key, or equal key and higher index */
	return ka < kb || (ka == kb && ia > ib);
}

static void
topk_push(struct topk *t, int64_t key, int idx)
{
	int i, c, l, r;

	if (t->k == 0)
		return;
	if (t->n == t->k) {
		if (!topk_less(t->key[0], t->idx[0], key, idx))
			return;
		i = 0;
		for (;;) {
			l = 2 * i + 1;
			r = l + 1;
			c = i;
			if (l < t->n && topk_less(t->key[l], t->idx[l],
			    c == i ? key : t->key[c], c == i ? idx : t->idx[c]))
				c = l;
			if (r < t->n && topk_less(t->key[r], t->idx[r],
			    c == i ? key : t->key[c], c == i ? idx : t->idx[c]))
				c = r;
			if (c == i)
				break;
			t->key[i] = t->key[c];
			t->idx[i] = t->idx[c];
			i = c;
		}
		t->key[i] = key;
		t->idx[i] = idx;
		return;
	}
	i = t->n++;
	while (i > 0) {
		c = (i - 1) / 2;
		if (!topk_less(key, idx, t->key[c], t->idx[c]))
			break;
		t->key[i] = t->key[c];
		t->idx[i] = t->idx[c];
		i = c;
	}
	t->key[i] = key;
	t->idx[i] = idx;
}

/* The heap's entries, best first (heapsort in place). */
static void
topk_sort(struct topk *t)
{
	int n = t->n, i, c, pos, li, x;
	int64_t k, lk;

	while (t->n > 1) {
		k = t->key[0];
		x = t->idx[0];
		i = --t->n;
		lk = t->key[i];
		li = t->idx[i];
		pos = 0;
		for (;;) {
			c = 2 * pos + 1;
			if (c >= t->n)
				break;
			if (c + 1 < t->n && topk_less(t->key[c + 1],
			    t->idx[c + 1], t->key[c], t->idx[c]))
				c++;
			if (!topk_less(t->key[c], t->idx[c], lk, li))
				break;
			t->key[pos] = t->key[c];
			t->idx[pos] = t->idx[c];
			pos = c;
		}
		t->key[pos] = lk;
		t->idx[pos] = li;
		t->key[i] = k;
		t->idx[i] = x;
	}
	t->n = n;
}

/*
 * Candidate lists must not break ties by index: with many equal scores every
 * mentee would pick the same low-numbered mentors and the graph would miss
 * most of the optimum.  A fixed hash of the pair spreads ties evenly and
 * keeps the graph a function of the input alone.
 */
static inline int64_t
spread_key(int64_t key, int i, int j)
{
	uint32_t h = (uint32_t)i * 0x9e3779b1u ^ (uint32_t)j * 0x85ebca77u;

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return key * 65536 + (h & 0xffff);
}

/* The number of trailing zero bits of x != 0 (de Bruijn's multiplication). */
static inline int
ctz64(uint64_t x)
{
	static const unsigned char pos[64] = {
		0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
		62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
		63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
		46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6
	};

	return pos[((x & (0 - x)) * 0x03f79d71b4cb0a89ULL) >> 58];
}

/*
 * 1 if the four scores from p on are all excluded (-1, all bits set): one
 * load, one test.
 */
static inline int
four_excluded(const int16_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w == UINT64_MAX;
}

/* The row heap (k entries) and per-mentor heaps (mul x capacity + add). */
static void
set_heaps(struct solver *s, int krow, int mul, int add)
{
	size_t total = 0, off = 0;
	int j, kc;

	s->row.key = xreallocarray(s->row.key, krow > 0 ? krow : 1,
	    sizeof *s->row.key);
	s->row.idx = xreallocarray(s->row.idx, krow > 0 ? krow : 1,
	    sizeof *s->row.idx);
	s->row.k = krow < s->m ? krow : s->m;
	s->row.n = 0;
	if (s->col == NULL)
		s->col = xcalloc((size_t)s->m + 1, sizeof *s->col);
	for (j = 0; j < s->m; j++) {
		kc = s->mnode[j] < 0 ? 0 : s->cap[j] * mul + add;
		if (kc > s->n)
			kc = s->n;
		s->col[j].k = kc;
		s->col[j].n = 0;
		total += kc;
	}
	if (total > s->colcap) {
		s->colcap = total;
		s->colkey = xreallocarray(s->colkey, total, sizeof *s->colkey);
		s->colidx = xreallocarray(s->colidx, total, sizeof *s->colidx);
	}
	for (j = 0; j < s->m; j++) {
		s->col[j].key = s->colkey + off;
		s->col[j].idx = s->colidx + off;
		off += s->col[j].k;
	}
}

static void graph_rows(struct solver *s);

/*
 * How many first candidates a mentee of capacity b lists: room for its
 * places and for alternatives.
 */
static int
row_top(const struct solver *s, int b)
{
	int k = ROW_TOP + ROW_TOP_PER_PLACE * (b > 1 ? b - 1 : 0);

	return k < s->m ? k : s->m;
}

/* 1 if mentor j is in the first n entries of list. */
static inline int
in_list(const int *list, int n, int j)
{
	int c;

	for (c = 0; c < n; c++)
		if (list[c] == j)
			return 1;
	return 0;
}

/*
 * The first candidates, from one pass over the matrix.  Among equal scores,
 * a mentor's list keeps the earliest mentees (lower index wins in the
 * heap), and mentee i's list the mentors from the one that owns place i
 * onwards (places numbered through the mentors in order, wrapping round):
 * so with mass ties the graph holds the plan the tie rule picks (earliest
 * mentees, in order over the mentors' places) rather than piling every
 * mentee onto mentor 0.  A row key is score * 65536 + 65535 - that rank, a
 * column key the score.
 */
static int
initial_candidates(struct solver *s)
{
	struct topk *col, *row = &s->row;
	int64_t *cfl, rfl, key, pos = 0, places = 0;
	unsigned bad = 0;
	int *rowc, *rown, *owner = NULL, i, j, j0, c, off, rank, bmax = 1;
	int kmax;

	if ((size_t)s->n * (size_t)s->m <= FULL_GRAPH_PAIRS) {
		for (i = 0; i < s->n; i++)
			for (j = 0; j < s->m; j++)
				add_pair(s, i, j);
		return 0;
	}
	for (i = 0; i < s->n; i++)
		if (bcap_of(s, i) > bmax)
			bmax = bcap_of(s, i);
	set_heaps(s, row_top(s, bmax), COL_TOP_MUL, COL_TOP_ADD);
	kmax = row->k;
	col = s->col;
	/* place k belongs to mentor owner[k] */
	for (j = 0; j < s->m; j++)
		places += s->mnode[j] >= 0 ? s->cap[j] : 0;
	if (places > 0) {
		owner = xreallocarray(NULL, places, sizeof *owner);
		for (j = 0, c = 0; j < s->m; j++)
			for (i = 0; s->mnode[j] >= 0 && i < s->cap[j]; i++)
				owner[c++] = j;
	}
	/* the heaps' floors side by side, so that the scan stays in cache */
	cfl = xreallocarray(NULL, s->m ? s->m : 1, sizeof *cfl);
	for (j = 0; j < s->m; j++)
		cfl[j] = col[j].k > 0 ? 0 : INT64_MAX;
	s->gwords = (s->m + 255) / 256;
	s->groups = xcalloc((size_t)s->n * s->gwords + 1, sizeof *s->groups);
	rowc = xreallocarray(NULL, (size_t)s->n * kmax + 1, sizeof *rowc);
	rown = xcalloc((size_t)s->n + 1, sizeof *rown);
	for (i = 0; i < s->n; i++) {
		const int16_t *sr = s->score + (size_t)i * s->m;

		row->k = row_top(s, bcap_of(s, i));
		if (bcap_of(s, i) == 0 || owner == NULL) {
			bad |= !scores_in_range(sr, s->m);
			continue;
		}
		off = owner[pos % places];
		pos += bcap_of(s, i);
		row->n = 0;
		rfl = row->k > 0 ? 0 : INT64_MAX;
		for (j0 = 0; j0 < s->m; j0 += 4) {
			int jend = j0 + 4 < s->m ? j0 + 4 : s->m;

			if (jend - j0 == 4 && four_excluded(sr + j0))
				continue;
			s->groups[(size_t)i * s->gwords + j0 / 256] |=
			    (uint64_t)1 << (j0 / 4 % 64);
			for (j = j0; j < jend; j++) {
				int sc = sr[j];

				/* the scores' check, see validate() */
				bad |= (uint16_t)(sc + 1) > MATCH_SCORE_MAX + 1;
				/* an excluded pair is below both floors (>= 0) */
				if (sc >= cfl[j]) {
					topk_push(&col[j], sc, i);
					if (col[j].n == col[j].k)
						cfl[j] = col[j].key[0] + 1;
				}
				key = (int64_t)sc * 65536 + 65535;
				if (key < rfl || s->mnode[j] < 0)
					continue;
				rank = j >= off ? j - off : j - off + s->m;
				topk_push(row, key - (rank < 65535 ? rank : 65535),
				    j);
				if (row->n == row->k)
					rfl = row->key[0];
			}
		}
		/* best first: a new mentee hangs on its best pair */
		topk_sort(row);
		memcpy(rowc + (size_t)i * kmax, row->idx,
		    row->n * sizeof *rowc);
		rown[i] = row->n;
	}
	for (i = 0; i < s->n; i++)
		for (c = 0; c < rown[i]; c++)
			add_pair(s, i, rowc[(size_t)i * kmax + c]);
	for (j = 0; j < s->m; j++) {
		topk_sort(&col[j]);
		for (c = 0; c < col[j].n; c++) {
			i = col[j].idx[c];
			if (!in_list(rowc + (size_t)i * kmax, rown[i], j))
				add_pair(s, i, j);
		}
	}
	free(owner);
	free(cfl);
	free(rowc);
	free(rown);
	return bad ? -1 : 0;
}

/*
 * How much of the scores' variance a mentee term plus a mentor term
 * explains (row and column means of a sample of rows), in percent.
 */
static int
additive_share(const struct solver *s, int64_t *beta)
{
	int64_t *bsum, tot = 0, alpha, d;
	int *bcnt, i, j, rstep, cnt, all = 0, rows;
	double ss_tot = 0, ss_res = 0, mu;

	bsum = xcalloc((size_t)s->m + 1, sizeof *bsum);
	bcnt = xcalloc((size_t)s->m + 1, sizeof *bcnt);
	rstep = s->n > 256 ? s->n / 256 : 1;
	for (i = 0; i < s->n; i += rstep)
		for (j = 0; j < s->m; j++)
			if (s->score[(size_t)i * s->m + j] >= 0) {
				bsum[j] += s->score[(size_t)i * s->m + j];
				bcnt[j]++;
				tot += s->score[(size_t)i * s->m + j];
				all++;
			}
	mu = all ? (double)tot / all : 0;
	for (j = 0; j < s->m; j++)
		beta[j] = bcnt[j] ? bsum[j] / bcnt[j] : (int64_t)mu;
	for (i = 0; i < s->n; i += rstep) {
		const int16_t *sr = s->score + (size_t)i * s->m;
		int64_t sum = 0;

		for (j = 0, cnt = 0; j < s->m; j++)
			if (sr[j] >= 0) {
				sum += sr[j] - beta[j];
				cnt++;
			}
		alpha = cnt ? sum / cnt : 0;
		for (j = 0; j < s->m; j++)
			if (sr[j] >= 0) {
				d = sr[j] - alpha - beta[j];
				ss_res += (double)d * d;
				ss_tot += (sr[j] - mu) * (sr[j] - mu);
			}
	}
	free(bsum);
	free(bcnt);
	/* adjusted for the means fitted: a sparse sample fits noise too */
	rows = (s->n + rstep - 1) / rstep;
	if (ss_tot <= 0 || all <= rows + s->m + 1)
		return 0;
	return (int)(100 * (1 - (ss_res / (all - rows - s->m)) /
	    (ss_tot / (all - 1))));
}

/*
 * More first candidates when the scores are mostly a mentee term plus a
 * mentor term (what weighted criteria give): then the top scores all go
 * to the same few mentors and mentees and say little about the optimum,
 * whose duals are close to those terms.  So each mentee also lists its
 * best pairs by score minus the mentor's column mean, and each mentor its
 * best by score minus the mentee's row mean (of score minus column
 * means): the pairs whose own part, the noise, is best.
 */
static void
centred_candidates(struct solver *s, const int64_t *beta)
{
	struct topk *col, *row = &s->row;
	int64_t alpha, key;
	int *rowc, *rown, i, j, c, cnt;

	set_heaps(s, CENTRED_ROW, CENTRED_COL, CENTRED_COL);
	col = s->col;
	rowc = xreallocarray(NULL, (size_t)s->n * row->k + 1, sizeof *rowc);
	rown = xcalloc((size_t)s->n + 1, sizeof *rown);
	for (i = 0; i < s->n; i++) {
		const int16_t *sr = s->score + (size_t)i * s->m;
		int64_t sum = 0;

		if (bcap_of(s, i) == 0)
			continue;
		for (j = 0, cnt = 0; j < s->m; j++)
			if (sr[j] >= 0) {
				sum += sr[j] - beta[j];
				cnt++;
			}
		alpha = cnt ? sum / cnt : 0;
		row->n = 0;
		for (j = 0; j < s->m; j++) {
			if (sr[j] < 0 || s->mnode[j] < 0)
				continue;
			key = spread_key(sr[j] - beta[j] + 30000, i, j);
			topk_push(row, key, j);
			key = spread_key(sr[j] - alpha - beta[j] + 30000, i, j);
			topk_push(&col[j], key, i);
		}
		topk_sort(row);
		memcpy(rowc + (size_t)i * row->k, row->idx,
		    row->n * sizeof *rowc);
		rown[i] = row->n;
	}
	graph_rows(s);
	for (i = 0; i < s->n; i++)
		for (c = 0; c < rown[i]; c++)
			if (!in_list(s->gmentor + s->gstart[i], s->gstart[i + 1] -
			    s->gstart[i], rowc[(size_t)i * row->k + c]))
				add_pair(s, i, rowc[(size_t)i * row->k + c]);
	graph_rows(s);
	for (j = 0; j < s->m; j++) {
		topk_sort(&col[j]);
		for (c = 0; c < col[j].n; c++) {
			i = col[j].idx[c];
			if (!in_list(s->gmentor + s->gstart[i],
			    s->gstart[i + 1] - s->gstart[i], j))
				add_pair(s, i, j);
		}
	}
	free(rowc);
	free(rown);
}

/*
 * The potential of graph node x, or of the node a mentee or class node
 * outside the graph would be: the best potential that keeps its arcs
 * feasible, pi(S) plus its first tier's cost for a mentee, its mentor's
 * for a class node.
 */
static inline int64_t
mentee_pot(const struct solver *s, int i)
{
	if (s->enode[i] >= 0)
		return s->g.pi[s->enode[i]];
	return s->g.pi[s->S] + tier1_cost(s);
}

/*
 * pe[j]: the potential of mentor j's entry for mentees of class k (-1:
 * none), plus mp.  Mentors without places get -(INT64_MAX / 4): nothing
 * flows through them, no pair of theirs violates.
 */
static void
entry_potentials(const struct solver *s, int k, int64_t *pe)
{
	int j, x, c;

	for (j = 0; j < s->m; j++) {
		if ((x = s->mnode[j]) < 0) {
			pe[j] = -(INT64_MAX / 4);
			continue;
		}
		if (k >= 0 && (c = pairset_get(&s->cnodes,
		    (int64_t)j * s->ncls + k)) >= 0)
			x = c;
		pe[j] = s->g.pi[x] + s->mp;
	}
}

/* Per mentee, the mentors it has a candidate pair with (gstart, gmentor). */
static void
graph_rows(struct solver *s)
{
	int a, u, i;

	s->gstart = xreallocarray(s->gstart, (size_t)s->n + 2,
	    sizeof *s->gstart);
	memset(s->gstart, 0, ((size_t)s->n + 2) * sizeof *s->gstart);
	if (s->npairs > s->gcap) {
		s->gcap = s->npairs + s->npairs / 2;
		s->gmentor = xreallocarray(s->gmentor, s->gcap,
		    sizeof *s->gmentor);
	}
	for (a = 0; a < s->g.na; a++)
		if ((u = s->g.src[a]) >= 0 && s->nkind[u] == NODE_MENTEE)
			s->gstart[s->nidx[u] + 2]++;
	for (i = 0; i < s->n; i++)
		s->gstart[i + 2] += s->gstart[i + 1];
	for (a = 0; a < s->g.na; a++)
		if ((u = s->g.src[a]) >= 0 && s->nkind[u] == NODE_MENTEE)
			s->gmentor[s->gstart[s->nidx[u] + 1]++] =
			    s->nidx[s->g.dst[a]];
}

/* One row's scan: what the pairs of a mentee are checked against. */
struct rowscan {
	int i;
	int64_t pii, lim, slack;
	size_t bad;
};

/* Pair (i, j) of score sc against the potentials: note it if it improves. */
static inline void
scan_pair(struct solver *s, struct rowscan *r, int j, int sc)
{
	int64_t v, key;
	struct topk *col;

	if ((int64_t)sc * s->msc + s->pe[j] <= r->lim ||
	    s->mark[j] == r->i + 1)
		return;
	/* the reduced profit, > -slack */
	v = (int64_t)sc * s->msc + s->pe[j] - r->pii;
	if (v > 0)
		r->bad++;
	key = spread_key(v, r->i, j);
	topk_push(&s->row, key, j);
	if (key > s->cfl[j]) {
		col = &s->col[j];
		topk_push(col, key, r->i);
		if (col->n == col->k)
			s->cfl[j] = col->key[0];
	}
}

/* 1 if some allowed pair outside the graph violates (scan's setup done). */
static int
any_violation(struct solver *s)
{
	const int16_t *sr;
	int64_t pii;
	int i, j, c, idx, k = -2, ck;

	for (idx = 0; idx < s->n; idx++) {
		i = s->order[idx];
		if (bcap_of(s, i) == 0)
			continue;
		ck = s->cls != NULL ? s->cls[i] : -1;
		if (ck != k) {
			k = ck;
			entry_potentials(s, k, s->pe);
		}
		pii = mentee_pot(s, i) + i;
		for (c = s->gstart[i]; c < s->gstart[i + 1]; c++)
			s->mark[s->gmentor[c]] = i + 1;
		sr = s->score + (size_t)i * s->m;
		for (j = 0; j < s->m; j++) {
			int64_t x = (int64_t)sr[j] * s->msc + s->pe[j] - pii;

			if (((x - 1) | sr[j]) >= 0 && s->mark[j] != i + 1)
				return 1;
		}
	}
	return 0;
}

static void
addbuf_put(struct solver *s, int i, int j)
{
	XGROW(s->addbuf, 2 * (s->naddbuf + 1), s->addcap);
	s->addbuf[2 * s->naddbuf] = i;
	s->addbuf[2 * s->naddbuf + 1] = j;
	s->naddbuf++;
}

/* Mentees grouped by class: the entry potentials change once per class. */
static void
scan_setup(struct solver *s)
{
	int i, k;

	s->pe = xreallocarray(NULL, s->m ? s->m : 1, sizeof *s->pe);
	s->cfl = xreallocarray(NULL, s->m ? s->m : 1, sizeof *s->cfl);
	s->mark = xcalloc((size_t)s->m + 1, sizeof *s->mark);
	s->order = xreallocarray(NULL, s->n ? s->n : 1, sizeof *s->order);
	if (s->cls != NULL) {
		int *cnt = xcalloc((size_t)s->ncls + 2, sizeof *cnt);

		for (i = 0; i < s->n; i++)
			cnt[s->cls[i] + 2]++;
		for (k = 0; k < s->ncls + 1; k++)
			cnt[k + 1] += cnt[k];
		for (i = 0; i < s->n; i++)
			s->order[cnt[s->cls[i] + 1]++] = i;
		free(cnt);
	} else {
		for (i = 0; i < s->n; i++)
			s->order[i] = i;
	}
}

/*
 * Check every allowed pair of the matrix against the potentials.  If some
 * pair outside the graph violates, add the worst violators of each mentee
 * and of each mentor (with `slack`, near-violators too).  Returns the
 * number of violating pairs (0: the solution is optimal for the whole
 * problem, and nothing was added).
 */
static size_t
scan(struct solver *s, int kadd, int64_t slack)
{
	struct topk *row = &s->row, *col;
	struct rowscan r;
	const int16_t *sr;
	uint64_t bits;
	size_t e;
	int i, j, c, idx, k, w, cmul;

	cmul = kadd / 4 > 2 ? kadd / 4 : 2;
	set_heaps(s, kadd, cmul, cmul);
	col = s->col;
	if (s->pe == NULL)
		scan_setup(s);
	for (j = 0; j < s->m; j++) {
		s->cfl[j] = INT64_MIN;
		s->mark[j] = 0;
	}
	graph_rows(s);
	/*
	 * Near-violators are worth adding only when there is a violator:
	 * without one (often, with mass ties), a quick pass proves it.
	 */
	if (slack > 0 && !any_violation(s))
		return 0;
	s->naddbuf = 0;
	r.bad = 0;
	r.slack = slack;
	k = -2;
	for (idx = 0; idx < s->n; idx++) {
		int ck;

		i = s->order[idx];
		if (bcap_of(s, i) == 0)
			continue;
		ck = s->cls != NULL ? s->cls[i] : -1;
		if (ck != k) {
			k = ck;
			entry_potentials(s, k, s->pe);
		}
		r.i = i;
		sr = s->score + (size_t)i * s->m;
		/* + i: the tie rule's cost of the pair, see pair_cost */
		r.pii = mentee_pot(s, i) + i;
		r.lim = r.pii - slack;
		for (c = s->gstart[i]; c < s->gstart[i + 1]; c++)
			s->mark[s->gmentor[c]] = i + 1;
		row->n = 0;
		for (w = 0; w < s->gwords; w++) {
		    for (bits = s->groups[(size_t)i * s->gwords + w]; bits;
			bits &= bits - 1) {
			int j0 = (w * 64 + ctz64(bits)) * 4;
			int jend = j0 + 4 < s->m ? j0 + 4 : s->m;

			/*
			 * Allowed (sr >= 0) and above the limit (x > 0), in
			 * one test that is rarely true: no branch to
			 * mispredict on excluded pairs.
			 */
			for (j = j0; j < jend; j++) {
				int64_t x = (int64_t)sr[j] * s->msc + s->pe[j] -
				    r.lim;

				if (((x - 1) | sr[j]) >= 0)
					scan_pair(s, &r, j, sr[j]);
			}
		    }
		}
		topk_sort(row);
		for (c = 0; c < row->n; c++)
			addbuf_put(s, i, row->idx[c]);
	}
	if (r.bad == 0)
		return 0;
	for (e = 0; e < s->naddbuf; e++)
		add_pair(s, s->addbuf[2 * e], s->addbuf[2 * e + 1]);
	/* a mentor's list may repeat what a mentee's just added */
	graph_rows(s);
	for (j = 0; j < s->m; j++) {
		topk_sort(&col[j]);
		for (c = 0; c < col[j].n; c++) {
			i = col[j].idx[c];
			if (!in_list(s->gmentor + s->gstart[i],
			    s->gstart[i + 1] - s->gstart[i], j))
				add_pair(s, i, j);
		}
	}
	return r.bad;
}

/*
 * On to the tie rule's second part: every arc outside the tree whose
 * reduced cost is not 0 is locked where it is (no optimal plan moves it),
 * and the arcs take the new stage's costs.
 */
static void
next_stage(struct solver *s)
{
	struct ns *g = &s->g;
	int a, u;

	for (a = 0; a < g->na; a++)
		if (g->state[a] != ST_TREE && ns_rc(g, a) != 0)
			g->state[a] = ST_TREE;
	s->stage++;
	for (a = 0; a < g->na; a++) {
		u = g->src[a];
		if (u >= 0 && s->nkind[u] == NODE_MENTEE) {
			int i = s->nidx[u], j = s->nidx[g->dst[a]];

			g->cost[a] = pair_cost(s, i, j,
			    s->score[(size_t)i * s->m + j]);
		} else {
			g->cost[a] = 0;
		}
	}
	ns_tree_potentials(g);
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct match_pair *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

/* The plan from the flow on the pair arcs. */
static void
extract(struct solver *s, struct match_result *res)
{
	int *load = xcalloc((size_t)s->m + 1, sizeof *load);
	size_t np = 0, cap = 0, e;
	int a, u, i, j;

	res->mentor_of = xreallocarray(NULL, s->n ? s->n : 1,
	    sizeof *res->mentor_of);
	for (i = 0; i < s->n; i++)
		res->mentor_of[i] = -1;
	for (a = 0; a < s->g.na; a++) {
		u = s->g.src[a];
		if (s->g.flow[a] == 0 || u < 0 || s->nkind[u] != NODE_MENTEE)
			continue;
		XGROW(res->pairs, np + 1, cap);
		res->pairs[np].mentee = s->nidx[u];
		/* a mentor node or a class node: its mentor either way */
		res->pairs[np].mentor = s->nidx[s->g.dst[a]];
		np++;
	}
	if (np > 1)
		xqsort(res->pairs, np, sizeof *res->pairs, cmp_pair);
	res->npairs = np;
	for (e = 0; e < np; e++) {
		i = res->pairs[e].mentee;
		j = res->pairs[e].mentor;
		if (res->mentor_of[i] < 0) {
			res->mentor_of[i] = j;
			res->matched++;
		}
		load[j]++;
		res->total += s->score[(size_t)i * s->m + j];
	}
	for (j = 0; j < s->m; j++)
		res->squares += (int64_t)load[j] * load[j];
	free(load);
}

static void
solver_free(struct solver *s)
{
	ns_free(&s->g);
	free(s->bcap);
	free(s->cap);
	free(s->cls);
	free(s->mnode);
	free(s->enode);
	free(s->nkind);
	free(s->nidx);
	free(s->cnodes.key);
	free(s->cnodes.arc);
	free(s->pe);
	free(s->cfl);
	free(s->mark);
	free(s->order);
	free(s->gstart);
	free(s->gmentor);
	free(s->row.key);
	free(s->row.idx);
	free(s->col);
	free(s->colkey);
	free(s->colidx);
	free(s->addbuf);
	free(s->groups);
}

/* Arcs and pairs the first graph will have, so that memory grows once. */
static void
reserve(struct solver *s)
{
	size_t pairs = 0, arcs;
	int i, j, b;

	if ((size_t)s->n * (size_t)s->m <= FULL_GRAPH_PAIRS) {
		pairs = (size_t)s->n * (size_t)s->m;
	} else {
		pairs = (size_t)s->n * ROW_TOP;
		for (j = 0; j < s->m; j++)
			pairs += s->cap[j] * COL_TOP_MUL + COL_TOP_ADD;
	}
	arcs = pairs + (size_t)s->m + 2;
	for (i = 0; i < s->n; i++) {
		b = bcap_of(s, i);
		arcs += s->me != 0 ? (size_t)b : 2;
	}
	for (j = 0; s->msq != 0 && j < s->m; j++)
		arcs += s->cap[j];
	ns_reserve_arcs(&s->g, arcs + arcs / 4);
	ns_grow_nodes(&s->g, s->n + s->m + 2);
}

/* Pivot, scan, add, until no pair of the dense matrix improves the stage. */
static int
solve_stage(struct solver *s, struct match_result *res, int dense,
    struct error *err)
{
	int64_t slack = ADD_SLACK * s->msc;
	int kadd = ADD_PER_ROW;
	size_t before, bad;

	for (;;) {
		res->rounds++;
		ns_run(&s->g);
		if (!dense)
			return 0;
		before = s->npairs;
		bad = scan(s, kadd, slack);
		if (bad == 0)
			return 0;
		if (s->npairs == before)
			/* a violated pair already in the graph: a bug */
			return error_set(err, EX_SOFTWARE, "match: internal "
			    "error: optimality check failed on the candidate "
			    "graph");
		/*
		 * Later rounds add only violators, more of them each time,
		 * so that a hard instance needs few rounds.
		 */
		if (kadd < s->m)
			kadd *= 2;
		slack = 0;
	}
}

int
match_solve(const struct match_problem *p, struct match_result *res,
    struct error *err)
{
	struct solver s;
	int64_t sumb = 0;
	int i, j, dense;

	memset(res, 0, sizeof *res);
	if (validate(p, err) == -1)
		return -1;

	memset(&s, 0, sizeof s);
	s.n = p->nmentees;
	s.m = p->nmentors;
	s.score = p->score;
	if (p->mentee_capacity != NULL) {
		/* no mentee can have more than every mentor */
		s.bcap = xreallocarray(NULL, s.n ? s.n : 1, sizeof *s.bcap);
		for (i = 0; i < s.n; i++)
			s.bcap[i] = p->mentee_capacity[i] < s.m ?
			    p->mentee_capacity[i] : s.m;
	}
	for (i = 0; i < s.n; i++)
		sumb += bcap_of(&s, i);
	s.cap = xreallocarray(NULL, s.m ? s.m : 1, sizeof *s.cap);
	for (j = 0; j < s.m; j++)
		s.cap[j] = p->capacity[j] < sumb ? p->capacity[j] : (int)sumb;
	s.K = INT_MAX;
	if (p->mentee_class != NULL && p->max_per_class < s.n) {
		s.K = p->max_per_class;
		compress_classes(&s, p->mentee_class);
	}
	if (sumb >= INT_MAX / 2 || set_levels(&s, p) != 0) {
		solver_free(&s);
		return error_set(err, EX_SOFTWARE, "match: problem too large "
		    "for exact 64-bit weights");
	}
	s.mnode = xreallocarray(NULL, s.m ? s.m : 1, sizeof *s.mnode);
	s.enode = xreallocarray(NULL, s.n ? s.n : 1, sizeof *s.enode);
	for (i = 0; i < s.n; i++)
		s.enode[i] = -1;
	build_base(&s);
	reserve(&s);

	if (s.n > 0 && s.m > 0) {
		/* a small problem's graph is the whole problem */
		dense = (size_t)s.n * (size_t)s.m > FULL_GRAPH_PAIRS;
		if (initial_candidates(&s) != 0) {
			score_error(p, err);
			goto fail;
		}
		if (dense) {
			int64_t *beta = xcalloc((size_t)s.m + 1,
			    sizeof *beta);

			if (additive_share(&s, beta) >= ADDITIVE_SHARE)
				centred_candidates(&s, beta);
			free(beta);
		}
		if (solve_stage(&s, res, dense, err) != 0)
			goto fail;
		/*
		 * The tie rule's second part, on a small problem only: its
		 * graph holds every pair, so the optimal face is all there.
		 */
		if (!dense) {
			next_stage(&s);
			if (solve_stage(&s, res, 0, err) != 0)
				goto fail;
		}
	}
	extract(&s, res);
	res->edges = s.npairs;
	solver_free(&s);
	return 0;
fail:
	solver_free(&s);
	memset(res, 0, sizeof *res);
	return -1;
}
