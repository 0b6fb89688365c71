/*
 * checkin PAIRING_ID --on DATE [--minutes N] [--rating 1-5] [--topic T]
 * [--notes T] [--by EMAIL] [--replace]: record a meeting of an active
 * pairing.  Meeting N takes prompt N as its default topic; the record
 * printed shows the next meeting's number, due day and prompt, so that
 * the pair knows what to talk about next.  Notes are stored and never
 * printed here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_rounds.h"
#include "core/date.h"
#include "core/program.h"
#include "core/schedule.h"
#include "store/checkin_store.h"
#include "store/cycle_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

int
cmd_checkin_args(struct cmd_args *args, long long *id, int *on, long *minutes,
    long *rating)
{
	int rc;

	if ((rc = cmd_parse_pairing_id(args->pos[0], id)) != 0)
		return rc;
	if (cmd_opt(args, "on") == NULL)
		return cmd_error(EX_USAGE, "checkin needs --on DATE: the day the "
		    "pair met");
	if ((rc = cmd_opt_date(args, "on", on)) != 0 ||
	    (rc = cmd_opt_int(args, "minutes", 1, 1440, minutes)) != 0 ||
	    (rc = cmd_opt_int(args, "rating", 1, 5, rating)) != 0)
		return rc;
	return 0;
}

/* Meetings before `day`: the new one is meeting earlier + 1. */
static int
checkin_number(const int *days, size_t n, int day)
{
	size_t i;
	int earlier = 0;

	for (i = 0; i < n; i++)
		if (days[i] != DATE_NONE && days[i] < day)
			earlier++;
	return earlier + 1;
}

static int
checkin_print(const struct ctx *ctx, long long pairing, int meeting,
    const struct checkin_in *in, const struct sched_status *next)
{
	static const struct out_col cols[] = {
		{ "pairing", OUT_INT }, { "meeting", OUT_INT },
		{ "held_on", OUT_STR }, { "minutes", OUT_INT },
		{ "rating", OUT_INT }, { "topic", OUT_STR },
		{ "next_meeting", OUT_INT }, { "next_due_on", OUT_STR },
		{ "next_prompt", OUT_STR },
	};
	char id[24], num[16], min[16], rat[16], nnum[16];
	char held[DATE_BUFSZ], due[DATE_BUFSZ];
	const char *cells[9];

	snprintf(id, sizeof id, "%lld", pairing);
	snprintf(num, sizeof num, "%d", meeting);
	snprintf(min, sizeof min, "%d", in->minutes);
	snprintf(rat, sizeof rat, "%d", in->rating);
	cells[0] = id;
	cells[1] = num;
	cells[2] = date_format(in->held_on, held);
	cells[3] = in->minutes > 0 ? min : NULL;
	cells[4] = in->rating > 0 ? rat : NULL;
	cells[5] = in->topic;
	cells[6] = cells[7] = cells[8] = NULL;
	if (next != NULL) {
		snprintf(nnum, sizeof nnum, "%d", next->next_number);
		cells[6] = nnum;
		cells[7] = date_format(next->due_on, due);
		cells[8] = next->prompt;
	}
	return cmd_print_record(ctx, cols, cells, sizeof cols / sizeof cols[0]);
}

static int
cmd_checkin_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct cycle_pairing pr;
	struct checkin_in in;
	struct sched_status st;
	struct program *p = NULL;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	const char *topic = cmd_opt(args, "topic");
	int *days = NULL;
	size_t ndays = 0;
	long long id, pid, existing = 0, cid;
	long minutes = 0, rating = 0;
	int rc, meeting, on = DATE_NONE;
	bool have_next = false;

	/* a circle's meeting, logged for each member */
	if (cmd_flag(args, "group"))
		return cmd_rounds_checkin_group(ctx, args);
	memset(&pr, 0, sizeof pr);
	if ((rc = cmd_checkin_args(args, &id, &on, &minutes, &rating)) != 0)
		return rc;
	if (store_cycle_pairing(ctx->db, id, &pr, &err) != 0)
		return cmd_fail(&err);
	if (strcmp(pr.status, "active") != 0) {
		rc = cmd_error(EX_DATAERR, "pairing %lld is %s, not active: "
		    "check-ins are for active pairings", id, pr.status);
		goto out;
	}
	if (on > ctx->today) {
		rc = cmd_error(EX_DATAERR, "check-in date %s is in the future "
		    "(today is %s)", date_format(on, b1),
		    date_format(ctx->today, b2));
		goto out;
	}
	if (pr.activated_on != DATE_NONE && on < pr.activated_on) {
		rc = cmd_error(EX_DATAERR, "check-in date %s is before pairing "
		    "%lld turned active on %s", date_format(on, b1), id,
		    date_format(pr.activated_on, b2));
		goto out;
	}
	if ((rc = store_checkin_on(ctx->db, id, on, &existing, &err)) < 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (rc == 1 && !cmd_flag(args, "replace")) {
		rc = cmd_error(EX_DATAERR, "pairing %lld has a check-in on %s "
		    "already; give --replace to overwrite it",
		    id, date_format(on, b1));
		goto out;
	}
	if ((rc = cmd_load_program(ctx, pr.program, &pid, &p)) != 0)
		goto out;
	if (store_checkin_days(ctx->db, id, &days, &ndays, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	meeting = checkin_number(days, ndays, on);
	memset(&in, 0, sizeof in);
	in.pairing_id = id;
	in.held_on = on;
	in.minutes = (int)minutes;
	in.rating = (int)rating;
	in.topic = topic != NULL && *topic != '\0' ? topic :
	    sched_prompt(&p->checkins, meeting);
	in.notes = cmd_opt(args, "notes");
	in.recorded_by = cmd_actor(ctx, args);
	if (store_checkin_add(ctx->db, &in, existing, meeting, &cid, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	/* The clock after this meeting: a replaced day is already in days. */
	if (existing == 0) {
		days = xreallocarray(days, ndays + 1, sizeof *days);
		days[ndays++] = on;
	}
	if (p->checkins.present && p->checkins.every.n > 0 &&
	    sched_status(&p->checkins, cycle_pairing_anchor(&pr), days, ndays,
	    ctx->today, &st, NULL) == 0)
		have_next = true;
	rc = checkin_print(ctx, id, meeting, &in, have_next ? &st : NULL);
out:
	free(days);
	program_free(p);
	cycle_pairing_free(&pr);
	return rc;
}

static const struct cmd_opt checkin_opts[] = {
	{ "on", true, "--on DATE          the day the pair met (not in the "
	    "future)" },
	{ "minutes", true, "--minutes N        how long they met (1-1440)" },
	{ "rating", true, "--rating N         how it went, 1-5" },
	{ "topic", true, "--topic TEXT       what they discussed (default: the "
	    "programme's prompt for this meeting)" },
	{ "notes", true, "--notes TEXT       private notes, never shown (only "
	    "'export checkins --include-notes')" },
	{ "by", true, "--by EMAIL         who records it, for the audit "
	    "(default: $USER)" },
	{ "replace", false, "--replace          overwrite the pairing's "
	    "check-in of that day" },
	{ "group", false, "--group            group circles: log the meeting "
	    "for every active member of the pairing's circle" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_checkin_entry = {
	.name = "checkin", .sub = NULL,
	.usage = "PAIRING_ID --on DATE [--minutes N] [--rating 1-5] "
	    "[--topic T] [--notes T] [--by EMAIL] [--replace] [--group]",
	.summary = "record a meeting of a pairing; shows the next one's prompt",
	.opts = checkin_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_checkin_exec,
};
