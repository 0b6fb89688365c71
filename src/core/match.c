/*
 * Exactly optimal matching: max-weight b-matching of mentees to mentors with
 * optional per-(mentor, class) caps, as a min-cost flow.
 *
 * Network (costs are negated weights):
 *
 *	mentor j --(cap K, 0)--> class node (j,k) --(cap 1, -w)--> mentee r --(1, 0)--> T
 *	mentor j --(cap 1, -w)--> mentee r             (mentees without a class)
 *	mentor j --(inf, 0)--> T                        (an unused place: "bypass")
 *
 * Mentor j is given its capacity one unit at a time; each unit travels to T
 * along a shortest path in the residual graph (Dijkstra on reduced costs with
 * node potentials, stopped as soon as T is settled; only settled nodes have
 * their potential moved, as in Jonker-Volgenant).  Every mentee is present
 * from the start and a free mentee is a sink, so this keeps the flow optimal
 * for the units inserted so far, whatever the order.  Inserting mentor places
 * rather than mentees matters: in the usual programme there are more mentees
 * than places, so nearly every search ends quickly at a free mentee, whereas
 * inserting mentees makes every search after the places run out explore the
 * whole graph.
 *
 * Objectives are weights, exactly:
 *	coverage: w = s + B, B = 10000 * min(n, places) + 1 > any score total,
 *	          so one more matched mentee beats any score difference;
 *	score:    w = s * (min(n, places) + 1) + 1, so one centi-point beats
 *	          any difference in the number matched.
 * Weights stay below 2^31 for 200,000 mentees; sums are int64.
 *
 * Sparse candidates with a certificate.  The flow is solved on a candidate
 * graph: every allowed pair when the matrix is small, else each mentee's 12
 * best mentors and each mentor's 4 * capacity + 4 best mentees (ties spread
 * by a fixed hash, so that equal scores do not all pile onto mentor 0).
 * Then every allowed pair of the dense matrix is checked against the final
 * potentials: a pair with a negative reduced cost would improve the
 * solution.  The first check adds each mentee's 16 pairs of highest reduced
 * profit that violate or come within 3 points of violating; later checks add
 * violators only, twice as many each round.  The flow is solved again (cold:
 * inserting places needs an empty start) until no pair violates; then the
 * potentials prove optimality on the whole problem (LP duality: no residual
 * edge of negative reduced cost, so no negative cycle).  A class node that
 * is not in the graph gets its mentor's potential, the best value that keeps
 * its empty edge from the mentor feasible.  Each round adds a pair not in the
 * graph, so the loop ends; a round that adds none would be a bug and is
 * reported as one rather than looping.
 *
 * Why this and not the alternatives.  A textbook successive-shortest-path
 * solver on replicated places, or a network simplex, on the dense 10^7 pairs
 * takes 5 s or more at 5,000 x 2,000.  Mentor nodes with capacities (not
 * replicated places) keep the searches small, the candidate graph keeps
 * them sparse (about 20 pairs per mentee), and the dense matrix is touched
 * only by the linear-time check.  An epsilon-scaling auction would also be
 * sparse-friendly but needs the same certificate to be exact and suffers
 * price wars on competitive scores, where everybody wants the same mentors.
 *
 * Measurements, solver only (-O2; the instances are written by
 * `build/bench/gen_match N M SEED [KIND] > f` and timed by
 * `build/bench/match_solve f [--objective score] [--classes C]`).  CPU
 * seconds, because the shared 2-core machine ran at a load of 8 when these
 * were taken; on a quiet machine wall time is the same (an earlier version:
 * 0.47 s and 1.26 s wall).
 *
 *	instance                          objective  rounds  pairs   cpu
 *	5,000 x 2,000 competitive (7)     coverage   3       103k    0.40 s
 *	5,000 x 2,000 competitive (7)     score      3       103k    0.41 s
 *	10,000 x 4,000 competitive (11)   coverage   3       234k    1.36 s
 *	10,000 x 4,000 competitive (11)   score      3       234k    1.35 s
 *	5,000 x 2,000, 20 classes         coverage   3       122k    0.56 s
 *	10,000 x 4,000, 10 classes        coverage   4       255k    2.14 s
 *	5,000 x 2,000 uniform (3)         coverage   1        60k    0.11 s
 *	5,000 x 2,000 five scores (3)     coverage   1        60k    0.14 s
 *	2,000 x 2,000, places > mentees   coverage   2        49k    0.22 s
 *
 * `match_solve --reference` checks the result against an independent dense
 * Hungarian method on replicated places (3 s to 855 s at 5,000 x 2,000,
 * 392 s at 10,000 x 4,000): equal objectives on every instance of the table
 * without classes (both objectives on the competitive ones).  The unit tests compare with brute force on
 * small instances and with Bellman-Ford successive shortest paths on the
 * explicit class network at 300 x 120 and 400 x 200 (and, once, 800 x 500
 * and 1,000 x 300 with classes).
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "core/match.h"
#include "util/xmalloc.h"

#define FULL_GRAPH_PAIRS (1 << 16)  /* below this, start from every pair */
#define ROW_TOP 12                  /* each mentee's best mentors */
#define COL_TOP_MUL 4               /* each mentor's best capacity * this mentees */
#define COL_TOP_ADD 4
#define ADD_PER_ROW 16              /* pairs added per mentee in the first round */
#define ADD_SLACK 300               /* ... and near-violators within 3 points */

