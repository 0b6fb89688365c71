/*
 * Multi-round plans (flash rounds, rotation periods): the best b-matching
 * by successive shortest paths, then König's edge colouring into rounds.
 * core/rounds.h says what is optimised and why the two steps lose nothing.
 *
 * Costs are triples compared lexicographically, in the order of the
 * objective (coverage: count, spread, score; score: score, count, spread):
 * the integers in lexicographic order are a totally ordered group, in which
 * Dijkstra with potentials is as sound as over the integers, and nothing can
 * overflow (no big-M weights: each component stays below 2^40).
 */
#include "core/rounds.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- lexicographic costs ---- */

struct lex {
	int64_t c[3];
};

static struct lex
lex_add(struct lex a, struct lex b)
{
	struct lex r;
	int k;

	for (k = 0; k < 3; k++)
		r.c[k] = a.c[k] + b.c[k];
	return r;
}

static struct lex
lex_sub(struct lex a, struct lex b)
{
	struct lex r;
	int k;

	for (k = 0; k < 3; k++)
		r.c[k] = a.c[k] - b.c[k];
	return r;
}

static int
lex_cmp(struct lex a, struct lex b)
{
	int k;

	for (k = 0; k < 3; k++)
		if (a.c[k] != b.c[k])
			return a.c[k] < b.c[k] ? -1 : 1;
	return 0;
}

static const struct lex lex_zero = { { 0, 0, 0 } };

/*
 * The cost of a unit (negated value) from its count, spread and score
 * parts, in the objective's order.
 */
static struct lex
lex_value_cost(enum match_objective obj, int64_t count, int64_t spread,
    int64_t score)
{
	struct lex r;

	if (obj == OBJECTIVE_SCORE) {
		r.c[0] = -score;
		r.c[1] = -count;
		r.c[2] = -spread;
	} else {
		r.c[0] = -count;
		r.c[1] = -spread;
		r.c[2] = -score;
	}
	return r;
}

/* ---- the flow ---- */

struct flow {
	const struct rounds_problem *p;
	int n, m, nodes, sink;
	int R;
	/* arcs mentee -> mentor, by mentee then mentor */
	int *arc_start;            /* n + 1 */
	int *arc_from;             /* mentee index */
	int *arc_to;               /* mentor index */
	struct lex *arc_cost;
	unsigned char *arc_flow;
	/* the same arcs by mentor then mentee */
	int *in_start;             /* m + 1 */
	int *in_arc;
	int *cap;                  /* per mentor: R * places */
	int *used;                 /* per mentor */
	int *deg;                  /* per mentee: units from the source */
	int *maxr;                 /* per mentee */
	struct lex *pot;
	struct lex *dist;
	unsigned char *seen;       /* 0 unseen, 1 queued, 2 settled */
	int *prev_arc;             /* arc into the node, -1 from the source */
	/* binary heap of (dist, node) */
	int *heap;
	int nheap;
	int *heap_pos;             /* -1 when not in the heap */
};

/* The next unit of mentee i: its (deg + 1)-th meeting. */
static struct lex
flow_tier(const struct flow *f, int i)
{
	int k = f->deg[i] + 1;

	return lex_value_cost(f->p->objective, 1,
	    f->p->balance ? f->R - k : 0, 0);
}

static bool
heap_less(const struct flow *f, int a, int b)
{
	int c = lex_cmp(f->dist[a], f->dist[b]);

	return c < 0 || (c == 0 && a < b);
}

static void
heap_swap(struct flow *f, int x, int y)
{
	int t = f->heap[x];

	f->heap[x] = f->heap[y];
	f->heap[y] = t;
	f->heap_pos[f->heap[x]] = x;
	f->heap_pos[f->heap[y]] = y;
}

static void
heap_up(struct flow *f, int x)
{
	while (x > 0 && heap_less(f, f->heap[x], f->heap[(x - 1) / 2])) {
		heap_swap(f, x, (x - 1) / 2);
		x = (x - 1) / 2;
	}
}

