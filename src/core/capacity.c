/*
 * Capacity planning: the unmatched mentees' needs, in places and words.
 * See core/capacity.h for why the count is exact.
 */
#include "core/capacity.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/match.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* A person's value of attribute name as text, NULL when unknown. */
static const char *
value_of(const struct score_person *p, const char *name, char *buf,
    size_t bufsz)
{
	static const char *const std[] = { "email", "name", "manager_email",
	    "department", "title", "location", "timezone" };
	const char *v[] = { p->email, p->name, p->manager_email,
	    p->department, p->title, p->location, p->timezone };
	size_t i;

	for (i = 0; i < sizeof std / sizeof std[0]; i++)
		if (strcasecmp(name, std[i]) == 0)
			return v[i] && *v[i] ? v[i] : NULL;
	if (strcasecmp(name, "level") == 0) {
		if (!p->has_level)
			return NULL;
		snprintf(buf, bufsz, "%d", p->level);
		return buf;
	}
	if (strcasecmp(name, "hired_on") == 0 || strcasecmp(name, "tenure") == 0)
		return p->hired_on == DATE_NONE ? NULL : date_format(p->hired_on,
		    buf);
	for (i = 0; i < p->nattrs; i++)
		if (p->attrs[i].name && strcasecmp(p->attrs[i].name, name) == 0)
			return p->attrs[i].value && *p->attrs[i].value ?
			    p->attrs[i].value : NULL;
	return NULL;
}

/* The number a value reads as (level, tenure in years on day, a decimal). */
static bool
number_of(const struct score_person *p, const char *name, int day, double *x)
{
	char buf[32], *end;
	const char *s;

	if (strcasecmp(name, "level") == 0) {
		*x = p->level;
		return p->has_level;
	}
	if (strcasecmp(name, "hired_on") == 0 || strcasecmp(name, "tenure") == 0) {
		if (p->hired_on == DATE_NONE || day == DATE_NONE)
			return false;
		*x = date_years_between(p->hired_on, day);
		return true;
	}
	if ((s = value_of(p, name, buf, sizeof buf)) == NULL)
		return false;
	*x = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return end != s && *end == '\0' && isfinite(*x);
}

static void
add(struct strbuf *sb, const char *text)
{
	if (sb->len > 0)
		strbuf_addstr(sb, ", ");
	strbuf_addstr(sb, text);
}

/* One required criterion as the mentor must meet it. */
static void
required_text(struct strbuf *sb, const struct match_criterion *c,
    const struct score_person *e, int day, bool *impossible)
{
	struct strbuf t = STRBUF_INIT;
	const char *attr = c->attribute, *mattr = c->mentee_attribute ?
	    c->mentee_attribute : c->attribute, *v;
	char buf[32];
	double x;
	size_t i;
	int n;

	switch (c->compare) {
	case COMPARE_OVERLAP:
	case COMPARE_SAME:
	case COMPARE_DIFFERENT:
	case COMPARE_WITHIN_HOURS:
		if ((v = value_of(e, mattr, buf, sizeof buf)) == NULL) {
			strbuf_addf(&t, "nobody (the mentee's %s is unknown)",
			    mattr);
			*impossible = true;
			break;
		}
		if (c->compare == COMPARE_OVERLAP)
			strbuf_addf(&t, "%s sharing one of: %s", attr, v);
		else if (c->compare == COMPARE_SAME)
			strbuf_addf(&t, "%s %s", attr, v);
		else if (c->compare == COMPARE_DIFFERENT)
			strbuf_addf(&t, "%s other than %s", attr, v);
		else
			strbuf_addf(&t, "%s within %g hours of %s", attr,
			    c->hours, v);
		break;
	case COMPARE_MENTOR_ABOVE:
	case COMPARE_MENTEE_ABOVE:
	case COMPARE_WITHIN:
	case COMPARE_CLOSE:
	case COMPARE_GAP:
		if (!number_of(e, mattr, day, &x)) {
			strbuf_addf(&t, "nobody (the mentee's %s is unknown)",
			    mattr);
			*impossible = true;
			break;
		}
		if (c->compare == COMPARE_MENTOR_ABOVE)
			strbuf_addf(&t, "%s at least %g", attr, x + c->min_gap);
		else if (c->compare == COMPARE_MENTEE_ABOVE)
			strbuf_addf(&t, "%s at most %g", attr, x - c->min_gap);
		else if (c->compare == COMPARE_WITHIN)
			strbuf_addf(&t, "%s %g..%g", attr, x - c->max_gap,
			    x + c->max_gap);
		else if (c->compare == COMPARE_CLOSE)
			strbuf_addf(&t, "%s within %g of %g", attr, c->scale, x);
		else {
			strbuf_addf(&t, "%s", attr);
			for (i = n = 0; i < c->npoints; i++)
				if (c->points[i].points > 0)
					strbuf_addf(&t, "%s%g", n++ ? " or " : " ",
					    x + c->points[i].gap);
		}
		break;
	case COMPARE_PREFERENCE:
		strbuf_addstr(&t, "one the mentee ranked or rated, or who "
		    "prefers them");
		break;
	case COMPARE_PREVIOUS_PARTNER:
		strbuf_addstr(&t, "a previous partner");
		break;
	default:
		break;
	}
	if (t.len > 0)
		add(sb, t.buf);
	strbuf_release(&t);
}

