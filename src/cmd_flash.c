/*
 * flash seat PROGRAM [--force]: confirm the session's seating (stored);
 * flash attend PROGRAM EMAIL... [--round N] [--absent]: who came.
 * The rules are ops/flash.c's; `schedule` shows the stored seats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/program.h"
#include "ops/flash.h"
#include "util/error.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

static int
flash_only(const struct ctx *ctx, struct error *err)
{
	if (ctx->program->format == FORMAT_FLASH)
		return 0;
	return error_set(err, EX_DATAERR, "programme '%s' has format %s: flash "
	    "seats and attendance are for flash programmes", ctx->slug,
	    program_format_name(ctx->program->format));
}

struct seat_opts {
	bool force;
};

static const struct cmd_option seat_options[] = {
	OPT_FLAG("force", struct seat_opts, force, "seat again although "
	    "attendance was recorded (it is dropped)"),
	OPT_END,
};

static int
cmd_flash_seat_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct seat_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_flash_seat r;

	if (flash_only(ctx, err) != 0 ||
	    ops_flash_seat(&o, ctx->program_id, ctx->program, opt->force, &r,
	    err) != 0)
		return -1;
	cmd_note(ctx, "seated the session of '%s': %zu seat%s for %d mentee%s%s;"
	    " 'mentorctl schedule %s' shows them, 'mentorctl flash attend %s "
	    "EMAIL...' records who came", ctx->slug, r.seats,
	    r.seats == 1 ? "" : "s", r.mentees, r.mentees == 1 ? "" : "s",
	    r.replaced ? " (the earlier seating replaced)" : "", ctx->slug,
	    ctx->slug);
	return 0;
}

struct attend_opts {
	long round;
	bool absent;
};

static const struct cmd_option attend_options[] = {
	OPT_INT("round", "N", struct attend_opts, round, 1, 50, 0,
	    "only this round (default: every round of theirs)"),
	OPT_FLAG("absent", struct attend_opts, absent,
	    "they did not come"),
	OPT_END,
};

static int
cmd_flash_attend_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct attend_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_flash_attend r;

	if (flash_only(ctx, err) != 0 ||
	    ops_flash_attend(&o, ctx->program_id, ctx->program,
	    (const char *const *)args->pos + 1, (size_t)args->npos - 1,
	    (int)opt->round, opt->absent, &r, err) != 0)
		return -1;
	if (opt->round)
		cmd_note(ctx, "recorded %zu %s %s in round %ld (%zu seat%s "
		    "changed)", r.people, r.people == 1 ? "person" : "people",
		    opt->absent ? "absent" : "present", opt->round, r.seats,
		    r.seats == 1 ? "" : "s");
	else
		cmd_note(ctx, "recorded %zu %s %s (%zu seat%s changed)",
		    r.people, r.people == 1 ? "person" : "people",
		    opt->absent ? "absent" : "present", r.seats,
		    r.seats == 1 ? "" : "s");
	return 0;
}

const struct cmd_entry cmd_flash_seat_entry = {
	.name = "flash", .sub = "seat", .usage = "PROGRAM [--force]",
	.summary = "confirm a flash session's seating (schedule then shows "
	    "it as stored)",
	.example = "mentorctl flash seat speed-mentoring-2027",
	CMD_OPTIONS(struct seat_opts, seat_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG,
	.exec = cmd_flash_seat_exec,
};

const struct cmd_entry cmd_flash_attend_entry = {
	.name = "flash", .sub = "attend",
	.usage = "PROGRAM EMAIL... [--round N] [--absent]",
	.summary = "record which mentees came to a seated flash session",
	.example = "mentorctl flash attend speed-mentoring-2027 "
	    "bo@example.org cy@example.org",
	CMD_OPTIONS(struct attend_opts, attend_options),
	.min_args = 2, .max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG,
	.exec = cmd_flash_attend_exec,
};
