/*
 * Matching's use cases: load the pool (store), score and plan it (core),
 * and for `match` store the proposals through ops_propose.
 */
#include "ops/match.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/match.h"
#include "core/capacity.h"
#include "core/program.h"
#include "ops/pairing.h"
#include "store/pairing_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

void
ops_scoring_free(struct ops_scoring *s)
{
	if (s == NULL)
		return;
	match_labels_free(s->labels, s->nlabels);
	score_table_free(&s->t);
	match_pool_free(&s->pool);
	memset(s, 0, sizeof *s);
}

/* Formats whose sessions are not matched here. */
static int
refuse_format(const struct program *p, struct error *err)
{
	if (p->format == FORMAT_ROTATIONAL)
		return error_set(err, EX_DATAERR, "programme '%s' has format "
		    "%s: its rotation is planned by 'mentorctl match %s' and "
		    "shown by 'mentorctl schedule %s'", p->slug,
		    program_format_name(p->format), p->slug, p->slug);
	if (p->format == FORMAT_FLASH)
		return error_set(err, EX_DATAERR, "programme '%s' has format "
		    "%s: its sessions are built by 'mentorctl schedule %s', not "
		    "matched", p->slug, program_format_name(p->format),
		    p->slug);
	return 0;
}

int
ops_scores(const struct ops_ctx *o, long long program_id,
    const struct program *p, unsigned flags, const char *mentee,
    struct ops_scoring *s, struct error *err)
{
	struct match_load ld;
	struct score_input in;

	memset(s, 0, sizeof *s);
	if (refuse_format(p, err) != 0)
		return -1;
	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = o->today;
	ld.flags = flags;
	ld.mentee_email = mentee;
	if (store_match_load(o->db, &ld, &s->pool, err) != 0)
		return -1;
	if (mentee != NULL && s->pool.nmentees == 0)
		return store_match_why_not(o->db, program_id, p->slug, mentee,
		    ROLE_MENTEE, err);
	match_pool_input(&s->pool, p, o->today, &in);
	if (score_build(&in, &s->t, err) != 0)
		return -1;
	s->nlabels = p->matching.ncriteria;
	s->labels = match_labels(p);
	return 0;
}

int
ops_suggest(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentee, struct ops_suggest *r,
    struct error *err)
{
	struct match_pool *pool = &r->s.pool;

	memset(r, 0, sizeof *r);
	if (ops_scores(o, program_id, p, MATCH_LOAD_FREE, mentee, &r->s,
	    err) != 0)
		return -1;
	r->open_pairing = pool->mentees[0].open_pairing;
	r->v = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *r->v);
	r->n = match_pool_rank(pool, p, &r->s.t, 0, r->v);
	return 0;
}

void
ops_suggest_free(struct ops_suggest *r)
{
	if (r == NULL)
		return;
	ops_scoring_free(&r->s);
	free(r->v);
	r->v = NULL;
}

/*
 * The stability audit of the plan; for a stable plan also the optimum
 * under coverage, so that the coordinator sees what stability costs.
 */
static int
audit(const struct match_pool *pool, const struct program *p,
    struct ops_match *m, struct error *err)
{
	struct match_plan opt = MATCH_PLAN_INIT;
	struct program q;

	m->blocking = match_plan_blocking(pool, &m->s.t, &m->plan);
	if (p->matching.objective != OBJECTIVE_STABLE)
		return 0;
	q = *p;
	q.matching.objective = OBJECTIVE_COVERAGE;
	if (match_plan_solve(pool, &q, &m->s.t, &opt, err) != 0)
		return -1;
	m->have_optimum = true;
	m->optimum_pairs = opt.n;
	m->optimum_total = opt.total;
	m->optimum_blocking = match_plan_blocking(pool, &m->s.t, &opt);
	match_plan_free(&opt);
	return 0;
}