char *
match_requirement(const struct match_pool *pool, const struct program *p,
    int day, int mentee, bool *impossible)
{
	const struct score_person *e = &pool->people[pool->mentees[mentee].person];
	struct strbuf sb = STRBUF_INIT;
	char buf[64];
	size_t k;

	*impossible = false;
	if ((p->matching.exclude & EXCLUDE_SAME_DEPARTMENT) && e->department) {
		snprintf(buf, sizeof buf, "outside %.50s", e->department);
		add(&sb, buf);
	}
	if (p->format == FORMAT_PEER && e->has_level) {
		snprintf(buf, sizeof buf, "level %d..%d",
		    e->level - p->peer.max_level_gap,
		    e->level + p->peer.max_level_gap);
		add(&sb, buf);
	} else if (p->format == FORMAT_REVERSE && e->has_level) {
		snprintf(buf, sizeof buf, "level below %d", e->level);
		add(&sb, buf);
	} else if ((p->format == FORMAT_PEER || p->format == FORMAT_REVERSE)) {
		add(&sb, "nobody (the mentee's level is unknown)");
		*impossible = true;
	}
	for (k = 0; k < p->matching.ncriteria; k++)
		if (p->matching.criteria[k].required &&
		    p->matching.criteria[k].compare != COMPARE_NOT_IN &&
		    p->matching.criteria[k].compare != COMPARE_WAITED)
			required_text(&sb, &p->matching.criteria[k], e, day,
			    impossible);
	if (p->matching.min_score > 0) {
		snprintf(buf, sizeof buf, "scoring at least %g",
		    p->matching.min_score);
		add(&sb, buf);
	}
	return strbuf_detach(&sb, NULL);
}

static int
cmp_need(const void *a, const void *b)
{
	const struct match_need *x = a, *y = b;

	if (x->impossible != y->impossible)
		return x->impossible ? 1 : -1;
	if (x->places != y->places)
		return x->places > y->places ? -1 : 1;
	return strcmp(x->requirement, y->requirement);
}

