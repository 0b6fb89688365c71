/*
 * program new|check|add|update FILE, program list (program show is in
 * cmd_program_show.c).  The rules are in ops/program.c; these commands
 * read the file, call it and print.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config/program_yaml.h"
#include "core/date.h"
#include "core/program.h"
#include "core/program_template.h"
#include "ops/program.h"
#include "store/program_store.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/suggest.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* Read FILE; 0 or -1 with err. */
static int
read_file(const char *path, char **text, size_t *len, struct error *err)
{
	return file_read_all(path, CFG_PROGRAM_MAX_SIZE, text, len, err);
}

static int
failed(struct ops_program *res)
{
	cmd_print_problems(&res->problems);
	ops_program_free(res);
	return -1;
}

static int
cmd_program_check_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_program res;
	char *text;
	size_t len;
	int rc;

	if (read_file(args->pos[0], &text, &len, err) != 0)
		return -1;
	rc = ops_program_check(args->pos[0], text, len, &res, err);
	free(text);
	if (rc != 0)
		return failed(&res);
	fprintf(ctx->out, "%s: ok (programme '%s', format %s)\n", args->pos[0],
	    res.program->slug, program_format_name(res.program->format));
	ops_program_free(&res);
	return 0;
}

static int
cmd_program_add_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_program res;
	char *text;
	size_t len;
	int rc;

	if (read_file(args->pos[0], &text, &len, err) != 0)
		return -1;
	rc = ops_program_add(&o, args->pos[0], text, len, &res, err);
	free(text);
	if (rc != 0)
		return failed(&res);
	cmd_note(ctx, "added programme '%s' (%s, version 1)", res.program->slug,
	    program_format_name(res.program->format));
	ops_program_free(&res);
	return 0;
}

static int
cmd_program_update_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_program res;
	char *text;
	size_t len, i;
	int rc;

	if (read_file(args->pos[0], &text, &len, err) != 0)
		return -1;
	rc = ops_program_update(&o, args->pos[0], text, len, &res, err);
	free(text);
	if (rc != 0)
		return failed(&res);
	if (!res.changed)
		cmd_note(ctx, "programme '%s' is unchanged (version %d)",
		    res.program->slug, res.version);
	else
		cmd_note(ctx, "updated programme '%s' to version %d",
		    res.program->slug, res.version);
	for (i = 0; i < res.noverloads && i < 100; i++)
		cmd_note(ctx, "warning: mentor '%s' has %d open pairings, more "
		    "than the capacity %d now: they are kept, and no new one is "
		    "proposed until fewer are open", res.overloads[i].email,
		    res.overloads[i].load, res.overloads[i].capacity);
	if (res.noverloads > 100)
		cmd_note(ctx, "warning: %zu more mentors above their capacity",
		    res.noverloads - 100);
	ops_program_free(&res);
	return 0;
}

/* ---- list ---- */

static int
cmd_program_list_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "slug", OUT_STR }, { "name", OUT_STR }, { "format", OUT_STR },
		{ "purpose", OUT_STR }, { "version", OUT_INT },
		{ "mentors", OUT_INT }, { "mentees", OUT_INT },
		{ "active_pairings", OUT_INT }, { "updated_at", OUT_STR },
	};
	struct program_row *rows;
	struct out *o;
	size_t n, i;

	(void)args;
	if (store_program_list(ctx->db, &rows, &n, err) != 0)
		return -1;
	o = cmd_out_new(ctx, cols, NELEM(cols));
	for (i = 0; i < n; i++) {
		out_str(o, "slug", rows[i].slug);
		out_str(o, "name", rows[i].name);
		out_str(o, "format", rows[i].format);
		out_str(o, "purpose", rows[i].purpose);
		out_int(o, "version", rows[i].version);
		out_int(o, "mentors", rows[i].mentors);
		out_int(o, "mentees", rows[i].mentees);
		out_int(o, "active_pairings", rows[i].active_pairings);
		out_str(o, "updated_at", rows[i].updated_at);
		out_end_row(o);
	}
	program_rows_free(rows, n);
	return cmd_out_end(o, err);
}

/* ---- new ---- */

struct new_opts {
	const char *template;
	const char *slug;
};

