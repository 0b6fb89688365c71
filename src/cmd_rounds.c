/*
 * The formats beyond one-to-one, as commands.  core/rounds.h plans; this
 * file loads, stores and prints, for the commands that dispatch here.
 *
 * Flash (`schedule PROGRAM`): the session is computed, never stored: every
 * eligible mentee and mentor, flash.rounds rounds, flash.table_size mentees
 * per mentor per round, no mentor twice.  The plan is a deterministic
 * function of the data, so print it (or write the calendar) once enrollment
 * has closed.  Follow-up pairings after the session are ordinary one-to-one
 * pairings (`pair`), within roles.mentor.capacity.
 *
 * Rotation.  A rotational programme's cycles are its periods: cycle k is
 * period k, rotation.every long (cycle.length and cycle.reup do not apply: a
 * rotation has no re-up; its window is stored as the day before the period,
 * so that it never opens).  The life cycle:
 *
 *   match           plans the rotation of every mentee without one over the
 *                   periods left (the open one and those to come), exactly
 *                   optimal, and stores one pairing per (mentee, period)
 *                   with slot = the period.  The open period's pairings are
 *                   proposed today (active at once with consent none); a
 *                   later period's are proposals that open respond_within
 *                   before the period and must be answered by its first day
 *                   ("planned" in listings until then; consent none: never
 *                   expire).  accept records the answer early; the pairing
 *                   turns active when its period opens.
 *   cycle start     opens period 1 (or the next, after a gap): its accepted
 *                   pairings (all of them with consent none) turn active
 *                   and join it; its unanswered ones may still be accepted
 *                   for respond_within (and turn active at once); later
 *                   proposals follow if the period starts on another day
 *                   than planned.  Not before the period's first day.
 *   cycle close     on or after the period's end (or --force): its pairings
 *                   end ("rotation period N over"), its unanswered proposals
 *                   expire, and the next period opens on the end day.
 *
 * So at any time each mentee's active pairing is the one of the current
 * period: check-ins, reminders and reports follow the rotation with no
 * change to them.  A re-run of match plans the newcomers into the places
 * free in every period left (the exact optimum given that restriction).
 *
 * Group circles (`checkin ID --group`): one meeting, logged as a check-in
 * of every active pairing of the circle (group_id), so that each member's
 * clock, reminders and adherence see it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "cmd_rounds.h"
#include "core/cycle.h"
#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "core/rounds.h"
#include "core/schedule.h"
#include "core/score.h"
#include "io/ics.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "store/match_store.h"
#include "store/pairing_store.h"
#include "store/rounds_store.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/tz.h"
#include "util/xmalloc.h"
#include "version.h"

/* ---- shared: candidates, scores, calendars ---- */

struct cands {
	struct match_pool pool;
	struct score_table t;
};

static void
cands_free(struct cands *c)
{
	score_table_free(&c->t);
	match_pool_free(&c->pool);
}

/* Load the programme's candidates (flags: enum match_load_flags) and score them. */
static int
cands_load(struct ctx *ctx, long long pid, const struct program *p,
    unsigned flags, struct cands *c)
{
	struct error err = ERROR_INIT;
	struct match_load ld;
	struct score_input in;

	memset(c, 0, sizeof *c);
	memset(&ld, 0, sizeof ld);
	ld.program_id = pid;
	ld.program = p;
	ld.today = ctx->today;
	ld.flags = flags;
	if (store_match_load(ctx->db, &ld, &c->pool, &err) != 0)
		return cmd_fail(&err);
	match_pool_input(&c->pool, p, ctx->today, &in);
	if (score_build(&in, &c->t, &err) != 0)
		return cmd_fail(&err);
	return 0;
}

static int
plan_solve(const struct rounds_problem *rp, struct rounds_plan *plan)
{
	struct error err = ERROR_INIT;

	if (rounds_plan(rp, plan, &err) != 0 ||
	    rounds_verify(rp, plan, &err) != 0)
		return cmd_fail(&err);
	return 0;
}

static const char *
who(const char *name, const char *email)
{
	return name != NULL && name[0] != '\0' ? name : email;
}

static int
write_calendar(const char *path, const struct strbuf *cal, size_t nevents,
    const char *what, const char *slug)
{
	struct error err = ERROR_INIT;
	struct file_out fo;

	if (file_out_open(&fo, path, &err) != 0)
		return cmd_fail(&err);
	if (fwrite(cal->buf, 1, cal->len, fo.fp) != cal->len) {
		file_out_abort(&fo);
		return cmd_error(EX_IOERR, "cannot write '%s'", path);
	}
	if (file_out_commit(&fo, &err) != 0)
		return cmd_fail(&err);
	if (strcmp(path, "-") != 0)
		fprintf(stderr, "mentorctl: wrote %zu %s%s of '%s' to '%s'\n",
		    nevents, what, nevents == 1 ? "" : "s", slug, path);
	return 0;
}

static char *
clock_str(int minutes, char *buf, size_t size)
{
	minutes %= 24 * 60;
	snprintf(buf, size, "%02d:%02d", minutes / 60, minutes % 60);
	return buf;
}

/* ---- flash ---- */

struct flash {
	const struct program *p;
	struct cands c;
	struct rounds_problem rp;
	struct rounds_plan plan;
	int *places;
	int *table;            /* per mentor: its table number, 0 none */
};

static void
flash_free(struct flash *f)
{
	rounds_plan_free(&f->plan);
	free(f->places);
	free(f->table);
	cands_free(&f->c);
}

static int
flash_build(struct ctx *ctx, long long pid, struct flash *f)
{
	const struct program *p = f->p;
	size_t e;
	int j, rc, next = 0;

	/* every eligible enrollment, matched elsewhere or not */
	if ((rc = cands_load(ctx, pid, p, 0, &f->c)) != 0)
		return rc;
	f->places = xcalloc((size_t)f->c.pool.nmentors + 1, sizeof *f->places);
	f->table = xcalloc((size_t)f->c.pool.nmentors + 1, sizeof *f->table);
	for (j = 0; j < f->c.pool.nmentors; j++)
		f->places[j] = p->flash.table_size;
	f->rp.nmentees = f->c.pool.nmentees;
	f->rp.nmentors = f->c.pool.nmentors;
	f->rp.score = f->c.t.score;
	f->rp.nrounds = p->flash.rounds;
	f->rp.places = f->places;
	f->rp.objective = p->matching.objective;
	f->rp.balance = true;
	if ((rc = plan_solve(&f->rp, &f->plan)) != 0)
		return rc;
	/* tables: the hosts in e-mail order; mentees move, hosts stay */
	for (e = 0; e < f->plan.n; e++)
		f->table[f->plan.v[e].mentor] = 1;
	for (j = 0; j < f->c.pool.nmentors; j++)
		if (f->table[j])
			f->table[j] = ++next;
	return 0;
}

static int
flash_round_start(const struct program *p, int round)
{
	return p->flash.start + round * p->flash.minutes;
}

