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
#include "core/people.h"
#include "ops/training.h"
#include "store/person_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

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

/* Where the person's enrollments stand now, one line each. */
static void
note_enrollments(struct ctx *ctx, const struct ops_training *req)
{
	size_t i;

	for (i = 0; i < req->nenrollments; i++) {
		const struct enrollment_row *e = &req->enrollments[i];

		cmd_note(ctx, "'%s' is %s as %s in '%s'%s%s%s", req->stored_email,
		    enrollment_status_name(e->status),
		    enrollment_role_name(e->role), e->program,
		    e->reason ? " (" : "", e->reason ? e->reason : "",
		    e->reason ? ")" : "");
	}
}

static int
add_one(struct ctx *ctx, const struct cmd_args *args, int on,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_training req;
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];

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
	note_enrollments(ctx, &req);
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
	    "unchanged)", res.rows - res.repeated, res.rows - res.repeated == 1 ?
	    "" : "s", res.action[TRAINING_ADDED], res.action[TRAINING_REDATED],
	    res.action[TRAINING_SAME]);
	if (res.repeated > 0)
		cmd_note(ctx, "%zu row%s repeat%s a training of the same person "
		    "(already recorded; the earliest date counts)", res.repeated,
		    res.repeated == 1 ? "" : "s", res.repeated == 1 ? "s" : "");
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

/* ---- list ---- */

struct list_opts {
	const char *training;
};

static const struct cmd_option list_options[] = {
	OPT_STRING("training", "NAME", struct list_opts, training,
	    "only this training (who has completed it)"),
	OPT_END,
};

static int
cmd_training_list_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "email", OUT_STR }, { "training", OUT_STR },
		{ "completed_on", OUT_DATE }, { "recorded_at", OUT_STR },
	};
	const struct list_opts *opt = args->opts;
	struct training_row *rows;
	struct person_rec p;
	struct out *o;
	char *name = NULL, *copy = NULL;
	const char *why;
	long long person_id = 0;
	size_t n, i;

	if (opt->training) {
		copy = xstrdup(opt->training);
		if ((why = people_training_name(copy, &name)) != NULL) {
			free(copy);
			return error_set(err, EX_DATAERR, "%s: '%s'", why,
			    opt->training);
		}
	}
	if (args->npos > 0) {
		if (store_person_get(ctx->db, args->pos[0], &p, err) != 0) {
			free(copy);
			return -1;
		}
		person_id = p.id;
		person_rec_free(&p);
	}
	if (store_training_find(ctx->db, person_id, name, &rows, &n,
	    err) != 0) {
		free(copy);
		return -1;
	}
	free(copy);
	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < n; i++) {
		out_str(o, "email", rows[i].email);
		out_str(o, "training", rows[i].name);
		out_date(o, "completed_on", rows[i].completed_on);
		out_str(o, "recorded_at", rows[i].recorded_at);
		out_end_row(o);
	}
	training_rows_free(rows, n);
	return cmd_out_end(o, err);
}

/* ---- remove ---- */

struct remove_opts {
	const char *by;
};

static const struct cmd_option remove_options[] = {
	OPT_EMAIL("by", struct remove_opts, by,
	    "who removes it, for the audit (default: $USER)"),
	OPT_END,
};

static int
cmd_training_remove_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_training req;
	char d[DATE_BUFSZ];

	memset(&req, 0, sizeof req);
	req.email = args->pos[0];
	req.name = args->pos[1];
	if (ops_training_remove(&o, &req, err) != 0) {
		ops_training_free(&req);
		return -1;
	}
	cmd_note(ctx, "removed training %s of '%s' (completed %s)",
	    req.stored_name, req.stored_email, date_format(req.done.was, d));
	note_enrollments(ctx, &req);
	ops_training_free(&req);
	return 0;
}

const struct cmd_entry cmd_training_list_entry = {
	.name = "training", .sub = "list", .usage = "[EMAIL] [--training NAME]",
	.summary = "list completed trainings, of one person or everyone",
	.example = "mentorctl training list --training mentor-basics",
	CMD_OPTIONS(struct list_opts, list_options),
	.min_args = 0, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_training_list_exec,
};

const struct cmd_entry cmd_training_remove_entry = {
	.name = "training", .sub = "remove", .usage = "EMAIL NAME",
	.summary = "remove a training recorded by mistake (eligibility is "
	    "re-evaluated)",
	.example = "mentorctl training remove ana@example.org mentor-basics",
	CMD_OPTIONS(struct remove_opts, remove_options),
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_BY_ACTOR,
	.exec = cmd_training_remove_exec,
};

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