int
ops_match(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_match *m, struct error *err)
{
	struct match_pool *pool = &m->s.pool;
	const struct match_plan_pair *q;
	struct pairing_new *v;
	size_t k;

	memset(&m->s, 0, sizeof m->s);
	memset(&m->plan, 0, sizeof m->plan);
	m->made = NULL;
	if (refuse_format(p, err) != 0)
		return -1;
	if (!m->dry_run && ops_expire(o, NULL, err) != 0)
		return -1;
	if (ops_scores(o, program_id, p, MATCH_LOAD_UNMATCHED |
	    MATCH_LOAD_FREE, NULL, &m->s, err) != 0)
		return -1;
	match_pool_close_full_groups(pool, p, &m->s.t);
	if (match_plan_solve(pool, p, &m->s.t, &m->plan, err) != 0)
		return -1;
	m->fixed_wanted = pool->nfixed;
	for (k = 0; k < m->plan.n; k++)
		m->fixed_taken += m->plan.v[k].fixed;
	if (m->audit && audit(pool, p, m, err) != 0)
		return -1;
	v = m->made = xcalloc(m->plan.n ? m->plan.n : 1, sizeof *v);
	for (k = 0; k < m->plan.n; k++) {
		q = &m->plan.v[k];
		v[k].mentor_enrollment_id = pool->mentors[q->mentor].enrollment_id;
		v[k].mentee_enrollment_id = pool->mentees[q->mentee].enrollment_id;
		v[k].mentor_email = pool->mentors[q->mentor].email;
		v[k].mentee_email = pool->mentees[q->mentee].email;
		v[k].group_id = p->format == FORMAT_GROUP ?
		    pool->mentors[q->mentor].enrollment_id : 0;
		v[k].score = q->score;
	}
	ops_proposal_terms(p, o->today, &m->expires_on, &m->active);
	if (m->dry_run)
		return 0;
	return ops_propose(o, program_id, p, PAIRING_ORIGIN_MATCH, NULL, v,
	    m->plan.n, err);
}

void
ops_match_free(struct ops_match *m)
{
	if (m == NULL)
		return;
	ops_scoring_free(&m->s);
	match_plan_free(&m->plan);
	free(m->made);
	m->made = NULL;
}

/* ---- capacity planning ---- */

int
ops_capacity_needs(const struct ops_ctx *o, long long program_id,
    const struct program *p, const struct ops_match *m, struct ops_needs *r,
    struct error *err)
{
	const struct match_pool *pool = &m->s.pool;
	const char **emails;
	struct match_load ld;
	struct score_input in;
	int *idx, i, n = 0, k;

	memset(r, 0, sizeof *r);
	emails = xcalloc(pool->nmentees ? (size_t)pool->nmentees : 1,
	    sizeof *emails);
	for (i = 0; i < pool->nmentees; i++)
		if (m->plan.pairs_of == NULL || m->plan.pairs_of[i] == 0)
			emails[n++] = pool->mentees[i].email;
	if (n == 0) {
		free(emails);
		return 0;
	}
	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = o->today;
	ld.flags = MATCH_LOAD_UNMATCHED;
	ld.mentees = emails;
	ld.nmentees = (size_t)n;
	if (store_match_load(o->db, &ld, &r->s.pool, err) != 0) {
		free(emails);
		return -1;
	}
	free(emails);
	match_pool_input(&r->s.pool, p, o->today, &in);
	if (score_build(&in, &r->s.t, err) != 0)
		return -1;
	idx = xreallocarray(NULL, (size_t)r->s.pool.nmentees + 1, sizeof *idx);
	for (k = 0; k < r->s.pool.nmentees; k++)
		idx[k] = k;
	match_capacity_needs(&r->s.pool, p, o->today, &r->s.t, idx,
	    r->s.pool.nmentees, &r->needs);
	free(idx);
	return 0;
}

int
ops_capacity(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_needs *r, struct error *err)
{
	struct ops_match m;
	int rc;

	memset(&m, 0, sizeof m);
	memset(r, 0, sizeof *r);
	m.dry_run = true;
	rc = ops_match(o, program_id, p, &m, err);
	if (rc == 0)
		rc = ops_capacity_needs(o, program_id, p, &m, r, err);
	ops_match_free(&m);
	return rc;
}

void
ops_needs_free(struct ops_needs *r)
{
	if (r == NULL)
		return;
	ops_scoring_free(&r->s);
	match_needs_free(&r->needs);
}

/* ---- what-if ---- */

struct by_mentee {
	const char *mentee;
	const char *mentor;
};

static int
cmp_by_mentee(const void *x, const void *y)
{
	const struct by_mentee *a = x, *b = y;
	int c = strcmp(a->mentee, b->mentee);

	return c != 0 ? c : strcmp(a->mentor, b->mentor);
}

static struct by_mentee *
pairs_by_mentee(const struct ops_match *m)
{
	struct by_mentee *v;
	size_t k;

	v = xreallocarray(NULL, m->plan.n ? m->plan.n : 1, sizeof *v);
	for (k = 0; k < m->plan.n; k++) {
		v[k].mentee = m->s.pool.mentees[m->plan.v[k].mentee].email;
		v[k].mentor = m->s.pool.mentors[m->plan.v[k].mentor].email;
	}
	if (m->plan.n > 1)
		xqsort(v, m->plan.n, sizeof *v, cmp_by_mentee);
	return v;
}

