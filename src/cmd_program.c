/*
 * program check|add|update FILE, program list, program show SLUG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config/program_yaml.h"
#include "core/program.h"
#include "core/rounds.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/program_store.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define PROGRAM_FILE_MAX (1024 * 1024)

/* Read and validate FILE; prints every problem.  0 or the exit status. */
static int
load_file(const char *path, struct program **p, char **text)
{
	struct error err = ERROR_INIT;
	struct diags d = DIAGS_INIT;
	size_t len;

	*p = NULL;
	*text = NULL;
	if (file_read_all(path, PROGRAM_FILE_MAX, text, &len, &err) != 0)
		return cmd_fail(&err);
	if (strlen(*text) != len) {
		free(*text);
		*text = NULL;
		return cmd_error(EX_DATAERR, "%s: not a text file (it holds a NUL "
		    "byte)", path);
	}
	*p = cfg_program_parse(path, *text, len, &d);
	if (*p == NULL) {
		cmd_print_diags(&d);
		diags_free(&d);
		free(*text);
		*text = NULL;
		return EX_DATAERR;
	}
	diags_free(&d);
	return 0;
}

static int
cmd_program_check_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct program *p;
	char *text;
	int rc;

	(void)ctx;
	if ((rc = load_file(args->pos[0], &p, &text)) != 0)
		return rc;
	printf("%s: ok (programme '%s', format %s)\n", args->pos[0], p->slug,
	    program_format_name(p->format));
	program_free(p);
	free(text);
	return 0;
}

static int
cmd_program_add_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct program *p;
	long long id;
	char *text;
	int rc;

	if ((rc = load_file(args->pos[0], &p, &text)) != 0)
		return rc;
	if (store_program_add(ctx->db, p, text, args->pos[0], &id, &err) != 0) {
		rc = cmd_fail(&err);
	} else {
		fprintf(stderr, "mentorctl: added programme '%s' (%s, version 1)\n",
		    p->slug, program_format_name(p->format));
	}
	program_free(p);
	free(text);
	return rc;
}

static int
cmd_program_update_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct program *p;
	long long id;
	int version, changed;
	char *text;
	int rc;

	if ((rc = load_file(args->pos[0], &p, &text)) != 0)
		return rc;
	if (store_program_update(ctx->db, p, text, args->pos[0], &id, &version,
	    &changed, &err) != 0)
		rc = cmd_fail(&err);
	else if (store_enrollment_reevaluate(ctx->db, id, p, ctx->today, NULL,
	    0, NULL, &err) != 0)
		rc = cmd_fail(&err);
	else if (!changed)
		fprintf(stderr, "mentorctl: programme '%s' is unchanged (version "
		    "%d)\n", p->slug, version);
	else
		fprintf(stderr, "mentorctl: updated programme '%s' to version %d\n",
		    p->slug, version);
	program_free(p);
	free(text);
	return rc;
}

static int
cmd_program_list_exec(struct ctx *ctx, struct cmd_args *args)
{
	static const struct out_col cols[] = {
		{ "slug", OUT_STR }, { "name", OUT_STR }, { "format", OUT_STR },
		{ "purpose", OUT_STR }, { "version", OUT_INT },
		{ "mentors", OUT_INT }, { "mentees", OUT_INT },
		{ "active_pairings", OUT_INT }, { "updated_at", OUT_STR },
	};
	struct error err = ERROR_INIT;
	struct program_row *rows;
	struct out *o;
	size_t n, i;
	int fmt;

	(void)args;
	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if (store_program_list(ctx->db, &rows, &n, &err) != 0)
		return cmd_fail(&err);
	o = out_new(stdout, (enum out_format)fmt, cols, sizeof cols / sizeof cols[0], 0);
	for (i = 0; i < n; i++) {
		char v[16], m1[24], m2[24], a[24];
		const char *cells[9];

		snprintf(v, sizeof v, "%d", rows[i].version);
		snprintf(m1, sizeof m1, "%lld", rows[i].mentors);
		snprintf(m2, sizeof m2, "%lld", rows[i].mentees);
		snprintf(a, sizeof a, "%lld", rows[i].active_pairings);
		cells[0] = rows[i].slug;
		cells[1] = rows[i].name;
		cells[2] = rows[i].format;
		cells[3] = rows[i].purpose;
		cells[4] = v;
		cells[5] = m1;
		cells[6] = m2;
		cells[7] = a;
		cells[8] = rows[i].updated_at;
		out_row(o, cells);
	}
	program_rows_free(rows, n);
	return cmd_out_done(o);
}

static void
add_duration(struct strbuf *sb, struct duration d)
{
	static const char *const unit[] = { "day", "week", "month", "year" };

	strbuf_addf(sb, "%d %s%s", d.n, unit[d.unit], d.n == 1 ? "" : "s");
}

static char *
duration_str(struct duration d)
{
	struct strbuf sb = STRBUF_INIT;

	add_duration(&sb, d);
	return strbuf_detach(&sb, NULL);
}

static char *
date_str(int day)
{
	char buf[DATE_BUFSZ];

	return day == DATE_NONE ? NULL : xstrdup(date_format(day, buf));
}

static char *
goals_str(const struct program *p)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < p->ngoals; i++) {
		const struct program_goal *g = &p->goals[i];

		strbuf_addf(&sb, "%s%s", i ? "; " : "", g->id);
		if (g->metric) {
			strbuf_addf(&sb, " (%s", g->metric);
			if (g->has_target)
				strbuf_addf(&sb, " %g", g->target);
			strbuf_addch(&sb, ')');
		}
	}
	return strbuf_detach(&sb, NULL);
}

