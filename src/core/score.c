/*
 * Scoring.  Everything that involves strings happens once per person and
 * criterion: values are trimmed, lower-cased and interned into small
 * integers, lists become sorted id sets, zones become minutes, numbers
 * doubles.  The
 * pair loop then only compares integers and doubles, one criterion at a time
 * over a whole row of mentors, which keeps 5,000 x 2,000 x 10 criteria well
 * under a second.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "core/date.h"
#include "core/match.h"
#include "core/score.h"
#include "util/tz.h"
#include "util/xmalloc.h"

#define NUM_EPS 1e-9

enum field {
	FIELD_ATTR,
	FIELD_EMAIL,
	FIELD_NAME,
	FIELD_MANAGER_EMAIL,
	FIELD_DEPARTMENT,
	FIELD_TITLE,
	FIELD_LEVEL,
	FIELD_LOCATION,
	FIELD_TIMEZONE,
	FIELD_TENURE,
};

/* String interning: normalised value -> dense id. */
struct intern {
	char **key;
	int *id;
	size_t cap;     /* power of two */
	int n;
};

struct side {
	int *id;                /* same/different: value id, -1 missing */
	int *off;               /* overlap: ids[off[k] .. off[k + 1]) */
	int *ids;
	double *num;            /* numbers; minutes for within_hours */
	unsigned char *has;
};

struct crit {
	enum match_compare cmp;
	double w;
	double hours;
	double scale;
	int min_gap;
	int max_gap;
	bool required;
	int vocab;
	struct side s[2];       /* 0: mentors, 1: mentees */
	struct match_gap_points *pts;
	size_t npts;
	double maxpts;
	int days;               /* waited */
};

/* Per-mentee lists of (mentor, value), sorted by mentor: CSR. */
struct pairlist {
	int *off;               /* nmentees + 1 */
	int *mentor;
	double *val;
};

struct score_data {
	struct crit *crit;
	size_t ncrit;
	double wsum;
	int minc;               /* min_score in centi-points */
	unsigned exclude;
	enum program_format format;
	int peer_gap;
	/* per position: mentors then mentees */
	int *mperson, *eperson;
	int *mdept, *edept;
	int *mtin, *mtout, *etin, *etout;
	unsigned char *mhas_level, *ehas_level;
	int *mlevel, *elevel;
	int64_t *pairs;         /* caller's exclusions, mentee << 32 | mentor, sorted */
	size_t npairs;
	int nmentees;
	int day;
	int *since;             /* per mentee: enrollment day, DATE_NONE */
	struct pairlist partners;   /* value 1 */
	struct pairlist prefs;      /* the preference's c */
	struct pairlist bonus;      /* centi-points */
};

const char *
score_verdict_name(enum score_verdict v)
{
	switch (v) {
	case SCORE_ALLOWED:
		return "allowed";
	case SCORE_SAME_PERSON:
		return "same person";
	case SCORE_EXCLUDED_PAIR:
		return "excluded pair";
	case SCORE_MANAGER_LINE:
		return "same manager line";
	case SCORE_SAME_DEPARTMENT:
		return "same department";
	case SCORE_FORMAT_RULE:
		return "format rule";
	case SCORE_NOT_IN:
		return "listed by not_in";
	case SCORE_REQUIRED:
		return "required criterion";
	case SCORE_BELOW_MIN:
		return "below min_score";
	}
	return "unknown";
}

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
intern_init(struct intern *in)
{
	in->cap = 64;
	in->n = 0;
	in->key = xcalloc(in->cap, sizeof *in->key);
	in->id = xcalloc(in->cap, sizeof *in->id);
}

static void
intern_free(struct intern *in)
{
	size_t i;

	for (i = 0; i < in->cap; i++)
		free(in->key[i]);
	free(in->key);
	free(in->id);
}

static int intern_get(struct intern *in, const char *s, size_t len);

static void
intern_grow(struct intern *in)
{
	struct intern big;
	size_t i, slot;

	big.cap = in->cap * 2;
	big.n = in->n;
	big.key = xcalloc(big.cap, sizeof *big.key);
	big.id = xcalloc(big.cap, sizeof *big.id);
	for (i = 0; i < in->cap; i++) {
		if (in->key[i] == NULL)
			continue;
		slot = hash_str(in->key[i]) & (big.cap - 1);
		while (big.key[slot] != NULL)
			slot = (slot + 1) & (big.cap - 1);
		big.key[slot] = in->key[i];
		big.id[slot] = in->id[i];
	}
	free(in->key);
	free(in->id);
	*in = big;
}

/* The id of s[0..len) trimmed and lower-cased; -1 when that is empty. */
static int
intern_get(struct intern *in, const char *s, size_t len)
{
	char stack[128], *buf;
	size_t b = 0, e = len, i, slot;
	int id;

	while (b < e && isspace((unsigned char)s[b]))
		b++;
	while (e > b && isspace((unsigned char)s[e - 1]))
		e--;
	if (b == e)
		return -1;
	buf = e - b < sizeof stack ? stack : xmalloc(e - b + 1);
	for (i = b; i < e; i++)
		buf[i - b] = (char)tolower((unsigned char)s[i]);
	buf[e - b] = '\0';
	slot = hash_str(buf) & (in->cap - 1);
	while (in->key[slot] != NULL) {
		if (strcmp(in->key[slot], buf) == 0) {
			id = in->id[slot];
			goto out;
		}
		slot = (slot + 1) & (in->cap - 1);
	}
	in->key[slot] = xstrdup(buf);
	id = in->id[slot] = in->n++;
	if ((size_t)in->n * 2 > in->cap)
		intern_grow(in);
out:
	if (buf != stack)
		free(buf);
	return id;
}

