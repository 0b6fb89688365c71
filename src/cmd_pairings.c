/*
 * pairings PROGRAM [--status STATUS | --waitlist]: a programme's
 * pairings with their dates, answers, partners and re-up answers, or the
 * mentees waiting for a mentor.  The life cycle commands (pair, accept,
 * decline, end) are in cmd_pairing.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "core/cycle.h"
#include "core/date.h"
#include "core/program.h"
#include "core/status.h"
#include "store/match_store.h"
#include "store/pairing_store.h"
#include "util/error.h"

struct pairings_opts {
	const char *status;
	bool waitlist;
};

static const struct cmd_option pairings_options[] = {
	OPT_STRING("status", "STATUS", struct pairings_opts, status,
	    "proposed, planned, active, declined, expired or ended"),
	OPT_FLAG("waitlist", struct pairings_opts, waitlist,
	    "the mentees waiting for a mentor instead, first first"),
	OPT_END,
};

/* pairings --waitlist: one row per waiting mentee (store_match_waitlist). */
static int
waitlist_row(const struct waitlist_row *w, void *arg)
{
	const struct ctx *ctx = ((void **)arg)[1];
	struct out *o = ((void **)arg)[0];

	out_int(o, "position", w->position);
	out_str(o, "mentee_email", w->email);
	out_str(o, "mentee_name", w->name);
	out_str(o, "mentee_department", w->department);
	out_date(o, "enrolled_on", w->enrolled_on);
	if (w->enrolled_on != DATE_NONE)
		out_int(o, "waited_days", ctx->today - w->enrolled_on);
	if (w->has_priority)
		out_real(o, "priority", w->priority, 2);
	out_int(o, "pairings_before", w->ever_paired);
	out_end_row(o);
	return 0;
}

static int
waitlist(struct ctx *ctx, struct error *err)
{
	static const struct out_col cols[] = {
		{ "position", OUT_INT }, { "mentee_email", OUT_STR },
		{ "mentee_name", OUT_STR }, { "mentee_department", OUT_STR },
		{ "enrolled_on", OUT_DATE }, { "waited_days", OUT_INT },
		{ "priority", OUT_REAL }, { "pairings_before", OUT_INT },
	};
	struct out *o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	void *arg[2] = { o, ctx };

	if (store_match_waitlist(ctx->db, ctx->program_id, ctx->today,
	    waitlist_row, arg, err) != 0) {
		out_free(o);
		return -1;
	}
	return cmd_out_end(o, err);
}

/*
 * The columns: the pinned five, the pairing's dates and answers, a
 * rotation's period, then who the partners are and their re-up answers
 * (one "reup" cell in a table, one column per side in CSV and JSON).
 */
