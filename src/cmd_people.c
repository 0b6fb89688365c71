/*
 * people import FILE.csv, people list, people show EMAIL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "io/csv.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "store/program_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

static const struct out_col person_cols[PEOPLE_NFIELDS] = {
	{ "email", OUT_STR }, { "name", OUT_STR }, { "department", OUT_STR },
	{ "title", OUT_STR }, { "level", OUT_INT }, { "hired_on", OUT_STR },
	{ "location", OUT_STR }, { "timezone", OUT_STR },
	{ "manager_email", OUT_STR },
};

static int
cmd_people_import_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct people_sheet *s = NULL;
	struct person_counts counts;
	struct csv_reader *r;
	struct csv_record rec;
	long long *ids = NULL;
	char *reader_error = NULL;
	size_t row, i;
	int rc;

	if ((r = csv_open(args->pos[0], &err)) == NULL)
		return cmd_fail(&err);
	if ((rc = csv_next(r, &rec, &err)) <= 0) {
		rc = rc < 0 ? cmd_fail(&err) : cmd_error(EX_DATAERR, "%s: empty "
		    "file (the first line must name the columns, one of them "
		    "'email')", csv_name(r));
		goto out;
	}
	s = people_sheet_new(csv_name(r), rec.line,
	    (const char *const *)rec.fields, rec.nfields, NULL, false);
	if (!s->usable) {
		rc = cmd_print_sheet_problems(s, NULL, "imported");
		goto out;
	}
	while ((rc = csv_next(r, &rec, &err)) == 1)
		people_sheet_add(s, rec.line, (const char *const *)rec.fields,
		    rec.nfields, &row);
	if (rc < 0) {
		if (err.code != EX_DATAERR) {
			rc = cmd_fail(&err);
			goto out;
		}
		/* Later rows are unread: their people may be the managers. */
		reader_error = err.msg;
		err.msg = NULL;
		rc = cmd_print_sheet_problems(s, reader_error, "imported");
		goto out;
	}
	if (store_person_prepare(ctx->db, s, false, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (!people_sheet_ok(s)) {
		rc = cmd_print_sheet_problems(s, NULL, "imported");
		goto out;
	}
	if (store_person_apply(ctx->db, s, csv_name(r), &counts, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	ids = xcalloc(s->nrows + 1, sizeof *ids);
	for (i = 0; i < s->nrows; i++)
		ids[i] = s->rows[i].id;
	if ((rc = cmd_reevaluate_people(ctx, ids, s->nrows)) != 0)
		goto out;
	fprintf(stderr, "mentorctl: imported %zu %s (%zu created, %zu updated, "
	    "%zu unchanged)\n", s->nrows, s->nrows == 1 ? "person" : "people",
	    counts.created, counts.updated, counts.unchanged);
	rc = 0;
out:
	free(ids);
	free(reader_error);
	error_clear(&err);
	people_sheet_free(s);
	csv_close(r);
	return rc;
}

/* The filter options of list (and export); 0 or the exit status. */
static int
people_filter(struct ctx *ctx, struct cmd_args *args, struct person_filter *f)
{
	struct error err = ERROR_INIT;
	struct program_row prow;
	const char *slug = cmd_opt(args, "program");

	static enum program_role role;
	static enum enrollment_status status;
	const char *r = cmd_opt(args, "role"), *st = cmd_opt(args, "status");
	int v;

	memset(f, 0, sizeof *f);
	f->department = cmd_opt(args, "department");
	f->search = cmd_opt(args, "search");
	if (r) {
		if ((v = enrollment_role_parse(r)) < 0)
			return cmd_error(EX_USAGE, "unknown role '%s' (expected "
			    "mentor or mentee)", r);
		role = (enum program_role)v;
		f->role = &role;
	}
	if (st) {
		if ((v = enrollment_status_parse(st)) < 0)
			return cmd_error(EX_USAGE, "unknown status '%s' (expected "
			    "pending, eligible, active or withdrawn)", st);
		status = (enum enrollment_status)v;
		f->status = &status;
	}
	if (slug) {
		if (store_program_get(ctx->db, slug, &prow, &err) != 0)
			return cmd_fail(&err);
		f->program_id = prow.id;
		program_row_free(&prow);
	}
	return 0;
}

static int
cmd_people_list_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct person_filter f;
	struct person_cursor *c;
	const char *const *cells;
	struct out *o;
	int fmt, rc;

	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = people_filter(ctx, args, &f)) != 0)
		return rc;
	if ((c = store_person_cursor(ctx->db, &f, NULL, 0, &err)) == NULL)
		return cmd_fail(&err);
	o = out_new(stdout, (enum out_format)fmt, person_cols, PEOPLE_NFIELDS, 0);
	while ((rc = store_person_next(c, &cells, &err)) == 1)
		out_row(o, cells);
	store_person_cursor_free(c);
	if (rc < 0) {
		out_free(o);
		return cmd_fail(&err);
	}
	return cmd_out_done(o);
}

static void
section(const char *title, size_t n)
{
	printf("\n%s:%s\n", title, n == 0 ? " none" : "");
}

