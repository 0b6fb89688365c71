/*
 * The match pool's pure part: its memory, the excluded pairs kept sorted
 * for lookups, scoring's view of it, the group rule, and the words and
 * numbers that match, scores, suggest and pair print for it.
 */
#include "core/match_pool.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/match.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* Every string and array of the pool that its struct does not hold. */
struct match_pool_mem {
	char **strs;
	size_t nstrs;
	size_t strcap;
	struct score_attr **attrs;
	size_t nattrs;
	size_t attrcap;
	size_t pcap, mcap, ecap, xcap, gcap, prefcap, partcap, bonuscap, fixcap;
	struct score_pref *score_prefs;    /* match_pool_input's view of prefs */
};

static struct match_pool_mem *
mem_of(struct match_pool *pool)
{
	if (pool->mem == NULL)
		pool->mem = xcalloc(1, sizeof *pool->mem);
	return pool->mem;
}

const char *
match_pool_strdup(struct match_pool *pool, const char *s)
{
	struct match_pool_mem *m = mem_of(pool);

	if (s == NULL)
		return NULL;
	XGROW(m->strs, m->nstrs + 1, m->strcap);
	return m->strs[m->nstrs++] = xstrdup(s);
}

struct score_attr *
match_pool_attrs(struct match_pool *pool, size_t n)
{
	struct match_pool_mem *m = mem_of(pool);

	XGROW(m->attrs, m->nattrs + 1, m->attrcap);
	return m->attrs[m->nattrs++] = xcalloc(n ? n : 1,
	    sizeof(struct score_attr));
}

int
match_pool_add_person(struct match_pool *pool)
{
	struct match_pool_mem *m = mem_of(pool);
	size_t cap = m->pcap;
	int k = pool->npeople++;

	if ((size_t)pool->npeople > cap) {
		XGROW(pool->people, pool->npeople, m->pcap);
		pool->emails = xreallocarray(pool->emails, m->pcap,
		    sizeof *pool->emails);
		pool->names = xreallocarray(pool->names, m->pcap,
		    sizeof *pool->names);
	}
	memset(&pool->people[k], 0, sizeof pool->people[k]);
	pool->people[k].manager = -1;
	pool->people[k].hired_on = DATE_NONE;
	pool->emails[k] = NULL;
	pool->names[k] = NULL;
	return k;
}

struct match_cand *
match_pool_add_cand(struct match_pool *pool, bool mentor)
{
	struct match_pool_mem *m = mem_of(pool);
	struct match_cand *c;

	if (mentor) {
		XGROW(pool->mentors, pool->nmentors + 1, m->mcap);
		c = &pool->mentors[pool->nmentors++];
	} else {
		XGROW(pool->mentees, pool->nmentees + 1, m->ecap);
		c = &pool->mentees[pool->nmentees++];
	}
	memset(c, 0, sizeof *c);
	c->enrolled_on = DATE_NONE;
	return c;
}

void
match_pool_add_member(struct match_pool *pool, int mentor,
    const char *department)
{
	struct match_pool_mem *m = mem_of(pool);

	XGROW(pool->members, pool->nmembers + 1, m->gcap);
	pool->members[pool->nmembers].mentor = mentor;
	pool->members[pool->nmembers].department = department;
	pool->nmembers++;
}

void
match_pool_add_pref(struct match_pool *pool, const struct match_pref *p)
{
	struct match_pool_mem *m = mem_of(pool);

	XGROW(pool->prefs, pool->nprefs + 1, m->prefcap);
	pool->prefs[pool->nprefs++] = *p;
}

void
match_pool_add_partner(struct match_pool *pool, int mentee, int mentor)
{
	struct match_pool_mem *m = mem_of(pool);

	XGROW(pool->partners, pool->npartners + 1, m->partcap);
	pool->partners[pool->npartners].mentee = mentee;
	pool->partners[pool->npartners].mentor = mentor;
	pool->npartners++;
}

void
match_pool_add_bonus(struct match_pool *pool, int mentee, int mentor,
    int centi)
{
	struct match_pool_mem *m = mem_of(pool);

	XGROW(pool->bonus, pool->nbonus + 1, m->bonuscap);
	pool->bonus[pool->nbonus].mentee = mentee;
	pool->bonus[pool->nbonus].mentor = mentor;
	pool->bonus[pool->nbonus].centi = centi;
	pool->nbonus++;
}

