/*
 * reup PAIRING_ID --by EMAIL yes|no: a partner's answer to "another cycle
 * together?", accepted while the cycle's re-up window is open and
 * changeable until it closes.  `cycle close` turns the answers into
 * outcomes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "core/cycle.h"
#include "core/date.h"
#include "store/cycle_store.h"
#include "store/db.h"
#include "util/error.h"

static int
cmd_reup_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct cycle_pairing pr;
	enum cycle_answer before;
	const char *by = cmd_opt(args, "by");
	char b1[DATE_BUFSZ];
	long long id, person;
	int rc, answer;

	if (by == NULL || *by == '\0')
		return cmd_error(EX_USAGE, "reup needs --by EMAIL: the partner "
		    "who answers");
	if ((rc = cmd_parse_pairing_id(args->pos[0], &id)) != 0)
		return rc;
	if ((answer = cycle_answer_parse(args->pos[1])) < 0)
		return cmd_error(EX_USAGE, "unknown answer '%s' (expected yes or "
		    "no)", args->pos[1]);
	if (store_cycle_pairing(ctx->db, id, &pr, &err) != 0)
		return cmd_fail(&err);
	if (strcasecmp(by, pr.mentor_email) == 0) {
		person = pr.mentor_person_id;
	} else if (strcasecmp(by, pr.mentee_email) == 0) {
		person = pr.mentee_person_id;
	} else {
		rc = cmd_error(EX_DATAERR, "'%s' is not a partner in pairing %lld "
		    "(mentor %s, mentee %s)", by, id, pr.mentor_email,
		    pr.mentee_email);
		goto out;
	}
	if (strcmp(pr.status, "active") != 0) {
		rc = cmd_error(EX_DATAERR, "pairing %lld is %s, not active: there "
		    "is nothing to re-up", id, pr.status);
		goto out;
	}
	if (!pr.in_cycle || !pr.cycle.open) {
		rc = cmd_error(EX_DATAERR, "pairing %lld is in no open cycle "
		    "(start one with 'mentorctl cycle start %s')", id, pr.program);
		goto out;
	}
	switch (cycle_window_at(&pr.cycle.d, ctx->today)) {
	case CYCLE_WINDOW_BEFORE:
		rc = cmd_error(EX_DATAERR, "re-up window for pairing %lld opens "
		    "on %s", id, date_format(pr.cycle.d.reup_opens_on, b1));
		goto out;
	case CYCLE_WINDOW_CLOSED:
		rc = cmd_error(EX_DATAERR, "re-up window for pairing %lld closed "
		    "on %s", id, date_format(pr.cycle.d.reup_closes_on, b1));
		goto out;
	case CYCLE_WINDOW_OPEN:
		break;
	}
	if (store_reup_answer(ctx->db, id, pr.cycle.id, person, by,
	    (enum cycle_answer)answer, ctx->today, &before, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (before == CYCLE_ANSWER_NONE)
		fprintf(stderr, "mentorctl: recorded '%s' from %s for pairing %lld "
		    "(cycle %d; answers may change until %s)\n",
		    cycle_answer_name((enum cycle_answer)answer), by, id,
		    pr.cycle.d.number, date_format(pr.cycle.d.reup_closes_on, b1));
	else
		fprintf(stderr, "mentorctl: changed the answer of %s for pairing "
		    "%lld from '%s' to '%s' (cycle %d; answers may change until "
		    "%s)\n", by, id, cycle_answer_name(before),
		    cycle_answer_name((enum cycle_answer)answer),
		    pr.cycle.d.number, date_format(pr.cycle.d.reup_closes_on, b1));
	rc = 0;
out:
	cycle_pairing_free(&pr);
	return rc;
}

static const struct cmd_opt reup_opts[] = {
	{ "by", true, "--by EMAIL         the partner (mentor or mentee) who "
	    "answers" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_reup_entry = {
	.name = "reup", .sub = NULL, .usage = "PAIRING_ID --by EMAIL yes|no",
	.summary = "record a partner's answer: another cycle together, or not",
	.opts = reup_opts,
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_reup_exec,
};
