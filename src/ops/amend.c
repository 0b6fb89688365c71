/*
 * Corrections after a mistake: an ended or declined pairing's reason
 * (`end --amend`, `decline --amend`) and expired proposals revived
 * (`pair --revive`, one or a file of them, all or nothing).
 */
#include "ops/amend.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/match_pool.h"
#include "core/program.h"
#include "io/csv_named.h"
#include "ops/pairing.h"
#include "ops/people.h"
#include "ops_int.h"
#include "store/match_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- end --amend, decline --amend ---- */

static const char *
day_text(int day, char *buf)
{
	return day == DATE_NONE ? "?" : date_format(day, buf);
}

void
ops_amend_free(struct ops_amend *a)
{
	if (a == NULL)
		return;
	pairing_rec_free(&a->before);
}

/* Pairing r is not `want` (ended or declined): say what it is. */
static int
not_amendable(const struct pairing_rec *r, enum pairing_status want,
    struct error *err)
{
	char d[DATE_BUFSZ];

	if (r->status == PAIRING_ENDED)
		return error_set(err, EX_DATAERR, "pairing %lld ended on %s, it "
		    "was not declined; correct its reason with 'mentorctl end "
		    "%lld --reason TEXT --amend'", r->id, day_text(r->ended_on, d),
		    r->id);
	if (r->status == PAIRING_DECLINED)
		return error_set(err, EX_DATAERR, "pairing %lld was declined on "
		    "%s, it did not end; correct its reason with 'mentorctl "
		    "decline %lld --reason TEXT --amend'", r->id,
		    day_text(r->declined_on, d), r->id);
	return error_set(err, EX_DATAERR, "pairing %lld is %s, not %s: "
	    "--amend corrects the reason of a pairing that was %s", r->id,
	    pairing_status_name(r->status), pairing_status_name(want),
	    want == PAIRING_ENDED ? "ended" : "declined");
}

int
ops_amend_reason(const struct ops_ctx *o, long long id,
    enum pairing_status status, const char *reason, struct ops_amend *a,
    struct error *err)
{
	struct pairing_rec *r = &a->before;
	const char *old;

	memset(a, 0, sizeof *a);
	if (ops_blank(reason))
		return error_set(err, EX_USAGE, "correcting a reason needs the "
		    "new one (--reason TEXT)");
	if (ops_expire(o, NULL, err) != 0 ||
	    store_pairing_get(o->db, id, r, err) != 0)
		return -1;
	if (r->status != status)
		return not_amendable(r, status, err);
	old = status == PAIRING_ENDED ? r->end_reason : r->decline_reason;
	if (old != NULL && strcmp(old, reason) == 0) {
		a->unchanged = true;
		return 0;
	}
	return store_pairing_amend_reason(o->db, id, status, old, reason, err);
}

/* ---- pair --revive ---- */

void
ops_revive_free(struct ops_revive *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].mentor_email);
		free(r->v[i].mentee_email);
	}
	free(r->v);
	diags_free(&r->problems);
	memset(r, 0, sizeof *r);
}