static const struct out_col flash_cols[] = {
	{ "round", OUT_INT }, { "mentor_email", OUT_STR },
	{ "mentee_email", OUT_STR }, { "date", OUT_STR },
	{ "table", OUT_INT }, { "start", OUT_STR }, { "end", OUT_STR },
	{ "score", OUT_REAL },
};
#define FLASH_NCOLS (sizeof flash_cols / sizeof flash_cols[0])

static void
flash_row(struct out *o, const struct flash *f, const struct rounds_meeting *m)
{
	const struct match_pool *pool = &f->c.pool;
	const struct match_cand *mentor = &pool->mentors[m->mentor];
	const struct match_cand *mentee = &pool->mentees[m->mentee];
	char r[16], t[16], day[DATE_BUFSZ], s1[8], s2[8];
	char sc[MATCH_POINTS_BUFSZ];
	const char *cells[FLASH_NCOLS];

	snprintf(r, sizeof r, "%d", m->round + 1);
	snprintf(t, sizeof t, "%d", f->table[m->mentor]);
	cells[0] = r;
	cells[1] = mentor->email;
	cells[2] = mentee->email;
	cells[3] = f->p->flash.date == DATE_NONE ? NULL :
	    date_format(f->p->flash.date, day);
	cells[4] = t;
	cells[5] = cells[6] = NULL;
	if (f->p->flash.has_start) {
		cells[5] = clock_str(flash_round_start(f->p, m->round), s1,
		    sizeof s1);
		cells[6] = clock_str(flash_round_start(f->p, m->round + 1), s2,
		    sizeof s2);
	}
	cells[7] = match_centi_str(m->score, sc);
	out_row(o, cells);
}

/* The mentees who sit out round r, ", "-separated into sb. */
static void
flash_sitting_out(const struct flash *f, int r, struct strbuf *sb)
{
	bool *seated = xcalloc((size_t)f->c.pool.nmentees + 1, sizeof *seated);
	size_t e;
	int i;

	for (e = 0; e < f->plan.n; e++)
		if (f->plan.v[e].round == r)
			seated[f->plan.v[e].mentee] = true;
	for (i = 0; i < f->c.pool.nmentees; i++)
		if (!seated[i])
			strbuf_addf(sb, "%s%s", sb->len ? ", " : "",
			    f->c.pool.mentees[i].email);
	free(seated);
}

/* Table: a printable table per round; csv and json: one listing. */
static int
flash_print(const struct flash *f, int fmt)
{
	struct strbuf sb = STRBUF_INIT;
	struct out *o;
	char s1[8], s2[8];
	size_t e = 0;
	int r, rc = 0;

	if (fmt != OUT_TABLE) {
		o = out_new(stdout, (enum out_format)fmt, flash_cols,
		    FLASH_NCOLS, 0);
		for (e = 0; e < f->plan.n; e++)
			flash_row(o, f, &f->plan.v[e]);
		return cmd_out_done(o);
	}
	for (r = 0; r < f->rp.nrounds && rc == 0; r++) {
		printf("%sRound %d", r ? "\n" : "", r + 1);
		if (f->p->flash.has_start)
			printf(", %s-%s", clock_str(flash_round_start(f->p, r),
			    s1, sizeof s1), clock_str(flash_round_start(f->p,
			    r + 1), s2, sizeof s2));
		printf("\n");
		o = out_new(stdout, OUT_TABLE, flash_cols, FLASH_NCOLS, 0);
		for (; e < f->plan.n && f->plan.v[e].round == r; e++)
			flash_row(o, f, &f->plan.v[e]);
		rc = cmd_out_done(o);
		strbuf_reset(&sb);
		flash_sitting_out(f, r, &sb);
		if (sb.len > 0)
			printf("not seated this round: %s\n", sb.buf);
	}
	strbuf_release(&sb);
	if (fflush(stdout) != 0 || ferror(stdout))
		return cmd_error(EX_IOERR, "cannot write to standard output");
	return rc;
}

/* One event per table per round: the host and the mentees seated there. */
static int
flash_event(struct strbuf *cal, const struct flash *f, size_t from, size_t to,
    time_t now, struct error *err)
{
	const struct program *p = f->p;
	const struct match_pool *pool = &f->c.pool;
	const struct rounds_meeting *m = &f->plan.v[from];
	const struct match_cand *host = &pool->mentors[m->mentor];
	struct ics_attendee *att;
	struct ics_event ev;
	struct strbuf desc = STRBUF_INIT, names = STRBUF_INIT;
	char day[DATE_BUFSZ], *uid, *summary;
	size_t k, n = to - from + 1;
	int rc, offset;

	att = xcalloc(n, sizeof *att);
	att[0].email = host->email;
	for (k = from; k < to; k++) {
		const struct match_cand *e = &pool->mentees[f->plan.v[k].mentee];

		att[k - from + 1].email = e->email;
		strbuf_addf(&names, "%s%s", k > from ? ", " : "", e->email);
	}
	memset(&ev, 0, sizeof ev);
	uid = xasprintf("%s-flash-%s-round-%d-%s", p->slug,
	    date_format(p->flash.date, day), m->round + 1, host->email);
	summary = xasprintf("%s, round %d, table %d", p->name ? p->name :
	    p->slug, m->round + 1, f->table[m->mentor]);
	strbuf_addf(&desc, "Round %d of %d (%d minutes) at table %d: host %s; "
	    "mentees %s.", m->round + 1, p->flash.rounds, p->flash.minutes,
	    f->table[m->mentor], host->email, names.buf);
	ev.uid = uid;
	ev.summary = summary;
	ev.description = desc.buf;
	ev.attendees = att;
	ev.nattendees = n;
	if (p->flash.has_start && tz_offset(p->flash.timezone, p->flash.date,
	    &offset) == 0) {
		ev.timed = true;
		ev.start = (time_t)p->flash.date * 86400 +
		    (time_t)(flash_round_start(p, m->round) - offset) * 60;
		ev.minutes = p->flash.minutes;
	} else {
		ev.timed = false;
		ev.date = p->flash.date;
	}
	rc = ics_event(cal, &ev, now, err);
	free(uid);
	free(summary);
	free(att);
	strbuf_release(&desc);
	strbuf_release(&names);
	return rc;
}

static int
flash_ics(struct ctx *ctx, const struct flash *f, const char *path)
{
	struct error err = ERROR_INIT;
	struct strbuf cal = STRBUF_INIT;
	size_t e, next, nev = 0;
	int rc = 0;

	if (f->p->flash.date == DATE_NONE)
		return cmd_error(EX_DATAERR, "programme '%s' sets no flash.date: "
		    "the session has no day to put in a calendar", f->p->slug);
	ics_begin(&cal, MENTORCTL_VERSION, f->p->name);
	for (e = 0; e < f->plan.n; e = next) {
		for (next = e; next < f->plan.n && f->plan.v[next].round ==
		    f->plan.v[e].round && f->plan.v[next].mentor ==
		    f->plan.v[e].mentor; next++)
			;
		if (flash_event(&cal, f, e, next, ctx->now, &err) != 0) {
			rc = cmd_fail(&err);
			goto out;
		}
		nev++;
	}
	ics_end(&cal);
	rc = write_calendar(path, &cal, nev, "table-round", f->p->slug);
out:
	strbuf_release(&cal);
	return rc;
}

