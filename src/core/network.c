/*
 * Network mentoring: when a mentor is asked for an introduction, and what
 * the introductions add up to in the report.
 */
#include "core/network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/schedule.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define NETWORK_SECTION "network"
#define NETWORK_OUTSIDE "(outside the people table)"
#define NETWORK_NO_DEPT "(no department)"

bool
network_intro_due(const struct program *p, const struct network_pairing *np,
    int today, struct network_intro_request *out)
{
	struct sched_status st;
	struct error err = ERROR_INIT;
	int meetings[1];
	size_t n = 0;

	memset(out, 0, sizeof *out);
	if (p->format != FORMAT_NETWORK || !p->checkins.present ||
	    p->checkins.every.n <= 0 || np->anchor == DATE_NONE)
		return false;
	if (np->introductions >= p->network.target)
		return false;
	if (np->held + 1 < p->network.introductions_from)
		return false;
	if (np->last_meeting != DATE_NONE)
		meetings[n++] = np->last_meeting;
	if (sched_status(&p->checkins, np->anchor, meetings, n, today, &st,
	    &err) != 0) {
		error_clear(&err);
		return false;
	}
	/*
	 * someone was introduced for the coming meeting already: after the
	 * last one (an introduction on a meeting's day was that meeting's)
	 */
	if (np->last_introduction != DATE_NONE &&
	    (np->last_introduction > st.base ||
	    (np->last_meeting == DATE_NONE &&
	    np->last_introduction >= st.base)))
		return false;
	if (st.stalled || !st.due_soon || st.overdue)
		return false;
	out->due_on = st.due_on;
	out->meeting_number = np->held + 1;
	out->introductions = np->introductions;
	out->target = p->network.target;
	return true;
}

void
network_facts_free(struct network_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nmentees; i++) {
		free(f->mentees[i].email);
		free(f->mentees[i].name);
	}
	for (i = 0; i < f->nintros; i++) {
		free(f->intros[i].contact_email);
		free(f->intros[i].department);
	}
	free(f->mentees);
	free(f->intros);
	memset(f, 0, sizeof *f);
}

/* ---- the report ---- */

static int
intro_cmp(const void *a, const void *b)
{
	const struct network_intro_fact *x = *(const struct network_intro_fact
	    *const *)a;
	const struct network_intro_fact *y = *(const struct network_intro_fact
	    *const *)b;
	int c;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	if ((c = strcasecmp(x->contact_email, y->contact_email)) != 0)
		return c;
	return (x->introduced_on > y->introduced_on) -
	    (x->introduced_on < y->introduced_on);
}

/* The department group of a contact. */
static const char *
intro_dept(const struct network_intro_fact *it)
{
	if (!it->is_person)
		return NETWORK_OUTSIDE;
	return it->department && *it->department ? it->department :
	    NETWORK_NO_DEPT;
}

/* A sorted set of strings (borrowed) with a count each. */
struct tally {
	const char **keys;
	long long *n;
	size_t len;
	size_t cap;
};

static void
tally_add(struct tally *t, const char *key)
{
	size_t lo = 0, hi = t->len, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(t->keys[mid], key);
		if (c == 0) {
			t->n[mid]++;
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (t->len + 1 > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->keys = xreallocarray(t->keys, t->cap, sizeof *t->keys);
		t->n = xreallocarray(t->n, t->cap, sizeof *t->n);
	}
	memmove(t->keys + lo + 1, t->keys + lo, (t->len - lo) *
	    sizeof *t->keys);
	memmove(t->n + lo + 1, t->n + lo, (t->len - lo) * sizeof *t->n);
	t->keys[lo] = key;
	t->n[lo] = 1;
	t->len++;
}

static void
tally_free(struct tally *t)
{
	free(t->keys);
	free(t->n);
	memset(t, 0, sizeof *t);
}

/* Levels as a sorted set of integers with counts. */
struct levels {
	int *v;
	long long *n;
	size_t len;
};

static void
levels_add(struct levels *l, int level)
{
	size_t i;

	for (i = 0; i < l->len && l->v[i] < level; i++)
		;
	if (i < l->len && l->v[i] == level) {
		l->n[i]++;
		return;
	}
	l->v = xreallocarray(l->v, l->len + 1, sizeof *l->v);
	l->n = xreallocarray(l->n, l->len + 1, sizeof *l->n);
	memmove(l->v + i + 1, l->v + i, (l->len - i) * sizeof *l->v);
	memmove(l->n + i + 1, l->n + i, (l->len - i) * sizeof *l->n);
	l->v[i] = level;
	l->n[i] = 1;
	l->len++;
}

static void
levels_free(struct levels *l)
{
	free(l->v);
	free(l->n);
	memset(l, 0, sizeof *l);
}

/* "Eng, Sales" or "none", and "levels 2, 4" into sb. */
static void
describe(struct strbuf *sb, const struct tally *depts, const struct levels *lv)
{
	size_t i, shown = 0;

	strbuf_addstr(sb, "departments: ");
	for (i = 0; i < depts->len; i++) {
		if (strcmp(depts->keys[i], NETWORK_OUTSIDE) == 0 ||
		    strcmp(depts->keys[i], NETWORK_NO_DEPT) == 0)
			continue;
		strbuf_addf(sb, "%s%s", shown++ ? ", " : "", depts->keys[i]);
	}
	if (shown == 0)
		strbuf_addstr(sb, "none");
	strbuf_addstr(sb, "; levels: ");
	for (i = 0; i < lv->len; i++)
		strbuf_addf(sb, "%s%d", i ? ", " : "", lv->v[i]);
	if (lv->len == 0)
		strbuf_addstr(sb, "none");
}

/* Departments that are departments (not the two placeholders). */
static long long
real_departments(const struct tally *t)
{
	long long n = 0;
	size_t i;

	for (i = 0; i < t->len; i++)
		if (strcmp(t->keys[i], NETWORK_OUTSIDE) != 0 &&
		    strcmp(t->keys[i], NETWORK_NO_DEPT) != 0)
			n++;
	return n;
}

static void
row_count(struct metrics_rows *rows, const char *metric, char *group,
    long long n, char *detail)
{
	struct metrics_row *row;

	row = metrics_row_append(rows, NETWORK_SECTION, metric, group,
	    METRICS_COUNT, metrics_ratio(n, 1));
	row->detail = detail;
}

static char *
departments_text(const struct tally *t)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, shown = 0;

	for (i = 0; i < t->len; i++)
		if (strcmp(t->keys[i], NETWORK_OUTSIDE) != 0 &&
		    strcmp(t->keys[i], NETWORK_NO_DEPT) != 0)
			strbuf_addf(&sb, "%s%s", shown++ ? ", " : "",
			    t->keys[i]);
	if (shown > 0)
		return strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
	return NULL;
}

