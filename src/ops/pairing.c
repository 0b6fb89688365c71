/*
 * The pairing life cycle by rule.  Who must accept is the programme's
 * `consent`; an unanswered proposal expires after `respond_within`, and each
 * writing use case here first marks the proposals that have.
 */
#include "ops/pairing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "core/score.h"
#include "ops_int.h"
#include "store/match_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

int
ops_expire(const struct ops_ctx *o, size_t *n, struct error *err)
{
	return store_pairing_expire(o->db, o->today, n, err);
}

void
ops_proposal_terms(const struct program *p, int day, int *expires_on,
    bool *activate)
{
	*activate = p->matching.consent == CONSENT_NONE;
	*expires_on = *activate ? DATE_NONE :
	    date_add_duration(day, p->matching.respond_within, 1);
}

int
ops_propose(const struct ops_ctx *o, long long program_id,
    const struct program *p, enum pairing_origin origin, const char *note,
    struct pairing_new *v, size_t n, struct error *err)
{
	struct pairing_propose pp;

	memset(&pp, 0, sizeof pp);
	pp.program_id = program_id;
	pp.origin = origin;
	pp.today = o->today;
	pp.note = note;
	ops_proposal_terms(p, o->today, &pp.expires_on, &pp.activate);
	return store_pairing_propose(o->db, &pp, v, n, err);
}

/* ---- pair ---- */

/*
 * Every scoring rule the pair breaks, not only the first: score_explain
 * names the first rule in its order, so each one found is switched off in
 * a copy of the programme and the pair scored again (at most once per
 * rule).  *score is the formula's score.
 */
static int
scoring_breaches(const struct match_pool *pool, const struct program *p,
    int day, const char *const *labels, struct strbuf *sb, int *score,
    struct error *err)
{
	struct match_criterion *crit;
	struct score_table t = SCORE_TABLE_INIT;
	struct score_detail d;
	struct score_input in;
	struct program q = *p;
	char *text;
	int round, rc = 0;

	crit = xcalloc(p->matching.ncriteria ? p->matching.ncriteria : 1,
	    sizeof *crit);
	if (p->matching.ncriteria > 0)
		memcpy(crit, p->matching.criteria, p->matching.ncriteria *
		    sizeof *crit);
	q.matching.criteria = crit;
	match_pool_input(pool, &q, day, &in);
	*score = 0;
	for (round = 0; round < 8 + (int)p->matching.ncriteria; round++) {
		if (score_build(&in, &t, err) != 0) {
			rc = -1;
			break;
		}
		score_explain(&t, 0, 0, NULL, &d);
		score_table_free(&t);
		if (round == 0)
			*score = d.score;
		if (d.verdict == SCORE_ALLOWED)
			break;
		text = match_rule_text(pool, p, labels, &d, 0, 0);
		strbuf_addf(sb, "%s%s", sb->len ? "; " : "", text);
		free(text);
		if (d.verdict == SCORE_EXCLUDED_PAIR)
			in.nexcluded = 0;
		else if (d.verdict == SCORE_MANAGER_LINE)
			q.matching.exclude &= ~(unsigned)EXCLUDE_SAME_MANAGER_LINE;
		else if (d.verdict == SCORE_SAME_DEPARTMENT)
			q.matching.exclude &= ~(unsigned)EXCLUDE_SAME_DEPARTMENT;
		else if (d.verdict == SCORE_FORMAT_RULE)
			q.format = FORMAT_ONE_TO_ONE;
		else if (d.verdict == SCORE_REQUIRED && d.criterion >= 0)
			crit[d.criterion].required = false;
		else if (d.verdict == SCORE_BELOW_MIN)
			q.matching.min_score = 0;
		else
			break;          /* the same person: check_pair refused it */
	}
	free(crit);
	return rc;
}

/* The rules a manual pair breaks, "; "-separated into sb. */
static int
pair_breaches(const struct match_pool *pool, const struct program *p,
    int day, const char *const *labels, struct strbuf *sb, int *score,
    struct error *err)
{
	const struct match_cand *m = &pool->mentors[0], *e = &pool->mentees[0];
	int n, max;

