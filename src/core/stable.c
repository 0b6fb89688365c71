/*
 * Mentee-proposing deferred acceptance with places on both sides.  Each
 * mentee's acceptable mentors are ranked by his key in batches: the best
 * 16 (plus his places) by quickselect, twice as many when those run out,
 * so that the usual mentee, who is placed among his first choices, never
 * has his whole list sorted.  A mentor keeps the mentees she holds in a
 * min-heap by her key, so that bumping her worst is O(log places).  A
 * queue of mentees with a free place and mentors left to ask drives the
 * proposals; each acceptable pair is proposed at most once.
 */
#include "core/stable.h"

#include <stdlib.h>
#include <string.h>

#include "core/match.h"
#include "util/xmalloc.h"

/* Per-mentee sparse preferences, sorted by mentor. */
struct pref_index {
	int *off;                  /* nmentees + 1 */
	const struct match_pref **v;
};

static int
cmp_pref(const void *a, const void *b)
{
	const struct match_pref *x = *(const struct match_pref *const *)a;
	const struct match_pref *y = *(const struct match_pref *const *)b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

static void
pref_index_build(struct pref_index *ix, const struct stable_prefs *in)
{
	size_t k, m = 0;
	int i;

	ix->off = xcalloc((size_t)in->nmentees + 1, sizeof *ix->off);
	ix->v = xreallocarray(NULL, in->nprefs ? in->nprefs : 1,
	    sizeof *ix->v);
	for (k = 0; k < in->nprefs; k++) {
		const struct match_pref *q = &in->prefs[k];

		if (q->mentee < 0 || q->mentee >= in->nmentees ||
		    q->mentor < 0 || q->mentor >= in->nmentors)
			continue;
		ix->v[m++] = q;
	}
	if (m > 1)
		xqsort(ix->v, m, sizeof *ix->v, cmp_pref);
	for (k = 0; k < m; k++)
		ix->off[ix->v[k]->mentee + 1]++;
	for (i = 0; i < in->nmentees; i++)
		ix->off[i + 1] += ix->off[i];
}

static const struct match_pref *
pref_find(const struct pref_index *ix, int mentee, int mentor)
{
	int lo = ix->off[mentee], hi = ix->off[mentee + 1], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix->v[mid]->mentor < mentor)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->off[mentee + 1] && ix->v[lo]->mentor == mentor ?
	    ix->v[lo] : NULL;
}

int64_t
stable_mentee_key(int16_t score, int mentor, const struct match_pref *q)
{
	int64_t rank = 0, rating = 0;

	if (q != NULL && q->rank_pos > 0 && q->rank_count >= q->rank_pos)
		rank = q->rank_count - q->rank_pos + 1;
	if (q != NULL && q->rating >= 1 && q->rating <= 5)
		rating = q->rating;
	return rank << 50 | rating << 46 | (int64_t)score << 30 |
	    (int64_t)(0x3fffffff - mentor);
}

int64_t
stable_mentor_key(int16_t score, int mentee, const struct match_pref *q)
{
	int64_t prefer = q != NULL && q->mentor_prefers;

	return prefer << 50 | (int64_t)score << 30 |
	    (int64_t)(0x3fffffff - mentee);
}

void
stable_result_free(struct stable_result *r)
{
	if (r == NULL)
		return;
	free(r->mentee);
	free(r->mentor);
	memset(r, 0, sizeof *r);
}

/* One mentor's held mentees: a min-heap by her key. */
struct held {
	int *who;
	int64_t *key;
	int n;
};

static void
heap_up(struct held *h, int k)
{
	int p, tw;
	int64_t tk;

	while (k > 0 && h->key[p = (k - 1) / 2] > h->key[k]) {
		tw = h->who[p], tk = h->key[p];
		h->who[p] = h->who[k], h->key[p] = h->key[k];
		h->who[k] = tw, h->key[k] = tk;
		k = p;
	}
}

static void
heap_down(struct held *h, int k)
{
	int c, tw;
	int64_t tk;

	for (;;) {
		c = 2 * k + 1;
		if (c >= h->n)
			return;
		if (c + 1 < h->n && h->key[c + 1] < h->key[c])
			c++;
		if (h->key[k] <= h->key[c])
			return;
		tw = h->who[c], tk = h->key[c];
		h->who[c] = h->who[k], h->key[c] = h->key[k];
		h->who[k] = tw, h->key[k] = tk;
		k = c;
	}
}

struct cand {
	int mentor;
	int64_t key;
};

static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return (x->key < y->key) - (x->key > y->key);
}

