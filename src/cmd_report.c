/*
 * report PROGRAM [--format table|csv|json|html] [--out FILE] [--as-of DATE]
 *
 * csv and json have one row per figure with the columns of metrics.h's
 * struct metrics_row: section,metric,group,value,target,status,due,detail
 * (the first six are pinned for scripts).  table prints the same figures in
 * sections for people; html is the self-contained document of io/html.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/metrics.h"
#include "core/program.h"
#include "core/rounds.h"
#include "io/html.h"
#include "io/out.h"
#include "store/report_store.h"
#include "util/fileio.h"
#include "util/xmalloc.h"

enum report_format {
	REPORT_TABLE,
	REPORT_CSV,
	REPORT_JSON,
	REPORT_HTML,
};

static const char *const report_formats[] = {
	"table", "csv", "json", "html", NULL,
};

static const char *const report_columns[] = {
	"section", "metric", "group", "value", "target", "status", "due",
	"detail",
};
#define REPORT_NCOLUMNS (sizeof report_columns / sizeof report_columns[0])

/* Pairings and comments a table lists before pointing to csv for the rest. */
#define REPORT_TABLE_LISTED 100

/* The eight cells of a row; numeric[i] says a cell is a number. */
struct report_cells {
	const char *cell[REPORT_NCOLUMNS];
	bool numeric[REPORT_NCOLUMNS];
	char value[METRICS_VALUE_BUFSZ];
	char target[METRICS_VALUE_BUFSZ];
	char due[DATE_BUFSZ];
};

static void
report_cells(const struct metrics_row *row, bool humane, struct report_cells *c)
{
	memset(c->numeric, 0, sizeof c->numeric);
	c->cell[0] = row->section;
	c->cell[1] = row->metric;
	c->cell[2] = row->group;
	c->cell[3] = metrics_value_text(row, humane, c->value, sizeof c->value,
	    &c->numeric[3]);
	c->cell[4] = metrics_target_text(row, humane, c->target,
	    sizeof c->target);
	c->numeric[4] = c->cell[4] != NULL;
	c->cell[5] = row->status;
	c->cell[6] = row->due == DATE_NONE ? NULL : date_format(row->due, c->due);
	c->cell[7] = row->detail;
}

static void
report_csv(FILE *fp, const struct metrics_rows *rows)
{
	struct report_cells c;
	size_t i, k;

	for (k = 0; k < REPORT_NCOLUMNS; k++) {
		if (k)
			putc(',', fp);
		csv_write_field(fp, report_columns[k], false);
	}
	fputs("\r\n", fp);
	for (i = 0; i < rows->n; i++) {
		report_cells(&rows->v[i], false, &c);
		for (k = 0; k < REPORT_NCOLUMNS; k++) {
			if (k)
				putc(',', fp);
			/* Names and comments are people's text: guard them. */
			csv_write_field(fp, c.cell[k], !c.numeric[k]);
		}
		fputs("\r\n", fp);
	}
}

static void
report_json(FILE *fp, const struct metrics_rows *rows)
{
	struct report_cells c;
	size_t i, k;

	fputs(rows->n ? "[\n" : "[]\n", fp);
	for (i = 0; i < rows->n; i++) {
		report_cells(&rows->v[i], false, &c);
		putc('{', fp);
		for (k = 0; k < REPORT_NCOLUMNS; k++) {
			if (k)
				putc(',', fp);
			json_write_string(fp, report_columns[k]);
			putc(':', fp);
			if (c.numeric[k])
				fputs(c.cell[k], fp);
			else
				json_write_string(fp, c.cell[k]);
		}
		fputs(i + 1 < rows->n ? "},\n" : "}\n]\n", fp);
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
	{ "checkins", "Check-ins" },
	{ "cycles", "Cycles and closures" },
	{ "feedback", "Feedback (figures from fewer than 3 responses are not shown)" },
	{ "retention", "Retention" },
};

static bool
report_is_flagged(const struct metrics_row *row)
{
	return strcmp(row->metric, "overdue_pairing") == 0 ||
	    strcmp(row->metric, "stalled_pairing") == 0;
}

static void
report_table_goals(FILE *fp, const struct metrics_rows *rows)
{
	static const struct out_col cols[] = {
		{ "goal", OUT_STR }, { "metric", OUT_STR }, { "target", OUT_STR },
		{ "value", OUT_STR }, { "status", OUT_STR }, { "due", OUT_STR },
		{ "note", OUT_STR },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 7, 0);
	struct report_cells c;
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const char *cells[7];

		if (strcmp(rows->v[i].section, "goals") != 0)
			continue;
		report_cells(&rows->v[i], true, &c);
		cells[0] = rows->v[i].group + strlen("goal=");
		cells[1] = c.cell[1][0] ? c.cell[1] : NULL;
		cells[2] = c.cell[4];
		cells[3] = c.cell[3];
		cells[4] = c.cell[5];
		cells[5] = c.cell[6];
		cells[6] = c.cell[7];
		out_row(o, cells);
	}
	out_finish(o);
	out_free(o);
}