static void
flash_summary(const struct flash *f)
{
	char day[DATE_BUFSZ];
	int i, full = 0;

	for (i = 0; i < f->rp.nmentees; i++)
		if (f->plan.meetings_of[i] == f->rp.nrounds)
			full++;
	fprintf(stderr, "mentorctl: flash session of '%s'%s%s: %d round%s, %d "
	    "mentee%s, %d mentor%s (tables of %d): %zu meeting%s; %d mentee%s "
	    "meet%s %d mentors, %d fewer; total score %lld.%02lld\n",
	    f->p->slug, f->p->flash.date == DATE_NONE ? "" : " on ",
	    f->p->flash.date == DATE_NONE ? "" : date_format(f->p->flash.date,
	    day), f->rp.nrounds, f->rp.nrounds == 1 ? "" : "s", f->rp.nmentees,
	    f->rp.nmentees == 1 ? "" : "s", f->rp.nmentors,
	    f->rp.nmentors == 1 ? "" : "s", f->p->flash.table_size, f->plan.n,
	    f->plan.n == 1 ? "" : "s", full, full == 1 ? "" : "s",
	    full == 1 ? "s" : "", f->rp.nrounds, f->rp.nmentees - full,
	    (long long)(f->plan.total / 100), (long long)(f->plan.total % 100));
}

static int
flash_schedule(struct ctx *ctx, struct cmd_args *args, long long pid,
    const struct program *p, int fmt)
{
	struct flash f;
	const char *ics = cmd_opt(args, "ics");
	int rc;

	memset(&f, 0, sizeof f);
	f.p = p;
	if (ics != NULL && p->flash.date == DATE_NONE)
		return cmd_error(EX_DATAERR, "programme '%s' sets no flash.date: "
		    "the session has no day to put in a calendar", p->slug);
	if ((rc = flash_build(ctx, pid, &f)) != 0)
		goto out;
	if (ics != NULL)
		rc = flash_ics(ctx, &f, ics);
	else
		rc = flash_print(&f, fmt);
	if (rc == 0)
		flash_summary(&f);
out:
	flash_free(&f);
	return rc;
}

/* ---- rotation: where it stands ---- */

struct rotation {
	const struct program *p;
	long long pid;
	int P;                 /* periods */
	int open;              /* the open period, 0 none */
	int first;             /* the first period still to plan into */
	int *start;            /* [P + 2]: first day of period k */
	struct cycle_row open_row;
	struct cycle_row last_row;
	bool has_last;
};

static void
rotation_free(struct rotation *rs)
{
	free(rs->start);
	rs->start = NULL;
}

/*
 * Period dates: those of the cycles stored, then each period `every` after
 * the one before (the first, without cycles: cycle.start, else today).
 */
static int
rotation_load(struct ctx *ctx, long long pid, const struct program *p,
    struct rotation *rs)
{
	struct error err = ERROR_INIT;
	struct cycle_row *rows = NULL;
	size_t n = 0, i;
	int k;

	memset(rs, 0, sizeof *rs);
	rs->p = p;
	rs->pid = pid;
	rs->P = p->rotation.periods;
	rs->start = xcalloc((size_t)rs->P + 2, sizeof *rs->start);
	for (k = 0; k <= rs->P + 1; k++)
		rs->start[k] = DATE_NONE;
	if (store_cycle_list(ctx->db, pid, &rows, &n, &err) != 0)
		return cmd_fail(&err);
	for (i = 0; i < n; i++) {
		k = rows[i].d.number;
		if (k >= 1 && k <= rs->P + 1)
			rs->start[k] = rows[i].d.starts_on;
		if (k + 1 <= rs->P + 1 && rs->start[k + 1] == DATE_NONE)
			rs->start[k + 1] = rows[i].d.ends_on;
		if (rows[i].open) {
			rs->open = k;
			rs->open_row = rows[i];
		}
		rs->last_row = rows[i];
		rs->has_last = true;
	}
	cycle_rows_free(rows);
	if (rs->start[1] == DATE_NONE)
		rs->start[1] = p->cycle.present && p->cycle.start != DATE_NONE ?
		    p->cycle.start : ctx->today;
	for (k = 2; k <= rs->P + 1; k++)
		if (rs->start[k] == DATE_NONE && rs->start[k - 1] != DATE_NONE)
			rs->start[k] = rounds_period_start(p->rotation.every,
			    k - 1, rs->start[k - 1], k);
	if (rs->open > 0)
		rs->first = rs->open;
	else if (rs->has_last)
		rs->first = rs->last_row.d.number + 1;
	else
		rs->first = 1;
	return 0;
}

/*
 * When a later period's proposal is made and answered: it opens
 * respond_within before the period (not before today) and must be answered
 * by the period's first day (or respond_within after it opened, if later);
 * with consent none it never expires.
 */
static void
rotation_proposal_days(const struct program *p, int today, int period_start,
    int *proposed_on, int *expires_on)
{
	int from = date_add_duration(period_start, p->matching.respond_within,
	    -1);
	int until;

	*proposed_on = from > today ? from : today;
	if (p->matching.consent == CONSENT_NONE) {
		*expires_on = DATE_NONE;
		return;
	}
	until = date_add_duration(*proposed_on, p->matching.respond_within, 1);
	*expires_on = until > period_start ? until : period_start;
}

/* ---- rotation: planning ---- */

struct rplan {
	struct cands c;
	struct rounds_problem rp;
	struct rounds_plan plan;
	int *places;
};

static void
rplan_free(struct rplan *r)
{
	rounds_plan_free(&r->plan);
	free(r->places);
	cands_free(&r->c);
}

static int
mentor_index(const struct match_pool *pool, long long enrollment_id)
{
	int j;

	for (j = 0; j < pool->nmentors; j++)
		if (pool->mentors[j].enrollment_id == enrollment_id)
			return j;
	return -1;
}

static int
meeting_by_round(const void *a, const void *b)
{
	const struct rounds_meeting *x = a, *y = b;

	if (x->round != y->round)
		return x->round < y->round ? -1 : 1;
	if (x->mentor != y->mentor)
		return x->mentor < y->mentor ? -1 : 1;
	return (x->mentee > y->mentee) - (x->mentee < y->mentee);
}

/*
 * Newcomers to a rotation under way, where the places left differ from one
 * period to the next: one at a time (in e-mail order), each given the best
 * assignment of the periods left to mentors with a place in that period
 * and never the same mentor twice (an exact assignment problem: periods
 * are match.h's mentees, each mentor takes one).  Jointly for all
 * newcomers, with places that differ by period, the problem contains
 * three-dimensional matching and is NP-hard: one by one keeps each
 * newcomer's plan optimal and the whole fast.
 */
static int
rotation_plan_each(const struct rotation *rs, int *left, int R,
    struct rplan *r)
{
	struct error err = ERROR_INIT;
	const struct match_pool *pool = &r->c.pool;
	struct match_problem mp;
	struct match_result res;
	int16_t *score;
	int *cap, i, j, k, M = pool->nmentors;
	size_t cap_v = 0;