static int
check(const struct stable_prefs *in, struct error *err)
{
	int i;

	if (in->nmentees < 0 || in->nmentors < 0)
		return error_set(err, EX_SOFTWARE, "stable: negative size");
	for (i = 0; i < in->nmentees; i++)
		if (in->mentee_places[i] < 0)
			return error_set(err, EX_SOFTWARE, "stable: places");
	for (i = 0; i < in->nmentors; i++)
		if (in->mentor_places[i] < 0)
			return error_set(err, EX_SOFTWARE, "stable: places");
	return 0;
}

/* The k best of v[n] (highest key) in v[0..k), sorted, by quickselect. */
static void
best_first(struct cand *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n, i, j;
	int64_t pivot;
	struct cand t;

	if (k > n)
		k = n;
	while (hi - lo > 1 && k > lo && k < hi) {
		pivot = v[lo + (hi - lo) / 2].key;
		i = lo;
		j = hi - 1;
		/* descending: keys above the pivot to the left */
		while (i <= j) {
			while (v[i].key > pivot)
				i++;
			while (v[j].key < pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j + 1;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	xqsort(v, k, sizeof *v, cmp_cand);
}

/* A mentee's acceptable mentors, best first, built in batches. */
struct plist {
	struct cand *v;            /* the best `len` of them, sorted */
	int len;
	int total;                 /* acceptable mentors in all */
	int next;                  /* the next to ask */
};

#define STABLE_BATCH 16

/* The best `want` of mentee i's acceptable mentors into l (scratch: nm). */
static void
plist_fill(struct plist *l, const struct stable_prefs *in,
    const struct pref_index *ix, int i, int want, struct cand *scratch)
{
	int j, n = 0, nm = in->nmentors;

	for (j = 0; j < nm; j++) {
		int16_t sc = in->score[(size_t)i * nm + j];

		if (sc == MATCH_EXCLUDED || in->mentor_places[j] == 0)
			continue;
		scratch[n].mentor = j;
		scratch[n].key = stable_mentee_key(sc, j, pref_find(ix, i, j));
		n++;
	}
	l->total = n;
	if (want > n)
		want = n;
	best_first(scratch, (size_t)n, (size_t)want);
	free(l->v);
	l->v = xreallocarray(NULL, want ? (size_t)want : 1, sizeof *l->v);
	memcpy(l->v, scratch, (size_t)want * sizeof *l->v);
	l->len = want;
}

int
stable_match(const struct stable_prefs *in, struct stable_result *r,
    struct error *err)
{
	struct pref_index ix;
	struct plist *pl;
	struct cand *scratch;
	int *holding, *queue;
	struct held *h;
	int ne = in->nmentees, nm = in->nmentors, i, j, qh = 0, qt = 0, qn;
	int64_t key;

	memset(r, 0, sizeof *r);
	if (check(in, err) != 0)
		return -1;
	pref_index_build(&ix, in);
	scratch = xreallocarray(NULL, nm ? (size_t)nm : 1, sizeof *scratch);
	pl = xcalloc(ne ? (size_t)ne : 1, sizeof *pl);
	for (i = 0; i < ne; i++)
		if (in->mentee_places[i] > 0)
			plist_fill(&pl[i], in, &ix, i, STABLE_BATCH +
			    in->mentee_places[i], scratch);
	holding = xcalloc(ne ? (size_t)ne : 1, sizeof *holding);
	h = xcalloc(nm ? (size_t)nm : 1, sizeof *h);
	for (j = 0; j < nm; j++) {
		h[j].who = xreallocarray(NULL, in->mentor_places[j] ?
		    (size_t)in->mentor_places[j] : 1, sizeof *h[j].who);
		h[j].key = xreallocarray(NULL, in->mentor_places[j] ?
		    (size_t)in->mentor_places[j] : 1, sizeof *h[j].key);
	}
	/* a ring of mentees who may propose: each is in it at most once */
	qn = ne + 1;
	queue = xreallocarray(NULL, (size_t)qn, sizeof *queue);
	for (i = 0; i < ne; i++)
		if (in->mentee_places[i] > 0 && pl[i].total > 0)
			queue[qt++] = i;
	while (qh != qt) {
		i = queue[qh];
		qh = (qh + 1) % qn;
		while (holding[i] < in->mentee_places[i] &&
		    pl[i].next < pl[i].total) {
			if (pl[i].next == pl[i].len)
				plist_fill(&pl[i], in, &ix, i, pl[i].len * 2,
				    scratch);
			j = pl[i].v[pl[i].next++].mentor;
			r->proposals_made++;
			key = stable_mentor_key(in->score[(size_t)i * nm + j], i,
			    pref_find(&ix, i, j));
			if (h[j].n < in->mentor_places[j]) {
				h[j].who[h[j].n] = i;
				h[j].key[h[j].n] = key;
				heap_up(&h[j], h[j].n++);
				holding[i]++;
			} else if (h[j].key[0] < key) {
				int out = h[j].who[0];

				h[j].who[0] = i;
				h[j].key[0] = key;
				heap_down(&h[j], 0);
				holding[i]++;
				/* the bumped mentee asks again, once queued */
				if (holding[out]-- == in->mentee_places[out] &&
				    pl[out].next < pl[out].total) {
					queue[qt] = out;
					qt = (qt + 1) % qn;
				}
			}
		}
	}
	/* the pairs, by mentee then mentor */
	for (j = 0; j < nm; j++)
		r->n += (size_t)h[j].n;
	r->mentee = xreallocarray(NULL, r->n ? r->n : 1, sizeof *r->mentee);
	r->mentor = xreallocarray(NULL, r->n ? r->n : 1, sizeof *r->mentor);
	{
		int *cnt = xcalloc((size_t)ne + 1, sizeof *cnt), t, *at;

		for (j = 0; j < nm; j++)
			for (t = 0; t < h[j].n; t++)
				cnt[h[j].who[t] + 1]++;
		for (i = 0; i < ne; i++)
			cnt[i + 1] += cnt[i];
		at = xcalloc((size_t)ne + 1, sizeof *at);
		memcpy(at, cnt, ((size_t)ne + 1) * sizeof *at);
		/* mentors in order, so each mentee's come out sorted */
		for (j = 0; j < nm; j++)
			for (t = 0; t < h[j].n; t++) {
				i = h[j].who[t];
				r->mentee[at[i]] = i;
				r->mentor[at[i]++] = j;
			}
		free(at);
		free(cnt);
	}
	for (j = 0; j < nm; j++) {
		free(h[j].who);
		free(h[j].key);
	}
	for (i = 0; i < ne; i++)
		free(pl[i].v);
	free(pl);
	free(h);
	free(queue);
	free(holding);
	free(scratch);
	free(ix.off);
	free(ix.v);
	return 0;
}

size_t
stable_blocking_pairs(const struct stable_prefs *in, const int *mentee,
    const int *mentor, size_t n)
{
	struct pref_index ix;
	int ne = in->nmentees, nm = in->nmentors, i, j;
	int64_t *eworst, *mworst, ke, km;
	int *ecount, *mcount;
	unsigned char *paired;
	size_t k, blocking = 0;

	pref_index_build(&ix, in);
	eworst = xreallocarray(NULL, ne ? (size_t)ne : 1, sizeof *eworst);
	mworst = xreallocarray(NULL, nm ? (size_t)nm : 1, sizeof *mworst);
	ecount = xcalloc(ne ? (size_t)ne : 1, sizeof *ecount);
	mcount = xcalloc(nm ? (size_t)nm : 1, sizeof *mcount);
	paired = xcalloc(ne && nm ? (size_t)ne * nm : 1, 1);
	for (i = 0; i < ne; i++)
		eworst[i] = INT64_MAX;
	for (j = 0; j < nm; j++)
		mworst[j] = INT64_MAX;
	for (k = 0; k < n; k++) {
		i = mentee[k];
		j = mentor[k];
		paired[(size_t)i * nm + j] = 1;
		ke = stable_mentee_key(in->score[(size_t)i * nm + j], j,
		    pref_find(&ix, i, j));
		km = stable_mentor_key(in->score[(size_t)i * nm + j], i,
		    pref_find(&ix, i, j));
		ecount[i]++;
		mcount[j]++;
		if (ke < eworst[i])
			eworst[i] = ke;
		if (km < mworst[j])
			mworst[j] = km;
	}
	for (i = 0; i < ne; i++) {
		if (in->mentee_places[i] == 0)
			continue;
		for (j = 0; j < nm; j++) {
			int16_t s = in->score[(size_t)i * nm + j];
			const struct match_pref *q;

			if (s == MATCH_EXCLUDED || paired[(size_t)i * nm + j] ||
			    in->mentor_places[j] == 0)
				continue;
			q = pref_find(&ix, i, j);
			if (ecount[i] >= in->mentee_places[i] &&
			    stable_mentee_key(s, j, q) <= eworst[i])
				continue;
			if (mcount[j] >= in->mentor_places[j] &&
			    stable_mentor_key(s, i, q) <= mworst[j])
				continue;
			blocking++;
		}
	}
	free(eworst);
	free(mworst);
	free(ecount);
	free(mcount);
	free(paired);
	free(ix.off);
	free(ix.v);
	return blocking;
}