static enum field
field_of(const char *name)
{
	static const struct {
		const char *name;
		enum field f;
	} fields[] = {
		{ "email", FIELD_EMAIL },
		{ "name", FIELD_NAME },
		{ "manager_email", FIELD_MANAGER_EMAIL },
		{ "department", FIELD_DEPARTMENT },
		{ "title", FIELD_TITLE },
		{ "level", FIELD_LEVEL },
		{ "location", FIELD_LOCATION },
		{ "timezone", FIELD_TIMEZONE },
		{ "hired_on", FIELD_TENURE },
		{ "tenure", FIELD_TENURE },
	};
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcasecmp(name, fields[i].name) == 0)
			return fields[i].f;
	return FIELD_ATTR;
}

static const char *
attr_of(const struct score_person *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nattrs; i++)
		if (p->attrs[i].name != NULL &&
		    strcasecmp(p->attrs[i].name, name) == 0)
			return p->attrs[i].value;
	return NULL;
}

/* A person's value as text; buf holds formatted levels and dates. */
static const char *
text_of(const struct score_person *p, enum field f, const char *name,
    char *buf, size_t bufsz)
{
	const char *v = NULL;

	switch (f) {
	case FIELD_EMAIL:
		v = p->email;
		break;
	case FIELD_NAME:
		v = p->name;
		break;
	case FIELD_MANAGER_EMAIL:
		v = p->manager_email;
		break;
	case FIELD_DEPARTMENT:
		v = p->department;
		break;
	case FIELD_TITLE:
		v = p->title;
		break;
	case FIELD_LOCATION:
		v = p->location;
		break;
	case FIELD_TIMEZONE:
		v = p->timezone;
		break;
	case FIELD_LEVEL:
		if (!p->has_level)
			return NULL;
		snprintf(buf, bufsz, "%d", p->level);
		return buf;
	case FIELD_TENURE:
		if (p->hired_on == DATE_NONE || bufsz < DATE_BUFSZ)
			return NULL;
		return date_format(p->hired_on, buf);
	case FIELD_ATTR:
		v = attr_of(p, name);
		break;
	}
	return v != NULL && *v != '\0' ? v : NULL;
}

static bool
parse_number(const char *s, double *x)
{
	char *end;
	double v;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return false;
	v = strtod(s, &end);
	if (end == s)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0' || !isfinite(v))
		return false;
	*x = v;
	return true;
}

static bool
number_of(const struct score_person *p, enum field f, const char *name,
    int day, double *x)
{
	char buf[32];
	const char *t;

	if (f == FIELD_LEVEL) {
		*x = p->level;
		return p->has_level;
	}
	if (f == FIELD_TENURE) {
		if (p->hired_on == DATE_NONE || day == DATE_NONE)
			return false;
		*x = date_years_between(p->hired_on, day);
		return true;
	}
	t = text_of(p, f, name, buf, sizeof buf);
	return t != NULL && parse_number(t, x);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Values of one side (mentors or mentees) of one criterion. */
static void
side_fill(struct crit *c, struct side *sd, const struct score_input *in,
    const int *who, int n, const char *name, struct intern *vocab,
    struct tz_cache *tzc)
{
	enum field f = field_of(name);
	const struct score_person *p;
	char buf[32];
	const char *t, *q, *semi;
	int k, id, cnt, minutes, *tmp = NULL;
	size_t tmpcap = 0, nids = 0, idscap = 0;
	double x;

	switch (c->cmp) {
	case COMPARE_PREFERENCE:
	case COMPARE_WAITED:
	case COMPARE_PREVIOUS_PARTNER:
		/* no attribute: score_data's lists */
		break;
	case COMPARE_NOT_IN:
		/* each person's own address, in the lists' vocabulary */
		sd->id = xreallocarray(NULL, n ? n : 1, sizeof *sd->id);
		for (k = 0; k < n; k++) {
			t = in->people[who[k]].email;
			sd->id[k] = t ? intern_get(vocab, t, strlen(t)) : -1;
		}
		/* FALLTHROUGH */
	case COMPARE_OVERLAP:
		sd->off = xreallocarray(NULL, (size_t)n + 1, sizeof *sd->off);
		sd->ids = NULL;
		for (k = 0; k < n; k++) {
			p = &in->people[who[k]];
			sd->off[k] = (int)nids;
			t = text_of(p, f, name, buf, sizeof buf);
			cnt = 0;
			for (q = t; q != NULL; q = semi ? semi + 1 : NULL) {
				semi = strchr(q, ';');
				id = intern_get(vocab, q, semi ? (size_t)(semi -
				    q) : strlen(q));
				if (id < 0)
					continue;
				XGROW(tmp, (size_t)cnt + 1, tmpcap);
				tmp[cnt++] = id;
			}
			/* tmp is still NULL until a first value is seen. */
			if (cnt > 1)
				xqsort(tmp, cnt, sizeof *tmp, cmp_int);
			XGROW(sd->ids, nids + cnt + 1, idscap);
			for (id = 0; id < cnt; id++)
				if (id == 0 || tmp[id] != tmp[id - 1])
					sd->ids[nids++] = tmp[id];
		}
		sd->off[n] = (int)nids;
		free(tmp);
		break;
	case COMPARE_SAME:
	case COMPARE_DIFFERENT:
		sd->id = xreallocarray(NULL, n ? n : 1, sizeof *sd->id);
		for (k = 0; k < n; k++) {
			t = text_of(&in->people[who[k]], f, name, buf,
			    sizeof buf);
			sd->id[k] = t ? intern_get(vocab, t, strlen(t)) : -1;
		}
		break;
	case COMPARE_WITHIN_HOURS:
		sd->num = xreallocarray(NULL, n ? n : 1, sizeof *sd->num);
		sd->has = xcalloc(n ? n : 1, 1);
		for (k = 0; k < n; k++) {
			t = text_of(&in->people[who[k]], f, name, buf,
			    sizeof buf);
			if (t != NULL && tz_cache_offset(tzc, t, in->day,
			    &minutes) == 0) {
				sd->num[k] = minutes;
				sd->has[k] = 1;
			}
		}
		break;
	default:
		sd->num = xreallocarray(NULL, n ? n : 1, sizeof *sd->num);
		sd->has = xcalloc(n ? n : 1, 1);
		for (k = 0; k < n; k++) {
			if (number_of(&in->people[who[k]], f, name, in->day,
			    &x)) {
				sd->num[k] = x;
				sd->has[k] = 1;
			}
		}
		break;
	}
}

static void
side_free(struct side *sd)
{
	free(sd->id);
	free(sd->off);
	free(sd->ids);
	free(sd->num);
	free(sd->has);
}

static double
overlap_value(const struct crit *c, int mj, int ei)
{
	const struct side *a = &c->s[0], *b = &c->s[1];
	int na = a->off[mj + 1] - a->off[mj], nb = b->off[ei + 1] - b->off[ei];
	int i, j, common = 0;

	if (na == 0 || nb == 0)
		return 0;
	i = a->off[mj];
	j = b->off[ei];
	while (i < a->off[mj + 1] && j < b->off[ei + 1]) {
		if (a->ids[i] < b->ids[j])
			i++;
		else if (a->ids[i] > b->ids[j])
			j++;
		else {
			common++;
			i++;
			j++;
		}
	}
	return (double)common / (na < nb ? na : nb);
}

/* points[g] / max(points) for the gap d (mentor - mentee). */
static double
gap_value(const struct crit *c, double d)
{
	size_t lo = 0, hi = c->npts, mid;
	long g = lround(d);

	if (c->maxpts <= 0)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->pts[mid].gap < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->npts && c->pts[lo].gap == g)
		return c->pts[lo].points / c->maxpts;
	return 0;
}

