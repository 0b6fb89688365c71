/*
 * Multi-round plans (flash rounds, rotation periods): the best b-matching,
 * then König's edge colouring into rounds.  core/rounds.h says what is
 * optimised and why the two steps lose nothing.
 *
 * The b-matching is core/match.c's: mentor j takes R x places[j] mentees,
 * mentee i up to max_rounds[i] (at most R) mentors, never the same pair
 * twice, with `even` for the balance.  match.h's lexicographic order is
 * rounds.h's: coverage (pairs, even spread, total score), score (total
 * score, pairs, even spread), each exact.  So a rotation is solved like a
 * one-to-one match (sparse candidates, a network simplex, an optimality
 * certificate over the whole score matrix) instead of a dense min-cost
 * flow: 10,000 mentees x 4,000 mentors x 12 periods in seconds.
 *
 * The rounds' comparison (rounds_compare) keeps the original lexicographic
 * triples: the integers in lexicographic order are a totally ordered group,
 * compared without any big-M weight.
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

static int
lex_cmp(struct lex a, struct lex b)
{
	int k;

	for (k = 0; k < 3; k++)
		if (a.c[k] != b.c[k])
			return a.c[k] < b.c[k] ? -1 : 1;
	return 0;
}

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

static int
meeting_by_mentor(const void *x, const void *y)
{
	const struct rounds_meeting *a = x, *b = y;

	if (a->mentor != b->mentor)
		return a->mentor < b->mentor ? -1 : 1;
	return (a->mentee > b->mentee) - (a->mentee < b->mentee);
}

/*
 * The best b-matching from the matching solver into out->v, by mentor then
 * mentee (seat and round still unset).
 */
static int
rounds_bmatch(const struct rounds_problem *p, struct rounds_plan *out,
    struct error *err)
{
	struct match_problem mp;
	struct match_result r = MATCH_RESULT_INIT;
	int *cap, *bcap, i, j, R = p->nrounds;
	size_t e;

	cap = xcalloc((size_t)p->nmentors + 1, sizeof *cap);
	bcap = xcalloc((size_t)p->nmentees + 1, sizeof *bcap);
	for (j = 0; j < p->nmentors; j++)
		cap[j] = R * p->places[j];
	for (i = 0; i < p->nmentees; i++) {
		bcap[i] = p->max_rounds != NULL ? p->max_rounds[i] : R;
		if (bcap[i] > p->nmentors)
			bcap[i] = p->nmentors;
	}
	memset(&mp, 0, sizeof mp);
	mp.nmentees = p->nmentees;
	mp.nmentors = p->nmentors;
	mp.capacity = cap;
	mp.mentee_capacity = bcap;
	mp.score = p->score;
	mp.objective = p->objective;
	mp.even = p->balance;
	if (match_solve(&mp, &r, err) != 0) {
		free(cap);
		free(bcap);
		return -1;
	}
	out->v = xcalloc(r.npairs + 1, sizeof *out->v);
	for (e = 0; e < r.npairs; e++) {
		i = r.pairs[e].mentee;
		j = r.pairs[e].mentor;
		out->v[e].mentee = i;
		out->v[e].mentor = j;
		out->v[e].score = p->score[(size_t)i * p->nmentors + j];
	}
	out->n = r.npairs;
	if (out->n > 1)
		xqsort(out->v, out->n, sizeof *out->v, meeting_by_mentor);
	match_result_free(&r);
	free(cap);
	free(bcap);
	return 0;
}

int
rounds_plan(const struct rounds_problem *p, struct rounds_plan *out,
    struct error *err)
{
	struct colouring k;
	int *seat_base, *seat_next, *rank, *path = NULL;
	size_t pathcap = 0, e;
	int i, j, nseats, rc = -1, R = p->nrounds;

	memset(out, 0, sizeof *out);
	if (validate(p, err) != 0)
		return -1;
	if (rounds_bmatch(p, out, err) != 0)
		return -1;
	out->meetings_of = xcalloc((size_t)p->nmentees + 1,
	    sizeof *out->meetings_of);

	/* Seats: mentor j's meetings dealt out in turn over its places. */
	seat_base = xcalloc((size_t)p->nmentors + 1, sizeof *seat_base);
	seat_next = xcalloc((size_t)p->nmentors + 1, sizeof *seat_next);
	for (j = 0, nseats = 0; j < p->nmentors; j++) {
		seat_base[j] = nseats;
		nseats += p->places[j];
	}
	memset(&k, 0, sizeof k);
	k.R = R;
	k.nedges = (int)out->n;
	k.left = xcalloc((size_t)k.nedges + 1, sizeof *k.left);
	k.right = xcalloc((size_t)k.nedges + 1, sizeof *k.right);
	k.colour = xcalloc((size_t)k.nedges + 1, sizeof *k.colour);
	k.at_left = xmalloc(((size_t)p->nmentees * R + 1) * sizeof *k.at_left);
	k.at_right = xmalloc(((size_t)nseats * R + 1) * sizeof *k.at_right);
	memset(k.at_left, 0xff, ((size_t)p->nmentees * R + 1) * sizeof(int));
	memset(k.at_right, 0xff, ((size_t)nseats * R + 1) * sizeof(int));
	for (e = 0; e < out->n; e++) {
		j = out->v[e].mentor;
		out->v[e].seat = seat_next[j]++ % p->places[j];
		k.left[e] = out->v[e].mentee;
		k.right[e] = seat_base[j] + out->v[e].seat;
		k.colour[e] = -1;
	}
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
		xqsort(out->v, out->n, sizeof *out->v, meeting_cmp);
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
		xqsort(v, plan->n, sizeof *v, meeting_cmp);
	for (e = 1; e < plan->n; e++)
		if (meeting_cmp(&v[e - 1], &v[e]) == 0) {
			error_set(err, EX_SOFTWARE, "seat %d of mentor %d twice "
			    "in round %d", v[e].seat, v[e].mentor, v[e].round);
			goto out;
		}
	if (plan->n > 1)
		xqsort(v, plan->n, sizeof *v, pair_cmp);
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
