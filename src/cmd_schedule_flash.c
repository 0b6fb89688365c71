/*
 * schedule PROGRAM of a flash programme (see cmd_schedule.c): the session's
 * rounds as printable tables or one listing, per-person itineraries
 * (--for), and a calendar of one event per table and round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "core/date.h"
#include "core/flash.h"
#include "core/program.h"
#include "io/calendar.h"
#include "ops/flash.h"
#include "schedule_int.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/tz.h"
#include "util/xmalloc.h"

/* ---- flash ---- */

/*
 * Round r's start as an instant: the first round at its local time, the
 * later ones by the time elapsed since, as the session runs in the room.
 * Across a daylight-saving change the rounds stay consecutive: a round
 * whose wall-clock time falls in the skipped hour starts one round after
 * the previous one (a 01:30 start in Paris on 2027-03-28 has its second
 * hour-long round at 03:30 CEST), never at the same instant as the next.
 * -1 without a start, a day or a time zone.
 */
static int
flash_round_instant(const struct program *p, int round, time_t *t)
{
	time_t first;

	if (!p->flash.has_start || p->flash.date == DATE_NONE ||
	    tz_local_to_utc(p->flash.timezone, p->flash.date, p->flash.start,
	    &first) != 0)
		return -1;
	*t = first + (time_t)(flash_round_start(p, round) - p->flash.start) *
	    60;
	return 0;
}

/*
 * The wall clock `after` minutes into round r, in minutes after midnight
 * of flash.date (from the instant, so a daylight-saving change shows);
 * flash_round_start's arithmetic without a zone; -1 without a start.
 */
static int
flash_local(const struct program *p, int round, int after)
{
	time_t t;
	int day, min;

	if (!p->flash.has_start)
		return -1;
	if (flash_round_instant(p, round, &t) == 0 &&
	    tz_utc_to_local(p->flash.timezone, t + (time_t)after * 60, &day,
	    &min) == 0)
		return (day - p->flash.date) * 24 * 60 + min;
	return flash_round_start(p, round) + after;
}

static void
flash_srow(const struct program *p, const struct ops_flash *f, size_t e,
    struct srow *r)
{
	const struct rounds_meeting *m = &f->s.plan.v[e];

	memset(r, 0, sizeof *r);
	r->number = m->round + 1;
	r->mentor_email = f->mentor_email[m->mentor];
	r->mentee_email = f->mentee_email[m->mentee];
	r->date = p->flash.date;
	r->until = DATE_NONE;
	r->start = flash_local(p, m->round, 0);
	r->end = flash_local(p, m->round, p->flash.minutes);
	r->table = f->s.table[m->mentor];
	/* computed: planned; confirmed (flash seat): seated, came, absent */
	r->status = !f->stored ? "planned" : f->attended[e] == 1 ? "came" :
	    f->attended[e] == 0 ? "absent" : "seated";
	r->has_score = true;
	r->score = m->score;
	r->mentor_name = f->mentor_name[m->mentor];
	r->mentee_name = f->mentee_name[m->mentee];
}

/* The mentees who sit out round r, ", "-separated into sb. */
static void
flash_sitting_out(const struct ops_flash *f, int r, struct strbuf *sb)
{
	bool *seated = xcalloc((size_t)f->s.nmentees + 1, sizeof *seated);
	size_t e;
	int i;

	for (e = 0; e < f->s.plan.n; e++)
		if (f->s.plan.v[e].round == r)
			seated[f->s.plan.v[e].mentee] = true;
	for (i = 0; i < f->s.nmentees; i++)
		if (!seated[i])
			strbuf_addf(sb, "%s%s", sb->len ? ", " : "",
			    f->mentee_email[i]);
	free(seated);
}

/* Table: a printable table per round; csv and json: one listing. */
static int
flash_print(struct ctx *ctx, const struct ops_flash *f, const char *email,
    struct error *err)
{
	const struct program *p = ctx->program;
	struct strbuf sb = STRBUF_INIT;
	struct srow row;
	struct out *o;
	char s1[8], s2[8];
	size_t e = 0;
	int r, rc = 0;

	if (ctx->fmt != OUT_TABLE) {
		o = cmd_out_new(ctx, schedule_round_cols, SCHEDULE_NCOLS);
		for (e = 0; e < f->s.plan.n; e++) {
			const struct rounds_meeting *m = &f->s.plan.v[e];

			if (!schedule_row_for(email, f->mentor_email[m->mentor],
			    f->mentee_email[m->mentee]))
				continue;
			flash_srow(p, f, e, &row);
			schedule_srow_out(o, &row, "round");
		}
		return cmd_out_end(o, err);
	}
	for (r = 0; r < f->s.nrounds && rc == 0; r++) {
		fprintf(ctx->out, "%sRound %d", r ? "\n" : "", r + 1);
		if (p->flash.has_start)
			fprintf(ctx->out, ", %s-%s", flash_clock(
			    flash_local(p, r, 0), s1), flash_clock(
			    flash_local(p, r, p->flash.minutes), s2));
		fprintf(ctx->out, "\n");
		o = cmd_out_new(ctx, schedule_round_cols, SCHEDULE_NCOLS);
		for (; e < f->s.plan.n && f->s.plan.v[e].round == r; e++) {
			flash_srow(p, f, e, &row);
			schedule_srow_out(o, &row, "round");
		}
		rc = cmd_out_end(o, err);
		strbuf_reset(&sb);
		flash_sitting_out(f, r, &sb);
		if (sb.len > 0)
			fprintf(ctx->out, "not seated this round: %s\n", sb.buf);
	}
	strbuf_release(&sb);
	return rc;
}

