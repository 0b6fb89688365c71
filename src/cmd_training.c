/*
 * training add EMAIL NAME [--on DATE], training add --csv FILE: completed
 * trainings, which the programmes' eligibility rules require.  The rules
 * are in ops/training.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/status.h"
#include "io/csv.h"
#include "ops/training.h"
#include "util/error.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

struct add_opts {
	int on;
	const char *csv;
	const char *by;
};

static const struct cmd_option add_options[] = {
	OPT_DATE("on", struct add_opts, on, "completed on DATE (default: "
	    "today; with --csv, for rows without one)"),
	OPT_STRING("csv", "FILE", struct add_opts, csv,
	    "record every row of FILE (columns email,training[,on])"),
	OPT_EMAIL("by", struct add_opts, by,
	    "who records it, for the audit (default: $USER)"),
	OPT_END,
};

static int
add_one(struct ctx *ctx, const struct cmd_args *args, int on,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_training req;
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	size_t i;

	memset(&req, 0, sizeof req);
	req.email = args->pos[0];
	req.name = args->pos[1];
	req.on = on;
	if (ops_training_add(&o, &req, err) != 0) {
		ops_training_free(&req);
		return -1;
	}
	switch (req.done.action) {
	case TRAINING_ADDED:
		cmd_note(ctx, "recorded training %s for '%s' on %s",
		    req.stored_name, req.stored_email, date_format(on, d1));
		break;
	case TRAINING_REDATED:
		cmd_note(ctx, "training %s of '%s' is now dated %s (was %s)",
		    req.stored_name, req.stored_email, date_format(on, d1),
		    date_format(req.done.was, d2));
		break;
	case TRAINING_SAME:
		cmd_note(ctx, "training %s of '%s' was recorded already on %s",
		    req.stored_name, req.stored_email, date_format(on, d1));
		break;
	}
	/* Where the person's enrollments stand now, one line each. */
	for (i = 0; i < req.nenrollments; i++) {
		const struct enrollment_row *e = &req.enrollments[i];

		cmd_note(ctx, "'%s' is %s as %s in '%s'%s%s%s", req.stored_email,
		    enrollment_status_name(e->status),
		    enrollment_role_name(e->role), e->program,
		    e->reason ? " (" : "", e->reason ? e->reason : "",
		    e->reason ? ")" : "");
	}
	ops_training_free(&req);
	return 0;
}

static int
add_file(struct ctx *ctx, const char *path, int on, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_training_file res;
	struct csv_reader *r;
	int rc;

	if ((r = csv_open(path, err)) == NULL)
		return -1;
	rc = ops_training_csv(&o, r, on, &res, err);
	csv_close(r);
	if (rc != 0) {
		cmd_print_problems(&res.problems);
		ops_training_file_free(&res);
		return -1;
	}
	cmd_note(ctx, "recorded %zu training%s (%zu added, %zu re-dated, %zu "
	    "unchanged)", res.rows, res.rows == 1 ? "" : "s",
	    res.action[TRAINING_ADDED], res.action[TRAINING_REDATED],
	    res.action[TRAINING_SAME]);
	ops_training_file_free(&res);
	return 0;
}

static int
cmd_training_add_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct add_opts *opt = args->opts;
	int on = opt->on == DATE_NONE ? ctx->today : opt->on;

	if (opt->csv ? args->npos != 0 : args->npos != 2)
		return error_set(err, EX_USAGE, "usage: mentorctl training add "
		    "EMAIL NAME [--on DATE] | training add --csv FILE [--on "
		    "DATE]");
	return opt->csv ? add_file(ctx, opt->csv, on, err) :
	    add_one(ctx, args, on, err);
}

const struct cmd_entry cmd_training_add_entry = {
	.name = "training", .sub = "add",
	.usage = "EMAIL NAME [--on DATE] | --csv FILE",
	.summary = "record completed trainings (eligibility is re-evaluated)",
	.example = "mentorctl training add ana@example.org mentor-basics "
	    "--on 2027-01-05",
	CMD_OPTIONS(struct add_opts, add_options),
	.min_args = 0, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_BY_ACTOR,
	.exec = cmd_training_add_exec,
};
