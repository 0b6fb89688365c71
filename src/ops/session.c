/*
 * Leader sessions by rule: who may sign up, who gets the seats, who is
 * invited and told, exactly once.
 */
#include "ops/session.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "core/token.h"
#include "io/invite.h"
#include "io/mail.h"
#include "ops/calendar.h"
#include "store/db.h"
#include "store/mail_store.h"
#include "util/tz.h"
#include "util/xmalloc.h"
#include "version.h"

#define SESSION_KEY_BUFSZ 32

static const char *
day_text(int day, char *buf)
{
	return day == DATE_NONE ? "?" : date_format(day, buf);
}

static const char *
or_email(const char *name, const char *email)
{
	return name != NULL && *name ? name : email;
}

/* The programme of a session, parsed. */
static int
session_program(const struct ops_ctx *o, const struct session_rec *s,
    struct program **p, struct error *err)
{
	long long id;

	return ops_program_load(o, s->program, &id, p, err);
}

/* A session's day has passed: nothing more to book. */
static int
session_over(const struct ops_ctx *o, const struct session_rec *s,
    const char *what, struct error *err)
{
	char d[DATE_BUFSZ];

	if (s->held_on >= o->today)
		return 0;
	return error_set(err, EX_DATAERR, "session %lld was on %s: %s is for "
	    "sessions to come", s->id, day_text(s->held_on, d), what);
}

/* ---- add ---- */

static int
year_bounds(int day, int *first, int *last)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	*first = date_from_ymd(y, 1, 1);
	*last = date_from_ymd(y, 12, 31);
	return y;
}

int
ops_session_add(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_session_add *req, struct error *err)
{
	struct audience_list who;
	struct session_rec *v = NULL;
	struct session_in in;
	size_t n = 0, i;
	int first, last, rc = -1;
	char d[DATE_BUFSZ];

	memset(&who, 0, sizeof who);
	if (!p->sessions.present)
		return error_set(err, EX_DATAERR, "programme '%s' has no sessions "
		    "block: add one to its YAML (e.g. 'sessions: { seats: 12, "
		    "per_leader_per_year: 2 }') and 'mentorctl program update'",
		    p->slug);
	req->seats_used = req->seats > 0 ? req->seats : p->sessions.seats;
	req->minutes_used = req->minutes > 0 ? req->minutes :
	    p->sessions.minutes;
	if (req->seats_used <= 0)
		return error_set(err, EX_USAGE, "session add needs --seats N "
		    "(programme '%s' has no sessions.seats)", p->slug);
	if (req->on == DATE_NONE)
		return error_set(err, EX_USAGE, "session add needs --on DATE");
	if (store_audience_load(o->db, program_id, true, req->leader_email,
	    &who, err) != 0)
		return -1;
	if (who.n == 0) {
		error_set(err, EX_DATAERR, "unknown leader '%s': a leader is a "
		    "person of the people table ('mentorctl people import')",
		    req->leader_email);
		goto out;
	}
	req->leader = xstrdup(who.v[0].email);
	req->leader_name = who.names[0] ? xstrdup(who.names[0]) : NULL;
	if (store_session_list(o->db, program_id, &v, &n, err) != 0)
		goto out;
	year_bounds(req->on, &first, &last);
	req->leader_year = 1;
	for (i = 0; i < n; i++) {
		if (v[i].leader_id != who.ids[0])
			continue;
		if (v[i].held_on == req->on && v[i].starts_at == req->at) {
			error_set(err, EX_DATAERR, "leader '%s' has session %lld "
			    "on %s at that time already", req->leader, v[i].id,
			    date_format(req->on, d));
			goto out;
		}
		if (v[i].held_on >= first && v[i].held_on <= last)
			req->leader_year++;
	}
	memset(&in, 0, sizeof in);
	in.program_id = program_id;
	in.leader_id = who.ids[0];
	in.held_on = req->on;
	in.starts_at = req->at;
	in.minutes = req->minutes_used;
	in.seats = req->seats_used;
	in.title = req->title;
	in.today = o->today;
	rc = store_session_add(o->db, &in, &req->id, err);
out:
	session_recs_free(v, n);
	audience_list_free(&who);
	return rc;
}

void
ops_session_add_free(struct ops_session_add *req)
{
	if (req == NULL)
		return;
	free(req->leader);
	free(req->leader_name);
	req->leader = req->leader_name = NULL;
}

/* ---- signup, cancel ---- */

void
ops_place_free(struct ops_place *r)
{
	if (r == NULL)
		return;
	session_rec_free(&r->session);
	free(r->email);
	free(r->name);
	free(r->outside);
	free(r->promoted);
	free(r->promoted_name);
	memset(r, 0, sizeof *r);
}

/* The person behind email with the audience's facts: 0, or -1 (unknown). */
static int
load_person(const struct ops_ctx *o, long long program_id, const char *email,
    struct audience_list *who, struct error *err)
{
	if (store_audience_load(o->db, program_id, true, email, who,
	    err) != 0)
		return -1;
	if (who->n == 0)
		return error_set(err, EX_DATAERR, "unknown person '%s' (see "
		    "'mentorctl people list')", email);
	return 0;
}

