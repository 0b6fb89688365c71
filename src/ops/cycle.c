/*
 * Cycles: start and close, by the dates core/cycle.h computes and the
 * re-up answers.
 */
#include "ops/cycle.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/program.h"
#include "util/xmalloc.h"

static int
cycle_require(const struct program *p, struct error *err)
{
	if (!p->cycle.present)
		return error_set(err, EX_DATAERR, "programme '%s' has no cycle: "
		    "block (add one with 'mentorctl program update')", p->slug);
	return 0;
}

int
ops_cycle_start(const struct ops_ctx *o, long long program_id,
    const struct program *p, int on, struct ops_cycle_start *r,
    struct error *err)
{
	struct cycle_row last, open;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	long long id;
	int rc, has_last, start = on;

	memset(r, 0, sizeof *r);
	if (p->format == FORMAT_ROTATIONAL) {
		r->rotation = true;
		return ops_rotation_start(o, program_id, p, on, &r->period, err);
	}
	if (cycle_require(p, err) != 0)
		return -1;
	if ((rc = store_cycle_open(o->db, program_id, &open, err)) < 0)
		return -1;
	if (rc == 1)
		return error_set(err, EX_DATAERR, "cycle %d of '%s' is open (%s "
		    "to %s); close it first with 'mentorctl cycle close %s'",
		    open.d.number, p->slug, date_format(open.d.starts_on, b1),
		    date_format(cycle_last_day(&open.d), b2), p->slug);
	if ((has_last = store_cycle_last(o->db, program_id, &last, err)) < 0)
		return -1;
	if (start == DATE_NONE) {
		if (has_last)
			start = last.d.ends_on;
		else if (p->cycle.start != DATE_NONE)
			start = p->cycle.start;
		else
			start = o->today;
	} else if (has_last && start < last.d.ends_on) {
		return error_set(err, EX_DATAERR, "cycle %d cannot start on %s: "
		    "cycle %d runs until %s (its last day)", last.d.number + 1,
		    date_format(start, b1), last.d.number,
		    date_format(cycle_last_day(&last.d), b2));
	}
	if (cycle_dates(&p->cycle, has_last ? last.d.number + 1 : 1, start,
	    &r->cd, err) != 0)
		return -1;
	/* A default start that lies a whole cycle back is a forgotten --on. */
	if (on == DATE_NONE && r->cd.ends_on <= o->today)
		return error_set(err, EX_DATAERR, "cycle %d would run from %s to "
		    "%s, which is over; give the start with --on DATE",
		    r->cd.number, date_format(r->cd.starts_on, b1),
		    date_format(cycle_last_day(&r->cd), b2));
	return store_cycle_start(o->db, program_id, &r->cd, &id, &r->attached,
	    err);
}

void
ops_cycle_close_free(struct ops_cycle_close *r)
{
	if (r == NULL)
		return;
	cycle_members_free(r->v, r->n);
	r->v = NULL;
	r->n = 0;
	ops_rotation_close_free(&r->period);
}

int
ops_cycle_close(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool force, bool dry, struct ops_cycle_close *r,
    struct error *err)
{
	char b1[DATE_BUFSZ];
	long long next_id = 0;
	size_t i;
	int rc;

	memset(r, 0, sizeof *r);
	r->dry = dry;
	if (p->format == FORMAT_ROTATIONAL) {
		r->rotation = true;
		return ops_rotation_close(o, program_id, p, force, &r->period,
		    err);
	}
	if (cycle_require(p, err) != 0)
		return -1;
	if ((rc = store_cycle_open(o->db, program_id, &r->closed, err)) < 0)
		return -1;
	if (rc == 0)
		return error_set(err, EX_DATAERR, "programme '%s' has no open "
		    "cycle", p->slug);
	if (!dry && o->today <= r->closed.d.reup_closes_on && !force)
		return error_set(err, EX_DATAERR, "the re-up window of cycle %d "
		    "is open until %s; close it after that day, or give --force "
		    "to decide now", r->closed.d.number,
		    date_format(r->closed.d.reup_closes_on, b1));
	if (store_cycle_members(o->db, r->closed.id, &r->v, &r->n, err) != 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		r->v[i].outcome = cycle_reup_outcome(r->v[i].mentor,
		    r->v[i].mentee, p->cycle.reup_default);
		if (r->v[i].outcome == CYCLE_OUTCOME_CONTINUE)
			r->continued++;
	}
	/*
	 * The next cycle follows on from the stored one, whatever the YAML's
	 * length says now that it may have changed: dates from cycle_next.
	 */
	if (r->continued > 0 && cycle_next(&p->cycle, &r->closed.d, &r->next,
	    err) != 0)
		return -1;
	r->next_opened = r->continued > 0;
	if (dry)
		return 0;
	return store_cycle_close(o->db, program_id, &r->closed, r->v, r->n,
	    o->today, r->continued > 0 ? &r->next : NULL, &next_id, err);
}
