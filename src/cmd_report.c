/*
 * report PROGRAM [--format table|csv|json|html] [--out FILE] [--as-of DATE]
 *
 * A read: the facts come from store/report_store.h, the figures from
 * core/metrics.h, and this file only prints them.  csv and json have one
 * row per figure with the columns of metrics.h's struct metrics_row:
 * section,metric,group,value,target,status,due,detail (the first six are
 * pinned for scripts); value and target are numbers or empty (null in
 * json), never text.  table prints the same figures in sections for people
 * (a flash programme's seats and attendance one line per round, as the
 * funnel); html is the self-contained document of io/html.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config/program_yaml.h"
#include "core/metrics.h"
#include "core/program.h"
#include "core/rounds.h"
#include "io/html.h"
#include "io/out.h"
#include "ops/network.h"
#include "ops/session.h"
#include "store/report_store.h"
#include "util/fileio.h"
#include "util/xmalloc.h"

enum report_format {
	REPORT_TABLE,
	REPORT_CSV,
	REPORT_JSON,
	REPORT_HTML,
};

/* Pairings and comments a table lists before pointing to csv for the rest. */
#define REPORT_TABLE_LISTED 100

struct report_opts {
	const char *out;
	int as_of;
};

static const struct cmd_option report_options[] = {
	OPT_STRING("out", "FILE", struct report_opts, out,
	    "write to FILE (replaced whole, never half-written)"),
	OPT_DATE("as-of", struct report_opts, as_of,
	    "the report as it stood at the end of DATE (default today)"),
	OPT_END,
};

static const struct out_col report_cols[] = {
	{ "section", OUT_STR }, { "metric", OUT_STR }, { "group", OUT_STR },
	{ "value", OUT_REAL }, { "target", OUT_REAL }, { "status", OUT_STR },
	{ "due", OUT_DATE }, { "detail", OUT_STR },
};

static int
report_format_parse(const char *s, enum report_format *fmt, struct error *err)
{
	static const char *const names[] = { "table", "csv", "json", "html" };
	size_t i;

	*fmt = REPORT_TABLE;
	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i], s) == 0) {
			*fmt = (enum report_format)i;
			return 0;
		}
	}
	return error_set(err, EX_USAGE, "unknown format '%s' for 'report' "
	    "(expected table, csv, json or html)", s);
}

/* csv and json: every row, typed, by column name. */
static void
report_listing(struct out *o, const struct metrics_rows *rows)
{
	char value[METRICS_VALUE_BUFSZ], target[METRICS_VALUE_BUFSZ];
	bool numeric;
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		out_str(o, "section", row->section);
		out_str(o, "metric", row->metric[0] ? row->metric : NULL);
		out_str(o, "group", row->group);
		out_str(o, "value", metrics_value_text(row, false, value,
		    sizeof value, &numeric));
		out_str(o, "target", metrics_target_text(row, false, target,
		    sizeof target));
		out_str(o, "status", row->status[0] ? row->status : NULL);
		out_date(o, "due", row->due);
		out_str(o, "detail", row->detail);
		out_end_row(o);
	}
}

/* ---- table: sections for people ---- */

static const struct {
	const char *section;
	const char *title;
} report_titles[] = {
	{ "goals", "Goals" },
	{ "funnel", "Funnel" },
	{ "matching", "Matching" },
	{ "flash", "Flash session: seats and attendance" },
	{ "checkins", "Check-ins" },
	{ "cycles", "Cycles and closures" },
	{ "feedback", "Feedback (figures from fewer than 3 responses are not shown)" },
	{ "retention", "Retention" },
	{ "network", "Network introductions" },
	{ "sessions", "Leader sessions" },
};

static bool
report_is_flagged(const struct metrics_row *row)
{
	return strcmp(row->metric, "overdue_pairing") == 0 ||
	    strcmp(row->metric, "stalled_pairing") == 0;
}

static const char *
report_humane(const struct metrics_row *row, char *buf, size_t size)
{
	bool numeric;

	return metrics_value_text(row, true, buf, size, &numeric);
}

static int
report_table_goals(FILE *fp, const struct metrics_rows *rows)
{
	static const struct out_col cols[] = {
		{ "goal", OUT_STR }, { "metric", OUT_STR }, { "target", OUT_STR },
		{ "value", OUT_STR }, { "status", OUT_STR }, { "due", OUT_DATE },
		{ "note", OUT_STR },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 7, 0);
	char buf[METRICS_VALUE_BUFSZ];
	size_t i;
	int rc;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		if (strcmp(row->section, "goals") != 0)
			continue;
		out_str(o, "goal", row->group + strlen("goal="));
		out_str(o, "metric", row->metric[0] ? row->metric : NULL);
		out_str(o, "target", metrics_target_text(row, true, buf,
		    sizeof buf));
		out_str(o, "value", report_humane(row, buf, sizeof buf));
		out_str(o, "status", row->status);
		out_date(o, "due", row->due);
		out_str(o, "note", row->detail);
		out_end_row(o);
	}
	rc = out_finish(o);
	out_free(o);
	return rc;
}