static int
show_enrollments(struct ctx *ctx, long long person_id)
{
	static const struct out_col cols[] = {
		{ "program", OUT_STR }, { "role", OUT_STR }, { "status", OUT_STR },
		{ "reason", OUT_STR }, { "capacity", OUT_INT }, { "goal", OUT_STR },
		{ "enrolled_on", OUT_STR },
	};
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;
	struct out *o;
	size_t n, i;

	if (store_enrollment_of_person(ctx->db, person_id, 0, &rows, &n,
	    &err) != 0)
		return cmd_fail(&err);
	section("enrollments", n);
	if (n == 0)
		return 0;
	o = out_new(stdout, OUT_TABLE, cols, sizeof cols / sizeof cols[0], 0);
	for (i = 0; i < n; i++) {
		char cap[16], on[DATE_BUFSZ];
		const char *reason = rows[i].status == ENROLLMENT_WITHDRAWN ?
		    rows[i].withdraw_reason : rows[i].reason;
		const char *cells[7] = { rows[i].program,
		    enrollment_role_name(rows[i].role),
		    enrollment_status_name(rows[i].status), reason,
		    NULL, rows[i].goal, date_format(rows[i].enrolled_on, on) };

		if (rows[i].has_capacity) {
			snprintf(cap, sizeof cap, "%d", rows[i].capacity);
			cells[4] = cap;
		}
		out_row(o, cells);
	}
	enrollment_rows_free(rows, n);
	return cmd_out_done(o);
}

static int
show_trainings(struct ctx *ctx, long long person_id)
{
	static const struct out_col cols[] = {
		{ "training", OUT_STR }, { "completed_on", OUT_STR },
	};
	struct error err = ERROR_INIT;
	struct training_row *rows;
	struct out *o;
	size_t n, i;

	if (store_training_list(ctx->db, person_id, &rows, &n, &err) != 0)
		return cmd_fail(&err);
	section("trainings", n);
	if (n == 0)
		return 0;
	o = out_new(stdout, OUT_TABLE, cols, 2, 0);
	for (i = 0; i < n; i++) {
		char on[DATE_BUFSZ];
		const char *cells[2] = { rows[i].name,
		    date_format(rows[i].completed_on, on) };

		out_row(o, cells);
	}
	training_rows_free(rows, n);
	return cmd_out_done(o);
}

static int
show_pairings(struct ctx *ctx, long long person_id)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR }, { "role", OUT_STR },
		{ "partner", OUT_STR }, { "status", OUT_STR }, { "score", OUT_REAL },
		{ "since", OUT_STR }, { "until", OUT_STR },
	};
	struct error err = ERROR_INIT;
	struct person_pairing_row *rows;
	struct out *o;
	size_t n, i;

	if (store_person_pairings(ctx->db, person_id, &rows, &n, &err) != 0)
		return cmd_fail(&err);
	section("pairings", n);
	if (n == 0)
		return 0;
	o = out_new(stdout, OUT_TABLE, cols, sizeof cols / sizeof cols[0], 0);
	for (i = 0; i < n; i++) {
		char id[24], score[32];
		const char *cells[8] = { id, rows[i].program, rows[i].role,
		    rows[i].partner, rows[i].status, score, rows[i].since,
		    rows[i].until };

		snprintf(id, sizeof id, "%lld", rows[i].id);
		snprintf(score, sizeof score, "%.1f", rows[i].score);
		out_row(o, cells);
	}
	person_pairing_rows_free(rows, n);
	return cmd_out_done(o);
}

static int
cmd_people_show_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct person_rec p;
	struct out_col *cols;
	const char **cells;
	size_t n, i;
	int fmt, rc;

	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if (store_person_get(ctx->db, args->pos[0], &p, &err) != 0)
		return cmd_fail(&err);
	n = PEOPLE_NFIELDS + p.nattrs;
	cols = xcalloc(n, sizeof *cols);
	cells = xcalloc(n, sizeof *cells);
	for (i = 0; i < PEOPLE_NFIELDS; i++) {
		cols[i] = person_cols[i];
		cells[i] = p.fields[i];
	}
	for (i = 0; i < p.nattrs; i++) {
		cols[PEOPLE_NFIELDS + i].name = p.attrs[i].name;
		cols[PEOPLE_NFIELDS + i].type = OUT_STR;
		cells[PEOPLE_NFIELDS + i] = p.attrs[i].value;
	}
	rc = cmd_print_record(ctx, cols, cells, n);
	/* The sections are for people; csv and json stay one record. */
	if (rc == 0 && fmt == OUT_TABLE &&
	    (rc = show_enrollments(ctx, p.id)) == 0 &&
	    (rc = show_trainings(ctx, p.id)) == 0)
		rc = show_pairings(ctx, p.id);
	free(cols);
	free(cells);
	person_rec_free(&p);
	return rc;
}

static const struct cmd_opt list_opts[] = {
	{ "department", true, "--department D   only people of department D" },
	{ "program", true, "--program SLUG    only people enrolled in programme SLUG" },
	{ "role", true, "--role R          only people enrolled as mentor or mentee" },
	{ "status", true, "--status S        only enrollments with status S (pending, eligible, active, withdrawn)" },
	{ "search", true, "--search TEXT     TEXT in the e-mail, name, department, title or location" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_people_import_entry = {
	.name = "people", .sub = "import", .usage = "FILE.csv",
	.summary = "create and update people from a CSV file (all or nothing)",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_people_import_exec,
};

const struct cmd_entry cmd_people_list_entry = {
	.name = "people", .sub = "list",
	.usage = "[--department D] [--program SLUG] [--role R] [--status S] [--search TEXT]",
	.summary = "list people, sorted by e-mail",
	.opts = list_opts,
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_people_list_exec,
};

const struct cmd_entry cmd_people_show_entry = {
	.name = "people", .sub = "show", .usage = "EMAIL",
	.summary = "show a person with enrollments, trainings and pairings",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_people_show_exec,
};