static void
report_table_funnel(FILE *fp, const struct metrics_rows *rows)
{
	static const struct out_col cols[] = {
		{ "group", OUT_STR }, { "enrolled", OUT_INT },
		{ "eligible", OUT_INT }, { "matched", OUT_INT },
		{ "active", OUT_INT }, { "ended", OUT_INT },
		{ "withdrawn", OUT_INT },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 7, 0);
	struct report_cells c[6];
	size_t i, k;

	/* The rows come six to a group, in column order. */
	for (i = 0; i + 6 <= rows->n; i++) {
		const char *cells[7];

		if (strcmp(rows->v[i].section, "funnel") != 0)
			continue;
		cells[0] = rows->v[i].group;
		for (k = 0; k < 6; k++) {
			report_cells(&rows->v[i + k], true, &c[k]);
			cells[k + 1] = c[k].cell[3];
		}
		out_row(o, cells);
		i += 5;
	}
	out_finish(o);
	out_free(o);
}

static void
report_table_section(FILE *fp, const struct metrics_rows *rows,
    const char *section)
{
	static const struct out_col cols[] = {
		{ "metric", OUT_STR }, { "group", OUT_STR }, { "value", OUT_STR },
		{ "detail", OUT_STR },
	};
	static const struct out_col fcols[] = {
		{ "pairing", OUT_STR }, { "status", OUT_STR },
		{ "check-in owed", OUT_STR }, { "late/missed", OUT_STR },
		{ "detail", OUT_STR },
	};
	struct out *o = out_new(fp, OUT_TABLE, cols, 4, 0);
	struct out *f = out_new(fp, OUT_TABLE, fcols, 5, 0);
	struct report_cells c;
	size_t i, nf = 0, ncomments = 0;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];
		const char *cells[5];

		if (strcmp(row->section, section) != 0)
			continue;
		report_cells(row, true, &c);
		if (report_is_flagged(row)) {
			if (nf++ >= REPORT_TABLE_LISTED)
				continue;
			cells[0] = row->group + strlen("pairing=");
			cells[1] = row->status;
			cells[2] = c.cell[6];
			cells[3] = c.cell[3];
			cells[4] = c.cell[7];
			out_row(f, cells);
			continue;
		}
		if (strcmp(row->metric, "comment") == 0 &&
		    ncomments++ >= REPORT_TABLE_LISTED)
			continue;
		cells[0] = row->metric;
		cells[1] = row->group;
		cells[2] = c.cell[3];
		cells[3] = c.cell[7];
		out_row(o, cells);
	}
	out_finish(o);
	out_free(o);
	if (ncomments > REPORT_TABLE_LISTED)
		fprintf(fp, "... and %zu more comments (--format csv lists them "
		    "all)\n", ncomments - REPORT_TABLE_LISTED);
	if (nf) {
		fputs("\nOverdue and stalled pairings\n", fp);
		out_finish(f);
	}
	out_free(f);
	if (nf > REPORT_TABLE_LISTED)
		fprintf(fp, "... and %zu more (--format csv lists them all)\n",
		    nf - REPORT_TABLE_LISTED);
}

