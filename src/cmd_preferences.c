/*
 * preferences import [PROGRAM] FILE.csv: participants' own preferences
 * about pairs (a mentee's rank or rating of a mentor, prefer/avoid/veto
 * from either side), which `compare: preference` scores and which avoid
 * and veto make impossible; preferences list PROGRAM [--for EMAIL] shows
 * them as stored (ranks given by mail with suggest --mail included).
 * conflicts import FILE.csv [--program SLUG]
 * and conflicts list: never-pair lists (conflicts of interest) of one
 * programme or of every programme.  The rules are in ops/preferences.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/program.h"
#include "io/csv_named.h"
#include "ops/preferences.h"
#include "store/preference_store.h"
#include "util/error.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* An import of FILE through fn, for programme slug (may be NULL). */
static int
import(struct ctx *ctx, const char *slug, const char *file,
    int (*fn)(const struct ops_ctx *, const char *, struct ops_rows *,
    struct ops_pairs_import *, struct error *), struct ops_pairs_import *r,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct csv_named *cr;
	struct ops_rows rows;
	int rc;

	memset(r, 0, sizeof *r);
	if ((cr = csv_named_open(file, err)) == NULL)
		return -1;
	rows.name = csv_named_name(cr);
	rows.arg = cr;
	rows.next = csv_named_next_v;
	rows.get = csv_named_cell_v;
	rows.has = csv_named_has_v;
	rows.line = csv_named_line_v;
	rc = fn(&o, slug, &rows, r, err);
	csv_named_close(cr);
	return rc;
}

static int
cmd_preferences_import_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_pairs_import r;
	const char *slug = args->npos == 2 ? args->pos[0] : NULL;
	const char *file = args->pos[args->npos - 1];

	if (import(ctx, slug, file, ops_preferences_import, &r, err) != 0) {
		ops_pairs_import_free(&r);
		return -1;
	}
	if (r.mentees > 0)
		cmd_note(ctx, "%s: %zu preference%s recorded in '%s' (the "
		    "rankings of %zu mentee%s replaced)", file, r.pairs,
		    r.pairs == 1 ? "" : "s", r.slug ? r.slug : "?", r.mentees,
		    r.mentees == 1 ? "" : "s");
	else
		cmd_note(ctx, "%s: %zu preference%s recorded in '%s'", file,
		    r.pairs, r.pairs == 1 ? "" : "s", r.slug ? r.slug : "?");
	ops_pairs_import_free(&r);
	return 0;
}

struct preferences_opts {
	const char *who;
};

static const struct cmd_option preferences_options[] = {
	OPT_EMAIL("for", struct preferences_opts, who,
	    "only the pairs of this mentee or mentor"),
	OPT_END,
};

static int
preference_row(const struct preference_row *r, void *arg)
{
	struct out *o = arg;

	out_str(o, "mentee_email", r->mentee);
	out_str(o, "mentor_email", r->mentor);
	if (r->rank > 0)
		out_int(o, "rank", r->rank);
	if (r->rating > 0)
		out_int(o, "rating", r->rating);
	out_str(o, "mentee_choice", r->mentee_choice);
	out_str(o, "mentor_choice", r->mentor_choice);
	out_str(o, "source", r->source);
	out_str(o, "updated_at", r->updated_at);
	out_end_row(o);
	return 0;
}

static int
cmd_preferences_list_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "rank", OUT_INT }, { "rating", OUT_INT },
		{ "mentee_choice", OUT_STR }, { "mentor_choice", OUT_STR },
		{ "source", OUT_STR }, { "updated_at", OUT_STR },
	};
	const struct preferences_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct program *p = NULL;
	struct out *out;
	long long id = 0;

	if (ops_program_load(&o, args->pos[0], &id, &p, err) != 0)
		return -1;
	program_free(p);
	out = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	if (store_preference_list(ctx->db, id, opt->who, preference_row, out,
	    err) != 0) {
		out_free(out);
		return -1;
	}
	return cmd_out_end(out, err);
}

/* ---- conflicts ---- */

struct conflicts_opts {
	const char *program;
};

static const struct cmd_option conflicts_options[] = {
	OPT_STRING("program", "SLUG", struct conflicts_opts, program,
	    "this programme only (default: every programme)"),
	OPT_END,
};

static int
cmd_conflicts_import_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct conflicts_opts *opt = args->opts;
	struct ops_pairs_import r;

	if (import(ctx, opt->program, args->pos[0], ops_conflicts_import, &r,
	    err) != 0) {
		ops_pairs_import_free(&r);
		return -1;
	}
	cmd_note(ctx, "%s: %zu pair%s never to be paired in %s (%zu new)",
	    args->pos[0], r.pairs, r.pairs == 1 ? "" : "s", opt->program ?
	    opt->program : "any programme", r.changed);
	ops_pairs_import_free(&r);
	return 0;
}

static int
list_row(const struct conflict_row *c, void *arg)
{
	struct out *o = arg;

	out_str(o, "program", c->program);
	out_str(o, "email", c->a);
	out_str(o, "other_email", c->b);
	out_str(o, "reason", c->reason);
	out_str(o, "added_at", c->added_at);
	out_end_row(o);
	return 0;
}

static int
cmd_conflicts_list_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "program", OUT_STR }, { "email", OUT_STR },
		{ "other_email", OUT_STR }, { "reason", OUT_STR },
		{ "added_at", OUT_STR },
	};
	const struct conflicts_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct program *p = NULL;
	struct out *out;
	long long id = 0;

	if (opt->program != NULL) {
		if (ops_program_load(&o, opt->program, &id, &p, err) != 0)
			return -1;
		program_free(p);
	}
	out = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	if (store_conflict_list(ctx->db, id, list_row, out, err) != 0) {
		out_free(out);
		return -1;
	}
	return cmd_out_end(out, err);
}

const struct cmd_entry cmd_preferences_import_entry = {
	.name = "preferences", .sub = "import", .usage = "[PROGRAM] FILE.csv",
	.summary = "record participants' preferences (rank, rating, prefer, "
	    "avoid, veto)",
	.example = "mentorctl preferences import eng-2027 ratings.csv",
	.min_args = 1, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_preferences_import_exec,
};

const struct cmd_entry cmd_preferences_list_entry = {
	.name = "preferences", .sub = "list",
	.usage = "PROGRAM [--for EMAIL]",
	.summary = "list the participants' preferences about pairs",
	.example = "mentorctl preferences list eng-2027 --for ana@example.org",
	CMD_OPTIONS(struct preferences_opts, preferences_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_preferences_list_exec,
};

const struct cmd_entry cmd_conflicts_import_entry = {
	.name = "conflicts", .sub = "import",
	.usage = "FILE.csv [--program SLUG]",
	.summary = "add pairs of people never to be paired (conflicts of "
	    "interest)",
	.example = "mentorctl conflicts import coi.csv",
	CMD_OPTIONS(struct conflicts_opts, conflicts_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_conflicts_import_exec,
};

const struct cmd_entry cmd_conflicts_list_entry = {
	.name = "conflicts", .sub = "list", .usage = "[--program SLUG]",
	.summary = "list the never-pair entries",
	.example = "mentorctl conflicts list --program eng-2027",
	CMD_OPTIONS(struct conflicts_opts, conflicts_options),
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_conflicts_list_exec,
};
