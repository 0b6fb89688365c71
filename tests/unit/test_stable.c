/*
 * core/stable.c: deferred acceptance with places on both sides against
 * brute force on small instances (the result is stable, and no stable
 * matching gives any mentee better partners), against a reference
 * implementation (round-based Gale-Shapley with each mentee's places as
 * separate proposers) on large ones, and the stability audit against a
 * direct count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"
#include "core/stable.h"
#include "util/xmalloc.h"

static unsigned long long rng = 88172645463325252ULL;

static int
rnd(int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (int)(rng % (unsigned long long)n);
}

struct inst {
	int ne, nm;
	int *ecap, *mcap;
	int16_t *score;
	struct match_pref *prefs;
	size_t nprefs;
	struct stable_prefs in;
};

static const struct match_pref *
find_pref(const struct inst *x, int i, int j)
{
	size_t k;

	for (k = 0; k < x->nprefs; k++)
		if (x->prefs[k].mentee == i && x->prefs[k].mentor == j)
			return &x->prefs[k];
	return NULL;
}

static void
inst_make(struct inst *x, int ne, int nm, int maxcap, int scores, bool prefs)
{
	int i, j;

	memset(x, 0, sizeof *x);
	x->ne = ne;
	x->nm = nm;
	x->ecap = xcalloc(ne, sizeof *x->ecap);
	x->mcap = xcalloc(nm, sizeof *x->mcap);
	x->score = xcalloc((size_t)ne * nm, sizeof *x->score);
	for (i = 0; i < ne; i++)
		x->ecap[i] = rnd(maxcap + 1);
	for (j = 0; j < nm; j++)
		x->mcap[j] = rnd(maxcap + 1);
	for (i = 0; i < ne * nm; i++)
		x->score[i] = rnd(5) == 0 ? MATCH_EXCLUDED :
		    (int16_t)(rnd(scores) * 100);
	if (prefs) {
		x->prefs = xcalloc((size_t)ne * nm, sizeof *x->prefs);
		for (i = 0; i < ne; i++) {
			int k = 0;

			for (j = 0; j < nm; j++) {
				struct match_pref *q;

				if (rnd(3) != 0)
					continue;
				q = &x->prefs[x->nprefs++];
				q->mentee = i;
				q->mentor = j;
				q->rating = rnd(6);
				q->mentor_prefers = rnd(3) == 0;
				if (rnd(2))
					q->rank_pos = ++k;
			}
			for (j = 0; j < (int)x->nprefs; j++)
				if (x->prefs[j].mentee == i &&
				    x->prefs[j].rank_pos > 0)
					x->prefs[j].rank_count = k;
		}
	}
	x->in.nmentees = ne;
	x->in.nmentors = nm;
	x->in.mentee_places = x->ecap;
	x->in.mentor_places = x->mcap;
	x->in.score = x->score;
	x->in.prefs = x->prefs;
	x->in.nprefs = x->nprefs;
}

static void
inst_free(struct inst *x)
{
	free(x->ecap);
	free(x->mcap);
	free(x->score);
	free(x->prefs);
}

static int64_t
ekey(const struct inst *x, int i, int j)
{
	return stable_mentee_key(x->score[i * x->nm + j], j, find_pref(x, i, j));
}

static int64_t
mkey(const struct inst *x, int i, int j)
{
	return stable_mentor_key(x->score[i * x->nm + j], i, find_pref(x, i, j));
}

/* Blocking pairs of a matching given as a 0/1 matrix, counted directly. */
static size_t
blocking_direct(const struct inst *x, const unsigned char *in)
{
	size_t n = 0;
	int i, j, k, ecount, mcount;
	bool ewants, mwants;

	for (i = 0; i < x->ne; i++)
		for (j = 0; j < x->nm; j++) {
			if (x->score[i * x->nm + j] == MATCH_EXCLUDED ||
			    in[i * x->nm + j] || x->ecap[i] == 0 ||
			    x->mcap[j] == 0)
				continue;
			ecount = mcount = 0;
			ewants = mwants = false;
			for (k = 0; k < x->nm; k++)
				if (in[i * x->nm + k]) {
					ecount++;
					if (ekey(x, i, k) < ekey(x, i, j))
						ewants = true;
				}
			for (k = 0; k < x->ne; k++)
				if (in[k * x->nm + j]) {
					mcount++;
					if (mkey(x, k, j) < mkey(x, i, j))
						mwants = true;
				}
			if ((ecount < x->ecap[i] || ewants) &&
			    (mcount < x->mcap[j] || mwants))
				n++;
		}
	return n;
}