void
match_pool_add_fixed(struct match_pool *pool, int mentee, int mentor)
{
	struct match_pool_mem *m = mem_of(pool);

	XGROW(pool->fixed, pool->nfixed + 1, m->fixcap);
	pool->fixed[pool->nfixed].mentee = mentee;
	pool->fixed[pool->nfixed].mentor = mentor;
	pool->nfixed++;
}

void
match_pool_add_excl(struct match_pool *pool, int mentee, int mentor,
    enum match_excl_kind kind, long long pairing_id)
{
	struct match_pool_mem *m = mem_of(pool);
	struct match_excl *x;

	if (mentee < 0 || mentor < 0 || mentee >= pool->nmentees ||
	    mentor >= pool->nmentors)
		return;
	XGROW(pool->excl, pool->nexcl + 1, m->xcap);
	x = &pool->excl[pool->nexcl++];
	x->mentor = mentor;
	x->mentee = mentee;
	x->kind = kind;
	x->pairing_id = pairing_id;
}

static int
cmp_excl(const void *a, const void *b)
{
	const struct match_excl *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	if (x->mentor != y->mentor)
		return x->mentor < y->mentor ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->pairing_id > y->pairing_id) - (x->pairing_id < y->pairing_id);
}

static int
cmp_member(const void *a, const void *b)
{
	const struct match_member *x = a, *y = b;

	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

static int
cmp_bonus(const void *a, const void *b)
{
	const struct score_bonus *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

static int
cmp_spair(const void *a, const void *b)
{
	const struct score_pair *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

void
match_pool_finish(struct match_pool *pool)
{
	size_t i;
	int k;

	if (pool->nbonus > 1)
		xqsort(pool->bonus, pool->nbonus, sizeof *pool->bonus, cmp_bonus);
	if (pool->nfixed > 1)
		xqsort(pool->fixed, pool->nfixed, sizeof *pool->fixed, cmp_spair);
	if (pool->nexcl > 1)
		xqsort(pool->excl, pool->nexcl, sizeof *pool->excl, cmp_excl);
	if (pool->nmembers > 1)
		xqsort(pool->members, pool->nmembers, sizeof *pool->members,
		    cmp_member);
	free(pool->mentor_people);
	free(pool->mentee_people);
	free(pool->pairs);
	free(pool->mentee_since);
	pool->mentee_since = xreallocarray(NULL, pool->nmentees ?
	    (size_t)pool->nmentees : 1, sizeof(int));
	for (k = 0; k < pool->nmentees; k++)
		pool->mentee_since[k] = pool->mentees[k].enrolled_on;
	mem_of(pool);
	free(pool->mem->score_prefs);
	pool->mem->score_prefs = xreallocarray(NULL, pool->nprefs ?
	    pool->nprefs : 1, sizeof *pool->mem->score_prefs);
	for (i = 0; i < pool->nprefs; i++) {
		const struct match_pref *q = &pool->prefs[i];
		struct score_pref *sp = &pool->mem->score_prefs[i];

		sp->mentee = q->mentee;
		sp->mentor = q->mentor;
		sp->mentor_prefers = q->mentor_prefers;
		if (q->rank_pos > 0 && q->rank_count >= q->rank_pos)
			sp->mentee_value = (double)(q->rank_count - q->rank_pos +
			    1) / q->rank_count;
		else if (q->rating >= 1 && q->rating <= 5)
			sp->mentee_value = (q->rating - 1) / 4.0;
		else
			sp->mentee_value = -1;
	}
	pool->mentor_people = xreallocarray(NULL, pool->nmentors ?
	    (size_t)pool->nmentors : 1, sizeof(int));
	pool->mentee_people = xreallocarray(NULL, pool->nmentees ?
	    (size_t)pool->nmentees : 1, sizeof(int));
	for (k = 0; k < pool->nmentors; k++)
		pool->mentor_people[k] = pool->mentors[k].person;
	for (k = 0; k < pool->nmentees; k++)
		pool->mentee_people[k] = pool->mentees[k].person;
	pool->pairs = xreallocarray(NULL, pool->nexcl ? pool->nexcl : 1,
	    sizeof *pool->pairs);
	pool->npairs = 0;
	for (i = 0; i < pool->nexcl; i++) {
		if (i > 0 && pool->excl[i - 1].mentee == pool->excl[i].mentee &&
		    pool->excl[i - 1].mentor == pool->excl[i].mentor)
			continue;
		pool->pairs[pool->npairs].mentee = pool->excl[i].mentee;
		pool->pairs[pool->npairs].mentor = pool->excl[i].mentor;
		pool->npairs++;
	}
}

void
match_pool_free(struct match_pool *pool)
{
	size_t i;

	if (pool == NULL)
		return;
	if (pool->mem != NULL) {
		for (i = 0; i < pool->mem->nstrs; i++)
			free(pool->mem->strs[i]);
		free(pool->mem->strs);
		for (i = 0; i < pool->mem->nattrs; i++)
			free(pool->mem->attrs[i]);
		free(pool->mem->attrs);
		free(pool->mem->score_prefs);
		free(pool->mem);
	}
	free(pool->people);
	free(pool->emails);
	free(pool->names);
	free(pool->mentors);
	free(pool->mentees);
	free(pool->excl);
	free(pool->members);
	free(pool->mentor_people);
	free(pool->mentee_people);
	free(pool->pairs);
	free(pool->prefs);
	free(pool->partners);
	free(pool->bonus);
	free(pool->fixed);
	free(pool->mentee_since);
	memset(pool, 0, sizeof *pool);
}

int
match_cand_free_places(const struct match_cand *c)
{
	return c->capacity > c->used ? c->capacity - c->used : 0;
}

void
match_pool_input(const struct match_pool *pool, const struct program *p,
    int day, struct score_input *in)
{
	memset(in, 0, sizeof *in);
	in->program = p;
	in->people = pool->people;
	in->npeople = pool->npeople;
	in->mentors = pool->mentor_people;
	in->nmentors = pool->nmentors;
	in->mentees = pool->mentee_people;
	in->nmentees = pool->nmentees;
	in->excluded = pool->pairs;
	in->nexcluded = pool->npairs;
	in->day = day;
	in->mentee_since = pool->mentee_since;
	in->partners = pool->partners;
	in->npartners = pool->npartners;
	in->prefs = pool->mem ? pool->mem->score_prefs : NULL;
	in->nprefs = pool->mem ? pool->nprefs : 0;
	in->pref_sides = pool->pref_sides;
	in->bonus = pool->bonus;
	in->nbonus = pool->nbonus;
}

const struct match_excl *
match_pool_excl(const struct match_pool *pool, int mentee, int mentor)
{
	size_t lo = 0, hi = pool->nexcl, mid;
	const struct match_excl *x;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		x = &pool->excl[mid];
		if (x->mentee < mentee || (x->mentee == mentee &&
		    x->mentor < mentor))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < pool->nexcl && pool->excl[lo].mentee == mentee &&
	    pool->excl[lo].mentor == mentor)
		return &pool->excl[lo];
	return NULL;
}

/* Equal after trimming, ignoring ASCII case. */
static bool
dept_eq(const char *a, const char *b)
{
	size_t la, lb;

	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la > 0 && isspace((unsigned char)a[la - 1]))
		la--;
	while (lb > 0 && isspace((unsigned char)b[lb - 1]))
		lb--;
	return la == lb && la > 0 && strncasecmp(a, b, la) == 0;
}

int
match_group_same_department(const struct match_pool *pool,
    const struct program *p, int mentee, int mentor)
{
	const char *d = pool->people[pool->mentees[mentee].person].department;
	size_t lo = 0, hi = pool->nmembers, mid;
	int n = 0;

	if (p->format != FORMAT_GROUP || !p->group.department_diversity ||
	    d == NULL)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pool->members[mid].mentor < mentor)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < pool->nmembers && pool->members[lo].mentor == mentor; lo++)
		if (pool->members[lo].department != NULL &&
		    dept_eq(pool->members[lo].department, d))
			n++;
	return n;
}