/* Where a sign-up goes now: signed up, a free seat, or the waiting list. */
static int
place_for(const struct ops_ctx *o, const struct session_rec *s,
    enum session_place_status *status, int *rank, struct error *err)
{
	*rank = 0;
	if (s->seated_on == DATE_NONE) {
		*status = PLACE_SIGNED_UP;
		return 0;
	}
	if (s->seated < s->seats) {
		*status = PLACE_SEATED;
		return 0;
	}
	*status = PLACE_WAITLISTED;
	if (store_place_max_rank(o->db, s->id, rank, err) != 0)
		return -1;
	(*rank)++;
	return 0;
}

static enum ops_place_outcome
outcome_of(enum session_place_status s)
{
	switch (s) {
	case PLACE_SEATED:
		return OPS_PLACE_SEATED;
	case PLACE_WAITLISTED:
		return OPS_PLACE_WAITLISTED;
	case PLACE_CANCELLED:
		return OPS_PLACE_CANCELLED;
	default:
		return OPS_PLACE_SIGNED_UP;
	}
}

/* A wait-listed person's position: 1 is the next to get a seat. */
static int
waiting_position(const struct ops_ctx *o, long long session_id,
    long long person_id, int *pos, struct error *err)
{
	struct place_rec *v = NULL;
	size_t n = 0, i;

	*pos = 0;
	if (store_place_list(o->db, session_id, &v, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i].status != PLACE_WAITLISTED)
			continue;
		(*pos)++;
		if (v[i].person_id == person_id)
			break;
	}
	place_recs_free(v, n);
	return 0;
}

int
ops_session_signup(const struct ops_ctx *o, long long session_id,
    const char *email, const char *source, bool force, struct ops_place *r,
    struct error *err)
{
	struct audience_list who;
	struct program *p = NULL;
	struct place_rec had;
	struct place_in in;
	char *why = NULL;
	int rc = -1, k;

	memset(r, 0, sizeof *r);
	memset(&who, 0, sizeof who);
	memset(&had, 0, sizeof had);
	if (store_session_get(o->db, session_id, &r->session, err) != 0)
		return -1;
	if (session_over(o, &r->session, "signing up", err) != 0)
		return -1;
	if (session_program(o, &r->session, &p, err) != 0)
		return -1;
	if (load_person(o, r->session.program_id, email, &who, err) != 0)
		goto out;
	r->email = xstrdup(who.v[0].email);
	r->name = who.names[0] ? xstrdup(who.names[0]) : NULL;
	if (who.ids[0] == r->session.leader_id) {
		error_set(err, EX_DATAERR, "'%s' leads session %lld", r->email,
		    session_id);
		goto out;
	}
	if ((k = store_place_get(o->db, session_id, who.ids[0], &had,
	    err)) < 0)
		goto out;
	if (k == 1 && had.status != PLACE_CANCELLED) {
		r->outcome = OPS_PLACE_UNCHANGED;
		r->status = had.status;
		if (had.status == PLACE_WAITLISTED && waiting_position(o,
		    session_id, who.ids[0], &r->rank, err) != 0)
			goto out;
		rc = 0;
		goto out;
	}
	if (audience_admits(&p->sessions.audience, &who.v[0], o->today,
	    &why) == 0) {
		if (!force) {
			error_set(err, EX_DATAERR, "'%s' is not in the audience "
			    "of session %lld: %s", r->email, session_id, why);
			goto out;
		}
		r->outside = why;
		why = NULL;
	}
	memset(&in, 0, sizeof in);
	in.session_id = session_id;
	in.person_id = who.ids[0];
	in.email = r->email;
	in.today = o->today;
	in.source = source;
	if (place_for(o, &r->session, &in.status, &in.rank, err) != 0)
		goto out;
	if (store_place_signup(o->db, &in, err) != 0)
		goto out;
	r->status = in.status;
	r->outcome = outcome_of(in.status);
	if (in.status == PLACE_WAITLISTED && waiting_position(o, session_id,
	    who.ids[0], &r->rank, err) != 0)
		goto out;
	rc = 0;
out:
	free(why);
	place_rec_free(&had);
	audience_list_free(&who);
	program_free(p);
	return rc;
}

/* The first one waiting takes the seat: 1 when someone did, 0, -1. */
static int
promote_first(const struct ops_ctx *o, long long session_id,
    struct ops_place *r, struct error *err)
{
	struct place_rec *v = NULL;
	size_t n = 0, i;
	char *why;
	int rc = 0;

	if (store_place_list(o->db, session_id, &v, &n, err) != 0)
		return -1;
	for (i = 0; i < n && v[i].status != PLACE_WAITLISTED; i++)
		;
	if (i < n) {
		why = xstrfmt("%s from the waiting list (rank %d)",
		    v[i].email, v[i].rank);
		rc = store_place_set(o->db, session_id, v[i].person_id,
		    PLACE_SEATED, 0, o->today, why, err);
		free(why);
		if (rc == 0) {
			r->promoted = xstrdup(v[i].email);
			r->promoted_name = v[i].name ? xstrdup(v[i].name) : NULL;
			rc = 1;
		}
	}
	place_recs_free(v, n);
	return rc;
}