/* The value of (mentee, mentor) in a pair list; 0 when not listed. */
static double
pairlist_get(const struct pairlist *l, int mentee, int mentor)
{
	int lo, hi, mid;

	if (l->off == NULL)
		return 0;
	lo = l->off[mentee];
	hi = l->off[mentee + 1];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->mentor[mid] < mentor)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->off[mentee + 1] && l->mentor[lo] == mentor ?
	    l->val[lo] : 0;
}

/* Whether a not_in criterion keeps mentor mj and mentee ei apart: the side. */
static int
not_in_side(const struct crit *c, int mj, int ei)
{
	const struct side *a = &c->s[0], *b = &c->s[1];
	int k;

	for (k = a->off[mj]; k < a->off[mj + 1]; k++)
		if (b->id[ei] >= 0 && a->ids[k] == b->id[ei])
			return 1 + ROLE_MENTOR;
	for (k = b->off[ei]; k < b->off[ei + 1]; k++)
		if (a->id[mj] >= 0 && b->ids[k] == a->id[mj])
			return 1 + ROLE_MENTEE;
	return 0;
}

static double
waited_value(const struct score_data *sd, const struct crit *c, int ei)
{
	int since = sd->since ? sd->since[ei] : DATE_NONE;
	double w;

	if (since == DATE_NONE || sd->day == DATE_NONE || sd->day <= since ||
	    c->days <= 0)
		return 0;
	w = (double)(sd->day - since) / c->days;
	return w > 1 ? 1 : w;
}

/* c_i of mentor position mj with mentee position ei. */
static double
crit_value(const struct score_data *sd, const struct crit *c, int mj, int ei)
{
	const struct side *a = &c->s[0], *b = &c->s[1];
	double d;

	switch (c->cmp) {
	case COMPARE_NOT_IN:
		return 0;
	case COMPARE_PREFERENCE:
		return pairlist_get(&sd->prefs, ei, mj);
	case COMPARE_WAITED:
		return waited_value(sd, c, ei);
	case COMPARE_PREVIOUS_PARTNER:
		return pairlist_get(&sd->partners, ei, mj);
	case COMPARE_OVERLAP:
		return overlap_value(c, mj, ei);
	case COMPARE_SAME:
		return a->id[mj] >= 0 && a->id[mj] == b->id[ei];
	case COMPARE_DIFFERENT:
		return a->id[mj] >= 0 && b->id[ei] >= 0 &&
		    a->id[mj] != b->id[ei];
	default:
		break;
	}
	if (!a->has[mj] || !b->has[ei])
		return 0;
	d = a->num[mj] - b->num[ei];
	switch (c->cmp) {
	case COMPARE_WITHIN_HOURS:
		return fabs(d) <= c->hours * 60 + NUM_EPS;
	case COMPARE_MENTOR_ABOVE:
		return d >= c->min_gap - NUM_EPS;
	case COMPARE_MENTEE_ABOVE:
		return -d >= c->min_gap - NUM_EPS;
	case COMPARE_WITHIN:
		return fabs(d) <= c->max_gap + NUM_EPS;
	case COMPARE_CLOSE:
		if (c->scale <= 0)
			return fabs(d) <= NUM_EPS;
		d = 1 - fabs(d) / c->scale;
		return d > 0 ? d : 0;
	case COMPARE_GAP:
		return gap_value(c, d);
	default:
		return 0;
	}
}

static int
centi(const struct score_data *sd, double acc)
{
	double v;

	/* no criteria (or, against the config's checks, no weight) */
	if (sd->ncrit == 0 || sd->wsum <= 0)
		return MATCH_SCORE_MAX;
	v = floor((double)MATCH_SCORE_MAX * acc / sd->wsum + 0.5 + NUM_EPS);
	if (v < 0)
		v = 0;
	if (v > MATCH_SCORE_MAX)
		v = MATCH_SCORE_MAX;
	return (int)v;
}