/* All matchings within the places: visit each. */
struct walk {
	const struct inst *x;
	unsigned char *in;
	int *eload, *mload;
	/* the best partner keys found per mentee among stable matchings */
	void (*visit)(struct walk *);
	const unsigned char *da;     /* deferred acceptance's matching */
	int stable_seen;
	bool da_dominated;           /* a stable matching better for someone */
};

static int
cmp_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y) - (x > y);
}

/* Mentee i's partner keys in matching m, best first; the count. */
static int
partner_keys(const struct inst *x, const unsigned char *m, int i, int64_t *v)
{
	int j, n = 0;

	for (j = 0; j < x->nm; j++)
		if (m[i * x->nm + j])
			v[n++] = ekey(x, i, j);
	qsort(v, (size_t)n, sizeof *v, cmp_desc);
	return n;
}

static void
visit(struct walk *w)
{
	const struct inst *x = w->x;
	int64_t a[16], b[16];
	int i, na, nb, k;

	if (blocking_direct(x, w->in) != 0)
		return;
	w->stable_seen++;
	/* the mentee-optimal one: each mentee's k-th partner at least as good */
	for (i = 0; i < x->ne; i++) {
		na = partner_keys(x, w->da, i, a);
		nb = partner_keys(x, w->in, i, b);
		for (k = 0; k < nb; k++)
			if (k >= na || b[k] > a[k])
				w->da_dominated = true;
	}
}

static void
walk(struct walk *w, int cell)
{
	const struct inst *x = w->x;
	int i, j;

	if (cell == x->ne * x->nm) {
		visit(w);
		return;
	}
	i = cell / x->nm;
	j = cell % x->nm;
	walk(w, cell + 1);
	if (x->score[cell] == MATCH_EXCLUDED || w->eload[i] >= x->ecap[i] ||
	    w->mload[j] >= x->mcap[j])
		return;
	w->in[cell] = 1;
	w->eload[i]++;
	w->mload[j]++;
	walk(w, cell + 1);
	w->in[cell] = 0;
	w->eload[i]--;
	w->mload[j]--;
}

static void
test_brute_force(void **state)
{
	int round, i, j;
	size_t k;

	(void)state;
	for (round = 0; round < 400; round++) {
		struct inst x;
		struct stable_result r = STABLE_RESULT_INIT;
		struct error err = ERROR_INIT;
		struct walk w;
		unsigned char *da;
		int ne = 1 + rnd(4), nm = 1 + rnd(3);

		if (ne * nm > 12)
			ne = 12 / nm;
		/* few score values: many ties for the keys to break */
		inst_make(&x, ne, nm, 2, 3, round % 2 == 1);
		assert_int_equal(stable_match(&x.in, &r, &err), 0);
		da = xcalloc((size_t)ne * nm, 1);
		for (k = 0; k < r.n; k++) {
			i = r.mentee[k];
			j = r.mentor[k];
			assert_int_not_equal(x.score[i * nm + j], MATCH_EXCLUDED);
			assert_int_equal(da[i * nm + j], 0);
			da[i * nm + j] = 1;
			if (k > 0)
				assert_true(r.mentee[k - 1] < i ||
				    (r.mentee[k - 1] == i && r.mentor[k - 1] < j));
		}
		for (i = 0; i < ne; i++) {
			int n = 0;

			for (j = 0; j < nm; j++)
				n += da[i * nm + j];
			assert_true(n <= x.ecap[i]);
		}
		for (j = 0; j < nm; j++) {
			int n = 0;

			for (i = 0; i < ne; i++)
				n += da[i * nm + j];
			assert_true(n <= x.mcap[j]);
		}
		/* stable, by the direct count and by the audit */
		assert_int_equal(blocking_direct(&x, da), 0);
		assert_int_equal(stable_blocking_pairs(&x.in, r.mentee, r.mentor,
		    r.n), 0);
		/* and mentee-optimal among every stable matching */
		memset(&w, 0, sizeof w);
		w.x = &x;
		w.in = xcalloc((size_t)ne * nm, 1);
		w.eload = xcalloc(ne, sizeof *w.eload);
		w.mload = xcalloc(nm, sizeof *w.mload);
		w.da = da;
		walk(&w, 0);
		assert_true(w.stable_seen >= 1);
		assert_false(w.da_dominated);
		free(w.in);
		free(w.eload);
		free(w.mload);
		free(da);
		stable_result_free(&r);
		inst_free(&x);
	}
}