static const struct out_col pairings_cols[] = {
	{ "id", OUT_INT }, { "mentor_email", OUT_STR },
	{ "mentee_email", OUT_STR }, { "status", OUT_STR },
	{ "score", OUT_REAL }, { "group_id", OUT_INT },
	{ "proposed_on", OUT_DATE }, { "expires_on", OUT_DATE },
	{ "activated_on", OUT_DATE }, { "ended_on", OUT_DATE },
	{ "end_reason", OUT_STR }, { "origin", OUT_STR },
	{ "mentor_accepted_on", OUT_DATE },
	{ "mentee_accepted_on", OUT_DATE }, { "declined_on", OUT_DATE },
	{ "declined_by", OUT_STR }, { "decline_reason", OUT_STR },
};
static const struct out_col pairings_period_col = { "period", OUT_INT };
static const struct out_col pairings_people_cols[] = {
	{ "mentor_name", OUT_STR }, { "mentor_department", OUT_STR },
	{ "mentee_name", OUT_STR }, { "mentee_department", OUT_STR },
};
static const struct out_col pairings_reup_table_col = { "reup", OUT_STR };
static const struct out_col pairings_reup_cols[] = {
	{ "mentor_reup", OUT_STR }, { "mentee_reup", OUT_STR },
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static size_t
pairings_columns(struct out_col *cols, bool rotation, bool table)
{
	size_t n = 0;

	memcpy(cols, pairings_cols, sizeof pairings_cols);
	n += NELEM(pairings_cols);
	if (rotation)
		cols[n++] = pairings_period_col;
	memcpy(cols + n, pairings_people_cols, sizeof pairings_people_cols);
	n += NELEM(pairings_people_cols);
	if (table)
		cols[n++] = pairings_reup_table_col;
	else {
		memcpy(cols + n, pairings_reup_cols, sizeof pairings_reup_cols);
		n += NELEM(pairings_reup_cols);
	}
	return n;
}

/* An answer for CSV and JSON: yes, no, new; NULL (null) when none. */
static const char *
reup_answer(enum cycle_answer a)
{
	return a == CYCLE_ANSWER_NONE ? NULL : cycle_answer_name(a);
}

/* The re-up cells of a row, from the window's opening to cycle close. */
static void
pairings_reup(struct out *o, const struct pairing_row *r, bool table)
{
	static const char none[] = "\xe2\x80\x94";      /* an em dash */
	char buf[64];

	if (!r->reup_window)
		return;
	if (!table) {
		out_str(o, "mentor_reup", reup_answer(r->mentor_reup));
		out_str(o, "mentee_reup", reup_answer(r->mentee_reup));
		return;
	}
	snprintf(buf, sizeof buf, "mentor %s, mentee %s",
	    r->mentor_reup == CYCLE_ANSWER_NONE ? none :
	    cycle_answer_name(r->mentor_reup),
	    r->mentee_reup == CYCLE_ANSWER_NONE ? none :
	    cycle_answer_name(r->mentee_reup));
	out_str(o, "reup", buf);
}

static int
cmd_pairings_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct out_col cols[NELEM(pairings_cols) + 1 +
	    NELEM(pairings_people_cols) + NELEM(pairings_reup_cols)];
	const struct pairings_opts *opt = args->opts;
	const struct pairing_row *r;
	struct pairing_cursor *c;
	struct out *o;
	size_t ncols;
	int status = -1, rc;
	/* a rotation's pairings say their period */
	bool rotation = ctx->program->format == FORMAT_ROTATIONAL;
	bool table = ctx->fmt == OUT_TABLE;

	if (opt->waitlist && opt->status != NULL)
		return error_set(err, EX_USAGE, "--waitlist lists mentees, not "
		    "pairings: drop --status");
	if (opt->waitlist)
		return waitlist(ctx, err);
	if (opt->status != NULL &&
	    (status = pairing_status_parse(opt->status)) < 0)
		return error_set(err, EX_USAGE, "unknown status '%s' (expected "
		    "proposed, planned, active, declined, expired or ended)",
		    opt->status);
	if ((c = store_pairing_cursor(ctx->db, ctx->program_id, ctx->today,
	    status, err)) == NULL)
		return -1;
	ncols = pairings_columns(cols, rotation, table);
	o = cmd_out_new(ctx, cols, ncols);
	while ((rc = store_pairing_next(c, &r, err)) == 1) {
		out_int(o, "id", r->id);
		out_str(o, "mentor_email", r->mentor_email);
		out_str(o, "mentee_email", r->mentee_email);
		out_str(o, "status", pairing_status_name(r->status));
		out_real(o, "score", r->score, 2);
		if (r->group_id > 0)
			out_int(o, "group_id", r->group_id);
		out_date(o, "proposed_on", r->proposed_on);
		out_date(o, "expires_on", r->expires_on);
		out_date(o, "activated_on", r->activated_on);
		out_date(o, "ended_on", r->ended_on);
		out_str(o, "end_reason", r->end_reason);
		out_str(o, "origin", pairing_origin_name(r->origin));
		out_date(o, "mentor_accepted_on", r->mentor_accepted_on);
		out_date(o, "mentee_accepted_on", r->mentee_accepted_on);
		out_date(o, "declined_on", r->declined_on);
		out_str(o, "declined_by", r->declined_by);
		out_str(o, "decline_reason", r->decline_reason);
		if (rotation && r->slot > 0)
			out_int(o, "period", r->slot);
		out_str(o, "mentor_name", r->mentor_name);
		out_str(o, "mentor_department", r->mentor_department);
		out_str(o, "mentee_name", r->mentee_name);
		out_str(o, "mentee_department", r->mentee_department);
		pairings_reup(o, r, table);
		out_end_row(o);
	}
	store_pairing_cursor_free(c);
	if (rc < 0) {
		out_free(o);
		return -1;
	}
	return cmd_out_end(o, err);
}

const struct cmd_entry cmd_pairings_entry = {
	.name = "pairings", .sub = NULL,
	.usage = "PROGRAM [--status STATUS | --waitlist]",
	.summary = "list a programme's pairings",
	.example = "mentorctl pairings eng-2027 --status proposed --format csv",
	CMD_OPTIONS(struct pairings_opts, pairings_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_pairings_exec,
};