/* Group format: whether the mentees' departments can fill circles. */
static char *
group_limit(const struct match_pool *pool, const struct program *p)
{
	const char **seen;
	const char *d;
	int k = p->group.max_per_department > 0 ? p->group.max_per_department :
	    1, size = p->mentor.capacity, nd = 0, i, j;
	char *s = NULL;

	if (p->format != FORMAT_GROUP || !p->group.department_diversity ||
	    pool->nmentees == 0)
		return NULL;
	seen = xcalloc((size_t)pool->nmentees, sizeof *seen);
	for (i = 0; i < pool->nmentees; i++) {
		d = pool->people[pool->mentees[i].person].department;
		if (d == NULL)
			continue;
		for (j = 0; j < nd; j++)
			if (strcasecmp(seen[j], d) == 0)
				break;
		if (j == nd)
			seen[nd++] = d;
	}
	if (nd * k < size)
		s = xasprintf("the mentees span %d department%s; circles of %d "
		    "cannot be filled (at most %d per department: %d per "
		    "circle)", nd, nd == 1 ? "" : "s", size, k, nd * k);
	free(seen);
	return s;
}

static int
circles_needed(const struct match_pool *pool, const struct program *p,
    const int *unmatched, int n)
{
	int k = p->group.max_per_department > 0 ? p->group.max_per_department :
	    1, size = p->mentor.capacity > 0 ? p->mentor.capacity : 1;
	int need = (n + size - 1) / size, i, j, same;
	const char *d, *e;

	for (i = 0; i < n; i++) {
		d = pool->people[pool->mentees[unmatched[i]].person].department;
		if (d == NULL)
			continue;
		for (j = same = 0; j < n; j++) {
			e = pool->people[pool->mentees[unmatched[j]].person].department;
			if (e != NULL && strcasecmp(d, e) == 0)
				same++;
		}
		if ((same + k - 1) / k > need)
			need = (same + k - 1) / k;
	}
	return need;
}

void
match_capacity_needs(const struct match_pool *pool, const struct program *p,
    int day, const struct score_table *t, const int *unmatched, int n,
    struct match_needs *out)
{
	char **req = xcalloc(n ? (size_t)n : 1, sizeof *req);
	bool *never = xcalloc(n ? (size_t)n : 1, sizeof *never);
	unsigned char *fit = xcalloc(pool->nmentors ? (size_t)pool->nmentors :
	    1, 1);
	struct match_need *v;
	int i, j, k, allowed;
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	out->unmatched = n;
	out->group_limit = group_limit(pool, p);
	for (k = 0; k < n; k++)
		req[k] = match_requirement(pool, p, day, unmatched[k],
		    &never[k]);
	for (k = 0; k < n; k++) {
		if (req[k] == NULL)
			continue;
		XGROW(out->v, out->n + 1, cap);
		v = &out->v[out->n++];
		memset(v, 0, sizeof *v);
		v->requirement = req[k];
		v->impossible = never[k];
		v->example = pool->mentees[unmatched[k]].email;
		memset(fit, 0, (size_t)pool->nmentors);
		/* every mentee of this requirement, once */
		for (i = k; i < n; i++) {
			if (req[i] == NULL || strcmp(req[i], v->requirement) != 0)
				continue;
			if (i != k) {
				free(req[i]);
			}
			req[i] = NULL;
			v->places++;
			allowed = 0;
			for (j = 0; j < pool->nmentors; j++)
				if (t->score[(size_t)unmatched[i] *
				    pool->nmentors + j] != MATCH_EXCLUDED) {
					fit[j] = 1;
					allowed++;
				}
			if (allowed == 0)
				v->new_mentor++;
		}
		for (j = 0; j < pool->nmentors; j++)
			v->mentors_fit += fit[j];
		if (v->impossible) {
			out->impossible += v->places;
			v->places = 0;
		}
		out->places += v->places;
	}
	if (out->n > 1)
		xqsort(out->v, out->n, sizeof *out->v, cmp_need);
	if (n > 0 && p->format == FORMAT_GROUP && p->group.department_diversity)
		out->new_circles = circles_needed(pool, p, unmatched, n);
	free(req);
	free(never);
	free(fit);
}

void
match_needs_free(struct match_needs *needs)
{
	size_t i;

	if (needs == NULL)
		return;
	for (i = 0; i < needs->n; i++)
		free(needs->v[i].requirement);
	free(needs->v);
	free(needs->group_limit);
	memset(needs, 0, sizeof *needs);
}