/* Text for a terminal outside the table writer: no control characters. */
static void
report_put_safe(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		putc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, fp);
}

static void
report_table(FILE *fp, const struct program *p, const struct metrics_report *r,
    const struct metrics_rows *rows)
{
	char day[DATE_BUFSZ], *text;
	size_t s;

	fprintf(fp, "%s: ", p->slug);
	report_put_safe(fp, p->name);
	fprintf(fp, ", report as of %s\n", date_format(r->as_of, day));
	text = rounds_format_text(p);
	fputs("format: ", fp);
	report_put_safe(fp, text);
	fputc('\n', fp);
	free(text);
	for (s = 0; s < sizeof report_titles / sizeof report_titles[0]; s++) {
		fprintf(fp, "\n== %s ==\n", report_titles[s].title);
		if (strcmp(report_titles[s].section, "goals") == 0) {
			if (p->ngoals == 0)
				fputs("(the programme defines no goals)\n", fp);
			else
				report_table_goals(fp, rows);
		} else if (strcmp(report_titles[s].section, "funnel") == 0) {
			report_table_funnel(fp, rows);
		} else {
			report_table_section(fp, rows, report_titles[s].section);
		}
	}
}

static int
cmd_report_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct metrics_report *r = NULL;
	struct metrics_input *in = NULL;
	struct program *p = NULL;
	struct file_out fo;
	const char *path = cmd_opt(args, "out");
	char day[DATE_BUFSZ], today[DATE_BUFSZ];
	long long id;
	int fmt, rc, as_of = ctx->today;

	if ((fmt = cmd_format(ctx, report_formats)) < 0)
		return EX_USAGE;
	if ((rc = cmd_opt_date(args, "as-of", &as_of)) != 0)
		return rc;
	if (as_of > ctx->today)
		return cmd_error(EX_DATAERR, "--as-of %s is after today (%s): a "
		    "report shows what happened", date_format(as_of, day),
		    date_format(ctx->today, today));
	if (path != NULL && path[0] == '\0')
		return cmd_error(EX_USAGE, "option '--out' needs a file name");
	if ((rc = cmd_load_program(ctx, args->pos[0], &id, &p)) != 0)
		return rc;
	if ((in = report_store_load(ctx->db, id, as_of, &err)) == NULL) {
		rc = cmd_fail(&err);
		goto out;
	}
	r = metrics_compute(p, in);
	metrics_rows_build(r, p, in, &rows);
	if (file_out_open(&fo, path ? path : "-", &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	switch ((enum report_format)fmt) {
	case REPORT_TABLE:
		report_table(fo.fp, p, r, &rows);
		break;
	case REPORT_CSV:
		report_csv(fo.fp, &rows);
		break;
	case REPORT_JSON:
		report_json(fo.fp, &rows);
		break;
	case REPORT_HTML:
		html_report_write(fo.fp, p, in, r, &rows);
		break;
	}
	if (ferror(fo.fp)) {
		file_out_abort(&fo);
		rc = cmd_error(EX_IOERR, "cannot write the report to '%s'",
		    path ? path : "standard output");
		goto out;
	}
	if (file_out_commit(&fo, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (path != NULL && strcmp(path, "-") != 0)
		fprintf(stderr, "mentorctl: wrote the report of '%s' as of %s to "
		    "%s\n", p->slug, date_format(as_of, day), path);
out:
	metrics_rows_free(&rows);
	metrics_report_free(r);
	metrics_input_free(in);
	program_free(p);
	return rc;
}

static const struct cmd_opt report_opts[] = {
	{ "out", true, "--out FILE         write to FILE (replaced whole, never half-written)" },
	{ "as-of", true, "--as-of DATE       the report as it stood at the end of DATE (default today)" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report", .sub = NULL,
	.usage = "PROGRAM [--format table|csv|json|html] [--out FILE] [--as-of DATE]",
	.summary = "measure a programme: funnel, matching, check-ins, re-ups, feedback, goals",
	.opts = report_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_report_exec,
};