static void
heap_down(struct flow *f, int x)
{
	int c;

	for (;;) {
		c = 2 * x + 1;
		if (c >= f->nheap)
			break;
		if (c + 1 < f->nheap && heap_less(f, f->heap[c + 1], f->heap[c]))
			c++;
		if (!heap_less(f, f->heap[c], f->heap[x]))
			break;
		heap_swap(f, x, c);
		x = c;
	}
}

static int
heap_pop(struct flow *f)
{
	int v = f->heap[0];

	f->heap_pos[v] = -1;
	f->nheap--;
	if (f->nheap > 0) {
		f->heap[0] = f->heap[f->nheap];
		f->heap_pos[f->heap[0]] = 0;
		heap_down(f, 0);
	}
	return v;
}

/* Offer node v distance d through arc a (-1: from the source). */
static void
relax(struct flow *f, int v, struct lex d, int a)
{
	if (f->seen[v] == 2)
		return;
	if (f->seen[v] == 1 && lex_cmp(d, f->dist[v]) >= 0)
		return;
	f->dist[v] = d;
	f->prev_arc[v] = a;
	if (f->seen[v] == 0) {
		f->seen[v] = 1;
		f->heap_pos[v] = f->nheap;
		f->heap[f->nheap++] = v;
	}
	heap_up(f, f->heap_pos[v]);
}

static int
arc_mentee(const struct flow *f, int a)
{
	return f->arc_from[a];
}

/*
 * One shortest path from the source to the sink on reduced costs.  Returns
 * 1 when a path was found (dist and prev_arc set for it), 0 when the sink
 * is unreachable.
 */
static int
flow_dijkstra(struct flow *f)
{
	int i, j, v, a, k;

	memset(f->seen, 0, (size_t)f->nodes);
	f->nheap = 0;
	for (i = 0; i < f->n; i++)
		if (f->deg[i] < f->maxr[i])
			relax(f, i, lex_sub(flow_tier(f, i), f->pot[i]), -1);
	while (f->nheap > 0) {
		v = heap_pop(f);
		f->seen[v] = 2;
		if (v == f->sink)
			return 1;
		if (v < f->n) {
			for (a = f->arc_start[v]; a < f->arc_start[v + 1]; a++) {
				if (f->arc_flow[a])
					continue;
				j = f->n + f->arc_to[a];
				relax(f, j, lex_add(f->dist[v], lex_sub(lex_add(
				    f->arc_cost[a], f->pot[v]), f->pot[j])), a);
			}
			continue;
		}
		j = v - f->n;
		if (f->used[j] < f->cap[j])
			relax(f, f->sink, lex_add(f->dist[v], lex_sub(f->pot[v],
			    f->pot[f->sink])), -2 - j);
		for (k = f->in_start[j]; k < f->in_start[j + 1]; k++) {
			a = f->in_arc[k];
			if (!f->arc_flow[a])
				continue;
			i = arc_mentee(f, a);
			relax(f, i, lex_add(f->dist[v], lex_sub(lex_sub(
			    f->pot[v], f->arc_cost[a]), f->pot[i])), a);
		}
	}
	return 0;
}

/* Move the potentials by the distances (capped at the sink's) and augment. */
static void
flow_augment(struct flow *f)
{
	struct lex dt = f->dist[f->sink];
	int v, a, j;

	for (v = 0; v < f->nodes; v++)
		if (f->seen[v] == 2)
			f->pot[v] = lex_add(f->pot[v], f->dist[v]);
		else
			f->pot[v] = lex_add(f->pot[v], dt);
	a = f->prev_arc[f->sink];
	j = -2 - a;
	f->used[j]++;
	v = f->n + j;
	for (;;) {
		a = f->prev_arc[v];
		if (v >= f->n) {
			/* reached mentor v along arc a from its mentee */
			f->arc_flow[a] = 1;
			v = arc_mentee(f, a);
		} else if (a == -1) {
			f->deg[v]++;
			break;
		} else {
			/* reached mentee v backwards along a from its mentor */
			f->arc_flow[a] = 0;
			v = f->n + f->arc_to[a];
		}
	}
}

