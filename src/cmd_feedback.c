/*
 * feedback PAIRING_ID --by EMAIL --rating 1-5 [--comment TEXT]
 * feedback --program SLUG --by EMAIL --rating 1-5 [--comment TEXT]
 *
 * The rule is ops/feedback.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "ops/feedback.h"
#include "util/error.h"

struct feedback_opts {
	const char *by;
	long rating;
	const char *comment;
	const char *program;
};

static const struct cmd_option feedback_options[] = {
	OPT_EMAIL("by", struct feedback_opts, by, "who gives it: a partner "
	    "in the pairing, or enrolled in the programme"),
	OPT_INT("rating", "N", struct feedback_opts, rating, 1, 5, 0,
	    "1 (poor) to 5 (excellent)"),
	OPT_STRING("comment", "TEXT", struct feedback_opts, comment,
	    "what they want to say (shown in reports only from 3 responses "
	    "up)"),
	OPT_STRING("program", "SLUG", struct feedback_opts, program,
	    "feedback about the programme instead of a pairing"),
	OPT_END,
};

static int
cmd_feedback_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct feedback_opts *opt = args->opts;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_feedback_req req;
	struct ops_feedback r;
	char day[DATE_BUFSZ];

	if (opt->program != NULL && args->npos > 0)
		return error_set(err, EX_USAGE, "give a pairing id or --program "
		    "SLUG, not both");
	if (opt->program == NULL && args->npos == 0)
		return error_set(err, EX_USAGE, "missing pairing id; usage: "
		    "mentorctl feedback PAIRING_ID|--program SLUG --by EMAIL "
		    "--rating 1-5");
	if (opt->by == NULL)
		return error_set(err, EX_USAGE, "missing '--by EMAIL': who gives "
		    "the feedback");
	if (opt->rating == 0)
		return error_set(err, EX_USAGE, "missing '--rating 1-5'");
	memset(&req, 0, sizeof req);
	req.pairing_id = args->npos > 0 ? ctx->pairing_id : 0;
	req.program = opt->program;
	req.by = opt->by;
	req.rating = (int)opt->rating;
	req.comment = opt->comment;
	if (ops_feedback(&o, &req, &r, err) != 0)
		return -1;
	if (r.replaced)
		cmd_note(ctx, "replaced the feedback %s gave on %s about %s%s%s",
		    opt->by, date_format(r.replaced_on, day), opt->program ?
		    "programme '" : "pairing ", opt->program ? opt->program :
		    args->pos[0], opt->program ? "'" : "");
	else
		cmd_note(ctx, "recorded the feedback of %s about %s%s%s",
		    opt->by, opt->program ? "programme '" : "pairing ",
		    opt->program ? opt->program : args->pos[0],
		    opt->program ? "'" : "");
	return 0;
}

const struct cmd_entry cmd_feedback_entry = {
	.name = "feedback", .sub = NULL,
	.usage = "PAIRING_ID|--program SLUG --by EMAIL --rating 1-5 "
	    "[--comment TEXT]",
	.summary = "record a participant's rating and comment (one per person, "
	    "replaced when given again)",
	.example = "mentorctl feedback 12 --by bo@example.org --rating 5 "
	    "--comment 'very helpful'",
	CMD_OPTIONS(struct feedback_opts, feedback_options),
	.min_args = 0, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_BY_ACTOR,
	.exec = cmd_feedback_exec,
};