/*
 * One person's itinerary, printable: round, time, table, partner(s).
 * 1 when the person has a seat, 0 when not.
 */
static int
flash_itinerary(struct ctx *ctx, const struct ops_flash *f, int person,
    bool mentor, struct strbuf *sb)
{
	const struct program *p = ctx->program;
	const char *email = mentor ? f->mentor_email[person] :
	    f->mentee_email[person];
	const char *name = mentor ? f->mentor_name[person] :
	    f->mentee_name[person];
	char day[DATE_BUFSZ], s1[8], s2[8];
	size_t e;
	int r, found = 0;

	strbuf_addf(sb, "%s <%s>, %s: %s%s%s\n", schedule_who(name, email), email,
	    mentor ? "host" : "guest", p->name ? p->name : p->slug,
	    p->flash.date == DATE_NONE ? "" : ", ", p->flash.date == DATE_NONE ?
	    "" : date_format(p->flash.date, day));
	for (r = 0; r < f->s.nrounds; r++) {
		struct strbuf partners = STRBUF_INIT;
		int table = 0;

		for (e = 0; e < f->s.plan.n; e++) {
			const struct rounds_meeting *m = &f->s.plan.v[e];

			if (m->round != r || (mentor ? m->mentor != person :
			    m->mentee != person))
				continue;
			table = f->s.table[m->mentor];
			strbuf_addf(&partners, "%s%s", partners.len ? ", " : "",
			    mentor ? schedule_who(f->mentee_name[m->mentee],
			    f->mentee_email[m->mentee]) :
			    schedule_who(f->mentor_name[m->mentor],
			    f->mentor_email[m->mentor]));
		}
		strbuf_addf(sb, "  round %d", r + 1);
		if (p->flash.has_start)
			strbuf_addf(sb, "  %s-%s", flash_clock(
			    flash_local(p, r, 0), s1), flash_clock(
			    flash_local(p, r, p->flash.minutes), s2));
		if (table > 0) {
			strbuf_addf(sb, "  table %d  %s\n", table, partners.buf);
			found = 1;
		} else {
			strbuf_addstr(sb, "  -  (a break)\n");
		}
		strbuf_release(&partners);
	}
	return found;
}

static int
flash_itineraries(struct ctx *ctx, const struct ops_flash *f,
    const char *email, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	bool all = strcmp(email, "all") == 0;
	int i, n = 0;

	for (i = 0; i < f->s.nmentors; i++)
		if (all || strcasecmp(email, f->mentor_email[i]) == 0) {
			if (n++)
				strbuf_addch(&sb, '\n');
			flash_itinerary(ctx, f, i, true, &sb);
		}
	for (i = 0; i < f->s.nmentees; i++)
		if (all || strcasecmp(email, f->mentee_email[i]) == 0) {
			if (n++)
				strbuf_addch(&sb, '\n');
			flash_itinerary(ctx, f, i, false, &sb);
		}
	if (n == 0) {
		strbuf_release(&sb);
		return error_set(err, EX_DATAERR, "'%s' has no seat in the flash "
		    "session of '%s' (not an eligible mentor or mentee)", email,
		    ctx->slug);
	}
	fwrite(sb.buf, 1, sb.len, ctx->out);
	strbuf_release(&sb);
	return 0;
}