/*
 * Potentials for the empty flow: the graph is a DAG (source, mentees,
 * mentors, sink), so shortest distances come layer by layer.  Mentors no
 * mentee reaches keep 0: no arc leads to them.
 */
static void
flow_init_potentials(struct flow *f)
{
	bool *reached = xcalloc((size_t)f->nodes, sizeof *reached);
	int i, j, a;

	for (i = 0; i < f->n; i++) {
		f->pot[i] = f->maxr[i] > 0 ? flow_tier(f, i) : lex_zero;
		for (a = f->arc_start[i]; a < f->arc_start[i + 1]; a++) {
			struct lex d = lex_add(f->pot[i], f->arc_cost[a]);

			j = f->n + f->arc_to[a];
			if (!reached[j] || lex_cmp(d, f->pot[j]) < 0)
				f->pot[j] = d;
			reached[j] = true;
		}
	}
	f->pot[f->sink] = lex_zero;
	for (j = 0; j < f->m; j++) {
		if (!reached[f->n + j])
			continue;
		if (!reached[f->sink] || lex_cmp(f->pot[f->n + j],
		    f->pot[f->sink]) < 0)
			f->pot[f->sink] = f->pot[f->n + j];
		reached[f->sink] = true;
	}
	free(reached);
}

static void
flow_free(struct flow *f)
{
	free(f->arc_start);
	free(f->arc_from);
	free(f->arc_to);
	free(f->arc_cost);
	free(f->arc_flow);
	free(f->in_start);
	free(f->in_arc);
	free(f->cap);
	free(f->used);
	free(f->deg);
	free(f->maxr);
	free(f->pot);
	free(f->dist);
	free(f->seen);
	free(f->prev_arc);
	free(f->heap);
	free(f->heap_pos);
}

static void
flow_build(struct flow *f, const struct rounds_problem *p)
{
	size_t narcs = 0, e;
	int i, j, a, *fill;

	memset(f, 0, sizeof *f);
	f->p = p;
	f->n = p->nmentees;
	f->m = p->nmentors;
	f->R = p->nrounds;
	f->sink = f->n + f->m;
	f->nodes = f->n + f->m + 1;
	f->maxr = xcalloc((size_t)f->n + 1, sizeof *f->maxr);
	f->cap = xcalloc((size_t)f->m + 1, sizeof *f->cap);
	for (i = 0; i < f->n; i++)
		f->maxr[i] = p->max_rounds ? p->max_rounds[i] : f->R;
	for (j = 0; j < f->m; j++)
		f->cap[j] = f->R * p->places[j];
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->m && f->maxr[i] > 0; j++)
			if (f->cap[j] > 0 &&
			    p->score[(size_t)i * f->m + j] != MATCH_EXCLUDED)
				narcs++;
	f->arc_start = xcalloc((size_t)f->n + 1, sizeof *f->arc_start);
	f->arc_from = xcalloc(narcs + 1, sizeof *f->arc_from);
	f->arc_to = xcalloc(narcs + 1, sizeof *f->arc_to);
	f->arc_cost = xcalloc(narcs + 1, sizeof *f->arc_cost);
	f->arc_flow = xcalloc(narcs + 1, 1);
	f->in_start = xcalloc((size_t)f->m + 2, sizeof *f->in_start);
	f->in_arc = xcalloc(narcs + 1, sizeof *f->in_arc);
	e = 0;
	for (i = 0; i < f->n; i++) {
		f->arc_start[i] = (int)e;
		for (j = 0; j < f->m && f->maxr[i] > 0; j++) {
			int s = p->score[(size_t)i * f->m + j];

			if (f->cap[j] == 0 || s == MATCH_EXCLUDED)
				continue;
			f->arc_from[e] = i;
			f->arc_to[e] = j;
			f->arc_cost[e] = lex_value_cost(p->objective, 0, 0, s);
			f->in_start[j + 1]++;
			e++;
		}
	}
	f->arc_start[f->n] = (int)e;
	for (j = 0; j < f->m; j++)
		f->in_start[j + 1] += f->in_start[j];
	fill = xcalloc((size_t)f->m + 1, sizeof *fill);
	for (a = 0; a < (int)narcs; a++) {
		j = f->arc_to[a];
		f->in_arc[f->in_start[j] + fill[j]++] = a;
	}
	free(fill);
	f->used = xcalloc((size_t)f->m + 1, sizeof *f->used);
	f->deg = xcalloc((size_t)f->n + 1, sizeof *f->deg);
	f->pot = xcalloc((size_t)f->nodes, sizeof *f->pot);
	f->dist = xcalloc((size_t)f->nodes, sizeof *f->dist);
	f->seen = xcalloc((size_t)f->nodes, 1);
	f->prev_arc = xcalloc((size_t)f->nodes, sizeof *f->prev_arc);
	f->heap = xcalloc((size_t)f->nodes, sizeof *f->heap);
	f->heap_pos = xcalloc((size_t)f->nodes, sizeof *f->heap_pos);
}

