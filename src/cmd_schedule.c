/*
 * schedule PROGRAM [--from DATE] [--until DATE] [--ics FILE]: what is
 * coming, as a listing or an RFC 5545 calendar.
 *
 *   one-to-one, group, peer, reverse: the check-ins each active pairing
 *       owes next, from `checkins.every` and its last meeting
 *       (core/schedule.h), with the prompt for each;
 *   flash: the session's rounds and tables (ops/flash.h);
 *   rotational: who meets whom in which period (ops/rotation.h), stored
 *       or, for mentees not planned yet, what match would plan.
 *
 * Calendar UIDs stay the same from one export to the next, so that
 * importing again updates the events instead of duplicating them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/flash.h"
#include "core/program.h"
#include "core/schedule.h"
#include "io/ics.h"
#include "ops/flash.h"
#include "ops/rotation.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/tz.h"
#include "util/xmalloc.h"
#include "version.h"

/* Without an open cycle to end at, this many days from --from. */
#define SCHEDULE_DEFAULT_DAYS 90

struct schedule_opts {
	int from;
	int until;
	const char *ics;
};

static const struct cmd_option schedule_options[] = {
	OPT_DATE("from", struct schedule_opts, from,
	    "first day to list (default: today)"),
	OPT_DATE("until", struct schedule_opts, until, "last day to list "
	    "(default: the end of the open cycle, else 90 days)"),
	OPT_STRING("ics", "FILE", struct schedule_opts, ics, "write an "
	    "iCalendar file instead ('-': standard output)"),
	OPT_END,
};

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

static const char *
who(const char *name, const char *email)
{
	return name != NULL && name[0] != '\0' ? name : email;
}

static int
write_calendar(struct ctx *ctx, const char *path, const struct strbuf *cal,
    size_t nevents, const char *what, struct error *err)
{
	struct file_out fo;

	if (file_out_open(&fo, path, err) != 0)
		return -1;
	if (fwrite(cal->buf, 1, cal->len, fo.fp) != cal->len) {
		file_out_abort(&fo);
		return error_set(err, EX_IOERR, "cannot write '%s'", path);
	}
	if (file_out_commit(&fo, err) != 0)
		return -1;
	if (strcmp(path, "-") != 0)
		cmd_note(ctx, "wrote %zu %s%s of '%s' to '%s'", nevents, what,
		    nevents == 1 ? "" : "s", ctx->slug, path);
	return 0;
}

/* ---- check-ins ---- */

struct sched_item {
	const struct remind_pairing *pr;
	struct sched_slot slot;
};

struct sched_items {
	struct sched_item *v;
	size_t n;
	size_t cap;
};

static int
sched_item_cmp(const void *a, const void *b)
{
	const struct sched_item *x = a, *y = b;

	if (x->slot.due_on != y->slot.due_on)
		return x->slot.due_on < y->slot.due_on ? -1 : 1;
	if (x->pr->id != y->pr->id)
		return x->pr->id < y->pr->id ? -1 : 1;
	return (x->slot.number > y->slot.number) -
	    (x->slot.number < y->slot.number);
}

/* Every pairing's check-ins in from..to, by day, then pairing. */
static void
checkins_collect(const struct program *p, const struct checkin_roster *r,
    int today, int from, int to, struct sched_items *items)
{
	struct sched_status st;
	struct sched_slot *slots;
	size_t i, k, n;

	for (i = 0; i < r->n; i++) {
		const struct remind_pairing *pr = &r->v[i];

		if (sched_status(&p->checkins, pr->anchor, pr->meetings,
		    pr->nmeetings, today, &st, NULL) != 0)
			continue;
		n = sched_upcoming(&p->checkins, &st, from, to, &slots);
		for (k = 0; k < n; k++) {
			XGROW(items->v, items->n + 1, items->cap);
			items->v[items->n].pr = pr;
			items->v[items->n].slot = slots[k];
			items->n++;
		}
		free(slots);
	}
	if (items->n > 1)
		qsort(items->v, items->n, sizeof items->v[0], sched_item_cmp);
}

