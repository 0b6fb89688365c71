/*
 * feedback PAIRING_ID --by EMAIL --rating 1-5 [--comment TEXT]
 * feedback --program SLUG --by EMAIL --rating 1-5 [--comment TEXT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "store/feedback_store.h"
#include "store/program_store.h"

/* Long enough for a paragraph, short enough to stay a comment. */
#define FEEDBACK_COMMENT_MAX 4000

static int
cmd_feedback_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct feedback_giver g;
	struct program_row prog;
	const char *slug = cmd_opt(args, "program");
	const char *by = cmd_opt(args, "by");
	const char *comment = cmd_opt(args, "comment");
	char day[DATE_BUFSZ];
	long long pairing = 0, id;
	long rating = 0;
	int rc, replaced;

	if (slug != NULL && args->npos > 0)
		return cmd_error(EX_USAGE, "give a pairing id or --program SLUG, "
		    "not both");
	if (slug == NULL && args->npos == 0)
		return cmd_error(EX_USAGE, "missing pairing id; usage: mentorctl "
		    "feedback PAIRING_ID|--program SLUG --by EMAIL --rating 1-5");
	if (by == NULL || by[0] == '\0')
		return cmd_error(EX_USAGE, "missing '--by EMAIL': who gives the "
		    "feedback");
	if (cmd_opt(args, "rating") == NULL)
		return cmd_error(EX_USAGE, "missing '--rating 1-5'");
	if ((rc = cmd_opt_int(args, "rating", 1, 5, &rating)) != 0)
		return rc;
	if (args->npos > 0 && (rc = cmd_parse_pairing_id(args->pos[0],
	    &pairing)) != 0)
		return rc;
	if (comment != NULL && strlen(comment) > FEEDBACK_COMMENT_MAX)
		return cmd_error(EX_DATAERR, "comment is longer than %d bytes",
		    FEEDBACK_COMMENT_MAX);
	if (comment != NULL && comment[0] == '\0')
		comment = NULL;

	if (slug != NULL) {
		if (store_program_get(ctx->db, slug, &prog, &err) != 0)
			return cmd_fail(&err);
		rc = feedback_store_program_giver(ctx->db, prog.id, slug, by, &g,
		    &err);
		program_row_free(&prog);
	} else {
		rc = feedback_store_pairing_giver(ctx->db, pairing, by, &g, &err);
	}
	if (rc != 0)
		return cmd_fail(&err);
	if (feedback_store_put(ctx->db, &g, (int)rating, comment, ctx->today,
	    &id, &replaced, &err) != 0)
		return cmd_fail(&err);
	if (replaced != DATE_NONE)
		fprintf(stderr, "mentorctl: replaced the feedback %s gave on %s "
		    "about %s%s%s\n", by, date_format(replaced, day),
		    slug ? "programme '" : "pairing ", slug ? slug : args->pos[0],
		    slug ? "'" : "");
	else
		fprintf(stderr, "mentorctl: recorded the feedback of %s about "
		    "%s%s%s\n", by, slug ? "programme '" : "pairing ",
		    slug ? slug : args->pos[0], slug ? "'" : "");
	return 0;
}

static const struct cmd_opt feedback_opts[] = {
	{ "by", true, "--by EMAIL         who gives it: a partner in the pairing, or enrolled in the programme" },
	{ "rating", true, "--rating N         1 (poor) to 5 (excellent)" },
	{ "comment", true, "--comment TEXT     what they want to say (shown in reports only from 3 responses up)" },
	{ "program", true, "--program SLUG     feedback about the programme instead of a pairing" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_feedback_entry = {
	.name = "feedback", .sub = NULL,
	.usage = "PAIRING_ID|--program SLUG --by EMAIL --rating 1-5 [--comment TEXT]",
	.summary = "record a participant's rating and comment (one per person, replaced when given again)",
	.opts = feedback_opts,
	.min_args = 0, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_feedback_exec,
};
