/*
 * schedule PROGRAM [--from DATE] [--until DATE] [--for EMAIL|all]
 * [--ics FILE]: what is coming, as a listing or an RFC 5545 calendar.
 *
 *   one-to-one, group, peer, reverse: the check-ins each active pairing
 *       owes next, from `checkins.every` and its last meeting
 *       (core/schedule.h), with the prompt for each (round = meeting);
 *   flash: the session's rounds, times and tables (ops/flash.h);
 *   rotational: who meets whom in which period (ops/rotation.h), stored
 *       or, for mentees not planned yet, what match would plan.
 *
 * Every format has the same columns: round (or period for a rotation),
 * mentor_email, mentee_email, date, then the same trailing ones, empty
 * where they do not apply.  --for keeps one person's rows: a printable
 * itinerary (for flash: round, time, table, partner).
 *
 * A calendar is written for the participants: who meets whom, the topic,
 * how to report the meeting; times in UTC taken at the event's own local
 * time; UIDs from a random id of the database and what identifies the
 * event (never an address); an event that changed since the last export
 * keeps its UID and gets a higher SEQUENCE (ops/calendar.h), which is why
 * this command writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "core/date.h"
#include "core/flash.h"
#include "core/program.h"
#include "core/schedule.h"
#include "io/calendar.h"
#include "ops/calendar.h"
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
#include "schedule_int.h"

/* Without an open cycle to end at, this many days from --from. */
#define SCHEDULE_DEFAULT_DAYS 90
/* The longest span one listing may ask for (--until), in years. */
#define SCHEDULE_MAX_YEARS 5

const struct out_col schedule_round_cols[SCHEDULE_NCOLS] = {
	{ "round", OUT_INT }, { "mentor_email", OUT_STR },
	{ "mentee_email", OUT_STR }, { "date", OUT_DATE },
	{ "until", OUT_DATE }, { "start", OUT_STR }, { "end", OUT_STR },
	{ "table", OUT_INT }, { "pairing", OUT_INT }, { "status", OUT_STR },
	{ "topic", OUT_STR }, { "score", OUT_REAL },
	{ "mentor_name", OUT_STR }, { "mentee_name", OUT_STR },
};
const struct out_col schedule_period_cols[SCHEDULE_NCOLS] = {
	{ "period", OUT_INT }, { "mentor_email", OUT_STR },
	{ "mentee_email", OUT_STR }, { "date", OUT_DATE },
	{ "until", OUT_DATE }, { "start", OUT_STR }, { "end", OUT_STR },
	{ "table", OUT_INT }, { "pairing", OUT_INT }, { "status", OUT_STR },
	{ "topic", OUT_STR }, { "score", OUT_REAL },
	{ "mentor_name", OUT_STR }, { "mentee_name", OUT_STR },
};

static const struct cmd_option schedule_options[] = {
	OPT_DATE("from", struct schedule_opts, from,
	    "first day to list (default: today; never before today)"),
	OPT_DATE("until", struct schedule_opts, until, "last day to list "
	    "(default: the end of the open cycle, else 90 days; at most 5 "
	    "years on)"),
	OPT_STRING("for", "EMAIL|all", struct schedule_opts, who, "one "
	    "person's itinerary (all: everyone's, one after the other)"),
	OPT_STRING("ics", "FILE", struct schedule_opts, ics, "write an "
	    "iCalendar file instead ('-': standard output)"),
	OPT_END,
};

void
schedule_srow_out(struct out *o, const struct srow *r, const char *first)
{
	char b[8];

	out_int(o, first, r->number);
	out_str(o, "mentor_email", r->mentor_email);
	out_str(o, "mentee_email", r->mentee_email);
	out_date(o, "date", r->date);
	out_date(o, "until", r->until);
	if (r->start >= 0)
		out_str(o, "start", flash_clock(r->start, b));
	if (r->end >= 0)
		out_str(o, "end", flash_clock(r->end, b));
	if (r->table > 0)
		out_int(o, "table", r->table);
	if (r->pairing > 0)
		out_int(o, "pairing", r->pairing);
	out_str(o, "status", r->status);
	out_str(o, "topic", r->topic);
	if (r->has_score)
		out_centi(o, "score", r->score);
	out_str(o, "mentor_name", r->mentor_name);
	out_str(o, "mentee_name", r->mentee_name);
	out_end_row(o);
}