/*
 * Successive shortest paths from the empty flow: each augmentation is the
 * cheapest way to add one meeting, and the costs of successive
 * augmentations never decrease, so the first one that does not pay (cost
 * >= 0) ends the search at the optimum over every number of meetings.
 */
static void
flow_solve(struct flow *f)
{
	flow_init_potentials(f);
	while (flow_dijkstra(f)) {
		struct lex cost = lex_add(f->dist[f->sink], f->pot[f->sink]);

		if (lex_cmp(cost, lex_zero) >= 0)
			break;
		flow_augment(f);
	}
}

/* ---- König: the meetings into rounds ---- */

struct colouring {
	int R;
	int nedges;
	int *left;                 /* per edge: mentee */
	int *right;                /* per edge: seat node */
	int *colour;               /* per edge */
	int *at_left;              /* mentee * R + colour -> edge, -1 */
	int *at_right;             /* seat * R + colour -> edge, -1 */
};

static int
free_colour(const int *at, int node, int R)
{
	int c;

	for (c = 0; c < R; c++)
		if (at[(size_t)node * R + c] < 0)
			return c;
	return -1;      /* a node of degree > R: the caller's bug */
}

static void
colour_set(struct colouring *k, int e, int c)
{
	k->colour[e] = c;
	k->at_left[(size_t)k->left[e] * k->R + c] = e;
	k->at_right[(size_t)k->right[e] * k->R + c] = e;
}

static void
colour_unset(struct colouring *k, int e)
{
	int c = k->colour[e];

	k->at_left[(size_t)k->left[e] * k->R + c] = -1;
	k->at_right[(size_t)k->right[e] * k->R + c] = -1;
	k->colour[e] = -1;
}

/*
 * Colour edge e: a free at its mentee, b free at its seat.  If a is taken
 * at the seat, the path from the seat along a, b, a, ... never reaches the
 * mentee (it enters mentees by a-edges, and a is free there), so swapping
 * a and b on it frees a at the seat without breaking anything.
 */