int
ops_session_cancel(const struct ops_ctx *o, long long session_id,
    const char *email, struct ops_place *r, struct error *err)
{
	struct audience_list who;
	struct place_rec had;
	char *why;
	int rc = -1, k;

	memset(r, 0, sizeof *r);
	memset(&who, 0, sizeof who);
	memset(&had, 0, sizeof had);
	if (store_session_get(o->db, session_id, &r->session, err) != 0)
		return -1;
	if (session_over(o, &r->session, "cancelling", err) != 0)
		return -1;
	if (load_person(o, r->session.program_id, email, &who, err) != 0)
		goto out;
	r->email = xstrdup(who.v[0].email);
	r->name = who.names[0] ? xstrdup(who.names[0]) : NULL;
	if ((k = store_place_get(o->db, session_id, who.ids[0], &had,
	    err)) < 0)
		goto out;
	if (k == 0) {
		error_set(err, EX_DATAERR, "'%s' has no place in session %lld",
		    r->email, session_id);
		goto out;
	}
	r->status = PLACE_CANCELLED;
	if (had.status == PLACE_CANCELLED) {
		r->outcome = OPS_PLACE_UNCHANGED;
		rc = 0;
		goto out;
	}
	why = xstrfmt("%s cancelled (was %s)", r->email,
	    session_place_name(had.status));
	rc = store_place_set(o->db, session_id, who.ids[0], PLACE_CANCELLED, 0,
	    o->today, why, err);
	free(why);
	if (rc != 0)
		goto out;
	r->outcome = OPS_PLACE_CANCELLED;
	if (had.status == PLACE_SEATED && promote_first(o, session_id, r,
	    err) < 0)
		rc = -1;
out:
	place_rec_free(&had);
	audience_list_free(&who);
	return rc;
}

/* ---- attend ---- */

void
ops_attend_free(struct ops_attend *r)
{
	if (r == NULL)
		return;
	session_rec_free(&r->session);
}

int
ops_session_attend(const struct ops_ctx *o, long long session_id,
    const char *const *emails, size_t n, struct ops_attend *r,
    struct error *err)
{
	struct audience_list who;
	struct place_rec had;
	char d[DATE_BUFSZ], *why;
	size_t i;
	int k, rc = 0;

	memset(r, 0, sizeof *r);
	if (store_session_get(o->db, session_id, &r->session, err) != 0)
		return -1;
	if (r->session.held_on > o->today)
		return error_set(err, EX_DATAERR, "session %lld is on %s, still "
		    "to come: attendance is recorded once it was held",
		    session_id, day_text(r->session.held_on, d));
	for (i = 0; i < n && rc == 0; i++) {
		memset(&had, 0, sizeof had);
		if ((rc = load_person(o, r->session.program_id, emails[i], &who,
		    err)) != 0) {
			audience_list_free(&who);
			break;
		}
		if ((k = store_place_get(o->db, session_id, who.ids[0], &had,
		    err)) < 0)
			rc = -1;
		else if (k == 0 || had.status == PLACE_CANCELLED)
			rc = error_set(err, EX_DATAERR, "'%s' %s session %lld "
			    "(sign them up first: 'mentorctl session signup "
			    "%lld %s')", who.v[0].email, k == 0 ? "has no place "
			    "in" : "cancelled their place in", session_id,
			    session_id, who.v[0].email);
		else if (had.status != PLACE_SEATED) {
			/* a walk-in: the seat of someone who did not come */
			why = xstrfmt("%s came (was %s): seated",
			    who.v[0].email, session_place_name(had.status));
			rc = store_place_set(o->db, session_id, who.ids[0],
			    PLACE_SEATED, 0, r->session.held_on, why, err);
			free(why);
			r->walk_ins++;
		}
		if (rc == 0 && (k = store_place_attend(o->db, session_id,
		    who.ids[0], who.v[0].email, err)) < 0)
			rc = -1;
		else if (rc == 0 && k == 1)
			r->marked++;
		else if (rc == 0)
			r->already++;
		place_rec_free(&had);
		audience_list_free(&who);
	}
	return rc;
}

/* ---- seat ---- */

void
ops_seating_free(struct ops_seating *r)
{
	size_t i;

	if (r == NULL)
		return;
	session_rec_free(&r->session);
	for (i = 0; i < r->n; i++) {
		free(r->v[i].email);
		free(r->v[i].name);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* What this run decided about one person, for the listing. */
struct seat_note {
	long long person_id;
	int attended_before;
	uint64_t lottery;
	bool changed;
};

static const struct seat_note *
find_note(const struct seat_note *v, size_t n, long long person_id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].person_id == person_id)
			return &v[i];
	return NULL;
}

