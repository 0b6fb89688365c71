/*
 * Mentee-proposing deferred acceptance with places on both sides.  Each
 * mentee's acceptable mentors are sorted by his key once; a mentor keeps
 * the mentees she holds in a min-heap by her key, so that bumping her
 * worst is O(log places).  A queue of mentees with a free place and
 * mentors left to ask drives the proposals; each acceptable pair is
 * proposed at most once, so the work is O(pairs log pairs) at worst.
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
		qsort(ix->v, m, sizeof *ix->v, cmp_pref);
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

int
stable_match(const struct stable_prefs *in, struct stable_result *r,
    struct error *err)
{
	struct pref_index ix;
	struct cand *list;
	int *loff, *next, *holding, *queue;
	struct held *h;
	size_t total = 0, k;
	int ne = in->nmentees, nm = in->nmentors, i, j, qh = 0, qt = 0, qn;
	int64_t key;

	memset(r, 0, sizeof *r);
	if (check(in, err) != 0)
		return -1;
	pref_index_build(&ix, in);
	/* each mentee's acceptable mentors, best first */
	loff = xcalloc((size_t)ne + 1, sizeof *loff);
	for (i = 0; i < ne; i++) {
		for (j = 0; j < nm; j++)
			if (in->score[(size_t)i * nm + j] != MATCH_EXCLUDED &&
			    in->mentor_places[j] > 0)
				loff[i + 1]++;
		if (in->mentee_places[i] == 0)
			loff[i + 1] = 0;
		loff[i + 1] += loff[i];
	}
	total = (size_t)loff[ne];
	list = xreallocarray(NULL, total ? total : 1, sizeof *list);
	for (i = 0; i < ne; i++) {
		k = (size_t)loff[i];
		if (loff[i + 1] == loff[i])
			continue;
		for (j = 0; j < nm; j++) {
			int16_t s = in->score[(size_t)i * nm + j];

			if (s == MATCH_EXCLUDED || in->mentor_places[j] == 0)
				continue;
			list[k].mentor = j;
			list[k].key = stable_mentee_key(s, j, pref_find(&ix, i,
			    j));
			k++;
		}
		qsort(list + loff[i], (size_t)(loff[i + 1] - loff[i]),
		    sizeof *list, cmp_cand);
	}
	next = xcalloc(ne ? (size_t)ne : 1, sizeof *next);
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
		if (in->mentee_places[i] > 0 && loff[i + 1] > loff[i])
			queue[qt++] = i;
	while (qh != qt) {
		i = queue[qh];
		qh = (qh + 1) % qn;
		while (holding[i] < in->mentee_places[i] &&
		    loff[i] + next[i] < loff[i + 1]) {
			j = list[loff[i] + next[i]++].mentor;
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
				    loff[out] + next[out] < loff[out + 1]) {
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
		int *cnt = xcalloc((size_t)ne + 1, sizeof *cnt), t;

		for (j = 0; j < nm; j++)
			for (t = 0; t < h[j].n; t++)
				cnt[h[j].who[t] + 1]++;
		for (i = 0; i < ne; i++)
			cnt[i + 1] += cnt[i];
		for (j = 0; j < nm; j++)
			for (t = 0; t < h[j].n; t++) {
				i = h[j].who[t];
				r->mentee[cnt[i]] = i;
				r->mentor[cnt[i]++] = j;
			}
		free(cnt);
	}
	for (j = 0; j < nm; j++) {
		free(h[j].who);
		free(h[j].key);
	}
	free(h);
	free(queue);
	free(next);
	free(holding);
	free(list);
	free(loff);
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
