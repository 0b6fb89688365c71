/*
 * reup PAIRING_ID --by EMAIL yes|no: a partner's answer to "another cycle
 * together?" (ops/reup.c); `cycle close` turns the answers into outcomes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/cycle.h"
#include "core/date.h"
#include "ops/reup.h"
#include "util/error.h"

struct reup_opts {
	const char *by;
};

static const struct cmd_option reup_options[] = {
	OPT_EMAIL("by", struct reup_opts, by, "the partner (mentor or mentee) "
	    "who answers"),
	OPT_END,
};

static int
cmd_reup_exec(struct ctx *ctx, const struct cmd_args *args, struct error *err)
{
	const struct reup_opts *opt = args->opts;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_reup r;
	char b1[DATE_BUFSZ];
	int answer;

	if (opt->by == NULL)
		return error_set(err, EX_USAGE, "reup needs --by EMAIL: the "
		    "partner who answers");
	if ((answer = cycle_answer_parse(args->pos[1])) < 0)
		return error_set(err, EX_USAGE, "unknown answer '%s' (expected "
		    "yes or no)", args->pos[1]);
	if (ops_reup(&o, ctx->pairing_id, opt->by, (enum cycle_answer)answer,
	    &r, err) != 0)
		return -1;
	if (r.before == CYCLE_ANSWER_NONE)
		cmd_note(ctx, "recorded '%s' from %s for pairing %lld (cycle %d; "
		    "answers may change until %s)", cycle_answer_name(r.answer),
		    opt->by, r.pairing_id, r.cycle, date_format(r.closes_on, b1));
	else
		cmd_note(ctx, "changed the answer of %s for pairing %lld from "
		    "'%s' to '%s' (cycle %d; answers may change until %s)",
		    opt->by, r.pairing_id, cycle_answer_name(r.before),
		    cycle_answer_name(r.answer), r.cycle,
		    date_format(r.closes_on, b1));
	return 0;
}

const struct cmd_entry cmd_reup_entry = {
	.name = "reup", .sub = NULL, .usage = "PAIRING_ID --by EMAIL yes|no",
	.summary = "record a partner's answer: another cycle together, or not",
	.example = "mentorctl reup 12 --by bo@example.org yes",
	CMD_OPTIONS(struct reup_opts, reup_options),
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_BY_ACTOR,
	.exec = cmd_reup_exec,
};
