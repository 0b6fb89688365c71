/*
 * Check-ins: one rule for the day, the numbering and the topic, for single
 * pairings and for circles.
 */
#include "ops/checkin.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/program.h"
#include "core/schedule.h"
#include "core/status.h"
#include "ops_int.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "store/pairing_store.h"
#include "store/rounds_store.h"
#include "util/xmalloc.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* The day itself: not in the future. */
static int
check_day(const struct ops_ctx *o, int on, struct error *err)
{
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];

	if (on == DATE_NONE)
		return error_set(err, EX_USAGE, "a check-in needs the day the "
		    "pair met");
	if (on > o->today)
		return error_set(err, EX_DATAERR, "check-in date %s is in the "
		    "future (today is %s)", date_format(on, b1),
		    date_format(o->today, b2));
	return 0;
}

static int
not_active(long long id, enum pairing_status s, struct error *err)
{
	return error_set(err, EX_DATAERR, "pairing %lld is %s, not active: "
	    "check-ins are for active pairings", id, pairing_status_name(s));
}

/* Meetings before `day`: the new one is meeting earlier + 1. */
static int
meeting_number(const int *days, size_t n, int day)
{
	size_t i;
	int earlier = 0;

	for (i = 0; i < n; i++)
		if (days[i] != DATE_NONE && days[i] < day)
			earlier++;
	return earlier + 1;
}

/* One meeting of pairing pr on req->on, existing: that day's check-in. */
struct logged {
	int meeting;
	const char *topic;         /* borrowed from req or p */
	long long checkin_id;
	bool has_next;
	struct sched_status next;
};

/*
 * circle > 0: a circle's meeting, number `circle` for every member (marked
 * with the circle's id); else the pairing's own meeting, numbered by its
 * days.
 */
static int
log_meeting(const struct ops_ctx *o, const struct program *p,
    const struct cycle_pairing *pr, const struct ops_checkin_req *req,
    long long existing, int circle, struct logged *l, struct error *err)
{
	struct checkin_in in;
	int *days = NULL;
	size_t ndays = 0;
	int rc = -1;

	memset(l, 0, sizeof *l);
	if (store_checkin_days(o->db, pr->id, &days, &ndays, err) != 0)
		return -1;
	l->meeting = circle > 0 ? circle : meeting_number(days, ndays,
	    req->on);
	/* a blank topic is the meeting's prompt, blank notes are none */
	l->topic = !ops_blank(req->topic) ? req->topic :
	    sched_prompt(&p->checkins, l->meeting);
	memset(&in, 0, sizeof in);
	in.pairing_id = pr->id;
	in.held_on = req->on;
	in.minutes = req->minutes;
	in.rating = req->rating;
	in.topic = l->topic;
	in.notes = ops_blank(req->notes) ? NULL : req->notes;
	in.recorded_by = o->actor;
	in.group_id = circle > 0 ? pr->group_id : 0;
	if (store_checkin_add(o->db, &in, existing, l->meeting, &l->checkin_id,
	    err) != 0)
		goto out;
	/* The clock after this meeting: a replaced day is already in days. */
	if (existing == 0) {
		days = xreallocarray(days, ndays + 1, sizeof *days);
		days[ndays++] = req->on;
	}
	l->has_next = p->checkins.present && p->checkins.every.n > 0 &&
	    sched_status(&p->checkins, cycle_pairing_anchor(pr), days, ndays,
	    o->today, &l->next, NULL) == 0;
	rc = 0;
out:
	free(days);
	return rc;
}

void
ops_checkin_free(struct ops_checkin *r)
{
	if (r == NULL)
		return;
	free(r->topic);
	free(r->next_prompt);
	r->topic = r->next_prompt = NULL;
}

int
ops_checkin(const struct ops_ctx *o, const struct ops_checkin_req *req,
    struct ops_checkin *r, struct error *err)
{
	struct cycle_pairing pr;
	struct program *p = NULL;
	struct logged l;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	long long existing = 0, pid;
	int rc = -1, has;

	memset(r, 0, sizeof *r);
	if (store_cycle_pairing(o->db, req->pairing_id, &pr, err) != 0)
		return -1;
	if (pr.status != PAIRING_ACTIVE) {
		not_active(pr.id, pr.status, err);
		goto out;
	}
	if (check_day(o, req->on, err) != 0)
		goto out;
	if (pr.activated_on != DATE_NONE && req->on < pr.activated_on) {
		error_set(err, EX_DATAERR, "check-in date %s is before pairing "
		    "%lld turned active on %s", date_format(req->on, b1), pr.id,
		    date_format(pr.activated_on, b2));
		goto out;
	}
	if ((has = store_checkin_on(o->db, pr.id, req->on, &existing,
	    err)) < 0)
		goto out;
	if (has == 1 && !req->replace) {
		error_set(err, EX_DATAERR, "pairing %lld has a check-in on %s "
		    "already; give --replace to overwrite it", pr.id,
		    date_format(req->on, b1));
		goto out;
	}
	if (ops_program_load(o, pr.program, &pid, &p, err) != 0 ||
	    log_meeting(o, p, &pr, req, existing, 0, &l, err) != 0)
		goto out;
	r->pairing_id = pr.id;
	r->checkin_id = l.checkin_id;
	r->meeting = l.meeting;
	r->held_on = req->on;
	r->minutes = req->minutes;
	r->rating = req->rating;
	r->topic = dup_or_null(l.topic);
	r->replaced = existing != 0;
	r->has_next = l.has_next;
	if (l.has_next) {
		r->next_meeting = l.next.next_number;
		r->next_due_on = l.next.due_on;
		r->next_prompt = dup_or_null(l.next.prompt);
	}
	rc = 0;
out:
	program_free(p);
	cycle_pairing_free(&pr);
	return rc;
}