static int
report_table_funnel(FILE *fp, const struct metrics_rows *rows)
{
	static const struct out_col cols[] = {
		{ "group", OUT_STR }, { "enrolled", OUT_INT },
		{ "eligible", OUT_INT }, { "matched", OUT_INT },
		{ "active", OUT_INT }, { "ended", OUT_INT },
		{ "withdrawn", OUT_INT },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 7, 0);
	const char *group = NULL;
	size_t i;
	int rc;

	/* The rows come six to a group, their metrics named as the columns. */
	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		if (strcmp(row->section, "funnel") != 0)
			continue;
		if (group != NULL && strcmp(group, row->group) != 0)
			out_end_row(o);
		group = row->group;
		out_str(o, "group", row->group);
		out_int(o, row->metric, (long long)row->value.v);
	}
	if (group != NULL)
		out_end_row(o);
	rc = out_finish(o);
	out_free(o);
	return rc;
}

static int
report_table_section(FILE *fp, const struct metrics_rows *rows,
    const char *section)
{
	static const struct out_col cols[] = {
		{ "metric", OUT_STR }, { "group", OUT_STR }, { "value", OUT_STR },
		{ "detail", OUT_STR },
	};
	static const struct out_col fcols[] = {
		{ "pairing", OUT_STR }, { "status", OUT_STR },
		{ "check-in owed", OUT_DATE }, { "late/missed", OUT_STR },
		{ "detail", OUT_STR },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 4, 0);
	struct out *f = out_new(fp, OUT_TABLE, fcols, 5, 0);
	char buf[METRICS_VALUE_BUFSZ];
	size_t i, nf = 0, ncomments = 0;
	int rc;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		if (strcmp(row->section, section) != 0)
			continue;
		if (report_is_flagged(row)) {
			if (nf++ >= REPORT_TABLE_LISTED)
				continue;
			out_str(f, "pairing", row->group + strlen("pairing="));
			out_str(f, "status", row->status);
			out_date(f, "check-in owed", row->due);
			out_str(f, "late/missed", report_humane(row, buf,
			    sizeof buf));
			out_str(f, "detail", row->detail);
			out_end_row(f);
			continue;
		}
		if (strcmp(row->metric, "comment") == 0 &&
		    ncomments++ >= REPORT_TABLE_LISTED)
			continue;
		out_str(o, "metric", row->metric);
		out_str(o, "group", row->group);
		out_str(o, "value", report_humane(row, buf, sizeof buf));
		out_str(o, "detail", row->detail);
		out_end_row(o);
	}
	rc = out_finish(o);
	out_free(o);
	if (ncomments > REPORT_TABLE_LISTED)
		fprintf(fp, "... and %zu more comments (--format csv lists them "
		    "all)\n", ncomments - REPORT_TABLE_LISTED);
	if (nf) {
		fputs("\nOverdue and stalled pairings\n", fp);
		if (out_finish(f) != 0)
			rc = -1;
	}
	out_free(f);
	if (nf > REPORT_TABLE_LISTED)
		fprintf(fp, "... and %zu more (--format csv lists them all)\n",
		    nf - REPORT_TABLE_LISTED);
	return rc;
}

/* The flash section's figures per group: columns named as the metrics. */
static bool
report_is_flash_count(const struct metrics_row *row)
{
	static const char *const names[] = {
		"seated", "attended", "absent", "unrecorded", "attendance_rate",
		NULL,
	};
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], row->metric) == 0)
			return true;
	return false;
}

/*
 * Format flash: one line per group (all, then each round) with its seats
 * and attendance (the detail is the rate's), then the other figures (the
 * session's day, coverage).
 */
static int
report_table_flash(FILE *fp, const struct metrics_rows *rows)
{
	static const struct out_col cols[] = {
		{ "group", OUT_STR }, { "seated", OUT_INT },
		{ "attended", OUT_INT }, { "absent", OUT_INT },
		{ "unrecorded", OUT_INT }, { "attendance_rate", OUT_STR },
		{ "detail", OUT_STR },
	};
	static const struct out_col ocols[] = {
		{ "metric", OUT_STR }, { "value", OUT_STR }, { "detail", OUT_STR },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 7, 0);
	struct out *other = out_new(fp, OUT_TABLE, ocols, 3, 0);
	char buf[METRICS_VALUE_BUFSZ];
	const char *group = NULL;
	size_t i;
	int rc;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		if (strcmp(row->section, "flash") != 0)
			continue;
		if (!report_is_flash_count(row)) {
			out_str(other, "metric", row->metric);
			out_str(other, "value", report_humane(row, buf,
			    sizeof buf));
			out_str(other, "detail", row->detail);
			out_end_row(other);
			continue;
		}
		if (group != NULL && strcmp(group, row->group) != 0)
			out_end_row(o);
		group = row->group;
		out_str(o, "group", row->group);
		if (row->kind == METRICS_RATE) {
			out_str(o, row->metric, report_humane(row, buf,
			    sizeof buf));
			out_str(o, "detail", row->detail);
		} else
			out_int(o, row->metric, (long long)row->value.v);
	}
	if (group != NULL)
		out_end_row(o);
	rc = out_finish(o);
	out_free(o);
	fputc('\n', fp);
	if (out_finish(other) != 0)
		rc = -1;
	out_free(other);
	return rc;
}

