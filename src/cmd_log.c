/*
 * log [--program SLUG] [--pairing ID] [--person EMAIL] [--since DATE]:
 * the audit trail, readable: when, who, which command, what it changed.
 * Columns: at,actor,command,entity,entity_id,action,detail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/program.h"
#include "ops/ops.h"
#include "store/view_store.h"
#include "util/error.h"

struct log_opts {
	const char *program;
	long pairing;
	const char *person;
	int since;
};

static const struct cmd_option log_options[] = {
	OPT_STRING("program", "SLUG", struct log_opts, program,
	    "only what concerns programme SLUG"),
	OPT_INT("pairing", "ID", struct log_opts, pairing, 1, 2147483647L, 0,
	    "only pairing ID, its check-ins and feedback"),
	OPT_EMAIL("person", struct log_opts, person,
	    "only what this person did or what concerns them"),
	OPT_DATE("since", struct log_opts, since,
	    "from this day on (UTC, as the trail is stamped)"),
	OPT_END,
};

static int
cmd_log_exec(struct ctx *ctx, const struct cmd_args *args, struct error *err)
{
	static const struct out_col cols[] = {
		{ "at", OUT_STR }, { "actor", OUT_STR }, { "command", OUT_STR },
		{ "entity", OUT_STR }, { "entity_id", OUT_INT },
		{ "action", OUT_STR }, { "detail", OUT_STR },
	};
	const struct log_opts *opt = args->opts;
	struct log_filter f = { 0, opt->pairing, opt->person, opt->since };
	struct log_cursor *c;
	struct log_row row;
	struct out *o;
	int rc;

	if (opt->program != NULL) {
		struct ops_ctx oc = { ctx->db, ctx->today, ctx->now, ctx->actor };
		struct program *p;

		if (ops_program_load(&oc, opt->program, &f.program_id, &p,
		    err) != 0)
			return -1;
		program_free(p);
	}
	if ((c = store_log_cursor(ctx->db, &f, err)) == NULL)
		return -1;
	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	while ((rc = store_log_next(c, &row, err)) == 1) {
		out_str(o, "at", row.at);
		out_str(o, "actor", row.actor);
		out_str(o, "command", row.command);
		out_str(o, "entity", row.entity);
		if (row.entity_id != 0)
			out_int(o, "entity_id", row.entity_id);
		out_str(o, "action", row.action);
		out_str(o, "detail", row.detail);
		out_end_row(o);
	}
	store_log_cursor_free(c);
	if (rc < 0) {
		out_free(o);
		return -1;
	}
	return cmd_out_end(o, err);
}

const struct cmd_entry cmd_log_entry = {
	.name = "log", .sub = NULL,
	.usage = "[--program SLUG] [--pairing ID] [--person EMAIL] "
	    "[--since DATE]",
	.summary = "show the audit trail: who changed what, and when",
	.example = "mentorctl log --pairing 12",
	CMD_OPTIONS(struct log_opts, log_options),
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_log_exec,
};
