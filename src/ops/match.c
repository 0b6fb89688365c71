/*
 * Matching's use cases: load the pool (store), score and plan it (core),
 * and for `match` store the proposals through ops_propose.
 */
#include "ops/match.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "ops/pairing.h"
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