const char *
schedule_who(const char *name, const char *email)
{
	return name != NULL && name[0] != '\0' ? name : email;
}

/* Whether the row is for --for EMAIL (NULL and "all": every row). */
bool
schedule_row_for(const char *email, const char *mentor, const char *mentee)
{
	return email == NULL || strcmp(email, "all") == 0 ||
	    strcasecmp(email, mentor) == 0 || strcasecmp(email, mentee) == 0;
}

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* ---- calendars ---- */

void
schedule_cal_open(struct ctx *ctx, struct calendar *cal, const char *prefix)
{
	const struct program *p = ctx->program;

	calendar_init(cal, p->name ? p->name : p->slug, prefix,
	    p->owner ? p->owner : p->name, p->contact);
}

/* Sequences recorded, then the file ("-": the command's output). */
int
schedule_cal_write(struct ctx *ctx, struct calendar *cal, const char *path,
    const char *what, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct strbuf sb = STRBUF_INIT;
	const char **uid, **digest;
	struct file_out fo;
	int *seq, rc = -1;
	size_t i;

	calendar_digest(cal);
	uid = xcalloc(cal->n + 1, sizeof *uid);
	digest = xcalloc(cal->n + 1, sizeof *digest);
	seq = xcalloc(cal->n + 1, sizeof *seq);
	for (i = 0; i < cal->n; i++) {
		uid[i] = cal->v[i].uid;
		digest[i] = cal->v[i].digest;
	}
	if (ops_calendar_sequences(&o, ctx->program_id, uid, digest, seq,
	    cal->n, err) != 0)
		goto out;
	for (i = 0; i < cal->n; i++)
		cal->v[i].ev.sequence = seq[i];
	if (calendar_render(cal, MENTORCTL_VERSION, ctx->now, &sb, err) != 0)
		goto out;
	if (strcmp(path, "-") == 0) {
		if (fwrite(sb.buf, 1, sb.len, ctx->out) != sb.len) {
			error_set(err, EX_IOERR, "cannot write the calendar");
			goto out;
		}
	} else {
		if (file_out_open(&fo, path, err) != 0)
			goto out;
		if (fwrite(sb.buf, 1, sb.len, fo.fp) != sb.len) {
			file_out_abort(&fo);
			error_set(err, EX_IOERR, "cannot write '%s'", path);
			goto out;
		}
		if (file_out_commit(&fo, err) != 0)
			goto out;
		cmd_note(ctx, "wrote %zu %s%s of '%s' to '%s'", cal->n, what,
		    cal->n == 1 ? "" : "s", ctx->slug, path);
	}
	rc = 0;
out:
	free(uid);
	free(digest);
	free(seq);
	strbuf_release(&sb);
	return rc;
}

/* How a participant reports a meeting (the reply words of `inbox`). */
static void
add_how_to_report(struct strbuf *sb, const struct program *p)
{
	strbuf_addstr(sb, "\n\nAfter you meet, reply to your reminder mail "
	    "with \"met\" and the day (for example \"met yesterday 45 min\"), "
	    "so that the programme knows.");
	if (p->contact != NULL)
		strbuf_addf(sb, " Questions: %s.", p->contact);
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
    const char *email, int today, int from, int to,
    struct sched_items *items)
{
	struct sched_status st;
	struct sched_slot *slots;
	size_t i, k, n;

	for (i = 0; i < r->n; i++) {
		const struct remind_pairing *pr = &r->v[i];

		if (!schedule_row_for(email, pr->mentor.email, pr->mentee.email) ||
		    sched_status(&p->checkins, pr->anchor, pr->meetings,
		    pr->nmeetings, today, &st, NULL) != 0)
			continue;
		n = sched_upcoming(&p->checkins, &st, today, from, to, &slots);
		for (k = 0; k < n; k++) {
			/* a circle meets as one: the circle's numbers */
			if (pr->group_id > 0) {
				slots[k].number += pr->circle_held + 1 -
				    st.next_number;
				slots[k].prompt = sched_prompt(&p->checkins,
				    slots[k].number);
			}
			XGROW(items->v, items->n + 1, items->cap);
			items->v[items->n].pr = pr;
			items->v[items->n].slot = slots[k];
			items->n++;
		}
		free(slots);
	}
	if (items->n > 1)
		xqsort(items->v, items->n, sizeof items->v[0], sched_item_cmp);
}

