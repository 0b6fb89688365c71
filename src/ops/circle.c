#include "ops/circle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "ops/pairing.h"
#include "ops_int.h"
#include "store/rounds_store.h"
#include "util/xmalloc.h"

void
ops_circle_mentor_free(struct ops_circle_mentor *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		free((char *)r->made[i].mentee_email);
	free(r->made);
	free(r->mentor);
	memset(r, 0, sizeof *r);
}

/* Whether the member moves with the circle. */
static bool
moves(const struct circle_row *x)
{
	if (!x->mentee_enrolled || x->mentee_open_elsewhere)
		return false;
	if (x->status == PAIRING_ACTIVE || x->status == PAIRING_PROPOSED)
		return true;
	/* its mentor left: the pairing ended (or was declined) with them */
	return (x->status == PAIRING_ENDED || x->status == PAIRING_DECLINED) &&
	    !x->mentor_enrolled;
}

static int
mentee_at(const struct match_pool *pool, long long enrollment_id)
{
	int i;

	for (i = 0; i < pool->nmentees; i++)
		if (pool->mentees[i].enrollment_id == enrollment_id)
			return i;
	return -1;
}

int
ops_circle_mentor(const struct ops_ctx *o, long long program_id,
    const struct program *p, long long group_id, const char *mentor_email,
    struct ops_circle_mentor *r, struct error *err)
{
	struct ops_cands c;
	struct circle_row *rows = NULL;
	struct match_load ld;
	struct score_input in;
	struct ops_answer a;
	char *note = NULL, *reason = NULL;
	size_t nrows = 0, i, members = 0;
	int places, rc = -1, k;

	memset(r, 0, sizeof *r);
	memset(&c, 0, sizeof c);
	r->old_group = group_id;
	if (p->format != FORMAT_GROUP)
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "circles (--group) are for group programmes", p->slug,
		    program_format_name(p->format));
	if (ops_expire(o, NULL, err) != 0 ||
	    store_circle_rows(o->db, program_id, group_id, &rows, &nrows,
	    err) != 0)
		return -1;
	if (nrows == 0) {
		error_set(err, EX_DATAERR, "programme '%s' has no circle %lld "
		    "(see the group_id column of 'mentorctl pairings %s')",
		    p->slug, group_id, p->slug);
		goto out;
	}
	for (i = 0; i < nrows; i++)
		members += moves(&rows[i]);
	if (members == 0) {
		error_set(err, EX_DATAERR, "circle %lld has no member left to "
		    "move (every mentee left or has another pairing)", group_id);
		goto out;
	}
	/* the new mentor, with the circle's mentees scored against them */
	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = o->today;
	ld.mentor_email = mentor_email;
	if (store_match_load(o->db, &ld, &c.pool, err) != 0)
		goto out;
	if (c.pool.nmentors == 0) {
		store_match_why_not(o->db, program_id, p->slug, mentor_email,
		    ROLE_MENTOR, err);
		goto out;
	}
	match_pool_input(&c.pool, p, o->today, &in);
	if (score_build(&in, &c.t, err) != 0)
		goto out;
	r->new_group = c.pool.mentors[0].enrollment_id;
	r->mentor = xstrdup(c.pool.mentors[0].email);
	if (r->new_group == group_id) {
		error_set(err, EX_DATAERR, "'%s' is circle %lld's mentor already",
		    r->mentor, group_id);
		goto out;
	}
	places = match_cand_free_places(&c.pool.mentors[0]);
	if ((size_t)places < members) {
		error_set(err, EX_DATAERR, "mentor '%s' has %d place%s left and "
		    "circle %lld has %zu member%s to move; capacity is never "
		    "exceeded", r->mentor, places, places == 1 ? "" : "s",
		    group_id, members, members == 1 ? "" : "s");
		goto out;
	}
	reason = xstrfmt("circle moved to mentor %s", r->mentor);
	r->made = xcalloc(members + 1, sizeof *r->made);
	for (i = 0; i < nrows; i++) {
		struct pairing_new *m;

		if (!moves(&rows[i]))
			continue;
		if (rows[i].status == PAIRING_ACTIVE ||
		    rows[i].status == PAIRING_PROPOSED) {
			if (ops_end(o, rows[i].pairing_id, reason, &a, err) != 0) {
				ops_answer_free(&a);
				goto out;
			}
			ops_answer_free(&a);
			r->ended += rows[i].status == PAIRING_ACTIVE;
		}
		m = &r->made[r->n++];
		m->mentor_enrollment_id = r->new_group;
		m->mentee_enrollment_id = rows[i].mentee_enrollment_id;
		m->mentor_email = r->mentor;
		m->mentee_email = xstrdup(rows[i].mentee_email);
		m->group_id = r->new_group;
		k = mentee_at(&c.pool, rows[i].mentee_enrollment_id);
		m->score = k >= 0 && c.t.score[(size_t)k * c.pool.nmentors] !=
		    MATCH_EXCLUDED ? c.t.score[(size_t)k * c.pool.nmentors] : 0;
	}
	note = xstrfmt("circle %lld moved to a new mentor", group_id);
	ops_proposal_terms(p, o->today, &r->expires_on, &r->active);
	rc = ops_propose(o, program_id, p, PAIRING_ORIGIN_MANUAL, note, r->made,
	    r->n, err);
out:
	free(note);
	free(reason);
	circle_rows_free(rows, nrows);
	ops_cands_free(&c);
	return rc;
}