/*
 * Sections of the other models (flash, network, sessions) are there only
 * for the programmes that have them; the others always are.
 */
static bool
report_has_section(const struct metrics_rows *rows, const char *section)
{
	size_t i;

	if (strcmp(section, "network") != 0 &&
	    strcmp(section, "sessions") != 0 && strcmp(section, "flash") != 0)
		return true;
	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->v[i].section, section) == 0)
			return true;
	return false;
}

/* A section whose rows may have a target and a status. */
static int
report_table_model(FILE *fp, const struct metrics_rows *rows,
    const char *section)
{
	static const struct out_col cols[] = {
		{ "metric", OUT_STR }, { "group", OUT_STR },
		{ "value", OUT_STR }, { "target", OUT_STR },
		{ "status", OUT_STR }, { "detail", OUT_STR },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 6, 0);
	char buf[METRICS_VALUE_BUFSZ], tbuf[METRICS_VALUE_BUFSZ];
	size_t i;
	int rc;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		if (strcmp(row->section, section) != 0)
			continue;
		out_str(o, "metric", row->metric);
		out_str(o, "group", row->group);
		out_str(o, "value", report_humane(row, buf, sizeof buf));
		out_str(o, "target", metrics_target_text(row, true, tbuf,
		    sizeof tbuf));
		out_str(o, "status", row->status[0] ? row->status : NULL);
		out_str(o, "detail", row->detail);
		out_end_row(o);
	}
	rc = out_finish(o);
	out_free(o);
	return rc;
}

/* Text for a terminal outside the table writer: no control characters. */
static void
report_put_safe(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		putc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, fp);
}

static int
report_table(FILE *fp, const struct program *p, const struct metrics_report *r,
    const struct metrics_rows *rows)
{
	char day[DATE_BUFSZ], *text;
	size_t s;
	int rc = 0;

	fprintf(fp, "%s: ", p->slug);
	report_put_safe(fp, p->name);
	fprintf(fp, ", report as of %s\n", date_format(r->as_of, day));
	text = rounds_format_text(p);
	fputs("format: ", fp);
	report_put_safe(fp, text);
	fputc('\n', fp);
	free(text);
	for (s = 0; s < sizeof report_titles / sizeof report_titles[0]; s++) {
		const char *sec = report_titles[s].section;

		if (!report_has_section(rows, sec))
			continue;
		fprintf(fp, "\n== %s ==\n", report_titles[s].title);
		if (strcmp(sec, "goals") == 0 && p->ngoals == 0)
			fputs("(the programme defines no goals)\n", fp);
		else if (strcmp(sec, "goals") == 0)
			rc |= report_table_goals(fp, rows);
		else if (strcmp(sec, "funnel") == 0)
			rc |= report_table_funnel(fp, rows);
		else if (strcmp(sec, "flash") == 0)
			rc |= report_table_flash(fp, rows);
		else if (strcmp(sec, "network") == 0 ||
		    strcmp(sec, "sessions") == 0)
			rc |= report_table_model(fp, rows, sec);
		else
			rc |= report_table_section(fp, rows, sec);
	}
	return rc;
}

/*
 * The definition in force on as_of (issue 12.4): a report of a past day
 * measures against the goals, check-in rhythm and cycles of then, not of
 * a later `program update`.  *p is ctx's programme or a parsed older
 * version that the caller frees (*own).
 */
static int
report_program_at(const struct ctx *ctx, int as_of, struct program **p,
    bool *own, struct error *err)
{
	struct diags d = DIAGS_INIT;
	char *yaml = NULL, name[96];
	int version;

	*p = ctx->program;
	*own = false;
	if (as_of >= ctx->today)
		return 0;
	if (report_store_program_at(ctx->db, ctx->program_id, as_of, &yaml,
	    &version, err) != 0)
		return -1;
	snprintf(name, sizeof name, "programme %s (version %d)",
	    ctx->program->slug, version);
	*p = cfg_program_parse(name, yaml, strlen(yaml), &d);
	free(yaml);
	diags_free(&d);
	if (*p == NULL) {
		/* A version the loader no longer takes: today's definition. */
		*p = ctx->program;
		return 0;
	}
	*own = true;
	return 0;
}