	score = xcalloc((size_t)R * (M + 1), sizeof *score);
	cap = xcalloc((size_t)M + 1, sizeof *cap);
	r->plan.meetings_of = xcalloc((size_t)pool->nmentees + 1,
	    sizeof *r->plan.meetings_of);
	for (i = 0; i < pool->nmentees; i++) {
		for (j = 0; j < M; j++) {
			cap[j] = 1;
			for (k = 0; k < R; k++)
				score[(size_t)k * M + j] =
				    left[(size_t)j * R + k] > 0 ?
				    r->c.t.score[(size_t)i * M + j] :
				    MATCH_EXCLUDED;
		}
		memset(&mp, 0, sizeof mp);
		mp.nmentees = R;
		mp.nmentors = M;
		mp.capacity = cap;
		mp.score = score;
		mp.objective = rs->p->matching.objective;
		res = (struct match_result)MATCH_RESULT_INIT;
		if (match_solve(&mp, &res, &err) != 0) {
			free(score);
			free(cap);
			return cmd_fail(&err);
		}
		for (k = 0; k < R; k++) {
			struct rounds_meeting *m;

			if ((j = res.mentor_of[k]) < 0)
				continue;
			left[(size_t)j * R + k]--;
			XGROW(r->plan.v, r->plan.n + 1, cap_v);
			m = &r->plan.v[r->plan.n++];
			m->mentee = i;
			m->mentor = j;
			m->round = k;
			m->seat = 0;
			m->score = r->c.t.score[(size_t)i * M + j];
			r->plan.total += m->score;
			r->plan.meetings_of[i]++;
		}
		if (r->plan.meetings_of[i] > 0)
			r->plan.mentees_met++;
		match_result_free(&res);
	}
	free(score);
	free(cap);
	if (r->plan.n > 1)
		qsort(r->plan.v, r->plan.n, sizeof *r->plan.v,
		    meeting_by_round);
	return 0;
}

/*
 * Plan the mentees without a rotation over periods first..P, in the places
 * each mentor has left in each period.  When those are the same in every
 * period (always so for the first plan), core/rounds.h plans everyone
 * jointly and exactly; otherwise rotation_plan_each.
 */
static int
rotation_plan(struct ctx *ctx, const struct rotation *rs,
    const struct rotation_row *rows, size_t nrows, struct rplan *r)
{
	const struct program *p = rs->p;
	int *left, R = rs->P - rs->first + 1, j, k, rc;
	bool uniform = true;
	size_t i;

	memset(r, 0, sizeof *r);
	if ((rc = cands_load(ctx, rs->pid, p, MATCH_LOAD_UNMATCHED, &r->c)) != 0)
		return rc;
	left = xcalloc((size_t)(r->c.pool.nmentors + 1) * (size_t)R,
	    sizeof *left);
	for (j = 0; j < r->c.pool.nmentors; j++)
		for (k = 0; k < R; k++)
			left[(size_t)j * R + k] = r->c.pool.mentors[j].capacity;
	for (i = 0; i < nrows; i++) {
		const struct rotation_row *x = &rows[i];

		if (x->slot < rs->first || x->slot > rs->P ||
		    (strcmp(x->status, "active") != 0 &&
		    strcmp(x->status, "proposed") != 0 &&
		    strcmp(x->status, "planned") != 0))
			continue;
		if ((j = mentor_index(&r->c.pool, x->mentor_enrollment_id)) < 0)
			continue;
		left[(size_t)j * R + (x->slot - rs->first)]--;
	}
	r->places = xcalloc((size_t)r->c.pool.nmentors + 1, sizeof *r->places);
	for (j = 0; j < r->c.pool.nmentors; j++) {
		for (k = 0; k < R; k++) {
			if (left[(size_t)j * R + k] < 0)
				left[(size_t)j * R + k] = 0;
			if (left[(size_t)j * R + k] != left[(size_t)j * R])
				uniform = false;
		}
		r->places[j] = left[(size_t)j * R];
	}
	r->rp.nmentees = r->c.pool.nmentees;
	r->rp.nmentors = r->c.pool.nmentors;
	r->rp.score = r->c.t.score;
	r->rp.nrounds = R;
	r->rp.places = r->places;
	r->rp.objective = p->matching.objective;
	r->rp.balance = true;
	if (uniform)
		rc = plan_solve(&r->rp, &r->plan);
	else
		rc = rotation_plan_each(rs, left, R, r);
	free(left);
	return rc;
}

/* ---- rotation: match ---- */

static const char *
rotation_new_status(const struct program *p, const struct rotation *rs,
    int slot, int proposed_on, int today)
{
	if (slot == rs->open && p->matching.consent == CONSENT_NONE)
		return "active";
	return proposed_on > today ? "planned" : "proposed";
}

static int
rotation_store(struct ctx *ctx, const struct rotation *rs,
    const struct rplan *r, struct pairing_new *v, int *proposed,
    struct error *err)
{
	const struct program *p = rs->p;
	struct pairing_propose pp;
	size_t e, from, to;
	int slot;

	for (from = 0; from < r->plan.n; from = to) {
		slot = rs->first + r->plan.v[from].round;
		for (to = from; to < r->plan.n && r->plan.v[to].round ==
		    r->plan.v[from].round; to++)
			;
		memset(&pp, 0, sizeof pp);
		pp.program_id = rs->pid;
		pp.origin = PAIRING_ORIGIN_MATCH;
		if (slot == rs->open) {
			pp.today = ctx->today;
			pp.expires_on = p->matching.consent == CONSENT_NONE ?
			    DATE_NONE : date_add_duration(ctx->today,
			    p->matching.respond_within, 1);
			pp.activate = p->matching.consent == CONSENT_NONE;
		} else
			rotation_proposal_days(p, ctx->today, rs->start[slot],
			    &pp.today, &pp.expires_on);
		for (e = from; e < to; e++)
			proposed[e] = pp.today;
		if (store_pairing_propose(ctx->db, &pp, v + from, to - from,
		    err) != 0)
			return -1;
	}
	return 0;
}

static int
rotation_match_print(const struct rotation *rs, const struct rplan *r,
    const struct pairing_new *v, const int *proposed, int today, int fmt,
    bool dry)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
		{ "period", OUT_INT }, { "date", OUT_STR },
	};
	struct out *o;
	size_t e;

	o = out_new(stdout, (enum out_format)fmt, cols, 8, 0);
	for (e = 0; e < r->plan.n; e++) {
		const struct rounds_meeting *m = &r->plan.v[e];
		char sc[MATCH_POINTS_BUFSZ], id[24], per[16], day[DATE_BUFSZ];
		const char *cells[8];
		int slot = rs->first + m->round;

		snprintf(id, sizeof id, "%lld", v[e].id);
		snprintf(per, sizeof per, "%d", slot);
		cells[0] = r->c.pool.mentees[m->mentee].email;
		cells[1] = r->c.pool.mentors[m->mentor].email;
		cells[2] = match_centi_str(m->score, sc);
		cells[3] = dry ? NULL : id;
		cells[4] = rotation_new_status(rs->p, rs, slot, proposed[e],
		    today);
		cells[5] = NULL;
		cells[6] = per;
		cells[7] = rs->start[slot] == DATE_NONE ? NULL :
		    date_format(rs->start[slot], day);
		out_row(o, cells);
	}
	return cmd_out_done(o);
}