static int
checkins_print(struct ctx *ctx, const struct sched_items *items,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "meeting", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "date", OUT_DATE },
		{ "pairing", OUT_INT }, { "prompt", OUT_STR },
	};
	struct out *o;
	size_t i;

	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < items->n; i++) {
		const struct sched_item *it = &items->v[i];

		out_int(o, "meeting", it->slot.number);
		out_str(o, "mentor_email", it->pr->mentor.email);
		out_str(o, "mentee_email", it->pr->mentee.email);
		out_date(o, "date", it->slot.due_on);
		out_int(o, "pairing", it->pr->id);
		out_str(o, "prompt", it->slot.prompt);
		out_end_row(o);
	}
	return cmd_out_end(o, err);
}

static int
checkin_event(struct strbuf *cal, const struct program *p,
    const struct sched_item *it, time_t now, struct error *err)
{
	struct ics_attendee att[2];
	struct ics_event ev;
	char *uid, *summary;
	struct strbuf desc = STRBUF_INIT;
	int rc;

	uid = xasprintf("%s-pairing-%lld-meeting-%d", p->slug, it->pr->id,
	    it->slot.number);
	summary = xasprintf("Mentoring check-in %d: %s and %s", it->slot.number,
	    who(it->pr->mentor.name, it->pr->mentor.email),
	    who(it->pr->mentee.name, it->pr->mentee.email));
	strbuf_addf(&desc, "Meeting %d of pairing %lld in %s.", it->slot.number,
	    it->pr->id, p->name ? p->name : p->slug);
	if (it->slot.prompt != NULL)
		strbuf_addf(&desc, "\nSuggested topic: %s", it->slot.prompt);
	strbuf_addf(&desc, "\nRecord it with: mentorctl checkin %lld --on "
	    "YYYY-MM-DD", it->pr->id);
	att[0].name = it->pr->mentor.name;
	att[0].email = it->pr->mentor.email;
	att[1].name = it->pr->mentee.name;
	att[1].email = it->pr->mentee.email;
	memset(&ev, 0, sizeof ev);
	ev.uid = uid;
	ev.timed = false;
	ev.date = it->slot.due_on;
	ev.summary = summary;
	ev.description = desc.buf;
	ev.attendees = att;
	ev.nattendees = 2;
	rc = ics_event(cal, &ev, now, err);
	free(uid);
	free(summary);
	strbuf_release(&desc);
	return rc;
}

static int
checkins_ics(struct ctx *ctx, const char *path, const struct program *p,
    const struct sched_items *items, struct error *err)
{
	struct strbuf cal = STRBUF_INIT;
	size_t i;
	int rc = -1;

	ics_begin(&cal, MENTORCTL_VERSION, p->name);
	for (i = 0; i < items->n; i++)
		if (checkin_event(&cal, p, &items->v[i], ctx->now, err) != 0)
			goto out;
	ics_end(&cal);
	rc = write_calendar(ctx, path, &cal, items->n, "check-in", err);
out:
	strbuf_release(&cal);
	return rc;
}

/* --until by default: the open cycle's last day, else 90 days on. */
static int
checkins_horizon(struct ctx *ctx, int from, int *to, struct error *err)
{
	struct cycle_row c;
	int rc;

	if ((rc = store_cycle_open(ctx->db, ctx->program_id, &c, err)) < 0)
		return -1;
	if (rc == 1 && c.d.ends_on - 1 >= from)
		*to = c.d.ends_on - 1;
	else
		*to = date_add_days(from, SCHEDULE_DEFAULT_DAYS - 1);
	return 0;
}

static int
schedule_checkins(struct ctx *ctx, const struct schedule_opts *opt,
    struct error *err)
{
	const struct program *p = ctx->program;
	struct checkin_roster r;
	struct sched_items items = { NULL, 0, 0 };
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	int from = opt->from != DATE_NONE ? opt->from : ctx->today;
	int to = opt->until, rc = -1;