static int
report_write(const struct ctx *ctx, const struct program *p, FILE *fp,
    enum report_format fmt, const struct metrics_report *r,
    const struct metrics_input *in, const struct metrics_rows *rows)
{
	struct out *o;
	int rc;

	switch (fmt) {
	case REPORT_TABLE:
		return report_table(fp, p, r, rows);
	case REPORT_HTML:
		return html_report_write(fp, p, in, r, rows);
	case REPORT_CSV:
	case REPORT_JSON:
		break;
	}
	o = out_new(fp, fmt == REPORT_CSV ? OUT_CSV : OUT_JSON, report_cols,
	    sizeof report_cols / sizeof report_cols[0],
	    ctx->bom ? OUT_BOM : 0);
	report_listing(o, rows);
	rc = out_finish(o);
	out_free(o);
	return rc;
}

static bool
day_in(const int *days, size_t n, int day)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (days[i] == day)
			return true;
	return false;
}

/* The seeds' other models: network introductions, leader sessions. */
static int
report_models(const struct ctx *ctx, int as_of, struct metrics_rows *rows,
    struct error *err)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	if (ops_network_report(&o, ctx->program_id, ctx->program, as_of, rows,
	    err) != 0)
		return -1;
	return ops_session_report(&o, ctx->program_id, ctx->program, as_of,
	    rows, err);
}

static int
cmd_report_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct report_opts *opt = args->opts;
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct metrics_report *r = NULL;
	struct metrics_input *in = NULL;
	enum report_format fmt;
	struct file_out fo;
	const char *path = opt->out;
	char day[DATE_BUFSZ], today[DATE_BUFSZ];
	int as_of = opt->as_of != DATE_NONE ? opt->as_of : ctx->today;
	int due[METRICS_MAX_CHECKPOINTS];
	struct program *p = NULL;
	bool own = false;
	size_t i, ndue = 0;
	int rc = -1;

	if (report_format_parse(ctx->format, &fmt, err) != 0)
		return -1;
	if (as_of > ctx->today)
		return error_set(err, EX_DATAERR, "--as-of %s is after today "
		    "(%s): a report shows what happened",
		    date_format(as_of, day), date_format(ctx->today, today));
	if (path != NULL && path[0] == '\0')
		return error_set(err, EX_USAGE, "option '--out' needs a file "
		    "name");
	if (report_program_at(ctx, as_of, &p, &own, err) != 0)
		return -1;
	/* goals past due are judged on their due dates, from the same facts */
	for (i = 0; i < p->ngoals && ndue < METRICS_MAX_CHECKPOINTS; i++)
		if (p->goals[i].due != DATE_NONE && p->goals[i].due < as_of &&
		    !day_in(due, ndue, p->goals[i].due))
			due[ndue++] = p->goals[i].due;
	if ((in = report_store_load_at(ctx->db, ctx->program_id, as_of, due,
	    ndue, err)) == NULL)
		goto out;
	r = metrics_compute(p, in);
	metrics_rows_build(r, p, in, &rows);
	if (report_models(ctx, as_of, &rows, err) != 0)
		goto out;
	if (path == NULL || strcmp(path, "-") == 0) {
		if (report_write(ctx, p, ctx->out, fmt, r, in, &rows) != 0 ||
		    fflush(ctx->out) != 0 || ferror(ctx->out))
			error_set(err, EX_IOERR, "cannot write the report to "
			    "standard output");
		else
			rc = 0;
		goto out;
	}
	if (file_out_open(&fo, path, err) != 0)
		goto out;
	if (report_write(ctx, p, fo.fp, fmt, r, in, &rows) != 0 ||
	    ferror(fo.fp)) {
		file_out_abort(&fo);
		error_set(err, EX_IOERR, "cannot write the report to '%s'",
		    path);
		goto out;
	}
	if (file_out_commit(&fo, err) != 0)
		goto out;
	cmd_note(ctx, "wrote the report of '%s' as of %s to %s",
	    ctx->program->slug, date_format(as_of, day), path);
	rc = 0;
out:
	metrics_rows_free(&rows);
	metrics_report_free(r);
	metrics_input_free(in);
	if (own)
		program_free(p);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report", .sub = NULL,
	.usage = "PROGRAM [--format table|csv|json|html] [--out FILE] "
	    "[--as-of DATE]",
	.summary = "measure a programme: funnel, matching, check-ins, re-ups, "
	    "feedback, goals",
	.example = "mentorctl report eng-2027 --format html --out report.html",
	CMD_OPTIONS(struct report_opts, report_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG,
	.exec = cmd_report_exec,
};
