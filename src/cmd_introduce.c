/*
 * introduce PAIRING_ID CONTACT_EMAIL [--name N] [--on DATE] [--note T]
 * [--meet DATE [--at HH:MM]] [--ics FILE]: network mentoring's record of
 * a mentor introducing the mentee to a new contact.  The rules are in
 * ops/network.c; this file reads the options, calls it, prints the
 * introduction and, with --ics, writes the joint meeting's calendar: an
 * invitation (METHOD:REQUEST) from the programme's contact to the mentor,
 * the mentee and the contact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/program.h"
#include "core/session.h"
#include "io/ics.h"
#include "ops/calendar.h"
#include "ops/network.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/tz.h"
#include "util/xmalloc.h"
#include "version.h"

/* A joint meeting with a contact lasts this long unless it is all day. */
#define INTRODUCE_MEETING_MINUTES 60

struct introduce_opts {
	const char *name;
	int on;
	const char *note;
	int meet;
	const char *at;
	const char *ics;
	const char *by;
};

static const struct cmd_option introduce_options[] = {
	OPT_TEXT("name", "NAME", struct introduce_opts, name,
	    "the contact's name (default: theirs in the people table)"),
	OPT_DATE("on", struct introduce_opts, on,
	    "the day of the introduction (default today; never later)"),
	OPT_TEXT("note", "TEXT", struct introduce_opts, note,
	    "why this contact (leaves only with export --include-notes)"),
	OPT_DATE("meet", struct introduce_opts, meet,
	    "a joint meeting of mentor, mentee and contact on DATE"),
	OPT_STRING("at", "HH:MM", struct introduce_opts, at,
	    "its time, in the mentor's time zone (default: all day)"),
	OPT_STRING("ics", "FILE", struct introduce_opts, ics,
	    "write the joint meeting as a calendar to FILE ('-': stdout)"),
	OPT_EMAIL("by", struct introduce_opts, by,
	    "who records it, for the audit (default: you)"),
	OPT_END,
};

static const char *
or_email(const char *name, const char *email)
{
	return name != NULL && *name ? name : email;
}

/* The joint meeting as one VEVENT, into cal. */
static int
introduce_ics(const struct ctx *ctx, const struct ops_introduce *r,
    struct strbuf *cal, struct error *err)
{
	const struct pairing_rec *pr = &r->pairing;
	struct ics_attendee att[3], org;
	struct ics_event ev;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	char *prefix, *uid, *summary, *desc;
	time_t start;
	int rc;

	/* the database's random id: not another database's introduction */
	if (ops_calendar_uid_prefix(&o, pr->program, &prefix, err) != 0)
		return -1;
	memset(&ev, 0, sizeof ev);
	att[0].name = r->mentor_name;
	att[0].email = pr->mentor_email;
	att[1].name = r->mentee_name;
	att[1].email = pr->mentee_email;
	att[2].name = r->contact_shown;
	att[2].email = r->contact_email;
	uid = xasprintf("%sintroduction-%lld", prefix, r->id);
	free(prefix);
	summary = xasprintf("%s meets %s (with %s)",
	    or_email(r->mentee_name, pr->mentee_email),
	    or_email(r->contact_shown, r->contact_email),
	    or_email(r->mentor_name, pr->mentor_email));
	desc = xasprintf("%s: an introduction in network mentoring, pairing "
	    "%lld.%s%s", r->program->name ? r->program->name : pr->program,
	    pr->id, r->note ? "\n" : "", r->note ? r->note : "");
	ev.uid = uid;
	ev.summary = summary;
	ev.description = desc;
	ev.attendees = att;
	ev.nattendees = 3;
	/*
	 * An invitation (RFC 5546 REQUEST) needs its ORGANIZER: the
	 * programme's contact, as for the leader sessions, else the mentor,
	 * who arranges the meeting.
	 */
	if (r->program->contact != NULL && *r->program->contact != '\0') {
		org.name = r->program->name;
		org.email = r->program->contact;
	} else
		org = att[0];
	ev.organizer = &org;
	/* the offset at the meeting's own local time, not at noon */
	if (r->meet_at >= 0 && tz_local_to_utc(r->zone, r->meet_on, r->meet_at,
	    &start) == 0) {
		ev.timed = true;
		ev.start = start;
		ev.minutes = INTRODUCE_MEETING_MINUTES;
	} else {
		ev.date = r->meet_on;
	}
	ics_begin_method(cal, MENTORCTL_VERSION, r->program->name, "REQUEST");
	rc = ics_event(cal, &ev, ctx->now, err);
	ics_end(cal);
	free(uid);
	free(summary);
	free(desc);
	return rc;
}

