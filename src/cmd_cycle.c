/*
 * cycle start|close|list PROGRAM: the numbered periods of a programme and
 * the re-up decision at their end (ops/cycle.c); a rotational programme's
 * cycles are its periods (ops/rotation.c).  Every date shown is a day
 * people can act on: a cycle's last day (core/cycle.h's cycle_last_day),
 * never the day after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/cycle.h"
#include "core/date.h"
#include "core/program.h"
#include "ops/cycle.h"
#include "store/cycle_store.h"
#include "util/error.h"

#define NCOLS(v) (sizeof v / sizeof v[0])

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* ---- start ---- */

struct start_opts {
	int on;
};

static const struct cmd_option start_options[] = {
	OPT_DATE("on", struct start_opts, on, "first day of the cycle "
	    "(default: cycle.start for cycle 1, else the end of the previous "
	    "cycle)"),
	OPT_END,
};

static void
note_period(struct ctx *ctx, const char *slug, const struct ops_period_open *r)
{
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];

	if (r->waiting > 0)
		cmd_note(ctx, "started period %d of %d of the rotation of '%s': "
		    "%s to %s; %zu pairing%s active, %zu waiting for consent",
		    r->period, r->periods, slug, date_format(r->starts_on, b1),
		    date_format(r->last_day, b2), r->active,
		    r->active == 1 ? "" : "s", r->waiting);
	else
		cmd_note(ctx, "started period %d of %d of the rotation of '%s': "
		    "%s to %s; %zu pairing%s active", r->period, r->periods,
		    slug, date_format(r->starts_on, b1),
		    date_format(r->last_day, b2), r->active,
		    r->active == 1 ? "" : "s");
}

static int
cmd_cycle_start_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct start_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_cycle_start r;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ], b3[DATE_BUFSZ], b4[DATE_BUFSZ];

	if (ops_cycle_start(&o, ctx->program_id, ctx->program, opt->on, &r,
	    err) != 0)
		return -1;
	if (r.rotation) {
		note_period(ctx, ctx->slug, &r.period);
		return 0;
	}
	cmd_note(ctx, "started cycle %d of '%s': %s to %s, re-up window %s to "
	    "%s; %lld active pairing%s joined", r.cd.number, ctx->slug,
	    date_format(r.cd.starts_on, b1), date_format(cycle_last_day(&r.cd),
	    b2),
	    date_format(r.cd.reup_opens_on, b3),
	    date_format(r.cd.reup_closes_on, b4), r.attached,
	    r.attached == 1 ? "" : "s");
	return 0;
}

/* ---- close ---- */

struct close_opts {
	bool force;
};

static const struct cmd_option close_options[] = {
	OPT_FLAG("force", struct close_opts, force, "close before the re-up "
	    "window has closed (missing answers take reup.default)"),
	OPT_END,
};

static int
close_rotation(struct ctx *ctx, const struct ops_rotation_close *r,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "pairing", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "period", OUT_INT },
		{ "outcome", OUT_STR },
	};
	struct out *o;
	char b1[DATE_BUFSZ];
	size_t i;

	o = cmd_out_new(ctx, cols, NCOLS(cols));
	for (i = 0; i < r->n; i++) {
		out_int(o, "pairing", r->v[i].pairing_id);
		out_str(o, "mentor_email", r->v[i].mentor_email);
		out_str(o, "mentee_email", r->v[i].mentee_email);
		out_int(o, "period", r->period);
		out_str(o, "outcome", "ended");
		out_end_row(o);
	}
	if (cmd_out_end(o, err) != 0)
		return -1;
	cmd_note(ctx, "closed period %d of %d of the rotation of '%s': %zu "
	    "pairing%s ended; %zu unanswered proposal%s expired", r->period,
	    r->periods, ctx->slug, r->n, r->n == 1 ? "" : "s", r->expired,
	    r->expired == 1 ? "" : "s");
	if (r->complete)
		cmd_note(ctx, "the rotation of '%s' is complete", ctx->slug);
	else if (r->next_opened)
		note_period(ctx, ctx->slug, &r->next);
	else
		cmd_note(ctx, "period %d starts on %s: open it then with "
		    "'mentorctl cycle start %s'", r->period + 1,
		    date_format(r->next_starts_on, b1), ctx->slug);
	return 0;
}