/* v[*k..] of one mentee joined by ";" (NULL when none), *k past them. */
static char *
joined(const struct by_mentee *v, size_t n, size_t *k, const char *mentee)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *k < n && strcmp(v[*k].mentee, mentee) == 0; (*k)++) {
		if (sb.len > 0)
			strbuf_addch(&sb, ';');
		strbuf_addstr(&sb, v[*k].mentor);
	}
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* The mentees whose mentors differ between the plans, in e-mail order. */
static void
diff_plans(struct ops_compare *r)
{
	struct by_mentee *a = pairs_by_mentee(&r->a), *b = pairs_by_mentee(&r->b);
	size_t i = 0, j = 0, na = r->a.plan.n, nb = r->b.plan.n, cap = 0;
	const char *who;
	char *x, *y;
	int c;

	while (i < na || j < nb) {
		c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].mentee, b[j].mentee);
		who = c <= 0 ? a[i].mentee : b[j].mentee;
		x = c <= 0 ? joined(a, na, &i, who) : NULL;
		y = c >= 0 ? joined(b, nb, &j, who) : NULL;
		if (x != NULL && y != NULL && strcmp(x, y) == 0) {
			free(x);
			free(y);
			continue;
		}
		XGROW(r->diff, r->ndiff + 1, cap);
		r->diff[r->ndiff].mentee = who;
		r->diff[r->ndiff].a = x;
		r->diff[r->ndiff].b = y;
		r->ndiff++;
	}
	free(a);
	free(b);
}

int
ops_match_compare(const struct ops_ctx *o, long long program_id,
    const struct program *p, const struct program *other,
    struct ops_compare *r, struct error *err)
{
	memset(r, 0, sizeof *r);
	r->a.dry_run = r->b.dry_run = true;
	if (ops_match(o, program_id, p, &r->a, err) != 0 ||
	    ops_match(o, program_id, other, &r->b, err) != 0)
		return -1;
	match_plan_summarize(&r->a.s.pool, p, &r->a.s.t, &r->a.plan, &r->sa);
	match_plan_summarize(&r->b.s.pool, other, &r->b.s.t, &r->b.plan,
	    &r->sb);
	diff_plans(r);
	return 0;
}

void
ops_compare_free(struct ops_compare *r)
{
	if (r == NULL)
		return;
	ops_match_free(&r->a);
	ops_match_free(&r->b);
	match_plan_summary_free(&r->sa);
	match_plan_summary_free(&r->sb);
	for (size_t k = 0; k < r->ndiff; k++) {
		free(r->diff[k].a);
		free(r->diff[k].b);
	}
	free(r->diff);
	r->diff = NULL;
	r->ndiff = 0;
}

/* The one criterion that name names, or -1 with err. */
static int
criterion_named(const struct program *p, char **labels, const char *name,
    size_t len, struct error *err)
{
	const struct match_criterion *c;
	size_t i;
	int hit = -1, n = 0;

	for (i = 0; i < p->matching.ncriteria; i++)
		if (strlen(labels[i]) == len &&
		    strncasecmp(labels[i], name, len) == 0)
			return (int)i;
	for (i = 0; i < p->matching.ncriteria; i++) {
		c = &p->matching.criteria[i];
		if ((strlen(c->attribute) == len &&
		    strncasecmp(c->attribute, name, len) == 0) ||
		    (!match_criterion_has_attribute(c) &&
		    strlen(match_compare_name(c->compare)) == len &&
		    strncasecmp(match_compare_name(c->compare), name, len) == 0)) {
			hit = (int)i;
			n++;
		}
	}
	if (n == 1)
		return hit;
	return error_set(err, EX_USAGE, "--compare-weights: '%.*s' names %s "
	    "criterion (use a label that 'mentorctl scores' prints, such as "
	    "'%s')", (int)len, name, n == 0 ? "no" : "more than one",
	    p->matching.ncriteria ? labels[n == 0 ? 0 : hit] : "none");
}

