/*
 * schedule PROGRAM [--from DATE] [--until DATE] [--ics FILE]: the check-ins
 * each active pairing owes next, from `checkins.every` and its last
 * meeting (core/schedule.h), with the prompt for each; as a listing, or as
 * an RFC 5545 calendar of all-day events whose UIDs stay the same from one
 * export to the next, so that re-importing updates instead of duplicating.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_rounds.h"
#include "core/date.h"
#include "core/program.h"
#include "core/schedule.h"
#include "io/ics.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "version.h"

/* Without an open cycle to end at, this many days from --from. */
#define SCHEDULE_DEFAULT_DAYS 90

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
	return (x->slot.number > y->slot.number) - (x->slot.number < y->slot.number);
}

/* Every pairing's check-ins in from..to, by day, then pairing. */
static void
schedule_collect(const struct program *p, const struct checkin_roster *r,
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
schedule_print(int fmt, const struct sched_items *items)
{
	static const struct out_col cols[] = {
		{ "meeting", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "date", OUT_STR },
		{ "pairing", OUT_INT }, { "prompt", OUT_STR },
	};
	struct out *o;
	size_t i;

	o = out_new(stdout, (enum out_format)fmt, cols,
	    sizeof cols / sizeof cols[0], 0);
	for (i = 0; i < items->n; i++) {
		const struct sched_item *it = &items->v[i];
		char num[16], id[24], day[DATE_BUFSZ];
		const char *cells[6];

		snprintf(num, sizeof num, "%d", it->slot.number);
		snprintf(id, sizeof id, "%lld", it->pr->id);
		cells[0] = num;
		cells[1] = it->pr->mentor.email;
		cells[2] = it->pr->mentee.email;
		cells[3] = date_format(it->slot.due_on, day);
		cells[4] = id;
		cells[5] = it->slot.prompt;
		out_row(o, cells);
	}
	return cmd_out_done(o);
}

static const char *
schedule_who(const struct remind_person *who)
{
	return who->name != NULL && who->name[0] != '\0' ? who->name :
	    who->email;
}

static int
schedule_event(struct strbuf *cal, const struct program *p,
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
	    schedule_who(&it->pr->mentor), schedule_who(&it->pr->mentee));
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
schedule_write_ics(const struct ctx *ctx, const char *path,
    const struct program *p, const struct sched_items *items)
{
	struct error err = ERROR_INIT;
	struct strbuf cal = STRBUF_INIT;
	struct file_out fo;
	size_t i;
	int rc = 0;

	ics_begin(&cal, MENTORCTL_VERSION, p->name);
	for (i = 0; i < items->n; i++)
		if (schedule_event(&cal, p, &items->v[i], ctx->now, &err) != 0) {
			rc = cmd_fail(&err);
			goto out;
		}
	ics_end(&cal);
	if (file_out_open(&fo, path, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (fwrite(cal.buf, 1, cal.len, fo.fp) != cal.len) {
		file_out_abort(&fo);
		rc = cmd_error(EX_IOERR, "cannot write '%s'", path);
		goto out;
	}
	if (file_out_commit(&fo, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (strcmp(path, "-") != 0)
		fprintf(stderr, "mentorctl: wrote %zu check-in%s of '%s' to "
		    "'%s'\n", items->n, items->n == 1 ? "" : "s", p->slug, path);
out:
	strbuf_release(&cal);
	return rc;
}

/* --until by default: the open cycle's last day, else 90 days on. */
static int
schedule_horizon(struct ctx *ctx, long long pid, int from, int *to)
{
	struct error err = ERROR_INIT;
	struct cycle_row c;
	int rc;

	if ((rc = store_cycle_open(ctx->db, pid, &c, &err)) < 0)
		return cmd_fail(&err);
	if (rc == 1 && c.d.ends_on - 1 >= from)
		*to = c.d.ends_on - 1;
	else
		*to = date_add_days(from, SCHEDULE_DEFAULT_DAYS - 1);
	return 0;
}

static int
cmd_schedule_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct checkin_roster r;
	struct sched_items items = { NULL, 0, 0 };
	struct program *p = NULL;
	const char *ics = cmd_opt(args, "ics");
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	long long pid;
	int rc, fmt = OUT_TABLE, from = ctx->today, to = DATE_NONE;

	memset(&r, 0, sizeof r);
	if (ics == NULL && (fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if (ics != NULL && *ics == '\0')
		return cmd_error(EX_USAGE, "option '--ics' needs a file name");
	if ((rc = cmd_opt_date(args, "from", &from)) != 0 ||
	    (rc = cmd_opt_date(args, "until", &to)) != 0)
		return rc;
	if ((rc = cmd_load_program(ctx, args->pos[0], &pid, &p)) != 0)
		return rc;
	/* flash rounds and rotation periods, not check-ins */
	if (p->format == FORMAT_FLASH || p->format == FORMAT_ROTATIONAL) {
		rc = cmd_rounds_schedule(ctx, args, pid, p, fmt);
		goto out;
	}
	if (!p->checkins.present || p->checkins.every.n <= 0) {
		rc = cmd_error(EX_DATAERR, "programme '%s' has no check-in "
		    "interval (checkins.every): nothing to schedule", p->slug);
		goto out;
	}
	if (to == DATE_NONE && (rc = schedule_horizon(ctx, pid, from, &to)) != 0)
		goto out;
	if (to < from) {
		rc = cmd_error(EX_DATAERR, "--until %s is before --from %s",
		    date_format(to, b1), date_format(from, b2));
		goto out;
	}
	if (store_checkin_roster(ctx->db, pid, ctx->today,
	    ROSTER_ACTIVE | ROSTER_ALL_MEETINGS, &r, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	schedule_collect(p, &r, ctx->today, from, to, &items);
	if (ics != NULL)
		rc = schedule_write_ics(ctx, ics, p, &items);
	else
		rc = schedule_print(fmt, &items);
out:
	free(items.v);
	checkin_roster_free(&r);
	program_free(p);
	return rc;
}

static const struct cmd_opt schedule_opts[] = {
	{ "from", true, "--from DATE        first day to list (default: today)" },
	{ "until", true, "--until DATE       last day to list (default: the end "
	    "of the open cycle, else 90 days)" },
	{ "ics", true, "--ics FILE         write an iCalendar file instead "
	    "('-': standard output)" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_schedule_entry = {
	.name = "schedule", .sub = NULL,
	.usage = "PROGRAM [--from DATE] [--until DATE] [--ics FILE]",
	.summary = "list the upcoming check-ins, or write them as a calendar",
	.opts = schedule_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_schedule_exec,
};