static int
colour_edge(struct colouring *k, int e, int **path, size_t *cap)
{
	int a, b, x, y, side, n = 0, i;

	a = free_colour(k->at_left, k->left[e], k->R);
	b = free_colour(k->at_right, k->right[e], k->R);
	if (a < 0 || b < 0)
		return -1;
	if (k->at_right[(size_t)k->right[e] * k->R + a] >= 0) {
		x = k->right[e];
		side = 1;          /* x is a seat: follow colour a */
		for (;;) {
			y = side ? k->at_right[(size_t)x * k->R + a] :
			    k->at_left[(size_t)x * k->R + b];
			if (y < 0)
				break;
			XGROW(*path, (size_t)n + 1, *cap);
			(*path)[n++] = y;
			x = side ? k->left[y] : k->right[y];
			side = !side;
		}
		for (i = 0; i < n; i++)
			colour_unset(k, (*path)[i]);
		for (i = 0; i < n; i++)
			colour_set(k, (*path)[i], i % 2 == 0 ? b : a);
	}
	colour_set(k, e, a);
	return 0;
}

/* ---- the plan ---- */

static int
validate(const struct rounds_problem *p, struct error *err)
{
	int i, j;

	if (p->nmentees < 0 || p->nmentors < 0 || p->nrounds < 1 ||
	    p->nrounds > 1000 || (p->nmentees > 0 && p->nmentors > 0 &&
	    p->score == NULL) || (p->nmentors > 0 && p->places == NULL))
		return error_set(err, EX_SOFTWARE, "rounds: malformed problem");
	if ((size_t)p->nmentees * (size_t)p->nmentors > (size_t)INT32_MAX / 2)
		return error_set(err, EX_SOFTWARE, "rounds: problem too large");
	for (j = 0; j < p->nmentors; j++)
		if (p->places[j] < 0 || p->places[j] > 1000)
			return error_set(err, EX_SOFTWARE, "rounds: places of "
			    "mentor %d out of range", j);
	for (i = 0; p->max_rounds && i < p->nmentees; i++)
		if (p->max_rounds[i] < 0 || p->max_rounds[i] > p->nrounds)
			return error_set(err, EX_SOFTWARE, "rounds: max_rounds "
			    "of mentee %d out of range", i);
	for (i = 0; i < p->nmentees * p->nmentors; i++)
		if (p->score[i] != MATCH_EXCLUDED &&
		    (p->score[i] < 0 || p->score[i] > MATCH_SCORE_MAX))
			return error_set(err, EX_SOFTWARE, "rounds: score %d out "
			    "of range", p->score[i]);
	return 0;
}

static int
meeting_cmp(const void *x, const void *y)
{
	const struct rounds_meeting *a = x, *b = y;

	if (a->round != b->round)
		return a->round < b->round ? -1 : 1;
	if (a->mentor != b->mentor)
		return a->mentor < b->mentor ? -1 : 1;
	return (a->seat > b->seat) - (a->seat < b->seat);
}

/* Rounds by meetings held, most first, then by colour. */
static void
order_rounds(int R, const struct rounds_plan *plan, int *rank)
{
	int *count = xcalloc((size_t)R, sizeof *count);
	int *order = xcalloc((size_t)R, sizeof *order);
	int c, d, t;
	size_t e;

	for (e = 0; e < plan->n; e++)
		count[plan->v[e].round]++;
	for (c = 0; c < R; c++)
		order[c] = c;
	/* insertion sort: R is small, and the order must be stable */
	for (c = 1; c < R; c++)
		for (d = c; d > 0 && count[order[d]] > count[order[d - 1]]; d--) {
			t = order[d];
			order[d] = order[d - 1];
			order[d - 1] = t;
		}
	for (c = 0; c < R; c++)
		rank[order[c]] = c;
	free(count);
	free(order);
}

int
rounds_plan(const struct rounds_problem *p, struct rounds_plan *out,
    struct error *err)
{
	struct flow f;
	struct colouring k;
	int *seat_base, *seat_next, *rank, *path = NULL;
	size_t pathcap = 0, e;
	int i, j, a, q, nseats, rc = -1, R = p->nrounds;

	memset(out, 0, sizeof *out);
	if (validate(p, err) != 0)
		return -1;
	out->meetings_of = xcalloc((size_t)p->nmentees + 1,
	    sizeof *out->meetings_of);
	flow_build(&f, p);
	flow_solve(&f);