/* One event per table per round: the host and the mentees seated there. */
static int
flash_ics(struct ctx *ctx, const struct ops_flash *f, const char *path,
    const char *prefix, const char *email, struct error *err)
{
	const struct program *p = ctx->program;
	struct strbuf summary = STRBUF_INIT, desc = STRBUF_INIT,
	    names = STRBUF_INIT;
	struct calendar cal;
	struct calendar_event *ev;
	char key[96], day[DATE_BUFSZ], loc[32], s1[8];
	size_t e, next, k;
	bool mine;
	time_t t;
	int rc = -1;

	schedule_cal_open(ctx, &cal, prefix);
	for (e = 0; e < f->s.plan.n; e = next) {
		const struct rounds_meeting *m = &f->s.plan.v[e];
		const char *host = schedule_who(f->mentor_name[m->mentor],
		    f->mentor_email[m->mentor]);

		strbuf_reset(&names);
		mine = schedule_row_for(email, f->mentor_email[m->mentor], "");
		for (next = e; next < f->s.plan.n && f->s.plan.v[next].round ==
		    m->round && f->s.plan.v[next].mentor == m->mentor; next++) {
			k = (size_t)f->s.plan.v[next].mentee;
			strbuf_addf(&names, "%s%s", names.len ? ", " : "",
			    schedule_who(f->mentee_name[k], f->mentee_email[k]));
			mine = mine || schedule_row_for(email, "", f->mentee_email[k]);
		}
		if (!mine)
			continue;
		snprintf(key, sizeof key, "flash-%s-round-%d-host-%lld",
		    date_format(p->flash.date, day), m->round + 1,
		    f->mentor_enrollment[m->mentor]);
		snprintf(loc, sizeof loc, "Table %d", f->s.table[m->mentor]);
		strbuf_reset(&summary);
		strbuf_addf(&summary, "%s: round %d, table %d", p->name ?
		    p->name : p->slug, m->round + 1, f->s.table[m->mentor]);
		strbuf_reset(&desc);
		strbuf_addf(&desc, "Round %d of %d, %d minutes, at table %d: %s "
		    "hosts %s.", m->round + 1, p->flash.rounds,
		    p->flash.minutes, f->s.table[m->mentor], host, names.buf);
		if (p->flash.has_start)
			strbuf_addf(&desc, " Be at the table at %s.",
			    flash_clock(flash_local(p, m->round, 0), s1));
		if (p->contact != NULL)
			strbuf_addf(&desc, " Questions: %s.", p->contact);
		ev = calendar_add(&cal, key, summary.buf, desc.buf, loc);
		if (flash_round_instant(p, m->round, &t) == 0) {
			ev->ev.timed = true;
			ev->ev.start = t;
			ev->ev.minutes = p->flash.minutes;
		} else {
			ev->ev.timed = false;
			ev->ev.date = p->flash.date;
		}
	}
	rc = schedule_cal_write(ctx, &cal, path, "table-round", err);
	calendar_free(&cal);
	strbuf_release(&summary);
	strbuf_release(&desc);
	strbuf_release(&names);
	return rc;
}

static void
flash_summary(struct ctx *ctx, const struct ops_flash *f)
{
	const struct program *p = ctx->program;
	const struct flash_session *s = &f->s;
	char day[DATE_BUFSZ];
	int full = flash_full(s);

	if (f->stored) {
		size_t e, came = 0, absent = 0;

		for (e = 0; e < s->plan.n; e++) {
			came += f->attended[e] == 1;
			absent += f->attended[e] == 0;
		}
		cmd_note(ctx, "the seating is confirmed (flash seat): %zu of %zu "
		    "seats came, %zu absent, %zu not recorded", came, s->plan.n,
		    absent, s->plan.n - came - absent);
	}
	cmd_note(ctx, "flash session of '%s'%s%s: %d round%s, %d mentee%s, %d "
	    "mentor%s (tables of %d): %zu meeting%s; %d mentee%s meet%s %d "
	    "mentors, %d fewer; total score %lld.%02lld", p->slug,
	    p->flash.date == DATE_NONE ? "" : " on ",
	    p->flash.date == DATE_NONE ? "" : date_format(p->flash.date, day),
	    s->nrounds, s->nrounds == 1 ? "" : "s", s->nmentees,
	    s->nmentees == 1 ? "" : "s", s->nmentors,
	    s->nmentors == 1 ? "" : "s", p->flash.table_size, s->plan.n,
	    s->plan.n == 1 ? "" : "s", full, full == 1 ? "" : "s",
	    full == 1 ? "s" : "", s->nrounds, s->nmentees - full,
	    (long long)(s->plan.total / 100),
	    (long long)(s->plan.total % 100));
}

int
schedule_flash(struct ctx *ctx, const struct schedule_opts *opt,
    const char *prefix, struct error *err)
{
	const struct program *p = ctx->program;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_flash f;
	int rc;

	if (opt->ics != NULL && p->flash.date == DATE_NONE)
		return error_set(err, EX_DATAERR, "programme '%s' sets no "
		    "flash.date: the session has no day to put in a calendar",
		    p->slug);
	if (ops_flash_plan(&o, ctx->program_id, p, &f, err) != 0) {
		ops_flash_free(&f);
		return -1;
	}
	if (opt->ics != NULL)
		rc = flash_ics(ctx, &f, opt->ics, prefix, opt->who, err);
	else if (opt->who != NULL && ctx->fmt == OUT_TABLE)
		rc = flash_itineraries(ctx, &f, opt->who, err);
	else
		rc = flash_print(ctx, &f, opt->who, err);
	if (rc == 0 && opt->who == NULL)
		flash_summary(ctx, &f);
	ops_flash_free(&f);
	return rc;
}