static void
checkin_srow(const struct sched_item *it, struct srow *r)
{
	memset(r, 0, sizeof *r);
	r->number = it->slot.number;
	r->mentor_email = it->pr->mentor.email;
	r->mentee_email = it->pr->mentee.email;
	r->date = it->slot.due_on;
	r->until = DATE_NONE;
	r->start = r->end = -1;
	r->pairing = it->pr->id;
	r->status = "due";
	r->topic = it->slot.prompt;
	r->mentor_name = it->pr->mentor.name;
	r->mentee_name = it->pr->mentee.name;
}

/* Whether items[i] is the first of its circle's meeting in the list. */
static bool
circle_first(const struct sched_items *items, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (items->v[j].pr->group_id == items->v[i].pr->group_id &&
		    items->v[j].slot.number == items->v[i].slot.number)
			return false;
	return true;
}

/* One event for a circle's meeting: the mentor and every member. */
static void
circle_event(struct ctx *ctx, struct calendar *cal,
    const struct sched_items *items, size_t i)
{
	const struct program *p = ctx->program;
	const struct sched_item *it = &items->v[i];
	struct strbuf summary = STRBUF_INIT, desc = STRBUF_INIT,
	    members = STRBUF_INIT;
	struct calendar_event *e;
	char key[64];
	size_t j;

	for (j = i; j < items->n; j++)
		if (items->v[j].pr->group_id == it->pr->group_id &&
		    items->v[j].slot.number == it->slot.number)
			strbuf_addf(&members, "%s%s", members.len ? ", " : "",
			    schedule_who(items->v[j].pr->mentee.name,
			    items->v[j].pr->mentee.email));
	snprintf(key, sizeof key, "circle-%lld-%d", it->pr->group_id,
	    it->slot.number);
	strbuf_addf(&summary, "Mentoring circle of %s (meeting %d)",
	    schedule_who(it->pr->mentor.name, it->pr->mentor.email),
	    it->slot.number);
	strbuf_addf(&desc, "Meeting %d of the circle of %s (mentor) with %s in "
	    "%s, due by this day.", it->slot.number, schedule_who(
	    it->pr->mentor.name, it->pr->mentor.email), members.buf,
	    p->name ? p->name : p->slug);
	if (it->slot.prompt != NULL)
		strbuf_addf(&desc, "\nSuggested topic: %s", it->slot.prompt);
	add_how_to_report(&desc, p);
	e = calendar_add(cal, key, summary.buf, desc.buf, NULL);
	e->ev.timed = false;
	e->ev.date = it->slot.due_on;
	strbuf_release(&summary);
	strbuf_release(&desc);
	strbuf_release(&members);
}

static int
checkins_ics(struct ctx *ctx, const char *path, const char *prefix,
    const struct sched_items *items, struct error *err)
{
	const struct program *p = ctx->program;
	struct strbuf summary = STRBUF_INIT, desc = STRBUF_INIT;
	struct calendar cal;
	struct calendar_event *e;
	char key[64];
	size_t i;
	int rc;

	schedule_cal_open(ctx, &cal, prefix);
	for (i = 0; i < items->n; i++) {
		const struct sched_item *it = &items->v[i];
		const char *mentor = schedule_who(it->pr->mentor.name,
		    it->pr->mentor.email);
		const char *mentee = schedule_who(it->pr->mentee.name,
		    it->pr->mentee.email);

		if (it->pr->group_id > 0) {
			if (!circle_first(items, i))
				continue;
			circle_event(ctx, &cal, items, i);
			continue;
		}
		snprintf(key, sizeof key, "checkin-%lld-%d", it->pr->id,
		    it->slot.number);
		strbuf_reset(&summary);
		strbuf_addf(&summary, "Mentoring: %s and %s (meeting %d)",
		    mentor, mentee, it->slot.number);
		strbuf_reset(&desc);
		strbuf_addf(&desc, "Meeting %d of %s (mentor) and %s (mentee) in "
		    "%s, due by this day.", it->slot.number, mentor, mentee,
		    p->name ? p->name : p->slug);
		if (it->slot.prompt != NULL)
			strbuf_addf(&desc, "\nSuggested topic: %s",
			    it->slot.prompt);
		add_how_to_report(&desc, p);
		e = calendar_add(&cal, key, summary.buf, desc.buf, NULL);
		e->ev.timed = false;
		e->ev.date = it->slot.due_on;
	}
	rc = schedule_cal_write(ctx, &cal, path, "check-in", err);
	calendar_free(&cal);
	strbuf_release(&summary);
	strbuf_release(&desc);
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
	if (rc == 1 && cycle_last_day(&c.d) >= from)
		*to = cycle_last_day(&c.d);
	else
		*to = date_add_days(from, SCHEDULE_DEFAULT_DAYS - 1);
	return 0;
}