	if (m->status == ENROLLMENT_PENDING)
		strbuf_addf(sb, "%smentor not eligible (pending%s%s)",
		    sb->len ? "; " : "", m->reason ? ": " : "",
		    m->reason ? m->reason : "");
	if (e->status == ENROLLMENT_PENDING)
		strbuf_addf(sb, "%smentee not eligible (pending%s%s)",
		    sb->len ? "; " : "", e->reason ? ": " : "",
		    e->reason ? e->reason : "");
	if (e->open_pairing > 0)
		strbuf_addf(sb, "%smentee has pairing %lld already",
		    sb->len ? "; " : "", e->open_pairing);
	if (scoring_breaches(pool, p, day, labels, sb, score, err) != 0)
		return -1;
	n = match_group_same_department(pool, p, 0, 0);
	max = p->group.max_per_department > 0 ? p->group.max_per_department : 1;
	if (n >= max)
		strbuf_addf(sb, "%sgroup rule (the group has %d mentee%s of "
		    "department '%s' already)", sb->len ? "; " : "", n,
		    n == 1 ? "" : "s", pool->people[e->person].department);
	return 0;
}

/* What no pair may break, --force or not. */
static int
check_pair(const struct match_pool *pool, struct error *err)
{
	const struct match_cand *m, *e;
	const struct match_excl *x;

	m = &pool->mentors[0];
	e = &pool->mentees[0];
	if (m->person == e->person)
		return error_set(err, EX_DATAERR, "cannot pair '%s' with themself",
		    m->email);
	for (x = match_pool_excl(pool, 0, 0); x && x < pool->excl + pool->nexcl &&
	    x->mentee == 0 && x->mentor == 0; x++)
		if (x->kind == MATCH_EXCL_PAIRED)
			return error_set(err, EX_DATAERR, "pairing %lld pairs "
			    "mentor '%s' with mentee '%s' already",
			    x->pairing_id, m->email, e->email);
	if (match_cand_free_places(m) == 0)
		return error_set(err, EX_DATAERR, "mentor '%s' has no place left "
		    "(capacity %d, %d open pairing%s); capacity is never "
		    "exceeded, even with --force", m->email, m->capacity, m->used,
		    m->used == 1 ? "" : "s");
	return 0;
}

int
ops_pair(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_pair *req, struct error *err)
{
	struct match_pool pool = MATCH_POOL_INIT;
	struct strbuf breaches = STRBUF_INIT;
	struct match_load ld;
	char **labels = NULL, *note = NULL;
	int rc = -1, score;

	if (p->format == FORMAT_ROTATIONAL)
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "its rotation is planned by 'mentorctl match %s', not "
		    "paired", p->slug, program_format_name(p->format), p->slug);
	if (ops_expire(o, NULL, err) != 0)
		return -1;
	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = o->today;
	ld.flags = MATCH_LOAD_PENDING;
	ld.mentor_email = req->mentor_email;
	ld.mentee_email = req->mentee_email;
	if (store_match_load(o->db, &ld, &pool, err) != 0)
		goto out;
	if (pool.nmentors == 0 || pool.nmentees == 0) {
		store_match_why_not(o->db, program_id, p->slug, pool.nmentors ?
		    req->mentee_email : req->mentor_email, pool.nmentors ?
		    ROLE_MENTEE : ROLE_MENTOR, err);
		goto out;
	}
	if (check_pair(&pool, err) != 0)
		goto out;
	labels = match_labels(p);
	if (pair_breaches(&pool, p, o->today, (const char *const *)labels,
	    &breaches, &score, err) != 0)
		goto out;
	if (breaches.len > 0 && !req->force) {
		error_set(err, EX_DATAERR, "cannot pair mentor '%s' with mentee "
		    "'%s': %s (--force pairs them anyway)", pool.mentors[0].email,
		    pool.mentees[0].email, breaches.buf);
		goto out;
	}
	if (breaches.len > 0) {
		req->breaches = xstrdup(breaches.buf);
		note = xstrfmt("forced despite: %s", breaches.buf);
	}
	req->mentor = xstrdup(pool.mentors[0].email);
	req->mentee = xstrdup(pool.mentees[0].email);
	memset(&req->made, 0, sizeof req->made);
	req->made.mentor_enrollment_id = pool.mentors[0].enrollment_id;
	req->made.mentee_enrollment_id = pool.mentees[0].enrollment_id;
	req->made.mentor_email = req->mentor;
	req->made.mentee_email = req->mentee;
	req->made.group_id = p->format == FORMAT_GROUP ?
	    req->made.mentor_enrollment_id : 0;
	req->made.score = score;
	ops_proposal_terms(p, o->today, &req->expires_on, &req->active);
	rc = ops_propose(o, program_id, p, PAIRING_ORIGIN_MANUAL, note,
	    &req->made, 1, err);