	memset(&r, 0, sizeof r);
	if (!p->checkins.present || p->checkins.every.n <= 0)
		return error_set(err, EX_DATAERR, "programme '%s' has no check-in "
		    "interval (checkins.every): nothing to schedule", p->slug);
	if (to == DATE_NONE && checkins_horizon(ctx, from, &to, err) != 0)
		return -1;
	if (to < from)
		return error_set(err, EX_DATAERR, "--until %s is before --from %s",
		    date_format(to, b1), date_format(from, b2));
	if (store_checkin_roster(ctx->db, ctx->program_id, ctx->today,
	    ROSTER_ACTIVE | ROSTER_ALL_MEETINGS, &r, err) != 0)
		goto out;
	checkins_collect(p, &r, ctx->today, from, to, &items);
	if (opt->ics != NULL)
		rc = checkins_ics(ctx, opt->ics, p, &items, err);
	else
		rc = checkins_print(ctx, &items, err);
out:
	free(items.v);
	checkin_roster_free(&r);
	return rc;
}

/* ---- flash ---- */

static const struct out_col flash_cols[] = {
	{ "round", OUT_INT }, { "mentor_email", OUT_STR },
	{ "mentee_email", OUT_STR }, { "date", OUT_DATE },
	{ "table", OUT_INT }, { "start", OUT_STR }, { "end", OUT_STR },
	{ "score", OUT_REAL },
};
#define FLASH_NCOLS (sizeof flash_cols / sizeof flash_cols[0])