int
cmd_rounds_match(struct ctx *ctx, struct cmd_args *args, long long pid,
    const struct program *p, int fmt)
{
	struct error err = ERROR_INIT;
	struct rotation rs;
	struct rotation_row *rows = NULL;
	struct rplan r;
	struct pairing_new *v = NULL;
	size_t nrows = 0, e;
	bool dry = cmd_flag(args, "dry-run");
	int *proposed = NULL, rc, i, full = 0;

	memset(&r, 0, sizeof r);
	if (cmd_flag(args, "explain"))
		return cmd_error(EX_USAGE, "--explain is for one-to-one "
		    "matching; 'mentorctl schedule %s' shows the rotation",
		    p->slug);
	if (!dry && store_pairing_expire(ctx->db, ctx->today, NULL, &err) != 0)
		return cmd_fail(&err);
	if ((rc = rotation_load(ctx, pid, p, &rs)) != 0)
		goto out;
	if (rs.first > rs.P) {
		rc = cmd_error(EX_DATAERR, "the rotation of '%s' is complete: "
		    "all %d periods have run", p->slug, rs.P);
		goto out;
	}
	if (store_rotation_rows(ctx->db, pid, ctx->today, &rows, &nrows,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = rotation_plan(ctx, &rs, rows, nrows, &r)) != 0)
		goto out;
	v = xcalloc(r.plan.n + 1, sizeof *v);
	proposed = xcalloc(r.plan.n + 1, sizeof *proposed);
	for (e = 0; e < r.plan.n; e++) {
		const struct rounds_meeting *m = &r.plan.v[e];
		int slot = rs.first + m->round;

		v[e].mentor_enrollment_id =
		    r.c.pool.mentors[m->mentor].enrollment_id;
		v[e].mentee_enrollment_id =
		    r.c.pool.mentees[m->mentee].enrollment_id;
		v[e].mentor_email = r.c.pool.mentors[m->mentor].email;
		v[e].mentee_email = r.c.pool.mentees[m->mentee].email;
		v[e].score = m->score;
		v[e].slot = slot;
		if (slot == rs.open)
			proposed[e] = ctx->today;
		else {
			int until;

			rotation_proposal_days(p, ctx->today, rs.start[slot],
			    &proposed[e], &until);
		}
	}
	if (!dry && rotation_store(ctx, &rs, &r, v, proposed, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = rotation_match_print(&rs, &r, v, proposed, ctx->today, fmt,
	    dry)) != 0)
		goto out;
	for (i = 0; i < r.rp.nmentees; i++)
		if (r.plan.meetings_of[i] == r.rp.nrounds)
			full++;
	fprintf(stderr, "mentorctl: %s a rotation over period%s %d-%d for %d "
	    "mentee%s: %zu pairing%s; %d mentee%s with a mentor in every "
	    "period, %d in fewer, %d in none; total score %lld.%02lld%s\n",
	    dry ? "would plan" : "planned", rs.first == rs.P ? "" : "s",
	    rs.first, rs.P, r.rp.nmentees, r.rp.nmentees == 1 ? "" : "s",
	    r.plan.n, r.plan.n == 1 ? "" : "s", full, full == 1 ? "" : "s",
	    r.plan.mentees_met - full, r.rp.nmentees - r.plan.mentees_met,
	    (long long)(r.plan.total / 100), (long long)(r.plan.total % 100),
	    dry ? "; dry run, nothing stored" : "");
out:
	free(v);
	free(proposed);
	rotation_rows_free(rows, nrows);
	rplan_free(&r);
	rotation_free(&rs);
	return rc;
}

/* ---- rotation: schedule ---- */

struct rline {
	int period;
	const char *mentor_email;
	const char *mentor_name;
	const char *mentee_email;
	const char *mentee_name;
	const char *status;
	long long id;              /* 0: a preview */
	int score;
};

static int
rline_cmp(const void *a, const void *b)
{
	const struct rline *x = a, *y = b;
	int c;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if ((c = strcasecmp(x->mentor_email, y->mentor_email)) != 0)
		return c;
	return strcasecmp(x->mentee_email, y->mentee_email);
}

static int
rotation_print(const struct rotation *rs, const struct rline *l, size_t n,
    int fmt)
{
	static const struct out_col cols[] = {
		{ "period", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "date", OUT_STR },
		{ "until", OUT_STR }, { "status", OUT_STR },
		{ "pairing", OUT_INT }, { "score", OUT_REAL },
		{ "mentor_name", OUT_STR }, { "mentee_name", OUT_STR },
	};
	struct out *o;
	size_t i;

	o = out_new(stdout, (enum out_format)fmt, cols, 10, 0);
	for (i = 0; i < n; i++) {
		char per[16], id[24], sc[MATCH_POINTS_BUFSZ];
		char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
		const char *cells[10];
		int s = rs->start[l[i].period], e = rs->start[l[i].period + 1];

		snprintf(per, sizeof per, "%d", l[i].period);
		snprintf(id, sizeof id, "%lld", l[i].id);
		cells[0] = per;
		cells[1] = l[i].mentor_email;
		cells[2] = l[i].mentee_email;
		cells[3] = s == DATE_NONE ? NULL : date_format(s, d1);
		cells[4] = e == DATE_NONE ? NULL : date_format(date_add_days(e,
		    -1), d2);
		cells[5] = l[i].status;
		cells[6] = l[i].id > 0 ? id : NULL;
		cells[7] = match_centi_str(l[i].score, sc);
		cells[8] = l[i].mentor_name;
		cells[9] = l[i].mentee_name;
		out_row(o, cells);
	}
	return cmd_out_done(o);
}