	/* Seats: mentor j's meetings dealt out in turn over its places. */
	seat_base = xcalloc((size_t)p->nmentors + 1, sizeof *seat_base);
	seat_next = xcalloc((size_t)p->nmentors + 1, sizeof *seat_next);
	for (j = 0, nseats = 0; j < p->nmentors; j++) {
		seat_base[j] = nseats;
		nseats += p->places[j];
	}
	memset(&k, 0, sizeof k);
	k.R = R;
	for (j = 0; j < p->nmentors; j++)
		k.nedges += f.used[j];
	k.left = xcalloc((size_t)k.nedges + 1, sizeof *k.left);
	k.right = xcalloc((size_t)k.nedges + 1, sizeof *k.right);
	k.colour = xcalloc((size_t)k.nedges + 1, sizeof *k.colour);
	k.at_left = xmalloc(((size_t)p->nmentees * R + 1) * sizeof *k.at_left);
	k.at_right = xmalloc(((size_t)nseats * R + 1) * sizeof *k.at_right);
	memset(k.at_left, 0xff, ((size_t)p->nmentees * R + 1) * sizeof(int));
	memset(k.at_right, 0xff, ((size_t)nseats * R + 1) * sizeof(int));
	out->v = xcalloc((size_t)k.nedges + 1, sizeof *out->v);
	e = 0;
	for (j = 0; j < p->nmentors; j++) {
		for (q = f.in_start[j]; q < f.in_start[j + 1]; q++) {
			a = f.in_arc[q];
			if (!f.arc_flow[a])
				continue;
			i = arc_mentee(&f, a);
			out->v[e].mentee = i;
			out->v[e].mentor = j;
			out->v[e].seat = seat_next[j]++ % p->places[j];
			out->v[e].score = p->score[(size_t)i * p->nmentors + j];
			k.left[e] = i;
			k.right[e] = seat_base[j] + out->v[e].seat;
			k.colour[e] = -1;
			e++;
		}
	}
	out->n = e;
	for (e = 0; e < out->n; e++) {
		if (colour_edge(&k, (int)e, &path, &pathcap) != 0) {
			rounds_plan_free(out);
			error_set(err, EX_SOFTWARE, "rounds: a node of degree "
			    "above %d", R);
			goto out;
		}
	}
	for (e = 0; e < out->n; e++)
		out->v[e].round = k.colour[e];
	rank = xcalloc((size_t)R, sizeof *rank);
	order_rounds(R, out, rank);
	for (e = 0; e < out->n; e++) {
		out->v[e].round = rank[out->v[e].round];
		out->total += out->v[e].score;
		out->meetings_of[out->v[e].mentee]++;
	}
	free(rank);
	for (i = 0; i < p->nmentees; i++) {
		if (out->meetings_of[i] > 0)
			out->mentees_met++;
		out->squares += (int64_t)out->meetings_of[i] *
		    out->meetings_of[i];
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, meeting_cmp);
	rc = 0;
out:
	free(path);
	free(k.left);
	free(k.right);
	free(k.colour);
	free(k.at_left);
	free(k.at_right);
	free(seat_base);
	free(seat_next);
	flow_free(&f);
	return rc;
}

void
rounds_plan_free(struct rounds_plan *plan)
{
	if (plan == NULL)
		return;
	free(plan->v);
	free(plan->meetings_of);
	memset(plan, 0, sizeof *plan);
}

int
rounds_compare(enum match_objective obj, bool balance, size_t meetings_a,
    int64_t squares_a, int64_t total_a, size_t meetings_b, int64_t squares_b,
    int64_t total_b)
{
	struct lex a, b;

	/* fewer squares is better: as a value, minus the squares */
	a = lex_value_cost(obj, (int64_t)meetings_a, balance ? -squares_a : 0,
	    total_a);
	b = lex_value_cost(obj, (int64_t)meetings_b, balance ? -squares_b : 0,
	    total_b);
	/* costs are negated values: the lower cost is the better plan */
	return -lex_cmp(a, b);
}