static int
schedule_checkins(struct ctx *ctx, const struct schedule_opts *opt,
    const char *prefix, struct error *err)
{
	const struct program *p = ctx->program;
	struct checkin_roster r;
	struct sched_items items = { NULL, 0, 0 };
	struct srow row;
	struct out *o;
	int from = opt->from != DATE_NONE && opt->from > ctx->today ?
	    opt->from : ctx->today;
	int to = opt->until, rc = -1;
	size_t i;

	memset(&r, 0, sizeof r);
	if (!p->checkins.present || p->checkins.every.n <= 0)
		return error_set(err, EX_DATAERR, "programme '%s' has no check-in "
		    "interval (checkins.every): nothing to schedule", p->slug);
	if (to == DATE_NONE && checkins_horizon(ctx, from, &to, err) != 0)
		return -1;
	if (store_checkin_roster(ctx->db, ctx->program_id, ctx->today,
	    ROSTER_ACTIVE | ROSTER_ALL_MEETINGS, &r, err) != 0)
		goto out;
	checkins_collect(p, &r, opt->who, ctx->today, from, to, &items);
	if (opt->ics != NULL) {
		rc = checkins_ics(ctx, opt->ics, prefix, &items, err);
		goto out;
	}
	o = cmd_out_new(ctx, schedule_round_cols, SCHEDULE_NCOLS);
	for (i = 0; i < items.n; i++) {
		checkin_srow(&items.v[i], &row);
		schedule_srow_out(o, &row, "round");
	}
	rc = cmd_out_end(o, err);
out:
	free(items.v);
	checkin_roster_free(&r);
	return rc;
}

/* ---- rotation ---- */

static void
rotation_srow(const struct ops_rotation_row *x, struct srow *r)
{
	memset(r, 0, sizeof *r);
	r->number = x->period;
	r->mentor_email = x->mentor_email;
	r->mentee_email = x->mentee_email;
	r->date = x->starts_on;
	r->until = x->last_day;
	r->start = r->end = -1;
	r->pairing = x->id;
	r->status = x->preview ? "preview" : pairing_status_name(x->status);
	r->has_score = true;
	r->score = x->score;
	r->mentor_name = x->mentor_name;
	r->mentee_name = x->mentee_name;
}

static int
rotation_ics(struct ctx *ctx, const struct ops_rotation_view *v,
    const char *path, const char *prefix, const char *email,
    struct error *err)
{
	const struct program *p = ctx->program;
	struct strbuf summary = STRBUF_INIT, desc = STRBUF_INIT;
	struct calendar cal;
	struct calendar_event *e;
	char key[96], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	size_t i;
	int rc;

	schedule_cal_open(ctx, &cal, prefix);
	for (i = 0; i < v->rows.n; i++) {
		const struct ops_rotation_row *r = &v->rows.v[i];
		const char *mentor = schedule_who(r->mentor_name, r->mentor_email);
		const char *mentee = schedule_who(r->mentee_name, r->mentee_email);

		if (r->starts_on == DATE_NONE ||
		    !schedule_row_for(email, r->mentor_email, r->mentee_email))
			continue;
		/* one per mentee and period: it stays if the mentor changes */
		snprintf(key, sizeof key, "rotation-period-%d-mentee-%lld",
		    r->period, r->mentee_enrollment_id);
		strbuf_reset(&summary);
		strbuf_addf(&summary, "Rotation period %d: %s with %s",
		    r->period, mentee, mentor);
		strbuf_reset(&desc);
		strbuf_addf(&desc, "Period %d of %d of %s: %s meets %s (mentor)",
		    r->period, v->periods, p->name ? p->name : p->slug, mentee,
		    mentor);
		if (r->last_day != DATE_NONE)
			strbuf_addf(&desc, " from %s to %s",
			    date_format(r->starts_on, d1),
			    date_format(r->last_day, d2));
		strbuf_addch(&desc, '.');
		if (r->preview || r->status == PAIRING_PLANNED ||
		    r->status == PAIRING_PROPOSED)
			strbuf_addstr(&desc, " Not confirmed yet: answer the "
			    "proposal mail when it comes.");
		strbuf_addstr(&desc, " Arrange your first meeting early in the "
		    "period.");
		add_how_to_report(&desc, p);
		e = calendar_add(&cal, key, summary.buf, desc.buf, NULL);
		e->ev.timed = false;
		e->ev.date = r->starts_on;
	}
	rc = schedule_cal_write(ctx, &cal, path, "rotation meeting", err);
	calendar_free(&cal);
	strbuf_release(&summary);
	strbuf_release(&desc);
	return rc;
}