static int
rotation_ics(struct ctx *ctx, const struct rotation *rs, const struct rline *l,
    size_t n, const char *path)
{
	struct error err = ERROR_INIT;
	struct strbuf cal = STRBUF_INIT, desc = STRBUF_INIT;
	const struct program *p = rs->p;
	struct ics_attendee att[2];
	struct ics_event ev;
	char d[DATE_BUFSZ], *uid, *summary;
	size_t i, nev = 0;
	int rc = 0, s, e;

	ics_begin(&cal, MENTORCTL_VERSION, p->name);
	for (i = 0; i < n; i++) {
		s = rs->start[l[i].period];
		e = rs->start[l[i].period + 1];
		if (s == DATE_NONE)
			continue;
		/* one per mentee and period: stable if the mentor changes */
		uid = xasprintf("%s-rotation-period-%d-%s", p->slug,
		    l[i].period, l[i].mentee_email);
		summary = xasprintf("Rotation period %d: %s with %s",
		    l[i].period, who(l[i].mentee_name, l[i].mentee_email),
		    who(l[i].mentor_name, l[i].mentor_email));
		strbuf_reset(&desc);
		strbuf_addf(&desc, "Period %d of %d of %s: mentor %s, mentee "
		    "%s", l[i].period, rs->P, p->name ? p->name : p->slug,
		    l[i].mentor_email, l[i].mentee_email);
		if (e != DATE_NONE)
			strbuf_addf(&desc, ", until %s", date_format(
			    date_add_days(e, -1), d));
		strbuf_addf(&desc, " (%s).", l[i].status);
		att[0].name = l[i].mentor_name;
		att[0].email = l[i].mentor_email;
		att[1].name = l[i].mentee_name;
		att[1].email = l[i].mentee_email;
		memset(&ev, 0, sizeof ev);
		ev.uid = uid;
		ev.timed = false;
		ev.date = s;
		ev.summary = summary;
		ev.description = desc.buf;
		ev.attendees = att;
		ev.nattendees = 2;
		rc = ics_event(&cal, &ev, ctx->now, &err);
		free(uid);
		free(summary);
		if (rc != 0) {
			rc = cmd_fail(&err);
			goto out;
		}
		nev++;
	}
	ics_end(&cal);
	rc = write_calendar(path, &cal, nev, "rotation meeting", p->slug);
out:
	strbuf_release(&cal);
	strbuf_release(&desc);
	return rc;
}

/* Whether period k overlaps [from, to] (either may be DATE_NONE: open). */
static bool
rotation_in_range(const struct rotation *rs, int k, int from, int to)
{
	int s = rs->start[k], e = rs->start[k + 1];

	if (from != DATE_NONE && e != DATE_NONE && e <= from)
		return false;
	if (to != DATE_NONE && s != DATE_NONE && s > to)
		return false;
	return true;
}