int
ops_reweight(struct program *p, const char *spec, struct error *err)
{
	char **labels = match_labels(p);
	const char *s = spec, *eq, *end;
	char *num, *stop;
	double w;
	int k, rc = -1;

	while (*s != '\0') {
		end = s + strcspn(s, ",");
		eq = memchr(s, '=', (size_t)(end - s));
		if (eq == NULL || eq == s) {
			error_set(err, EX_USAGE, "--compare-weights: '%.*s' is not "
			    "NAME=WEIGHT", (int)(end - s), s);
			goto out;
		}
		if ((k = criterion_named(p, labels, s, (size_t)(eq - s),
		    err)) < 0)
			goto out;
		num = xstrndup(eq + 1, (size_t)(end - eq - 1));
		w = strtod(num, &stop);
		if (*num == '\0' || *stop != '\0' || !(w >= 0 && w <= 100)) {
			error_set(err, EX_USAGE, "--compare-weights: weight '%s' "
			    "for '%s' is not a number 0..100", num, labels[k]);
			free(num);
			goto out;
		}
		free(num);
		p->matching.criteria[k].weight = w;
		s = *end == ',' ? end + 1 : end;
	}
	rc = 0;
out:
	match_labels_free(labels, p->matching.ncriteria);
	return rc;
}

/* ---- a proposal's reasons (pairing show) ---- */

static int
cand_index(const struct match_cand *v, int n, long long enrollment_id)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].enrollment_id == enrollment_id)
			return i;
	return -1;
}

/*
 * Keep the largest share above 0 not yet taken as r->v[r->n]: criterion k
 * (labels[k]) or, k = n, the coordinator's bonus.
 */
static bool
take_best(struct ops_reasons *r, char **labels, double *points, size_t n)
{
	size_t i, best = n + 1;

	for (i = 0; i <= n; i++)
		if (points[i] > 0.005 && (best > n || points[i] > points[best]))
			best = i;
	if (best > n)
		return false;
	r->v[r->n].criterion = xstrdup(best < n ? labels[best] : "bonus");
	r->v[r->n].points = points[best];
	r->n++;
	points[best] = 0;
	return true;
}

int
ops_pairing_reasons(const struct ops_ctx *o, long long pairing_id,
    size_t max, struct ops_reasons *r, struct error *err)
{
	struct pairing_rec rec;
	struct program *p = NULL;
	struct match_pool pool;
	struct match_load ld;
	struct score_table t = SCORE_TABLE_INIT;
	struct score_input in;
	struct score_detail d;
	struct error lerr = ERROR_INIT;
	char **labels = NULL;
	double *contrib = NULL, *points = NULL;
	size_t nc = 0, k;
	int mi, ei, rc = -1;

	memset(r, 0, sizeof *r);
	memset(&pool, 0, sizeof pool);
	if (store_pairing_get(o->db, pairing_id, &rec, err) != 0)
		return -1;
	if (ops_program_load_as_of(o, rec.program_id, rec.proposed_on, &p,
	    &r->version, &lerr) != 0) {
		rc = lerr.code == EX_DATAERR ? 0 : error_set(err, lerr.code,
		    "%s", lerr.msg);
		goto out;
	}
	if (p->format == FORMAT_FLASH || p->format == FORMAT_ROTATIONAL) {
		rc = 0;
		goto out;
	}
	memset(&ld, 0, sizeof ld);
	ld.program_id = rec.program_id;
	ld.program = p;
	ld.today = rec.proposed_on;
	ld.mentor_email = rec.mentor_email;
	ld.mentee_email = rec.mentee_email;
	ld.before_pairing = rec.id;
	if (store_match_load(o->db, &ld, &pool, err) != 0)
		goto out;
	mi = cand_index(pool.mentors, pool.nmentors, rec.mentor_enrollment_id);
	ei = cand_index(pool.mentees, pool.nmentees, rec.mentee_enrollment_id);
	if (mi < 0 || ei < 0) {
		rc = 0;
		goto out;
	}
	match_pool_input(&pool, p, rec.proposed_on, &in);
	if (score_build(&in, &t, err) != 0)
		goto out;
	nc = p->matching.ncriteria;
	contrib = xcalloc(nc + 1, sizeof *contrib);
	points = xcalloc(nc + 1, sizeof *points);
	labels = match_labels(p);
	score_explain(&t, ei, mi, contrib, &d);
	for (k = 0; k < nc; k++)
		points[k] = match_points(p, k, contrib[k]);
	points[nc] = d.bonus / 100.0;
	r->scored = true;
	r->score = d.score / 100.0;
	r->v = xcalloc(max ? max : 1, sizeof *r->v);
	while (r->n < max && take_best(r, labels, points, nc))
		;
	rc = 0;
out:
	error_clear(&lerr);
	free(contrib);
	free(points);
	match_labels_free(labels, nc);
	score_table_free(&t);
	match_pool_free(&pool);
	program_free(p);
	pairing_rec_free(&rec);
	return rc;
}

void
ops_reasons_free(struct ops_reasons *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		free(r->v[i].criterion);
	free(r->v);
	memset(r, 0, sizeof *r);
}