/* The sign-ups in seating order, with what the order read. */
static int
order_pending(const struct ops_ctx *o, const struct session_rec *s,
    const struct place_rec *v, size_t n, struct seat_candidate **cands,
    size_t *ncands, struct error *err)
{
	long long *ids;
	int *counts;
	size_t i, k = 0;
	int rc;

	*cands = xcalloc(n + 1, sizeof **cands);
	ids = xcalloc(n + 1, sizeof *ids);
	counts = xcalloc(n + 1, sizeof *counts);
	for (i = 0; i < n; i++) {
		if (v[i].status != PLACE_SIGNED_UP)
			continue;
		(*cands)[k].person_id = v[i].person_id;
		(*cands)[k].email = v[i].email;
		(*cands)[k].seq = v[i].seq;
		ids[k++] = v[i].person_id;
	}
	rc = store_place_attended_before(o->db, s->program_id, s->held_on, ids,
	    k, counts, err);
	for (i = 0; rc == 0 && i < k; i++)
		(*cands)[i].attended = counts[i];
	if (rc == 0)
		session_seat_order(s->id, *cands, k);
	*ncands = k;
	free(ids);
	free(counts);
	return rc;
}

static int
seat_allocate(const struct ops_ctx *o, const struct session_rec *s,
    struct seat_note **notes, size_t *nnotes, struct ops_seating *r,
    struct error *err)
{
	struct place_rec *v = NULL;
	struct seat_candidate *c = NULL;
	size_t n = 0, nc = 0, i;
	int free_seats, rank = 0, rc = -1;
	char *why;

	if (store_place_list(o->db, s->id, &v, &n, err) != 0)
		return -1;
	free_seats = s->seats - s->seated;
	*notes = xcalloc(n + 1, sizeof **notes);
	/* those waiting already come first, in their order */
	for (i = 0; i < n; i++) {
		if (v[i].status != PLACE_WAITLISTED)
			continue;
		if (v[i].rank > rank)
			rank = v[i].rank;
		if (free_seats <= 0)
			continue;
		why = xstrfmt("%s from the waiting list (rank %d)",
		    v[i].email, v[i].rank);
		rc = store_place_set(o->db, s->id, v[i].person_id, PLACE_SEATED,
		    0, o->today, why, err);
		free(why);
		if (rc != 0)
			goto out;
		(*notes)[(*nnotes)++] = (struct seat_note){ v[i].person_id, -1,
		    0, true };
		free_seats--;
		r->seated++;
	}
	if (order_pending(o, s, v, n, &c, &nc, err) != 0)
		goto out;
	for (i = 0; i < nc; i++) {
		bool seat = free_seats > 0;

		why = xstrfmt("%s %s (%d attended before, draw %016llx)",
		    c[i].email, seat ? "seated" : "wait-listed", c[i].attended,
		    (unsigned long long)c[i].lottery);
		rc = store_place_set(o->db, s->id, c[i].person_id, seat ?
		    PLACE_SEATED : PLACE_WAITLISTED, seat ? 0 : ++rank,
		    o->today, why, err);
		free(why);
		if (rc != 0)
			goto out;
		(*notes)[(*nnotes)++] = (struct seat_note){ c[i].person_id,
		    c[i].attended, c[i].lottery, true };
		if (seat) {
			free_seats--;
			r->seated++;
		} else
			r->waitlisted++;
	}
	rc = store_session_seated(o->db, s->id, o->today, err);
out:
	free(c);
	place_recs_free(v, n);
	return rc;
}

int
ops_session_seat(const struct ops_ctx *o, long long session_id,
    struct ops_seating *r, struct error *err)
{
	struct seat_note *notes = NULL;
	struct place_rec *v = NULL;
	const struct seat_note *nt;
	size_t nnotes = 0, n = 0, i;
	int rc = -1, waiting;

	memset(r, 0, sizeof *r);
	if (store_session_get(o->db, session_id, &r->session, err) != 0)
		return -1;
	if (session_over(o, &r->session, "seating", err) != 0)
		return -1;
	if (seat_allocate(o, &r->session, &notes, &nnotes, r, err) != 0)
		goto out;
	if (store_place_list(o->db, session_id, &v, &n, err) != 0)
		goto out;
	r->v = xcalloc(n + 1, sizeof *r->v);
	for (i = 0, waiting = 0; i < n; i++) {
		struct ops_seat_row *row;

		if (v[i].status == PLACE_CANCELLED)
			continue;
		row = &r->v[r->n++];
		row->email = v[i].email;
		row->name = v[i].name;
		v[i].email = v[i].name = NULL;
		row->status = v[i].status;
		/* the position on the list, not the stored rank, which has gaps */
		row->rank = v[i].status == PLACE_WAITLISTED ? ++waiting : 0;
		row->attended_before = -1;
		if ((nt = find_note(notes, nnotes, v[i].person_id)) != NULL) {
			row->changed = nt->changed;
			row->attended_before = nt->attended_before;
			row->lottery = nt->lottery;
		}
	}
	rc = 0;
out:
	free(notes);
	place_recs_free(v, n);
	return rc;
}

/* ---- mails ---- */

const char *
session_mail_kind_name(enum session_mail_kind k)
{
	return k == SESSION_MAIL_SEAT ? "session_seat" : "session_invite";
}