void
match_pool_close_full_groups(const struct match_pool *pool,
    const struct program *p, struct score_table *t)
{
	size_t k, next;
	int i, j, n, max;

	if (t->mentee_class == NULL)
		return;
	max = t->max_per_class;
	for (k = 0; k < pool->nmembers; k = next) {
		j = pool->members[k].mentor;
		for (next = k; next < pool->nmembers &&
		    pool->members[next].mentor == j; next++)
			;
		for (i = 0; i < pool->nmentees; i++) {
			n = match_group_same_department(pool, p, i, j);
			if (n >= max || (n > 0 && max > 1))
				t->score[(size_t)i * pool->nmentors + j] =
				    MATCH_EXCLUDED;
		}
	}
}

char *
match_group_rule_text(const struct match_pool *pool, const struct program *p,
    int mentee, int mentor)
{
	int n = match_group_same_department(pool, p, mentee, mentor);
	int max = p->group.max_per_department > 0 ?
	    p->group.max_per_department : 1;

	if (n == 0 || n < max)
		return NULL;
	return xasprintf("group rule (the group has %d mentee%s of department "
	    "'%s' already)", n, n == 1 ? "" : "s",
	    pool->people[pool->mentees[mentee].person].department);
}

/* ---- what the listings show ---- */

char **
match_labels(const struct program *p)
{
	const struct match_criterion *c;
	size_t n = p->matching.ncriteria, i, j;
	char **v = xcalloc(n ? n : 1, sizeof *v);
	int dup;

	for (i = 0; i < n; i++) {
		c = &p->matching.criteria[i];
		if (!match_criterion_has_attribute(c))
			v[i] = xstrdup(match_compare_name(c->compare));
		else if (c->mentee_attribute)
			v[i] = xasprintf("%s:%s:%s", c->attribute,
			    c->mentee_attribute, match_compare_name(c->compare));
		else
			v[i] = xasprintf("%s:%s", c->attribute,
			    match_compare_name(c->compare));
	}
	/* JSON keys must differ: number the repeats */
	for (i = 1; i < n; i++) {
		dup = 1;
		for (j = 0; j < i; j++)
			if (strcmp(v[i], v[j]) == 0 ||
			    (strncmp(v[i], v[j], strlen(v[i])) == 0 &&
			    v[j][strlen(v[i])] == '#'))
				dup++;
		if (dup > 1) {
			char *t = xasprintf("%s#%d", v[i], dup);

			free(v[i]);
			v[i] = t;
		}
	}
	return v;
}