struct solver {
	int n, m;
	const int16_t *score;
	int *cap;               /* effective capacity, <= n */
	int64_t wmul, wadd;     /* weight = score * wmul + wadd */
	int K;                  /* per (mentor, class) cap; INT_MAX without classes */
	int *cls;               /* compressed class per mentee, -1 none; NULL */
	int ncls;

	/* candidate pairs, grown between rounds */
	int *er, *ej;
	size_t ne, ecap;

	/* the graph built from the candidates (node numbers: see node_row) */
	int g;                  /* class nodes */
	int V;
	int *mbeg;              /* m+1: mentor j's edges are [mbeg[j], mbeg[j+1]) */
	int *mdend;             /* m: the first mdend[j] - mbeg[j] are direct */
	int *mcbeg;             /* m+1: class nodes of j are [mcbeg[j], mcbeg[j+1]) */
	int *cmentor;           /* g */
	int *ccls;              /* g */
	int *cbeg;              /* g: class node c's edges are [cbeg[c], cend[c]) */
	int *cend;
	int *erow;              /* mentee of each edge, by mentor then class */
	int64_t *ew;            /* weight of each edge */
	size_t gedges;

	/* flow */
	int *mentor_of;         /* mentee -> mentor, -1 free */
	int *entry_of;          /* mentee -> node its unit comes from */
	int *load;              /* node -> mentees through it (mentors, class nodes) */

	/* search */
	int64_t *pi;
	int64_t *dist;
	int *pred;
	unsigned *seen;
	unsigned stamp;
	int *heap;
	int *hpos;              /* -1 not in heap, -2 settled */
	int hn;
	int *settled;
	int nsettled;
};

/*
 * Node numbers: T is 0, then mentees, class nodes and mentors.  Equal
 * distances settle lower numbers first, so T wins ties (a search stops as
 * soon as it can) and mentees come before mentors: on the plateaus of equal
 * scores a free mentee ends the search before every mentor at the same
 * distance is expanded.
 */
static inline int
node_row(const struct solver *s, int r)
{
	(void)s;
	return 1 + r;
}

static inline int
node_class(const struct solver *s, int c)
{
	return 1 + s->n + c;
}

static inline int
node_mentor(const struct solver *s, int j)
{
	return 1 + s->n + s->g + j;
}

static inline int
is_row(const struct solver *s, int x)
{
	return x >= 1 && x <= s->n;
}

static inline int
is_class(const struct solver *s, int x)
{
	return x > s->n && x <= s->n + s->g;
}

/* The mentor an entry node (a mentor or a class node) belongs to. */
static inline int
entry_mentor(const struct solver *s, int x)
{
	return is_class(s, x) ? s->cmentor[x - 1 - s->n] : x - 1 - s->n - s->g;
}