/* ---- circles ---- */

void
ops_circle_checkin_free(struct ops_circle_checkin *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].mentee_email);
		free(r->v[i].topic);
	}
	free(r->v);
	free(r->mentor_email);
	free(r->topic);
	memset(r, 0, sizeof *r);
}

static int
circle_member(const struct ops_ctx *o, const struct program *p,
    const struct ops_checkin_req *req, long long id, int number,
    struct ops_circle_member *m, size_t *logged, struct error *err)
{
	struct cycle_pairing pr;
	struct logged l;
	long long existing = 0;
	int rc = -1, has;

	memset(m, 0, sizeof *m);
	m->pairing_id = id;
	m->next_due_on = DATE_NONE;
	if (store_cycle_pairing(o->db, id, &pr, err) != 0)
		return -1;
	m->mentee_email = xstrdup(pr.mentee_email);
	if (pr.activated_on != DATE_NONE && req->on < pr.activated_on) {
		m->outcome = OPS_MEMBER_JOINED_LATER;
		rc = 0;
		goto out;
	}
	if ((has = store_checkin_on(o->db, id, req->on, &existing, err)) < 0)
		goto out;
	if (has == 1 && !req->replace) {
		m->outcome = OPS_MEMBER_ALREADY;
		rc = 0;
		goto out;
	}
	if (log_meeting(o, p, &pr, req, existing, number, &l, err) != 0)
		goto out;
	m->outcome = existing ? OPS_MEMBER_REPLACED : OPS_MEMBER_LOGGED;
	m->meeting = l.meeting;
	m->topic = dup_or_null(l.topic);
	if (l.has_next)
		m->next_due_on = l.next.due_on;
	(*logged)++;
	rc = 0;
out:
	cycle_pairing_free(&pr);
	return rc;
}

int
ops_checkin_circle(const struct ops_ctx *o, const struct ops_checkin_req *req,
    struct ops_circle_checkin *r, struct error *err)
{
	struct pairing_rec pr;
	struct ops_checkin_req creq;
	struct program *p = NULL;
	const char *topic;
	long long pid, *ids = NULL;
	size_t n = 0, i, ndays = 0;
	int *days = NULL, rc = -1;

	memset(r, 0, sizeof *r);
	memset(&pr, 0, sizeof pr);
	if (check_day(o, req->on, err) != 0)
		return -1;
	if (store_pairing_get(o->db, req->pairing_id, &pr, err) != 0)
		return -1;
	if (pr.group_id <= 0) {
		error_set(err, EX_DATAERR, "pairing %lld is in no circle: --group "
		    "is for the pairings of a group programme", pr.id);
		goto out;
	}
	if (pr.status != PAIRING_ACTIVE) {
		not_active(pr.id, pr.status, err);
		goto out;
	}
	if (ops_program_load(o, pr.program, &pid, &p, err) != 0 ||
	    store_group_active(o->db, pr.program_id, pr.group_id, &ids, &n,
	    err) != 0)
		goto out;
	/* one meeting: its number among the circle's meetings, for everyone */
	if (store_circle_days(o->db, pr.program_id, pr.group_id, &days,
	    &ndays, err) != 0)
		goto out;
	for (i = 0; i < ndays; i++)
		if (days[i] < req->on)
			r->meeting++;
	r->meeting++;
	topic = !ops_blank(req->topic) ? req->topic :
	    sched_prompt(&p->checkins, r->meeting);
	r->topic = topic != NULL ? xstrdup(topic) : NULL;
	creq = *req;
	creq.topic = topic;
	r->group_id = pr.group_id;
	r->mentor_email = xstrdup(pr.mentor_email);
	r->held_on = req->on;
	r->minutes = req->minutes;
	r->rating = req->rating;
	r->v = xcalloc(n + 1, sizeof *r->v);
	for (i = 0; i < n; i++) {
		if (circle_member(o, p, &creq, ids[i], r->meeting, &r->v[i],
		    &r->logged, err) != 0) {
			r->n = i + 1;
			goto out;
		}
		r->n = i + 1;
	}
	rc = 0;
out:
	free(ids);
	free(days);
	pairing_rec_free(&pr);
	program_free(p);
	return rc;
}