/* The audit counts what a direct count counts, on any matching. */
static void
test_audit(void **state)
{
	int round, i, j;

	(void)state;
	for (round = 0; round < 200; round++) {
		struct inst x;
		unsigned char *in;
		int *me, *mr, *el, *ml;
		size_t n = 0;

		inst_make(&x, 2 + rnd(6), 2 + rnd(5), 3, 4, round % 2 == 0);
		in = xcalloc((size_t)x.ne * x.nm, 1);
		me = xcalloc((size_t)x.ne * x.nm, sizeof *me);
		mr = xcalloc((size_t)x.ne * x.nm, sizeof *mr);
		el = xcalloc(x.ne, sizeof *el);
		ml = xcalloc(x.nm, sizeof *ml);
		for (i = 0; i < x.ne; i++)
			for (j = 0; j < x.nm; j++)
				if (x.score[i * x.nm + j] != MATCH_EXCLUDED &&
				    el[i] < x.ecap[i] && ml[j] < x.mcap[j] &&
				    rnd(2)) {
					in[i * x.nm + j] = 1;
					el[i]++;
					ml[j]++;
					me[n] = i;
					mr[n++] = j;
				}
		assert_int_equal(stable_blocking_pairs(&x.in, me, mr, n),
		    blocking_direct(&x, in));
		free(in);
		free(me);
		free(mr);
		free(el);
		free(ml);
		inst_free(&x);
	}
}

/*
 * The reference: Gale-Shapley in rounds, every proposer with a free place
 * proposing at once to its next mentor; mentors keep their best `places`
 * proposals and reject the rest.  Sorting is by plain comparisons of the
 * same keys, rejection by a full sort each round: slow and simple.
 */
struct ref_prop {
	int mentee;
	int64_t key;
};

static int
cmp_ref(const void *a, const void *b)
{
	const struct ref_prop *x = a, *y = b;

	return (x->key < y->key) - (x->key > y->key);
}

static void
reference(const struct inst *x, unsigned char *out)
{
	int ne = x->ne, nm = x->nm, i, j, k, changed;
	int64_t **lists = xcalloc(ne, sizeof *lists);
	int *len = xcalloc(ne, sizeof *len), *next = xcalloc(ne, sizeof *next);
	int *held = xcalloc(ne, sizeof *held);
	struct ref_prop *pr = xcalloc((size_t)ne * nm + 1, sizeof *pr);

	for (i = 0; i < ne; i++) {
		lists[i] = xcalloc(nm ? nm : 1, sizeof **lists);
		for (j = 0; j < nm; j++)
			if (x->score[i * nm + j] != MATCH_EXCLUDED && x->mcap[j] > 0)
				lists[i][len[i]++] = ekey(x, i, j);
		qsort(lists[i], (size_t)len[i], sizeof **lists, cmp_desc);
	}
	memset(out, 0, (size_t)ne * nm);
	do {
		changed = 0;
		/* everyone with a free place proposes to the next */
		for (i = 0; i < ne; i++)
			while (held[i] < x->ecap[i] && next[i] < len[i]) {
				int64_t key = lists[i][next[i]++];

				j = 0x3fffffff - (int)(key & 0x3fffffff);
				out[i * nm + j] = 1;
				held[i]++;
				changed = 1;
			}
		/* each mentor keeps her best */
		for (j = 0; j < nm; j++) {
			int n = 0;

			for (i = 0; i < ne; i++)
				if (out[i * nm + j]) {
					pr[n].mentee = i;
					pr[n++].key = mkey(x, i, j);
				}
			if (n <= x->mcap[j])
				continue;
			qsort(pr, (size_t)n, sizeof *pr, cmp_ref);
			for (k = x->mcap[j]; k < n; k++) {
				out[pr[k].mentee * nm + j] = 0;
				held[pr[k].mentee]--;
				changed = 1;
			}
		}
	} while (changed);
	for (i = 0; i < ne; i++)
		free(lists[i]);
	free(lists);
	free(len);
	free(next);
	free(held);
	free(pr);
}

static void
test_reference_large(void **state)
{
	int round;
	size_t k;

	(void)state;
	for (round = 0; round < 6; round++) {
		struct inst x;
		struct stable_result r = STABLE_RESULT_INIT;
		struct error err = ERROR_INIT;
		unsigned char *ref, *da;
		int ne = 300 + rnd(300), nm = 100 + rnd(100);

		inst_make(&x, ne, nm, 3, round < 3 ? 3 : 100, round % 2 == 0);
		ref = xcalloc((size_t)ne * nm, 1);
		da = xcalloc((size_t)ne * nm, 1);
		reference(&x, ref);
		assert_int_equal(stable_match(&x.in, &r, &err), 0);
		for (k = 0; k < r.n; k++)
			da[r.mentee[k] * nm + r.mentor[k]] = 1;
		assert_memory_equal(ref, da, (size_t)ne * nm);
		assert_int_equal(stable_blocking_pairs(&x.in, r.mentee, r.mentor,
		    r.n), 0);
		free(ref);
		free(da);
		stable_result_free(&r);
		inst_free(&x);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_force),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_reference_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