static inline int64_t
weight(const struct solver *s, int sc)
{
	return (int64_t)sc * s->wmul + s->wadd;
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
	r->mentor_of = NULL;
	r->matched = 0;
	r->total = 0;
	r->rounds = 0;
	r->edges = 0;
}

static int
validate(const struct match_problem *p, struct error *err)
{
	size_t i, cells;

	if (p->nmentees < 0 || p->nmentors < 0)
		return error_set(err, EX_SOFTWARE,
		    "match: negative problem size %d x %d", p->nmentees,
		    p->nmentors);
	/* edge offsets are ints */
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
	cells = (size_t)p->nmentees * (size_t)p->nmentors;
	for (i = 0; i < cells; i++)
		if (p->score[i] < MATCH_EXCLUDED ||
		    p->score[i] > MATCH_SCORE_MAX)
			return error_set(err, EX_SOFTWARE,
			    "match: score %d out of range at mentee %zu, "
			    "mentor %zu", p->score[i], i / p->nmentors,
			    i % p->nmentors);
	if (p->mentee_class != NULL && p->max_per_class < 1)
		return error_set(err, EX_SOFTWARE,
		    "match: max_per_class %d must be at least 1",
		    p->max_per_class);
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
	qsort(vals, nv, sizeof *vals, cmp_int);
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
add_pair(struct solver *s, int r, int j)
{
	if (s->ne == s->ecap) {
		s->ecap = s->ecap ? s->ecap * 2 : 1024;
		s->er = xreallocarray(s->er, s->ecap, sizeof *s->er);
		s->ej = xreallocarray(s->ej, s->ecap, sizeof *s->ej);
	}
	s->er[s->ne] = r;
	s->ej[s->ne] = j;
	s->ne++;
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
		/* replace the root and sift down */
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

/*
 * Candidate lists must not break ties by index: with many equal scores every
 * mentee would pick the same low-numbered mentors and the graph would miss
 * most of the optimum.  A fixed hash of the pair spreads ties evenly and
 * keeps the graph a function of the input alone.
 */
static inline int64_t
spread(int64_t key, int i, int j)
{
	uint32_t h = (uint32_t)i * 0x9e3779b1u ^ (uint32_t)j * 0x85ebca77u;

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return key * 65536 + (h & 0xffff);
}

static void
initial_candidates(struct solver *s)
{
	struct topk row, *col;
	int64_t *colkey;
	int *colidx, *colk;
	size_t off, total;
	int i, j, kc;

	if ((size_t)s->n * (size_t)s->m <= FULL_GRAPH_PAIRS) {
		for (i = 0; i < s->n; i++)
			for (j = 0; j < s->m; j++)
				if (s->score[(size_t)i * s->m + j] >= 0)
					add_pair(s, i, j);
		return;
	}

	row.key = xreallocarray(NULL, ROW_TOP, sizeof *row.key);
	row.idx = xreallocarray(NULL, ROW_TOP, sizeof *row.idx);
	row.k = ROW_TOP < s->m ? ROW_TOP : s->m;

	colk = xreallocarray(NULL, s->m, sizeof *colk);
	total = 0;
	for (j = 0; j < s->m; j++) {
		kc = s->cap[j] == 0 ? 0 : s->cap[j] * COL_TOP_MUL + COL_TOP_ADD;
		if (kc > s->n)
			kc = s->n;
		colk[j] = kc;
		total += kc;
	}
	colkey = xreallocarray(NULL, total ? total : 1, sizeof *colkey);
	colidx = xreallocarray(NULL, total ? total : 1, sizeof *colidx);
	col = xreallocarray(NULL, s->m, sizeof *col);
	for (off = 0, j = 0; j < s->m; j++) {
		col[j].key = colkey + off;
		col[j].idx = colidx + off;
		col[j].n = 0;
		col[j].k = colk[j];
		off += colk[j];
	}

	for (i = 0; i < s->n; i++) {
		const int16_t *sr = s->score + (size_t)i * s->m;

		row.n = 0;
		for (j = 0; j < s->m; j++) {
			if (sr[j] < 0)
				continue;
			topk_push(&row, spread(sr[j], i, j), j);
			topk_push(&col[j], spread(sr[j], i, j), i);
		}
		for (j = 0; j < row.n; j++)
			add_pair(s, i, row.idx[j]);
	}
	for (j = 0; j < s->m; j++)
		for (i = 0; i < col[j].n; i++)
			add_pair(s, col[j].idx[i], j);

	free(row.key);
	free(row.idx);
	free(colk);
	free(colkey);
	free(colidx);
	free(col);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Lay the candidate pairs out by mentor, then class (direct mentees first),
 * then mentee, dropping duplicates; create the class nodes.
 */
static void
build_graph(struct solver *s)
{
	uint64_t *key;
	int *cnt, *pos;
	size_t e, k, out, beg, end;
	size_t gcap = 0;
	int j, r, kcls, prev;

	cnt = xcalloc((size_t)s->m + 1, sizeof *cnt);
	for (e = 0; e < s->ne; e++)
		cnt[s->ej[e] + 1]++;
	for (j = 0; j < s->m; j++)
		cnt[j + 1] += cnt[j];
	pos = xreallocarray(NULL, (size_t)s->m + 1, sizeof *pos);
	memcpy(pos, cnt, ((size_t)s->m + 1) * sizeof *pos);
	key = xreallocarray(NULL, s->ne ? s->ne : 1, sizeof *key);
	for (e = 0; e < s->ne; e++) {
		r = s->er[e];
		kcls = s->cls != NULL ? s->cls[r] : -1;
		key[pos[s->ej[e]]++] = ((uint64_t)(uint32_t)(kcls + 1) << 32) |
		    (uint32_t)r;
	}

	free(s->mbeg);
	free(s->mdend);
	free(s->mcbeg);
	free(s->cmentor);
	free(s->ccls);
	free(s->cbeg);
	free(s->cend);
	s->mbeg = xreallocarray(NULL, (size_t)s->m + 1, sizeof *s->mbeg);
	s->mdend = xreallocarray(NULL, s->m ? s->m : 1, sizeof *s->mdend);
	s->mcbeg = xreallocarray(NULL, (size_t)s->m + 1, sizeof *s->mcbeg);
	s->erow = xreallocarray(s->erow, s->ne ? s->ne : 1, sizeof *s->erow);
	s->ew = xreallocarray(s->ew, s->ne ? s->ne : 1, sizeof *s->ew);
	s->cmentor = NULL;
	s->ccls = NULL;
	s->cbeg = NULL;
	s->cend = NULL;

	/* sort each mentor's segment, dedup, count class nodes */
	out = 0;
	s->g = 0;
	for (j = 0; j < s->m; j++) {
		beg = cnt[j];
		end = cnt[j + 1];
		qsort(key + beg, end - beg, sizeof *key, cmp_u64);
		s->mbeg[j] = (int)out;
		s->mcbeg[j] = s->g;
		s->mdend[j] = (int)out;
		prev = -2;
		for (k = beg; k < end; k++) {
			if (k > beg && key[k] == key[k - 1])
				continue;
			r = (int)(key[k] & 0xffffffffu);
			kcls = (int)(key[k] >> 32) - 1;
			if (kcls < 0) {
				s->mdend[j] = (int)out + 1;
			} else if (kcls != prev) {
				if ((size_t)s->g == gcap) {
					gcap = gcap ? gcap * 2 : 256;
					s->cmentor = xreallocarray(s->cmentor,
					    gcap, sizeof *s->cmentor);
					s->ccls = xreallocarray(s->ccls, gcap,
					    sizeof *s->ccls);
					s->cbeg = xreallocarray(s->cbeg,
					    gcap, sizeof *s->cbeg);
					s->cend = xreallocarray(s->cend,
					    gcap, sizeof *s->cend);
				}
				s->cmentor[s->g] = j;
				s->ccls[s->g] = kcls;
				s->cbeg[s->g] = (int)out;
				s->g++;
				prev = kcls;
			}
			if (kcls >= 0)
				s->cend[s->g - 1] = (int)out + 1;
			s->erow[out] = r;
			s->ew[out] = weight(s, s->score[(size_t)r * s->m + j]);
			s->er[out] = r;
			s->ej[out] = j;
			out++;
		}
	}
	s->mbeg[s->m] = (int)out;
	s->mcbeg[s->m] = s->g;
	/* er/ej now hold the deduplicated pairs in graph order */
	s->ne = out;
	s->gedges = out;

	free(cnt);
	free(pos);
	free(key);
}

static void
alloc_search(struct solver *s)
{
	size_t V;

	s->V = 1 + s->m + s->g + s->n;
	V = (size_t)s->V;
	free(s->pi);
	free(s->dist);
	free(s->pred);
	free(s->seen);
	free(s->heap);
	free(s->hpos);
	free(s->settled);
	free(s->load);
	s->pi = xcalloc(V, sizeof *s->pi);
	s->dist = xcalloc(V, sizeof *s->dist);
	s->pred = xcalloc(V, sizeof *s->pred);
	s->seen = xcalloc(V, sizeof *s->seen);
	s->heap = xcalloc(V, sizeof *s->heap);
	s->hpos = xcalloc(V, sizeof *s->hpos);
	s->settled = xcalloc(V, sizeof *s->settled);
	s->load = xcalloc(V, sizeof *s->load);
	s->stamp = 0;
}

/* Feasible potentials for the empty flow: every residual edge has c + pi(u) - pi(v) >= 0. */
static void
init_potentials(struct solver *s)
{
	int j, c, e;
	int64_t best, cb;

	memset(s->pi, 0, (size_t)s->V * sizeof *s->pi);
	for (j = 0; j < s->m; j++) {
		best = 0;
		for (e = s->mbeg[j]; e < s->mdend[j]; e++)
			if (s->ew[e] > best)
				best = s->ew[e];
		for (c = s->mcbeg[j]; c < s->mcbeg[j + 1]; c++) {
			cb = 0;
			for (e = s->cbeg[c]; e < s->cend[c]; e++)
				if (s->ew[e] > cb)
					cb = s->ew[e];
			s->pi[node_class(s, c)] = cb;
			if (cb > best)
				best = cb;
		}
		s->pi[node_mentor(s, j)] = best;
	}
}

/* Indexed binary heap on (dist, node): equal distances settle lower nodes first. */
static inline int
heap_before(const struct solver *s, int a, int b)
{
	return s->dist[a] < s->dist[b] || (s->dist[a] == s->dist[b] && a < b);
}

static void
heap_up(struct solver *s, int i)
{
	int x = s->heap[i], p;

	while (i > 0) {
		p = (i - 1) / 2;
		if (!heap_before(s, x, s->heap[p]))
			break;
		s->heap[i] = s->heap[p];
		s->hpos[s->heap[i]] = i;
		i = p;
	}
	s->heap[i] = x;
	s->hpos[x] = i;
}

static int
heap_pop(struct solver *s)
{
	int top = s->heap[0], x, i, c;

	x = s->heap[--s->hn];
	i = 0;
	for (;;) {
		c = 2 * i + 1;
		if (c >= s->hn)
			break;
		if (c + 1 < s->hn && heap_before(s, s->heap[c + 1], s->heap[c]))
			c++;
		if (!heap_before(s, s->heap[c], x))
			break;
		s->heap[i] = s->heap[c];
		s->hpos[s->heap[i]] = i;
		i = c;
	}
	if (s->hn > 0) {
		s->heap[i] = x;
		s->hpos[x] = i;
	}
	s->hpos[top] = -2;
	return top;
}

static inline void
relax(struct solver *s, int v, int64_t nd, int from)
{
	if (s->seen[v] != s->stamp) {
		/* nothing at or beyond T's distance can settle before T */
		if (s->seen[0] == s->stamp && v != 0 && nd >= s->dist[0])
			return;
		s->seen[v] = s->stamp;
		s->dist[v] = nd;
		s->pred[v] = from;
		s->heap[s->hn] = v;
		s->hpos[v] = s->hn++;
		heap_up(s, s->hpos[v]);
	} else if (s->hpos[v] >= 0 && nd < s->dist[v]) {
		if (v != 0 && nd >= s->dist[0])
			return;
		s->dist[v] = nd;
		s->pred[v] = from;
		heap_up(s, s->hpos[v]);
	}
}

static inline int64_t
row_weight(const struct solver *s, int r, int j)
{
	return weight(s, s->score[(size_t)r * s->m + j]);
}

/* Move mentee r onto entry node `entry` (a mentor or class node), or free it (entry 0). */
static void
reassign(struct solver *s, int r, int entry)
{
	int old = s->entry_of[r], j;

	if (old > 0) {
		s->load[old]--;
		if (is_class(s, old))
			s->load[node_mentor(s, s->mentor_of[r])]--;
	}
	if (entry == 0) {
		s->entry_of[r] = 0;
		s->mentor_of[r] = -1;
		return;
	}
	j = entry_mentor(s, entry);
	s->entry_of[r] = entry;
	s->mentor_of[r] = j;
	s->load[entry]++;
	if (is_class(s, entry))
		s->load[node_mentor(s, j)]++;
}

/*
 * One more place at mentor j: route its unit to T along a shortest residual
 * path.  Returns 1 if the unit went straight to T (unused), which means every
 * further unit of j would too.
 */
static int
insert_unit(struct solver *s, int j)
{
	int src = node_mentor(s, j), x, v, r, e, c, jj, ent;
	int64_t d, dT;
	int i;

	if (++s->stamp == 0) {
		memset(s->seen, 0, (size_t)s->V * sizeof *s->seen);
		s->stamp = 1;
	}
	s->hn = 0;
	s->nsettled = 0;
	s->seen[src] = s->stamp;
	s->dist[src] = 0;
	s->pred[src] = -1;
	s->heap[0] = src;
	s->hpos[src] = 0;
	s->hn = 1;

	for (;;) {
		/* T is always reachable from any mentor (bypass) */
		x = heap_pop(s);
		s->settled[s->nsettled++] = x;
		if (x == 0)
			break;
		d = s->dist[x];
		if (is_row(s, x)) {
			r = x - 1;
			ent = s->entry_of[r];
			if (ent == 0)
				relax(s, 0, d + s->pi[x] - s->pi[0], x);
			else
				relax(s, ent, d + row_weight(s, r,
				    s->mentor_of[r]) + s->pi[x] - s->pi[ent], x);
		} else if (!is_class(s, x)) {
			jj = entry_mentor(s, x);
			relax(s, 0, d + s->pi[x] - s->pi[0], x);
			for (e = s->mbeg[jj]; e < s->mdend[jj]; e++) {
				r = s->erow[e];
				if (s->mentor_of[r] == jj)
					continue;
				v = node_row(s, r);
				relax(s, v, d - s->ew[e] + s->pi[x] - s->pi[v],
				    x);
			}
			for (c = s->mcbeg[jj]; c < s->mcbeg[jj + 1]; c++) {
				v = node_class(s, c);
				if (s->load[v] < s->K)
					relax(s, v, d + s->pi[x] - s->pi[v], x);
			}
		} else {
			c = x - 1 - s->n;
			jj = s->cmentor[c];
			if (s->load[x] > 0) {
				v = node_mentor(s, jj);
				relax(s, v, d + s->pi[x] - s->pi[v], x);
			}
			for (e = s->cbeg[c]; e < s->cend[c]; e++) {
				r = s->erow[e];
				if (s->entry_of[r] == x)
					continue;
				v = node_row(s, r);
				relax(s, v, d - s->ew[e] + s->pi[x] - s->pi[v],
				    x);
			}
		}
	}

	dT = s->dist[0];
	for (i = 0; i < s->nsettled; i++) {
		v = s->settled[i];
		s->pi[v] += s->dist[v] - dT;
	}
	/* heap leftovers are forgotten through the stamp */
	for (i = 0; i < s->hn; i++)
		s->hpos[s->heap[i]] = -1;
	s->hn = 0;

	if (s->pred[0] == src)
		return 1;
	/* augment: each mentee on the path takes the node it was reached from */
	for (x = s->pred[0]; x != src; x = s->pred[x]) {
		if (is_row(s, x))
			reassign(s, x - 1, s->pred[x]);
	}
	return 0;
}

static void
solve_flow(struct solver *s)
{
	int j, u, n;

	memset(s->load, 0, (size_t)s->V * sizeof *s->load);
	for (n = 0; n < s->n; n++) {
		s->mentor_of[n] = -1;
		s->entry_of[n] = 0;
	}
	init_potentials(s);
	for (j = 0; j < s->m; j++)
		for (u = 0; u < s->cap[j]; u++)
			if (insert_unit(s, j))
				break;
}

/*
 * Check every allowed pair of the dense matrix against the potentials and
 * queue the worst violators of each mentee.  Returns the number of mentees
 * with a violation (0: the solution is optimal for the whole problem).
 */
static int
check_and_extend(struct solver *s, int kadd, int64_t slack)
{
	int64_t *pent, *pk, pr, lim, w;
	int *order = NULL, *cstart = NULL, *clist = NULL, *ccnt = NULL;
	struct topk tk;
	int i, j, r, k, c, idx, bad = 0;
	int64_t *keys;
	int *idxs;

	pent = xreallocarray(NULL, s->m ? s->m : 1, sizeof *pent);
	pk = xreallocarray(NULL, s->m ? s->m : 1, sizeof *pk);
	for (j = 0; j < s->m; j++)
		pent[j] = s->pi[node_mentor(s, j)];
	keys = xreallocarray(NULL, kadd, sizeof *keys);
	idxs = xreallocarray(NULL, kadd, sizeof *idxs);
	tk.key = keys;
	tk.idx = idxs;
	tk.k = kadd;

	/* mentees grouped by class, class nodes grouped by class */
	order = xreallocarray(NULL, s->n ? s->n : 1, sizeof *order);
	if (s->cls != NULL) {
		ccnt = xcalloc((size_t)s->ncls + 2, sizeof *ccnt);
		for (r = 0; r < s->n; r++)
			ccnt[s->cls[r] + 2]++;
		for (k = 0; k < s->ncls + 1; k++)
			ccnt[k + 1] += ccnt[k];
		for (r = 0; r < s->n; r++)
			order[ccnt[s->cls[r] + 1]++] = r;
		cstart = xcalloc((size_t)s->ncls + 1, sizeof *cstart);
		clist = xreallocarray(NULL, s->g ? s->g : 1, sizeof *clist);
		for (c = 0; c < s->g; c++)
			cstart[s->ccls[c] + 1]++;
		for (k = 0; k < s->ncls; k++)
			cstart[k + 1] += cstart[k];
		{
			int *fill = xreallocarray(NULL, (size_t)s->ncls + 1,
			    sizeof *fill);

			memcpy(fill, cstart, ((size_t)s->ncls + 1) *
			    sizeof *fill);
			for (c = 0; c < s->g; c++)
				clist[fill[s->ccls[c]]++] = c;
			free(fill);
		}
	} else {
		for (r = 0; r < s->n; r++)
			order[r] = r;
	}

	k = -2;
	for (idx = 0; idx < s->n; idx++) {
		const int64_t *pe = pent;
		const int16_t *sr;

		r = order[idx];
		if (s->cls != NULL && s->cls[r] >= 0) {
			if (s->cls[r] != k) {
				k = s->cls[r];
				memcpy(pk, pent, (size_t)s->m * sizeof *pk);
				for (i = cstart[k]; i < cstart[k + 1]; i++) {
					c = clist[i];
					pk[s->cmentor[c]] =
					    s->pi[node_class(s, c)];
				}
			}
			pe = pk;
		}
		sr = s->score + (size_t)r * s->m;
		pr = s->pi[node_row(s, r)];
		tk.n = 0;
		for (j = 0; j < s->m; j++) {
			if (sr[j] < 0)
				continue;
			w = weight(s, sr[j]);
			lim = pe[j] - pr;
			if (w > lim - slack && s->mentor_of[r] != j)
				topk_push(&tk, spread(w - lim, r, j), j);
		}
		/* a violation is a key of at least 1 << 16 (see spread) */
		for (i = 0; i < tk.n; i++)
			if (tk.key[i] >= 65536)
				break;
		if (i < tk.n)
			bad++;
		for (i = 0; i < tk.n; i++)
			add_pair(s, r, tk.idx[i]);
	}
	free(pent);
	free(pk);
	free(keys);
	free(idxs);
	free(order);
	free(ccnt);
	free(cstart);
	free(clist);
	return bad;
}

static void
solver_free(struct solver *s)
{
	free(s->cap);
	free(s->cls);
	free(s->er);
	free(s->ej);
	free(s->mbeg);
	free(s->mdend);
	free(s->mcbeg);
	free(s->cmentor);
	free(s->ccls);
	free(s->cbeg);
	free(s->cend);
	free(s->erow);
	free(s->ew);
	free(s->mentor_of);
	free(s->entry_of);
	free(s->load);
	free(s->pi);
	free(s->dist);
	free(s->pred);
	free(s->seen);
	free(s->heap);
	free(s->hpos);
	free(s->settled);
}

int
match_solve(const struct match_problem *p, struct match_result *res,
    struct error *err)
{
	struct solver s;
	int64_t places = 0, lim;
	size_t prev_edges = 0;
	int64_t slack;
	int i, j, kadd = ADD_PER_ROW;

	res->mentor_of = NULL;
	res->matched = 0;
	res->total = 0;
	res->rounds = 0;
	res->edges = 0;
	if (validate(p, err) == -1)
		return -1;

	memset(&s, 0, sizeof s);
	s.n = p->nmentees;
	s.m = p->nmentors;
	s.score = p->score;
	s.cap = xreallocarray(NULL, s.m ? s.m : 1, sizeof *s.cap);
	for (j = 0; j < s.m; j++) {
		s.cap[j] = p->capacity[j] < s.n ? p->capacity[j] : s.n;
		places += s.cap[j];
	}
	lim = places < s.n ? places : s.n;
	if (p->objective == OBJECTIVE_SCORE) {
		s.wmul = lim + 1;
		s.wadd = 1;
	} else {
		s.wmul = 1;
		s.wadd = (int64_t)MATCH_SCORE_MAX * lim + 1;
	}
	slack = ADD_SLACK * s.wmul;
	s.K = INT_MAX;
	if (p->mentee_class != NULL && p->max_per_class < s.n) {
		s.K = p->max_per_class;
		compress_classes(&s, p->mentee_class);
	}
	s.mentor_of = xreallocarray(NULL, s.n ? s.n : 1, sizeof *s.mentor_of);
	s.entry_of = xreallocarray(NULL, s.n ? s.n : 1, sizeof *s.entry_of);
	for (i = 0; i < s.n; i++)
		s.mentor_of[i] = -1;

	if (s.n > 0 && s.m > 0) {
		initial_candidates(&s);
		for (;;) {
			res->rounds++;
			build_graph(&s);
			if (res->rounds > 1 && s.gedges <= prev_edges) {
				/* a violated pair already in the graph: a bug */
				solver_free(&s);
				return error_set(err, EX_SOFTWARE, "match: "
				    "internal error: optimality check failed "
				    "on the candidate graph");
			}
			prev_edges = s.gedges;
			alloc_search(&s);
			solve_flow(&s);
			if (check_and_extend(&s, kadd, slack) == 0)
				break;
			/*
			 * Later rounds add only violators, more of them each
			 * time, so that a hard instance needs few rounds.
			 */
			if (kadd < s.m)
				kadd *= 2;
			slack = 0;
		}
	}

	res->mentor_of = s.mentor_of;
	s.mentor_of = NULL;
	res->edges = s.gedges;
	for (i = 0; i < s.n; i++) {
		j = res->mentor_of[i];
		if (j < 0)
			continue;
		res->matched++;
		res->total += p->score[(size_t)i * s.m + j];
	}
	solver_free(&s);
	return 0;
}