void
match_labels_free(char **labels, size_t n)
{
	size_t i;

	if (labels == NULL)
		return;
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
}

double
match_points(const struct program *p, size_t k, double contrib)
{
	double wsum = 0;
	size_t i;

	for (i = 0; i < p->matching.ncriteria; i++)
		if (match_criterion_scores(&p->matching.criteria[i]))
			wsum += p->matching.criteria[i].weight;
	if (wsum <= 0 || !match_criterion_scores(&p->matching.criteria[k]))
		return 0;
	return 100 * p->matching.criteria[k].weight * contrib / wsum;
}

/* Hand-made: `scores` writes ten million of these. */
char *
match_centi_str(int centi, char *buf)
{
	char tmp[MATCH_POINTS_BUFSZ];
	unsigned v = centi < 0 ? 0U - (unsigned)centi : (unsigned)centi;
	size_t n = 0, i = 0;

	tmp[n++] = (char)('0' + v % 10);
	v /= 10;
	tmp[n++] = (char)('0' + v % 10);
	v /= 10;
	tmp[n++] = '.';
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	if (centi < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}

char *
match_points_str(double points, char *buf)
{
	double c = floor(points * 100 + 0.5);

	return match_centi_str(c > 1e8 ? 100000000 : c < -1e8 ? -100000000 :
	    (int)c, buf);
}

static const char *
excl_name(enum match_excl_kind k)
{
	switch (k) {
	case MATCH_EXCL_PAIRED:
		return "paired";
	case MATCH_EXCL_DECLINED:
		return "declined before";
	case MATCH_EXCL_EXPIRED:
		return "proposal expired before";
	case MATCH_EXCL_PREVIOUS:
		return "previous partners";
	case MATCH_EXCL_CONFLICT:
		return "never-pair list";
	case MATCH_EXCL_MENTOR_AVOIDS:
		return "the mentor's preference: avoid";
	case MATCH_EXCL_MENTEE_AVOIDS:
		return "the mentee's preference: avoid";
	case MATCH_EXCL_VETO:
		return "vetoed by the coordinator";
	}
	return "excluded pair";
}

char *
match_rule_text(const struct match_pool *pool, const struct program *p,
    const char *const *labels, const struct score_detail *d, int mentee,
    int mentor)
{
	struct strbuf sb = STRBUF_INIT;
	const struct match_excl *x;
	char buf[MATCH_POINTS_BUFSZ];
	size_t i;

	switch (d->verdict) {
	case SCORE_EXCLUDED_PAIR:
		x = match_pool_excl(pool, mentee, mentor);
		for (i = x ? (size_t)(x - pool->excl) : pool->nexcl;
		    i < pool->nexcl && pool->excl[i].mentee == mentee &&
		    pool->excl[i].mentor == mentor; i++) {
			/* one mention per kind, with its latest pairing */
			if (i + 1 < pool->nexcl &&
			    pool->excl[i + 1].mentee == mentee &&
			    pool->excl[i + 1].mentor == mentor &&
			    pool->excl[i + 1].kind == pool->excl[i].kind)
				continue;
			if (pool->excl[i].pairing_id > 0)
				strbuf_addf(&sb, "%s%s (pairing %lld)", sb.len ?
				    "; " : "", excl_name(pool->excl[i].kind),
				    pool->excl[i].pairing_id);
			else
				strbuf_addf(&sb, "%s%s", sb.len ? "; " : "",
				    excl_name(pool->excl[i].kind));
		}
		if (sb.len == 0)
			strbuf_addstr(&sb, score_verdict_name(d->verdict));
		break;
	case SCORE_FORMAT_RULE:
		if (p->format == FORMAT_PEER)
			strbuf_addf(&sb, "format rule (peer: levels more than "
			    "%d apart or unknown)", p->peer.max_level_gap);
		else
			strbuf_addstr(&sb, "format rule (reverse: the mentor "
			    "is not junior to the mentee, or a level is "
			    "unknown)");
		break;
	case SCORE_REQUIRED:
		strbuf_addf(&sb, "required criterion %s gives 0",
		    d->criterion >= 0 && labels ? labels[d->criterion] : "");
		break;
	case SCORE_NOT_IN:
		strbuf_addf(&sb, "%s: the %s's list names the %s",
		    d->criterion >= 0 && labels ? labels[d->criterion] : "not_in",
		    d->not_in_side == ROLE_MENTOR ? "mentor" : "mentee",
		    d->not_in_side == ROLE_MENTOR ? "mentee" : "mentor");
		break;
	case SCORE_ALLOWED:
		if (d->bonus != 0)
			strbuf_addf(&sb, "allowed (bonus %s%s)", d->bonus > 0 ?
			    "+" : "", match_centi_str(d->bonus, buf));
		else
			strbuf_addstr(&sb, "allowed");
		break;
	case SCORE_BELOW_MIN:
		strbuf_addf(&sb, "below min_score %g (score %s)",
		    p->matching.min_score, match_centi_str(d->score, buf));
		break;
	default:
		strbuf_addstr(&sb, score_verdict_name(d->verdict));
		break;
	}
	return strbuf_detach(&sb, NULL);
}

void
match_pool_override(const struct match_pool *pool, int mentee, int mentor,
    int *bonus, bool *veto, bool *fixed)
{
	struct score_bonus kb = { mentee, mentor, 0 };
	struct score_pair kp = { mentee, mentor };
	const struct score_bonus *b = NULL;
	const struct match_excl *x;

	if (pool->nbonus > 0)
		b = xbsearch(&kb, pool->bonus, pool->nbonus, sizeof *pool->bonus,
		    cmp_bonus);
	*bonus = b ? b->centi : 0;
	*fixed = pool->nfixed > 0 && xbsearch(&kp, pool->fixed, pool->nfixed,
	    sizeof *pool->fixed, cmp_spair) != NULL;
	*veto = false;
	for (x = match_pool_excl(pool, mentee, mentor); x != NULL &&
	    x < pool->excl + pool->nexcl && x->mentee == mentee &&
	    x->mentor == mentor; x++)
		if (x->kind == MATCH_EXCL_VETO)
			*veto = true;
}

static int
cmp_ranked(const void *a, const void *b)
{
	const struct match_ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

int
match_pool_rank(const struct match_pool *pool, const struct program *p,
    const struct score_table *t, int mentee, struct match_ranked *v)
{
	const int16_t *sc = t->score + (size_t)mentee * pool->nmentors;
	int j, n = 0, same, max = p->group.max_per_department > 0 ?
	    p->group.max_per_department : 1;

	for (j = 0; j < pool->nmentors; j++) {
		if (sc[j] == MATCH_EXCLUDED)
			continue;
		same = match_group_same_department(pool, p, mentee, j);
		if (same > 0 && same >= max)
			continue;
		v[n].mentor = j;
		v[n].score = sc[j];
		n++;
	}
	if (n > 1)
		xqsort(v, (size_t)n, sizeof *v, cmp_ranked);
	return n;
}