static int
pair_cmp(const void *x, const void *y)
{
	const struct rounds_meeting *a = x, *b = y;

	if (a->mentee != b->mentee)
		return a->mentee < b->mentee ? -1 : 1;
	return (a->mentor > b->mentor) - (a->mentor < b->mentor);
}

int
rounds_verify(const struct rounds_problem *p, const struct rounds_plan *plan,
    struct error *err)
{
	struct rounds_meeting *v = NULL;
	int *per_mentee = NULL, *per_mentor = NULL, *count = NULL;
	int64_t total = 0, squares = 0;
	size_t e, nm = (size_t)p->nmentees, nr = (size_t)p->nrounds;
	int i, rc = -1, met = 0;

	if (validate(p, err) != 0)
		return -1;
	per_mentee = xcalloc(nm * nr + 1, sizeof *per_mentee);
	per_mentor = xcalloc((size_t)p->nmentors * nr + 1, sizeof *per_mentor);
	count = xcalloc(nm + 1, sizeof *count);
	for (e = 0; e < plan->n; e++) {
		const struct rounds_meeting *m = &plan->v[e];

		if (m->mentee < 0 || m->mentee >= p->nmentees || m->mentor < 0 ||
		    m->mentor >= p->nmentors || m->round < 0 ||
		    m->round >= p->nrounds || m->seat < 0 ||
		    m->seat >= p->places[m->mentor]) {
			error_set(err, EX_SOFTWARE, "meeting %zu out of range", e);
			goto out;
		}
		if (p->score[(size_t)m->mentee * p->nmentors + m->mentor] ==
		    MATCH_EXCLUDED || m->score != p->score[(size_t)m->mentee *
		    p->nmentors + m->mentor]) {
			error_set(err, EX_SOFTWARE, "meeting %zu: pair excluded "
			    "or score wrong", e);
			goto out;
		}
		if (per_mentee[(size_t)m->mentee * nr + m->round]++ > 0) {
			error_set(err, EX_SOFTWARE, "mentee %d twice in round %d",
			    m->mentee, m->round);
			goto out;
		}
		if (++per_mentor[(size_t)m->mentor * nr + m->round] >
		    p->places[m->mentor]) {
			error_set(err, EX_SOFTWARE, "mentor %d over its places "
			    "in round %d", m->mentor, m->round);
			goto out;
		}
		count[m->mentee]++;
		total += m->score;
	}
	/* a seat once per round: sort a copy by (round, mentor, seat) */
	v = xcalloc(plan->n + 1, sizeof *v);
	if (plan->n > 0)
		memcpy(v, plan->v, plan->n * sizeof *v);
	if (plan->n > 1)
		qsort(v, plan->n, sizeof *v, meeting_cmp);
	for (e = 1; e < plan->n; e++)
		if (meeting_cmp(&v[e - 1], &v[e]) == 0) {
			error_set(err, EX_SOFTWARE, "seat %d of mentor %d twice "
			    "in round %d", v[e].seat, v[e].mentor, v[e].round);
			goto out;
		}
	if (plan->n > 1)
		qsort(v, plan->n, sizeof *v, pair_cmp);
	for (e = 1; e < plan->n; e++)
		if (pair_cmp(&v[e - 1], &v[e]) == 0) {
			error_set(err, EX_SOFTWARE, "mentee %d meets mentor %d "
			    "twice", v[e].mentee, v[e].mentor);
			goto out;
		}
	for (i = 0; i < p->nmentees; i++) {
		if (p->max_rounds && count[i] > p->max_rounds[i]) {
			error_set(err, EX_SOFTWARE, "mentee %d over max_rounds",
			    i);
			goto out;
		}
		if (plan->meetings_of && plan->meetings_of[i] != count[i]) {
			error_set(err, EX_SOFTWARE, "meetings_of[%d] wrong", i);
			goto out;
		}
		if (count[i] > 0)
			met++;
		squares += (int64_t)count[i] * count[i];
	}
	if (total != plan->total || squares != plan->squares ||
	    met != plan->mentees_met) {
		error_set(err, EX_SOFTWARE, "plan totals wrong");
		goto out;
	}
	rc = 0;
out:
	free(v);
	free(per_mentee);
	free(per_mentor);
	free(count);
	return rc;
}