/* A problem of request q: "FILE:LINE: column: what" (without file, "what"). */
static void problem(struct ops_revive *r, const char *file,
    const struct ops_revive_req *q, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
problem(struct ops_revive *r, const char *file,
    const struct ops_revive_req *q, const char *col, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (file != NULL)
		strbuf_addf(&sb, "%s: ", col);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diags_add(&r->problems, file, file ? (int)q->line : 0, 0, "%s",
	    sb.buf);
	strbuf_release(&sb);
}

/* The mentor's places and the mentee's open pairing, for pairing rec. */
static int
check_places(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *file,
    const struct ops_revive_req *q, const struct pairing_rec *rec,
    struct ops_revive *r, struct error *err)
{
	struct match_pool pool = MATCH_POOL_INIT;
	struct error why = ERROR_INIT;
	const struct match_cand *m, *e;
	struct match_load ld;
	int more = 0, places;
	size_t i;

	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = o->today;
	ld.flags = MATCH_LOAD_PENDING;
	ld.mentor_email = rec->mentor_email;
	ld.mentee_email = rec->mentee_email;
	if (store_match_load(o->db, &ld, &pool, err) != 0) {
		match_pool_free(&pool);
		return -1;
	}
	if (pool.nmentors == 0 || pool.nmentees == 0) {
		store_match_why_not(o->db, program_id, p->slug, pool.nmentors ?
		    rec->mentee_email : rec->mentor_email, pool.nmentors ?
		    ROLE_MENTEE : ROLE_MENTOR, &why);
		problem(r, file, q, pool.nmentors ? "mentee_email" :
		    "mentor_email", "pairing %lld: %s", rec->id, why.msg ?
		    why.msg : "not a candidate");
		error_clear(&why);
		match_pool_free(&pool);
		return 0;
	}
	m = &pool.mentors[0];
	e = &pool.mentees[0];
	for (i = 0; i < r->n; i++) {
		if (strcasecmp(r->v[i].mentor_email, m->email) == 0)
			more++;
		if (strcasecmp(r->v[i].mentee_email, e->email) == 0)
			break;
	}
	places = match_cand_free_places(m) - more;
	if (e->open_pairing > 0)
		problem(r, file, q, "mentee_email", "mentee '%s' has pairing "
		    "%lld already; pairing %lld cannot be revived", e->email,
		    e->open_pairing, rec->id);
	else if (i < r->n)
		problem(r, file, q, "mentee_email", "mentee '%s' gets pairing "
		    "%lld back already; pairing %lld cannot be revived too",
		    e->email, r->v[i].id, rec->id);
	else if (places <= 0)
		problem(r, file, q, "mentor_email", "mentor '%s' has no place "
		    "left for pairing %lld (capacity %d, %d open pairing%s%s)",
		    m->email, rec->id, m->capacity, m->used + more,
		    m->used + more == 1 ? "" : "s", more > 0 ?
		    " with those revived above" : "");
	else {
		struct ops_revived *v = &r->v[r->n++];

		v->id = rec->id;
		v->mentor_email = xstrdup(m->email);
		v->mentee_email = xstrdup(e->email);
		v->score = rec->score;
		v->group_id = rec->group_id;
		v->expired_on = rec->expires_on;
	}
	match_pool_free(&pool);
	return 0;
}

/* Check request q: a problem, or one more in r->v; -1 on a store failure. */
static int
check_one(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *file,
    const struct ops_revive_req *q, struct ops_revive *r, struct error *err)
{
	const char *col = q->pairing_id > 0 ? "pairing_id" : "mentee_email";
	struct pairing_rec rec;
	long long id = q->pairing_id;
	char d[DATE_BUFSZ];
	size_t i;
	int rc = 0;

	if (id == 0) {
		if (store_pairing_find(o->db, program_id, q->mentor_email,
		    q->mentee_email, &id, err) != 0)
			return -1;
		if (id == 0) {
			problem(r, file, q, col, "no proposal of mentor '%s' to "
			    "mentee '%s' in '%s'", q->mentor_email,
			    q->mentee_email, p->slug);
			return 0;
		}
	}
	if (store_pairing_get(o->db, id, &rec, err) != 0) {
		if (err->code != EX_DATAERR)
			return -1;
		problem(r, file, q, col, "unknown pairing %lld", id);
		return 0;
	}
	for (i = 0; i < r->n && r->v[i].id != id; i++)
		;
	if (rec.program_id != program_id)
		problem(r, file, q, col, "pairing %lld is of programme '%s', not "
		    "'%s'", id, rec.program, p->slug);
	else if (rec.status == PAIRING_PROPOSED && rec.proposed_on > o->today)
		problem(r, file, q, col, "pairing %lld is planned from %s, not "
		    "an expired proposal", id, day_text(rec.proposed_on, d));
	else if (rec.status != PAIRING_EXPIRED)
		problem(r, file, q, col, "pairing %lld is %s, not an expired "
		    "proposal", id, pairing_status_name(rec.status));
	else if (i < r->n)
		problem(r, file, q, col, "pairing %lld is named twice", id);
	else
		rc = check_places(o, program_id, p, file, q, &rec, r, err);
	pairing_rec_free(&rec);
	return rc;
}

/* Check req[n] into r (problems kept from before), then write them all. */
static int
revive(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *file,
    const struct ops_revive_req *req, size_t n, struct ops_revive *r,
    struct error *err)
{
	size_t i;

	if (p->format == FORMAT_ROTATIONAL)
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "its rotation is planned by 'mentorctl match %s', not "
		    "revived", p->slug, program_format_name(p->format), p->slug);
	if (ops_expire(o, NULL, err) != 0)
		return -1;
	ops_proposal_terms(p, o->today, &r->expires_on, &r->active);
	r->v = xcalloc(n ? n : 1, sizeof *r->v);
	for (i = 0; i < n; i++)
		if (check_one(o, program_id, p, file, &req[i], r, err) != 0)
			return -1;
	if (r->problems.n > 0)
		return ops_diags_fail(&r->problems, file ? file : "revive",
		    "revived", err);
	if (r->n == 0)
		return error_set(err, EX_DATAERR, "%s: no rows: nothing to "
		    "revive", file ? file : "revive");
	for (i = 0; i < r->n; i++) {
		if (store_pairing_revive(o->db, r->v[i].id, r->v[i].expired_on,
		    r->expires_on, err) != 0)
			return -1;
		if (r->active && store_pairing_activate(o->db, r->v[i].id,
		    o->today, err) != 0)
			return -1;
	}
	return 0;
}