static const struct cmd_option new_options[] = {
	OPT_STRING("template", "FORMAT", struct new_opts, template,
	    "one-to-one, group, peer, reverse, flash, rotational or network"),
	OPT_STRING("slug", "SLUG", struct new_opts, slug,
	    "the programme's slug (default: FORMAT-YEAR)"),
	OPT_END,
};

static bool
slug_valid(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return false;
	return true;
}

static int
cmd_program_new_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct new_opts *opt = args->opts;
	const char *near;
	struct file_out fo;
	struct stat st;
	char slug[80], *text;
	int y, m, d;
	size_t n = 0;

	if (opt->template == NULL)
		return error_set(err, EX_USAGE, "program new needs --template "
		    "FORMAT (one-to-one, group, peer, reverse, flash, rotational "
		    "or network)");
	while (program_template_names[n] != NULL)
		n++;
	if (strcmp(opt->template, "network") == 0 &&
	    program_format_parse("network") < 0)
		return error_set(err, EX_DATAERR, "format 'network' is not "
		    "available in this version of mentorctl yet; start from "
		    "--template one-to-one");
	date_to_ymd(ctx->today, &y, &m, &d);
	snprintf(slug, sizeof slug, "%.40s-%d", opt->template, y);
	if (opt->slug && !slug_valid(opt->slug))
		return error_set(err, EX_DATAERR, "invalid slug '%s' (lower-case "
		    "letters, digits and '-')", opt->slug);
	if ((text = program_template(opt->template, opt->slug ? opt->slug : slug,
	    ctx->today)) == NULL) {
		near = suggest_nearest(opt->template, program_template_names, n);
		return error_set(err, EX_USAGE, "unknown template '%s'%s%s%s "
		    "(expected one-to-one, group, peer, reverse, flash, "
		    "rotational or network)", opt->template, near ? "; did you "
		    "mean '" : "", near ? near : "", near ? "'?" : "");
	}
	if (args->npos == 0) {
		fputs(text, ctx->out);
		free(text);
		return 0;
	}
	/* A starting file never replaces the coordinator's own. */
	if (stat(args->pos[0], &st) == 0) {
		free(text);
		return error_set(err, EX_CANTCREAT, "%s exists already; not "
		    "overwritten", args->pos[0]);
	}
	if (file_out_open(&fo, args->pos[0], err) != 0) {
		free(text);
		return -1;
	}
	fputs(text, fo.fp);
	free(text);
	if (file_out_commit(&fo, err) != 0)
		return -1;
	cmd_note(ctx, "wrote %s: edit it, then 'mentorctl program check %s'",
	    args->pos[0], args->pos[0]);
	return 0;
}

const struct cmd_entry cmd_program_new_entry = {
	.name = "program", .sub = "new", .usage = "[FILE] --template FORMAT "
	    "[--slug SLUG]",
	.summary = "write a commented starting file for a programme",
	.example = "mentorctl program new circles.yaml --template group "
	    "--slug circles-2027",
	CMD_OPTIONS(struct new_opts, new_options),
	.min_args = 0, .max_args = 1,
	.flags = 0,
	.exec = cmd_program_new_exec,
};

const struct cmd_entry cmd_program_check_entry = {
	.name = "program", .sub = "check", .usage = "FILE.yaml",
	.summary = "validate a programme file without storing it",
	.example = "mentorctl program check eng-2027.yaml",
	.min_args = 1, .max_args = 1,
	.flags = 0,
	.exec = cmd_program_check_exec,
};

const struct cmd_entry cmd_program_add_entry = {
	.name = "program", .sub = "add", .usage = "FILE.yaml",
	.summary = "store a new programme from its YAML file",
	.example = "mentorctl program add eng-2027.yaml",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_program_add_exec,
};

const struct cmd_entry cmd_program_update_entry = {
	.name = "program", .sub = "update", .usage = "FILE.yaml",
	.summary = "store a new version of a programme (the old one is kept)",
	.example = "mentorctl program update eng-2027.yaml",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_program_update_exec,
};

const struct cmd_entry cmd_program_list_entry = {
	.name = "program", .sub = "list", .usage = "",
	.summary = "list the programmes",
	.example = "mentorctl program list --format csv",
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_program_list_exec,
};