/*
 * The manager forest as Euler-tour intervals: a is above b iff
 * tin[a] < tin[b] and tout[b] <= tout[a].  Bad data with a cycle is cut
 * where the walk closes the loop, so every chain ends.
 */
static void
manager_tour(const struct score_input *in, int *tin, int *tout)
{
	int np = in->npeople, k, x, ch, t = 0, top;
	int *par, *color, *path, *head, *next, *it;
	size_t npath;

	par = xreallocarray(NULL, np, sizeof *par);
	color = xcalloc(np, sizeof *color);
	path = xreallocarray(NULL, np, sizeof *path);
	it = xreallocarray(NULL, np, sizeof *it);
	head = xreallocarray(NULL, np, sizeof *head);
	next = xreallocarray(NULL, np, sizeof *next);
	for (k = 0; k < np; k++) {
		x = in->people[k].manager;
		par[k] = x >= 0 && x < np && x != k ? x : -1;
	}
	/* color: 0 new, 1 on the chain being walked, 2 known to end */
	for (k = 0; k < np; k++) {
		if (color[k] != 0)
			continue;
		npath = 0;
		for (x = k; x != -1 && color[x] == 0; x = par[x]) {
			color[x] = 1;
			path[npath++] = x;
		}
		if (x != -1 && color[x] == 1)
			par[x] = -1;
		while (npath > 0)
			color[path[--npath]] = 2;
	}
	for (k = 0; k < np; k++)
		head[k] = -1;
	for (k = np - 1; k >= 0; k--)
		if (par[k] >= 0) {
			next[k] = head[par[k]];
			head[par[k]] = k;
		}
	/* iterative DFS from each root; path[] is the stack */
	for (k = 0; k < np; k++) {
		if (par[k] != -1)
			continue;
		top = 0;
		path[top++] = k;
		tin[k] = t++;
		it[k] = head[k];
		while (top > 0) {
			x = path[top - 1];
			if (it[x] == -1) {
				tout[x] = t++;
				top--;
				continue;
			}
			ch = it[x];
			it[x] = next[ch];
			tin[ch] = t++;
			it[ch] = head[ch];
			path[top++] = ch;
		}
	}
	free(par);
	free(color);
	free(path);
	free(it);
	free(head);
	free(next);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static bool
above(int tin_a, int tout_a, int tin_b, int tout_b)
{
	return tin_a < tin_b && tout_b <= tout_a;
}

/* The programme's rules about people, in enum order. */
static enum score_verdict
people_verdict(const struct score_data *sd, int ei, int mj)
{
	if ((sd->exclude & EXCLUDE_SAME_MANAGER_LINE) &&
	    (above(sd->mtin[mj], sd->mtout[mj], sd->etin[ei], sd->etout[ei]) ||
	    above(sd->etin[ei], sd->etout[ei], sd->mtin[mj], sd->mtout[mj])))
		return SCORE_MANAGER_LINE;
	if ((sd->exclude & EXCLUDE_SAME_DEPARTMENT) && sd->mdept[mj] >= 0 &&
	    sd->mdept[mj] == sd->edept[ei])
		return SCORE_SAME_DEPARTMENT;
	if (sd->format == FORMAT_PEER &&
	    (!sd->mhas_level[mj] || !sd->ehas_level[ei] ||
	    abs(sd->mlevel[mj] - sd->elevel[ei]) > sd->peer_gap))
		return SCORE_FORMAT_RULE;
	if (sd->format == FORMAT_REVERSE &&
	    (!sd->mhas_level[mj] || !sd->ehas_level[ei] ||
	    sd->mlevel[mj] >= sd->elevel[ei]))
		return SCORE_FORMAT_RULE;
	return SCORE_ALLOWED;
}

/* Every rule that does not depend on criteria, in enum order. */
static enum score_verdict
rule_verdict(const struct score_data *sd, int ei, int mj)
{
	int64_t key;

	if (sd->mperson[mj] == sd->eperson[ei])
		return SCORE_SAME_PERSON;
	key = ((int64_t)ei << 32) | (uint32_t)mj;
	if (sd->npairs > 0 && xbsearch(&key, sd->pairs, sd->npairs,
	    sizeof key, cmp_i64) != NULL)
		return SCORE_EXCLUDED_PAIR;
	return people_verdict(sd, ei, mj);
}

static void
pairlist_free(struct pairlist *l)
{
	free(l->off);
	free(l->mentor);
	free(l->val);
	memset(l, 0, sizeof *l);
}

struct pl_item {
	int mentee;
	int mentor;
	double val;
};

static int
cmp_pl_item(const void *a, const void *b)
{
	const struct pl_item *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

/* A pair list from v[n] (reordered); out-of-range and repeated pairs dropped. */
static void
pairlist_build(struct pairlist *l, struct pl_item *v, size_t n, int ne,
    int nm)
{
	size_t k, m = 0;
	int i;

	memset(l, 0, sizeof *l);
	if (n == 0)
		return;
	if (n > 1)
		xqsort(v, n, sizeof *v, cmp_pl_item);
	l->off = xcalloc((size_t)ne + 1, sizeof *l->off);
	l->mentor = xreallocarray(NULL, n, sizeof *l->mentor);
	l->val = xreallocarray(NULL, n, sizeof *l->val);
	for (k = 0; k < n; k++) {
		if (v[k].mentee < 0 || v[k].mentee >= ne || v[k].mentor < 0 ||
		    v[k].mentor >= nm)
			continue;
		if (m > 0 && k > 0 && v[k].mentee == v[k - 1].mentee &&
		    v[k].mentor == v[k - 1].mentor)
			continue;
		l->mentor[m] = v[k].mentor;
		l->val[m] = v[k].val;
		l->off[v[k].mentee + 1]++;
		m++;
	}
	for (i = 0; i < ne; i++)
		l->off[i + 1] += l->off[i];
}

static void
data_free(struct score_data *sd)
{
	size_t i;

	if (sd == NULL)
		return;
	for (i = 0; i < sd->ncrit; i++) {
		side_free(&sd->crit[i].s[0]);
		side_free(&sd->crit[i].s[1]);
		free(sd->crit[i].pts);
	}
	free(sd->crit);
	pairlist_free(&sd->partners);
	pairlist_free(&sd->prefs);
	pairlist_free(&sd->bonus);
	free(sd->since);
	free(sd->mperson);
	free(sd->eperson);
	free(sd->mdept);
	free(sd->edept);
	free(sd->mtin);
	free(sd->mtout);
	free(sd->etin);
	free(sd->etout);
	free(sd->mhas_level);
	free(sd->ehas_level);
	free(sd->mlevel);
	free(sd->elevel);
	free(sd->pairs);
	free(sd);
}

void
score_table_free(struct score_table *t)
{
	if (t == NULL)
		return;
	free(t->score);
	free(t->mentee_class);
	data_free(t->data);
	memset(t, 0, sizeof *t);
}

static int
check_input(const struct score_input *in, struct error *err)
{
	int k;
	size_t i;

	if (in->nmentors < 0 || in->nmentees < 0 || in->npeople < 0)
		return error_set(err, EX_SOFTWARE, "score: negative size");
	if (in->nmentees > 0 && in->nmentors > 0 &&
	    (size_t)in->nmentees > SIZE_MAX / 2 / (size_t)in->nmentors)
		return error_set(err, EX_SOFTWARE, "score: too many pairs");
	for (k = 0; k < in->nmentors; k++)
		if (in->mentors[k] < 0 || in->mentors[k] >= in->npeople)
			return error_set(err, EX_SOFTWARE,
			    "score: mentor %d is person %d of %d", k,
			    in->mentors[k], in->npeople);
	for (k = 0; k < in->nmentees; k++)
		if (in->mentees[k] < 0 || in->mentees[k] >= in->npeople)
			return error_set(err, EX_SOFTWARE,
			    "score: mentee %d is person %d of %d", k,
			    in->mentees[k], in->npeople);
	for (i = 0; i < in->nexcluded; i++)
		if (in->excluded[i].mentee < 0 ||
		    in->excluded[i].mentee >= in->nmentees ||
		    in->excluded[i].mentor < 0 ||
		    in->excluded[i].mentor >= in->nmentors)
			return error_set(err, EX_SOFTWARE,
			    "score: excluded pair %zu out of range", i);
	return 0;
}

static void
people_fill(struct score_data *sd, const struct score_input *in,
    struct intern *depts, int *tin, int *tout)
{
	const struct score_person *p;
	const char *d;
	int k, n;

	n = in->nmentors;
	sd->mperson = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->mdept = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->mtin = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->mtout = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->mhas_level = xcalloc(n ? n : 1, 1);
	sd->mlevel = xcalloc(n ? n : 1, sizeof(int));
	for (k = 0; k < n; k++) {
		p = &in->people[in->mentors[k]];
		sd->mperson[k] = in->mentors[k];
		d = p->department;
		sd->mdept[k] = d ? intern_get(depts, d, strlen(d)) : -1;
		sd->mtin[k] = tin ? tin[in->mentors[k]] : 0;
		sd->mtout[k] = tout ? tout[in->mentors[k]] : 0;
		sd->mhas_level[k] = p->has_level;
		sd->mlevel[k] = p->level;
	}
	n = in->nmentees;
	sd->eperson = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->edept = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->etin = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->etout = xreallocarray(NULL, n ? n : 1, sizeof(int));
	sd->ehas_level = xcalloc(n ? n : 1, 1);
	sd->elevel = xcalloc(n ? n : 1, sizeof(int));
	for (k = 0; k < n; k++) {
		p = &in->people[in->mentees[k]];
		sd->eperson[k] = in->mentees[k];
		d = p->department;
		sd->edept[k] = d ? intern_get(depts, d, strlen(d)) : -1;
		sd->etin[k] = tin ? tin[in->mentees[k]] : 0;
		sd->etout[k] = tout ? tout[in->mentees[k]] : 0;
		sd->ehas_level[k] = p->has_level;
		sd->elevel[k] = p->level;
	}
}

static int
cmp_gap(const void *a, const void *b)
{
	const struct match_gap_points *x = a, *y = b;

	return (x->gap > y->gap) - (x->gap < y->gap);
}

static void
crit_fill(struct score_data *sd, const struct score_input *in)
{
	const struct program_matching *pm = &in->program->matching;
	struct tz_cache *tzc = tz_cache_new();
	struct intern vocab;
	struct crit *c;
	const struct match_criterion *mc;
	size_t i, k;

	sd->ncrit = pm->ncriteria;
	sd->crit = xcalloc(sd->ncrit ? sd->ncrit : 1, sizeof *sd->crit);
	sd->wsum = 0;
	for (i = 0; i < sd->ncrit; i++) {
		mc = &pm->criteria[i];
		c = &sd->crit[i];
		c->cmp = mc->compare;
		c->w = mc->weight > 0 ? mc->weight : 0;
		c->hours = mc->hours;
		c->scale = mc->scale;
		c->min_gap = mc->min_gap;
		c->max_gap = mc->max_gap;
		c->required = mc->required;
		c->days = mc->days;
		if (c->cmp == COMPARE_NOT_IN)
			c->w = 0;
		if (c->cmp == COMPARE_GAP && mc->npoints > 0) {
			c->npts = mc->npoints;
			c->pts = xreallocarray(NULL, c->npts, sizeof *c->pts);
			memcpy(c->pts, mc->points, c->npts * sizeof *c->pts);
			xqsort(c->pts, c->npts, sizeof *c->pts, cmp_gap);
			for (k = 0; k < c->npts; k++)
				if (c->pts[k].points > c->maxpts)
					c->maxpts = c->pts[k].points;
		}
		sd->wsum += c->w;
		intern_init(&vocab);
		side_fill(c, &c->s[0], in, in->mentors, in->nmentors,
		    mc->attribute, &vocab, tzc);
		side_fill(c, &c->s[1], in, in->mentees, in->nmentees,
		    mc->mentee_attribute ? mc->mentee_attribute :
		    mc->attribute, &vocab, tzc);
		c->vocab = vocab.n;
		intern_free(&vocab);
	}
	tz_cache_free(tzc);
}

/* A pair list's row for mentee ei: acc += w * value; required zeros flagged. */
static void
pairlist_row(const struct crit *c, const struct pairlist *l, int ei, int nm,
    double *acc, unsigned char *req0, unsigned char *hit)
{
	int k, j;

	for (k = l->off ? l->off[ei] : 0; l->off && k < l->off[ei + 1]; k++) {
		acc[l->mentor[k]] += c->w * l->val[k];
		hit[l->mentor[k]] = l->val[k] > 0;
	}
	if (c->required)
		for (j = 0; j < nm; j++)
			req0[j] |= !hit[j];
	for (k = l->off ? l->off[ei] : 0; l->off && k < l->off[ei + 1]; k++)
		hit[l->mentor[k]] = 0;
}

/* not_in: flag the mentors whose list has the mentee or who are in hers. */
static void
not_in_row(const struct crit *c, int ei, int nm, unsigned char *notin,
    unsigned char *mark)
{
	const struct side *a = &c->s[0], *b = &c->s[1];
	int j, k, me = b->id[ei];

	for (k = b->off[ei]; k < b->off[ei + 1]; k++)
		mark[b->ids[k]] = 1;
	for (j = 0; j < nm; j++)
		if (a->id[j] >= 0 && mark[a->id[j]])
			notin[j] = 1;
	for (k = b->off[ei]; k < b->off[ei + 1]; k++)
		mark[b->ids[k]] = 0;
	if (me < 0)
		return;
	for (j = 0; j < nm; j++)
		for (k = a->off[j]; k < a->off[j + 1]; k++)
			if (a->ids[k] == me)
				notin[j] = 1;
}

/* Scratch of one row. */
struct row_scratch {
	unsigned char *req0;     /* a required criterion gave 0 */
	unsigned char *notin;    /* a not_in criterion lists the partner */
	unsigned char *mark;     /* per vocabulary id */
	unsigned char *hit;      /* per mentor */
};

/* Add w * c_i for one mentee and every mentor; flag required zeros. */
static void
crit_row(const struct score_data *sd, const struct crit *c, int ei, int nm,
    double *acc, struct row_scratch *rs)
{
	const struct side *a = &c->s[0], *b = &c->s[1];
	unsigned char *req0 = rs->req0, *mark = rs->mark;
	double w = c->w, x, v, d, lim;
	int j, id, k, na, nb, common;

	switch (c->cmp) {
	case COMPARE_NOT_IN:
		not_in_row(c, ei, nm, rs->notin, mark);
		return;
	case COMPARE_PREFERENCE:
		pairlist_row(c, &sd->prefs, ei, nm, acc, req0, rs->hit);
		return;
	case COMPARE_PREVIOUS_PARTNER:
		pairlist_row(c, &sd->partners, ei, nm, acc, req0, rs->hit);
		return;
	case COMPARE_WAITED:
		v = waited_value(sd, c, ei);
		for (j = 0; j < nm; j++)
			acc[j] += w * v;
		if (v == 0 && c->required)
			memset(req0, 1, nm);
		return;
	case COMPARE_SAME:
		id = b->id[ei];
		for (j = 0; j < nm; j++) {
			v = id >= 0 && a->id[j] == id;
			acc[j] += w * v;
			if (v == 0)
				req0[j] |= c->required;
		}
		return;
	case COMPARE_DIFFERENT:
		id = b->id[ei];
		for (j = 0; j < nm; j++) {
			v = id >= 0 && a->id[j] >= 0 && a->id[j] != id;
			acc[j] += w * v;
			if (v == 0)
				req0[j] |= c->required;
		}
		return;
	case COMPARE_OVERLAP:
		/* mark the mentee's values, then count each mentor's marks */
		nb = b->off[ei + 1] - b->off[ei];
		for (k = b->off[ei]; k < b->off[ei + 1]; k++)
			mark[b->ids[k]] = 1;
		for (j = 0; j < nm; j++) {
			na = a->off[j + 1] - a->off[j];
			common = 0;
			for (k = a->off[j]; k < a->off[j + 1]; k++)
				common += mark[a->ids[k]];
			v = common ? (double)common / (na < nb ? na : nb) : 0;
			acc[j] += w * v;
			if (v == 0)
				req0[j] |= c->required;
		}
		for (k = b->off[ei]; k < b->off[ei + 1]; k++)
			mark[b->ids[k]] = 0;
		return;
	default:
		break;
	}
	if (!b->has[ei]) {
		if (c->required)
			memset(req0, 1, nm);
		return;
	}
	x = b->num[ei];
	/* one loop per kind, so that each is a tight, branch-light pass */
	switch (c->cmp) {
	case COMPARE_WITHIN_HOURS:
		lim = c->hours * 60 + NUM_EPS;
		for (j = 0; j < nm; j++) {
			v = a->has[j] && fabs(a->num[j] - x) <= lim;
			acc[j] += w * v;
			req0[j] |= c->required & (v == 0);
		}
		break;
	case COMPARE_MENTOR_ABOVE:
		lim = x + c->min_gap - NUM_EPS;
		for (j = 0; j < nm; j++) {
			v = a->has[j] && a->num[j] >= lim;
			acc[j] += w * v;
			req0[j] |= c->required & (v == 0);
		}
		break;
	case COMPARE_MENTEE_ABOVE:
		lim = x - c->min_gap + NUM_EPS;
		for (j = 0; j < nm; j++) {
			v = a->has[j] && a->num[j] <= lim;
			acc[j] += w * v;
			req0[j] |= c->required & (v == 0);
		}
		break;
	case COMPARE_WITHIN:
		lim = c->max_gap + NUM_EPS;
		for (j = 0; j < nm; j++) {
			v = a->has[j] && fabs(a->num[j] - x) <= lim;
			acc[j] += w * v;
			req0[j] |= c->required & (v == 0);
		}
		break;
	case COMPARE_CLOSE:
		for (j = 0; j < nm; j++) {
			d = fabs(a->num[j] - x);
			if (!a->has[j])
				v = 0;
			else if (c->scale <= 0)
				v = d <= NUM_EPS;
			else
				v = d < c->scale ? 1 - d / c->scale : 0;
			acc[j] += w * v;
			req0[j] |= c->required & (v == 0);
		}
		break;
	case COMPARE_GAP:
		for (j = 0; j < nm; j++) {
			v = a->has[j] ? gap_value(c, a->num[j] - x) : 0;
			acc[j] += w * v;
			req0[j] |= c->required & (v == 0);
		}
		break;
	default:
		break;
	}
}

/* A score with the coordinator's bonus, kept within 0..100 points. */
static int
with_bonus(int score, int bonus)
{
	int v = score + bonus;

	return v < 0 ? 0 : v > MATCH_SCORE_MAX ? MATCH_SCORE_MAX : v;
}

/* Waiting, previous partners, preferences and bonuses as per-mentee lists. */
static void
lists_fill(struct score_data *sd, const struct score_input *in)
{
	struct pl_item *v;
	size_t k, n = in->npartners;
	bool has_e = false, has_m = false;
	double e, m;
	int i;

	sd->nmentees = in->nmentees;
	sd->day = in->day;
	if (in->mentee_since != NULL) {
		sd->since = xreallocarray(NULL, in->nmentees ? in->nmentees : 1,
		    sizeof *sd->since);
		for (i = 0; i < in->nmentees; i++)
			sd->since[i] = in->mentee_since[i];
	}
	if (in->nprefs > n)
		n = in->nprefs;
	if (in->nbonus > n)
		n = in->nbonus;
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	for (k = 0; k < in->npartners; k++) {
		v[k].mentee = in->partners[k].mentee;
		v[k].mentor = in->partners[k].mentor;
		v[k].val = 1;
	}
	pairlist_build(&sd->partners, v, in->npartners, in->nmentees,
	    in->nmentors);
	for (k = 0; k < in->nprefs; k++) {
		has_e = has_e || in->prefs[k].mentee_value >= 0;
		has_m = has_m || in->prefs[k].mentor_prefers;
	}
	if (in->pref_sides != 0) {
		has_e = (in->pref_sides & 1) != 0;
		has_m = (in->pref_sides & 2) != 0;
	}
	for (k = 0; k < in->nprefs; k++) {
		e = in->prefs[k].mentee_value > 0 ? in->prefs[k].mentee_value : 0;
		if (e > 1)
			e = 1;
		m = in->prefs[k].mentor_prefers ? 1 : 0;
		v[k].mentee = in->prefs[k].mentee;
		v[k].mentor = in->prefs[k].mentor;
		v[k].val = has_e && has_m ? (e + m) / 2 : has_e ? e : m;
	}
	pairlist_build(&sd->prefs, v, in->nprefs, in->nmentees, in->nmentors);
	for (k = 0; k < in->nbonus; k++) {
		v[k].mentee = in->bonus[k].mentee;
		v[k].mentor = in->bonus[k].mentor;
		v[k].val = in->bonus[k].centi;
	}
	pairlist_build(&sd->bonus, v, in->nbonus, in->nmentees, in->nmentors);
	free(v);
}

int
score_build(const struct score_input *in, struct score_table *t,
    struct error *err)
{
	const struct program *prog = in->program;
	struct score_data *sd;
	struct intern depts;
	int *tin = NULL, *tout = NULL, ne = in->nmentees, nm = in->nmentors;
	int i, j, cv;
	size_t k, pk;
	double *acc;
	struct row_scratch rs;
	int16_t *row;
	int vmax;

	memset(t, 0, sizeof *t);
	if (check_input(in, err) == -1)
		return -1;
	sd = xcalloc(1, sizeof *sd);
	sd->exclude = prog->matching.exclude;
	sd->format = prog->format;
	sd->peer_gap = prog->peer.max_level_gap;
	sd->minc = (int)floor(prog->matching.min_score * 100 + 0.5);
	if (sd->exclude & EXCLUDE_SAME_MANAGER_LINE) {
		tin = xreallocarray(NULL, in->npeople ? in->npeople : 1,
		    sizeof *tin);
		tout = xreallocarray(NULL, in->npeople ? in->npeople : 1,
		    sizeof *tout);
		manager_tour(in, tin, tout);
	}
	intern_init(&depts);
	people_fill(sd, in, &depts, tin, tout);
	free(tin);
	free(tout);
	crit_fill(sd, in);
	lists_fill(sd, in);

	sd->npairs = in->nexcluded;
	sd->pairs = xreallocarray(NULL, sd->npairs ? sd->npairs : 1,
	    sizeof *sd->pairs);
	for (k = 0; k < sd->npairs; k++)
		sd->pairs[k] = ((int64_t)in->excluded[k].mentee << 32) |
		    (uint32_t)in->excluded[k].mentor;
	xqsort(sd->pairs, sd->npairs, sizeof *sd->pairs, cmp_i64);

	t->nmentees = ne;
	t->nmentors = nm;
	t->ncriteria = sd->ncrit;
	t->data = sd;
	t->score = xreallocarray(NULL, ne && nm ? (size_t)ne * nm : 1,
	    sizeof *t->score);
	if (prog->format == FORMAT_GROUP && prog->group.department_diversity) {
		t->mentee_class = xreallocarray(NULL, ne ? ne : 1,
		    sizeof *t->mentee_class);
		memcpy(t->mentee_class, sd->edept, (size_t)ne *
		    sizeof *t->mentee_class);
		t->max_per_class = prog->group.max_per_department > 0 ?
		    prog->group.max_per_department : 1;
	}
	intern_free(&depts);

	acc = xreallocarray(NULL, nm ? nm : 1, sizeof *acc);
	rs.req0 = xreallocarray(NULL, nm ? nm : 1, 1);
	rs.notin = xreallocarray(NULL, nm ? nm : 1, 1);
	rs.hit = xcalloc(nm ? nm : 1, 1);
	for (k = 0, vmax = 1; k < sd->ncrit; k++)
		if (sd->crit[k].vocab > vmax)
			vmax = sd->crit[k].vocab;
	rs.mark = xcalloc(vmax, 1);
	pk = 0;
	for (i = 0; i < ne; i++) {
		row = t->score + (size_t)i * nm;
		memset(acc, 0, (size_t)nm * sizeof *acc);
		memset(rs.req0, 0, (size_t)nm);
		memset(rs.notin, 0, (size_t)nm);
		for (k = 0; k < sd->ncrit; k++)
			crit_row(sd, &sd->crit[k], i, nm, acc, &rs);
		for (j = 0; j < nm; j++) {
			cv = centi(sd, acc[j]);
			row[j] = rs.req0[j] || rs.notin[j] ? MATCH_EXCLUDED :
			    (int16_t)cv;
		}
		if (sd->bonus.off != NULL)
			for (k = (size_t)sd->bonus.off[i];
			    k < (size_t)sd->bonus.off[i + 1]; k++) {
				j = sd->bonus.mentor[k];
				if (row[j] != MATCH_EXCLUDED)
					row[j] = (int16_t)with_bonus(row[j],
					    (int)sd->bonus.val[k]);
			}
		for (j = 0; j < nm; j++)
			if (row[j] != MATCH_EXCLUDED && row[j] < sd->minc)
				row[j] = MATCH_EXCLUDED;
		/* the rules, cheapest first; sorted caller pairs by cursor */
		for (j = 0; j < nm; j++) {
			if (sd->mperson[j] == sd->eperson[i])
				row[j] = MATCH_EXCLUDED;
		}
		while (pk < sd->npairs && (sd->pairs[pk] >> 32) == i)
			row[sd->pairs[pk++] & 0xffffffff] = MATCH_EXCLUDED;
		if (sd->exclude & (EXCLUDE_SAME_MANAGER_LINE |
		    EXCLUDE_SAME_DEPARTMENT) || sd->format == FORMAT_PEER ||
		    sd->format == FORMAT_REVERSE) {
			for (j = 0; j < nm; j++)
				if (row[j] != MATCH_EXCLUDED &&
				    people_verdict(sd, i, j) != SCORE_ALLOWED)
					row[j] = MATCH_EXCLUDED;
		}
	}
	free(acc);
	free(rs.req0);
	free(rs.notin);
	free(rs.hit);
	free(rs.mark);
	return 0;
}

enum score_verdict
score_explain(const struct score_table *t, int mentee, int mentor,
    double *contrib, struct score_detail *d)
{
	const struct score_data *sd = t->data;
	double acc = 0, v;
	size_t k;
	int req = -1;

	int notin = -1, side = 0, sd_side;

	for (k = 0; k < sd->ncrit; k++) {
		v = crit_value(sd, &sd->crit[k], mentor, mentee);
		if (contrib != NULL)
			contrib[k] = v;
		acc += sd->crit[k].w * v;
		if (sd->crit[k].cmp == COMPARE_NOT_IN && notin < 0 &&
		    (sd_side = not_in_side(&sd->crit[k], mentor, mentee)) > 0) {
			notin = (int)k;
			side = sd_side - 1;
		}
		if (v == 0 && sd->crit[k].required && req < 0)
			req = (int)k;
	}
	d->score = centi(sd, acc);
	d->bonus = (int)pairlist_get(&sd->bonus, mentee, mentor);
	if (d->bonus != 0) {
		int b = with_bonus(d->score, d->bonus);

		d->bonus = b - d->score;
		d->score = b;
	}
	d->criterion = -1;
	d->not_in_side = side;
	d->verdict = rule_verdict(sd, mentee, mentor);
	if (d->verdict == SCORE_ALLOWED && notin >= 0) {
		d->verdict = SCORE_NOT_IN;
		d->criterion = notin;
	} else if (d->verdict == SCORE_ALLOWED && req >= 0) {
		d->verdict = SCORE_REQUIRED;
		d->criterion = req;
	} else if (d->verdict == SCORE_ALLOWED && d->score < sd->minc)
		d->verdict = SCORE_BELOW_MIN;
	return d->verdict;
}