static void
flash_row(struct out *o, const struct program *p, const struct ops_flash *f,
    const struct rounds_meeting *m)
{
	char s1[8], s2[8];

	out_int(o, "round", m->round + 1);
	out_str(o, "mentor_email", f->mentor_email[m->mentor]);
	out_str(o, "mentee_email", f->mentee_email[m->mentee]);
	out_date(o, "date", p->flash.date);
	out_int(o, "table", f->s.table[m->mentor]);
	if (p->flash.has_start) {
		out_str(o, "start", flash_clock(flash_round_start(p, m->round),
		    s1));
		out_str(o, "end", flash_clock(flash_round_end(p, m->round), s2));
	}
	out_centi(o, "score", m->score);
	out_end_row(o);
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
flash_print(struct ctx *ctx, const struct program *p,
    const struct ops_flash *f, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct out *o;
	char s1[8], s2[8];
	size_t e = 0;
	int r, rc = 0;

	if (ctx->fmt != OUT_TABLE) {
		o = cmd_out_new(ctx, flash_cols, FLASH_NCOLS);
		for (e = 0; e < f->s.plan.n; e++)
			flash_row(o, p, f, &f->s.plan.v[e]);
		return cmd_out_end(o, err);
	}
	for (r = 0; r < f->s.nrounds && rc == 0; r++) {
		fprintf(ctx->out, "%sRound %d", r ? "\n" : "", r + 1);
		if (p->flash.has_start)
			fprintf(ctx->out, ", %s-%s", flash_clock(
			    flash_round_start(p, r), s1), flash_clock(
			    flash_round_end(p, r), s2));
		fprintf(ctx->out, "\n");
		o = cmd_out_new(ctx, flash_cols, FLASH_NCOLS);
		for (; e < f->s.plan.n && f->s.plan.v[e].round == r; e++)
			flash_row(o, p, f, &f->s.plan.v[e]);
		rc = cmd_out_end(o, err);
		strbuf_reset(&sb);
		flash_sitting_out(f, r, &sb);
		if (sb.len > 0)
			fprintf(ctx->out, "not seated this round: %s\n", sb.buf);
	}
	strbuf_release(&sb);
	return rc;
}

/* One event per table per round: the host and the mentees seated there. */
static int
flash_event(struct strbuf *cal, const struct program *p,
    const struct ops_flash *f, size_t from, size_t to, time_t now,
    struct error *err)
{
	const struct rounds_meeting *m = &f->s.plan.v[from];
	const char *host = f->mentor_email[m->mentor];
	struct ics_attendee *att;
	struct ics_event ev;
	struct strbuf desc = STRBUF_INIT, names = STRBUF_INIT;
	char day[DATE_BUFSZ], *uid, *summary;
	size_t k, n = to - from + 1;
	int rc, offset;

	att = xcalloc(n, sizeof *att);
	att[0].email = host;
	for (k = from; k < to; k++) {
		const char *e = f->mentee_email[f->s.plan.v[k].mentee];

		att[k - from + 1].email = e;
		strbuf_addf(&names, "%s%s", k > from ? ", " : "", e);
	}
	memset(&ev, 0, sizeof ev);
	uid = xasprintf("%s-flash-%s-round-%d-%s", p->slug,
	    date_format(p->flash.date, day), m->round + 1, host);
	summary = xasprintf("%s, round %d, table %d", p->name ? p->name :
	    p->slug, m->round + 1, f->s.table[m->mentor]);
	strbuf_addf(&desc, "Round %d of %d (%d minutes) at table %d: host %s; "
	    "mentees %s.", m->round + 1, p->flash.rounds, p->flash.minutes,
	    f->s.table[m->mentor], host, names.buf);
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
flash_ics(struct ctx *ctx, const struct program *p, const struct ops_flash *f,
    const char *path, struct error *err)
{
	struct strbuf cal = STRBUF_INIT;
	size_t e, next, nev = 0;
	int rc = -1;

	ics_begin(&cal, MENTORCTL_VERSION, p->name);
	for (e = 0; e < f->s.plan.n; e = next) {
		for (next = e; next < f->s.plan.n && f->s.plan.v[next].round ==
		    f->s.plan.v[e].round && f->s.plan.v[next].mentor ==
		    f->s.plan.v[e].mentor; next++)
			;
		if (flash_event(&cal, p, f, e, next, ctx->now, err) != 0)
			goto out;
		nev++;
	}
	ics_end(&cal);
	rc = write_calendar(ctx, path, &cal, nev, "table-round", err);
out:
	strbuf_release(&cal);
	return rc;
}

static void
flash_summary(struct ctx *ctx, const struct program *p,
    const struct ops_flash *f)
{
	const struct flash_session *s = &f->s;
	char day[DATE_BUFSZ];
	int full = flash_full(s);

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

static int
schedule_flash(struct ctx *ctx, const struct schedule_opts *opt,
    struct error *err)
{
	const struct program *p = ctx->program;
	struct ops_ctx o = ops_of(ctx);
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
		rc = flash_ics(ctx, p, &f, opt->ics, err);
	else
		rc = flash_print(ctx, p, &f, err);
	if (rc == 0)
		flash_summary(ctx, p, &f);
	ops_flash_free(&f);
	return rc;
}

/* ---- rotation ---- */

static int
rotation_print(struct ctx *ctx, const struct ops_rotation_view *v,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "period", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "date", OUT_DATE },
		{ "until", OUT_DATE }, { "status", OUT_STR },
		{ "pairing", OUT_INT }, { "score", OUT_REAL },
		{ "mentor_name", OUT_STR }, { "mentee_name", OUT_STR },
	};
	struct out *o;
	size_t i;

	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < v->rows.n; i++) {
		const struct ops_rotation_row *r = &v->rows.v[i];

		out_int(o, "period", r->period);
		out_str(o, "mentor_email", r->mentor_email);
		out_str(o, "mentee_email", r->mentee_email);
		out_date(o, "date", r->starts_on);
		out_date(o, "until", r->last_day);
		out_str(o, "status", r->preview ? "preview" :
		    pairing_status_name(r->status));
		if (r->id > 0)
			out_int(o, "pairing", r->id);
		out_centi(o, "score", r->score);
		out_str(o, "mentor_name", r->mentor_name);
		out_str(o, "mentee_name", r->mentee_name);
		out_end_row(o);
	}
	return cmd_out_end(o, err);
}