void
ops_session_mail_free(struct ops_session_mail *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	session_rec_free(&plan->session);
	program_free(plan->program);
	for (i = 0; i < plan->n; i++) {
		free(plan->v[i].email);
		free(plan->v[i].name);
	}
	free(plan->v);
	sodium_memzero(plan->secret, sizeof plan->secret);
	memset(plan, 0, sizeof *plan);
}

static void
mail_key(const struct ops_session_mail *plan, const char *recipient,
    struct session_mail_key *k)
{
	k->program_id = plan->program_id;
	k->session_id = plan->session.id;
	k->kind = session_mail_kind_name(plan->kind);
	k->due_on = plan->session.held_on;
	k->recipient = recipient;
}

/* Add one recipient unless the log or a bounce says otherwise. */
static int
plan_consider(const struct ops_ctx *o, struct ops_session_mail *plan,
    const struct bounce_set *bounces, long long person_id, const char *email,
    const char *name, size_t *cap, struct error *err)
{
	struct session_mail_key k;
	struct reminder_log log;
	struct session_mail_item *it;

	mail_key(plan, email, &k);
	if (store_session_mail_log(o->db, &k, &log, err) != 0)
		return -1;
	if (log.present && log.state != DELIVERY_FAILED) {
		plan->recorded++;
		return 0;
	}
	if (log.present && !delivery_retry_due(log.attempts, log.failed_on,
	    log.failed_at, o->today, o->now)) {
		plan->waiting++;
		return 0;
	}
	if (bounces->n > 0 && bounce_set_has(bounces, email)) {
		plan->bouncing++;
		return 0;
	}
	XGROW(plan->v, plan->n + 1, *cap);
	it = &plan->v[plan->n++];
	it->person_id = person_id;
	it->email = xstrdup(email);
	it->name = name ? xstrdup(name) : NULL;
	it->attempts = log.present ? log.attempts : 0;
	return 0;
}

static int
plan_invites(const struct ops_ctx *o, struct ops_session_mail *plan,
    const struct bounce_set *bounces, struct error *err)
{
	const struct program_audience *a = &plan->program->sessions.audience;
	struct audience_list l;
	struct place_rec had;
	size_t cap = 0, i;
	char *why;
	int rc = 0, k;

	if (store_audience_load(o->db, plan->program_id,
	    a->from == AUDIENCE_EVERYONE, NULL, &l, err) != 0)
		return -1;
	for (i = 0; i < l.n && rc == 0; i++) {
		if (l.ids[i] == plan->session.leader_id)
			continue;
		if (audience_admits(a, &l.v[i], o->today, &why) == 0) {
			free(why);
			continue;
		}
		/* who has a place needs no invitation */
		if ((k = store_place_get(o->db, plan->session.id, l.ids[i], &had,
		    err)) < 0) {
			rc = -1;
			break;
		}
		if (k == 1 && had.status != PLACE_CANCELLED) {
			place_rec_free(&had);
			continue;
		}
		place_rec_free(&had);
		rc = plan_consider(o, plan, bounces, l.ids[i], l.v[i].email,
		    l.names[i], &cap, err);
	}
	audience_list_free(&l);
	return rc;
}