static int
introduce_write_ics(struct ctx *ctx, const char *path,
    const struct ops_introduce *r, struct error *err)
{
	struct strbuf cal = STRBUF_INIT;
	struct file_out fo;
	int rc = -1;

	if (introduce_ics(ctx, r, &cal, err) != 0)
		goto out;
	if (strcmp(path, "-") == 0) {
		fwrite(cal.buf, 1, cal.len, ctx->out);
		rc = 0;
		goto out;
	}
	if (file_out_open(&fo, path, err) != 0)
		goto out;
	if (fwrite(cal.buf, 1, cal.len, fo.fp) != cal.len || ferror(fo.fp)) {
		file_out_abort(&fo);
		error_set(err, EX_IOERR, "cannot write the calendar to '%s'",
		    path);
		goto out;
	}
	rc = file_out_commit(&fo, err);
out:
	strbuf_release(&cal);
	return rc;
}

static int
introduce_print(struct ctx *ctx, const struct ops_introduce *r,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "pairing_id", OUT_INT },
		{ "mentor_email", OUT_STR }, { "mentee_email", OUT_STR },
		{ "contact_email", OUT_STR }, { "contact_name", OUT_STR },
		{ "contact_department", OUT_STR }, { "contact_level", OUT_INT },
		{ "introduced_on", OUT_DATE }, { "introductions", OUT_INT },
		{ "target", OUT_INT }, { "meet_on", OUT_DATE },
		{ "meet_at", OUT_STR },
	};
	struct out *o = cmd_record_new(ctx, cols, sizeof cols / sizeof cols[0]);
	char at[16];

	out_int(o, "id", r->id);
	out_int(o, "pairing_id", r->pairing.id);
	out_str(o, "mentor_email", r->pairing.mentor_email);
	out_str(o, "mentee_email", r->pairing.mentee_email);
	out_str(o, "contact_email", r->contact_email);
	out_str(o, "contact_name", r->contact_shown[0] ? r->contact_shown :
	    NULL);
	out_str(o, "contact_department", r->contact.department);
	if (r->contact.has_level)
		out_int(o, "contact_level", r->contact.level);
	out_date(o, "introduced_on", r->introduced_on);
	out_int(o, "introductions", r->count);
	out_int(o, "target", r->program->network.target);
	out_date(o, "meet_on", r->meet_on);
	if (r->meet_on != DATE_NONE && r->meet_at >= 0) {
		snprintf(at, sizeof at, "%02d:%02d", r->meet_at / 60,
		    r->meet_at % 60);
		out_str(o, "meet_at", at);
	}
	out_end_row(o);
	return cmd_out_end(o, err);
}

static int
cmd_introduce_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct introduce_opts *opt = args->opts;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_introduce r;
	const struct program *p;
	int rc = -1;

	memset(&r, 0, sizeof r);
	r.pairing_id = ctx->pairing_id;
	r.contact_email = args->pos[1];
	r.contact_name = opt->name;
	r.on = opt->on;
	r.note = opt->note;
	r.meet_on = opt->meet;
	r.meet_at = -1;
	if (opt->at != NULL && session_clock_parse(opt->at, &r.meet_at) != 0)
		return error_set(err, EX_USAGE, "option '--at' wants a time "
		    "HH:MM (00:00 to 23:59), not '%s'", opt->at);
	if (opt->ics != NULL && *opt->ics == '\0')
		return error_set(err, EX_USAGE, "option '--ics' needs a file "
		    "name");
	if (opt->ics != NULL && opt->meet == DATE_NONE)
		return error_set(err, EX_USAGE, "--ics writes the joint meeting: "
		    "give its day with --meet DATE");
	if (ops_introduce(&o, &r, err) != 0)
		goto out;
	p = r.program;
	if (opt->ics != NULL && introduce_write_ics(ctx, opt->ics, &r,
	    err) != 0)
		goto out;
	if ((opt->ics == NULL || strcmp(opt->ics, "-") != 0) &&
	    introduce_print(ctx, &r, err) != 0)
		goto out;
	cmd_note(ctx, "recorded introduction %lld: mentee '%s' meets '%s'; "
	    "%d of %d contacts", r.id, r.pairing.mentee_email, r.contact_email,
	    r.count, p->network.target);
	if (r.held + 1 < p->network.introductions_from)
		cmd_note(ctx, "pairing %lld has met %d time%s; the programme "
		    "plans introductions from meeting %d on", r.pairing.id,
		    r.held, r.held == 1 ? "" : "s",
		    p->network.introductions_from);
	if (opt->ics != NULL && strcmp(opt->ics, "-") != 0)
		cmd_note(ctx, "wrote the joint meeting's calendar to %s",
		    opt->ics);
	rc = 0;
out:
	ops_introduce_free(&r);
	return rc;
}

const struct cmd_entry cmd_introduce_entry = {
	.name = "introduce", .sub = NULL,
	.usage = "PAIRING_ID CONTACT_EMAIL [--name NAME] [--on DATE] "
	    "[--note TEXT] [--meet DATE [--at HH:MM]] [--ics FILE]",
	.summary = "record an introduction to a new contact (format network)",
	.example = "mentorctl introduce 12 kim@example.org --name 'Kim Lee' "
	    "--note 'runs the data platform'",
	CMD_OPTIONS(struct introduce_opts, introduce_options),
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_LISTING |
	    CMD_BY_ACTOR,
	.exec = cmd_introduce_exec,
};
