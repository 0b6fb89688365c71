/*
 * checkin PAIRING_ID --on DATE [--minutes N] [--rating 1-5] [--topic T]
 * [--notes T] [--by EMAIL] [--replace] [--group]: record a meeting of an
 * active pairing, or with --group of its whole circle (ops/checkin.c).
 * checkin --csv FILE --program SLUG [--date-order mdy|dmy]: the responses
 * of a check-in form (ops/forms.c), each through the same ops_checkin.
 * The record printed shows the next meeting's number, due day and prompt,
 * so that the pair knows what to talk about next.  Notes are stored and
 * never printed here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "ops/checkin.h"
#include "util/error.h"

struct checkin_opts {
	int on;
	long minutes;
	long rating;
	const char *topic;
	const char *notes;
	const char *by;
	bool replace;
	bool group;
	const char *csv;
	const char *program;
	const char *date_order;
};

static const struct cmd_option checkin_options[] = {
	OPT_DATE("on", struct checkin_opts, on,
	    "the day the pair met (not in the future)"),
	OPT_INT("minutes", "N", struct checkin_opts, minutes, 1, 1440, 0,
	    "how long they met (1-1440)"),
	OPT_INT("rating", "N", struct checkin_opts, rating, 1, 5, 0,
	    "how it went, 1-5"),
	OPT_STRING("topic", "TEXT", struct checkin_opts, topic,
	    "what they discussed (default: the programme's prompt for this "
	    "meeting)"),
	OPT_STRING("notes", "TEXT", struct checkin_opts, notes,
	    "private notes, never shown (only 'export checkins "
	    "--include-notes')"),
	OPT_EMAIL("by", struct checkin_opts, by,
	    "who records it, for the audit (default: $USER)"),
	OPT_FLAG("replace", struct checkin_opts, replace,
	    "overwrite the pairing's check-in of that day"),
	OPT_FLAG("group", struct checkin_opts, group,
	    "group circles: log the meeting for every active member of the "
	    "pairing's circle"),
	OPT_STRING("csv", "FILE", struct checkin_opts, csv,
	    "record the responses of a check-in form (Microsoft Forms, "
	    "Google Forms or a plain CSV file; see Forms in mentorctl(1))"),
	OPT_STRING("program", "SLUG", struct checkin_opts, program,
	    "with --csv: the programme whose pairings the responses are about"),
	OPT_STRING("date-order", "mdy|dmy", struct checkin_opts, date_order,
	    "with --csv: read slash dates month first (mdy) or day first "
	    "(dmy)"),
	OPT_END,
};

static const struct out_col one_cols[] = {
	{ "pairing", OUT_INT }, { "meeting", OUT_INT },
	{ "held_on", OUT_DATE }, { "minutes", OUT_INT },
	{ "rating", OUT_INT }, { "topic", OUT_STR },
	{ "next_meeting", OUT_INT }, { "next_due_on", OUT_DATE },
	{ "next_prompt", OUT_STR },
};

static const struct out_col circle_cols[] = {
	{ "pairing", OUT_INT }, { "mentee_email", OUT_STR },
	{ "meeting", OUT_INT }, { "held_on", OUT_DATE },
	{ "minutes", OUT_INT }, { "rating", OUT_INT }, { "topic", OUT_STR },
	{ "next_due_on", OUT_DATE }, { "status", OUT_STR },
};

#define NCOLS(v) (sizeof v / sizeof v[0])

static const char *
member_status(enum ops_member_outcome m)
{
	switch (m) {
	case OPS_MEMBER_LOGGED:
		return "logged";
	case OPS_MEMBER_REPLACED:
		return "replaced";
	case OPS_MEMBER_JOINED_LATER:
		return "joined later";
	case OPS_MEMBER_ALREADY:
		return "logged already";
	}
	return "?";
}

static int
checkin_circle(struct ctx *ctx, const struct ops_ctx *o,
    const struct ops_checkin_req *req, struct error *err)
{
	struct ops_circle_checkin r;
	struct out *out;
	char b1[DATE_BUFSZ];
	size_t i;
	int rc;

	if (ops_checkin_circle(o, req, &r, err) != 0) {
		ops_circle_checkin_free(&r);
		return -1;
	}
	out = cmd_out_new(ctx, circle_cols, NCOLS(circle_cols));
	for (i = 0; i < r.n; i++) {
		const struct ops_circle_member *m = &r.v[i];

		out_int(out, "pairing", m->pairing_id);
		out_str(out, "mentee_email", m->mentee_email);
		if (m->meeting > 0) {
			out_int(out, "meeting", m->meeting);
			out_str(out, "topic", m->topic);
		}
		out_date(out, "held_on", r.held_on);
		if (r.minutes > 0)
			out_int(out, "minutes", r.minutes);
		if (r.rating > 0)
			out_int(out, "rating", r.rating);
		out_date(out, "next_due_on", m->next_due_on);
		out_str(out, "status", member_status(m->outcome));
		out_end_row(out);
	}
	rc = cmd_out_end(out, err);
	if (rc == 0)
		cmd_note(ctx, "circle meeting of %s in group %lld (mentor '%s'): "
		    "logged for %zu of %zu active member%s",
		    date_format(r.held_on, b1), r.group_id, r.mentor_email,
		    r.logged, r.n, r.n == 1 ? "" : "s");
	ops_circle_checkin_free(&r);
	return rc;
}

static int
cmd_checkin_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct checkin_opts *opt = args->opts;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_checkin_req req;
	struct ops_checkin r;
	struct out *out;
	int rc;

	if (opt->csv != NULL) {
		if (args->npos > 0 || opt->on != DATE_NONE ||
		    opt->minutes != 0 || opt->rating != 0 ||
		    opt->topic != NULL || opt->notes != NULL || opt->replace ||
		    opt->group)
			return error_set(err, EX_USAGE, "with --csv the file "
			    "gives the pairings, days, minutes, ratings, topics "
			    "and notes; usage: mentorctl checkin --csv FILE "
			    "--program SLUG [--date-order mdy|dmy]");
		return cmd_form_import(ctx, false, opt->csv, opt->program,
		    opt->date_order, err);
	}
	if (opt->program != NULL || opt->date_order != NULL)
		return error_set(err, EX_USAGE, "--program and --date-order go "
		    "with --csv FILE");
	if (args->npos == 0)
		return error_set(err, EX_USAGE, "missing argument; usage: "
		    "mentorctl checkin PAIRING_ID --on DATE [...], or "
		    "mentorctl checkin --csv FILE --program SLUG");
	if (opt->on == DATE_NONE)
		return error_set(err, EX_USAGE, "checkin needs --on DATE: the day "
		    "the pair met");
	memset(&req, 0, sizeof req);
	req.pairing_id = ctx->pairing_id;
	req.on = opt->on;
	req.minutes = (int)opt->minutes;
	req.rating = (int)opt->rating;
	req.topic = opt->topic;
	req.notes = opt->notes;
	req.replace = opt->replace;
	if (opt->group)
		return checkin_circle(ctx, &o, &req, err);
	if (ops_checkin(&o, &req, &r, err) != 0) {
		ops_checkin_free(&r);
		return -1;
	}
	out = cmd_record_new(ctx, one_cols, NCOLS(one_cols));
	out_int(out, "pairing", r.pairing_id);
	out_int(out, "meeting", r.meeting);
	out_date(out, "held_on", r.held_on);
	if (r.minutes > 0)
		out_int(out, "minutes", r.minutes);
	if (r.rating > 0)
		out_int(out, "rating", r.rating);
	out_str(out, "topic", r.topic);
	if (r.has_next) {
		out_int(out, "next_meeting", r.next_meeting);
		out_date(out, "next_due_on", r.next_due_on);
		out_str(out, "next_prompt", r.next_prompt);
	}
	out_end_row(out);
	rc = cmd_out_end(out, err);
	ops_checkin_free(&r);
	return rc;
}

const struct cmd_entry cmd_checkin_entry = {
	.name = "checkin", .sub = NULL,
	.usage = "PAIRING_ID --on DATE [--minutes N] [--rating 1-5] "
	    "[--topic T] [--notes T] [--by EMAIL] [--replace] [--group] | "
	    "--csv FILE --program SLUG [--date-order mdy|dmy]",
	.summary = "record a meeting of a pairing; shows the next one's prompt",
	.example = "mentorctl checkin 12 --on 2027-02-03 --minutes 45 "
	    "--rating 4\n"
	    "  mentorctl checkin --csv 'Check-in form.csv' --program eng-2027",
	CMD_OPTIONS(struct checkin_opts, checkin_options),
	.min_args = 0, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_LISTING |
	    CMD_BY_ACTOR,
	.exec = cmd_checkin_exec,
};