static char *
criteria_str(const struct program *p)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < p->matching.ncriteria; i++) {
		const struct match_criterion *c = &p->matching.criteria[i];

		strbuf_addf(&sb, "%s%s %s", i ? "; " : "", c->attribute,
		    match_compare_name(c->compare));
		if (c->mentee_attribute)
			strbuf_addf(&sb, " %s", c->mentee_attribute);
		strbuf_addf(&sb, " x%g", c->weight);
	}
	return strbuf_detach(&sb, NULL);
}

static int
cmd_program_show_exec(struct ctx *ctx, struct cmd_args *args)
{
	static const struct out_col cols[] = {
		{ "slug", OUT_STR }, { "name", OUT_STR }, { "purpose", OUT_STR },
		{ "format", OUT_STR }, { "owner", OUT_STR }, { "contact", OUT_STR },
		{ "sponsor", OUT_STR }, { "version", OUT_INT },
		{ "mentors", OUT_INT }, { "mentees", OUT_INT },
		{ "active_pairings", OUT_INT }, { "mentor_capacity", OUT_INT },
		{ "cycle_start", OUT_STR }, { "cycle_length", OUT_STR },
		{ "checkin_every", OUT_STR }, { "consent", OUT_STR },
		{ "objective", OUT_STR }, { "min_score", OUT_REAL },
		{ "criteria", OUT_STR }, { "goals", OUT_STR },
		{ "updated_at", OUT_STR }, { "format_rules", OUT_STR },
	};
	enum { NCOLS = sizeof cols / sizeof cols[0] };
	struct error err = ERROR_INIT;
	struct program_row row;
	struct program *p;
	const char *yaml_opt = cmd_opt(args, "yaml");
	char *owned[8] = { 0 };
	char ver[16], m1[24], m2[24], act[24], cap[16], score[32];
	const char *cells[NCOLS];
	long rev = 0;
	long long id;
	int rc, i;

	if ((rc = cmd_opt_int(args, "rev", 1, 1000000, &rev)) != 0)
		return rc;
	if (yaml_opt || rev) {
		char *yaml;

		if (store_program_get(ctx->db, args->pos[0], &row, &err) != 0)
			return cmd_fail(&err);
		rc = store_program_yaml(ctx->db, row.id, (int)rev, &yaml, &err);
		program_row_free(&row);
		if (rc != 0)
			return cmd_fail(&err);
		fputs(yaml, stdout);
		free(yaml);
		return 0;
	}
	if ((rc = cmd_load_program(ctx, args->pos[0], &id, &p)) != 0)
		return rc;
	if (store_program_get(ctx->db, args->pos[0], &row, &err) != 0) {
		program_free(p);
		return cmd_fail(&err);
	}
	snprintf(ver, sizeof ver, "%d", row.version);
	snprintf(m1, sizeof m1, "%lld", row.mentors);
	snprintf(m2, sizeof m2, "%lld", row.mentees);
	snprintf(act, sizeof act, "%lld", row.active_pairings);
	snprintf(cap, sizeof cap, "%d", p->mentor.capacity);
	snprintf(score, sizeof score, "%g", p->matching.min_score);
	cells[0] = p->slug;
	cells[1] = p->name;
	cells[2] = program_purpose_name(p->purpose);
	cells[3] = program_format_name(p->format);
	cells[4] = p->owner;
	cells[5] = p->contact;
	cells[6] = p->sponsor;
	cells[7] = ver;
	cells[8] = m1;
	cells[9] = m2;
	cells[10] = act;
	cells[11] = cap;
	cells[12] = owned[0] = date_str(p->cycle.present ? p->cycle.start : DATE_NONE);
	cells[13] = p->cycle.present ? (owned[1] = duration_str(p->cycle.length)) : NULL;
	cells[14] = p->checkins.present ? (owned[2] = duration_str(p->checkins.every)) : NULL;
	cells[15] = match_consent_name(p->matching.consent);
	cells[16] = match_objective_name(p->matching.objective);
	cells[17] = score;
	cells[18] = owned[3] = criteria_str(p);
	cells[19] = owned[4] = goals_str(p);
	cells[20] = row.updated_at;
	cells[21] = owned[5] = rounds_format_text(p);
	rc = cmd_print_record(ctx, cols, cells, NCOLS);
	for (i = 0; i < 8; i++)
		free(owned[i]);
	program_row_free(&row);
	program_free(p);
	return rc;
}

static const struct cmd_opt show_opts[] = {
	{ "yaml", false, "--yaml             print the stored YAML of the current version" },
	{ "rev", true, "--rev N            print the stored YAML of version N" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_program_check_entry = {
	.name = "program", .sub = "check", .usage = "FILE.yaml",
	.summary = "validate a programme file without storing it",
	.min_args = 1, .max_args = 1,
	.flags = 0,
	.legacy = cmd_program_check_exec,
};

const struct cmd_entry cmd_program_add_entry = {
	.name = "program", .sub = "add", .usage = "FILE.yaml",
	.summary = "store a new programme from its YAML file",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_program_add_exec,
};

const struct cmd_entry cmd_program_update_entry = {
	.name = "program", .sub = "update", .usage = "FILE.yaml",
	.summary = "store a new version of a programme (the old one is kept)",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_program_update_exec,
};

const struct cmd_entry cmd_program_list_entry = {
	.name = "program", .sub = "list", .usage = "",
	.summary = "list the programmes",
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_program_list_exec,
};

const struct cmd_entry cmd_program_show_entry = {
	.name = "program", .sub = "show", .usage = "SLUG [--yaml | --rev N]",
	.summary = "show a programme's settings, or its stored YAML",
	.opts = show_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_program_show_exec,
};