int
ops_revive(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *file,
    const struct ops_revive_req *req, size_t n, struct ops_revive *r,
    struct error *err)
{
	memset(r, 0, sizeof *r);
	return revive(o, program_id, p, file, req, n, r, err);
}

/* A pairing id cell: a positive integer, or 0. */
static long long
parse_id(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return 0;
	return v;
}

int
ops_revive_csv(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *path, struct ops_revive *r,
    struct error *err)
{
	struct ops_revive_req *req = NULL, *q;
	struct csv_named *c;
	const char *name, *id, *m, *e;
	char **keep = NULL;
	size_t n = 0, cap = 0, nkeep = 0, kcap = 0, i;
	int cid, cm, ce, rc = -1, more;

	memset(r, 0, sizeof *r);
	if ((c = csv_named_open(path, err)) == NULL)
		return -1;
	name = csv_named_name(c);
	cid = csv_named_col(c, "pairing_id");
	cm = csv_named_col(c, "mentor_email");
	ce = csv_named_col(c, "mentee_email");
	if (cid < 0 && (cm < 0 || ce < 0)) {
		error_set(err, EX_DATAERR, "%s:1: the columns must be "
		    "mentor_email and mentee_email, or pairing_id", name);
		goto out;
	}
	while ((more = csv_named_next(c, err)) == 1) {
		struct ops_revive_req row = { csv_named_line(c), 0, NULL, NULL };

		id = csv_named_get(c, cid);
		m = csv_named_get(c, cm);
		e = csv_named_get(c, ce);
		if (id != NULL && *id != '\0') {
			if ((row.pairing_id = parse_id(id)) == 0) {
				problem(r, name, &row, "pairing_id", "'%s' is not "
				    "a pairing id", id);
				continue;
			}
		} else if (m == NULL || *m == '\0' || e == NULL || *e == '\0') {
			problem(r, name, &row, m == NULL || *m == '\0' ?
			    "mentor_email" : "mentee_email", "empty (give "
			    "mentor_email and mentee_email, or pairing_id)");
			continue;
		} else {
			XGROW(keep, nkeep + 2, kcap);
			row.mentor_email = keep[nkeep++] = xstrdup(m);
			row.mentee_email = keep[nkeep++] = xstrdup(e);
		}
		XGROW(req, n + 1, cap);
		q = &req[n++];
		*q = row;
	}
	if (more < 0) {
		if (err->code != EX_DATAERR)
			goto out;
		/* The rest of the file is unread: report what was found. */
		diags_add(&r->problems, NULL, INT_MAX, 0, "%s", err->msg);
		ops_diags_fail(&r->problems, name, "revived", err);
		goto out;
	}
	rc = revive(o, program_id, p, name, req, n, r, err);
out:
	for (i = 0; i < nkeep; i++)
		free(keep[i]);
	free(keep);
	free(req);
	csv_named_close(c);
	return rc;
}