static int
cmd_cycle_close_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "pairing", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "mentor_answer", OUT_STR },
		{ "mentee_answer", OUT_STR }, { "outcome", OUT_STR },
	};
	const struct close_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_cycle_close r;
	struct out *out;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	size_t i;
	int rc = -1;

	if (ops_cycle_close(&o, ctx->program_id, ctx->program, opt->force,
	    false, &r, err) != 0)
		goto out;
	if (r.rotation) {
		rc = close_rotation(ctx, &r.period, err);
		goto out;
	}
	out = cmd_out_new(ctx, cols, NCOLS(cols));
	for (i = 0; i < r.n; i++) {
		out_int(out, "pairing", r.v[i].pairing_id);
		out_str(out, "mentor_email", r.v[i].mentor_email);
		out_str(out, "mentee_email", r.v[i].mentee_email);
		out_str(out, "mentor_answer", cycle_answer_name(r.v[i].mentor));
		out_str(out, "mentee_answer", cycle_answer_name(r.v[i].mentee));
		out_str(out, "outcome", cycle_outcome_name(r.v[i].outcome));
		out_end_row(out);
	}
	if (cmd_out_end(out, err) != 0)
		goto out;
	if (r.next_opened)
		cmd_note(ctx, "closed cycle %d of '%s': %zu pairing%s continued "
		    "into cycle %d (%s to %s), %zu ended", r.closed.d.number,
		    ctx->slug, r.continued, r.continued == 1 ? "" : "s",
		    r.next.number, date_format(r.next.starts_on, b1),
		    date_format(cycle_last_day(&r.next), b2), r.n - r.continued);
	else
		cmd_note(ctx, "closed cycle %d of '%s': %zu pairing%s ended, none "
		    "continued (no new cycle)", r.closed.d.number, ctx->slug,
		    r.n, r.n == 1 ? "" : "s");
	rc = 0;
out:
	ops_cycle_close_free(&r);
	return rc;
}

/* ---- list ---- */

static int
cmd_cycle_list_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "number", OUT_INT }, { "starts_on", OUT_DATE },
		{ "ends_on", OUT_DATE }, { "reup_opens_on", OUT_DATE },
		{ "reup_closes_on", OUT_DATE }, { "status", OUT_STR },
		{ "pairings", OUT_INT }, { "continued", OUT_INT },
		{ "exited", OUT_INT }, { "closed_on", OUT_DATE },
	};
	struct cycle_row *rows;
	struct out *o;
	size_t n, i;
	/* a rotation's periods have no re-up */
	bool reup = ctx->program->format != FORMAT_ROTATIONAL;

	(void)args;
	if (store_cycle_list(ctx->db, ctx->program_id, &rows, &n, err) != 0)
		return -1;
	o = cmd_out_new(ctx, cols, NCOLS(cols));
	for (i = 0; i < n; i++) {
		out_int(o, "number", rows[i].d.number);
		out_date(o, "starts_on", rows[i].d.starts_on);
		out_date(o, "ends_on", cycle_last_day(&rows[i].d));
		if (reup) {
			out_date(o, "reup_opens_on", rows[i].d.reup_opens_on);
			out_date(o, "reup_closes_on", rows[i].d.reup_closes_on);
		}
		out_str(o, "status", rows[i].open ? "open" : "closed");
		out_int(o, "pairings", rows[i].pairings);
		out_int(o, "continued", rows[i].continued);
		out_int(o, "exited", rows[i].exited);
		out_date(o, "closed_on", rows[i].closed_on);
		out_end_row(o);
	}
	cycle_rows_free(rows);
	return cmd_out_end(o, err);
}

const struct cmd_entry cmd_cycle_start_entry = {
	.name = "cycle", .sub = "start", .usage = "PROGRAM [--on DATE]",
	.summary = "start the programme's next cycle; active pairings join it",
	.example = "mentorctl cycle start eng-2027",
	CMD_OPTIONS(struct start_opts, start_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG,
	.exec = cmd_cycle_start_exec,
};

const struct cmd_entry cmd_cycle_close_entry = {
	.name = "cycle", .sub = "close", .usage = "PROGRAM [--force]",
	.summary = "close the open cycle: re-up outcomes, exits, the next cycle",
	.example = "mentorctl cycle close eng-2027",
	CMD_OPTIONS(struct close_opts, close_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_cycle_close_exec,
};

const struct cmd_entry cmd_cycle_list_entry = {
	.name = "cycle", .sub = "list", .usage = "PROGRAM",
	.summary = "list the programme's cycles and their re-up windows",
	.example = "mentorctl cycle list eng-2027 --format csv",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_cycle_list_exec,
};