out:
	match_labels_free(labels, p->matching.ncriteria);
	strbuf_release(&breaches);
	free(note);
	match_pool_free(&pool);
	return rc;
}

void
ops_pair_free(struct ops_pair *r)
{
	if (r == NULL)
		return;
	free(r->mentor);
	free(r->mentee);
	free(r->breaches);
	r->mentor = r->mentee = r->breaches = NULL;
}

/* ---- accept, decline, end ---- */

void
ops_answer_free(struct ops_answer *a)
{
	if (a == NULL)
		return;
	pairing_rec_free(&a->before);
}

static const char *
day_text(int day, char *buf)
{
	return day == DATE_NONE ? "?" : date_format(day, buf);
}

/* Load pairing id after marking expired proposals. */
static int
load(const struct ops_ctx *o, long long id, struct ops_answer *a,
    struct error *err)
{
	memset(a, 0, sizeof *a);
	if (ops_expire(o, NULL, err) != 0)
		return -1;
	return store_pairing_get(o->db, id, &a->before, err);
}

/* The side `by` names: PAIRING_SIDE_*, 0 for nobody (the coordinator), -1. */
static int
by_side(const struct pairing_rec *r, const char *by, struct error *err)
{
	if (by == NULL)
		return 0;
	if (strcasecmp(by, r->mentor_email) == 0)
		return PAIRING_SIDE_MENTOR;
	if (strcasecmp(by, r->mentee_email) == 0)
		return PAIRING_SIDE_MENTEE;
	return error_set(err, EX_DATAERR, "'%s' is neither the mentor nor the "
	    "mentee of pairing %lld (mentor %s, mentee %s)", by, r->id,
	    r->mentor_email, r->mentee_email);
}

/* A pairing that is no longer a proposal cannot be `verb`: say why. */
static int
not_proposed(const struct pairing_rec *r, const char *verb, struct error *err)
{
	char d[DATE_BUFSZ];

	switch (r->status) {
	case PAIRING_EXPIRED:
		return error_set(err, EX_DATAERR, "proposal %lld expired on %s "
		    "(unanswered); it cannot be %s", r->id,
		    day_text(r->expires_on, d), verb);
	case PAIRING_DECLINED:
		return error_set(err, EX_DATAERR, "pairing %lld was declined on "
		    "%s%s%s; it cannot be %s", r->id, day_text(r->declined_on, d),
		    r->declined_by ? " by " : "", r->declined_by ?
		    r->declined_by : "", verb);
	case PAIRING_ENDED:
		return error_set(err, EX_DATAERR, "pairing %lld ended on %s; it "
		    "cannot be %s", r->id, day_text(r->ended_on, d), verb);
	default:
		return 0;
	}
}

/* Whether consent is complete with these acceptances. */
static bool
consent_complete(const struct program *p, bool mentor_ok, bool mentee_ok)
{
	switch (p->matching.consent) {
	case CONSENT_BOTH:
		return mentor_ok && mentee_ok;
	case CONSENT_MENTEE:
		return mentee_ok;
	default:
		return true;
	}
}

int
ops_accept(const struct ops_ctx *o, long long id, const char *by,
    struct ops_answer *a, struct error *err)
{
	struct pairing_rec *r = &a->before;
	struct program *p = NULL;
	long long program_id;
	unsigned now;
	bool activate, waiting;
	int side, rc = -1;