static int
rotation_ics(struct ctx *ctx, const struct program *p,
    const struct ops_rotation_view *v, const char *path, struct error *err)
{
	struct strbuf cal = STRBUF_INIT, desc = STRBUF_INIT;
	struct ics_attendee att[2];
	struct ics_event ev;
	char d[DATE_BUFSZ], *uid, *summary;
	size_t i, nev = 0;
	int rc = -1;

	ics_begin(&cal, MENTORCTL_VERSION, p->name);
	for (i = 0; i < v->rows.n; i++) {
		const struct ops_rotation_row *r = &v->rows.v[i];

		if (r->starts_on == DATE_NONE)
			continue;
		/* one per mentee and period: stable if the mentor changes */
		uid = xasprintf("%s-rotation-period-%d-%s", p->slug, r->period,
		    r->mentee_email);
		summary = xasprintf("Rotation period %d: %s with %s", r->period,
		    who(r->mentee_name, r->mentee_email),
		    who(r->mentor_name, r->mentor_email));
		strbuf_reset(&desc);
		strbuf_addf(&desc, "Period %d of %d of %s: mentor %s, mentee "
		    "%s", r->period, v->periods, p->name ? p->name : p->slug,
		    r->mentor_email, r->mentee_email);
		if (r->last_day != DATE_NONE)
			strbuf_addf(&desc, ", until %s", date_format(r->last_day,
			    d));
		strbuf_addf(&desc, " (%s).", r->preview ? "preview" :
		    pairing_status_name(r->status));
		att[0].name = r->mentor_name;
		att[0].email = r->mentor_email;
		att[1].name = r->mentee_name;
		att[1].email = r->mentee_email;
		memset(&ev, 0, sizeof ev);
		ev.uid = uid;
		ev.timed = false;
		ev.date = r->starts_on;
		ev.summary = summary;
		ev.description = desc.buf;
		ev.attendees = att;
		ev.nattendees = 2;
		rc = ics_event(&cal, &ev, ctx->now, err);
		free(uid);
		free(summary);
		if (rc != 0) {
			rc = -1;
			goto out;
		}
		nev++;
	}
	ics_end(&cal);
	rc = write_calendar(ctx, path, &cal, nev, "rotation meeting", err);
out:
	strbuf_release(&cal);
	strbuf_release(&desc);
	return rc;
}

static int
schedule_rotation(struct ctx *ctx, const struct schedule_opts *opt,
    struct error *err)
{
	const struct program *p = ctx->program;
	struct ops_ctx o = ops_of(ctx);
	struct ops_rotation_view v;
	int rc;

	if (ops_rotation_view(&o, ctx->program_id, p, opt->from, opt->until,
	    &v, err) != 0) {
		ops_rotation_view_free(&v);
		return -1;
	}
	if (opt->ics != NULL)
		rc = rotation_ics(ctx, p, &v, opt->ics, err);
	else
		rc = rotation_print(ctx, &v, err);
	if (rc == 0 && v.npreview > 0)
		cmd_note(ctx, "%zu meeting%s of %d mentee%s not planned yet "
		    "(status preview): 'mentorctl match %s' stores them",
		    v.npreview, v.npreview == 1 ? "" : "s", v.preview_mentees,
		    v.preview_mentees == 1 ? "" : "s", p->slug);
	ops_rotation_view_free(&v);
	return rc;
}

static int
cmd_schedule_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct schedule_opts *opt = args->opts;

	if (opt->ics != NULL && *opt->ics == '\0')
		return error_set(err, EX_USAGE, "option '--ics' needs a file "
		    "name");
	switch (ctx->program->format) {
	case FORMAT_FLASH:
		return schedule_flash(ctx, opt, err);
	case FORMAT_ROTATIONAL:
		return schedule_rotation(ctx, opt, err);
	default:
		return schedule_checkins(ctx, opt, err);
	}
}

const struct cmd_entry cmd_schedule_entry = {
	.name = "schedule", .sub = NULL,
	.usage = "PROGRAM [--from DATE] [--until DATE] [--ics FILE]",
	.summary = "list the upcoming check-ins, flash rounds or rotation "
	    "periods, or write them as a calendar",
	.example = "mentorctl schedule eng-2027 --ics eng-2027.ics",
	CMD_OPTIONS(struct schedule_opts, schedule_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_schedule_exec,
};