static int
plan_seats(const struct ops_ctx *o, struct ops_session_mail *plan,
    const struct bounce_set *bounces, struct error *err)
{
	struct place_rec *v = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (store_place_list(o->db, plan->session.id, &v, &n, err) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		if (v[i].status == PLACE_SEATED)
			rc = plan_consider(o, plan, bounces, v[i].person_id,
			    v[i].email, v[i].name, &cap, err);
	place_recs_free(v, n);
	return rc;
}

int
ops_session_mail_plan(const struct ops_ctx *o, long long session_id,
    enum session_mail_kind kind, struct ops_session_mail *plan,
    struct error *err)
{
	struct bounce_set bounces;
	int rc;

	memset(plan, 0, sizeof *plan);
	plan->kind = kind;
	if (store_session_get(o->db, session_id, &plan->session, err) != 0)
		return -1;
	if (session_over(o, &plan->session, kind == SESSION_MAIL_INVITE ?
	    "inviting" : "seating", err) != 0)
		return -1;
	if (ops_program_load(o, plan->session.program, &plan->program_id,
	    &plan->program, err) != 0)
		return -1;
	if (plan->program->contact == NULL ||
	    !mail_addr_valid(plan->program->contact))
		return error_set(err, EX_DATAERR, "programme '%s' has no valid "
		    "contact address (the sender and organizer of its "
		    "invitations): set 'contact:' in its YAML",
		    plan->program->slug);
	if (store_bounce_set(o->db, &bounces, err) != 0)
		return -1;
	rc = kind == SESSION_MAIL_INVITE ? plan_invites(o, plan, &bounces,
	    err) : plan_seats(o, plan, &bounces, err);
	bounce_set_free(&bounces);
	return rc;
}

int
ops_session_mail_secret(const struct ops_ctx *o,
    struct ops_session_mail *plan, struct error *err)
{
	int k;

	if ((k = store_mail_secret_get(o->db, MAIL_SECRET_REPLY_TOKEN,
	    plan->secret, err)) < 0)
		return -1;
	if (k == 1) {
		plan->have_secret = true;
		return 0;
	}
	if (token_secret_new(plan->secret, err) != 0)
		return -1;
	if (db_begin(o->db, err) != 0)
		return -1;
	if (store_mail_secret_put(o->db, MAIL_SECRET_REPLY_TOKEN, plan->secret,
	    o->now, err) != 0) {
		db_rollback(o->db);
		return -1;
	}
	if (db_commit(o->db, err) != 0)
		return -1;
	plan->have_secret = true;
	return 0;
}

static const char *
session_title(const struct session_rec *s)
{
	return s->title && *s->title ? s->title : "A conversation";
}

char *
ops_session_mail_subject(const struct ops_session_mail *plan)
{
	const struct session_rec *s = &plan->session;
	char d[DATE_BUFSZ];

	return xstrfmt("%s: %s with %s on %s", plan->kind ==
	    SESSION_MAIL_INVITE ? "Invitation" : "Your seat", session_title(s),
	    or_email(s->leader_name, s->leader_email),
	    day_text(s->held_on, d));
}

/* "on Thursday 2027-03-04 at 12:30 (Europe/Paris), 60 minutes" */
static void
when_text(struct strbuf *sb, const struct ops_session_mail *plan)
{
	static const char *const wd[] = { "Monday", "Tuesday", "Wednesday",
	    "Thursday", "Friday", "Saturday", "Sunday" };
	const struct session_rec *s = &plan->session;
	const char *zone = plan->program->sessions.timezone;
	char d[DATE_BUFSZ];
	int w = date_weekday(s->held_on);

	strbuf_addf(sb, "on %s %s", w >= 1 && w <= 7 ? wd[w - 1] : "",
	    day_text(s->held_on, d));
	if (s->starts_at >= 0)
		strbuf_addf(sb, " at %02d:%02d (%s), %d minutes",
		    s->starts_at / 60, s->starts_at % 60, *zone ? zone : "UTC",
		    s->minutes);
}

/* Fill the paragraphs of text to lines of at most 72 columns (by bytes). */
static void
wrap_into(struct strbuf *out, const char *text)
{
	const char *p = text, *w;
	size_t col = 0, len;

	while (*p != '\0') {
		if (*p == '\n') {
			strbuf_addch(out, '\n');
			col = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		for (w = p; *w != '\0' && *w != ' ' && *w != '\n'; w++)
			;
		len = (size_t)(w - p);
		if (col > 0 && col + 1 + len > 72) {
			strbuf_addch(out, '\n');
			col = 0;
		} else if (col > 0) {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, p, len);
		col += len;
		p = w;
	}
}

static char *
mail_body(const struct ops_session_mail *plan,
    const struct session_mail_item *it)
{
	const struct session_rec *s = &plan->session;
	const struct program *p = plan->program;
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT;
	const char *n = or_email(it->name, it->email), *sp = strchr(n, ' ');

	strbuf_addf(&sb, "Hello %.*s,\n\n", sp ? (int)(sp - n) : (int)strlen(n),
	    n);
	if (plan->kind == SESSION_MAIL_INVITE) {
		strbuf_addf(&sb, "%s invites you to \"%s\", a session of %s, ",
		    or_email(s->leader_name, s->leader_email),
		    session_title(s), p->name ? p->name : p->slug);
		when_text(&sb, plan);
		strbuf_addf(&sb, ". There are %d seats.\n\n", s->seats);
		strbuf_addstr(&sb, "To join, reply to this mail with the word "
		    "\"join\" on its first line. When more people join than "
		    "there are seats, the seats go first to those who have "
		    "attended the fewest sessions, then by lot; you will hear "
		    "whether you have a seat. Adding the attached invitation to "
		    "your calendar does not book a seat: only a reply "
		    "\"join\" does.\n");
	} else {
		strbuf_addf(&sb, "You have a seat at \"%s\" with %s, ",
		    session_title(s), or_email(s->leader_name,
		    s->leader_email));
		when_text(&sb, plan);
		strbuf_addf(&sb, ".\n\nThe attached invitation puts it in your "
		    "calendar. If you cannot come, please tell the "
		    "coordinators (%s) so that your seat goes to the next "
		    "person waiting.\n", p->contact);
	}
	wrap_into(&text, sb.buf);
	strbuf_release(&sb);
	strbuf_addf(&text, "\n-- \n%s\n%s\n", p->name ? p->name : p->slug,
	    p->contact);
	return strbuf_detach(&text, NULL);
}

static int
mail_calendar(const struct ops_ctx *o, const struct ops_session_mail *plan,
    const struct session_mail_item *it, struct strbuf *cal,
    struct error *err)
{
	const struct session_rec *s = &plan->session;
	const struct program *p = plan->program;
	const char *zone = *p->sessions.timezone ? p->sessions.timezone : "UTC";
	struct invite_person who = { it->name, it->email };
	struct invite_event ev;
	char *prefix, *uid, *summary, *desc;
	time_t start;
	int rc;

	memset(&ev, 0, sizeof ev);
	/* the database's random id: not another database's session */
	if (ops_calendar_uid_prefix(o, s->program, &prefix, err) != 0)
		return -1;
	uid = xstrfmt("%ssession-%lld", prefix, s->id);
	free(prefix);
	summary = xstrfmt("%s with %s", session_title(s),
	    or_email(s->leader_name, s->leader_email));
	desc = xstrfmt("A session of %s with %s (%s). %s",
	    p->name ? p->name : p->slug, or_email(s->leader_name,
	    s->leader_email), s->leader_email, plan->kind ==
	    SESSION_MAIL_INVITE ? "Reply \"join\" to the mail to ask for a "
	    "seat." : "Your seat is confirmed.");
	ev.uid = uid;
	ev.organizer.name = p->name;
	ev.organizer.email = p->contact;
	ev.attendees = &who;
	ev.nattendees = 1;
	ev.partstat = plan->kind == SESSION_MAIL_SEAT ? "ACCEPTED" :
	    "NEEDS-ACTION";
	ev.summary = summary;
	ev.description = desc;
	/* the offset at the session's own local time, not at noon */
	if (s->starts_at >= 0 && tz_local_to_utc(zone, s->held_on,
	    s->starts_at, &start) == 0) {
		ev.timed = true;
		ev.start = start;
		ev.minutes = s->minutes;
	} else
		ev.date = s->held_on;
	rc = invite_calendar(&ev, MENTORCTL_VERSION, o->now, cal, err);
	free(uid);
	free(summary);
	free(desc);
	return rc;
}

/* The reply token's address and Message-ID; both NULL without a secret. */
static int
mail_token(const struct ops_session_mail *plan,
    const struct session_mail_item *it, char **reply_to, char **mid,
    struct error *err)
{
	const char *contact = plan->program->contact;
	struct token_claims c;
	char tok[TOKEN_BUFSZ], *unique;
	const char *at = strrchr(contact, '@');

	*reply_to = *mid = NULL;
	if (!plan->have_secret)
		return 0;
	memset(&c, 0, sizeof c);
	c.person_id = it->person_id;
	c.subject_id = plan->session.id;
	c.question = TOKEN_Q_SESSION;
	c.expires_on = plan->session.held_on;
	if (token_make(&c, plan->secret, tok, err) != 0)
		return -1;
	if (token_address(contact, tok, reply_to, err) != 0) {
		/* a long local part: no Reply-To, the Message-ID still has it */
		error_clear(err);
		*reply_to = NULL;
	}
	unique = xstrfmt("%s.%lld.%s", plan->kind == SESSION_MAIL_INVITE ?
	    "invite" : "seat", plan->session.id, plan->session.program);
	*mid = at ? token_message_id(tok, unique, at + 1) : NULL;
	free(unique);
	return 0;
}

int
ops_session_mail_compose(const struct ops_ctx *o,
    const struct ops_session_mail *plan, const struct session_mail_item *it,
    struct strbuf *msg, struct error *err)
{
	const struct program *p = plan->program;
	struct strbuf cal = STRBUF_INIT;
	struct mail_msg m;
	char *body = NULL, *subject = NULL, *reply_to = NULL, *mid = NULL;
	int rc = -1;

	if (mail_calendar(o, plan, it, &cal, err) != 0)
		goto out;
	if (mail_token(plan, it, &reply_to, &mid, err) != 0)
		goto out;
	if (mid == NULL)
		mid = mail_message_id(p->slug, session_mail_kind_name(plan->kind),
		    plan->session.id, plan->session.held_on, it->email,
		    p->contact);
	body = mail_body(plan, it);
	subject = ops_session_mail_subject(plan);
	memset(&m, 0, sizeof m);
	m.from.name = p->name;
	m.from.email = p->contact;
	m.to.name = it->name;
	m.to.email = it->email;
	m.subject = subject;
	m.date = o->now;
	m.message_id = mid;
	m.body = body;
	rc = invite_compose(&m, reply_to, cal.buf, cal.len, msg, err);
out:
	strbuf_release(&cal);
	free(body);
	free(subject);
	free(reply_to);
	free(mid);
	return rc;
}

static double
mono_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A busy database is waited out until `patience` seconds have passed. */
static bool
try_again(struct error *err, double start, int patience)
{
	if (err->code != EX_TEMPFAIL || mono_clock() - start >= patience)
		return false;
	error_clear(err);
	return true;
}

static enum remind_outcome
verdict(enum delivery_verdict v, int attempts, struct reminder_outcome *out)
{
	switch (v) {
	case DELIVERY_OK:
		out->state = DELIVERY_SENT;
		return REMIND_OUT_SENT;
	case DELIVERY_BOUNCE:
		out->state = DELIVERY_BOUNCED;
		return REMIND_OUT_BOUNCED;
	case DELIVERY_UNKNOWN:
		out->state = DELIVERY_HANDED;
		return REMIND_OUT_UNKNOWN;
	case DELIVERY_RETRY:
	default:
		if (attempts >= DELIVERY_MAX_ATTEMPTS) {
			out->state = DELIVERY_GAVE_UP;
			return REMIND_OUT_GAVE_UP;
		}
		out->state = DELIVERY_FAILED;
		return REMIND_OUT_RETRY;
	}
}

/* The Message-ID in a composed message (for the log), or NULL. */
static char *
message_id_of(const struct strbuf *msg)
{
	const char *p = strstr(msg->buf, "\nMessage-ID: <"), *e;

	if (p == NULL || (e = strchr(p + 14, '>')) == NULL)
		return NULL;
	return xstrndup(p + 14, (size_t)(e - (p + 14)));
}

int
ops_session_mail_deliver(const struct ops_ctx *o, struct remind_sender *s,
    const struct ops_session_mail *plan, const struct session_mail_item *it,
    const struct strbuf *msg, struct remind_result *res, struct error *err)
{
	struct session_mail_key k;
	struct reminder_outcome out;
	struct delivery_end end;
	struct mail_spool *sp = NULL;
	enum delivery_verdict v;
	char *mid;
	double start;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof *res);
	for (i = 0; i < s->nbounced; i++)
		if (strcasecmp(s->bounced[i], it->email) == 0) {
			res->outcome = REMIND_OUT_HELD;
			return 0;
		}
	mail_key(plan, it->email, &k);
	mid = message_id_of(msg);
	if (mail_spool_new(&s->transport, msg->buf, msg->len, &sp,
	    err) != 0)
		goto out;
	start = mono_clock();
	while ((rc = store_session_mail_claim(o->db, &k, it->attempts, mid,
	    o->today, o->now, s->by, err)) < 0 &&
	    try_again(err, start, REMIND_CLAIM_PATIENCE))
		;
	if (rc < 0)
		goto out;
	if (rc == 0) {
		res->outcome = REMIND_OUT_TAKEN;
		goto out;
	}
	/* From here on the mail may be out, whatever happens to this run. */
	mail_spool_send(sp, &s->transport, &end);
	v = delivery_judge(&end, res->reason);
	res->attempts = it->attempts + 1;
	memset(&out, 0, sizeof out);
	res->outcome = verdict(v, res->attempts, &out);
	s->in_row = v == DELIVERY_OK || v == DELIVERY_BOUNCE ? 0 :
	    s->in_row + 1;
	out.error = res->reason[0] ? res->reason : NULL;
	out.today = o->today;
	out.now = o->now;
	start = mono_clock();
	while ((rc = store_session_mail_outcome(o->db, &k, s->by, &out,
	    err)) < 0 && try_again(err, start, REMIND_RECORD_PATIENCE))
		;
	if (rc == 0 && v == DELIVERY_BOUNCE) {
		s->bounced = xreallocarray(s->bounced, s->nbounced + 1,
		    sizeof *s->bounced);
		s->bounced[s->nbounced++] = xstrdup(it->email);
	}
	if (rc < 0)
		error_prefix(err, "the %s mail to %s was handed to the mail "
		    "program, but its outcome could not be recorded (it counts "
		    "as sent; see 'mentorctl mail unsent'): ",
		    session_mail_kind_name(plan->kind), it->email);
out:
	mail_spool_free(sp);
	free(mid);
	return rc < 0 ? -1 : 0;
}

/* ---- the report ---- */

static int
id_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int
ops_session_report(const struct ops_ctx *o, long long program_id,
    const struct program *p, int as_of, struct metrics_rows *rows,
    struct error *err)
{
	const struct program_audience *a = &p->sessions.audience;
	struct session_facts f;
	struct audience_list l;
	long long *attended = NULL, *hit;
	size_t nattended, cap, i, j;
	char *why;
	bool leader;

	if (store_session_facts(o->db, program_id, as_of, &f, &attended,
	    err) != 0)
		return -1;
	if (!p->sessions.present && f.nsessions == 0) {
		session_facts_free(&f);
		free(attended);
		return 0;
	}
	if (store_audience_load(o->db, program_id, a->from ==
	    AUDIENCE_EVERYONE, NULL, &l, err) != 0) {
		session_facts_free(&f);
		free(attended);
		return -1;
	}
	nattended = f.npeople;
	cap = f.npeople;
	for (i = 0; i < l.n; i++) {
		for (j = 0, leader = false; j < f.nleaders && !leader; j++)
			leader = people_email_cmp(f.leaders[j].email,
			    l.v[i].email) == 0;
		if (leader)
			continue;
		if (audience_admits(a, &l.v[i], o->today, &why) == 0) {
			free(why);
			continue;
		}
		hit = nattended ? xbsearch(&l.ids[i], attended, nattended,
		    sizeof *attended, id_cmp) : NULL;
		if (hit != NULL) {
			f.people[hit - attended].in_audience = true;
			continue;
		}
		XGROW(f.people, f.npeople + 1, cap);
		memset(&f.people[f.npeople], 0, sizeof f.people[0]);
		f.people[f.npeople].department = l.v[i].department ?
		    xstrdup(l.v[i].department) : NULL;
		f.people[f.npeople].has_level = l.v[i].has_level;
		f.people[f.npeople].level = l.v[i].level;
		f.people[f.npeople].in_audience = true;
		f.npeople++;
	}
	session_report_rows(p, &f, rows);
	audience_list_free(&l);
	session_facts_free(&f);
	free(attended);
	return 0;
}
