/*
 * feedback PAIRING_ID --by EMAIL --rating 1-5 [--comment TEXT]
 * feedback --program SLUG --by EMAIL --rating 1-5 [--comment TEXT]
 *
 * feedback --csv FILE --program SLUG [--date-order mdy|dmy]: the responses
 * of a feedback form (ops/forms.c), each through the same ops_feedback.
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
	const char *csv;
	const char *date_order;
};

static const struct cmd_option feedback_options[] = {
	OPT_EMAIL("by", struct feedback_opts, by, "who gives it: a partner "
	    "in the pairing, or enrolled in the programme"),
	OPT_INT("rating", "N", struct feedback_opts, rating, 1, 5, 0,
	    "1 (poor) to 5 (excellent)"),
	OPT_STRING("comment", "TEXT", struct feedback_opts, comment,
	    "what they want to say (shown in reports only from 3 responses "
	    "up; empty: none)"),
	OPT_STRING("program", "SLUG", struct feedback_opts, program,
	    "feedback about the programme instead of a pairing; with --csv: "
	    "the programme whose pairings the responses are about"),
	OPT_STRING("csv", "FILE", struct feedback_opts, csv,
	    "record the responses of a feedback form (Microsoft Forms, "
	    "Google Forms or a plain CSV file; see Forms in mentorctl(1))"),
	OPT_STRING("date-order", "mdy|dmy", struct feedback_opts, date_order,
	    "with --csv: read slash dates month first (mdy) or day first "
	    "(dmy)"),
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
	char day[DATE_BUFSZ], cycle[32] = "";

	if (opt->csv != NULL) {
		if (args->npos > 0 || opt->by != NULL || opt->rating != 0 ||
		    opt->comment != NULL)
			return error_set(err, EX_USAGE, "with --csv the file "
			    "gives who, about which pairing, the ratings and "
			    "comments; usage: mentorctl feedback --csv FILE "
			    "--program SLUG [--date-order mdy|dmy]");
		return cmd_form_import(ctx, true, opt->csv, opt->program,
		    opt->date_order, err);
	}
	if (opt->date_order != NULL)
		return error_set(err, EX_USAGE, "--date-order goes with --csv "
		    "FILE");
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
	if (r.cycle > 0)
		snprintf(cycle, sizeof cycle, " (cycle %d)", r.cycle);
	if (r.replaced)
		cmd_note(ctx, "replaced the feedback %s gave on %s about %s%s%s%s",
		    opt->by, date_format(r.replaced_on, day), opt->program ?
		    "programme '" : "pairing ", opt->program ? opt->program :
		    args->pos[0], opt->program ? "'" : "", cycle);
	else
		cmd_note(ctx, "recorded the feedback of %s about %s%s%s%s",
		    opt->by, opt->program ? "programme '" : "pairing ",
		    opt->program ? opt->program : args->pos[0],
		    opt->program ? "'" : "", cycle);
	return 0;
}

const struct cmd_entry cmd_feedback_entry = {
	.name = "feedback", .sub = NULL,
	.usage = "PAIRING_ID|--program SLUG --by EMAIL --rating 1-5 "
	    "[--comment TEXT] | --csv FILE --program SLUG "
	    "[--date-order mdy|dmy]",
	.summary = "record a participant's rating and comment (one per person "
	    "and cycle, replaced when given again)",
	.example = "mentorctl feedback 12 --by bo@example.org --rating 5 "
	    "--comment 'very helpful'\n"
	    "  mentorctl feedback --csv responses.csv --program eng-2027 "
	    "--date-order dmy",
	CMD_OPTIONS(struct feedback_opts, feedback_options),
	.min_args = 0, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_BY_ACTOR,
	.exec = cmd_feedback_exec,
};