	if (load(o, id, a, err) != 0)
		return -1;
	a->mentor_ok = r->mentor_accepted_on != DATE_NONE;
	a->mentee_ok = r->mentee_accepted_on != DATE_NONE;
	if (r->status == PAIRING_ACTIVE) {
		a->outcome = OPS_ANSWER_UNCHANGED;
		return 0;
	}
	if (not_proposed(r, "accepted", err) != 0)
		return -1;
	if ((side = by_side(r, by, err)) < 0)
		return -1;
	if (ops_program_load(o, r->program, &program_id, &p, err) != 0)
		return -1;
	if (side > 0)
		a->sides = (unsigned)side;
	else if (p->matching.consent == CONSENT_BOTH)
		a->sides = PAIRING_SIDE_MENTOR | PAIRING_SIDE_MENTEE;
	else if (p->matching.consent == CONSENT_MENTEE)
		a->sides = PAIRING_SIDE_MENTEE;
	/* only the answers not recorded yet */
	now = a->sides;
	if (a->mentor_ok)
		now &= ~(unsigned)PAIRING_SIDE_MENTOR;
	if (a->mentee_ok)
		now &= ~(unsigned)PAIRING_SIDE_MENTEE;
	if (now != 0 && store_pairing_accept(o->db, r->id, now, o->today,
	    by ? by : o->actor, err) != 0)
		goto out;
	a->mentor_ok = a->mentor_ok || (a->sides & PAIRING_SIDE_MENTOR);
	a->mentee_ok = a->mentee_ok || (a->sides & PAIRING_SIDE_MENTEE);
	activate = consent_complete(p, a->mentor_ok, a->mentee_ok);
	/* A later rotation period's pairing waits for its period. */
	waiting = activate;
	if (activate && ops_period_gate(o, p, program_id, r->slot,
	    &activate, err) != 0)
		goto out;
	if (activate && store_pairing_activate(o->db, r->id, o->today,
	    err) != 0)
		goto out;
	if (activate)
		a->outcome = OPS_ANSWER_ACTIVE;
	else if (waiting)
		a->outcome = OPS_ANSWER_WAITING;
	else
		a->outcome = now == 0 ? OPS_ANSWER_UNCHANGED :
		    OPS_ANSWER_RECORDED;
	rc = 0;
out:
	program_free(p);
	return rc;
}

int
ops_decline(const struct ops_ctx *o, long long id, const char *by,
    const char *reason, struct ops_answer *a, struct error *err)
{
	struct pairing_rec *r = &a->before;
	int side;

	if (load(o, id, a, err) != 0)
		return -1;
	if (r->status == PAIRING_DECLINED) {
		a->outcome = OPS_ANSWER_UNCHANGED;
		return 0;
	}
	if (r->status == PAIRING_ACTIVE)
		return error_set(err, EX_DATAERR, "pairing %lld is active; end "
		    "it with 'mentorctl end %lld --reason TEXT'", r->id, r->id);
	if (not_proposed(r, "declined", err) != 0)
		return -1;
	if ((side = by_side(r, by, err)) < 0)
		return -1;
	a->sides = (unsigned)side;
	if (store_pairing_decline(o->db, r->id, o->today,
	    side == PAIRING_SIDE_MENTOR ? r->mentor_email :
	    side == PAIRING_SIDE_MENTEE ? r->mentee_email : o->actor, reason,
	    err) != 0)
		return -1;
	a->outcome = OPS_ANSWER_DECLINED;
	return 0;
}

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

int
ops_end(const struct ops_ctx *o, long long id, const char *reason,
    struct ops_answer *a, struct error *err)
{
	struct pairing_rec *r = &a->before;

	memset(a, 0, sizeof *a);
	if (blank(reason))
		return error_set(err, EX_USAGE, "ending a pairing needs a "
		    "reason: why it ends (--reason TEXT)");
	if (load(o, id, a, err) != 0)
		return -1;
	if (r->status == PAIRING_ENDED) {
		a->outcome = OPS_ANSWER_UNCHANGED;
		return 0;
	}
	if (r->status == PAIRING_PROPOSED || r->status == PAIRING_PLANNED) {
		/* never active, so not "ended": the proposal is withdrawn */
		if (store_pairing_decline(o->db, r->id, o->today, o->actor,
		    reason, err) != 0)
			return -1;
		a->outcome = OPS_ANSWER_WITHDRAWN;
		return 0;
	}
	if (not_proposed(r, "ended", err) != 0)
		return -1;
	if (store_pairing_end(o->db, r->id, o->today, reason, &a->released,
	    err) != 0)
		return -1;
	a->outcome = OPS_ANSWER_ENDED;
	return 0;
}