static char *
levels_text(const struct levels *lv)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (lv->len == 0)
		return NULL;
	for (i = 0; i < lv->len; i++)
		strbuf_addf(&sb, "%s%d", i ? ", " : "", lv->v[i]);
	return strbuf_detach(&sb, NULL);
}

static char *
detail_of(const struct tally *depts, const struct levels *lv)
{
	struct strbuf sb = STRBUF_INIT;

	describe(&sb, depts, lv);
	return strbuf_detach(&sb, NULL);
}

void
network_report_rows(const struct program *p, const struct network_facts *f,
    struct metrics_rows *rows)
{
	const struct network_intro_fact **v;
	struct tally all = { 0 }, mine = { 0 };
	struct levels lv = { 0 }, mlv = { 0 };
	struct metrics_row *row;
	long long *count, at_target = 0, outside = 0, total = 0;
	size_t i, j, k;

	if (p->format != FORMAT_NETWORK)
		return;
	/* distinct (mentee, contact), the earliest introduction each */
	v = xcalloc(f->nintros + 1, sizeof *v);
	for (i = 0; i < f->nintros; i++)
		v[i] = &f->intros[i];
	xqsort(v, f->nintros, sizeof *v, intro_cmp);
	count = xcalloc(f->nmentees + 1, sizeof *count);
	for (i = 0; i < f->nintros; i = j) {
		for (j = i + 1; j < f->nintros && v[j]->mentee == v[i]->mentee &&
		    strcasecmp(v[j]->contact_email, v[i]->contact_email) == 0;
		    j++)
			;
		if (v[i]->mentee < f->nmentees)
			count[v[i]->mentee]++;
		total++;
		tally_add(&all, intro_dept(v[i]));
		if (v[i]->has_level)
			levels_add(&lv, v[i]->level);
		if (!v[i]->is_person)
			outside++;
	}
	for (i = 0; i < f->nmentees; i++)
		if (count[i] >= p->network.target)
			at_target++;
	row_count(rows, "mentees", NULL, (long long)f->nmentees, NULL);
	row_count(rows, "introductions", NULL, total, NULL);
	row = metrics_row_append(rows, NETWORK_SECTION,
	    "introductions_per_mentee", NULL, METRICS_RATING,
	    metrics_ratio(total, (long long)f->nmentees));
	row->detail = xasprintf("%lld introduction%s over %zu mentee%s", total,
	    total == 1 ? "" : "s", f->nmentees, f->nmentees == 1 ? "" : "s");
	row = metrics_row_append(rows, NETWORK_SECTION, "mentees_at_target",
	    NULL, METRICS_RATE, metrics_ratio(at_target,
	    (long long)f->nmentees));
	row->detail = xasprintf("%lld of %zu mentees have %d contacts or more",
	    at_target, f->nmentees, p->network.target);
	row_count(rows, "departments_reached", NULL, real_departments(&all),
	    departments_text(&all));
	row_count(rows, "levels_reached", NULL, (long long)lv.len,
	    levels_text(&lv));
	row_count(rows, "outside_people", NULL, outside, xstrdup("contacts "
	    "who are not in the people table"));
	for (i = 0; i < all.len; i++)
		row_count(rows, "introductions_by_department",
		    xasprintf("department=%s", all.keys[i]), all.n[i], NULL);
	for (i = 0; i < lv.len; i++)
		row_count(rows, "introductions_by_level",
		    xasprintf("level=%d", lv.v[i]), lv.n[i], NULL);
	/* per mentee, in e-mail order; v is sorted by mentee index */
	for (i = 0, k = 0; i < f->nmentees; i++) {
		for (; k < f->nintros && v[k]->mentee < i; k++)
			;
		for (j = k; j < f->nintros && v[j]->mentee == i; j++) {
			if (j > k && strcasecmp(v[j]->contact_email,
			    v[j - 1]->contact_email) == 0)
				continue;
			tally_add(&mine, intro_dept(v[j]));
			if (v[j]->has_level)
				levels_add(&mlv, v[j]->level);
		}
		row = metrics_row_append(rows, NETWORK_SECTION,
		    "mentee_introductions", xasprintf("mentee=%s",
		    f->mentees[i].email), METRICS_COUNT,
		    metrics_ratio(count[i], 1));
		row->has_target = true;
		row->target = p->network.target;
		row->status = metrics_goal_status_name(
		    count[i] >= p->network.target ? METRICS_GOAL_MET :
		    METRICS_GOAL_NOT_MET);
		row->detail = detail_of(&mine, &mlv);
		tally_free(&mine);
		levels_free(&mlv);
		k = j;
	}
	tally_free(&all);
	levels_free(&lv);
	free(count);
	free(v);
}