static int
schedule_rotation(struct ctx *ctx, const struct schedule_opts *opt,
    const char *prefix, struct error *err)
{
	const struct program *p = ctx->program;
	struct ops_ctx o = ops_of(ctx);
	struct ops_rotation_view v;
	struct srow row;
	struct out *out;
	size_t i;
	int rc;

	if (ops_rotation_view(&o, ctx->program_id, p, opt->from, opt->until,
	    &v, err) != 0) {
		ops_rotation_view_free(&v);
		return -1;
	}
	if (opt->ics != NULL) {
		rc = rotation_ics(ctx, &v, opt->ics, prefix, opt->who, err);
	} else {
		out = cmd_out_new(ctx, schedule_period_cols, SCHEDULE_NCOLS);
		for (i = 0; i < v.rows.n; i++) {
			if (!schedule_row_for(opt->who, v.rows.v[i].mentor_email,
			    v.rows.v[i].mentee_email))
				continue;
			rotation_srow(&v.rows.v[i], &row);
			schedule_srow_out(out, &row, "period");
		}
		rc = cmd_out_end(out, err);
	}
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
	struct ops_ctx o = ops_of(ctx);
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ], *prefix = NULL;
	int from = opt->from != DATE_NONE ? opt->from : ctx->today, limit, rc;

	if (opt->ics != NULL && *opt->ics == '\0')
		return error_set(err, EX_USAGE, "option '--ics' needs a file "
		    "name");
	if (opt->who != NULL && (*opt->who == '\0' || (strcmp(opt->who,
	    "all") != 0 && strchr(opt->who, '@') == NULL)))
		return error_set(err, EX_USAGE, "option '--for' wants an e-mail "
		    "address or 'all', not '%s'", opt->who);
	if (opt->until != DATE_NONE && opt->until < from)
		return error_set(err, EX_DATAERR, "--until %s is before --from %s",
		    date_format(opt->until, b1), date_format(from, b2));
	limit = date_add_duration(from < ctx->today ? ctx->today : from,
	    (struct duration){ SCHEDULE_MAX_YEARS, DATE_UNIT_YEAR }, 1);
	if (opt->until != DATE_NONE && (limit == DATE_NONE ||
	    opt->until > limit))
		return error_set(err, EX_DATAERR, "--until %s is more than %d "
		    "years ahead; list at most %d years at a time (until %s)",
		    date_format(opt->until, b1), SCHEDULE_MAX_YEARS,
		    SCHEDULE_MAX_YEARS, limit == DATE_NONE ? "?" :
		    date_format(limit, b2));
	if (opt->ics != NULL && ops_calendar_uid_prefix(&o, ctx->slug, &prefix,
	    err) != 0)
		return -1;
	switch (ctx->program->format) {
	case FORMAT_FLASH:
		rc = schedule_flash(ctx, opt, prefix, err);
		break;
	case FORMAT_ROTATIONAL:
		rc = schedule_rotation(ctx, opt, prefix, err);
		break;
	default:
		rc = schedule_checkins(ctx, opt, prefix, err);
		break;
	}
	free(prefix);
	return rc;
}

const struct cmd_entry cmd_schedule_entry = {
	.name = "schedule", .sub = NULL,
	.usage = "PROGRAM [--from DATE] [--until DATE] [--for EMAIL|all] "
	    "[--ics FILE]",
	.summary = "list the upcoming check-ins, flash rounds or rotation "
	    "periods, or write them as a calendar",
	.example = "mentorctl schedule eng-2027 --ics eng-2027.ics",
	CMD_OPTIONS(struct schedule_opts, schedule_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_schedule_exec,
};