static int
rotation_schedule(struct ctx *ctx, struct cmd_args *args, long long pid,
    const struct program *p, int fmt)
{
	struct error err = ERROR_INIT;
	struct rotation rs;
	struct rotation_row *rows = NULL;
	struct rplan r;
	struct rline *l = NULL;
	const char *ics = cmd_opt(args, "ics");
	size_t nrows = 0, n = 0, i, npreview = 0;
	int rc, from = DATE_NONE, to = DATE_NONE;

	memset(&r, 0, sizeof r);
	if ((rc = cmd_opt_date(args, "from", &from)) != 0 ||
	    (rc = cmd_opt_date(args, "until", &to)) != 0)
		return rc;
	if ((rc = rotation_load(ctx, pid, p, &rs)) != 0)
		goto out;
	if (store_rotation_rows(ctx->db, pid, ctx->today, &rows, &nrows,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (rs.first <= rs.P &&
	    (rc = rotation_plan(ctx, &rs, rows, nrows, &r)) != 0)
		goto out;
	l = xcalloc(nrows + r.plan.n + 1, sizeof *l);
	for (i = 0; i < nrows; i++) {
		const struct rotation_row *x = &rows[i];

		if (strcmp(x->status, "declined") == 0 ||
		    strcmp(x->status, "expired") == 0 ||
		    !rotation_in_range(&rs, x->slot, from, to))
			continue;
		l[n].period = x->slot;
		l[n].mentor_email = x->mentor_email;
		l[n].mentor_name = x->mentor_name;
		l[n].mentee_email = x->mentee_email;
		l[n].mentee_name = x->mentee_name;
		l[n].status = x->status;
		l[n].id = x->id;
		l[n].score = x->score;
		n++;
	}
	/* who match would plan now, and how */
	for (i = 0; i < r.plan.n; i++) {
		const struct rounds_meeting *m = &r.plan.v[i];

		if (!rotation_in_range(&rs, rs.first + m->round, from, to))
			continue;
		l[n].period = rs.first + m->round;
		l[n].mentor_email = r.c.pool.mentors[m->mentor].email;
		l[n].mentee_email = r.c.pool.mentees[m->mentee].email;
		l[n].status = "preview";
		l[n].score = m->score;
		n++;
		npreview++;
	}
	if (n > 1)
		qsort(l, n, sizeof *l, rline_cmp);
	if (ics != NULL)
		rc = rotation_ics(ctx, &rs, l, n, ics);
	else
		rc = rotation_print(&rs, l, n, fmt);
	if (rc == 0 && npreview > 0)
		fprintf(stderr, "mentorctl: %zu meeting%s of %d mentee%s not "
		    "planned yet (status preview): 'mentorctl match %s' stores "
		    "them\n", npreview, npreview == 1 ? "" : "s",
		    r.plan.mentees_met, r.plan.mentees_met == 1 ? "" : "s",
		    p->slug);
out:
	free(l);
	rotation_rows_free(rows, nrows);
	rplan_free(&r);
	rotation_free(&rs);
	return rc;
}

int
cmd_rounds_schedule(struct ctx *ctx, struct cmd_args *args,
    long long program_id, const struct program *p, int fmt)
{
	if (p->format == FORMAT_FLASH)
		return flash_schedule(ctx, args, program_id, p, fmt);
	return rotation_schedule(ctx, args, program_id, p, fmt);
}

/* ---- rotation: the periods as cycles ---- */

/* Whether a waiting pairing's consent is complete. */
static bool
rotation_consented(const struct program *p, const struct rotation_row *x)
{
	switch (p->matching.consent) {
	case CONSENT_BOTH:
		return x->mentor_accepted && x->mentee_accepted;
	case CONSENT_MENTEE:
		return x->mentee_accepted;
	case CONSENT_NONE:
		break;
	}
	return true;
}

/*
 * Open period k on `start` (not after today): the cycle, then its consented
 * pairings turn active, and waiting proposals of later periods follow the
 * real dates.
 */
static int
rotation_open(struct ctx *ctx, struct rotation *rs, int k, int start)
{
	struct error err = ERROR_INIT;
	const struct program *p = rs->p;
	struct rotation_row *rows = NULL;
	struct cycle_dates cd;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	size_t nrows = 0, i, active = 0, waiting = 0;
	long long id, attached;
	int rc = 0, j;

	memset(&cd, 0, sizeof cd);
	cd.number = k;
	cd.starts_on = start;
	cd.ends_on = date_add_duration(start, p->rotation.every, 1);
	/* no re-up in a rotation: a window that closed before the period */
	cd.reup_opens_on = cd.reup_closes_on = date_add_days(start, -1);
	if (cd.ends_on == DATE_NONE || cd.ends_on <= start)
		return cmd_error(EX_DATAERR, "period %d of '%s' would end after "
		    "year %d", k, p->slug, DATE_MAX_YEAR);
	if (store_cycle_start(ctx->db, rs->pid, &cd, &id, &attached, &err) != 0)
		return cmd_fail(&err);
	/* the real dates from here on */
	rs->start[k] = start;
	for (j = k + 1; j <= rs->P + 1; j++)
		rs->start[j] = rounds_period_start(p->rotation.every, k, start,
		    j);
	if (store_rotation_rows(ctx->db, rs->pid, ctx->today, &rows, &nrows,
	    &err) != 0)
		return cmd_fail(&err);
	for (i = 0; i < nrows; i++) {
		struct rotation_row *x = &rows[i];
		int pon, eon;

		if (x->slot < k || (strcmp(x->status, "proposed") != 0 &&
		    strcmp(x->status, "planned") != 0))
			continue;
		if (x->slot == k && rotation_consented(p, x)) {
			if (store_pairing_activate(ctx->db, x->id, ctx->today,
			    &err) != 0) {
				rc = cmd_fail(&err);
				goto out;
			}
			active++;
			continue;
		}
		if (x->slot == k)
			waiting++;
		if (x->slot > rs->P || rs->start[x->slot] == DATE_NONE)
			continue;
		rotation_proposal_days(p, ctx->today, rs->start[x->slot], &pon,
		    &eon);
		if (pon > x->proposed_on)
			pon = x->proposed_on;
		if (x->expires_on != DATE_NONE && eon != DATE_NONE &&
		    eon < x->expires_on)
			eon = x->expires_on;
		if ((pon != x->proposed_on || eon != x->expires_on) &&
		    store_rotation_redate(ctx->db, x->id, pon, eon, &err) != 0) {
			rc = cmd_fail(&err);
			goto out;
		}
	}
	fprintf(stderr, "mentorctl: started period %d of %d of the rotation of "
	    "'%s': %s to %s; %zu pairing%s active%s", k, rs->P, p->slug,
	    date_format(start, b1), date_format(date_add_days(cd.ends_on, -1),
	    b2), active, active == 1 ? "" : "s", waiting ? ", " : "\n");
	if (waiting)
		fprintf(stderr, "%zu waiting for consent\n", waiting);
out:
	rotation_rows_free(rows, nrows);
	return rc;
}

static int
rotation_cycle_start(struct ctx *ctx, struct cmd_args *args,
    struct rotation *rs)
{
	struct error err = ERROR_INIT;
	const struct program *p = rs->p;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	int rc, k, start = DATE_NONE;

	if ((rc = cmd_opt_date(args, "on", &start)) != 0)
		return rc;
	if (rs->open > 0)
		return cmd_error(EX_DATAERR, "period %d of the rotation of '%s' "
		    "is open (%s to %s); close it with 'mentorctl cycle close "
		    "%s'", rs->open, p->slug, date_format(rs->open_row.d.starts_on,
		    b1), date_format(date_add_days(rs->open_row.d.ends_on, -1), b2),
		    p->slug);
	k = rs->has_last ? rs->last_row.d.number + 1 : 1;
	if (k > rs->P)
		return cmd_error(EX_DATAERR, "the rotation of '%s' is complete: "
		    "all %d periods have run", p->slug, rs->P);
	if (start == DATE_NONE)
		start = rs->start[k];
	else if (rs->has_last && start < rs->last_row.d.ends_on)
		return cmd_error(EX_DATAERR, "period %d cannot start on %s, "
		    "before period %d ends on %s", k, date_format(start, b1),
		    k - 1, date_format(rs->last_row.d.ends_on, b2));
	if (start > ctx->today)
		return cmd_error(EX_DATAERR, "period %d of the rotation of '%s' "
		    "starts on %s: open it on that day (its pairings turn "
		    "active when it opens)", k, p->slug, date_format(start, b1));
	if (cmd_opt(args, "on") == NULL && date_add_duration(start,
	    p->rotation.every, 1) <= ctx->today)
		return cmd_error(EX_DATAERR, "period %d would run from %s, which "
		    "is over; give the start with --on DATE", k,
		    date_format(start, b1));
	if (store_pairing_expire(ctx->db, ctx->today, NULL, &err) != 0)
		return cmd_fail(&err);
	return rotation_open(ctx, rs, k, start);
}

static int
rotation_cycle_close(struct ctx *ctx, struct cmd_args *args,
    struct rotation *rs)
{
	static const struct out_col cols[] = {
		{ "pairing", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "period", OUT_INT },
		{ "outcome", OUT_STR },
	};
	struct error err = ERROR_INIT;
	const struct program *p = rs->p;
	struct cycle_member *v = NULL;
	struct cycle_row c = rs->open_row;
	struct out *o;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ], *reason = NULL;
	size_t n = 0, i, expired = 0;
	int rc = 0, fmt, ended_on, k = rs->open;

	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if (k == 0)
		return cmd_error(EX_DATAERR, "programme '%s' has no open period",
		    p->slug);
	if (ctx->today < c.d.ends_on && !cmd_flag(args, "force"))
		return cmd_error(EX_DATAERR, "period %d of the rotation of '%s' "
		    "runs until %s; close it from %s, or give --force to close "
		    "it now", k, p->slug, date_format(date_add_days(c.d.ends_on,
		    -1), b1), date_format(c.d.ends_on, b2));
	if (store_cycle_members(ctx->db, c.id, &v, &n, &err) != 0)
		return cmd_fail(&err);
	ended_on = ctx->today < c.d.ends_on ? ctx->today : c.d.ends_on;
	reason = xasprintf("rotation period %d over", k);
	for (i = 0; i < n; i++) {
		if (store_pairing_end(ctx->db, v[i].pairing_id, ended_on < v[i].
		    activated_on ? v[i].activated_on : ended_on, reason, NULL,
		    &err) != 0) {
			rc = cmd_fail(&err);
			goto out;
		}
	}
	if (store_rotation_expire_slot(ctx->db, rs->pid, k, &expired,
	    &err) != 0 || store_cycle_close(ctx->db, rs->pid, &c, NULL, 0,
	    ctx->today, NULL, NULL, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	o = out_new(stdout, (enum out_format)fmt, cols, 5, 0);
	for (i = 0; i < n; i++) {
		char id[24], per[16];
		const char *cells[5];

		snprintf(id, sizeof id, "%lld", v[i].pairing_id);
		snprintf(per, sizeof per, "%d", k);
		cells[0] = id;
		cells[1] = v[i].mentor_email;
		cells[2] = v[i].mentee_email;
		cells[3] = per;
		cells[4] = "ended";
		out_row(o, cells);
	}
	if ((rc = cmd_out_done(o)) != 0)
		goto out;
	fprintf(stderr, "mentorctl: closed period %d of %d of the rotation of "
	    "'%s': %zu pairing%s ended%s%zu unanswered proposal%s expired\n", k,
	    rs->P, p->slug, n, n == 1 ? "" : "s", "; ", expired,
	    expired == 1 ? "" : "s");
	if (k == rs->P) {
		fprintf(stderr, "mentorctl: the rotation of '%s' is complete\n",
		    p->slug);
		goto out;
	}
	/* the next period follows on at once, unless it is still to come */
	if (c.d.ends_on > ctx->today) {
		fprintf(stderr, "mentorctl: period %d starts on %s: open it then "
		    "with 'mentorctl cycle start %s'\n", k + 1,
		    date_format(c.d.ends_on, b1), p->slug);
		goto out;
	}
	rs->has_last = true;
	rs->last_row = c;
	rc = rotation_open(ctx, rs, k + 1, c.d.ends_on);
out:
	free(reason);
	cycle_members_free(v, n);
	return rc;
}

int
cmd_rounds_cycle(struct ctx *ctx, struct cmd_args *args, bool close)
{
	struct rotation rs;
	struct program *p = NULL;
	long long pid;
	int rc;

	if ((rc = cmd_load_program(ctx, args->pos[0], &pid, &p)) != 0)
		return rc;
	if (p->format != FORMAT_ROTATIONAL) {
		program_free(p);
		return -1;
	}
	if ((rc = rotation_load(ctx, pid, p, &rs)) == 0)
		rc = close ? rotation_cycle_close(ctx, args, &rs) :
		    rotation_cycle_start(ctx, args, &rs);
	rotation_free(&rs);
	program_free(p);
	return rc;
}

/* ---- group circles: checkin --group ---- */

static const struct out_col group_cols[] = {
	{ "pairing", OUT_INT }, { "mentee_email", OUT_STR },
	{ "meeting", OUT_INT }, { "held_on", OUT_STR }, { "minutes", OUT_INT },
	{ "rating", OUT_INT }, { "topic", OUT_STR }, { "next_due_on", OUT_STR },
	{ "status", OUT_STR },
};

/*
 * Log the meeting for one member and print its row, whose status says what
 * happened: "logged", "replaced", or why it was left out ("joined later",
 * "logged already": a re-run changes nothing).  0 or the exit status.
 */
static int
group_member(struct ctx *ctx, struct cmd_args *args, const struct program *p,
    long long id, const struct checkin_in *tmpl, struct out *o,
    size_t *logged)
{
	struct error err = ERROR_INIT;
	struct cycle_pairing pr;
	struct checkin_in in = *tmpl;
	struct sched_status st;
	const char *cells[9], *status;
	char sid[24], num[16], min[16], rat[16], held[DATE_BUFSZ],
	    due[DATE_BUFSZ];
	long long existing = 0, cid;
	int *days = NULL, meeting = 0, rc;
	size_t ndays = 0, k;

	memset(cells, 0, sizeof cells);
	if (store_cycle_pairing(ctx->db, id, &pr, &err) != 0)
		return cmd_fail(&err);
	if (pr.activated_on != DATE_NONE && in.held_on < pr.activated_on) {
		status = "joined later";
		goto print;
	}
	if ((rc = store_checkin_on(ctx->db, id, in.held_on, &existing,
	    &err)) < 0) {
		rc = cmd_fail(&err);
		goto done;
	}
	if (rc == 1 && !cmd_flag(args, "replace")) {
		status = "logged already";
		goto print;
	}
	if (store_checkin_days(ctx->db, id, &days, &ndays, &err) != 0) {
		rc = cmd_fail(&err);
		goto done;
	}
	for (k = 0; k < ndays; k++)
		if (days[k] != DATE_NONE && days[k] < in.held_on)
			meeting++;
	meeting++;
	in.pairing_id = id;
	if (in.topic == NULL)
		in.topic = sched_prompt(&p->checkins, meeting);
	if (store_checkin_add(ctx->db, &in, existing, meeting, &cid,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto done;
	}
	status = existing ? "replaced" : "logged";
	(*logged)++;
	if (existing == 0) {
		days = xreallocarray(days, ndays + 1, sizeof *days);
		days[ndays++] = in.held_on;
	}
	if (p->checkins.present && p->checkins.every.n > 0 &&
	    sched_status(&p->checkins, cycle_pairing_anchor(&pr), days, ndays,
	    ctx->today, &st, NULL) == 0)
		cells[7] = date_format(st.due_on, due);
print:
	snprintf(sid, sizeof sid, "%lld", id);
	snprintf(num, sizeof num, "%d", meeting);
	snprintf(min, sizeof min, "%d", in.minutes);
	snprintf(rat, sizeof rat, "%d", in.rating);
	cells[0] = sid;
	cells[1] = pr.mentee_email;
	cells[2] = meeting > 0 ? num : NULL;
	cells[3] = date_format(in.held_on, held);
	cells[4] = in.minutes > 0 ? min : NULL;
	cells[5] = in.rating > 0 ? rat : NULL;
	cells[6] = meeting > 0 ? in.topic : NULL;
	cells[8] = status;
	out_row(o, cells);
	rc = 0;
done:
	free(days);
	cycle_pairing_free(&pr);
	return rc;
}

int
cmd_rounds_checkin_group(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	struct checkin_in tmpl;
	struct program *p = NULL;
	struct out *o = NULL;
	const char *topic = cmd_opt(args, "topic");
	long long id, pid, *ids = NULL;
	long minutes = 0, rating = 0;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	size_t n = 0, i, logged = 0;
	int rc, fmt, on = DATE_NONE;

	memset(&r, 0, sizeof r);
	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = cmd_checkin_args(args, &id, &on, &minutes, &rating)) != 0)
		return rc;
	if (on > ctx->today)
		return cmd_error(EX_DATAERR, "check-in date %s is in the future "
		    "(today is %s)", date_format(on, b1),
		    date_format(ctx->today, b2));
	if (store_pairing_get(ctx->db, id, &r, &err) != 0)
		return cmd_fail(&err);
	if (r.group_id <= 0) {
		rc = cmd_error(EX_DATAERR, "pairing %lld is in no circle: --group "
		    "is for the pairings of a group programme", id);
		goto out;
	}
	if (r.status != PAIRING_ACTIVE) {
		rc = cmd_error(EX_DATAERR, "pairing %lld is %s, not active: "
		    "check-ins are for active pairings", id,
		    pairing_status_name(r.status));
		goto out;
	}
	if ((rc = cmd_load_program(ctx, r.program, &pid, &p)) != 0)
		goto out;
	if (store_group_active(ctx->db, r.program_id, r.group_id, &ids, &n,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	memset(&tmpl, 0, sizeof tmpl);
	tmpl.held_on = on;
	tmpl.minutes = (int)minutes;
	tmpl.rating = (int)rating;
	tmpl.topic = topic != NULL && *topic != '\0' ? topic : NULL;
	tmpl.notes = cmd_opt(args, "notes");
	tmpl.recorded_by = cmd_actor(ctx, args);
	o = out_new(stdout, (enum out_format)fmt, group_cols,
	    sizeof group_cols / sizeof group_cols[0], 0);
	for (i = 0; i < n; i++)
		if ((rc = group_member(ctx, args, p, ids[i], &tmpl, o,
		    &logged)) != 0) {
			out_free(o);
			goto out;
		}
	if ((rc = cmd_out_done(o)) != 0)
		goto out;
	fprintf(stderr, "mentorctl: circle meeting of %s in group %lld (mentor "
	    "'%s'): logged for %zu of %zu active member%s\n",
	    date_format(on, b1), r.group_id, r.mentor_email, logged, n,
	    n == 1 ? "" : "s");
out:
	free(ids);
	pairing_rec_free(&r);
	program_free(p);
	return rc;
}