int
rounds_period_start(struct duration every, int known, int known_start, int k)
{
	int day = known_start, n;

	if (k < known || known_start == DATE_NONE)
		return DATE_NONE;
	for (n = known; n < k; n++) {
		day = date_add_duration(day, every, 1);
		if (day == DATE_NONE || day > DATE_MAX_DAY)
			return DATE_NONE;
	}
	return day;
}

static void
add_duration_text(struct strbuf *sb, struct duration d)
{
	static const char *const one[] = { "day", "week", "month", "year" };

	strbuf_addf(sb, "%d %s%s", d.n, one[d.unit], d.n == 1 ? "" : "s");
}

char *
rounds_format_text(const struct program *p)
{
	struct strbuf sb = STRBUF_INIT;
	char day[DATE_BUFSZ];
	int cap = p->mentor.capacity;

	switch (p->format) {
	case FORMAT_ONE_TO_ONE:
		strbuf_addf(&sb, "one-to-one mentoring: each mentee has one "
		    "mentor, a mentor up to %d mentee%s", cap, cap == 1 ? "" :
		    "s");
		break;
	case FORMAT_GROUP:
		strbuf_addf(&sb, "group circles: one mentor with up to %d "
		    "mentees", cap);
		if (p->group.department_diversity)
			strbuf_addf(&sb, ", at most %d per department",
			    p->group.max_per_department);
		strbuf_addstr(&sb, "; check-ins and feedback per member, "
		    "reported per circle");
		break;
	case FORMAT_PEER:
		strbuf_addf(&sb, "peer mentoring: partners at levels at most "
		    "%d apart", p->peer.max_level_gap);
		break;
	case FORMAT_REVERSE:
		strbuf_addstr(&sb, "reverse mentoring: the junior mentors the "
		    "senior (the mentor's level is below the mentee's)");
		break;
	case FORMAT_FLASH:
		strbuf_addf(&sb, "flash mentoring: %d round%s of %d minutes, "
		    "a different mentor each round, up to %d mentee%s per "
		    "mentor per round", p->flash.rounds,
		    p->flash.rounds == 1 ? "" : "s", p->flash.minutes,
		    p->flash.table_size, p->flash.table_size == 1 ? "" : "s");
		if (p->flash.date != DATE_NONE)
			strbuf_addf(&sb, ", on %s", date_format(p->flash.date,
			    day));
		if (p->flash.has_start)
			strbuf_addf(&sb, " at %02d:%02d %s", p->flash.start / 60,
			    p->flash.start % 60, p->flash.timezone);
		break;
	case FORMAT_ROTATIONAL:
		strbuf_addf(&sb, "rotational mentoring: %d period%s of ",
		    p->rotation.periods, p->rotation.periods == 1 ? "" : "s");
		add_duration_text(&sb, p->rotation.every);
		strbuf_addf(&sb, ", a different mentor each period, up to %d "
		    "mentee%s per mentor per period", cap, cap == 1 ? "" : "s");
		break;
	case FORMAT_NETWORK:
		strbuf_addf(&sb, "network mentoring: from meeting %d on, the "
		    "mentor introduces the mentee to new contacts, %d in all",
		    p->network.introductions_from, p->network.target);
		break;
	}
	return strbuf_detach(&sb, NULL);
}
